"""What a supervisor sees in the Prefect UI: which case runs wait for a clerk, which runs are clerks'
decisions, and a daily summary of the review work.

- A `process-case` run that ends in `needs_review` is tagged `awaiting-clerk`; when the clerk confirms
  or rejects the case, the `review-decision` run takes the tag off the case's earlier runs and is
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
import hashlib
import re
from collections.abc import Iterable
from uuid import UUID

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import FlowFilter, FlowFilterName, FlowRunFilter, FlowRunFilterTags
from prefect.client.schemas.objects import FlowRun
from prefect.context import FlowRunContext
from prefect.runtime import flow_run
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import stats
from db.audit import decisions_per_clerk_day
from db.migrate import upgrade
from db.models import CaseVersionRow
from db.session import database_url, make_engine, session_factory
from intake.models import VerdictStatus
from intake.settings import Settings

AWAITING_CLERK = "awaiting-clerk"
CLERK_DECISION = "clerk-decision"
SUMMARY_KEY = "review-daily-summary"
CASE_FLOW = "process-case"
# Generated case ids (`case-` + 16 hex digits of a hash or a random UUID) name nobody; any other id
# may be a batch folder's name and is shown only as a digest.
GENERATED_CASE_ID = re.compile(r"case-[0-9a-f]{16}")
# Runs waiting for a clerk are read page by page when looked up by their parameters.
PAGE = 200


def _run_id() -> UUID | None:
    run_id = flow_run.get_id()
    return UUID(str(run_id)) if run_id else None


def _add_tags(
    client: SyncPrefectClient,
    run_id: UUID,
    add: Iterable[str] = (),
    drop: Iterable[str] = (),
    current: list[str] | None = None,
) -> None:
    """`update_flow_run` replaces a run's tags: the run's own tags are kept, read first unless given as `current`
    (the running flow's own tags, which its context holds: one request less a case)."""
    had = list(current) if current is not None else list(client.read_flow_run(run_id).tags)
    tags = [t for t in had if t not in set(drop)]
    tags += [t for t in add if t not in tags]
    if tags != had:
        client.update_flow_run(run_id, tags=tags)


def mark_case_run(case_id: str | None, verdict: VerdictStatus) -> None:
    """At the end of `process-case`: a case that needs a clerk tags its run `awaiting-clerk`. A case
    read again (a resubmission, a batch run again) waits in its latest run only: earlier runs that
    named the same case in their request lose the tag, whatever the new verdict."""
    run_id = _run_id()
    if run_id is None:
        return
    try:
        context = FlowRunContext.get()
        if context is not None and isinstance(context.client, SyncPrefectClient):
            # The flow engine's own client: a client of its own cost the worker a new HTTP client and TLS
            # context (about 0.05 CPU-second) for every case.
            _tag_case_run(context.client, run_id, case_id, verdict)
        else:
            with get_client(sync_client=True) as client:
                _tag_case_run(client, run_id, case_id, verdict)
    except Exception as exc:
        get_run_logger().warning("could not tag the run as awaiting a clerk: %s", type(exc).__name__)


def _tag_case_run(client: SyncPrefectClient, run_id: UUID, case_id: str | None, verdict: VerdictStatus) -> None:
    if case_id is not None:
        for earlier in waiting_runs_of_case(client, case_id):
            if earlier.id != run_id:
                _add_tags(client, earlier.id, drop=[AWAITING_CLERK])
    if verdict is VerdictStatus.needs_review:
        tags = [AWAITING_CLERK, *([case_tag(case_id)] if case_id else [])]
        _add_tags(client, run_id, add=tags, current=flow_run.get_tags())


def recorded_run_ids(session: Session, case_id: str) -> set[UUID]:
    """The flow runs that stored a version of the case (the service records its `process-case` run)."""
    ids = session.scalars(
        select(CaseVersionRow.flow_run_id).where(
            CaseVersionRow.case_id == case_id, CaseVersionRow.flow_run_id.is_not(None)
        )
    )
    return {UUID(i) for i in ids if i}


def case_tag(case_id: str) -> str:
    """The tag a waiting run carries for its case: a digest of the case id, which names nobody."""
    return "case" + shown_case_id(case_id) if not GENERATED_CASE_ID.fullmatch(case_id) else case_id


def waiting_runs_of_case(client: SyncPrefectClient, case_id: str) -> list[FlowRun]:
    """`process-case` runs tagged `awaiting-clerk` whose request named this case (batch runs name it;
    their versions are recorded without a run id). Looked up by the case's tag: reading every waiting run
    instead, as each case of a batch ends, made the server's work grow with the square of the batch."""
    found: list[FlowRun] = []
    offset = 0
    while True:
        page = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[CASE_FLOW])),
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[AWAITING_CLERK, case_tag(case_id)])),
            limit=PAGE,
            offset=offset,
        )
        found += [r for r in page if (r.parameters.get("request") or {}).get("case_id") == case_id]
        if len(page) < PAGE:
            return found
        offset += PAGE


def settle_case_runs(session: Session, case_id: str, action: str) -> None:
    """In `review-decision`: the run is tagged `clerk-decision`; a confirmation or a rejection ends the
    wait, so the case's earlier runs lose `awaiting-clerk` (a postponed case still waits)."""
    run_id = _run_id()
    try:
        with get_client(sync_client=True) as client:
            if run_id is not None:
                _add_tags(client, run_id, add=[CLERK_DECISION])
            if action == "postpone":
                return
            earlier = recorded_run_ids(session, case_id) | {r.id for r in waiting_runs_of_case(client, case_id)}
            for earlier_id in earlier - {run_id}:
                _add_tags(client, earlier_id, drop=[AWAITING_CLERK])
    except Exception as exc:
        get_run_logger().warning("could not update the case runs' tags: %s", type(exc).__name__)


def shown_case_id(case_id: str) -> str:
    """A case id fit for the summary: generated ids as they are, any other (a batch folder's name,
    possibly an applicant's) as the first 12 hex digits of its SHA-256, which names nobody."""
    if GENERATED_CASE_ID.fullmatch(case_id):
        return case_id
    return "#" + hashlib.sha256(case_id.encode()).hexdigest()[:12]


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
