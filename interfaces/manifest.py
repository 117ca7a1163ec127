"""Batch manifests: which files form which case, for which item.

A manifest is read in UTF-8 (with or without a byte-order mark) or GB18030 (which covers GBK and
GB2312, what Chinese Windows editors save); anything else is refused with one line. Every file a
case names is screened before the batch runs: a path outside the batch folder (absolute, `..`, or
through a link that leads out), a symbolic link, a device or a pipe is left out of the case and
reported with its code, the rest of the case and the batch go on.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePath

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from intake.reasons import Code
from intake.requests import BatchCase
from ocr.loader import path_problem


class ManifestError(Exception):
    """A manifest that cannot be used; the message is one line for the clerk (no document text)."""


@dataclass(frozen=True)
class RefusedFile:
    """A file named as input but never read, and why."""

    file: str
    code: Code
    case_id: str | None = None


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: list[BatchCase]


def decode_manifest(data: bytes) -> str:
    """The manifest's text: UTF-8 with or without BOM, else GB18030. UTF-16/32 (NUL bytes) and bytes
    valid in neither are refused rather than guessed at."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        raise ManifestError("清单文件编码不受支持（请保存为 UTF-8 或 GB18030/GBK）")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ManifestError("清单文件编码不受支持（请保存为 UTF-8 或 GB18030/GBK）")


def parse_manifest(text: str) -> list[BatchCase]:
    """A YAML manifest: `cases: [{case_id, item, region, agent, options, case_date, files}]`,
    files relative to the batch folder. Any fault → `ManifestError` naming where it is."""
    try:
        content = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else "某处"
        raise ManifestError(f"清单不是有效的 YAML（{where}）") from exc
    if not isinstance(content, dict):
        raise ManifestError("清单应为以 cases: 开头的 YAML 映射")
    try:
        manifest = Manifest.model_validate(content)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "cases"
        raise ManifestError(f"清单内容不符合要求：{where}（{first['type']}）；共 {exc.error_count()} 处") from exc
    ids = [c.case_id for c in manifest.cases]
    if len(ids) != len(set(ids)):
        raise ManifestError("清单中有重复的案件编号")
    return manifest.cases


def load_manifest(path: Path) -> list[BatchCase]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"无法读取清单文件：{path}") from exc
    return parse_manifest(decode_manifest(data))


def file_problem(root: Path, name: str) -> Code | None:
    """Why a manifest's file must not be read, or None. Its path must stay inside the batch folder as
    written (no absolute path, no `..`) and once resolved (no link in a folder leading out); the file
    itself must be a regular file, not a link. A missing file is not refused here: the case records it."""
    written = PurePath(name)
    if not name or "\x00" in name or written.is_absolute() or ".." in written.parts:
        return Code.path_outside_batch
    full = root / written
    try:
        problem = path_problem(full)
    except FileNotFoundError:
        problem = None
    except OSError:
        return Code.file_unreadable
    if problem is None and not full.resolve().is_relative_to(root.resolve()):
        return Code.path_outside_batch  # through a linked folder
    return problem


def screen_files(root: Path, cases: list[BatchCase]) -> tuple[list[BatchCase], list[RefusedFile]]:
    """Each case with only the files that may be read; the others with their codes."""
    screened: list[BatchCase] = []
    refused: list[RefusedFile] = []
    for case in cases:
        keep = []
        for name in case.files:
            code = file_problem(root, name)
            if code is None:
                keep.append(name)
            else:
                refused.append(RefusedFile(file=name, code=code, case_id=case.case_id))
        screened.append(case.model_copy(update={"files": keep}))
    return screened, refused


def folder_entries(folder: Path) -> list[Path]:
    """Every entry under a folder that is not a folder itself (links, devices and pipes included, for
    the screen to refuse by name), sorted; hidden entries skipped. Links to folders are not entered."""
    out = []
    for path in sorted(folder.rglob("*")):
        if path.name.startswith(".") or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            out.append(path)
    return out


def cases_from_folders(root: Path, item: str, region: str | None) -> list[BatchCase]:
    """One case per sub-folder, named after it; every file in it belongs to the case (unsupported
    ones too: the case reports them rather than losing them)."""
    cases = []
    for folder in sorted(p for p in root.iterdir() if stat.S_ISDIR(os.lstat(p).st_mode)):
        files = [str(f.relative_to(root)) for f in folder_entries(folder)]
        if files:
            cases.append(BatchCase(case_id=folder.name, item=item, region=region, files=files))
    return cases
