"""Families that draw a copy whatever the capture (synth/families `draws_copy`: a faxed photocopy of a
card, a copy pasted on a voucher): their truth says copy, and a generated case holding one where the
item wants an original expects what a copy gets there, never `complete`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake.catalog import default_catalog
from synth.build import new_context, write_raster
from synth.case_mix import COPY_REASON, FAMILY_KINDS, ITEMS, MixCase, build_mix, case_family, mix_case, mix_cases
from synth.case_mix import original_required as wants_original
from synth.families import FAMILIES
from synth.families.common import Family

COPY_FAMILIES = [f for by_type in FAMILIES.values() for f in by_type.values() if f.draws_copy]
SEEDS = {"held_out": 970_000, "unseen": 980_000, "tune": 960_000}


@pytest.mark.parametrize("family", COPY_FAMILIES, ids=[f.name for f in COPY_FAMILIES])
def test_a_copy_familys_truth_says_copy_whatever_its_capture(tmp_path: Path, family: Family) -> None:
    """GIVEN a family that draws a copy, captured in each of its ways (a clean file, a colour scan)
    THEN the truth says copy, and no seal (a copy's seal is toner)."""
    for variant in family.variants:
        look = family.look(3)
        rendered = family.draw(new_context(3), family.sides[0], look)
        written = write_raster(rendered, variant, tmp_path, f"{family.name}_{variant}", 3, drawn_copy=True)
        document = written.truth["documents"][0]
        assert document["is_copy"] is True and document["has_seal"] is False, variant


def test_the_fax_and_the_pasted_voucher_copy_are_the_families_that_draw_copies() -> None:
    assert {f.name for f in COPY_FAMILIES} >= {"fax_copy", "voucher_pasted_copy"}
    assert not FAMILIES["id_card"]["crop300"].draws_copy


def test_a_family_that_draws_an_original_keeps_the_captures_truth(tmp_path: Path) -> None:
    family = FAMILIES["id_card"]["crop300"]
    look = family.look(3)
    rendered = family.draw(new_context(3), "front", look)
    written = write_raster(rendered, "scan", tmp_path, "card", 3, drawn_copy=family.draws_copy)
    assert written.truth["documents"][0]["is_copy"] is False


def _case(code: str, agent: bool) -> MixCase:
    item = next(i for i in ITEMS if i.code == code)
    return MixCase(case_id="c", item=item.name, region=item.region, files=[], expected_verdict="complete", agent=agent)


@pytest.mark.parametrize(
    ("code", "agent", "doc_type", "wanted"),
    [
        ("inpatient", False, "id_card", False),  # 有效身份证件: any form
        ("inpatient", True, "id_card", True),  # 委托代办: both parties' cards as originals
        ("zj_residence", True, "id_card", True),
        ("fushun_residence", False, "id_card", False),  # 原件和复印件: a copy is asked for too
        ("inpatient", False, "invoice", True),
        ("inpatient", False, "expense_list", False),  # 原件或复印件
    ],
)
def test_an_original_is_wanted_where_the_catalog_says_so(code: str, agent: bool, doc_type: str, wanted: bool) -> None:
    item = next(i for i in ITEMS if i.code == code)
    assert default_catalog().find(item.name, item.region) is not None
    assert wants_original(item, _case(code, agent), doc_type) is wanted


@pytest.mark.parametrize("part", sorted(SEEDS))
def test_no_case_expects_complete_on_a_drawn_copy_where_an_original_is_wanted(part: str) -> None:
    """GIVEN the evaluation's cases of a part of the split THEN every case holding a drawn copy where the
    item wants an original expects the copy's reason and is not expected complete; a drawn copy where a
    copy is accepted leaves the case's verdict as its perturbation made it."""
    for case in mix_cases(SEEDS[part], 40, part):
        item = next(i for i in ITEMS if i.code == case.item_code)
        copies = [spec for spec in case.files if (family := case_family(case, spec)) is not None and family.draws_copy]
        wanted = [s for s in copies if wants_original(item, case, FAMILY_KINDS[s.kind][0])]
        plain = mix_case(case.seed, case.perturbation)  # the same case drawn by the base generator
        if wanted:
            assert COPY_REASON in case.expected_reasons and case.expected_verdict != "complete", case.case_id
        else:
            assert case.expected_verdict == plain.expected_verdict, case.case_id
            assert case.expected_reasons == plain.expected_reasons, case.case_id


def _case_with_a_copy_where_an_original_is_wanted() -> MixCase:
    """The first held-out case holding a drawn copy of a document its item wants as an original, and that
    would be complete drawn by the base generator (so the copy alone sends it to review)."""
    for case in mix_cases(SEEDS["held_out"], 40, "held_out"):
        if mix_case(case.seed, case.perturbation).expected_verdict != "complete":
            continue
        item = next(i for i in ITEMS if i.code == case.item_code)
        for spec in case.files:
            family = case_family(case, spec)
            if family is not None and family.draws_copy and wants_original(item, case, FAMILY_KINDS[spec.kind][0]):
                return case
    raise AssertionError("no held-out case holds a drawn copy where an original is wanted")


def test_a_built_case_writes_the_drawn_copy_into_its_truth(tmp_path: Path) -> None:
    """GIVEN a held-out case holding a drawn copy where its item wants an original WHEN its files are
    written THEN the case truth expects review for the copy, and says copy of exactly the documents a
    copy family drew."""
    case = _case_with_a_copy_where_an_original_is_wanted()
    build_mix(tmp_path, [case])
    truth = json.loads((tmp_path / "truth" / "cases" / f"{case.case_id}.json").read_text(encoding="utf-8"))
    assert truth["expected_verdict"] == "needs_review" and COPY_REASON in truth["expected_reasons"]
    copy_families = {f.name for f in COPY_FAMILIES}
    for name, file in truth["documents"].items():
        drawn_copy = file.get("family") in copy_families
        assert all(doc["is_copy"] is drawn_copy for doc in file["documents"]), name
