"""The flows as Prefect deployments on a process work pool, and the batch's fan-out to them.

Scale-out (docs/scale.md): a Prefect server holds the queue, any number of workers (`intake worker`, one per
host) take flow runs from the pool, and the object store is the only medium they share. Each case of a batch is
a flow run of its own that any worker may take; the batch flow submits them and supervises them:

- a case's run is created with an idempotency key (batch case id, attempt, run settings), so the batch run
  again finds the runs it made before instead of running a case twice;
- a run whose worker died (no heartbeat for `lost_after` seconds, or the server saw it crash) is marked crashed
  and submitted once more; storage is content-addressed, so a case read twice stores nothing twice;
- the case's result comes back through the store (case.json, verdict.json), never through Prefect's result
  storage, which would hold personal data on a disk the batch cannot see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from prefect import Flow, get_client, get_run_logger, runtime
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.actions import DeploymentFlowRunCreate, WorkPoolCreate
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, FlowRunFilterState, FlowRunFilterStateType
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.events.filters import EventFilter, EventNameFilter, EventOccurredFilter, EventResourceFilter
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
from prefect.states import Crashed, Scheduled, to_state_create

from intake.catalog import default_catalog
from intake.models import Case, StoredOriginal, Verdict
from intake.requests import CaseRequest, CaseResult, ItemRef, RunSettings, StorageRef
from storage import layout
from storage.store import ObjectStore

POOL = "intake"
CASE_DEPLOYMENT_NAME = "intake-case"
BATCH_DEPLOYMENT_NAME = "intake-batch"
CASE_DEPLOYMENT = f"process-case/{CASE_DEPLOYMENT_NAME}"
BATCH_DEPLOYMENT = f"batch-intake/{BATCH_DEPLOYMENT_NAME}"
HEARTBEAT = "prefect.flow-run.heartbeat"
SOURCE_ROOT = Path(__file__).resolve().parent.parent


def ensure_pool(client: SyncPrefectClient, pool: str, concurrency: int | None = None) -> None:
    """A process work pool (created once; its concurrency limit caps the cases read at once over all workers)."""
    try:
        client.create_work_pool(WorkPoolCreate(name=pool, type="process", concurrency_limit=concurrency))
    except ObjectAlreadyExists:
        return


def deploy(pool: str = POOL, source: Path = SOURCE_ROOT, concurrency: int | None = None) -> list[UUID]:
    """The case and batch flows as deployments on `pool`, run from `source` (this checkout; on other hosts the
    same release at the same path, or a git URL). Idempotent: deploying again updates them in place."""
    with get_client(sync_client=True) as client:
        ensure_pool(client, pool, concurrency)
    ids: list[UUID] = []
    for entrypoint, name in (
        ("flows/case_flow.py:process_case", CASE_DEPLOYMENT_NAME),
        ("flows/batch_flow.py:batch_intake", BATCH_DEPLOYMENT_NAME),
    ):
        # Called from sync code, both return their value, not a coroutine (Prefect's types cover both).
        remote = cast(Flow[..., Any], Flow.from_source(source=str(source), entrypoint=entrypoint))
        deployed = remote.deploy(
            name=name, work_pool_name=pool, print_next_steps=False, build=False, push=False, ignore_warnings=True
        )
        ids.append(cast(UUID, deployed))
    return ids


@dataclass
class _CaseRun:
    request: CaseRequest
    originals: list[StoredOriginal]
    attempt: int = 0
    flow_run_id: UUID | None = None
    outcome: CaseResult | Exception | None = None
    history: list[str] = field(default_factory=list)


def batch_tag(batch_run_name: str) -> str:
    """The tag every case run of a batch carries: the batch's flow-run name (Prefect's own, naming nobody)."""
    return f"batch:{batch_run_name}"


def _idempotency_key(request: CaseRequest, run: RunSettings, attempt: int) -> str:
    digest = hashlib.sha256((request.model_dump_json() + run.model_dump_json()).encode()).hexdigest()[:16]
    return f"{request.case_id}:{digest}:{attempt}"


def _submit(client: SyncPrefectClient, case: _CaseRun, run: RunSettings, deployment_id: UUID, tags: list[str]) -> None:
    """The case's flow run, scheduled now on the deployment. Created directly rather than with
    `run_deployment`, which inside the batch's flow would also read the deployment again and create a task run
    in the batch standing for each case (a row, a state and an event the server writes for every case, that
    never leaves Pending): the batch follows its cases by run id, and the runs are named after them. Not
    nested under the batch's run in the UI, they carry its tag (`tags`) so a supervisor filters a batch.

    The run asks the server not to check its parameters against the deployment's JSON schema
    (`enforce_parameter_schema`, on for the deployment, so runs made in the UI are still checked): these
    parameters are the request and settings models as this release dumped them, which the flow validates again
    (pydantic) before it starts, and the server's check (the schema itself checked against JSON Schema's
    metaschema, then the parameters) was about 30 ms of its CPU for every case."""
    created = DeploymentFlowRunCreate(
        parameters={"request": case.request.model_dump(mode="json"), "run": run.model_dump(mode="json")},
        state=to_state_create(Scheduled()),
        tags=tags,
        name=f"{case.request.case_id}-{case.attempt}",
        idempotency_key=_idempotency_key(case.request, run, case.attempt),
        enforce_parameter_schema=False,
    )
    response = client.request(
        "POST",
        "/deployments/{id}/create_flow_run",
        path_params={"id": deployment_id},
        json=created.model_dump(mode="json", exclude_unset=True),
    )
    case.flow_run_id = FlowRun.model_validate(response.json()).id


def _beat_since(client: SyncPrefectClient, flow_run: FlowRun, since: dt.datetime) -> bool:
    """Whether the run sent a heartbeat after `since`."""
    page = client.read_events(
        EventFilter(
            occurred=EventOccurredFilter(since=cast(Any, since), until=cast(Any, dt.datetime.now(dt.UTC))),
            event=EventNameFilter(name=[HEARTBEAT]),
            resource=EventResourceFilter(id=[f"prefect.flow-run.{flow_run.id}"]),
        ),
        limit=1,
    )
    return bool(page.events)


def _is_lost(client: SyncPrefectClient, flow_run: FlowRun, lost_after: float) -> bool:
    """A case a worker took (pending: its process starting; running) with no heartbeat for `lost_after`
    seconds: its host is presumed gone. A run not yet beating is measured from when it entered that state."""
    if flow_run.state is None or not (flow_run.state.is_running() or flow_run.state.is_pending()):
        return False
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=lost_after)
    if flow_run.state.timestamp > cutoff:
        return False
    return not _beat_since(client, flow_run, cutoff)


# The states a waiting run leaves the batch's watch in: its end (completed: its result is read; failed or cancelled:
# reported) or a crash (run again). A run in any other state needs nothing until it has been silent long enough to
# be called lost, which only a full read checks.
SETTLED = [StateType.COMPLETED, StateType.FAILED, StateType.CRASHED, StateType.CANCELLED]


def _read_runs(
    client: SyncPrefectClient, ids: list[UUID], states: list[StateType] | None = None
) -> dict[UUID, FlowRun]:
    """The batch's waiting runs in one request a poll, not one each: with hundreds of cases a batch polled run by
    run would keep the Prefect server busy (and it shares the machine with the workers). With `states`, only the
    runs in one of them: the server reads and sends the few that changed, not every waiting run."""
    found: dict[UUID, FlowRun] = {}
    state = FlowRunFilterState(type=FlowRunFilterStateType(any_=states)) if states else None
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        wanted = FlowRunFilter(id=FlowRunFilterId(any_=chunk), state=state)
        found.update((r.id, r) for r in client.read_flow_runs(flow_run_filter=wanted, limit=len(chunk)))
    return found


def result_from_store(store: ObjectStore, case_id: str, originals: list[StoredOriginal]) -> CaseResult:
    """A case run's result as the case flow stored it (case.json and verdict.json under the case's prefix)."""
    case = Case.model_validate(store.get_json(layout.case_key(case_id)))
    verdict = Verdict.model_validate(store.get_json(layout.verdict_key(case_id)))
    item = default_catalog().find(case.item_id, case.region)
    return CaseResult(
        case=case,
        item=ItemRef(id=item.id, name=item.name, region=item.region),
        verdict=verdict,
        storage=StorageRef(bucket=store.bucket, prefix=layout.case_prefix(case_id)),
        originals=originals,
    )


class NoDeployment(Exception):
    """The case deployment is not on the Prefect server: no worker has deployed the flows yet."""


class CaseRunFailed(Exception):
    """A case's flow run ended without a result (failed, cancelled, or lost more often than allowed)."""


