"""Figures for the supervisors' page: backlog by age and item, overdue tasks, verdicts per day and
item, failures. Counts and case ids only: no names, ID numbers or diagnoses ever leave here."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CaseRow, CaseState, CaseVersionRow, FileRow, ReviewState, ReviewTaskRow, UserRow, utcnow
from db.review import LIVE, aware

AGE_BUCKETS: tuple[tuple[str, dt.timedelta], ...] = (
    ("不足1天", dt.timedelta(days=1)),
    ("1–3天", dt.timedelta(days=3)),
    ("3–7天", dt.timedelta(days=7)),
)
OLDER = "7天以上"
# A submitted case still `processing` after this long has lost its flow run.
STUCK_AFTER = dt.timedelta(minutes=30)


def age_bucket(age: dt.timedelta) -> str:
    return next((name for name, limit in AGE_BUCKETS if age < limit), OLDER)


@dataclass
class OverdueTask:
    case_id: str
    item: str
    deadline: dt.datetime
    holder: str | None
    reasons: list[str]


@dataclass
class Backlog:
    by_item_age: dict[str, dict[str, int]] = field(default_factory=dict)  # item → bucket → tasks
    total: int = 0
    leased: int = 0
    overdue: list[OverdueTask] = field(default_factory=list)


def backlog(session: Session, now: dt.datetime | None = None) -> Backlog:
    now = now or utcnow()
    result = Backlog()
    rows = session.execute(
        select(ReviewTaskRow, CaseRow.item_name, UserRow.username)
        .join(CaseRow, CaseRow.id == ReviewTaskRow.case_id)
        .outerjoin(UserRow, UserRow.id == ReviewTaskRow.lease_holder_id)
        .where(ReviewTaskRow.state.in_(LIVE))
        .order_by(ReviewTaskRow.deadline)
    ).all()
    for task, item, holder in rows:
        bucket = age_bucket(now - aware(task.created_at))
        per_item = result.by_item_age.setdefault(item, {})
        per_item[bucket] = per_item.get(bucket, 0) + 1
        result.total += 1
        result.leased += task.state == ReviewState.leased.value
        if task.deadline is not None and aware(task.deadline) < now:
            result.overdue.append(OverdueTask(task.case_id, item, aware(task.deadline), holder, list(task.reasons)))
    return result


def verdicts_per_day_item(session: Session, since: dt.datetime) -> list[tuple[str, str, str, int]]:
    """(UTC day, item, verdict, cases) for cases whose latest verdict was stored since `since`."""
    rows = session.execute(
        select(CaseRow.item_name, CaseVersionRow.verdict, CaseVersionRow.created_at)
        .join(CaseVersionRow, (CaseVersionRow.case_id == CaseRow.id) & (CaseVersionRow.version == CaseRow.version))
        .where(CaseVersionRow.created_at >= since)
    ).all()
    counts = Counter((aware(at).date().isoformat(), item, verdict) for item, verdict, at in rows)
    return sorted(((d, i, v, n) for (d, i, v), n in counts.items()), reverse=True)


# The ways a case is read whole: a batch run, an online case submitted (instant answers are not counted).
FINISHING_CAUSES = ("batch", "submit")


def throughput_per_day(session: Session, since: dt.datetime) -> list[tuple[str, str, int]]:
    """(UTC day, way in, cases read whole) since `since`: how much the batch runs and the online
    submissions got through each day (a case read again counts again: it was work done)."""
    rows = session.execute(
        select(CaseVersionRow.cause, CaseVersionRow.created_at).where(
            CaseVersionRow.created_at >= since, CaseVersionRow.cause.in_(FINISHING_CAUSES)
        )
    ).all()
    counts = Counter((aware(at).date().isoformat(), cause) for cause, at in rows)
    return sorted(((d, c, n) for (d, c), n in counts.items()), reverse=True)


@dataclass
class Failures:
    files_by_code: dict[str, int]  # uploads refused or flagged, by their first issue code
    stuck_cases: list[str]  # submitted, but no verdict after STUCK_AFTER


def failures(session: Session, since: dt.datetime, now: dt.datetime | None = None) -> Failures:
    now = now or utcnow()
    issues = session.scalars(
        select(FileRow.issues).where(FileRow.accepted.is_(False), FileRow.created_at >= since)
    ).all()
    by_code = Counter(str(found[0]["code"]) for found in issues if found)
    stuck = session.scalars(
        select(CaseRow.id).where(CaseRow.state == CaseState.processing.value, CaseRow.updated_at < now - STUCK_AFTER)
    ).all()
    return Failures(files_by_code=dict(by_code.most_common()), stuck_cases=list(stuck))
