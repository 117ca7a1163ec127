"""The batch flow: one case per sub-folder or manifest row, a report, and a supervisor's artifact.

The artifact and the logs carry case ids, item ids, verdicts and reason codes only: no names,
ID numbers or document text (PIPL).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner
from sqlalchemy.orm import Session

from db.cases import record_case
from db.migrate import upgrade
from db.session import database_url, make_engine
from flows.deployments import run_cases_on_workers
from flows.review_flow import route_to_review
from intake.catalog import UnknownItem, default_catalog
from intake.models import StoredOriginal
from intake.requests import BatchCase, BatchReport, CaseRequest, CaseResult, InputRef, RunSettings, StorageRef
from intake.settings import Settings
from ocr.loader import content_type
from storage import layout
from storage.store import ObjectStore, StorageUnavailable, store_for


def batch_id_for(root: str, cases: list[BatchCase]) -> str:
    """The batch's identity: its cases as listed and the content of every file they name. The same batch
    run again has the same id; two batches that differ in any file or row never share one."""
    digest = hashlib.sha256()
    for case in cases:
        digest.update(case.model_dump_json().encode())
        for name in case.files:
            digest.update(_content_digest(Path(root) / name).encode())
    return f"batch-{digest.hexdigest()[:16]}"


def _content_digest(path: Path) -> str:
    hashed = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                hashed.update(block)
    except OSError:
        return "unreadable"  # the case reports it; the batch still has an identity
    return hashed.hexdigest()


def case_id_in_batch(batch_id: str, name: str) -> str:
    """A case's id: its folder or manifest name with the batch's identity, so two batches with a case of
    the same name keep separate case folders (case.json, verdict, error files) in the store."""
    return f"{name}-{batch_id.removeprefix('batch-')[:12]}"


def totals(results: list[CaseResult], failed: dict[str, str]) -> dict[str, int]:
    counts = Counter(r.verdict.status.value for r in results)
    return {
        "cases": len(results) + len(failed),
        "complete": counts["complete"],
        "incomplete": counts["incomplete"],
        "needs_review": counts["needs_review"],
        "rejected": counts["rejected"],
        "failed": len(failed),
        "documents": sum(len(r.case.documents) for r in results),
    }


def supervisor_markdown(report: BatchReport) -> str:
    t = report.totals
    lines = [
        f"# 批次 {report.batch_id}",
        "",
        f"共 {t['cases']} 件：齐全 {t['complete']}，缺件 {t['incomplete']}，待人工 {t['needs_review']}，"
        f"不予受理 {t['rejected']}，处理失败 {t['failed']}；材料 {t['documents']} 份。",
        "",
        "| case | item | verdict | missing | reasons |",
        "|---|---|---|---|---|",
    ]
    for r in report.cases:
        codes = Counter(reason.code for reason in r.verdict.reasons)
        summary = ", ".join(f"{code}×{n}" if n > 1 else code for code, n in codes.items()) or "-"
        lines.append(
            f"| {r.case.case_id} | {r.item.id} | {r.verdict.status.value} | {len(r.verdict.missing)} | {summary} |"
        )
    for case_id, code in report.failed.items():
        lines.append(f"| {case_id} | - | failed | - | {code} |")
    return "\n".join(lines)


@task(name="case", cache_policy=NO_CACHE, persist_result=False)
def case_in_worker(request: CaseRequest, run: RunSettings) -> CaseResult:
    """A case's flow in a worker process (the OCR models load once per worker). The flow is imported
    here, in the worker: the pool pickles this function by value, and a flow carried along that way
    loses the module its parameter types are resolved in."""
    from flows.case_flow import process_case as case_flow

    return case_flow(request, run)


def _outcome(run: Callable[[], CaseResult]) -> CaseResult | Exception:
    try:
        return run()
    except StorageUnavailable:
        raise  # no case can be stored: the batch stops
    except Exception as exc:
        return exc


def _run_cases(requests: list[CaseRequest], run: RunSettings) -> list[CaseResult | Exception]:
    """Each case's result or what it failed with: one after the other in this process, or with
    `run.workers` > 1 that many cases at once, each worker a process of its own."""
    # Imported here: the case flow brings the reader (onnxruntime, the OCR stages), which a batch sent to the
    # workers never uses on the submitting host (about a second of its start-up).
    from flows.case_flow import process_case

    if run.workers <= 1:
        return [_outcome(partial(process_case, request, run)) for request in requests]
    with ProcessPoolTaskRunner(max_workers=run.workers) as runner:
        futures = [runner.submit(case_in_worker, {"request": request, "run": run}) for request in requests]
        return [_outcome(future.result) for future in futures]


def _stored_inputs(store: ObjectStore, root: str, files: list[str]) -> tuple[list[InputRef], list[StoredOriginal]]:
    """A case's files put in the store by the batch (the host that sees the batch folder), so the case's run
    on any worker gets them by key. A file that cannot be read stays a path: the case reports it unreadable."""
    refs: list[InputRef] = []
    originals: list[StoredOriginal] = []
    for name in files:
        path = Path(root) / name
        try:
            data = path.read_bytes()
        except OSError:
            refs.append(InputRef(source=name, path=str(path)))
            continue
        stored, _ = store.put_original(data, name, content_type(data))
        refs.append(InputRef(source=name, key=stored.key))
        originals.append(stored)
    return refs, originals


# Originals the submitting host stores at once: the store answers each PUT in a few milliseconds of its own work
# but a round trip of waiting, so a few at a time keep the upload ahead of the workers taking cases.
PARALLEL_UPLOADS = 4


def _on_workers(
    requests: list[CaseRequest], root: str, cases: list[BatchCase], run: RunSettings, store: ObjectStore, **how: Any
) -> list[CaseResult | Exception]:
    """Deployment mode: the batch's originals go to the store (`PARALLEL_UPLOADS` at a time) and every case is a
    flow run of its own, submitted as soon as its own originals are stored, so the first cases are being read
    while the later ones are still uploading."""
    catalog = default_catalog()
    outcomes: dict[int, CaseResult | Exception] = {}
    known: list[int] = []
    for index, case in enumerate(cases):
        try:
            catalog.find(case.item, case.region)  # an unknown item fails here, not on a worker
        except UnknownItem as exc:
            outcomes[index] = exc
            continue
        known.append(index)
    with ThreadPoolExecutor(max_workers=PARALLEL_UPLOADS, thread_name_prefix="upload") as uploads:
        stored = uploads.map(lambda index: _stored_inputs(store, root, cases[index].files), known)
        prepared = (
            (requests[index].model_copy(update={"files": refs}), originals)
            for index, (refs, originals) in zip(known, stored, strict=True)
        )
        results = run_cases_on_workers(prepared, run, store, **how)
    outcomes.update(zip(known, results, strict=True))
    return [outcomes[i] for i in range(len(requests))]


@flow(name="batch-intake", log_prints=False, persist_result=False)
def batch_intake(
    root: str,
    cases: list[BatchCase],
    run: RunSettings | None = None,
    case_deployment: str | None = None,
    lost_after: float = 90.0,
) -> BatchReport:
    """Every case of a batch; one failing case is reported, the others go on. `run` as for `process_case`.
    With `case_deployment` (e.g. "process-case/intake-case") every case is a flow run of that deployment that
    any worker of its pool takes (flows/deployments.py; a run silent for `lost_after` seconds is run again);
    without it the cases run here, as `run.workers` says."""
    logger = get_run_logger()
    worker = Settings()
    run = run or RunSettings.from_settings(worker)
    store = store_for(run.over(worker))
    batch_id = batch_id_for(root, cases)
    case_ids = [case_id_in_batch(batch_id, case.case_id) for case in cases]
    results: list[CaseResult] = []
    failed: dict[str, str] = {}
    requests = [
        CaseRequest(
            case_id=case_id,
            item=case.item,
            region=case.region,
            agent=case.agent,
            options=case.options,
            files=[InputRef(source=f, path=str(Path(root) / f)) for f in case.files],
            **({"case_date": case.case_date} if case.case_date else {}),
        )
        for case, case_id in zip(cases, case_ids, strict=True)
    ]
    outcomes = (
        _on_workers(requests, root, cases, run, store, deployment=case_deployment, lost_after=lost_after)
        if case_deployment
        else _run_cases(requests, run)
    )
    for case_id, outcome in zip(case_ids, outcomes, strict=True):
        if isinstance(outcome, CaseResult):
            results.append(outcome)
        elif isinstance(outcome, UnknownItem):
            failed[case_id] = "unknown_item"
        else:
            logger.error("case %s failed: %s", case_id, type(outcome).__name__)
            failed[case_id] = "processing_error"
    report = BatchReport(
        batch_id=batch_id,
        cases=results,
        failed=failed,
        totals=totals(results, failed),
        storage=StorageRef(bucket=store.bucket, prefix=layout.batch_prefix(batch_id)),
    )
    store.put_json(layout.batch_report_key(batch_id), _summary(report))
    record_cases(results, worker)
    create_markdown_artifact(
        key=f"batch-report-{batch_id[6:]}", markdown=supervisor_markdown(report), description="批次处理结果"
    )
    logger.info("batch %s: %s", batch_id, report.totals)
    return report


def record_cases(results: list[CaseResult], worker: Settings) -> None:
    """Every case of the batch in the database the service and the clerks share, so every case, however
    it came in, is in one place. The worker's own database settings are used, in the flow itself rather than
    a task, so a database URL (it may hold a password) never becomes a recorded task input."""
    url = database_url(worker)
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            catalog = default_catalog()
            for result in results:
                row = record_case(session, result, actor="batch", cause="batch")
                route_to_review(session, row, catalog, worker)  # duplicate invoices; a needs_review case's task
            session.commit()
    finally:
        engine.dispose()


def _summary(report: BatchReport) -> dict[str, object]:
    """The stored batch report points at each case's verdict instead of copying personal data."""
    return {
        "batch_id": report.batch_id,
        "totals": report.totals,
        "failed": report.failed,
        "cases": [
            {
                "case_id": r.case.case_id,
                "item": r.item.model_dump(),
                "verdict": r.verdict.status.value,
                "missing": [m.material for m in r.verdict.missing],
                "reasons": [x.code for x in r.verdict.reasons],
                "prefix": r.storage.prefix,
            }
            for r in report.cases
        ],
    }
