"""The case flow: store originals first, then read, classify, extract, judge and store the verdict.

The object store is the hand-off between tasks: a task gets an original by key, never a local
path, so tasks can run on other machines. Reading a file is cached by its content hash.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import cv2
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext

from classifiers.doc_type import load_rules
from classifiers.documents import ClassifierRules, build_documents
from classifiers.image_rules import load_image_rules
from extractors.extract import extract_document
from extractors.layout import field_labels
from intake.catalog import default_catalog
from intake.models import Case, Document, Page, Reason, StoredOriginal
from intake.reasons import Code, reason
from intake.requests import CaseRequest, CaseResult, InputRef, ItemRef, StorageRef
from intake.settings import Settings
from ocr.engine import get_engine
from ocr.loader import InputError, content_type, load_pages
from ocr.reader import read_page
from storage import layout
from storage.store import StorageUnavailable, store_for
from validators.verdict import Thresholds, judge

ROOT = Path(__file__).resolve().parent.parent


@cache
def reading_fingerprint() -> str:
    """The code and rules a reading depends on: a cached reading is reused only while they are
    unchanged (a new OCR, preprocessing or classifier release reads every file again)."""
    digest = hashlib.sha256()
    for folder in ("ocr", "classifiers"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".yaml"):
                digest.update(path.read_bytes())
    # The labels the reader looks again after; the rest of the field rules is extraction's, not reading's.
    digest.update("\n".join(sorted(field_labels())).encode())
    return digest.hexdigest()[:12]


def case_id_for(item_id: str, hashes: list[str]) -> str:
    digest = hashlib.sha256((item_id + ":" + ",".join(sorted(hashes))).encode()).hexdigest()
    return f"case-{digest[:16]}"


@task(name="store-original", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def store_original(ref: InputRef, settings: Settings) -> StoredOriginal | Reason:
    """Before anything else, the original is kept byte-identical under its hash."""
    store = store_for(settings)
    if ref.key is not None:
        data = store.get_bytes(ref.key)
    else:
        assert ref.path is not None
        try:
            # Oversized files are stored too (nothing vanishes); the reader refuses them later.
            data = Path(ref.path).read_bytes()
        except OSError:
            return reason(Code.file_unreadable, ref.source)
    stored, _ = store.put_original(data, ref.source, content_type(data))
    return stored


def _reading_key(context: TaskRunContext, parameters: dict[str, object]) -> str:
    stored = parameters["stored"]
    assert isinstance(stored, StoredOriginal)
    settings = parameters["settings"]
    assert isinstance(settings, Settings)
    config = settings.ocr.model_dump_json() + settings.limits.model_dump_json() + settings.preprocess.model_dump_json()
    config_digest = hashlib.sha256(config.encode()).hexdigest()[:12]
    return f"read-{reading_fingerprint()}-{stored.sha256}-{config_digest}"


@task(name="read-file", cache_key_fn=_reading_key, persist_result=True, retries=1)
def read_file(stored: StoredOriginal, settings: Settings) -> list[tuple[Document, list[Page]]]:
    """One original → classified documents with their read pages; bad input → an error document."""
    store = store_for(settings)
    data = store.get_bytes(stored.key)
    try:
        raw_pages = load_pages(data, settings.limits)
    except InputError as exc:
        doc = Document(source=stored.source, sha256=stored.sha256, pages=[], errors=[reason(exc.code)])
        return [(doc, [])]
    engine = get_engine(settings.ocr)
    prep = settings.preprocess
    pages = [read_page(raw, stored.source, engine, prep, field_labels()) for raw in raw_pages]
    for raw in raw_pages:
        ok, jpeg = cv2.imencode(".jpg", raw.image, [cv2.IMWRITE_JPEG_QUALITY, 85])
        if ok:
            store.put_bytes(layout.page_image_key(stored.sha256, raw.page), jpeg.tobytes(), "image/jpeg")
    rules = ClassifierRules(doc_types=load_rules(), image=load_image_rules())
    images = {r.page: r.image for r in raw_pages}
    return build_documents(stored.source, stored.sha256, pages, images, rules, engine)


@task(name="extract-fields", cache_policy=NO_CACHE)
def extract(doc: Document, pages: list[Page], case: Case) -> Document:
    if doc.errors or not pages:
        return doc
    fields, checks = extract_document(doc, pages, case.case_date)
    return doc.model_copy(update={"fields": fields, "checks": [*doc.checks, *checks]})


@task(name="store-case", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def store_case(result: CaseResult, settings: Settings) -> None:
    store = store_for(settings)
    case_id = result.case.case_id
    meta = {"item": result.item.id, "verdict": result.verdict.status.value}
    store.put_json(layout.case_key(case_id), result.case, metadata=meta)
    store.put_json(layout.verdict_key(case_id), result.verdict, metadata=meta, tags=meta)


@flow(name="process-case", log_prints=False)
def process_case(request: CaseRequest) -> CaseResult:
    """One case. Settings (storage endpoint, credentials) come from the worker's environment,
    never from flow parameters, which Prefect stores."""
    logger = get_run_logger()
    settings = Settings()
    store = store_for(settings)
    item = default_catalog().find(request.item, request.region)
    stored_or_errors = [store_original(ref, settings) for ref in request.files]
    originals = [s for s in stored_or_errors if isinstance(s, StoredOriginal)]
    case_errors = [s for s in stored_or_errors if isinstance(s, Reason)]
    case_id = request.case_id or case_id_for(item.id, [s.sha256 for s in originals])
    case = Case(
        case_id=case_id,
        item_id=item.id,
        region=item.region,
        agent=request.agent,
        options=request.options,
        case_date=request.case_date,
        errors=case_errors,
    )
    for stored in originals:
        try:
            readings = read_file(stored, settings)
        except StorageUnavailable:
            raise
        except Exception as exc:
            logger.warning("reading failed for one file: %s", type(exc).__name__)
            failed = Document(
                source=stored.source, sha256=stored.sha256, pages=[], errors=[reason(Code.processing_error)]
            )
            readings = [(failed, [])]
        failures = [
            {"pages": doc.pages, "errors": [e.model_dump() for e in doc.errors]} for doc, _ in readings if doc.errors
        ]
        if failures:
            # The original is already stored; this records why (part of) it could not be used.
            store.put_json(layout.error_key(case_id, stored.sha256), {"source": stored.source, "failures": failures})
        for doc, pages in readings:
            case.documents.append(extract(doc, pages, case))
    thresholds = Thresholds(
        min_classification_confidence=settings.min_classification_confidence,
        min_field_confidence=settings.min_field_confidence,
    )
    verdict = judge(case, item, thresholds)
    result = CaseResult(
        case=case,
        item=ItemRef(id=item.id, name=item.name, region=item.region),
        verdict=verdict,
        storage=StorageRef(bucket=store.bucket, prefix=layout.case_prefix(case_id)),
        originals=originals,
    )
    store_case(result, settings)
    logger.info(
        "case %s: %d documents, verdict %s, %d missing, %d reasons",
        case_id,
        len(case.documents),
        verdict.status.value,
        len(verdict.missing),
        len(verdict.reasons),
    )
    return result
