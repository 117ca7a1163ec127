"""Batch manifests: which files form which case, for which item."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from intake.requests import BatchCase


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: list[BatchCase]


def load_manifest(path: Path) -> list[BatchCase]:
    """A YAML manifest: `cases: [{case_id, item, region, agent, options, case_date, files}]`,
    files relative to the batch folder."""
    manifest = Manifest.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    ids = [c.case_id for c in manifest.cases]
    if len(ids) != len(set(ids)):
        raise ValueError("清单中有重复的案件编号")
    return manifest.cases


def cases_from_folders(root: Path, item: str, region: str | None) -> list[BatchCase]:
    """One case per sub-folder, named after it; every file in it belongs to the case (unsupported
    ones too: the case reports them rather than losing them)."""
    cases = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = [
            str(f.relative_to(root)) for f in sorted(folder.rglob("*")) if f.is_file() and not f.name.startswith(".")
        ]
        if files:
            cases.append(BatchCase(case_id=folder.name, item=item, region=region, files=files))
    return cases
