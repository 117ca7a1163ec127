"""Fault: the Prefect server restarted in the middle of a batch (issue 29).

A real `prefect server start` on a free loopback port (its own PREFECT_HOME, SQLite, no analytics), a
real `intake batch` subprocess pointed at it with PREFECT_API_URL, the real S3 server and real OCR over
a few small ID card cases. When the first case is in the store the server is killed (SIGKILL, its whole
process group) and started again on the same port and home; whatever the interrupted run did, the
re-run completes every case, the store holds each original once and each case once, the stored batch
report names every case, and the database holds each case and each of its files once.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import func, select

from db.models import CaseRow, FileRow
from db.session import make_engine, session_factory
from storage.store import ObjectStore
from tests.pg import free_port

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "samples" / "documents"
ITEM = "住院费用报销"
# Four cases of ID card pages, five distinct files: the run lasts long enough to be cut in the middle.
BATCH = {
    "case_a": ["id_front_card_photo.jpg", "id_back_card_photo.jpg"],
    "case_b": ["id_front_photocopy_colour.jpg"],
    "case_c": ["id_front_scanned_grey.jpg"],
    "case_d": ["id_back_card_photo.jpg"],  # the same bytes as in case_a: one original, two cases
}
DISTINCT_FILES = 4


class PrefectServer:
    """`prefect server start` in its own process group, so a kill takes its children too."""

    def __init__(self, home: Path, port: int, log: Path) -> None:
        self.home, self.port, self.log = home, port, log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> PrefectServer:
        env = {
            **os.environ,
            "PREFECT_HOME": str(self.home),
            "DO_NOT_TRACK": "1",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        }
        env.pop("PREFECT_API_URL", None)
        prefect = Path(sys.executable).parent / "prefect"
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 180  # 6–16 s on an idle machine; this one is shared
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text(errors="replace")[-2000:]
            try:
                if httpx.get(f"{self.api}/health", timeout=5).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise AssertionError("the Prefect server did not become healthy")

    def kill(self) -> None:
        """SIGKILL to the server's process group: no clean shutdown, as in a crash or an OOM kill."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def batch_folder(root: Path) -> Path:
    for case, names in BATCH.items():
        (root / case).mkdir(parents=True)
        for name in names:
            shutil.copyfile(DOCUMENTS / name, root / case / name)
    return root


def start_batch(folder: Path, env: dict[str, str], out: Path) -> subprocess.Popen[bytes]:
    with out.open("wb") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "interfaces.cli", "batch", str(folder), "--item", ITEM, "--json"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )


def finished_cases(store: ObjectStore) -> set[str]:
    return {key.split("/")[1] for key in store.list_keys("cases/") if key.endswith("/verdict.json")}


def test_prefect_server_restarted_mid_batch_rerun_completes_nothing_lost_or_doubled(
    object_store_for_cli: ObjectStore, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """GIVEN a batch of four ID card cases running against a real Prefect server WHEN the server is
    killed after the first case is stored and started again THEN the re-run exits 0 with every case
    and no failure, the store holds each distinct original once, each case's folder once and one batch
    report naming all four, the database holds four cases with no file twice, and the restarted server
    records the re-run's batch flow run as completed."""
    store = object_store_for_cli
    folder = batch_folder(tmp_path / "batch")
    server = PrefectServer(tmp_path / "prefect-server", free_port(), tmp_path / "prefect-server.log").start()
    env = {**cli_env, "PREFECT_API_URL": server.api, "PREFECT_HOME": str(tmp_path / "prefect-client")}
    try:
        first = start_batch(folder, env, tmp_path / "first.log")
        deadline = time.monotonic() + 600
        while not finished_cases(store) and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert first.poll() is None, (tmp_path / "first.log").read_text(errors="replace")[-2000:]
        done_at_kill = len(finished_cases(store))
        assert 1 <= done_at_kill < len(BATCH)  # killed in the middle
        server.kill()
        time.sleep(2)
        server.start()
        try:
            first_rc: int | None = first.wait(timeout=600)
        except subprocess.TimeoutExpired:
            first.kill()  # the re-run must recover whatever an interrupted run left
            first_rc = None
        first_output = (tmp_path / "first.log").read_text(errors="replace")
        assert "Traceback" not in first_output, first_output[-2000:]
        if first_rc == 0:  # the interrupted run lost no case: each is done or named as failed
            interrupted = json.loads(first_output[first_output.index('{\n  "batch_id"') :])
            assert interrupted["totals"]["cases"] == len(BATCH), interrupted["totals"]

        second = subprocess.run(
            [sys.executable, "-m", "interfaces.cli", "batch", str(folder), "--item", ITEM, "--json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert second.returncode == 0, (first_rc, second.stderr[-2000:])
        report = json.loads(second.stdout)
        assert report["totals"]["cases"] == len(BATCH) and report["totals"]["failed"] == 0, report["totals"]
        case_ids = sorted(c["case_id"] for c in report["cases"])
        assert [c.rsplit("-", 1)[0] for c in case_ids] == sorted(BATCH)

        assert len(store.list_keys("originals/")) == DISTINCT_FILES
        folders = Counter(key.split("/")[1] for key in store.list_keys("cases/"))
        assert sorted(folders) == case_ids  # no case stored under a second id
        assert finished_cases(store) == set(case_ids)
        (report_key,) = [k for k in store.list_keys("batches/") if k.endswith("/report.json")]
        stored = store.get_json(report_key)
        assert sorted(c["case_id"] for c in stored["cases"]) == case_ids and stored["failed"] == {}

        engine = make_engine(f"sqlite:///{Path(cli_env['INTAKE_DATA_DIR']) / 'intake.db'}")
        with session_factory(engine)() as session:
            assert sorted(session.scalars(select(CaseRow.id))) == case_ids
            doubled = session.execute(
                select(FileRow.case_id, FileRow.sha256, func.count())
                .group_by(FileRow.case_id, FileRow.sha256)
                .having(func.count() > 1)
            ).all()
            assert doubled == []
            assert session.scalar(select(func.count()).select_from(FileRow)) == sum(map(len, BATCH.values()))
        engine.dispose()

        runs = httpx.post(
            f"{server.api}/flow_runs/filter",
            json={"flows": {"name": {"any_": ["batch-intake"]}}},
            timeout=30,
        ).json()
        assert "COMPLETED" in {run["state"]["type"] for run in runs}, [r["state"]["type"] for r in runs]
    finally:
        server.stop()
