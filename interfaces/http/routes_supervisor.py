"""Supervisors' monitoring: backlog by age and item, overdue tasks, reviews per clerk and day,
verdicts per day and item, failures, and where to look in the Prefect UI. Counts and case ids only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from prefect.settings import PREFECT_UI_URL
from sqlalchemy.orm import Session

from db import stats
from db.audit import decisions_per_clerk_day
from interfaces.http.deps import db_session
from interfaces.http.routes_auth import SupervisorDep

router = APIRouter(tags=["supervisor"])
SessionDep = Annotated[Session, Depends(db_session)]


def prefect_ui_url() -> str | None:
    """The Prefect UI of the API this process reports flow runs to, when it has one."""
    url = PREFECT_UI_URL.value()
    return str(url).rstrip("/") if url else None


def supervisor_stats(session: Session, days: int, prefect_ui: str | None) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    since = now - dt.timedelta(days=days)
    backlog = stats.backlog(session, now)
    failures = stats.failures(session, since, now)
    return {
        "generated_at": now.isoformat(),
        "days": days,
        "backlog": {"total": backlog.total, "leased": backlog.leased, "by_item_age": backlog.by_item_age},
        "age_buckets": [name for name, _ in stats.AGE_BUCKETS] + [stats.OLDER],
        "overdue": [
            {
                "case_id": t.case_id,
                "item": t.item,
                "deadline": t.deadline.isoformat(),
                "holder": t.holder,
                "reasons": t.reasons,
            }
            for t in backlog.overdue
        ],
        "reviews_per_clerk_day": [
            {"actor": actor, "day": day, "decisions": n} for actor, day, n in decisions_per_clerk_day(session, since)
        ],
        "verdicts_per_day_item": [
            {"day": day, "item": item, "verdict": verdict, "cases": n}
            for day, item, verdict, n in stats.verdicts_per_day_item(session, since)
        ],
        "throughput_per_day": [
            {"day": day, "way_in": cause, "cases": n} for day, cause, n in stats.throughput_per_day(session, since)
        ],
        "failures": {"files_by_code": failures.files_by_code, "stuck_cases": failures.stuck_cases},
        "prefect": {
            "ui": prefect_ui,
            "flow_runs": f"{prefect_ui}/runs" if prefect_ui else None,
        },
    }


@router.get("/supervisor/stats")
def supervisor_stats_route(
    staff: SupervisorDep, session: SessionDep, days: Annotated[int, Query(ge=1, le=366)] = 14
) -> dict[str, Any]:
    """The monitoring figures (supervisors only; a clerk gets 403)."""
    return supervisor_stats(session, days, prefect_ui_url())
