"""`bench.eval_verdict --keep-files` reuses generated cases only when they were built under the current
family split: a set moved from one part to another draws other families under the same case ids."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench import eval_verdict


def _cases(out: Path, ids: list[str], stamp: str | None) -> None:
    (out / "cases").mkdir(parents=True)
    manifest = {"cases": [{"case_id": case_id} for case_id in ids]}
    (out / "cases" / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    if stamp is not None:
        (out / "cases" / "split.sha256").write_text(stamp, encoding="utf-8")


def test_cases_are_reused_only_under_the_split_they_were_built_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    split = tmp_path / "split.yaml"
    split.write_text("invoice: {tune: [base], held_out: [a], unseen: [b]}\n", encoding="utf-8")
    monkeypatch.setattr(eval_verdict, "SPLIT_FILE", split)
    _cases(tmp_path / "now", ["c1", "c2"], eval_verdict._split_stamp())
    _cases(tmp_path / "unstamped", ["c1", "c2"], None)
    assert eval_verdict._built(tmp_path / "now", ["c1", "c2"])
    assert not eval_verdict._built(tmp_path / "now", ["c1", "c3"])
    assert not eval_verdict._built(tmp_path / "unstamped", ["c1", "c2"])
    split.write_text("invoice: {tune: [base], held_out: [a, b], unseen: [c]}\n", encoding="utf-8")
    assert not eval_verdict._built(tmp_path / "now", ["c1", "c2"])
