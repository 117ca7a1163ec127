"""The generated case mix behind `make eval-verdict`: deterministic by seed, and each perturbation's
expected verdict follows from the files it leaves (no OCR here: the evaluation runs the pipeline)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import pytest
import yaml

from intake.catalog import default_catalog
from intake.idnumber import age_on, is_valid
from intake.models import DocType
from synth.case_mix import (
    CASE_DATE,
    FAMILY_KINDS,
    PERTURBATIONS,
    MixCase,
    _expect_missing_seals,
    build_mix,
    case_family,
    contexts,
    keeps_original,
    mix_cases,
)
from synth.families import family_split
from synth.people import years_after
from synth.sets import CaseSpec, FileSpec

SEED = 950_000
ROUNDS = 4  # cases per perturbation in the sample the tests look at
CASES = mix_cases(SEED, ROUNDS * len(PERTURBATIONS))
KIND_TYPES = {
    "invoice": DocType.invoice,
    "invoice_outpatient": DocType.invoice,
    "einvoice_outpatient": DocType.invoice,
    "discharge_record": DocType.discharge_record,
    "expense_list": DocType.expense_list,
    "expense_list_outpatient": DocType.expense_list,
    "id_front": DocType.id_card,
    "id_front_card": DocType.id_card,
    "id_back": DocType.id_card,
    "id_back_card": DocType.id_card,
    "social_security_card": DocType.social_security_card,
    "filing_form_fushun": DocType.filing_form,
    "commitment": DocType.residence_proof,
    "medical_record": DocType.medical_record,
}
UNREADABLE = ("blurred", "dark")


def photos(case: MixCase) -> bool:
    """Phone photos take seconds to render: the tests that write files use cases without them."""
    return any(f.variant == "photo" for f in case.files)


def test_same_seed_same_cases_and_case_n_whatever_the_count() -> None:
    assert mix_cases(SEED, len(CASES)) == CASES
    assert mix_cases(SEED, 5) == CASES[:5]
    assert all(isinstance(c, CaseSpec) for c in CASES)
    assert len({c.case_id for c in CASES}) == len(CASES)


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    small = [c for c in CASES if c.item_code == "zj_residence" and not photos(c)][:1]

    def digests(root: Path) -> dict[str, str]:
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    build_mix(tmp_path / "a", small)
    build_mix(tmp_path / "b", small)
    assert digests(tmp_path / "a") == digests(tmp_path / "b")


def test_every_perturbation_is_dealt_evenly() -> None:
    assert Counter(c.perturbation for c in CASES) == {p: ROUNDS for p in PERTURBATIONS}


def missing_by_the_catalog(case: MixCase) -> list[str]:
    """Required materials no readable file of the case covers (both parties' ID: two people)."""
    item = default_catalog().find(case.item, case.region)
    options = {**case.options, "agent": "true" if case.agent else "false"}
    readable = [f for f in case.files if f.variant not in UNREADABLE]
    missing = []
    for material in item.materials:
        if not material.applies(options):
            continue
        matching = [f for f in readable if KIND_TYPES[f.kind] in material.accepts]
        covered = len({f.person for f in matching}) if material.distinct_people else len(matching)
        if covered < material.min_count:
            missing.append(material.name)
    return missing


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.case_id)
def test_expected_missing_follows_from_the_files(case: MixCase) -> None:
    assert case.expected_missing == missing_by_the_catalog(case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.case_id)
