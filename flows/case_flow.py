"""The case flow: each file stored first, then read, classified and extracted; the case judged and stored.

The whole case in the flow run itself (`take_case`: each file stored, read and extracted, the case judged and
stored; no task run of its own), a thin wrapper over `pipeline` (the same functions the tests and benches
call). The object store is the hand-off between runs: a run gets an original by key or path, never through
Prefect, so runs can go to other machines. Readings are cached in the object store (`pipeline.readings`);
Prefect persists no result, since results carry document text and ID numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from pydantic import BaseModel, Field

from flows.run_tags import mark_case_run
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
from storage.store import ObjectStore, StorageUnavailable, store_for
from validators.verdict import judge


def case_id_for(item_id: str, hashes: list[str]) -> str:
    digest = hashlib.sha256((item_id + ":" + ",".join(sorted(hashes))).encode()).hexdigest()
    return f"case-{digest[:16]}"


class FileOutcome(BaseModel):
    """One file of a case, taken: its stored original (or why it could not be taken) and its documents,
    extracted, with what could not be used of it."""

    stored: StoredOriginal | None = None
    refused: Reason | None = None
    documents: list[Document] = Field(default_factory=list)
    failures: list[dict[str, Any]] = Field(default_factory=list)


def _store(store: ObjectStore, ref: InputRef) -> tuple[StoredOriginal, bytes] | Reason:
    """Before anything else, the original is kept byte-identical under its hash. One given by its key (the
    batch or the service stored it) is already there when its content hashes to that key: not looked up again."""
    if ref.key is not None:
        data = store.get_bytes(ref.key)
        sha256 = hashlib.sha256(data).hexdigest()
        if layout.original_key(sha256) == ref.key:
            kind = content_type(data)
            stored = StoredOriginal(source=ref.source, sha256=sha256, key=ref.key, size=len(data), content_type=kind)
            return stored, data
    else:
        assert ref.path is not None
        try:
            # Oversized files are stored too (nothing vanishes); the reader refuses them later. Links,
            # devices and pipes are refused unread (ocr.loader.read_input_file).
            data = read_input_file(Path(ref.path))
        except InputError as exc:
            return reason(exc.code, ref.source)
    stored, _ = store.put_original(data, ref.source, content_type(data))
    return stored, data


def _read(
    store: ObjectStore, stored: StoredOriginal, data: bytes, settings: Settings
) -> list[tuple[Document, list[Page]]]:
    """One original → classified documents with their read pages; a reading that breaks → an error document
    (the file is stored; the case goes on and says why this file could not be used)."""
    try:
        return read_original(store, stored, settings, data=data)
    except StorageUnavailable:
        raise
    except Exception as exc:
        get_run_logger().warning("reading failed for one file: %s", type(exc).__name__)
        return [(error_document(stored.source, Code.processing_error, stored.sha256), [])]


def _take(store: ObjectStore, ref: InputRef, settings: Settings, case_date: dt.date) -> FileOutcome:
    """One file: stored, read (or found in the reading cache) and its documents' fields extracted."""
    taken = _store(store, ref)
    if isinstance(taken, Reason):
        return FileOutcome(refused=taken)
    stored, data = taken
    readings = _read(store, stored, data, settings)
    failures = [
        {"pages": doc.pages, "errors": [e.model_dump() for e in doc.errors]} for doc, _ in readings if doc.errors
    ]
    documents = [extract_fields(doc, pages, case_date) for doc, pages in readings]
    return FileOutcome(stored=stored, documents=documents, failures=failures)


def _take_case(request: CaseRequest, settings: Settings) -> CaseResult:
    """The case's files in order (each stored before it is read), then the case judged and stored."""
    store = store_for(settings)
    item = default_catalog().find(request.item, request.region)
    taken = [_take(store, ref, settings, request.case_date) for ref in request.files]
    originals = [t.stored for t in taken if t.stored is not None]
    case_id = request.case_id or case_id_for(item.id, [s.sha256 for s in originals])
    case = Case(
        case_id=case_id,
        item_id=item.id,
        region=item.region,
        agent=request.agent,
        options=request.options,
        case_date=request.case_date,
        errors=[t.refused for t in taken if t.refused is not None],
        documents=[doc for t in taken for doc in t.documents],
    )
    for outcome in taken:
        if outcome.stored is not None and outcome.failures:
            # The original is already stored; this records why (part of) it could not be used.
            key = layout.error_key(case_id, outcome.stored.sha256)
            store.put_json(key, {"source": outcome.stored.source, "failures": outcome.failures})
    verdict = judge(case, item, settings.thresholds)
    result = CaseResult(
        case=case,
        item=ItemRef(id=item.id, name=item.name, region=item.region),
        verdict=verdict,
        storage=StorageRef(bucket=store.bucket, prefix=layout.case_prefix(case_id)),
        originals=originals,
    )
    meta = {"item": item.id, "verdict": verdict.status.value}
    store.put_json(layout.case_key(case_id), case, metadata=meta)
    store.put_json(layout.verdict_key(case_id), verdict, metadata=meta, tags=meta)
    return result


# Attempts at a case when the store does not answer: a retry finds the originals and the readings already
# stored, so it reads nothing twice and rewrites nothing unchanged.
STORE_ATTEMPTS = 3
STORE_RETRY_SECONDS = 2.0


def take_case(request: CaseRequest, settings: Settings) -> CaseResult:
    """The whole case: its files stored, read and extracted, the case judged, case.json and verdict.json stored;
    tried again (`STORE_ATTEMPTS` in all) when the store does not answer, and only then (anything else would
    fail the same way again). In the flow run itself, not a task run of its own: a task run is a row, three
    states and three events the Prefect server writes for every case, about half of what a case made it write,
    and Prefect's engine would walk the case's inputs and result besides; the flow run's own states say all a
    supervisor follows (taken, running, its end), and a failure's kind is logged."""
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            return _take_case(request, settings)
        except StorageUnavailable as exc:
            if attempt == STORE_ATTEMPTS:
                raise
            get_run_logger().warning("store unavailable (%s), attempt %d again", type(exc).__name__, attempt + 1)
            time.sleep(STORE_RETRY_SECONDS)
    raise AssertionError("unreachable")


@flow(name="process-case", log_prints=False, persist_result=False)
def process_case(request: CaseRequest, run: RunSettings | None = None) -> CaseResult:
    """One case. `run` (endpoint, bucket, reading and thresholds; default: the worker's own) comes as a
    parameter; the credentials come from the worker's settings, never from parameters, which Prefect stores.
    An unknown item fails the run before anything is stored."""
    logger = get_run_logger()
    worker = Settings()
    settings = run.over(worker) if run is not None else worker
    default_catalog().find(request.item, request.region)
    result = take_case(request, settings)
    case, verdict = result.case, result.verdict
    mark_case_run(request.case_id, verdict.status)  # a case waiting for a clerk shows by tag in the Prefect UI
    logger.info(
        "case %s: %d documents, verdict %s, %d missing, %d reasons",
        case.case_id,
        len(case.documents),
        verdict.status.value,
        len(verdict.missing),
        len(verdict.reasons),
    )
    return result
