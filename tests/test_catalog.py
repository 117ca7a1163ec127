"""The service-item catalog against the official guides it encodes.

The seed guides are parsed here independently of the YAML, so deleting or renaming a catalog entry,
or moving it to the wrong region, fails the coverage test. Seed-dependent tests skip when the seeds
(../shared/seeds relative to the repo root) are absent.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from intake.catalog import Catalog, MaterialForm, Necessity, ProhibitionCheck, SealKind, ServiceItem, UnknownItem

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

# seed file prefix → (region, id prefix)
SEED_REGIONS = {
    "000": ("杭州经济技术开发区", "hz_kfq_"),
    "001": ("浙江省", "zj_"),
    "002": ("河南省镇平县", "henan_zp_"),
    "003": ("辽宁省抚顺市", "fushun_"),
    "004": ("杭州市", "hz_"),
}

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed guides not found at {SEEDS}")


@cache
def catalog() -> Catalog:
    return Catalog.load()


def _seed_path(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert len(found) == 1, f"expected one seed file {prefix}_*.txt in {SEEDS}, found {found}"
    return found[0]


def _seed_text(prefix: str) -> str:
    return _seed_path(prefix).read_text(encoding="utf-8")


def _squash(text: str) -> str:
    """Whitespace-free text: the seeds are PDF extractions with line breaks inside words."""
    return re.sub(r"\s+", "", text)


# --- independent parsers of the seed guides -------------------------------------------------------


def zhejiang_guides(text: str) -> list[tuple[str, str]]:
    """(heading name, 事项名称 cell) per "XXX办事指南" in the Zhejiang guide.

    A bare "办事指南" heading (its name wrapped onto the line above) takes the 事项名称 cell.
    """
    lines = [line.strip() for line in text.splitlines()]
    guides: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        if not line.endswith("办事指南"):
            continue
        field = ""
        for j in range(i + 1, len(lines)):
            if lines[j].startswith("一、事项名称"):
                field = next(s for s in lines[j + 1 :] if s)
                break
        heading = line.removesuffix("办事指南").strip()
        guides.append((heading or field, field))
    return guides


def kfq_item(text: str) -> str:
    match = re.search(r"涉及的内容：\s*(\S+)", text)
    assert match, "000: no 涉及的内容 line"
    return match.group(1)


def henan_item(text: str) -> str:
    match = re.search(r"事项名称\t([^\t\n]+)\t", text)
    assert match, "002: no 事项名称 cell"
    return match.group(1).strip()


def fushun_item(text: str) -> str:
    # The 事项名称 cell reads "一、基本信息" (a shifted table header); 业务名称 carries the name.
    match = re.search(r"业务名称\t([^\t\n]+)", text)
    assert match, "003: no 业务名称 cell"
    return match.group(1).strip()


def hangzhou_rows(text: str) -> list[str]:
    """事项名称 of every row of 附件1 (医疗管理类) and 附件2 (零星报销类)."""
    start, end = text.index("附件1："), text.index("附件3：")
    body = re.sub(r"\n +\n", "\n\n", text[start:end].replace("\r", ""))  # a lone tab is an empty cell
    names = []
    for block in body.split("\n\n"):
        cells = [line[1:].strip() for line in block.split("\n") if line.startswith("\t")]
        # A row has five cells (name, 受理条件, 申报材料, 禁止性要求, 经办要求); a multi-line 禁止性要求
        # cell can push 经办要求 into its own block, which has one cell and is skipped.
        if len(cells) >= 4 and cells[0] and cells[0] != "事项名称":
            names.append(cells[0])
    return names


@cache
def seed_items() -> list[tuple[str, str]]:
    """(name, region) of every service item in the seeds."""
    items = [(heading, "浙江省") for heading, _ in zhejiang_guides(_seed_text("001"))]
    items.append((kfq_item(_seed_text("000")), "杭州经济技术开发区"))
    items.append((henan_item(_seed_text("002")), "河南省镇平县"))
    items.append((fushun_item(_seed_text("003")), "辽宁省抚顺市"))
    items += [(name, "杭州市") for name in hangzhou_rows(_seed_text("004"))]
    return items


# --- (1) loading ----------------------------------------------------------------------------------


def test_catalog_loads_with_unique_ids() -> None:
    items = Catalog.load().items
    assert len(items) >= 59
    assert len({i.id for i in items}) == len(items)


def test_ids_carry_their_region_prefix() -> None:
    for item in catalog().items:
        region, prefix = SEED_REGIONS[item.source.file[:3]]
        assert item.region == region, item.id
        assert item.id.startswith(prefix), item.id
        if prefix == "hz_":
            assert not item.id.startswith("hz_kfq_"), item.id


def test_options_have_chinese_labels() -> None:
    for item in catalog().items:
        for option in item.options:
            assert re.search(r"[\u4e00-\u9fff]", option.label), f"{item.id}: option {option.key}"


# --- (2) coverage ---------------------------------------------------------------------------------


@needs_seeds
def test_seed_parsers_find_every_item() -> None:
    counts = Counter(region for _, region in seed_items())
    assert counts == {"浙江省": 30, "杭州市": 26, "杭州经济技术开发区": 1, "河南省镇平县": 1, "辽宁省抚顺市": 1}


@needs_seeds
def test_every_seed_item_is_in_the_catalog_with_its_region() -> None:
    have = {(i.name, i.region) for i in catalog().items}
    missing = [f"{name}（{region}）" for name, region in seed_items() if (name, region) not in have]
    assert not missing, f"seed items missing from the catalog: {missing}"


@needs_seeds
def test_catalog_has_nothing_beyond_the_seeds() -> None:
    wanted = Counter(seed_items())
    have = Counter((i.name, i.region) for i in catalog().items)
    assert have == wanted


@needs_seeds
def test_zhejiang_item_name_cells_resolve_to_the_same_item() -> None:
    """Where a guide's 事项名称 cell differs from its heading, the cell's wording is an alias."""
    for heading, field in zhejiang_guides(_seed_text("001")):
        item = catalog().find(heading, "浙江省")
        assert catalog().find(field, "浙江省").id == item.id, (heading, field)
        if field != heading:
            assert field in item.aliases
            assert any(field in note for note in item.notes), item.id


# --- (3) sources ----------------------------------------------------------------------------------


def test_every_item_names_a_source_section() -> None:
    for item in catalog().items:
        assert item.source.section.strip(), item.id
        assert re.fullmatch(r"\d{3}_[0-9a-f]+\.txt", item.source.file), item.id


@needs_seeds
def test_source_files_exist_and_sections_are_in_them() -> None:
    for item in catalog().items:
        path = SEEDS / item.source.file
        assert path.is_file(), f"{item.id}: {path}"
        heading = re.split(r"[\s：]", item.source.section.strip())[0]
        assert _squash(heading) in _squash(path.read_text(encoding="utf-8")), f"{item.id}: {heading}"


@needs_seeds
def test_material_names_are_the_seeds_own_words() -> None:
    """Each name is verbatim in its seed, or (where one seed line was split) quotes it in its note."""
    for item in catalog().items:
        seed = _squash((SEEDS / item.source.file).read_text(encoding="utf-8"))
        for m in item.materials:
            if _squash(m.name) in seed:
                continue
            quoted = re.findall(r"原文：“([^”]+)”", m.note)
            assert quoted, f"{item.id}/{m.id}: name not in the seed and no 原文 quote: {m.name}"
            for q in quoted:
                assert _squash(q) in seed, f"{item.id}/{m.id}: quote not in the seed: {q}"


# --- (4) structure spot checks --------------------------------------------------------------------


def _item(name: str, region: str | None = None) -> ServiceItem:
    return catalog().find(name, region)


def test_zhejiang_inpatient_reimbursement_materials() -> None:
    item = _item("住院费用报销")
    assert item.region == "浙江省"
    required = [m for m in item.materials if m.necessity is Necessity.required]
    assert len(required) == 4
    agent = [m for m in item.materials if m.when is not None and m.when.option == "agent"]
    assert len(agent) == 1
    assert agent[0].necessity is Necessity.conditional
    assert agent[0].min_count == 2 and agent[0].distinct_people
    assert agent[0].form is MaterialForm.original
    seals = {m.id: m.seal for m in item.materials if m.seal}
    assert seals == {"expense_list": SealKind.hospital_charge}


def test_fushun_materials_are_original_and_copy() -> None:
    item = _item("异地长期居住人员备案", "辽宁省抚顺市")
    assert item.id.startswith("fushun_")
    assert [m.name for m in item.materials] == [
        "有效身份证件或社保卡",
        "异地就医登记备案表",
        "长期居住认定材料（居住证或个人承诺书）",
    ]
    assert all(m.form is MaterialForm.original_and_copy for m in item.materials)
    assert all(m.necessity is Necessity.required for m in item.materials)


def test_hangzhou_kfq_long_stay_filing() -> None:
    item = _item("基本医疗保险参保人员长住外地备案", "杭州经济技术开发区")
    labels = {o.key: o.label for o in item.options}
    sealed = [m for m in item.materials if m.seal is SealKind.unit]
    assert len(sealed) == 1
    assert sealed[0].when is not None and not sealed[0].when.negate
    assert "单位在职人员" in labels[sealed[0].when.option]
    minors = [p for p in item.prohibitions if "少年儿童" in p.text]
    assert len(minors) == 1
    assert minors[0].check is ProhibitionCheck.min_age and minors[0].value == "18"
    assert minors[0].when is None or minors[0].when.option in labels
    outside = [p for p in item.prohibitions if p.check is ProhibitionCheck.household_outside]
    assert outside and "杭州市上城区" in outside[0].value.split(",")


def test_some_items_need_no_documents() -> None:
    empty = [i for i in catalog().items if not i.materials]
    assert empty
    assert _item("基本医疗保险参保人员长住外地备案", "杭州市") in empty


@pytest.mark.parametrize(
    ("key", "region", "expected_id"),
    [
        ("住院费用报销", None, "zj_inpatient_reimbursement"),
        ("住院费用报销", "浙江省", "zj_inpatient_reimbursement"),
        ("zj_inpatient_reimbursement", None, "zj_inpatient_reimbursement"),
        ("异地长期居住人员备案", None, "zj_offsite_long_term_residence"),  # ambiguous → 浙江省
        ("异地长期居住人员备案", "辽宁省抚顺市", "fushun_offsite_long_term_residence"),
        ("异地长期居住人员备案", "抚顺", "fushun_offsite_long_term_residence"),
        ("基本医疗保险参保人员出国（境）带药备案", None, "zj_overseas_medicine"),
        ("基本医疗保险参保人员出国（境）带药备案", "杭州市", "hz_overseas_medicine"),
        ("基本医疗保险参保人员长住外地备案", "杭州市", "hz_long_stay_filing"),
        ("基本医疗保险参保人员长住外地备案", "杭州经济技术开发区", "hz_kfq_long_stay_filing"),
        ("基本医疗保险参保人员异地就医备案（职工异地长期居住人员）", None, "henan_zp_offsite_long_term_residence"),
        ("参保人员个人账户一次性支付", None, "zj_account_withdrawal"),  # the seed's 事项名称 cell
    ],
)
def test_find_by_name_and_region(key: str, region: str | None, expected_id: str) -> None:
    assert catalog().find(key, region).id == expected_id


@pytest.mark.parametrize(
    ("key", "region", "message"),
    [
        ("基本医疗保险参保人员长住外地备案", None, "多个地区"),  # two Hangzhou regions, neither the default
        ("住院费用报销", "杭州市", "未知的办理事项"),
        ("不存在的事项", None, "未知的办理事项"),
    ],
)
def test_find_errors_are_clear(key: str, region: str | None, message: str) -> None:
    with pytest.raises(UnknownItem, match=message):
        catalog().find(key, region)
