"""`intake up` / `intake down`: the embedded S3 server and a Prefect server kept running in the background, so
CLI calls skip their start-up (about 13 s a call otherwise), and `intake worker` has a server to serve.

`up` starts a small host process in its own session that runs both servers and writes their addresses to a
0600 state file under the data dir; later CLI calls read it at the edge (`running_servers`) and use them
instead of starting their own; `down` stops the host, which stops both servers and removes the file.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import httpx
from pydantic import BaseModel

from intake.settings import Settings

STATE_FILE = "servers.json"


class ServersState(BaseModel):
    """What `intake up` leaves for later calls: addresses and the host's pid; no keys."""

    pid: int
    s3_endpoint: str
    prefect_api_url: str
    started: float


def state_path(settings: Settings) -> Path:
    return settings.data_dir.resolve() / STATE_FILE


def process_alive(pid: int) -> bool:
    """Running, not a zombie (an exited host whose parent, gone too, left it to an init that does not reap)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def running_servers(settings: Settings) -> ServersState | None:
    """The servers `intake up` started for this data dir, if its host is still alive (a stale file is removed)."""
    path = state_path(settings)
    try:
        state = ServersState.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not process_alive(state.pid):
        path.unlink(missing_ok=True)
        return None
    return state


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The embedded Prefect server's background services the product does not use, off, and the loops it does use,
# slower; it shares the machine with the workers, and each service is a loop over the database or a consumer of
# every event. Kept: the event persister (batches find lost workers by the runs' heartbeat events), the task-run
# recorder (task runs in the UI), the foreman (workers and pools shown online or offline), cancellation clean-up,
# the repossessor and the database vacuum. Measured in bench/server_idle.py and bench/batch_bench.py
# (docs/scale.md); the names are Prefect's settings (tests/test_orchestration_overhead.py checks them).
QUIET_SERVICES = {
    # Automations: the product defines none, and the reactive service evaluates every event against them.
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    # Late runs: a queued case waiting for a free worker is not late; marking it writes a state per queued run
    # every few seconds (and under SQLite, contends with the workers' writes). Workers take late runs anyway.
    "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED": "false",
    # Pauses: no flow of the product pauses or suspends.
    "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED": "false",
    # Schedules: kept (an operator may schedule the daily review summary), but new deployments are looked for
    # every minute rather than every 5 s.
    "PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS": "60",
    # Task runs are recorded from their events in batches (at most 5 s late in the UI) rather than one
    # database transaction per event.
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "50",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "50",
    # Events (state changes, heartbeats) are stored in larger batches; the flush interval (5 s) still bounds
    # how late a heartbeat is seen, well inside the batch's 90 s before it calls a worker lost.
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE": "100",
    # Loops every minute rather than every 5-20 s: a worker shown offline, a run stuck cancelling cleaned up,
    # a concurrency lease or a worker's clean-up message expired, up to a minute later. None of them is how a
    # batch finds a lost worker (its runs' heartbeats are).
    "PREFECT_SERVER_SERVICES_FOREMAN_LOOP_SECONDS": "60",
    "PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_LOOP_SECONDS": "60",
    "PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS": "60",
    "PREFECT_SERVER_SERVICES_CLEANUP_RECONCILER_LOOP_SECONDS": "60",
}


def start_prefect_server(home: Path, log: Path, timeout: float = 120.0) -> tuple[subprocess.Popen[bytes], str]:
    """`prefect server start` (SQLite under `home`) on a free loopback port, once it answers its health check;
    with the services the product does not use turned off (`QUIET_SERVICES`)."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        **QUIET_SERVICES,
    }
    env.pop("PREFECT_API_URL", None)
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with suppress(httpx.HTTPError):
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return process, api
        time.sleep(0.5)
    stop_process_group(process)
    raise RuntimeError(f"Prefect 服务未能启动（{timeout:.0f} 秒内），日志：{log}")


def stop_process_group(process: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """SIGTERM to the group, a second one (a Prefect server or worker wants two), then SIGKILL."""
    for sig in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace / 2)


def host(settings: Settings) -> int:
    """The background host `intake up` starts: both servers, the state file, then wait for SIGTERM."""
    from storage.credentials import resolve
    from storage.server import EmbeddedS3

    data = settings.data_dir.resolve()
    logs = data / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    stop = False

    def on_term(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    credentials = resolve(settings)  # the data dir's generated keys unless keys are configured
    with EmbeddedS3(data / "s3", credentials.access_key, credentials.secret_key) as s3:
        prefect, api = start_prefect_server(data / "prefect-server", logs / "prefect-server.log")
        try:
            state = ServersState(pid=os.getpid(), s3_endpoint=s3.endpoint, prefect_api_url=api, started=time.time())
            path = state_path(settings)
            partial = path.with_suffix(".tmp")
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(state.model_dump_json())
            partial.replace(path)
            while not stop and prefect.poll() is None:
                time.sleep(0.5)
        finally:
            state_path(settings).unlink(missing_ok=True)
            stop_process_group(prefect)
    return 0


def up(settings: Settings, timeout: float = 180.0) -> ServersState:
    """Start the host in the background (its own session, so it outlives this command) and wait for its state."""
    existing = running_servers(settings)
    if existing is not None:
        return existing
    data = settings.data_dir.resolve()
    data.mkdir(parents=True, exist_ok=True, mode=0o700)
    (data / "logs").mkdir(exist_ok=True)
    with (data / "logs" / "up.log").open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "interfaces.cli", "up", "--foreground"],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=Path(__file__).resolve().parent.parent,
            env={**os.environ, "INTAKE_DATA_DIR": str(data)},
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = running_servers(settings)
        if state is not None:
            return state
        if process.poll() is not None:
            break
        time.sleep(0.5)
    stop_process_group(process)
    raise RuntimeError(f"后台服务未能启动，日志：{data / 'logs' / 'up.log'}")


def down(settings: Settings, timeout: float = 60.0) -> bool:
    """Stop the host `up` started (it stops both servers); False when none was running."""
    state = running_servers(settings)
    if state is None:
        return False
    os.kill(state.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process_alive(state.pid):
        time.sleep(0.3)
    if process_alive(state.pid):
        os.kill(state.pid, signal.SIGKILL)
    state_path(settings).unlink(missing_ok=True)
    return True


def state_json(state: ServersState) -> str:
    return json.dumps({"s3_endpoint": state.s3_endpoint, "prefect_api_url": state.prefect_api_url, "pid": state.pid})
