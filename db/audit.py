"""Reading the append-only audit trail (writing is db.cases.audit: one row per change, never updated)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEventRow

# Actions a clerk's review produces; the supervisor counts them per clerk and day.
REVIEW_ACTIONS = ("field_corrected", "field_confirmed", "document_corrected", "material_seen", "review_decision")


def case_events(session: Session, case_id: str) -> list[AuditEventRow]:
    """A case's history, oldest first."""
    query = select(AuditEventRow).where(AuditEventRow.case_id == case_id).order_by(AuditEventRow.id)
    return list(session.scalars(query))


def event_json(event: AuditEventRow) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "case_id": event.case_id,
        "document_id": event.document_id,
        "field": event.field,
        "action": event.action,
        "before": event.before,
        "after": event.after,
        "actor": event.actor,
        "source": event.source,
    }


def decisions_per_clerk_day(session: Session, since: dt.datetime) -> list[tuple[str, str, int]]:
    """(actor, UTC day, decisions) since `since`, newest day first: each clerk's confirm, reject and
    postpone decisions. Grouped here rather than in SQL: the day of a timestamp is spelled
    differently on SQLite and PostgreSQL, and the window is a few weeks of rows."""
    query = select(AuditEventRow.actor, AuditEventRow.at).where(
        AuditEventRow.action == "review_decision", AuditEventRow.at >= since
    )
    counts: Counter[tuple[str, str]] = Counter()
    for actor, at in session.execute(query):
        moment = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
        counts[(actor, moment.astimezone(dt.UTC).date().isoformat())] += 1
    return sorted(((a, d, n) for (a, d), n in counts.items()), key=lambda r: (r[1], r[0]), reverse=True)