def test_each_perturbation_has_its_verdict(case: MixCase) -> None:
    invoices = [f for f in case.files if KIND_TYPES[f.kind] is DocType.invoice]
    people = {f.person for f in case.files}
    expected = (case.expected_verdict, case.expected_reasons)
    match case.perturbation:
        case "none" | "rotated" | "agent_two_ids":
            assert expected == ("complete", []) and not case.expected_missing
            if case.perturbation == "rotated":
                assert all(f.variant.startswith("rotated") or f.variant == "born_digital" for f in case.files)
            if case.perturbation == "agent_two_ids":
                assert case.agent and people == {"applicant", "agent"}
                assert any(f.kind.startswith("id_front") for f in case.files if f.person == "agent")
        case "drop":
            assert expected == ("incomplete", []) and len(case.expected_missing) == 1
        case "wrong_document":
            assert not invoices and any(f.kind == "medical_record" and f.stem == "invoice" for f in case.files)
            # A second 门诊病历 is expected for 门诊费用报销; only 住院 calls it unexpected.
            codes = ["unexpected_document"] if case.item == "住院费用报销" else []
            assert expected == ("incomplete", codes)
        case "unreadable_invoice":
            assert [f.variant for f in invoices] in (["blurred"], ["dark"])
            code = "image_blurred" if invoices[0].variant == "blurred" else "image_too_dark"
            assert expected == ("needs_review", [code])
        case "photocopied_invoice":
            assert [f.variant for f in invoices] == ["photocopy"] and not case.expected_missing
            assert expected == ("needs_review", ["copy_not_original"])
        case "agent_one_id":
            assert case.agent and people == {"applicant"}
            assert expected == ("incomplete", []) and case.expected_missing == ["委托他人办理的提供双方身份证件原件"]
        case "other_persons_id":
            assert not case.agent and people == {"applicant", "other"}
            assert expected == ("needs_review", ["name_mismatch"])
        case "young_resident":
            assert case.region == "辽宁省抚顺市" and case.options == {"resident_insurance": "true"}
            assert expected == ("rejected", ["prohibition_hit"])
        case _:
            pytest.fail(f"no expectation for {case.perturbation}")


def test_perturbations_needing_an_id_card_get_one() -> None:
    for case in CASES:
        if case.perturbation in ("agent_one_id", "agent_two_ids", "other_persons_id", "young_resident"):
            assert any(KIND_TYPES[f.kind] is DocType.id_card for f in case.files if f.person == "applicant")


def test_second_person_is_someone_else_with_a_valid_id() -> None:
    for case in CASES[:12]:
        applicant, second = contexts(case)
        assert is_valid(applicant.person.id_number) and is_valid(second.person.id_number)
        assert applicant.person.name != second.person.name
        assert applicant.person.id_number != second.person.id_number


def test_fushun_residents_are_over_sixty_unless_the_case_says_otherwise() -> None:
    fushun = [c for c in CASES if c.region == "辽宁省抚顺市"]
    assert any(c.perturbation == "young_resident" for c in fushun) and any(
        c.perturbation != "young_resident" for c in fushun
    )
    for case in fushun:
        age = age_on(contexts(case)[0].person.id_number, CASE_DATE)
        assert (age < 60) == (case.perturbation == "young_resident")


def test_manifest_and_truth_match_the_case(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.perturbation == "agent_two_ids" and not photos(c))
    manifest = build_mix(tmp_path, [case])
    row = yaml.safe_load(manifest.read_text(encoding="utf-8"))["cases"][0]
    assert row["case_id"] == case.case_id and row["agent"] is True and len(row["files"]) == len(case.files)
    assert all((manifest.parent / name).is_file() for name in row["files"])
    truth = yaml.safe_load((tmp_path / "truth" / "cases" / f"{case.case_id}.json").read_text(encoding="utf-8"))
    assert truth["expected_verdict"] == "complete" and truth["perturbation"] == "agent_two_ids"
    names = {d["documents"][0]["fields"].get("name") for d in truth["documents"].values()} - {None}
    assert len(names) == 2  # the applicant and the agent, each on their own ID card


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        ("2016-02-29", 10, "2026-02-28"),  # a card issued on a leap day, valid to a common year
        ("2016-02-29", 20, "2036-02-29"),
        ("2025-06-01", -40, "1985-06-01"),
    ],
)
def test_a_card_s_term_ends_on_a_day_the_calendar_has(day: str, years: int, expected: str) -> None:
    # Generating the tuning set's repeats past 8 failed on a person whose card was issued on 29 February.
    assert years_after(dt.date.fromisoformat(day), years) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("part", ["tune", "held_out"])
def test_family_cases_draw_every_family_document_from_their_part(part: str) -> None:
    """GIVEN cases of one part of the family split WHEN their files are assigned families THEN each
    document a family draws comes from a family of that part, one card's sides and one person's
    documents of a type from one family, and the rest stay the base generator's."""
    cases = mix_cases(970_000, 2 * len(PERTURBATIONS), part)
    assert [(c.item_code, c.perturbation) for c in cases] == [
        (c.item_code, c.perturbation) for c in mix_cases(970_000, len(cases))
    ]
    drawn = 0
    for case in cases:
        chosen: dict[tuple[str, str], str] = {}
        for spec in case.files:
            family = case_family(case, spec)
            if spec.kind not in FAMILY_KINDS:
                assert family is None
                continue
            assert family is not None
            drawn += 1
            assert family.name in getattr(family_split()[family.doc_type], part)
            key = (family.doc_type, spec.person)
            assert chosen.setdefault(key, family.name) == family.name
    assert drawn > len(cases)
    assert all(case_family(c, f) is None for c in mix_cases(970_000, 5) for f in c.files)


