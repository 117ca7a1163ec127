"""Batch manifests: encodings, faults as one-line errors, files screened against the batch folder."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from intake.reasons import Code
from interfaces.manifest import (
    ManifestError,
    cases_from_folders,
    decode_manifest,
    load_manifest,
    parse_manifest,
    screen_files,
)

MANIFEST = """cases:
  - case_id: 案件一
    item: 住院费用报销
    files: [张三/发票.jpg]
"""


@pytest.mark.parametrize(
    "data",
    [
        MANIFEST.encode("utf-8"),
        codecs.BOM_UTF8 + MANIFEST.encode("utf-8"),
        MANIFEST.encode("gbk"),
        MANIFEST.encode("gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030"],
)
def test_manifest_encodings_read(data: bytes) -> None:
    cases = parse_manifest(decode_manifest(data))
    assert [(c.case_id, c.item, c.files) for c in cases] == [("案件一", "住院费用报销", ["张三/发票.jpg"])]


@pytest.mark.parametrize(
    "data",
    [MANIFEST.encode("utf-16"), MANIFEST.encode("utf-16-le"), MANIFEST.encode("utf-32"), b"cases: \xff\xfe\x80\x80"],
    ids=["utf-16-bom", "utf-16-no-bom", "utf-32", "invalid-bytes"],
)
def test_other_encodings_refused_with_one_line(data: bytes) -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest(decode_manifest(data))
    assert "\n" not in str(info.value) and "UTF-8" in str(info.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("cases: [", "YAML"),
        ("- just a list", "cases:"),
        ("", "cases:"),
        ("cases:\n  - case_id: a\n    files: [x.jpg]\n", "item"),
        ("cases: []\nextra: 1\n", "extra"),
        ("cases:\n  - {case_id: a, item: x, files: []}\n  - {case_id: a, item: x, files: []}\n", "重复"),
    ],
    ids=["broken-yaml", "not-a-mapping", "empty", "missing-item", "unknown-key", "duplicate-case"],
)
def test_bad_manifests_give_one_line(text: str, words: str) -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest(text)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_missing_manifest_file(tmp_path: Path) -> None:
    with pytest.raises(ManifestError):
        load_manifest(tmp_path / "nope.yaml")


def test_screen_keeps_files_inside_and_refuses_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "batch"
    (root / "a").mkdir(parents=True)
    (root / "a" / "good.png").write_bytes(b"x")
    (root / "a" / "x.jpg").symlink_to("/etc/passwd")
    (root / "a" / "inside-link.jpg").symlink_to(root / "a" / "good.png")
    (root / "out").symlink_to(tmp_path)
    os.mkfifo(root / "a" / "pipe.jpg")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "secret.jpg").write_bytes(b"y")
    text = (
        "cases:\n  - case_id: c1\n    item: 住院费用报销\n    files:\n"
        "      - a/good.png\n      - a/x.jpg\n      - a/inside-link.jpg\n      - a/pipe.jpg\n"
        "      - /etc/hostname\n      - ../other/secret.jpg\n      - a/../../other/secret.jpg\n"
        "      - out/other/secret.jpg\n      - a/missing.jpg\n"
    )
    cases, refused = screen_files(root, parse_manifest(text))
    assert cases[0].files == ["a/good.png", "a/missing.jpg"]  # a missing file is the case's to report
    assert {(r.file, r.code) for r in refused} == {
        ("a/x.jpg", Code.file_symlink),
        ("a/inside-link.jpg", Code.file_symlink),
        ("a/pipe.jpg", Code.file_not_regular),
        ("/etc/hostname", Code.path_outside_batch),
        ("../other/secret.jpg", Code.path_outside_batch),
        ("a/../../other/secret.jpg", Code.path_outside_batch),
        ("out/other/secret.jpg", Code.path_outside_batch),
    }
    assert {r.case_id for r in refused} == {"c1"}


def test_folder_cases_list_links_and_pipes_for_the_screen(tmp_path: Path) -> None:
    """GIVEN a case folder with a link to /etc/passwd and a pipe WHEN cases are made from folders THEN
    both are named in the case (so the screen refuses them by code) and the link is not followed."""
    (tmp_path / "c1").mkdir()
    (tmp_path / "c1" / "发票 1.jpg").write_bytes(b"x")
    (tmp_path / "c1" / "x.jpg").symlink_to("/etc/passwd")
    (tmp_path / "c1" / "etc").symlink_to("/etc")
    (tmp_path / "c1" / ".hidden").write_bytes(b"x")
    os.mkfifo(tmp_path / "c1" / "pipe.png")
    cases = cases_from_folders(tmp_path, "住院费用报销", None)
    assert cases[0].files == ["c1/etc", "c1/pipe.png", "c1/x.jpg", "c1/发票 1.jpg"]
    screened, refused = screen_files(tmp_path, cases)
    assert screened[0].files == ["c1/发票 1.jpg"]
    assert [r.code for r in refused] == [Code.file_symlink, Code.file_not_regular, Code.file_symlink]
