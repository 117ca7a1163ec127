"""The committed sample set (demo cases and single documents) and larger generated sets.

Seeds keep the sets apart: the committed samples use seeds below 1000, the tuning set starts at
100000 and the evaluation set at 900000, so nothing is evaluated on what it was tuned on. The
template-family sets (synth/families) keep apart by family as well: `familytune` (seeds 300000+)
holds the families rules may be tuned on, `heldout` (seeds 500000+) only the held-out ones, `unseen`
(seeds 700000+) only the families no rule-writer has read (report-only)."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from synth.build import Context, Written, new_context, render, write_born_digital_invoice, write_raster, write_truth
from synth.families import Family, families_in, split_stamp
from synth.people import STAGED_DIAGNOSES

SPLIT_SEEDS = {
    "samples": 0,
    "tune": 100_000,
    "familytune": 300_000,
    "heldout": 500_000,
    "unseen": 700_000,
    "eval": 900_000,
}
# The sets made of template families, and the part of the family split (families/split.yaml) each holds.
FAMILY_SPLITS = {"familytune": "tune", "heldout": "held_out", "unseen": "unseen"}
# Beside a family set's files: the split.yaml digest it was made under (`family_set_current`).
SPLIT_STAMP = "split.sha256"


@dataclass
class FileSpec:
    kind: str  # a synth.build.render kind, or "einvoice" / "einvoice_outpatient"
    variant: str = "scan"
    stem: str = ""
    person: str = "applicant"  # or "agent"


@dataclass
class CaseSpec:
    case_id: str
    item: str
    region: str | None
    files: list[FileSpec]
    expected_verdict: str
    expected_missing: list[str] = field(default_factory=list)
    expected_reasons: list[str] = field(default_factory=list)
    agent: bool = False
    options: dict[str, str] = field(default_factory=dict)
    person_region: str = "33"
    province: str = "浙江省"
    min_age: int = 25
    about: str = ""


INPATIENT = [
    FileSpec("invoice", "scan", "invoice"),
    FileSpec("discharge_record", "scan", "discharge_record"),
    FileSpec("expense_list", "scan", "expense_list"),
    FileSpec("id_front", "scan", "id_front"),
    FileSpec("id_back", "scan", "id_back"),
]
LIST_MISSING = "住院费用汇总明细清单原件或复印件（加盖医院收费章）"
INVOICE_MISSING = "医疗费用发票原件（含电子票据）"

CASES = [
    CaseSpec(
        "c01_inpatient_complete",
        "住院费用报销",
        None,
        INPATIENT,
        "complete",
        about="住院费用报销，材料齐全（彩色扫描）",
    ),
    CaseSpec(
        "c02_inpatient_missing_list",
        "住院费用报销",
        None,
        [f for f in INPATIENT if f.kind != "expense_list"],
        "incomplete",
        [LIST_MISSING],
        about="缺住院费用汇总明细清单",
    ),
    CaseSpec(
        "c03_inpatient_wrong_document",
        "住院费用报销",
        None,
        [FileSpec("medical_record", "scan", "invoice")] + [f for f in INPATIENT if f.kind != "invoice"],
        "incomplete",
        [INVOICE_MISSING],
        ["unexpected_document"],
        about="发票位置放的是门诊病历（文件名仍叫 invoice）",
    ),
    CaseSpec(
        "c04_inpatient_rotated",
        "住院费用报销",
        None,
        [
            FileSpec("invoice", "rotated180", "invoice"),
            FileSpec("discharge_record", "rotated90", "discharge"),
            FileSpec("expense_list", "scan", "list"),
            FileSpec("id_front", "rotated270", "id_front"),
            FileSpec("id_back", "scan", "id_back"),
        ],
        "complete",
        about="倒置和横放的扫描件",
    ),
    CaseSpec(
        "c05_zj_long_term_residence",
        "异地长期居住人员备案",
        "浙江省",
        [FileSpec("id_front_card", "photo", "id_front"), FileSpec("id_back_card", "photo", "id_back")],
        "complete",
        about="浙江省异地长期居住人员备案：手机拍摄的身份证正反面",
    ),
    CaseSpec(
        "c06_fushun_long_term_residence",
        "异地长期居住人员备案",
        "辽宁省抚顺市",
        [
            FileSpec("id_front", "scan", "id_front"),
            FileSpec("id_back", "scan", "id_back"),
            FileSpec("filing_form_fushun", "scan", "filing_form"),
            FileSpec("filing_form_fushun", "photocopy", "filing_form_copy"),
            FileSpec("commitment", "scan", "commitment"),
        ],
        "complete",
        person_region="21",
        province="辽宁省",
        min_age=61,
        about="抚顺市异地长期居住人员备案：身份证、备案表原件和复印件、个人承诺书",
    ),
    CaseSpec(
        "c07_outpatient_einvoice",
        "门诊费用报销",
        None,
        [
            FileSpec("einvoice_outpatient", "born_digital", "einvoice"),
            FileSpec("medical_record", "scan", "medical_record"),
            FileSpec("expense_list_outpatient", "scan", "expense_list"),
            FileSpec("id_front", "scan", "id_front"),
        ],
        "complete",
        about="门诊费用报销：电子票据 PDF、门诊病历、费用清单",
    ),
    CaseSpec(
        "c08_inpatient_blurred_invoice",
        "住院费用报销",
        None,
        [FileSpec("invoice", "blurred", "invoice")] + [f for f in INPATIENT if f.kind != "invoice"],
        "needs_review",
        expected_reasons=["image_blurred"],
        about="发票照片模糊：请申请人重新拍摄",
    ),
]


def write_file(spec: FileSpec, ctx: Context, out: Path, seed: int) -> Written:
    if spec.kind.startswith("einvoice"):
        visit = "门诊" if spec.kind.endswith("outpatient") else "住院"
        return write_born_digital_invoice(ctx, out, spec.stem or spec.kind, seed, visit=visit)
    return write_raster(render(spec.kind, ctx), spec.variant, out, spec.stem or f"{spec.kind}_{spec.variant}", seed)


def manifest_row(spec: CaseSpec, case_date: dt.date, names: list[str]) -> dict[str, Any]:
    """One case as a batch manifest row (files relative to the batch folder)."""
    row: dict[str, Any] = {
        "case_id": spec.case_id,
        "item": spec.item,
        "case_date": case_date.isoformat(),
        "files": [f"{spec.case_id}/{name}" for name in names],
    }
    if spec.region:
        row["region"] = spec.region
    if spec.agent:
        row["agent"] = True
    if spec.options:
        row["options"] = spec.options
    return row


def build_cases(root: Path, seed0: int = 1) -> None:
    cases_dir, truth_dir = root / "cases", root / "truth" / "cases"
    manifest: list[dict[str, Any]] = []
    for n, spec in enumerate(CASES):
        seed = seed0 + n
        case_date = dt.date(2025, 6, 20)
        ctx = new_context(
            seed, on=case_date, region_prefix=spec.person_region, min_age=spec.min_age, province=spec.province
        )
        ctx.extra["destination"] = "浙江省杭州市"
        folder = cases_dir / spec.case_id
        files = {}
        for k, fspec in enumerate(spec.files):
            written = write_file(fspec, ctx, folder, seed * 100 + k)
            files[written.path.name] = written.truth
        row = manifest_row(spec, case_date, list(files))
        manifest.append(row)
        truth = {
            **row,
            "about": spec.about,
            "seed": seed,
            "expected_verdict": spec.expected_verdict,
            "expected_missing": spec.expected_missing,
            "expected_reasons": spec.expected_reasons,
            "documents": files,
        }
        truth_dir.mkdir(parents=True, exist_ok=True)
        (truth_dir / f"{spec.case_id}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    (cases_dir / "manifest.yaml").write_text(
        "# The demo batch: one row per case (files relative to this folder). Generated by `make samples`.\n"
        + yaml.safe_dump({"cases": manifest}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )


# Single documents: every main kind, and each benchmark group at least once.
DOCUMENTS = [
    FileSpec("invoice", "scan"),
    FileSpec("invoice", "scanned_grey"),
    FileSpec("invoice", "photocopy"),
    FileSpec("invoice", "photo"),
    FileSpec("invoice", "rotated90"),
    FileSpec("einvoice", "born_digital"),
    FileSpec("discharge_record", "scan"),
    FileSpec("discharge_record", "photo"),
    FileSpec("discharge_record", "rotated180"),
    FileSpec("discharge_record", "blurred"),
    FileSpec("discharge_record", "dark"),
    FileSpec("discharge_record", "overexposed"),
    FileSpec("discharge_record", "tiny"),
    FileSpec("discharge_record", "cut_off"),
    FileSpec("expense_list", "scan"),
    FileSpec("expense_list", "photocopy"),
    FileSpec("id_front_card", "photo"),
    FileSpec("id_back_card", "photo"),
    FileSpec("id_front", "scanned_grey"),
    FileSpec("filing_form_fushun", "scan"),
    FileSpec("filing_form_hz_long_stay", "scan"),
    FileSpec("filing_form_zj_referral", "photo"),
    FileSpec("commitment", "scan"),
    FileSpec("social_security_card", "scan"),
    FileSpec("medical_record", "scan"),
    FileSpec("id_front", "photocopy_colour"),
    FileSpec("invoice", "photocopy_colour"),
]


# What the generated sets vary beyond the committed samples, each drawn from a generator of its own so
# that no other draw of a document moves. Kinds whose person's name and inpatient number may print blank
# (交款人：, 姓名：, 住院号： with nothing after, as in anonymised paperwork; the truth is then "" and a value
# read there is wrong), each on its own; kinds whose diagnosis may be a staged one (people.STAGED_DIAGNOSES).
BLANK_KINDS = ("invoice", "einvoice", "einvoice_outpatient", "discharge_record", "expense_list")
BLANK_SHARE = 0.15
STAGED_KINDS = ("discharge_record", "medical_record")
STAGED_SHARE = 0.3


def _varied(ctx: Context, kind: str, seed: int) -> None:
    blank = random.Random(f"blank-{seed}")
    if kind in BLANK_KINDS and blank.random() < BLANK_SHARE:
        ctx.person = replace(ctx.person, name="")
    if kind in BLANK_KINDS and blank.random() < BLANK_SHARE:
        ctx.stay = replace(ctx.stay, inpatient_number="")
    staged = random.Random(f"diagnosis-{seed}")
    if kind in STAGED_KINDS and staged.random() < STAGED_SHARE:
        diagnosis, department = staged.choice(STAGED_DIAGNOSES)
        ctx.stay = replace(ctx.stay, diagnosis=diagnosis, department=department)


def build_documents(
    out: Path,
    truth_dir: Path,
    specs: list[FileSpec],
    seed0: int,
    repeat: int = 1,
    first: int = 0,
    kinds: Collection[str] = (),
    varied: bool = False,
) -> int:
    """Each spec `repeat` times, each time a new person and stay from its own seed; with `first` and
    `kinds`, only repeats `first`… of those kinds, on the same seeds as in the whole schedule; `varied`:
    with the generated sets' blanks and staged diagnoses (`_varied`)."""
    count = 0
    for r in range(first, repeat):
        for k, spec in enumerate(specs):
            if kinds and spec.kind not in kinds:
                continue
            seed = seed0 + r * len(specs) + k
            ctx = new_context(
                seed,
                region_prefix="21" if "fushun" in spec.kind else "33",
                province="辽宁省" if "fushun" in spec.kind else "浙江省",
            )
            if varied:
                _varied(ctx, spec.kind, seed)
            stem = f"{spec.kind}_{spec.variant}" + (f"_{seed}" if repeat > 1 else "")
            written = write_file(FileSpec(spec.kind, spec.variant, stem), ctx, out, seed)
            write_truth(written, truth_dir)
            count += 1
    return count


