"""What keeps a case's orchestration cheap: the embedded Prefect server's quiet services, the per-step log
records kept off the API, and the bench's split of the servers' CPU (docs/scale.md)."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from prefect.settings import Settings as PrefectSettings

from bench.batch_bench import RECORDS, prefect_records, servers_cpu_s
from flows.case_flow import _store
from flows.monitoring import AWAITING_CLERK, case_tag
from flows.worker import _NoChatter
from intake.models import Reason
from intake.requests import InputRef
from interfaces.servers import QUIET_SERVICES
from storage.store import ObjectStore

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


def _record(name: str, level: int) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, "message", None, None)


def test_per_step_info_stays_off_the_api_but_summaries_and_warnings_reach_it() -> None:
    keep = _NoChatter().filter
    assert not keep(_record("prefect.task_runs", logging.INFO))
    assert not keep(_record("prefect.flow_runs.worker", logging.INFO))
    assert keep(_record("prefect.task_runs", logging.WARNING))  # a retry's failure, a reading that broke
    assert keep(_record("prefect.flow_runs.worker", logging.ERROR))
    assert keep(_record("prefect.flow_runs", logging.INFO))  # the case's summary, the run's begin and end


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
