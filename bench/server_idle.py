"""What the embedded Prefect server costs when no case runs: CPU seconds a minute of the Prefect server (and the
S3 server) started by `intake up`, alone, then with one idle warm worker polling the pool (`intake worker`), and
the worker's own idle CPU. Each is what a batch pays for every minute it lasts, on top of its cases.

    python -m bench.server_idle --seconds 120

Writes bench/results/<date>-<commit>-server-idle.md. CPU seconds, not wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.batch_bench import _wait_started, servers_cpu_s, tree_cpu_s
from bench.startup_bench import ROOT, cli_env, commit, write_result
from storage.credentials import credentials_file
from storage.credentials import load as load_keys


def _per_minute(host_pid: int, worker_pid: int | None, seconds: float) -> tuple[float, float, float]:
    """CPU seconds a minute of the Prefect server, the S3 server and the worker over `seconds`."""
    prefect, s3 = servers_cpu_s(host_pid)
    worker = tree_cpu_s(worker_pid) if worker_pid else 0.0
    time.sleep(seconds)
    prefect_after, s3_after = servers_cpu_s(host_pid)
    worker_after = tree_cpu_s(worker_pid) if worker_pid else 0.0
    scale = 60.0 / seconds
    return (prefect_after - prefect) * scale, (s3_after - s3) * scale, (worker_after - worker) * scale


def measure(seconds: float, settle: float) -> list[tuple[str, tuple[float, float, float]]]:
    rows: list[tuple[str, tuple[float, float, float]]] = []
    with tempfile.TemporaryDirectory(prefix="intake-server-idle-") as tmp:
        host = cli_env(Path(tmp) / "host")
        subprocess.run([sys.executable, "-m", "interfaces.cli", "up"], cwd=ROOT, env=host, check=True)
        worker: subprocess.Popen[bytes] | None = None
        try:
            state = json.loads((Path(tmp) / "host" / "servers.json").read_text())
            time.sleep(settle)  # the server's start-up work (migrations, block registration) is not idle
            rows.append(("servers alone", _per_minute(state["pid"], None, seconds)))
            keys = load_keys(credentials_file(Path(tmp) / "host"))
            (Path(tmp) / "worker").mkdir()
            env = cli_env(Path(tmp) / "worker") | {
                "PREFECT_API_URL": state["prefect_api_url"],
                "PREFECT_HOME": str(Path(tmp) / "worker" / "prefect"),
                "INTAKE_S3_ENDPOINT": state["s3_endpoint"],
                "INTAKE_S3_ACCESS_KEY": keys.access_key,
                "INTAKE_S3_SECRET_KEY": keys.secret_key,
            }
            log = Path(tmp) / "worker.log"
            with log.open("wb") as sink:
                worker = subprocess.Popen(
                    [sys.executable, "-m", "interfaces.cli", "worker", "--limit", "1"],
                    cwd=ROOT,
                    env=env,
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            _wait_started(log)
            time.sleep(settle)
            rows.append(("one idle warm worker polling", _per_minute(state["pid"], worker.pid, seconds)))
        finally:
            if worker is not None:
                for sig in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
                    if worker.poll() is None:
                        os.killpg(worker.pid, sig)
                        time.sleep(3)
            subprocess.run([sys.executable, "-m", "interfaces.cli", "down"], cwd=ROOT, env=host, check=False)
    return rows


def table(rows: list[tuple[str, tuple[float, float, float]]], seconds: float, load: tuple[float, float]) -> str:
    lines = [
        f"# The embedded servers idle ({time.strftime('%Y-%m-%d %H:%M')}, {commit()})",
        "",
        f"CPU seconds a minute, each measured over {seconds:.0f} s; load average {load[0]:.1f}→{load[1]:.1f}. "
        "The Prefect server runs with the services `intake up` sets (`QUIET_SERVICES` in interfaces/servers.py).",
        "",
        "| | Prefect server | S3 server | worker |",
        "|---|---|---|---|",
    ]
    for label, (prefect, s3, worker) in rows:
        lines.append(f"| {label} | {prefect:.2f} | {s3:.2f} | {worker:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--settle", type=float, default=20.0, help="seconds left to start-up work first")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    rows = measure(args.seconds, args.settle)
    text = table(rows, args.seconds, (load, os.getloadavg()[0]))
    print(text)
    print(f"written to {write_result('server-idle', text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
