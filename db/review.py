"""The review queue: a task per case in `needs_review`, claimed under a lease that expires.

A lease is the only way a task leaves the queue. Claiming is one conditional UPDATE (… WHERE the
task is open, or its lease has expired): of two clerks racing for one task exactly one UPDATE
touches a row, on PostgreSQL and on SQLite alike, with no lock held between the read and the write.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, case, cast, or_, select, update
from sqlalchemy.orm import Session

from db.cases import audit, latest_verdict
from db.models import (
    AuditSource,
    CaseRow,
    CaseState,
    DocumentRow,
    FieldRow,
    FileRow,
    ReviewState,
    ReviewTaskRow,
    UserRow,
    utcnow,
)
from intake.models import DocType, Reason, VerdictStatus
from intake.reasons import Code, reason
from intake.settings import Settings

LIVE = (ReviewState.open.value, ReviewState.leased.value)
# Reasons that put a task ahead of others of the same age: money may be paid twice.
URGENT_REASONS = frozenset({Code.duplicate_invoice.value, Code.prohibition_hit.value})


class LeaseLost(Exception):
    """The caller does not hold the task's lease (never had it, released it, or it expired and
    another clerk took the task)."""


def aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; every one was written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def live_task(session: Session, case_id: str) -> ReviewTaskRow | None:
    query = select(ReviewTaskRow).where(ReviewTaskRow.case_id == case_id, ReviewTaskRow.state.in_(LIVE))
    return session.scalar(query.order_by(ReviewTaskRow.id.desc()))


def ensure_task(session: Session, case: CaseRow, settings: Settings) -> ReviewTaskRow | None:
    """A case whose latest verdict is `needs_review` gets one live task, due `review_sla_hours` from
    now; a case that already has one keeps it (and its deadline). Other verdicts get none."""
    if case.verdict != VerdictStatus.needs_review.value:
        return None
    task = live_task(session, case.id)
    if task is not None:
        return task
    verdict = latest_verdict(session, case)
    codes = sorted({r.code for r in verdict.reasons}) if verdict else []
    task = ReviewTaskRow(
        case_id=case.id,
        state=ReviewState.open.value,
        priority=1 if URGENT_REASONS & set(codes) else 0,
        deadline=utcnow() + dt.timedelta(hours=settings.review_sla_hours),
        reasons=codes,
    )
    session.add(task)
    session.flush()
    audit(
        session, "review_task_opened", actor="rule", source=AuditSource.rule, case_id=case.id, after={"reasons": codes}
    )
    return task


def _claimable(now: dt.datetime) -> ColumnElement[bool]:
    free = or_(
        ReviewTaskRow.state == ReviewState.open.value,
        and_(ReviewTaskRow.state == ReviewState.leased.value, ReviewTaskRow.lease_expires_at < now),
    )
    return and_(free, or_(ReviewTaskRow.not_before.is_(None), ReviewTaskRow.not_before <= now))


def claim_task(session: Session, task_id: int, user: UserRow, lease: dt.timedelta) -> bool:
    """Take this one task if it is free (or its lease expired): True when this caller won it."""
    now = utcnow()
    result = session.execute(
        update(ReviewTaskRow)
        .where(ReviewTaskRow.id == task_id, _claimable(now))
        .values(state=ReviewState.leased.value, lease_holder_id=user.id, lease_expires_at=now + lease, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    won = bool(getattr(result, "rowcount", 0) == 1)
    if won:
        task = session.get(ReviewTaskRow, task_id)
        assert task is not None
        session.refresh(task)
        audit(session, "review_claimed", actor=f"user:{user.username}", source=AuditSource.clerk, case_id=task.case_id)
    return won


def queue_order(now: dt.datetime) -> list[ColumnElement[Any]]:
    """Overdue first, then higher priority, then the earliest deadline, then the oldest."""
    overdue = case((ReviewTaskRow.deadline < now, 0), else_=1)
    return [
        overdue,
        ReviewTaskRow.priority.desc(),
        ReviewTaskRow.deadline.asc(),
        ReviewTaskRow.created_at.asc(),
        ReviewTaskRow.id.asc(),
    ]


def held_by(session: Session, user: UserRow) -> ReviewTaskRow | None:
    """The task this clerk holds under a live lease, if any."""
    query = select(ReviewTaskRow).where(
        ReviewTaskRow.state == ReviewState.leased.value,
        ReviewTaskRow.lease_holder_id == user.id,
        ReviewTaskRow.lease_expires_at >= utcnow(),
    )
    return session.scalar(query.order_by(ReviewTaskRow.id))


def claim_next(session: Session, user: UserRow, lease: dt.timedelta) -> ReviewTaskRow | None:
    """The clerk's current task (its lease renewed), else the first free task in queue order that
    this clerk wins; None when the queue is empty. Losing a race moves on to the next candidate."""
    held = held_by(session, user)
    if held is not None:
        held.lease_expires_at = utcnow() + lease
        return held
    for _ in range(20):
        now = utcnow()
        candidates = session.scalars(
            select(ReviewTaskRow.id).where(_claimable(now)).order_by(*queue_order(now)).limit(5)
        ).all()
        if not candidates:
            return None
        for task_id in candidates:
            if claim_task(session, task_id, user, lease):
                return session.get(ReviewTaskRow, task_id)
    return None


def require_lease(task: ReviewTaskRow | None, user: UserRow) -> ReviewTaskRow:
    """The task, if `user` holds its live lease; else LeaseLost."""
    if (
        task is None
        or task.state != ReviewState.leased.value
        or task.lease_holder_id != user.id
        or task.lease_expires_at is None
        or aware(task.lease_expires_at) < utcnow()
    ):
        raise LeaseLost
    return task


def release(session: Session, task: ReviewTaskRow, actor: str, note: str) -> None:
    """Back to the queue at once (the clerk cannot finish it: lunch, wrong desk, a question)."""
    _free(task, note)
    audit(
        session,
        "review_released",
        actor=actor,
        source=AuditSource.clerk,
        case_id=task.case_id,
        after={"reason": note},
    )


def postpone(session: Session, task: ReviewTaskRow, actor: str, note: str, until: dt.datetime) -> None:
    """Back to the queue, not offered again before `until` (waiting for the applicant's call)."""
    _free(task, note)
    task.not_before = until
    audit(
        session,
        "review_postponed",
        actor=actor,
        source=AuditSource.clerk,
        case_id=task.case_id,
        after={"reason": note, "until": until.isoformat()},
    )


def finish(task: ReviewTaskRow) -> None:
    task.state = ReviewState.done.value
    task.lease_expires_at = None


def _free(task: ReviewTaskRow, note: str) -> None:
    task.state = ReviewState.open.value
    task.lease_holder_id = None
    task.lease_expires_at = None
    task.note = note


@dataclass(frozen=True)
class QueueEntry:
    task: ReviewTaskRow
    case: CaseRow
    holder: str | None


def queue(session: Session, limit: int = 200) -> list[QueueEntry]:
    """Live tasks in the order clerks get them (leased ones included, with their holder)."""
    now = utcnow()
    rows = session.execute(
        select(ReviewTaskRow, CaseRow, UserRow.username)
        .join(CaseRow, CaseRow.id == ReviewTaskRow.case_id)
        .outerjoin(UserRow, UserRow.id == ReviewTaskRow.lease_holder_id)
        .where(ReviewTaskRow.state.in_(LIVE))
        .order_by(*queue_order(now))
        .limit(limit)
    ).all()
    return [QueueEntry(task, case_row, holder) for task, case_row, holder in rows]


def _invoice_keys(document: DocumentRow) -> dict[str, str]:
    values = {f.name: f.value for f in document.fields}
    return {k: str(v) for k in ("invoice_code", "invoice_number", "check_code") if (v := values.get(k))}


def duplicate_invoices(session: Session, case_row: CaseRow, documents: list[DocumentRow]) -> list[Reason]:
    """Invoices of this case already seen in another submitted case: the same 票据代码 + 票据号码, the
    same e-invoice 校验码 + 票据号码, or the same file content. A rescan has a new hash but the invoice's
    own identity; a resubmitted file has both. One reason per invoice, naming the other case."""
    found: list[Reason] = []
    for index, document in enumerate(documents):
        if document.doc_type != DocType.invoice.value:
            continue
        keys = _invoice_keys(document)
        other = _same_identity(session, case_row.id, keys) or _same_content(session, case_row.id, document.sha256)
        if other is not None:
            found.append(reason(Code.duplicate_invoice, f"第{index + 1}份材料与案件 {other} 中的发票相同", index))
    return found


# An invoice counts as seen once its case was submitted (or came from a batch): a case left open, or a
# file withdrawn from it, claimed nothing.
SUBMITTED = (CaseState.decided.value, CaseState.in_review.value, CaseState.closed.value)


def _other_submitted_invoice(case_id: str) -> ColumnElement[bool]:
    return and_(
        DocumentRow.case_id != case_id,
        DocumentRow.doc_type == DocType.invoice.value,
        CaseRow.state.in_(SUBMITTED),
        or_(FileRow.id.is_(None), FileRow.withdrawn.is_(False)),
    )


def _same_identity(session: Session, case_id: str, keys: dict[str, str]) -> str | None:
    number = keys.get("invoice_number")
    if not number or not (keys.get("invoice_code") or keys.get("check_code")):
        return None
    # JSON values compare as their serialised text: the same on SQLite and PostgreSQL (json has no '=').
    candidates = session.scalars(
        select(DocumentRow)
        .join(FieldRow, FieldRow.document_id == DocumentRow.id)
        .join(CaseRow, CaseRow.id == DocumentRow.case_id)
        .outerjoin(FileRow, FileRow.id == DocumentRow.file_id)
        .where(
            _other_submitted_invoice(case_id),
            FieldRow.name == "invoice_number",
            cast(FieldRow.value, Text) == json.dumps(number),
        )
        .order_by(CaseRow.created_at)
    ).all()
    for candidate in candidates:
        theirs = _invoice_keys(candidate)
        if any(keys.get(k) and theirs.get(k) == keys[k] for k in ("invoice_code", "check_code")):
            return candidate.case_id
    return None


def _same_content(session: Session, case_id: str, sha256: str | None) -> str | None:
    if not sha256:
        return None
    query = (
        select(DocumentRow.case_id)
        .join(CaseRow, CaseRow.id == DocumentRow.case_id)
        .outerjoin(FileRow, FileRow.id == DocumentRow.file_id)
        .where(_other_submitted_invoice(case_id), DocumentRow.sha256 == sha256)
        .order_by(CaseRow.created_at)
    )
    return session.scalars(query).first()
