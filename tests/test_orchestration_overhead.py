"""What keeps a case's orchestration cheap: the embedded Prefect server's quiet services, the per-step log
records kept off the API, and the bench's split of the servers' CPU (docs/scale.md)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import anyio
import pytest
from prefect.client.schemas.objects import FlowRun
from prefect.settings import Settings as PrefectSettings
from prefect.states import Completed, Running
from prefect.workers.process import ProcessWorker

from bench.batch_bench import RECORDS, CaseRun, Timeline, prefect_records, servers_cpu_s
from flows import batch_flow, case_flow, deployments
from flows.case_flow import _store
from flows.deployments import poll_interval
from flows.run_tags import AWAITING_CLERK, case_tag
from flows.worker import CASES_IN_HAND, WarmWorker, _NoChatter, default_limit
from intake.catalog import UnknownItem
from intake.models import Reason
from intake.requests import BatchCase, CaseRequest, InputRef, RunSettings
from intake.settings import Settings
from interfaces.servers import QUIET_SERVICES
from storage.store import ObjectStore, StorageUnavailable

ROOT = Path(__file__).resolve().parent.parent


def test_quiet_services_are_prefect_settings_and_keep_what_the_product_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN the server environment `intake up` adds WHEN Prefect reads its settings THEN each variable is one
    Prefect knows (a misspelt one would be silently ignored) and the services the batch relies on stay on."""
    for name, value in QUIET_SERVICES.items():
        monkeypatch.setenv(name, value)
    services = PrefectSettings().server.services
    assert not services.triggers.enabled
    assert not services.late_runs.enabled
    assert not services.pause_expirations.enabled
    assert services.scheduler.recent_deployments_loop_seconds == 60
    # heartbeats are read back as events; task runs and workers' status are shown in the UI
    assert services.event_persister.enabled
    assert services.task_run_recorder.enabled
    assert services.foreman.enabled
    assert services.cancellation_cleanup.enabled
    assert services.repossessor.enabled
    # batched, but a heartbeat is still stored within seconds: a batch calls a worker lost after 90 s
    assert services.event_persister.flush_interval <= 10
    assert services.task_run_recorder.batch_size > 1 and services.task_run_recorder.flush_interval <= 10
    assert services.foreman.loop_seconds == 60
    known = {f"PREFECT_SERVER_SERVICES_{n.upper()}" for n in type(services).model_fields}
    assert all(any(name.startswith(k + "_") for k in known) for name in QUIET_SERVICES)


def _record(name: str, level: int, message: str = "message") -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_per_step_info_stays_off_the_api_but_summaries_and_warnings_reach_it() -> None:
    keep = _NoChatter().filter
    assert not keep(_record("prefect.task_runs", logging.INFO))
    assert not keep(_record("prefect.flow_runs.worker", logging.INFO))
    assert keep(_record("prefect.task_runs", logging.WARNING))  # a retry's failure, a reading that broke
    assert keep(_record("prefect.flow_runs.worker", logging.ERROR))
    assert keep(_record("prefect.flow_runs", logging.INFO))  # the case's summary
    # the engine's start and completed end repeat the run's Running and Completed states; a failed end says why
    assert not keep(_record("prefect.flow_runs", logging.INFO, "Beginning flow run 'a-b' for flow 'process-case'"))
    assert not keep(_record("prefect.flow_runs", logging.INFO, "Finished in state Completed()"))
    assert keep(_record("prefect.flow_runs", logging.INFO, "Finished in state Failed('Flow run encountered an error')"))
    assert keep(_record("prefect.flow_runs", logging.INFO, "case c1: 2 documents, verdict complete, 0 missing"))


def test_prefect_records_counts_rows_and_tolerates_a_missing_database(tmp_path: Path) -> None:
    database = tmp_path / "prefect.db"
    with sqlite3.connect(database) as db:
        for table in ("flow_run", "task_run", "flow_run_state", "task_run_state", "log", "events"):
            db.execute(f"CREATE TABLE {table} (id INTEGER)")
        db.executemany("INSERT INTO task_run VALUES (?)", [(1,), (2,), (3,)])
        db.executemany("INSERT INTO flow_run_state VALUES (?)", [(1,), (2,)])
        db.execute("INSERT INTO task_run_state VALUES (1)")
    db.close()
    counts = prefect_records(database)
    assert set(counts) == set(RECORDS)
    assert counts["task runs"] == 3 and counts["states"] == 3 and counts["logs"] == 0
    assert prefect_records(tmp_path / "absent.db") == {}


