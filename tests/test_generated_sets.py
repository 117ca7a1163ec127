"""Generated sets: a part of the schedule (some kinds, later repeats) is written on the same seeds as the
whole schedule, so extra tuning documents are never evaluation documents and can be made again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synth.people import STAGED_DIAGNOSES
from synth.sets import SPLIT_SEEDS, FileSpec, build_documents, build_generated, generated_specs


def test_a_part_of_the_schedule_has_the_whole_schedule_s_seeds(tmp_path: Path) -> None:
    written = build_generated(tmp_path, "tune", repeat=10, first=9, kinds=["social_security_card"])
    specs = generated_specs()
    expected = {
        f"{spec.kind}_{spec.variant}_{SPLIT_SEEDS['tune'] + 9 * len(specs) + k}"
        for k, spec in enumerate(specs)
        if spec.kind == "social_security_card"
    }
    assert written == len(expected) == 8
    assert {p.name.split(".")[0] for p in (tmp_path / "documents").iterdir()} == expected
    assert len(list((tmp_path / "truth").glob("*.json"))) == written


# The fields the generated sets' variations may change (blank names and numbers, staged diagnoses).
VARIED = {"payer_name", "patient_name", "inpatient_number", "admission_diagnosis", "discharge_diagnosis", "department"}


def _truths(folder: Path) -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


@pytest.mark.parametrize(
    ("kind", "field", "label"),
    [("invoice", "payer_name", "交款人："), ("discharge_record", "inpatient_number", "住院号：")],
)
def test_a_generated_set_prints_some_values_blank_and_moves_no_other_draw(
    tmp_path: Path, kind: str, field: str, label: str
) -> None:
    """GIVEN the same seeds made with and without blanks THEN some (not all) documents print the label with
    nothing after it and say so in their truth ("" for the field), and every other field is as without."""
    specs = [FileSpec(kind, "scan")]
    for varied, name in ((False, "filled"), (True, "blank")):
        build_documents(tmp_path / name, tmp_path / name / "truth", specs, SPLIT_SEEDS["tune"], 12, varied=varied)
    filled, blank = _truths(tmp_path / "filled" / "truth"), _truths(tmp_path / "blank" / "truth")
    blanked = [f for f, truth in blank.items() if truth["documents"][0]["fields"][field] == ""]
    assert 0 < len(blanked) < len(blank) == len(filled) == 12
    for f, truth in blank.items():
        fields, before = truth["documents"][0]["fields"], filled[f]["documents"][0]["fields"]
        others = {k for k in fields if k not in VARIED}
        assert {k: fields[k] for k in others} == {k: before[k] for k in others}
        printed = [line["text"] for line in truth["pages"][0]["lines"]]
        assert (label in printed) == (f in blanked)
        assert (f"{label}{before[field]}" in printed) == (f not in blanked)


def test_a_generated_set_gives_some_discharge_records_a_staged_diagnosis(tmp_path: Path) -> None:
    specs = [FileSpec("discharge_record", "scan")]
    build_documents(tmp_path, tmp_path / "truth", specs, SPLIT_SEEDS["eval"], 10, varied=True)
    diagnoses = [t["documents"][0]["fields"]["discharge_diagnosis"] for t in _truths(tmp_path / "truth").values()]
    staged = {d for d, _ in STAGED_DIAGNOSES}
    assert 0 < sum(d in staged for d in diagnoses) < len(diagnoses)
