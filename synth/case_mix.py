"""Generated cases for the verdict evaluation (`python -m bench.eval_verdict`).

Each case is one item, a complete set of files for it (scans, some phone photos, some turned on
their side), then one thing done to it, and the verdict that must follow: a material left out, a
medical record where the invoice belongs, an unreadable or photocopied invoice, an agent with or
without the second ID card, someone else's ID card, every page rotated, a resident under 60 in
Fushun. Perturbations are dealt in turn so that every count covers them evenly; everything else
is drawn from the case's own seed, so case n is the same whatever the count.

With a part of the family split (`mix_cases(..., part="tune" | "held_out" | "unseen")`) every document a
template family can draw (synth/families: 住院 invoice, discharge record, 住院 expense list, ID card, filing
form) is drawn by a family of that part, chosen from the case's seed, in the family's own look; the rest
(门诊 bills and lists, 电子票据, 门诊病历, 承诺书, 社保卡) stay the base generator's, as no family draws them.
An ordinary capture (scan, photo) becomes one of the ways the family's files reach the office, unless
that way copies the page or drops its colour (the case expects an original there); what a perturbation
does (rotated, photocopied, blurred, dark) is done as it is to base documents."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from intake.catalog import MaterialForm, default_catalog
from intake.models import DocType
from intake.reasons import Code
from synth.build import Context, Written, new_context
from synth.families import Family, families_in
from synth.sets import CaseSpec, FileSpec, manifest_row, write_file
from synth.variants import VARIANTS

CASE_DATE = dt.date(2025, 6, 20)
# The second person (an agent, or someone whose ID card got into the case) has a seed of their own.
SECOND_PERSON_SEED = 500_000
BASE_VARIANTS = ["scan", "scan", "scan", "photo", "rotated"]
ROTATIONS = ["rotated90", "rotated180", "rotated270"]
UNREADABLE = {"blurred": "image_blurred", "dark": "image_too_dark"}
# Base render kinds a template family also draws: kind → (document type, ID-card side).
FAMILY_KINDS: dict[str, tuple[str, str | None]] = {
    "invoice": ("invoice", None),
    "discharge_record": ("discharge_record", None),
    "expense_list": ("expense_list", None),
    "id_front": ("id_card", "front"),
    "id_front_card": ("id_card", "front"),
    "id_back": ("id_card", "back"),
    "id_back_card": ("id_card", "back"),
    "filing_form_fushun": ("filing_form", None),
}
# Variants that say only how a file was captured; a family document is captured its family's way instead.
ORDINARY_CAPTURES = ("scan", "photo")
# The reason the validator gives where every document of a material wanting an original is a copy.
COPY_REASON = Code.copy_not_original.value
SEAL_REASON = Code.seal_missing.value


@dataclass(frozen=True)
class Item:
    code: str  # short ASCII name for case ids and tables
    name: str
    region: str | None
    person_region: str = "33"
    province: str = "浙江省"
    min_age: int = 25

    @property
    def reimbursement(self) -> bool:
        return self.code in ("inpatient", "outpatient")

    @property
    def takes_agent(self) -> bool:
        return "both_parties_id" in material_names(self)


ITEMS = [
    Item("inpatient", "住院费用报销", None),
    Item("outpatient", "门诊费用报销", None),
    Item("zj_residence", "异地长期居住人员备案", "浙江省"),
    Item("fushun_residence", "异地长期居住人员备案", "辽宁省抚顺市", "21", "辽宁省", 61),
]


@dataclass
class MixCase(CaseSpec):
    """A CaseSpec that knows its seed, its item and what was done to it."""

    seed: int = 0
    item_code: str = ""
    perturbation: str = "none"
    max_age: int = 80
    part: str | None = None  # the family split's part its documents are drawn from; None: the base generator


@cache
def material_names(item: Item) -> dict[str, str]:
    """Material id → name as the catalog (and so the verdict's missing list) writes it."""
    return {m.id: m.name for m in default_catalog().find(item.name, item.region).materials}


def _variant(rng: random.Random) -> str:
    choice = rng.choice(BASE_VARIANTS)
    return rng.choice(ROTATIONS) if choice == "rotated" else choice


def _identity(rng: random.Random, id_card_only: bool, stem: str = "id") -> list[FileSpec]:
    """An ID card on A4 (front, sometimes the back too), a phone photo of the card, or a 社保卡."""
    choices = ["a4", "a4_both", "card_photo"] + ([] if id_card_only else ["social_security_card"])
    match rng.choice(choices):
        case "a4":
            return [FileSpec("id_front", _variant(rng), f"{stem}_front")]
        case "a4_both":
            return [FileSpec("id_front", _variant(rng), f"{stem}_front"), FileSpec("id_back", "scan", f"{stem}_back")]
        case "card_photo":
            return [
                FileSpec("id_front_card", "photo", f"{stem}_front"),
                FileSpec("id_back_card", "photo", f"{stem}_back"),
            ]
    return [FileSpec("social_security_card", _variant(rng), "social_security_card")]


def _invoice(item: Item, rng: random.Random, variant: str | None = None) -> FileSpec:
    """A paper invoice (in `variant` when given); 门诊 also often as a born-digital 电子票据."""
    if item.code == "outpatient":
        if variant is None and rng.random() < 0.5:
            return FileSpec("einvoice_outpatient", "born_digital", "einvoice")
        return FileSpec("invoice_outpatient", variant or _variant(rng), "invoice")
    return FileSpec("invoice", variant or _variant(rng), "invoice")


def base_files(item: Item, rng: random.Random, id_card_only: bool = False) -> dict[str, list[FileSpec]]:
    """A complete set: material id → the files that satisfy it."""
    files = {"identity": _identity(rng, id_card_only)}
    if item.code == "inpatient":
        files["invoice"] = [_invoice(item, rng)]
        files["discharge_record"] = [FileSpec("discharge_record", _variant(rng), "discharge_record")]
        files["expense_list"] = [FileSpec("expense_list", _variant(rng), "expense_list")]
    elif item.code == "outpatient":
        files["invoice"] = [_invoice(item, rng)]
        files["medical_record"] = [FileSpec("medical_record", _variant(rng), "medical_record")]
        files["expense_list"] = [FileSpec("expense_list_outpatient", _variant(rng), "expense_list")]
    elif item.code == "fushun_residence":
        forms = [FileSpec("filing_form_fushun", _variant(rng), "filing_form")]
        if rng.random() < 0.5:  # the guide asks for 原件和复印件; some bring both
            forms.append(FileSpec("filing_form_fushun", "photocopy", "filing_form_copy"))
        files["filing_form"] = forms
        files["residence_proof"] = [FileSpec("commitment", _variant(rng), "commitment")]
    return files


def _none(case: MixCase, item: Item, files: dict[str, list[FileSpec]], rng: random.Random) -> None:
    if item.code == "fushun_residence" and rng.random() < 0.5:
        case.options = {"resident_insurance": "true"}  # a resident over 60: allowed
        case.about = "材料齐全（城乡居民医保，已满60周岁）"
    else:
        case.about = "材料齐全"


def _drop(case: MixCase, item: Item, files: dict[str, list[FileSpec]], rng: random.Random) -> None:
    dropped = rng.choice(sorted(files))
    del files[dropped]
    case.expected_verdict, case.expected_missing = "incomplete", [material_names(item)[dropped]]
    case.about = f"缺{material_names(item)[dropped]}"


def _wrong_document(case: MixCase, item: Item, files: dict[str, list[FileSpec]], rng: random.Random) -> None:
    files["invoice"] = [FileSpec("medical_record", _variant(rng), "invoice")]
    case.expected_verdict, case.expected_missing = "incomplete", [material_names(item)["invoice"]]
    # A second 门诊病历 is still an expected document for 门诊费用报销; for 住院 it is not.
    case.expected_reasons = ["unexpected_document"] if item.code == "inpatient" else []
    case.about = "发票位置放的是门诊病历（文件名仍叫 invoice）"


def _unreadable_invoice(case: MixCase, item: Item, files: dict[str, list[FileSpec]], rng: random.Random) -> None:
    variant = rng.choice(sorted(UNREADABLE))
    files["invoice"] = [_invoice(item, rng, variant)]
    # The gate stops the invoice, so it is also missing: a clerk decides, not the missing list.
    case.expected_verdict, case.expected_missing = "needs_review", [material_names(item)["invoice"]]
    case.expected_reasons = [UNREADABLE[variant]]
    case.about = f"发票照片{'模糊' if variant == 'blurred' else '过暗'}"


def _photocopied_invoice(case: MixCase, item: Item, files: dict[str, list[FileSpec]], rng: random.Random) -> None:
    files["invoice"] = [_invoice(item, rng, "photocopy")]
    case.expected_verdict, case.expected_reasons = "needs_review", ["copy_not_original"]
    case.about = "发票是复印件（须原件）"


def _agent_one_id(case: MixCase, item: Item, files: dict[str, list[FileSpec]], rng: random.Random) -> None:
    case.agent = True
    case.expected_verdict, case.expected_missing = "incomplete", [material_names(item)["both_parties_id"]]
    case.about = "委托代办，只有申请人的身份证"


def _agent_two_ids(case: MixCase, item: Item, files: dict[str, list[FileSpec]], rng: random.Random) -> None:
    case.agent = True
    files["both_parties_id"] = [_as(f, "agent") for f in _identity(rng, True, "agent_id")]
    case.about = "委托代办，双方身份证齐全"


def _other_persons_id(case: MixCase, item: Item, files: dict[str, list[FileSpec]], rng: random.Random) -> None:
    files["other"] = [_as(f, "other") for f in _identity(rng, True, "other_id")]
    case.expected_verdict, case.expected_reasons = "needs_review", ["name_mismatch"]
    case.about = "多了另一个人的身份证，未选择委托代办"


def _rotated(case: MixCase, item: Item, files: dict[str, list[FileSpec]], rng: random.Random) -> None:
    for spec in (f for group in files.values() for f in group):
        if spec.variant != "born_digital":
            spec.variant = rng.choice(ROTATIONS)
    case.about = "每页都是倒置或横放的扫描件"


def _young_resident(case: MixCase, item: Item, files: dict[str, list[FileSpec]], rng: random.Random) -> None:
    case.options = {"resident_insurance": "true"}
    case.min_age, case.max_age = 30, 58
    case.expected_verdict, case.expected_reasons = "rejected", ["prohibition_hit"]
    case.about = "城乡居民医保参保人员未满60周岁"


def _as(spec: FileSpec, person: str) -> FileSpec:
    spec.person = person
    return spec


Perturb = Callable[[MixCase, Item, dict[str, list[FileSpec]], random.Random], None]
# name → (applies to the item, needs the applicant's identity to be an ID card, what it does)
PERTURBATIONS: dict[str, tuple[Callable[[Item], bool], bool, Perturb]] = {
    "none": (lambda item: True, False, _none),
    # The ID card is the only material of 浙江省 备案: without it there is no case to submit.
    "drop": (lambda item: item.code != "zj_residence", False, _drop),
    "wrong_document": (lambda item: item.reimbursement, False, _wrong_document),
    "unreadable_invoice": (lambda item: item.reimbursement, False, _unreadable_invoice),
    "photocopied_invoice": (lambda item: item.reimbursement, False, _photocopied_invoice),
    "agent_one_id": (lambda item: item.takes_agent, True, _agent_one_id),
    "agent_two_ids": (lambda item: item.takes_agent, True, _agent_two_ids),
    "other_persons_id": (lambda item: True, True, _other_persons_id),
    "rotated": (lambda item: True, False, _rotated),
    # The age is read from the ID card.
    "young_resident": (lambda item: item.code == "fushun_residence", True, _young_resident),
}


def mix_cases(seed0: int, count: int, part: str | None = None) -> list[MixCase]:
    """`count` cases from seeds seed0, seed0 + 1, …; perturbation n is the n-th in turn; `part`: the
    documents drawn by template families of that part of the split ("tune", "held_out" or "unseen")."""
    names = list(PERTURBATIONS)
    return [mix_case(seed0 + n, names[n % len(names)], part) for n in range(count)]


def mix_case(seed: int, perturbation: str, part: str | None = None) -> MixCase:
    applies, id_card_only, perturb = PERTURBATIONS[perturbation]
    rng = random.Random(seed)
    item = rng.choice([i for i in ITEMS if applies(i)])
    files = base_files(item, rng, id_card_only)
    case = MixCase(
        case_id=f"m{seed}_{item.code}_{perturbation}",
        item=item.name,
        region=item.region,
        files=[],
        expected_verdict="complete",
        person_region=item.person_region,
        province=item.province,
        min_age=item.min_age,
        seed=seed,
        item_code=item.code,
        perturbation=perturbation,
        part=part,
    )
    perturb(case, item, files, rng)
    case.files = [f for group in files.values() for f in group]
    _expect_drawn_copies(case, item)
    return case


def original_required(item: Item, case: MixCase, doc_type: str) -> bool:
    """Whether a material of the item that applies to the case takes this document type and only as an
    original (both parties' ID cards where an agent acts: the applicant's card counts there too)."""
    options = {**case.options, "agent": "true" if case.agent else "false"}
    materials = default_catalog().find(item.name, item.region).materials
    return any(
        m.form is MaterialForm.original and m.applies(options) and DocType(doc_type) in m.accepts for m in materials
    )


def _expect_drawn_copies(case: MixCase, item: Item) -> None:
    """A family that draws a copy whatever the capture (synth/families `draws_copy`: a faxed card, a copy
    pasted on a voucher) may draw a document the item wants as an original: the validator then says the
    copy is no original, so a case that was complete goes to a clerk, and any case carries that reason."""
    copies = [
        spec
        for spec in case.files
        if (family := case_family(case, spec)) is not None
        and family.draws_copy
        and original_required(item, case, FAMILY_KINDS[spec.kind][0])
    ]
    if not copies:
        return
    if COPY_REASON not in case.expected_reasons:
        case.expected_reasons = [*case.expected_reasons, COPY_REASON]
    if case.expected_verdict == "complete":
        case.expected_verdict = "needs_review"
        case.about += "；须原件的身份证件是复印件（传真件或粘贴的复印件）"


def _expect_missing_seals(case: MixCase, documents: dict[str, dict[str, Any]]) -> None:
    """A material the item wants sealed (费用清单 加盖医院收费章) whose every document in the case was drawn
    without a red seal to be seen (a family whose design has none, a grey capture or a copy of one): the
    validator names the missing seal (`seal_missing`), so a case that was complete goes to a clerk, and
    any case carries that reason. Only the truth of the files drawn tells, so it is judged on them."""
    options = {**case.options, "agent": "true" if case.agent else "false"}
    drawn = [doc for file in documents.values() for doc in file.get("documents", [])]
    for material in default_catalog().find(case.item, case.region).materials:
        if material.seal is None or not material.applies(options):
            continue
        matched = [doc for doc in drawn if DocType(doc["doc_type"]) in material.accepts]
        if not matched or any(doc.get("has_seal") for doc in matched):
            continue
        if SEAL_REASON not in case.expected_reasons:
            case.expected_reasons = [*case.expected_reasons, SEAL_REASON]
        if case.expected_verdict == "complete":
            case.expected_verdict = "needs_review"
            case.about += f"；{material.name}上没有印章"


def contexts(case: MixCase) -> tuple[Context, Context]:
    """The applicant's paperwork, and a second, different person for agent / other ID cards."""
    applicant = new_context(
        case.seed,
        on=CASE_DATE,
        region_prefix=case.person_region,
        min_age=case.min_age,
        max_age=case.max_age,
        province=case.province,
    )
    applicant.extra["destination"] = "浙江省杭州市"
    seed = case.seed + SECOND_PERSON_SEED
    while True:
        second = new_context(seed, on=CASE_DATE, region_prefix=case.person_region, province=case.province)
        if second.person.name != applicant.person.name and second.person.id_number != applicant.person.id_number:
            return applicant, second
        seed += 1


def as_their_families_draw(case: MixCase, applicant: Context, second: Context) -> tuple[Context, Context]:
    """Each person as drawn by the families of their documents: a family drawing a holder of its own (a
    long minority name) gives that holder to every document of theirs, as one person prints one name."""
    people = {"applicant": applicant, "other": second}
    for spec in case.files:
        family = case_family(case, spec)
        key = "applicant" if spec.person == "applicant" else "other"
        if family is not None and family.holder is not None:
            people[key] = dataclasses.replace(people[key], person=family.holder(people[key].person))
    return people["applicant"], people["other"]


def keeps_original(variant: str) -> bool:
    """Whether a capture leaves an original recognisable as one: not a copy, colour kept."""
    kind = VARIANTS[variant][0]
    return not kind.is_copy and kind.colour


def case_family(case: MixCase, spec: FileSpec) -> Family | None:
    """The template family that draws this file of the case, or None (base generator). One person's
    documents of one type share a family (an ID card's front and back are one card; a form and its
    photocopy one form); the choice is drawn from the case's seed, apart from every other draw."""
    if case.part is None or spec.kind not in FAMILY_KINDS:
        return None
    doc_type = FAMILY_KINDS[spec.kind][0]
    choices = [f for f in families_in(case.part) if f.doc_type == doc_type]
    return random.Random(f"family-{case.seed}-{doc_type}-{spec.person}").choice(choices)


def write_case_file(case: MixCase, spec: FileSpec, ctx: Context, folder: Path, seed: int) -> Written:
    """One file of the case: drawn by its template family when it has one, else by the base generator."""
    family = case_family(case, spec)
    if family is None:
        return write_file(spec, ctx, folder, seed)
    variant = spec.variant
    if variant in ORDINARY_CAPTURES:
        # The case's truth expects an original in colour here: a family capture that copies or drops
        # colour (a photocopy, a grey scan: no original or red seal to be seen) keeps the case's own.
        drawn = random.Random(f"capture-{seed}").choice(family.variants)
        variant = drawn if keeps_original(drawn) else variant
    return family.write(ctx, FAMILY_KINDS[spec.kind][1], variant, folder, spec.stem or spec.kind, seed)


def build_mix(out: Path, cases: Sequence[MixCase]) -> Path:
    """Files under out/cases/<case_id>/, out/cases/manifest.yaml and out/truth/cases/<case_id>.json,
    laid out like samples/; returns the manifest path."""
    cases_dir, truth_dir = out / "cases", out / "truth" / "cases"
    for folder in (cases_dir, truth_dir):
        shutil.rmtree(folder, ignore_errors=True)
    truth_dir.mkdir(parents=True)
    rows: list[dict[str, Any]] = []
    for case in cases:
        applicant, second = as_their_families_draw(case, *contexts(case))
        folder = cases_dir / case.case_id
        documents = {}
        for k, spec in enumerate(case.files):
            ctx = applicant if spec.person == "applicant" else second
            written = write_case_file(case, spec, ctx, folder, case.seed * 100 + k)
            documents[written.path.name] = {**written.truth, "person": spec.person}
        _expect_missing_seals(case, documents)
        row = manifest_row(case, CASE_DATE, list(documents))
        rows.append(row)
        truth = {
            **row,
            "about": case.about,
            "seed": case.seed,
            "perturbation": case.perturbation,
            "part": case.part or "base",
            "expected_verdict": case.expected_verdict,
            "expected_missing": case.expected_missing,
            "expected_reasons": case.expected_reasons,
            "documents": documents,
        }
        (truth_dir / f"{case.case_id}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    manifest = cases_dir / "manifest.yaml"
    cases_dir.mkdir(parents=True, exist_ok=True)
    manifest.write_text(
        "# Generated by synth.case_mix for bench.eval_verdict: one row per case.\n"
        + yaml.safe_dump({"cases": rows}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return manifest
