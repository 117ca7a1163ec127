"""`intake serve` as a user starts it: embedded S3 server, SQLite under INTAKE_DATA_DIR, stopped by Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.pg import free_port

ROOT = Path(__file__).resolve().parent.parent


def processes_mentioning(text: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in cmdline:
                found.append(int(proc.name))
    return found


def test_serve_with_embedded_defaults(tmp_path: Path) -> None:
    """GIVEN no INTAKE_S3_ENDPOINT and no INTAKE_DATABASE_URL WHEN `intake serve` starts THEN it runs its own
    S3 server and an SQLite database under the data dir, answers, and on SIGINT stops both."""
    data_dir = tmp_path / "data"
    port = free_port()
    env = {**os.environ, "INTAKE_DATA_DIR": str(data_dir), "INTAKE_API_KEYS": "station-1"}
    env.pop("INTAKE_S3_ENDPOINT", None)
    env.pop("INTAKE_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "interfaces.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 600  # model loading and warm-up on a busy machine
        health = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        assert health is not None and health.status_code == 200, process.poll()
        created = httpx.post(
            f"http://127.0.0.1:{port}/api/cases",
            json={"item": "住院费用报销"},
            headers={"Authorization": "Bearer station-1"},
            timeout=30,
        )
        assert created.status_code == 201 and created.json()["upload_token"]
        assert (data_dir / "intake.db").is_file()
        assert processes_mentioning(str((data_dir / "s3").resolve()))
    finally:
        process.send_signal(signal.SIGINT)
        # The shutdown waits for model loading in progress (background.STOP_WAIT) rather than abort under it.
        output = process.communicate(timeout=240)[0].decode(errors="replace")
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert not processes_mentioning(str((data_dir / "s3").resolve()))
