"""The generated case mix behind `make eval-verdict`: deterministic, and each perturbation does what
its expected verdict claims (no OCR here: the evaluation itself runs the pipeline)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from extractors.idnumber import age_on, is_valid
from synth.build import new_context
from synth.case_mix import CASE_DATE, PERTURBATIONS, build_mix, mix_cases


def test_same_seed_same_cases_and_bytes(tmp_path: Path) -> None:
    first, second = mix_cases(950_000, 6), mix_cases(950_000, 6)
    assert [(c.case_id, c.expected, [f.kind for f in c.files]) for c in first] == [
        (c.case_id, c.expected, [f.kind for f in c.files]) for c in second
    ]
    build_mix(tmp_path / "a", first[:2])
    build_mix(tmp_path / "b", second[:2])

    def digests(root: Path) -> dict[str, str]:
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    assert digests(tmp_path / "a") == digests(tmp_path / "b")


def test_every_perturbation_appears_with_its_verdict() -> None:
    cases = mix_cases(950_000, 2 * len(PERTURBATIONS))
    assert {c.perturbation for c in cases} == set(PERTURBATIONS)
    expected = {c.perturbation: c.expected for c in cases}
    assert expected["none"] == "complete"
    assert expected["drop"] == "incomplete"
    assert expected["young_resident"] == "rejected"
    assert expected["other_persons_id"] == "needs_review"
    for case in cases:
        if case.perturbation == "drop":
            kept = {f.stem for f in case.files}
            assert len(case.files) == len(case.base.files) - 1
            assert case.expected_missing == [case.base.droppable[s] for s in case.base.droppable if s not in kept]
        if case.perturbation == "agent_two_ids":
            assert case.agent and [f.person for f in case.files].count("agent") == 1


def test_young_resident_is_under_sixty_with_a_valid_id(tmp_path: Path) -> None:
    case = next(c for c in mix_cases(950_000, 3 * len(PERTURBATIONS)) if c.perturbation == "young_resident")
    manifest = build_mix(tmp_path, [case])
    row = yaml.safe_load(manifest.read_text(encoding="utf-8"))["cases"][0]
    assert row["options"] == {"resident_insurance": "true"} and row["region"] == "辽宁省抚顺市"
    ctx = new_context(
        case.seed, on=CASE_DATE, region_prefix="21", min_age=case.min_age, max_age=case.max_age, province="辽宁省"
    )
    assert is_valid(ctx.person.id_number) and age_on(ctx.person.id_number, CASE_DATE) < 60
