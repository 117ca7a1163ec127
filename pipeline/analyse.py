"""Stages composed without Prefect or storage, for quick looks from the command line (`intake ocr`,
`intake classify`). The case and batch flows are the production path."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from classifiers.doc_type import PageClass, classify_page, load_rules
from classifiers.documents import ClassifierRules, build_documents
from classifiers.image_rules import load_image_rules
from extractors.extract import extract_document
from extractors.layout import field_labels
from intake.models import Document, Page, Quality
from intake.reasons import Code, reason
from intake.settings import Settings
from ocr.engine import get_engine
from ocr.loader import InputError, load_pages
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
    prep = settings.preprocess
    return [read_page(raw, path, engine, prep, field_labels()) for raw in raw_pages]


def analyse_file(path: str, settings: Settings, case_date: dt.date) -> list[Document]:
    """One file read, classified, separated into documents and extracted, as the case flow does it
    but without Prefect or storage (evaluations, golden tests). Bad input → one error document."""
    data = Path(path).read_bytes()
    try:
        raw_pages = load_pages(data, settings.limits)
    except InputError as exc:
        return [Document(source=path, pages=[], errors=[reason(exc.code)])]
    engine = get_engine(settings.ocr)
    prep = settings.preprocess
    pages = [read_page(raw, path, engine, prep, field_labels()) for raw in raw_pages]
    rules = ClassifierRules(doc_types=load_rules(), image=load_image_rules())
    digest = hashlib.sha256(data).hexdigest()
    documents = build_documents(path, digest, pages, {r.page: r.image for r in raw_pages}, rules, engine)
    out = []
    for doc, doc_pages in documents:
        if not doc.errors and doc_pages:
            fields, checks = extract_document(doc, doc_pages, case_date)
            doc = doc.model_copy(update={"fields": fields, "checks": [*doc.checks, *checks]})
        out.append(doc)
    return out


def read_files(paths: list[str], settings: Settings) -> list[Page]:
    return [page for path in paths for page in read_file_pages(path, settings)]


def classify_files(paths: list[str], settings: Settings) -> list[tuple[Page, PageClass]]:
    rules = load_rules()
    return [(page, classify_page(page, rules)) for page in read_files(paths, settings)]
