"""Generated sets: a part of the schedule (some kinds, later repeats) is written on the same seeds as the
whole schedule, so extra tuning documents are never evaluation documents and can be made again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from synth.sets import BLANK_NAME_SHARE, SPLIT_SEEDS, FileSpec, build_documents, build_generated, generated_specs


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


def _truths(folder: Path) -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def test_a_generated_set_prints_some_names_blank_and_moves_no_other_draw(tmp_path: Path) -> None:
    """GIVEN the same invoice seeds made with and without blank names THEN some (not all) print 交款人： with
    nothing after it and say so in their truth, and every other field is the same as without."""
    specs = [FileSpec("invoice", "scan")]
    for share, name in ((0.0, "named"), (BLANK_NAME_SHARE, "blank")):
        build_documents(tmp_path / name, tmp_path / name / "truth", specs, SPLIT_SEEDS["tune"], 12, blank_names=share)
    named, blank = _truths(tmp_path / "named" / "truth"), _truths(tmp_path / "blank" / "truth")
    blanked = [f for f, truth in blank.items() if truth["documents"][0]["fields"]["payer_name"] == ""]
    assert 0 < len(blanked) < len(blank) == len(named) == 12
    for f, truth in blank.items():
        fields, before = truth["documents"][0]["fields"], named[f]["documents"][0]["fields"]
        assert {k: v for k, v in fields.items() if k != "payer_name"} == {
            k: v for k, v in before.items() if k != "payer_name"
        }
        printed = [line["text"] for line in truth["pages"][0]["lines"]]
        assert ("交款人：" in printed) == (f in blanked)
        assert (f"交款人：{before['payer_name']}" in printed) == (f not in blanked)