def build_samples(root: Path) -> None:
    for sub in ("cases", "documents", "truth"):
        shutil.rmtree(root / sub, ignore_errors=True)
    build_cases(root, seed0=SPLIT_SEEDS["samples"] + 1)
    build_documents(root / "documents", root / "truth" / "documents", DOCUMENTS, SPLIT_SEEDS["samples"] + 101)


# The generated sets cover every group with every kind it applies to.
QUALITY_FAILS = ("blurred", "dark", "overexposed", "tiny", "cut_off")
GENERATED_VARIANTS = [
    "scan",
    "scanned_grey",
    "photocopy",
    "photocopy_colour",
    "photo",
    "rotated90",
    "rotated180",
    "rotated270",
]
GENERATED_KINDS = [
    "invoice",
    "discharge_record",
    "expense_list",
    "id_front",
    "id_back",
    "filing_form_fushun",
    "filing_form_hz_long_stay",
    "filing_form_zj_referral",
    "commitment",
    "social_security_card",
    "medical_record",
]


def generated_specs() -> list[FileSpec]:
    specs = [FileSpec(kind, variant) for kind in GENERATED_KINDS for variant in GENERATED_VARIANTS]
    specs += [FileSpec("einvoice", "born_digital"), FileSpec("einvoice_outpatient", "born_digital")]
    specs += [FileSpec("discharge_record", v) for v in QUALITY_FAILS]
    specs += [FileSpec("invoice", v) for v in QUALITY_FAILS]
    return specs