def test_servers_cpu_counts_the_prefect_child_apart_from_the_host() -> None:
    """The host's own CPU counts as the S3 side (its relay); a child that is not `weed` as the Prefect server."""
    burn = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass\ntime.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", burn])
    try:
        deadline = time.monotonic() + 20
        prefect, _ = servers_cpu_s(os.getpid())
        while prefect < 0.4 and time.monotonic() < deadline:
            time.sleep(0.2)
            prefect, _ = servers_cpu_s(os.getpid())
        _, own = servers_cpu_s(os.getpid())
        assert prefect >= 0.4
        assert own > 0  # this process (the "host") has run the test
    finally:
        child.kill()
        child.wait()


def test_a_case_tag_is_a_digest_that_names_nobody() -> None:
    """GIVEN a batch case id (a folder name, possibly an applicant's) WHEN its waiting run is tagged THEN the
    tag is a digest, the same for the same case and different for another; a generated id is its own tag."""
    tag = case_tag("c08_张三_住院")
    assert "张三" not in tag and "c08" not in tag and tag != AWAITING_CLERK
    assert tag == case_tag("c08_张三_住院") != case_tag("c08_李四_住院")
    assert case_tag("case-0123456789abcdef") == "case-0123456789abcdef"


def test_an_original_given_by_its_key_is_taken_without_storing_it_again(object_store: ObjectStore) -> None:
    """GIVEN an original the batch stored WHEN the case takes it by key THEN it is the same stored original,
    with no new object; GIVEN bytes under a key that is not their hash THEN they are kept under their hash."""
    data = (ROOT / "samples" / "documents" / "id_front_card_photo.jpg").read_bytes()
    stored, _ = object_store.put_original(data, "a/id.jpg", "image/jpeg")
    keys = object_store.list_keys("originals/")
    taken = _store(object_store, InputRef(source="b/id.jpg", key=stored.key))
    assert not isinstance(taken, Reason)
    assert taken[0] == stored.model_copy(update={"source": "b/id.jpg"}) and taken[1] == data
    assert object_store.list_keys("originals/") == keys
    object_store.put_bytes("uploads/odd", data + b"x", "image/jpeg")
    moved = _store(object_store, InputRef(source="c/id.jpg", key="uploads/odd"))
    assert not isinstance(moved, Reason)
    assert moved[0].key != "uploads/odd" and object_store.get_bytes(moved[0].key) == data + b"x"


def test_a_warm_worker_holds_two_cases_and_a_process_worker_its_cores_share() -> None:
    """One engine a warm worker reads a page at a time: a second case keeps it busy, a third would only wait."""
    assert default_limit(2, 2, warm=True) == CASES_IN_HAND == 2
    assert default_limit(8, 1, warm=True) == 2
    assert default_limit(8, 2, warm=False) == 4 and default_limit(2, 4, warm=False) == 1


def test_the_supervisor_polls_as_often_as_its_waiting_runs_allow() -> None:
    """GIVEN the runs still waiting WHEN the next poll is timed THEN many runs: the longest gap (a poll reads them
    all); the last few: every second, so a batch's end is seen at once."""
    assert poll_interval(200, 5.0) == 5.0
    assert poll_interval(20, 5.0) == 2.0
    assert poll_interval(3, 5.0) == poll_interval(1, 5.0) == 1.0
    assert poll_interval(3, 0.5) == 0.5


