"""Generated sets: a part of the schedule (some kinds, later repeats) is written on the same seeds as the
whole schedule, so extra tuning documents are never evaluation documents and can be made again."""

from __future__ import annotations

from pathlib import Path

from synth.sets import SPLIT_SEEDS, build_generated, generated_specs


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
