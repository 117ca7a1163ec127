"""Scale-out on one machine: a local Prefect server (SQLite) started here, two `intake worker`s with data dirs of
their own as if on two hosts, the object store as the only thing they share, and one batch fanned out to them
(`intake batch --on-workers`). One worker host is killed mid-batch (the worker and the case it was reading);
the batch still completes, every case once in the report, nothing stored twice."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from intake.settings import Settings
from interfaces.servers import process_alive, start_prefect_server, stop_process_group
from storage.credentials import resolve
from storage.store import ObjectStore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "samples" / "documents"
# Card-sized pages, so that a case takes seconds: the test is about who runs what, not about reading.
CARDS = [
    "id_front_card_photo.jpg",
    "id_back_card_photo.jpg",
    "id_front_scanned_grey.jpg",
    "social_security_card_scan.jpg",
]


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("prefect-server")
    process, api = start_prefect_server(home, home / "server.log", timeout=240)
    yield api
    stop_process_group(process)


def _env(base: dict[str, str], api: str, data_dir: Path) -> dict[str, str]:
    """A host of its own: its data dir and Prefect home; the shared Prefect server; from `base` (the test's
    `cli_env`) the shared endpoint and bucket, and its keys, as a host's own environment would hold them."""
    (data_dir / "prefect").mkdir(parents=True, exist_ok=True)
    return {
        **base,
        "PREFECT_API_URL": api,
        "PREFECT_HOME": str(data_dir / "prefect"),
        "INTAKE_DATA_DIR": str(data_dir),
        "INTAKE_OCR__THREADS": "1",
    }


