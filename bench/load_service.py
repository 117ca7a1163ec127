"""Bounded load on the HTTP service: N concurrent uploaders for a fixed time, and proof that no file
lands in the wrong case.

Each uploader loops until the time is up: it opens its own case (channel key), then uploads a few small
ID card crops with that case's own upload token, one request per file, timing every request. Every file
it sends is made unique to (uploader, case, file) by a JPEG comment segment after the start-of-image
marker: the pixels, and so the OCR cost, stay those of the sample, but no two uploads share a sha256,
so a file answered or recorded under another case could not pass unnoticed as a duplicate.

After the run every case is checked three ways:
- each upload answer's sha256 is the sha256 of the bytes that uploader sent;
- GET /api/cases/{id} lists documents from exactly the file names that uploader sent (the names are
  unique per uploader and case too);
- when the service's database is at hand (`--database-url`, or the bench's own `intake serve`), the set
  of original sha256s recorded for the case is exactly the set sent.

Prints throughput, p50/p95 per request kind and errors (5xx, other non-2xx, transport). Timings are
this machine's, shared with whatever else runs on it; the service analyses at most one file per core.

Run: `make bench-load` (or `python -m bench.load_service --uploaders 4 --seconds 30`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import signal
import statistics
import struct
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from bench.results import recorded
from bench.service_bench import free_port, percentile, start_service
from db.models import FileRow
from db.session import make_engine, session_factory

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "samples" / "cases"
# Small ID card crops (about 60 KB each): the load is on the service, not on OCR of big pages.
SAMPLES = [
    CASES / "c01_inpatient_complete" / "id_front.jpg",
    CASES / "c01_inpatient_complete" / "id_back.jpg",
    CASES / "c02_inpatient_missing_list" / "id_front.jpg",
    CASES / "c02_inpatient_missing_list" / "id_back.jpg",
]
ITEM = "住院费用报销"
CASE_DATE = "2025-06-20"


def tagged_jpeg(data: bytes, tag: str) -> bytes:
    """The JPEG with a comment segment (COM, FF FE) right after its start-of-image marker: a valid JPEG
    with the same pixels but its own bytes, so each upload has its own sha256."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    payload = tag.encode("ascii")
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(payload) + 2) + payload + data[2:]


@dataclass
class Sent:
    """One case as its uploader opened and filled it."""

    uploader: int
    case_id: str
    token: str
    files: dict[str, str] = field(default_factory=dict)  # name → sha256 of the bytes sent
    answered: dict[str, str] = field(default_factory=dict)  # name → sha256 in the service's answer


@dataclass
class LoadRun:
    """Everything the uploaders saw: request timings per kind, statuses, failures, their cases."""

    seconds: float  # how long uploaders opened new cases
    uploaders: int
    wall: float = 0.0  # until the last case started in time was filled
    timings: dict[str, list[float]] = field(default_factory=lambda: {"create": [], "upload": []})
    statuses: Counter[int] = field(default_factory=Counter)
    transport_errors: int = 0
    crashes: list[str] = field(default_factory=list)  # an uploader's own failure: the run is void
    cases: list[Sent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def client_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if 400 <= status < 500)

    def note(self, kind: str, elapsed: float, status: int) -> None:
        with self.lock:
            self.timings[kind].append(elapsed)
            self.statuses[status] += 1


def _uploader(
    number: int,
    base: str,
    channel_key: str,
    files_per_case: int,
    deadline: float,
    max_cases: int | None,
    run: LoadRun,
) -> None:
    """Open cases and fill them until the deadline (or `max_cases`); a case started before the deadline
    is finished after it, so every case holds all its files and the check after the run is exact."""
    with httpx.Client(base_url=base, timeout=600) as client:
        serial = 0
        while time.monotonic() < deadline and (max_cases is None or serial < max_cases):
            serial += 1
            started = time.monotonic()
            try:
                response = client.post(
                    "/api/cases",
                    json={"item": ITEM, "case_date": CASE_DATE},
                    headers={"Authorization": f"Bearer {channel_key}"},
                )
            except httpx.TransportError:
                with run.lock:
                    run.transport_errors += 1
                continue
            run.note("create", time.monotonic() - started, response.status_code)
            if response.status_code != 201:
                continue
            body = response.json()
            sent = Sent(number, body["case_id"], body["upload_token"])
            with run.lock:
                run.cases.append(sent)
            for index in range(files_per_case):
                sample = SAMPLES[(number + index) % len(SAMPLES)]
                name = f"u{number:02d}-c{serial:03d}-f{index}-{sample.name}"
                data = tagged_jpeg(sample.read_bytes(), name)
                sent.files[name] = hashlib.sha256(data).hexdigest()
                started = time.monotonic()
                try:
                    answer = client.post(
                        f"/api/cases/{sent.case_id}/files",
                        files={"file": (name, data, "image/jpeg")},
                        headers={"Authorization": f"Bearer {sent.token}"},
                    )
                except httpx.TransportError:
                    with run.lock:
                        run.transport_errors += 1
                    continue
                run.note("upload", time.monotonic() - started, answer.status_code)
                if answer.status_code == 200:
                    for file in answer.json()["files"]:
                        sent.answered[file["name"]] = file["sha256"]


def _guarded(*args: Any) -> None:
    """An uploader whose own code fails is noted by kind, so the run fails instead of looking quiet."""
    run: LoadRun = args[-1]
    try:
        _uploader(*args)
    except Exception as exc:  # the kind is enough; the run is reported void
        with run.lock:
            run.crashes.append(type(exc).__name__)