def family_specs(part: str) -> list[tuple[Family, str | None, str]]:
    """Every (family, ID-card side, variant) of one part of the family split."""
    return [(f, side, variant) for f in families_in(part) for side in f.sides for variant in f.variants]


FAMILY_SEED_SLOTS = 8_999  # slots of ten repeats each: every seed below seed0 + ENVELOPE_SEED_OFFSET (90000)
FAMILY_SEED_REPEATS = 10


def family_seed(seed0: int, family: Family, side: str | None, variant: str, repeat: int) -> int:
    """The seed of one repeat of a family's side and variant, keyed by their names rather than by their
    place in the split: adding or moving a family (a blind set moved to held-out) leaves every other
    family's files, and so the readings cached for them and the figures measured on them, as they were.
    Two families may share a seed: their files differ by family and their names by the family's name."""
    if not 0 <= repeat < FAMILY_SEED_REPEATS:
        raise ValueError(f"a family set holds at most {FAMILY_SEED_REPEATS} repeats, not {repeat + 1}")
    key = "/".join((family.doc_type, family.name, side or "", variant))
    return seed0 + (zlib.crc32(key.encode("utf-8")) % FAMILY_SEED_SLOTS) * FAMILY_SEED_REPEATS + repeat


def build_family_documents(
    out: Path, truth_dir: Path, part: str, seed0: int, repeat: int, first: int = 0, kinds: Collection[str] = ()
) -> int:
    """Each family of the part, side and variant `repeat` times, a new person and stay from each seed,
    in the family's own look (face, resolution, JPEG quality); `kinds` picks document types."""
    count = 0
    for r in range(first, repeat):
        for family, side, variant in family_specs(part):
            if kinds and family.doc_type not in kinds:
                continue
            seed = family_seed(seed0, family, side, variant, r)
            stem = "_".join(p for p in (family.doc_type, side, family.name, variant, str(seed)) if p)
            written = family.write(new_context(seed), side, variant, out, stem, seed)
            write_truth(written, truth_dir)
            count += 1
    return count


def family_set_current(out: Path) -> bool:
    """Whether the family set in `out` was made under the current split.yaml: after a set moves from
    unseen to held-out the old files would silently be scored under the new part's name."""
    stamp = out / SPLIT_STAMP
    return stamp.exists() and stamp.read_text(encoding="utf-8") == split_stamp()


def build_generated(out: Path, split: str, repeat: int, first: int = 0, kinds: Collection[str] = ()) -> int:
    """The set's documents and truth, written anew; the evaluation's readings kept beside them stay
    (keyed by content, they serve every file that comes out the same)."""
    for sub in ("documents", "truth"):
        shutil.rmtree(out / sub, ignore_errors=True)
    if split in FAMILY_SPLITS:
        written = build_family_documents(
            out / "documents", out / "truth", FAMILY_SPLITS[split], SPLIT_SEEDS[split], repeat, first, kinds
        )
        (out / SPLIT_STAMP).write_text(split_stamp(), encoding="utf-8")
        return written
    return build_documents(
        out / "documents", out / "truth", generated_specs(), SPLIT_SEEDS[split], repeat, first, kinds, varied=True
    )