def test_a_family_case_writes_its_families_into_the_truth(tmp_path: Path) -> None:
    """A held-out case's family-drawn files carry their family's name; a perturbation's variant stays."""
    case = next(c for c in mix_cases(970_000, 40, "held_out") if c.perturbation == "rotated" and not photos(c))
    build_mix(tmp_path, [case])
    truth = yaml.safe_load((tmp_path / "truth" / "cases" / f"{case.case_id}.json").read_text(encoding="utf-8"))
    for spec in case.files:
        written = next(d for d in truth["documents"].values() if d["file"].startswith(spec.stem))
        if spec.kind in FAMILY_KINDS:
            assert "family" in written
        if spec.variant.startswith("rotated"):
            assert written["variant"] == spec.variant


def test_a_family_capture_never_turns_an_expected_original_into_a_copy() -> None:
    """GIVEN families whose files reach the office as photocopies or grey scans WHEN a case's ordinary
    capture is replaced by the family's THEN the file stays an original in colour, so the case's
    expected verdict still follows from its files."""
    assert keeps_original("scan") and keeps_original("clean") and keeps_original("photo")
    assert not keeps_original("photocopy") and not keeps_original("scanned_grey")
    assert not keeps_original("photocopy_colour")


NAME_FIELDS = ("name", "payer_name", "patient_name", "applicant_name")


def test_a_family_drawing_its_own_holder_gives_that_name_to_every_document_of_theirs(tmp_path: Path) -> None:
    """GIVEN a held-out case whose applicant's card comes from a family drawing a holder of its own (a
    long minority name) WHEN the case is written THEN every document of the applicant prints that one
    name: one person, one name, so a name mismatch in the verdict is the reader's, never the truth's."""

    def holder_drawn(case: MixCase, spec: FileSpec) -> bool:
        family = case_family(case, spec)
        return family is not None and family.holder is not None and spec.person == "applicant"

    def other_document(case: MixCase) -> bool:
        return any(s.person == "applicant" and not s.kind.startswith("id_") for s in case.files)

    # Each set moved to held-out dilutes the draw of a card family; 600 cases hold several such cases.
    case = next(
        c
        for c in mix_cases(970_000, 600, "held_out")
        if c.perturbation == "agent_one_id" and any(holder_drawn(c, s) for s in c.files) and other_document(c)
    )
    build_mix(tmp_path, [case])
    truth = yaml.safe_load((tmp_path / "truth" / "cases" / f"{case.case_id}.json").read_text(encoding="utf-8"))
    applicant = [
        value
        for entry in truth["documents"].values()
        if entry["person"] == "applicant"
        for document in entry["documents"]
        for key, value in document["fields"].items()
        if key in NAME_FIELDS
    ]
    assert len(applicant) >= 2  # the card and at least one other document
    assert len(set(applicant)) == 1 and "·" in applicant[0]


def _first_complete_inpatient() -> MixCase:
    return next(c for c in mix_cases(950000, 40) if c.item == "住院费用报销" and c.expected_verdict == "complete")


@pytest.mark.parametrize("list_sealed", [True, False])
def test_a_case_whose_list_was_drawn_without_its_seal_expects_the_missing_seal(list_sealed: bool) -> None:
    """GIVEN a complete 住院 case whose 费用清单 (须加盖医院收费章) was drawn with or without a red seal
    WHEN its truth is written THEN without one it expects needs_review with seal_missing, with one it
    stays complete."""
    case = _first_complete_inpatient()
    documents = {
        "invoice.jpg": {"documents": [{"doc_type": "invoice", "has_seal": True}]},
        "expense_list.jpg": {"documents": [{"doc_type": "expense_list", "has_seal": list_sealed}]},
    }
    _expect_missing_seals(case, documents)
    if list_sealed:
        assert (case.expected_verdict, case.expected_reasons) == ("complete", [])
    else:
        assert (case.expected_verdict, case.expected_reasons) == ("needs_review", ["seal_missing"])
