"""What a supervisor sees in the Prefect UI: which case runs wait for a clerk, which runs are clerks'
decisions, and a daily summary of the review work.

- A `process-case` run that ends in `needs_review` is tagged `awaiting-clerk` (flows/run_tags.py); when the
  clerk confirms or rejects the case, the `review-decision` run takes the tag off the case's earlier runs and is
  itself tagged `clerk-decision`. Filtering the UI's flow runs by `awaiting-clerk` then lists exactly
  the runs still waiting. Tags carry no case id: batch case ids are folder names, which may hold an
  applicant's name, and tags are shown everywhere in the UI; a waiting run also carries its case id's
  digest (`case_tag`), so a case's earlier waiting runs are found by tag, not by reading every waiting run.
- The `review-daily-summary` flow turns the supervisors' figures (db/stats.py, db/audit.py) into a
  markdown artifact under one stable key, so the Artifacts page keeps a version per run.

Tagging is bookkeeping for the UI: when the Prefect API cannot be reached, the case's result still
stands, so a failure here is logged (its kind only) and never fails the run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from uuid import UUID

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.client.orchestration import get_client
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import stats
from db.audit import decisions_per_clerk_day
from db.migrate import upgrade
from db.models import CaseVersionRow
from db.session import database_url, make_engine, session_factory
from flows.run_tags import AWAITING_CLERK, CLERK_DECISION, add_tags, current_run_id, shown_case_id, waiting_runs_of_case
from intake.settings import Settings

SUMMARY_KEY = "review-daily-summary"


def recorded_run_ids(session: Session, case_id: str) -> set[UUID]:
    """The flow runs that stored a version of the case (the service records its `process-case` run)."""
    ids = session.scalars(
        select(CaseVersionRow.flow_run_id).where(
            CaseVersionRow.case_id == case_id, CaseVersionRow.flow_run_id.is_not(None)
        )
    )
    return {UUID(i) for i in ids if i}


def settle_case_runs(session: Session, case_id: str, action: str) -> None:
    """In `review-decision`: the run is tagged `clerk-decision`; a confirmation or a rejection ends the
    wait, so the case's earlier runs lose `awaiting-clerk` (a postponed case still waits)."""
    run_id = current_run_id()
    try:
        with get_client(sync_client=True) as client:
            if run_id is not None:
                add_tags(client, run_id, add=[CLERK_DECISION])
            if action == "postpone":
                return
            earlier = recorded_run_ids(session, case_id) | {r.id for r in waiting_runs_of_case(client, case_id)}
            for earlier_id in earlier - {run_id}:
                add_tags(client, earlier_id, drop=[AWAITING_CLERK])
    except Exception as exc:
        get_run_logger().warning("could not update the case runs' tags: %s", type(exc).__name__)


def _codes(reasons: list[str]) -> str:
    return "、".join(reasons)


def _table(header: list[str], rows: Iterable[Iterable[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines if len(lines) > 2 else ["无"]


def summary_markdown(session: Session, now: dt.datetime, days: int) -> str:
    """The supervisors' figures as markdown: counts, item names, clerks' usernames, reason codes and
    shown case ids; never a name, an ID number, a diagnosis or document text."""
    since = now - dt.timedelta(days=days)
    backlog = stats.backlog(session, now)
    failures = stats.failures(session, since, now)
    buckets = [name for name, _ in stats.AGE_BUCKETS] + [stats.OLDER]
    lines = [
        f"# 复核每日汇总（{now.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC，统计近 {days} 天）",
        "",
        f"## 待复核：共 {backlog.total} 件，其中 {backlog.leased} 件正在处理",
        "",
        *_table(
            ["事项", *buckets],
            ([item, *(ages.get(b, 0) for b in buckets)] for item, ages in sorted(backlog.by_item_age.items())),
        ),
        "",
        f"## 超期未复核：{len(backlog.overdue)} 件",
        "",
        *_table(
            ["案件", "事项", "期限（UTC）", "处理人", "原因"],
            (
                [shown_case_id(t.case_id), t.item, f"{t.deadline:%Y-%m-%d %H:%M}", t.holder or "-", _codes(t.reasons)]
                for t in backlog.overdue
            ),
        ),
        "",
        "## 每人每日复核决定",
        "",
        *_table(["日期", "工作人员", "决定数"], ([d, a, n] for a, d, n in decisions_per_clerk_day(session, since))),
        "",
        "## 每日结论（按事项）",
        "",
        *_table(["日期", "事项", "结论", "案件数"], stats.verdicts_per_day_item(session, since)),
        "",
        "## 失败",
        "",
        *_table(["问题代码", "文件数"], failures.files_by_code.items()),
        "",
        f"提交后超过 {int(stats.STUCK_AFTER.total_seconds() // 60)} 分钟仍无结论：{len(failures.stuck_cases)} 件"
        + ("（" + "、".join(shown_case_id(c) for c in failures.stuck_cases) + "）" if failures.stuck_cases else ""),
    ]
    return "\n".join(lines) + "\n"


@flow(name="review-daily-summary", log_prints=False, persist_result=False)
def review_daily_summary(days: int = 1) -> str:
    """Write the review summary of the last `days` days as the `review-daily-summary` artifact (a new
    version of it each run) and return the artifact's id. The database comes from the worker's
    settings, never from a parameter (its URL may hold a password)."""
    settings = Settings()
    url = database_url(settings)
    upgrade(url)
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            markdown = summary_markdown(session, dt.datetime.now(dt.UTC), days)
    finally:
        engine.dispose()
    artifact_id = create_markdown_artifact(key=SUMMARY_KEY, markdown=markdown, description="复核每日汇总")
    get_run_logger().info("review summary stored as artifact %s", artifact_id)
    return str(artifact_id)