def poll_interval(waiting: int, longest: float) -> float:
    """Seconds until the supervisor's next poll: a tenth of a second a waiting run, between 1 s and `longest`.
    A poll costs the server in proportion to the runs it reads, so its cost a second stays about level; the
    last cases of a batch, few, are seen done within a second instead of up to `longest` later, which every
    batch paid at its end."""
    return min(longest, max(1.0, 0.1 * waiting))


def lost_check_interval(lost_after: float) -> float:
    """Seconds between the supervisor's full reads of its waiting runs (the polls between read only the runs that
    ended or crashed): a third of `lost_after`, so a lost run is called lost at most that much later than its
    last beat allows, while a batch of minutes makes a few full reads instead of one every poll."""
    return max(1.0, lost_after / 3)


def run_cases_on_workers(
    cases: Iterable[tuple[CaseRequest, list[StoredOriginal]]],
    run: RunSettings,
    store: ObjectStore,
    *,
    deployment: str = CASE_DEPLOYMENT,
    lost_after: float = 90.0,
    attempts: int = 3,
    timeout: float = 3600.0,
    poll: float = 5.0,
) -> list[CaseResult | Exception]:
    """Each case (its request and its stored originals) as its own flow run of `deployment`, taken by whichever
    worker is free; each result or what it failed with, in the order given. A case is submitted as soon as
    `cases` gives it, so workers start on the first cases while the batch still stores the later ones' originals.
    A run lost with its worker is run again (at most `attempts` runs a case); a run that failed by itself is not
    (it would fail the same way). Polled every `poll_interval` seconds (at most `poll`): each poll costs the
    Prefect server about 25 ms of CPU for 20 waiting runs, and a batch is minutes long): a poll reads only the runs
    that ended or crashed, and every `lost_check_interval` seconds every waiting run, to find those lost."""
    logger = get_run_logger()
    with get_client(sync_client=True) as client:
        try:
            deployment_id = client.read_deployment_by_name(deployment).id
        except ObjectNotFound as exc:
            raise NoDeployment(f"Prefect 服务上没有部署 {deployment}：先启动 intake worker") from exc
        tags = [batch_tag(runtime.flow_run.name)] if runtime.flow_run.name else []
        submitted: list[_CaseRun] = []
        for request, stored in cases:
            submitted.append(_CaseRun(request, stored))
            _submit(client, submitted[-1], run, deployment_id, tags)
    cases_run = submitted
    deadline = time.monotonic() + timeout
    last_full = time.monotonic()
    with get_client(sync_client=True) as client:
        while any(c.outcome is None for c in cases_run):
            if time.monotonic() > deadline:
                for case in cases_run:
                    if case.outcome is None:
                        case.outcome = CaseRunFailed(f"case run not finished in {timeout:.0f} s")
                break
            time.sleep(poll_interval(sum(c.outcome is None for c in cases_run), poll))
            waiting = [c for c in cases_run if c.outcome is None]
            full = time.monotonic() - last_full >= lost_check_interval(lost_after)
            if full:
                last_full = time.monotonic()
            ids = [c.flow_run_id for c in waiting if c.flow_run_id is not None]
            runs = _read_runs(client, ids, None if full else SETTLED)
            for case in waiting:
                assert case.flow_run_id is not None
                found = runs.get(case.flow_run_id)
                if found is None and not full:
                    continue  # neither ended nor crashed: nothing to do until the next full read
                flow_run = found or client.read_flow_run(case.flow_run_id)
                state = flow_run.state
                if state is None:
                    continue
                if state.is_completed():
                    assert case.request.case_id is not None
                    case.outcome = result_from_store(store, case.request.case_id, case.originals)
                    continue
                lost = _is_lost(client, flow_run, lost_after)
                if lost:
                    client.set_flow_run_state(flow_run.id, Crashed(message="worker lost: no heartbeat"), force=True)
                if lost or state.is_crashed():
                    case.history.append(f"attempt {case.attempt}: {'lost' if lost else 'crashed'}")
                    logger.warning("case %s: %s, submitted again", case.request.case_id, case.history[-1])
                    case.attempt += 1
                    if case.attempt >= attempts:
                        case.outcome = CaseRunFailed("; ".join(case.history))
                    else:
                        _submit(client, case, run, deployment_id, tags)
                elif state.is_final():
                    case.outcome = CaseRunFailed(f"case run {state.type.value.lower()}")
    return [c.outcome if c.outcome is not None else CaseRunFailed("no outcome") for c in cases_run]
