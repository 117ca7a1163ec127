"""The `review-decision` flow: a clerk's decision (confirm, reject, postpone) on a case under review
becomes a flow run of its own — a NEW flow, separate from `process-case` — that judges the corrected
case again with the same validator (validators/verdict.py `judge`), stores the verdict as a new
version (earlier ones stay), closes or postpones the review task and appends the audit event.

Also here, because they compose the validator with the database: `rejudge` (the verdict of a case
as stored, including invoices already seen in other cases) and `route_to_review` (called where a
finished case is recorded: adds cross-case duplicates, opens a review task when it needs one).

Settings (database, thresholds) come from the worker's environment, never from flow parameters,
which Prefect stores; the parameters carry ids, the action and the clerk's reason only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Literal

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from sqlalchemy.orm import Session

from db import review
from db.cases import audit, case_documents, case_model, get_case, latest_verdict, record_version
from db.corrections import StaleVersion, claim_version
from db.models import AuditSource, CaseRow, CaseState
from db.session import database_url, make_engine, session_factory
from flows.monitoring import settle_case_runs
from intake.catalog import Catalog, ServiceItem, default_catalog
from intake.models import Case, Reason, Verdict, VerdictStatus
from intake.reasons import Code, reason
from intake.settings import Settings, Thresholds
from validators.materials import assess_materials
from validators.notice import one_time_notice
from validators.verdict import case_options, judge

Action = Literal["confirm", "reject", "postpone"]


def with_duplicates(
    verdict: Verdict, duplicates: list[Reason], item: ServiceItem, case: Case, thresholds: Thresholds
) -> Verdict:
    """An invoice seen in another case sends the case to review (a rejected case stays rejected);
    the one-time notice is worded again for the new status."""
    if not duplicates or verdict.status is VerdictStatus.rejected:
        return verdict
    statuses = assess_materials(item, case.documents, case_options(case), thresholds.min_classification_confidence)
    unusable = [
        (PurePath(d.source).name, e.message)
        for d in case.documents
        for e in d.errors
        if e.code != Code.processing_error
    ]
    status = VerdictStatus.needs_review
    notice = one_time_notice(item, status, verdict.missing, statuses, [], unusable)
    return verdict.model_copy(update={"status": status, "reasons": [*verdict.reasons, *duplicates], "notice": notice})


def rejudge(session: Session, case_row: CaseRow, catalog: Catalog, thresholds: Thresholds) -> Verdict:
    """The case as stored now (with the clerk's corrections), judged by the validator."""
    case = case_model(case_row)
    item = catalog.find(case_row.item_id)
    duplicates = review.duplicate_invoices(session, case_row, case_documents(case_row))
    return with_duplicates(judge(case, item, thresholds), duplicates, item, case, thresholds)


def route_to_review(session: Session, case_row: CaseRow, catalog: Catalog, settings: Settings) -> None:
    """After a finished case is recorded (submission, batch): an invoice already seen in another case
    adds `duplicate_invoice` (a new version), and a case in `needs_review` gets its review task."""
    verdict = latest_verdict(session, case_row)
    duplicates = review.duplicate_invoices(session, case_row, case_documents(case_row))
    if verdict is not None and duplicates:
        item = catalog.find(case_row.item_id)
        updated = with_duplicates(verdict, duplicates, item, case_model(case_row), settings.thresholds)
        if updated != verdict:
            record_version(session, case_row, updated, cause="duplicate_check", actor="rule")
    review.ensure_task(session, case_row, settings)


def rejected(item: ServiceItem, note: str) -> Verdict:
    why = reason(Code.review_rejected, note)
    notice = f"您申请办理的「{item.name}」（{item.region}）{why.message}。"
    return Verdict(status=VerdictStatus.rejected, reasons=[why], notice=notice)


@flow(name="review-decision", log_prints=False)
def review_decision(
    case_id: str, action: Action, actor: str, expected_version: int, postpone_hours: float = 24.0
) -> dict[str, object]:
    """Apply a clerk's decision: `confirm` stores the validator's verdict on the corrected case and
    closes the task; `reject` stores a rejection with the clerk's reason; `postpone` stores the
    verdict so far and puts the task back, not offered before `postpone_hours`. The clerk's reason is
    read from the task (the route stores it there): free text stays out of the flow's parameters.
    Returns the new version, or `{"stale": True}` when the case moved on since `expected_version`."""
    settings = Settings()
    engine = make_engine(database_url(settings))
    try:
        with session_factory(engine)() as session:
            return _decide(session, settings, case_id, action, actor, expected_version, postpone_hours)
    finally:
        engine.dispose()


def _decide(
    session: Session,
    settings: Settings,
    case_id: str,
    action: Action,
    actor: str,
    expected_version: int,
    postpone_hours: float,
) -> dict[str, object]:
    logger = get_run_logger()
    case_row = get_case(session, case_id)
    if case_row is None:
        raise LookupError("case not found")
    try:
        claim_version(session, case_row, expected_version)
    except StaleVersion:
        logger.info("decision on a stale version refused")
        return {"stale": True}
    catalog = default_catalog()
    task = review.live_task(session, case_id)
    note = (task.note if task is not None else None) or ""
    if action == "reject":
        verdict = rejected(catalog.find(case_row.item_id), note)
    else:
        verdict = rejudge(session, case_row, catalog, settings.thresholds)
    run_id = flow_run.get_id()
    record_version(session, case_row, verdict, cause="review", actor=actor, flow_run_id=str(run_id) if run_id else None)
    if action == "postpone":
        if task is not None:
            until = dt.datetime.now(dt.UTC) + dt.timedelta(hours=postpone_hours)
            review.postpone(session, task, actor, note, until)
        case_row.state = CaseState.in_review.value
    else:
        if task is not None:
            review.finish(task)
        case_row.state = CaseState.closed.value
    audit(
        session,
        "review_decision",
        actor=actor,
        source=AuditSource.clerk,
        case_id=case_id,
        after={"action": action, "reason": note, "verdict": verdict.status.value, "version": case_row.version},
    )
    session.commit()
    settle_case_runs(session, case_id, action)  # the case's runs leave the clerks' list in the Prefect UI
    logger.info("review decision %s stored as version %s", action, case_row.version)
    return {"stale": False, "version": case_row.version, "verdict": verdict.status.value, "flow_run_id": str(run_id)}
