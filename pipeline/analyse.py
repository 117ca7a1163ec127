"""The pipeline's entry points: a file's bytes (an upload) or its path → read pages or extracted documents.

The case flow, the benches, the tests and `intake ocr/classify` all call these; the composition itself is
`pipeline.passes.build_pipe`, nowhere else. Bad input never raises: it comes back as an error document
(or a page whose quality names the error) with a stable code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from classifiers.doc_type import PageClass, classify_page, load_rules
from intake.models import Document, Page, Quality
from intake.reasons import Code, reason
from ocr.loader import InputError, read_input_file
from pipeline.passes import (
    ALL_PASSES,
    READ_AND_CLASSIFY,
    READ_ONLY,
    FileRun,
    PassSwitches,
    ReadingConfig,
    build_pipe,
    run_pipe,
)


def run_file(
    data: bytes,
    source: str,
    config: ReadingConfig,
    switches: PassSwitches = ALL_PASSES,
    case_date: dt.date | None = None,
    sha256: str = "",
) -> FileRun:
    """One file through the switched-on passes; the run keeps pages, documents, page images and timings.
    `sha256`: the content's hash where the caller has it (a stored original), so it is not computed again."""
    run = FileRun(source=source, data=data, sha256=sha256)
    return run_pipe(build_pipe(config, switches, case_date), run)


def error_document(source: str, code: Code, sha256: str | None = None) -> Document:
    """A file that could not be used, kept as a document so the case shows it with its reason."""
    return Document(source=source, sha256=sha256, pages=[], errors=[reason(code)])


def read_documents(data: bytes, source: str, config: ReadingConfig, sha256: str = "") -> FileRun:
    """Read and classified, not yet extracted (what the object-store reading cache keeps): documents
    with their pages, or one error document."""
    run = run_file(data, source, config, READ_AND_CLASSIFY, sha256=sha256)
    if run.error is not None:
        run.documents = [(error_document(source, run.error, run.sha256), [])]
    return run


def read_bytes_pages(data: bytes, source: str, config: ReadingConfig) -> list[Page]:
    """Every page of one file; unusable input → one empty page whose quality names the error."""
    run = run_file(data, source, config, READ_ONLY)
    if run.error is not None:
        return [_error_page(source, run.error)]
    return run.pages


def read_file_pages(path: str, config: ReadingConfig) -> list[Page]:
    """`read_bytes_pages` for a file on disk (`source` is the path as given)."""
    try:
        data = read_input_file(Path(path))
    except InputError as exc:
        return [_error_page(path, exc.code)]
    return read_bytes_pages(data, path, config)


def analyse_bytes(
    data: bytes, source: str, config: ReadingConfig, case_date: dt.date, switches: PassSwitches = ALL_PASSES
) -> list[Document]:
    """One file read, classified, separated into documents and extracted, without Prefect or storage
    (an HTTP upload, evaluations, golden tests). Unusable input → one error document."""
    run = run_file(data, source, config, switches, case_date)
    if run.error is not None:
        return [error_document(source, run.error, run.sha256)]
    return [doc for doc, _ in run.documents]


def analyse_file(path: str, config: ReadingConfig, case_date: dt.date) -> list[Document]:
    """`analyse_bytes` for a file on disk (`source` is the path as given)."""
    try:
        data = read_input_file(Path(path))
    except InputError as exc:
        return [error_document(path, exc.code)]
    return analyse_bytes(data, path, config, case_date)


def read_files(paths: list[str], config: ReadingConfig) -> list[Page]:
    return [page for path in paths for page in read_file_pages(path, config)]


def classify_files(paths: list[str], config: ReadingConfig) -> list[tuple[Page, PageClass]]:
    """Each page's document type on its own (`intake classify`), before pages are joined into documents."""
    rules = load_rules()
    return [(page, classify_page(page, rules)) for page in read_files(paths, config)]


def _error_page(source: str, code: Code) -> Page:
    return Page(source=source, page=1, width=0, height=0, quality=Quality(issues=[code.value]))
