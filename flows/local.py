"""Stages composed without Prefect or storage, for quick looks from the command line (`intake ocr`,
`intake classify`). The case and batch flows are the production path."""

from __future__ import annotations

from pathlib import Path

from classifiers.doc_type import PageClass, classify_page, load_rules
from intake.models import Page, Quality
from intake.reasons import Code
from intake.settings import Settings
from ocr.engine import get_engine
from ocr.loader import InputError, load_pages
from ocr.preprocess import PreprocessSettings
from ocr.reader import read_page


def read_file_pages(path: str, settings: Settings) -> list[Page]:
    """Every page of one file; an unreadable file → one empty page whose quality names the error."""
    try:
        raw_pages = load_pages(Path(path).read_bytes(), settings.limits)
    except InputError as exc:
        return [Page(source=path, page=1, width=0, height=0, quality=Quality(issues=[exc.code.value]))]
    except OSError:
        return [Page(source=path, page=1, width=0, height=0, quality=Quality(issues=[Code.file_unreadable.value]))]
    engine = get_engine(settings.ocr)
    prep = PreprocessSettings()
    return [read_page(raw, path, engine, prep) for raw in raw_pages]


def read_files(paths: list[str], settings: Settings) -> list[Page]:
    return [page for path in paths for page in read_file_pages(path, settings)]


def classify_files(paths: list[str], settings: Settings) -> list[tuple[Page, PageClass]]:
    rules = load_rules()
    return [(page, classify_page(page, rules)) for page in read_files(paths, settings)]