def test_a_full_warm_worker_skips_polls_but_not_for_long(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a warm worker with every slot taken WHEN its poll loop comes round THEN it asks the server nothing,
    unless its last poll is `full_poll_gap` old; with a slot free it polls."""
    calls: list[int] = []

    async def polled(self: ProcessWorker) -> list[object]:
        calls.append(1)
        return []

    monkeypatch.setattr(ProcessWorker, "get_and_submit_flow_runs", polled)
    worker = WarmWorker(work_pool_name="intake", limit=1)

    async def scenario() -> None:
        worker._limiter = anyio.CapacityLimiter(1)
        await worker.get_and_submit_flow_runs()  # free: polls
        worker._limiter.acquire_on_behalf_of_nowait("case")
        await worker.get_and_submit_flow_runs()  # full, polled just now: skipped
        worker._last_real_poll -= worker.full_poll_gap
        await worker.get_and_submit_flow_runs()  # full, but not polled for a while: polls
        worker._limiter.release_on_behalf_of("case")
        await worker.get_and_submit_flow_runs()  # free again: polls

    anyio.run(scenario)
    assert len(calls) == 3


def test_each_case_is_submitted_once_its_own_originals_are_stored(
    object_store: ObjectStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """GIVEN a batch of three cases, one of an unknown item WHEN it goes to the workers THEN each known case
    reaches the submitter, in order, with its originals already in the store (uploads run ahead in parallel),
    and the unknown one keeps its place in the outcomes without being stored or submitted."""
    source = (ROOT / "samples" / "documents" / "id_front_card_photo.jpg").read_bytes()
    cases = []
    for n in range(3):
        (tmp_path / f"c{n}").mkdir()
        (tmp_path / f"c{n}" / "p.jpg").write_bytes(source + f"case-{n}".encode())
        item = "没有这个事项" if n == 1 else "住院费用报销"
        cases.append(BatchCase(case_id=f"c{n}", item=item, files=[f"c{n}/p.jpg"]))
    requests = [CaseRequest(case_id=c.case_id, item=c.item, files=[]) for c in cases]
    seen: list[str] = []

    def submitter(prepared: Any, run: RunSettings, store: ObjectStore, **how: Any) -> list[Exception]:
        for request, originals in prepared:
            assert [o.key for o in originals] == [r.key for r in request.files]
            assert all(store.exists(o.key) for o in originals)
            seen.append(request.case_id)
        return [RuntimeError(case_id) for case_id in seen]

    monkeypatch.setattr(batch_flow, "run_cases_on_workers", submitter)
    run = RunSettings.from_settings(Settings())
    outcomes = batch_flow._on_workers(requests, str(tmp_path), cases, run, object_store)
    assert seen == ["c0", "c2"]
    assert isinstance(outcomes[1], UnknownItem) and [str(o) for o in (outcomes[0], outcomes[2])] == ["c0", "c2"]
    assert len(object_store.list_keys("originals/")) == 2


def test_the_timeline_splits_a_batch_into_phases_head_tail_and_idle() -> None:
    """GIVEN two case runs on one worker, constructed, with a 2 s gap between them WHEN the batch's timeline is
    taken THEN the phases are the runs' mean spans, the head and tail are measured from the call, and the gap
    is the worker's idle time."""
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def at(*seconds: float) -> dict[str, dt.datetime]:
        names = ("scheduled", "pending", "running", "task running", "task completed", "completed")
        return {name: t0 + dt.timedelta(seconds=s) for name, s in zip(names, seconds, strict=True)}

    runs = [CaseRun("7", at(1, 2, 2.5, 3, 9, 9.5)), CaseRun("7", at(1, 11.5, 12, 12.5, 18.5, 19))]
    timeline = Timeline.of(runs, t0, t0 + dt.timedelta(seconds=20))
    assert timeline is not None
    assert list(timeline.phases.values()) == [5.75, 0.5, 7.0]
    assert (timeline.head, timeline.tail, timeline.workers_idle) == (2.0, 1.0, 2.0)
    assert timeline.in_hand == pytest.approx(15 / 17)
    assert Timeline.of([], t0, t0) is None


def test_a_case_is_tried_again_only_when_the_store_does_not_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a case whose store fails once WHEN it is taken THEN it is taken again and its result returned;
    GIVEN a store that never answers THEN the last failure is raised after `STORE_ATTEMPTS`; GIVEN any other
    error THEN it is raised at once (it would fail the same way again)."""
    tries: list[str] = []
    failures: list[Exception] = [StorageUnavailable("store down")]

    def taken(request: CaseRequest, settings: Settings) -> str:
        tries.append(request.item)
        if failures:
            raise failures.pop(0)
        return "result"

    monkeypatch.setattr(case_flow, "_take_case", taken)
    monkeypatch.setattr(case_flow, "STORE_RETRY_SECONDS", 0.0)
    monkeypatch.setattr(case_flow, "get_run_logger", lambda: logging.getLogger("test"))
    request = CaseRequest(item="住院费用报销", files=[])
    assert case_flow.take_case(request, Settings()) == "result" and len(tries) == 2
    failures[:] = [StorageUnavailable("down")] * case_flow.STORE_ATTEMPTS
    with pytest.raises(StorageUnavailable):
        case_flow.take_case(request, Settings())
    assert len(tries) == 2 + case_flow.STORE_ATTEMPTS
    failures[:] = [ValueError("a bug")]
    with pytest.raises(ValueError):
        case_flow.take_case(request, Settings())
    assert len(tries) == 3 + case_flow.STORE_ATTEMPTS


class _FakeApi:
    """A Prefect client as the batch's supervisor uses it: runs created by request, read by filter; the second
    run ends at `ends_at` seconds of the fake clock, the first at once."""

    def __init__(self, clock: list[float], ends_at: float) -> None:
        self.clock, self.ends_at = clock, ends_at
        self.created: list[dict[str, Any]] = []
        self.reads: list[tuple[float, list[str] | None]] = []
        self.runs: list[FlowRun] = []

    def __enter__(self) -> _FakeApi:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read_deployment_by_name(self, name: str) -> Any:
        return SimpleNamespace(id=uuid.uuid4())

    def request(self, method: str, path: str, path_params: dict[str, Any], json: dict[str, Any]) -> Any:
        self.created.append(json)
        run = FlowRun(id=uuid.uuid4(), flow_id=uuid.uuid4(), name=json["name"], state=Running())
        self.runs.append(run)
        return SimpleNamespace(json=lambda: run.model_dump(mode="json"))

    def read_flow_runs(self, flow_run_filter: Any, limit: int) -> list[FlowRun]:
        wanted = flow_run_filter.state.type.any_ if flow_run_filter.state else None
        self.reads.append((self.clock[0], wanted and [s.value for s in wanted]))
        for n, run in enumerate(self.runs):
            if (n == 0 or self.clock[0] >= self.ends_at) and not run.state.is_completed():  # type: ignore[union-attr]
                run.state = Completed()
        ids = set(flow_run_filter.id.any_)
        return [r for r in self.runs if r.id in ids and (wanted is None or r.state.type in wanted)]  # type: ignore[union-attr]


def test_the_supervisor_reads_only_settled_runs_between_full_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN two case runs, one ending at once and one after 25 s WHEN the batch supervises them THEN a run is
    created without the server's parameter-schema check (the flow validates its parameters), each poll asks
    only for runs that ended or crashed, every waiting run is read whole once every `lost_check_interval`
    (for a lost worker), and both results come back in order."""
    clock = [0.0]
    fake_time = SimpleNamespace(monotonic=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    api = _FakeApi(clock, ends_at=25.0)
    monkeypatch.setattr(deployments, "time", fake_time)
    monkeypatch.setattr(deployments, "get_client", lambda sync_client: api)
    monkeypatch.setattr(deployments, "get_run_logger", lambda: logging.getLogger("test"))
    monkeypatch.setattr(deployments, "result_from_store", lambda store, case_id, originals: case_id)
    requests = [CaseRequest(case_id=f"c{n}", item="住院费用报销", files=[]) for n in range(2)]
    run = RunSettings.from_settings(Settings())
    results = deployments.run_cases_on_workers(((r, []) for r in requests), run, Any, lost_after=30.0)  # type: ignore[arg-type]
    assert results == ["c0", "c1"]
    assert [c["enforce_parameter_schema"] for c in api.created] == [False, False]
    assert deployments.lost_check_interval(30.0) == 10.0
    full = [at for at, states in api.reads if states is None]
    settled = [states for _, states in api.reads if states is not None]
    assert full and all(b - a >= 10.0 for a, b in zip([0.0, *full], full, strict=False))
    assert len(settled) > 2 * len(full)
    assert all(set(s) == {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"} for s in settled)


def test_the_case_flow_does_not_import_the_database_layer() -> None:
    """Every `intake process` call imports the case flow before reading its page; the supervisors' summary
    (flows/monitoring.py) and its SQLAlchemy and Alembic modules are not part of a case and stay unimported."""
    layer = ("sqlalchemy", "alembic", "db")
    probe = f"import sys, flows.case_flow; print(' '.join(m for m in {layer} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == []
