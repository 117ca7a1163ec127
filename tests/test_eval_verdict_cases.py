"""Generated sets and cases are reused only when they were made under the current family split: a set
moved from one part to another draws other families under the same file names, seeds and case ids
(`bench.eval_verdict --keep-files`, `bench.eval_docs` on a family set)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import synth.families
from bench import eval_verdict
from synth.families import split_stamp
from synth.sets import SPLIT_STAMP, family_set_current


def _cases(out: Path, ids: list[str], stamp: str | None) -> None:
    (out / "cases").mkdir(parents=True)
    manifest = {"cases": [{"case_id": case_id} for case_id in ids]}
    (out / "cases" / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    if stamp is not None:
        (out / "cases" / "split.sha256").write_text(stamp, encoding="utf-8")


@pytest.fixture
def split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "split.yaml"
    path.write_text("invoice: {tune: [base], held_out: [a], unseen: [b]}\n", encoding="utf-8")
    monkeypatch.setattr(synth.families, "SPLIT_FILE", path)
    return path


def test_cases_are_reused_only_under_the_split_they_were_built_with(tmp_path: Path, split: Path) -> None:
    _cases(tmp_path / "now", ["c1", "c2"], split_stamp())
    _cases(tmp_path / "unstamped", ["c1", "c2"], None)
    assert eval_verdict._built(tmp_path / "now", ["c1", "c2"])
    assert not eval_verdict._built(tmp_path / "now", ["c1", "c3"])
    assert not eval_verdict._built(tmp_path / "unstamped", ["c1", "c2"])
    split.write_text("invoice: {tune: [base], held_out: [a, b], unseen: [c]}\n", encoding="utf-8")
    assert not eval_verdict._built(tmp_path / "now", ["c1", "c2"])


def test_a_family_set_is_current_only_under_the_split_it_was_made_with(tmp_path: Path, split: Path) -> None:
    (tmp_path / "set").mkdir()
    assert not family_set_current(tmp_path / "set")  # made before sets were stamped
    (tmp_path / "set" / SPLIT_STAMP).write_text(split_stamp(), encoding="utf-8")
    assert family_set_current(tmp_path / "set")
    split.write_text("invoice: {tune: [base], held_out: [a, b], unseen: [c]}\n", encoding="utf-8")
    assert not family_set_current(tmp_path / "set")