def _start_worker(name: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "interfaces.cli", "worker", "--limit", "1", "--name", name],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (a flow run is started in a session of its own, so a killpg misses it)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _kill_host(worker: subprocess.Popen[bytes]) -> None:
    """A host lost at once: the worker and whatever it started, with SIGKILL."""
    for pid in [worker.pid, *_descendants(worker.pid)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
    worker.wait(timeout=10)


def _wait_for(what: str, check: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _completed_case_runs(api: str) -> list[dict[str, Any]]:
    runs = httpx.post(f"{api}/flow_runs/filter", json={"limit": 200}, timeout=10).json()
    return [r for r in runs if r["state_type"] == "COMPLETED" and re.match(r"c\d-", r["name"])]


def test_two_workers_share_a_batch_and_survive_losing_one(
    prefect_api: str, cli_env: dict[str, str], object_store_for_cli: ObjectStore, tmp_path: Path
) -> None:
    """GIVEN a Prefect server, two workers on separate data dirs and a batch of four one-card cases
    WHEN the batch is fanned out and the first worker host to take a case is killed while reading it
    THEN the batch completes with every case once, the lost case run again on the other worker, every case's
    flow run tagged with the batch and executed in a worker's own (warm) process, and the store holds one
    object per original and one case.json per case."""
    batch = tmp_path / "batch"
    rows = []
    for index, card in enumerate(CARDS, 1):
        (batch / f"c{index}").mkdir(parents=True)
        shutil.copyfile(DOCS / card, batch / f"c{index}" / card)
        rows.append(
            {"case_id": f"c{index}", "item": "住院费用报销", "case_date": "2025-06-20", "files": [f"c{index}/{card}"]}
        )
    (batch / "manifest.yaml").write_text(yaml.safe_dump({"cases": rows}, allow_unicode=True), encoding="utf-8")
    base = {k: v for k, v in cli_env.items() if not k.startswith("PREFECT_")}
    base |= {"PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    object_store = object_store_for_cli
    logs = {name: tmp_path / f"worker-{name}.log" for name in ("a", "b")}
    workers = {
        name: _start_worker(name, _env(base, prefect_api, tmp_path / f"host-{name}"), log) for name, log in logs.items()
    }
    submitter: subprocess.Popen[str] | None = None
    try:
        _wait_for("both workers polling", lambda: all("started" in p.read_text() for p in logs.values()), 180)
        submitter = subprocess.Popen(
            [
                *(sys.executable, "-m", "interfaces.cli", "batch", str(batch)),
                *("--manifest", str(batch / "manifest.yaml"), "--on-workers", "--lost-after", "60", "--json"),
            ],
            cwd=ROOT,
            env=_env(base, prefect_api, tmp_path / "host-submitter"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

        def submitted() -> bool:
            if submitter.poll() is not None:
                raise AssertionError(f"batch ended before a worker took a case: {submitter.communicate()[1][-2000:]}")
            return any("submitting flow run" in p.read_text() for p in logs.values())

        _wait_for("a worker to take a case", submitted, 240)
        victim = next(name for name, p in logs.items() if "submitting flow run" in p.read_text())
        time.sleep(3)  # into the case's reading
        _kill_host(workers[victim])
        out, err = submitter.communicate(timeout=600)
        assert submitter.returncode == 0, err[-2000:]
    finally:
        for process in workers.values():
            if process.poll() is None:
                stop_process_group(process)
        if submitter is not None and submitter.poll() is None:
            submitter.kill()
    report = json.loads(out)
    case_ids = sorted(c["case_id"].split("-")[0] for c in report["cases"])
    assert case_ids == ["c1", "c2", "c3", "c4"] and not report["failed"], report["totals"]
    assert report["totals"]["cases"] == 4 and report["totals"]["documents"] == 4
    survivor = next(name for name in logs if name != victim)
    assert "submitting flow run" in logs[survivor].read_text()
    assert len(object_store.list_keys("originals/")) == len(CARDS)
    assert len([k for k in object_store.list_keys("cases/") if k.endswith("/case.json")]) == len(CARDS)
    completed = _completed_case_runs(prefect_api)
    assert sorted(run["name"].split("-")[0] for run in completed) == ["c1", "c2", "c3", "c4"]
    # The batch's cases are found together in the UI by its tag.
    batch_tags = {tag for run in completed for tag in run["tags"] if tag.startswith("batch:")}
    assert len(batch_tags) == 1 and all(batch_tags <= set(run["tags"]) for run in completed), batch_tags
    # Warm workers: every case's flow run ran inside a worker's own process (its models loaded once), not in a
    # process started for the run.
    assert {run["infrastructure_pid"] for run in completed} <= {str(p.pid) for p in workers.values()}


def test_up_serves_later_calls_and_down_stops_them(tmp_path: Path) -> None:
    """GIVEN `intake up` in a data dir WHEN `intake process` runs in the same data dir THEN its flow run is on
    the server `up` started and its case in that S3 server; the state file is 0600 and holds no key; `intake
    down` stops both and removes the file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTAKE_", "PREFECT_"))}
    env |= {"INTAKE_DATA_DIR": str(tmp_path / "data"), "DO_NOT_TRACK": "1", "ORT_DISABLE_TELEMETRY": "1"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "interfaces.cli", *args]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=400)

    up = cli("up", "--json")
    assert up.returncode == 0, up.stderr[-2000:]
    state_file = tmp_path / "data" / "servers.json"
    try:
        state = json.loads(state_file.read_text())
        assert state_file.stat().st_mode & 0o777 == 0o600
        assert "key" not in state_file.read_text().lower() and "secret" not in state_file.read_text().lower()
        page = tmp_path / "card.jpg"
        shutil.copyfile(DOCS / CARDS[0], page)
        done = cli("process", "--item", "住院费用报销", "--case-date", "2025-06-20", "--json", str(page))
        assert done.returncode == 0, done.stderr[-2000:]
        case_id = json.loads(done.stdout)["case_id"]
        runs = httpx.post(f"{state['prefect_api_url']}/flow_runs/filter", json={"limit": 50}, timeout=10).json()
        assert [r["state_type"] for r in runs] == ["COMPLETED"]
        # the keys `up` started the server with: generated into its data dir on first start
        keys = resolve(Settings(data_dir=tmp_path / "data", s3_access_key=None, s3_secret_key=None))
        store = ObjectStore(state["s3_endpoint"], keys.access_key, keys.secret_key, "intake")
        assert store.exists(f"cases/{case_id}/case.json")
    finally:
        down = cli("down")
    assert down.returncode == 0 and not state_file.exists()
    assert not process_alive(state["pid"])


def test_a_warm_worker_runs_only_flows_of_its_own_release() -> None:
    """GIVEN deployment entrypoints WHEN a warm worker resolves them THEN a flow of this release is the very
    function already imported (no second copy of the module), and a path outside the flows package, a parent
    path or a name that is not a flow is refused."""
    from flows.case_flow import process_case
    from flows.worker import UnknownEntrypoint, flow_for

    assert flow_for("flows/case_flow.py:process_case") is process_case
    refused = ("/tmp/x.py:process_case", "../flows/case_flow.py:process_case", "flows/case_flow.py:judge", "os.py:run")
    for entrypoint in refused:
        with pytest.raises(UnknownEntrypoint):
            flow_for(entrypoint)
