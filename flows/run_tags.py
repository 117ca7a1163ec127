"""A case run's tags in the Prefect UI: a `process-case` run that ends in `needs_review` is tagged
`awaiting-clerk` and its case id's digest (`case_tag`), and a case read again waits in its latest run only.

Kept apart from the supervisors' summary (flows/monitoring.py) so that the case flow, which every
`intake process` call and every worker imports, does not import the database layer it never uses (the
summary's SQLAlchemy, Alembic and statistics modules, about half a CPU-second of a one-page call's start-up).

Tagging is bookkeeping for the UI: when the Prefect API cannot be reached, the case's result still
stands, so a failure here is logged (its kind only) and never fails the run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from uuid import UUID

from prefect import get_run_logger
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import FlowFilter, FlowFilterName, FlowRunFilter, FlowRunFilterTags
from prefect.client.schemas.objects import FlowRun
from prefect.context import FlowRunContext
from prefect.runtime import flow_run

from intake.models import VerdictStatus

AWAITING_CLERK = "awaiting-clerk"
CLERK_DECISION = "clerk-decision"
CASE_FLOW = "process-case"
# Generated case ids (`case-` + 16 hex digits of a hash or a random UUID) name nobody; any other id
# may be a batch folder's name and is shown only as a digest.
GENERATED_CASE_ID = re.compile(r"case-[0-9a-f]{16}")
# Runs waiting for a clerk are read page by page when looked up by their parameters.
PAGE = 200


def current_run_id() -> UUID | None:
    """The running flow run's id (None outside a flow run)."""
    found = flow_run.get_id()
    return UUID(str(found)) if found else None


def add_tags(
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
    this_run = current_run_id()
    if this_run is None:
        return
    try:
        context = FlowRunContext.get()
        if context is not None and isinstance(context.client, SyncPrefectClient):
            # The flow engine's own client: a client of its own cost the worker a new HTTP client and TLS
            # context (about 0.05 CPU-second) for every case.
            _tag_case_run(context.client, this_run, case_id, verdict)
        else:
            with get_client(sync_client=True) as client:
                _tag_case_run(client, this_run, case_id, verdict)
    except Exception as exc:
        get_run_logger().warning("could not tag the run as awaiting a clerk: %s", type(exc).__name__)


def _tag_case_run(client: SyncPrefectClient, run_id: UUID, case_id: str | None, verdict: VerdictStatus) -> None:
    if case_id is not None:
        for earlier in waiting_runs_of_case(client, case_id):
            if earlier.id != run_id:
                add_tags(client, earlier.id, drop=[AWAITING_CLERK])
    if verdict is VerdictStatus.needs_review:
        tags = [AWAITING_CLERK, *([case_tag(case_id)] if case_id else [])]
        add_tags(client, run_id, add=tags, current=flow_run.get_tags())


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


def shown_case_id(case_id: str) -> str:
    """A case id fit for the summary: generated ids as they are, any other (a batch folder's name,
    possibly an applicant's) as the first 12 hex digits of its SHA-256, which names nobody."""
    if GENERATED_CASE_ID.fullmatch(case_id):
        return case_id
    return "#" + hashlib.sha256(case_id.encode()).hexdigest()[:12]