def run_load(
    base: str,
    channel_key: str,
    *,
    uploaders: int,
    seconds: float,
    files_per_case: int,
    max_cases: int | None = None,
) -> LoadRun:
    """`uploaders` threads, each its own client, opening and filling cases for `seconds` (each at most
    `max_cases` cases: the bounded test's fixed amount of work)."""
    run = LoadRun(seconds=seconds, uploaders=uploaders)
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_guarded, args=(n, base, channel_key, files_per_case, deadline, max_cases, run))
        for n in range(1, uploaders + 1)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.wall = time.monotonic() - started
    if run.crashes:
        raise RuntimeError(f"load_service: uploaders failed: {run.crashes}")
    return run


def misplaced(base: str, channel_key: str, run: LoadRun, database_url: str | None = None) -> list[str]:
    """Every way a case's files differ from what its uploader sent, one line each (case id, counts and
    file names only: no document text). Empty when every file is where it belongs."""
    problems: list[str] = []
    recorded_sha: dict[str, set[str]] = {}
    if database_url is not None:
        engine = make_engine(database_url)
        try:
            with session_factory(engine)() as session:
                rows = session.execute(select(FileRow.case_id, FileRow.sha256)).all()
        finally:
            engine.dispose()
        for case_id, digest in rows:
            recorded_sha.setdefault(case_id, set()).add(digest)
    with httpx.Client(base_url=base, timeout=120) as client:
        for sent in run.cases:
            if sent.answered != sent.files:
                wrong = sorted(n for n in sent.files.keys() | sent.answered.keys()
                               if sent.files.get(n) != sent.answered.get(n))  # fmt: skip
                problems.append(f"{sent.case_id}: answers differ from the bytes sent for {wrong}")
            response = client.get(f"/api/cases/{sent.case_id}", headers={"Authorization": f"Bearer {channel_key}"})
            if response.status_code != 200:
                problems.append(f"{sent.case_id}: GET answered {response.status_code}")
                continue
            sources = {d["source"] for d in response.json()["documents"]}
            if sources != set(sent.files):
                problems.append(
                    f"{sent.case_id}: documents from {sorted(sources - set(sent.files))} not sent, "
                    f"{sorted(set(sent.files) - sources)} sent but absent"
                )
            if database_url is not None and recorded_sha.get(sent.case_id, set()) != set(sent.files.values()):
                problems.append(f"{sent.case_id}: recorded originals differ from the sha256s sent")
    return problems


def report(run: LoadRun, problems: Sequence[str], *, files_per_case: int, start_s: float | None = None) -> str:
    """The printed table: throughput, p50/p95 per request kind, errors, misplaced files."""
    uploads = run.timings["upload"]
    files_ok = sum(len(s.answered) for s in run.cases)
    load = os.getloadavg()[0]
    lines = [
        f"# Service under load — {run.uploaders} uploaders opening cases for {run.seconds:.0f} s "
        f"({run.wall:.0f} s until the last was filled), {files_per_case} files per case",
        "",
        f"Machine: {os.cpu_count()} cores, 1-min load average at the end {load:.1f} (other work shares the cores).",
        *([f"Service start-up to healthy: {start_s:.1f} s."] if start_s is not None else []),
        "",
        "| measure | value |",
        "|---|---|",
        f"| cases opened | {len(run.cases)} |",
        f"| files answered (200) | {files_ok} |",
        f"| throughput | {files_ok / run.wall:.2f} files/s, {files_ok * 60 / run.wall:.0f} files/min |",
    ]
    for kind, values in run.timings.items():
        if values:
            lines.append(
                f"| {kind} p50 / p95 / max (n={len(values)}) | "
                f"{statistics.median(values):.2f} / {percentile(values, 0.95):.2f} / {max(values):.2f} s |"
            )
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(run.statuses.items()))
    lines += [
        f"| responses by status | {statuses or '-'} |",
        f"| 5xx | {run.server_errors} |",
        f"| other non-2xx | {run.client_errors} |",
        f"| transport errors | {run.transport_errors} |",
        f"| cases whose files differ from what was sent | {len({p.split(':')[0] for p in problems})} |",
    ]
    if problems:
        lines += ["", "Misplaced or missing:", *[f"- {p}" for p in problems]]
    if uploads:
        lines += ["", f"Upload answers: {len(uploads)} requests, mean {statistics.fmean(uploads):.2f} s."]
    return "\n".join(lines) + "\n"


@recorded("load_service")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--uploaders", type=int, default=4, help="concurrent uploaders")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long uploaders open new cases")
    parser.add_argument("--files", type=int, default=3, help="files per case")
    args = parser.parse_args(argv)

    key = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory(prefix="intake-load-") as tmp:
        env = {**os.environ, "INTAKE_DATA_DIR": tmp, "INTAKE_API_KEYS": key, "PREFECT_HOME": f"{tmp}/prefect"}
        env.pop("INTAKE_S3_ENDPOINT", None)
        env.pop("INTAKE_DATABASE_URL", None)
        env.setdefault("ORT_DISABLE_TELEMETRY", "1")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process, start_s = start_service(env, port)
        try:
            run = run_load(base, key, uploaders=args.uploaders, seconds=args.seconds, files_per_case=args.files)
            problems = misplaced(base, key, run, f"sqlite:///{tmp}/intake.db")
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=120)
    print(report(run, problems, files_per_case=args.files, start_s=start_s))
    return 1 if problems or run.server_errors or run.transport_errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
