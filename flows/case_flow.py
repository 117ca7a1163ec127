"""The case flow: store originals first, then read, classify, extract, judge and store the verdict.

The tasks are thin wrappers over `pipeline` (the same functions the tests and benches call). The object
store is the hand-off between tasks: a task gets an original by key, never a local path, so tasks can run
on other machines. Readings are cached in the object store (`pipeline.readings`); Prefect persists no task
result, since results carry document text and ID numbers.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.monitoring import mark_case_run
from intake.catalog import default_catalog
from intake.models import Case, Document, Page, Reason, StoredOriginal
from intake.reasons import Code, reason
from intake.requests import CaseRequest, CaseResult, InputRef, ItemRef, RunSettings, StorageRef
from intake.settings import Settings
from ocr.loader import InputError, content_type, read_input_file
from pipeline.analyse import error_document
from pipeline.passes import extract_fields
from pipeline.readings import read_original
from storage import layout
from storage.store import StorageUnavailable, store_for
from validators.verdict import judge


def case_id_for(item_id: str, hashes: list[str]) -> str:
    digest = hashlib.sha256((item_id + ":" + ",".join(sorted(hashes))).encode()).hexdigest()
    return f"case-{digest[:16]}"


@task(name="store-original", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE, persist_result=False)
def store_original(ref: InputRef, settings: Settings) -> StoredOriginal | Reason:
    """Before anything else, the original is kept byte-identical under its hash."""
    store = store_for(settings)
    if ref.key is not None:
        data = store.get_bytes(ref.key)
    else:
        assert ref.path is not None
        try:
            # Oversized files are stored too (nothing vanishes); the reader refuses them later. Links,
            # devices and pipes are refused unread (ocr.loader.read_input_file).
            data = read_input_file(Path(ref.path))
        except InputError as exc:
            return reason(exc.code, ref.source)
    stored, _ = store.put_original(data, ref.source, content_type(data))
    return stored


@task(name="read-file", retries=1, cache_policy=NO_CACHE, persist_result=False)
def read_file(stored: StoredOriginal, settings: Settings) -> list[tuple[Document, list[Page]]]:
    """One original → classified documents with their read pages; bad input → an error document."""
    return read_original(store_for(settings), stored, settings)


@task(name="extract-fields", cache_policy=NO_CACHE, persist_result=False)
def extract(doc: Document, pages: list[Page], case: Case) -> Document:
    return extract_fields(doc, pages, case.case_date)


@task(name="store-case", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE, persist_result=False)
def store_case(result: CaseResult, settings: Settings) -> None:
    store = store_for(settings)
    case_id = result.case.case_id
    meta = {"item": result.item.id, "verdict": result.verdict.status.value}
    store.put_json(layout.case_key(case_id), result.case, metadata=meta)
    store.put_json(layout.verdict_key(case_id), result.verdict, metadata=meta, tags=meta)


@flow(name="process-case", log_prints=False, persist_result=False)
def process_case(request: CaseRequest, run: RunSettings | None = None) -> CaseResult:
    """One case. `run` (endpoint, bucket, reading and thresholds; default: the worker's own) comes as a
    parameter; the credentials come from the worker's settings, never from parameters, which Prefect stores."""
    logger = get_run_logger()
    worker = Settings()
    settings = run.over(worker) if run is not None else worker
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
            readings = [(error_document(stored.source, Code.processing_error, stored.sha256), [])]
        failures = [
            {"pages": doc.pages, "errors": [e.model_dump() for e in doc.errors]} for doc, _ in readings if doc.errors
        ]
        if failures:
            # The original is already stored; this records why (part of) it could not be used.
            store.put_json(layout.error_key(case_id, stored.sha256), {"source": stored.source, "failures": failures})
        for doc, pages in readings:
            case.documents.append(extract(doc, pages, case))
    verdict = judge(case, item, settings.thresholds)
    result = CaseResult(
        case=case,
        item=ItemRef(id=item.id, name=item.name, region=item.region),
        verdict=verdict,
        storage=StorageRef(bucket=store.bucket, prefix=layout.case_prefix(case_id)),
        originals=originals,
    )
    store_case(result, settings)
    mark_case_run(request.case_id, verdict.status)  # a case waiting for a clerk shows by tag in the Prefect UI
    logger.info(
        "case %s: %d documents, verdict %s, %d missing, %d reasons",
        case_id,
        len(case.documents),
        verdict.status.value,
        len(verdict.missing),
        len(verdict.reasons),
    )
    return result
