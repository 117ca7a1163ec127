"""The pipeline as a list of named passes over one file (docling's `build_pipe`): load → read → classify →
extract. Each pass has a name and its own options, can be switched off, and has its time recorded.

A pass fills in a `FileRun`; a pass that finds the file unusable sets `FileRun.error` and the later passes
do not run. Timings are seconds per pass name: one entry per page for `read` (pages are read one by one),
one entry per file for the others (classification separates documents across pages, extraction runs per
document).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from typing import Protocol

from classifiers.doc_type import load_rules
from classifiers.documents import ClassifierRules, build_documents, page_marks
from classifiers.image_rules import load_image_rules
from extractors.extract import extract_document
from extractors.layout import field_labels
from intake.models import Document, Page
from intake.reasons import Code
from intake.settings import InputLimits, InstantReading, OcrOptions, PreprocessSettings, RapidOcrOptions
from ocr.engine import get_engine
from ocr.loader import InputError, RawPage, load_pages
from ocr.reader import blocking, read_page


class ReadingConfig(Protocol):
    """What reading a file depends on: `Settings` and the flows' `RunSettings` both carry it."""

    @property
    def ocr(self) -> OcrOptions: ...

    @property
    def limits(self) -> InputLimits: ...

    @property
    def preprocess(self) -> PreprocessSettings: ...


@dataclass(frozen=True)
class Reading:
    """A `ReadingConfig` of its own (the instant pass's, derived from the settings')."""

    ocr: OcrOptions
    limits: InputLimits
    preprocess: PreprocessSettings


@dataclass
class FileRun:
    """One file as the passes fill it in. `documents` pairs each document with its own pages."""

    source: str
    data: bytes
    sha256: str = ""
    raw_pages: list[RawPage] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    documents: list[tuple[Document, list[Page]]] = field(default_factory=list)
    error: Code | None = None
    timings: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sha256 = self.sha256 or hashlib.sha256(self.data).hexdigest()


class PagePass(Protocol):
    @property
    def name(self) -> str: ...

    def __call__(self, run: FileRun) -> None: ...


@dataclass(frozen=True)
class LoadPass:
    """Bytes → page images (PDF pages rendered, text layers kept); bad input → `run.error`, a stable code."""

    limits: InputLimits
    name: str = "load"

    def __call__(self, run: FileRun) -> None:
        try:
            run.raw_pages = load_pages(run.data, self.limits)
        except InputError as exc:
            run.error = exc.code


@dataclass(frozen=True)
class ReadPass:
    """Each page image → a read page (preprocessing, quality gate, OCR or the text layer, then the red seals
    found and, unless `seal_text` is off, their text read, and the copy assessment), timed per page. Seals and
    copy are judged here, while the image is in memory: they are reading work (the engine reads seal text),
    done once per page and kept with the page. A page the quality gate refused is not judged (it is not
    classified either)."""

    ocr: OcrOptions
    preprocess: PreprocessSettings
    second_looks: bool = True
    seal_text: bool = True
    name: str = "read"

    def __call__(self, run: FileRun) -> None:
        engine = get_engine(self.ocr)
        labels = field_labels()
        image_rules = load_image_rules()
        seconds = run.timings.setdefault(self.name, [])
        for raw in run.raw_pages:
            started = time.perf_counter()
            page = read_page(raw, run.source, engine, self.preprocess, labels, self.second_looks)
            if not blocking(page.quality):
                seals, copy = page_marks(raw.image, image_rules, engine if self.seal_text else None)
                page = page.model_copy(update={"seals": seals, "copy_assessment": copy})
            run.pages.append(page)
            seconds.append(time.perf_counter() - started)


@dataclass(frozen=True)
class ClassifyPass:
    """Read pages → documents: type and side per page, pages of one document joined, seal and copy taken
    from what the reading found on each page's image."""

    name: str = "classify"

    def __call__(self, run: FileRun) -> None:
        rules = ClassifierRules(doc_types=load_rules(), image=load_image_rules())
        run.documents = build_documents(run.source, run.sha256, run.pages, rules)


@dataclass(frozen=True)
class ExtractPass:
    """Each document → its fields and self-checks; dates are judged against the case date."""

    case_date: dt.date
    name: str = "extract"

    def __call__(self, run: FileRun) -> None:
        run.documents = [(extract_fields(doc, pages, self.case_date), pages) for doc, pages in run.documents]


def extract_fields(doc: Document, pages: list[Page], case_date: dt.date) -> Document:
    """One document with its fields and self-checks; an error document or one without pages as it is."""
    if doc.errors or not pages:
        return doc
    fields, checks = extract_document(doc, pages, case_date)
    return doc.model_copy(update={"fields": fields, "checks": [*doc.checks, *checks]})


@dataclass(frozen=True)
class PassSwitches:
    """Which passes run after loading, and how deep. Reading pages only (`intake ocr`): classify and
    extract off; reading documents for the object-store cache: extract off (it depends on the case date).
    The service's instant answer (`instant_pass`): the reader's second looks and the seals' text off."""

    read: bool = True
    classify: bool = True
    extract: bool = True
    second_looks: bool = True
    seal_text: bool = True


ALL_PASSES = PassSwitches()
READ_ONLY = PassSwitches(classify=False, extract=False)
READ_AND_CLASSIFY = PassSwitches(extract=False)


def instant_pass(config: ReadingConfig, instant: InstantReading) -> tuple[Reading, PassSwitches]:
    """The same passes, lighter, for an upload's instant answer: the detector at no more than
    `instant.max_side_len`, the int8 recogniser's doubtful lines not read again in fp32, and the second
    looks and seal text as `instant` says. The quality gate, classification and extraction run as in the
    full reading, so re-shoot reasons and the document's type and side are judged the same way
    (tests/test_instant.py holds them equal on the samples)."""
    update: dict[str, object] = {"max_side_len": min(config.ocr.max_side_len, instant.max_side_len)}
    if isinstance(config.ocr, RapidOcrOptions):
        update["recheck_below"] = min(config.ocr.recheck_below, instant.recheck_below)
    reading = Reading(ocr=config.ocr.model_copy(update=update), limits=config.limits, preprocess=config.preprocess)
    return reading, PassSwitches(second_looks=instant.second_looks, seal_text=instant.seal_text)


def build_pipe(config: ReadingConfig, switches: PassSwitches, case_date: dt.date | None = None) -> list[PagePass]:
    """The passes to run, in order. Extraction needs the case date and the classified documents."""
    pipe: list[PagePass] = [LoadPass(config.limits)]
    if switches.read:
        pipe.append(ReadPass(config.ocr, config.preprocess, switches.second_looks, switches.seal_text))
    if switches.read and switches.classify:
        pipe.append(ClassifyPass())
        if switches.extract:
            if case_date is None:
                raise ValueError("extraction needs the case date")
            pipe.append(ExtractPass(case_date))
    return pipe


def run_pipe(pipe: list[PagePass], run: FileRun) -> FileRun:
    """Each pass in turn until one finds the file unusable; a pass's time is recorded under its name
    unless it recorded its own (per page)."""
    for step in pipe:
        if run.error is not None:
            break
        started = time.perf_counter()
        step(run)
        run.timings.setdefault(step.name, [time.perf_counter() - started])
    return run
