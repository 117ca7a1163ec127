"""Throughput end to end on workers, against reading the same pages alone, in one invocation.

A batch of `--pages` mixed pages (the samples' images, each copy made distinct by a trailer after the image's
end, so nothing is deduplicated or served from the reading cache), in cases of `--per-case` pages. For each
worker count N in `--workers`:

- reading alone: N processes, each loading the models once and reading its share with the pipeline
  (`pipeline.analyse.read_bytes_pages`), OCR threads = cores / N, as the workers are given;
- end to end: a Prefect server and the S3 server (`intake up` in a private data dir), N `intake worker`
  processes with data dirs of their own (warm workers, or with `--isolated` Prefect's process worker, a process
  per flow run), and `intake batch --on-workers`: store, read, classify, extract, judge, store, one flow run a
  case.

Pages per minute for both, the orchestration overhead (end to end against reading alone) in wall-clock time and
in CPU seconds (the machine is shared: wall time follows the other work, CPU seconds much less), the load
average over each part, and the peak RSS of each worker host (the worker and its flow runs, sampled every
0.5 s). Writes bench/results/<date>-<commit>-batch.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.startup_bench import ROOT, cli_env, commit, write_result
from storage.credentials import credentials_file
from storage.credentials import load as load_keys

SOURCES = sorted((ROOT / "samples" / "documents").glob("*.jpg"))


def make_batch(root: Path, pages: int, per_case: int) -> list[Path]:
    """`pages` distinct files in cases of `per_case`, with a manifest; the page files in order."""
    files: list[Path] = []
    rows = []
    for start in range(0, pages, per_case):
        case = f"case{start // per_case:04d}"
        (root / case).mkdir(parents=True)
        names = []
        for index in range(start, min(start + per_case, pages)):
            source = SOURCES[index % len(SOURCES)]
            path = root / case / f"p{index:04d}-{source.name}"
            # Bytes after the JPEG end marker are ignored by decoders: the same page, a new content hash.
            path.write_bytes(source.read_bytes() + f"bench-{index}".encode())
            files.append(path)
            names.append(f"{case}/{path.name}")
        rows.append({"case_id": case, "item": "住院费用报销", "case_date": "2025-06-20", "files": names})
    (root / "manifest.yaml").write_text(yaml.safe_dump({"cases": rows}, allow_unicode=True), encoding="utf-8")
    return files


def _read_share(paths: list[str], threads: int) -> int:
    from intake.settings import RapidOcrOptions, Settings
    from pipeline.analyse import read_bytes_pages

    settings = Settings().model_copy(update={"ocr": RapidOcrOptions(threads=threads)})
    return sum(len(read_bytes_pages(Path(p).read_bytes(), p, settings)) for p in paths)


@dataclass
class Measured:
    """One way of processing the batch: wall and CPU seconds (every process that took part), the load average
    over the machine while it ran (other engineers' work shares it), and for end to end each worker host's peak
    RSS and CPU seconds and the batch's totals."""

    seconds: float
    cpu: float
    load: tuple[float, float]
    pages: int = 0
    peaks_mb: list[int] = field(default_factory=list)
    worker_cpu: list[float] = field(default_factory=list)
    submitter_cpu: float = 0.0
    prefect_cpu: float = 0.0
    s3_cpu: float = 0.0
    totals: dict[str, int] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    timeline: Timeline | None = None

    @property
    def servers_cpu(self) -> float:
        return self.prefect_cpu + self.s3_cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def models_ready() -> None:
    """The int8 models made before any clock starts. Any change to ocr/*.py makes them again on the first
    read (their manifest carries the reader's code digest): 74 CPU-seconds measured, which would count in the
    first reading-alone run. Likely what the 200-page run at f781735 paid (388 CPU-seconds read alone on one
    worker, 277 at d1a6547), the first after the digest was added: the same 48 pages read alone with the
    models made cost 1.29 and 1.36 CPU-seconds a page at d1a6547 and ffab60e."""
    from intake.settings import RapidOcrOptions, Settings
    from ocr.provision import ensure_int8_models

    options = Settings().ocr
    if isinstance(options, RapidOcrOptions) and options.model_precision != "fp32":
        ensure_int8_models(options)


def reading_alone(files: list[Path], workers: int, threads: int) -> Measured:
    """`workers` processes reading their shares (each loads the models once)."""
    shares = [[str(f) for f in files[i::workers]] for i in range(workers)]
    load, cpu, start = os.getloadavg()[0], _children_cpu(), time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pages = sum(pool.map(_read_share, shares, [threads] * workers))
    return Measured(time.perf_counter() - start, _children_cpu() - cpu, (load, os.getloadavg()[0]), pages)


TICK = os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of `pid` and of its children it has reaped (a flow-run process per case)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / TICK


def _is_weed(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "weed"
    except OSError:
        return False


def servers_cpu_s(host_pid: int) -> tuple[float, float]:
    """CPU seconds of the `intake up` host's tree, split: the Prefect server (`prefect server start` and
    its children) and the S3 server (the `weed` processes and the host process itself, whose only work while
    a batch runs is relaying S3 connections to weed's socket when weed is isolated)."""
    prefect = s3 = 0.0
    for pid in _tree(host_pid):
        if pid == host_pid or _is_weed(pid):
            s3 += _cpu_s(pid)
        else:
            prefect += _cpu_s(pid)
    return prefect, s3


# What the Prefect server recorded for the batch, counted in its database (SQLite under the host's data dir).
RECORDS = {
    "flow runs": "SELECT count(*) FROM flow_run",
    "task runs": "SELECT count(*) FROM task_run",
    "states": "SELECT (SELECT count(*) FROM flow_run_state) + (SELECT count(*) FROM task_run_state)",
    "logs": "SELECT count(*) FROM log",
    "events": "SELECT count(*) FROM events",
}


def prefect_records(database: Path) -> dict[str, int]:
    """Row counts of `RECORDS` in the server's database (read-only; empty when it cannot be read)."""
    counts: dict[str, int] = {}
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)) as db:
            for name, query in RECORDS.items():
                counts[name] = int(db.execute(query).fetchone()[0])
    except sqlite3.Error as exc:
        print(f"Prefect database not counted: {exc}", file=sys.stderr)
    return counts


# Where a case run's wall time went, from the states the Prefect server recorded for it (flow runs of the case
# flow): waiting for a worker, the worker's claim to the flow engine's start, and the case itself (store, read,
# extract, judge, store, in the run).
PHASES = {
    "queued": ("scheduled", "pending"),
    "claimed → running": ("pending", "running"),
    "running → completed": ("running", "completed"),
}


def _utc(value: str) -> dt.datetime:
    stamp = dt.datetime.fromisoformat(value)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


@dataclass
class CaseRun:
    """One case run: the worker that ran it (its pid) and when it first entered each state (`scheduled`,
    `pending`, `running`, `completed`; a task run's states, if it has one, as `task running`, ...)."""

    worker: str | None
    at: dict[str, dt.datetime] = field(default_factory=dict)

    @property
    def taken(self) -> dt.datetime:
        return self.at.get("pending", self.at.get("running", self.at["completed"]))


def case_timelines(database: Path, flow: str = "process-case") -> list[CaseRun]:
    """The completed runs of `flow` in the server's database (read-only; empty when it cannot be read)."""
    runs: dict[str, CaseRun] = {}
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)) as db:
            for run_id, pid, kind, stamp in db.execute(
                "SELECT fr.id, fr.infrastructure_pid, s.type, s.timestamp FROM flow_run fr "
                "JOIN flow f ON f.id = fr.flow_id JOIN flow_run_state s ON s.flow_run_id = fr.id "
                "WHERE f.name = ? ORDER BY s.timestamp",
                (flow,),
            ):
                runs.setdefault(run_id, CaseRun(pid)).at.setdefault(kind.lower(), _utc(stamp))
            for run_id, kind, stamp in db.execute(
                "SELECT tr.flow_run_id, s.type, s.timestamp FROM task_run tr "
                "JOIN task_run_state s ON s.task_run_id = tr.id ORDER BY s.timestamp"
            ):
                if run_id in runs:
                    runs[run_id].at[f"task {kind.lower()}"] = _utc(stamp)
    except sqlite3.Error as exc:
        print(f"Prefect database not read: {exc}", file=sys.stderr)
    return [r for r in runs.values() if "completed" in r.at]


@dataclass
class Timeline:
    """A batch's wall time taken apart: the mean seconds a case spent in each of `PHASES`; the head (the
    submitting call's start to the first case taken) and the tail (the last case completed to the call's end);
    the seconds the workers held no case between their first and last (summed over workers); and the mean
    number of cases in hand over that window (summed over workers)."""

    phases: dict[str, float]
    head: float
    tail: float
    workers_idle: float
    in_hand: float

    @staticmethod
    def of(runs: list[CaseRun], start: dt.datetime, end: dt.datetime) -> Timeline | None:
        if not runs:
            return None
        phases = {}
        for name, (a, b) in PHASES.items():
            spans = [(r.at[b] - r.at[a]).total_seconds() for r in runs if a in r.at and b in r.at]
            phases[name] = sum(spans) / len(spans) if spans else float("nan")
        first, last = min(r.taken for r in runs), max(r.at["completed"] for r in runs)
        idle = busy = 0.0
        for worker in {r.worker for r in runs}:
            held = sorted((r.taken, r.at["completed"]) for r in runs if r.worker == worker)
            reach = held[0][0]
            for taken, done in held:
                busy += (done - taken).total_seconds()
                idle += max(0.0, (taken - reach).total_seconds())
                reach = max(reach, done)
        window = (last - first).total_seconds()
        return Timeline(
            phases, (first - start).total_seconds(), (end - last).total_seconds(), idle, busy / window if window else 0
        )


def tree_rss_kb(pid: int) -> int:
    return sum(_rss_kb(p) for p in _tree(pid))


def tree_cpu_s(pid: int) -> float:
    return sum(_cpu_s(p) for p in _tree(pid))


class PeakRss:
    """The highest RSS of each worker host's process tree, and its CPU seconds, sampled in the background."""

    def __init__(self, pids: list[int]) -> None:
        self.peaks = dict.fromkeys(pids, 0)
        self.cpu = dict.fromkeys(pids, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            for pid in self.peaks:
                self.peaks[pid] = max(self.peaks[pid], tree_rss_kb(pid))
                self.cpu[pid] = max(self.cpu[pid], tree_cpu_s(pid))

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def end_to_end(
    batch: Path, workers: int, threads: int, tmp: Path, isolated: bool, limit: int | None = None
) -> Measured:
    """`intake batch --on-workers` with `workers` workers (warm, or `isolated`: a process per flow run). CPU:
    the workers from the batch's start (a warm worker's model load before it is not counted), the submitting
    call, and the Prefect and S3 servers over the batch."""
    host = cli_env(tmp / "host")
    subprocess.run([sys.executable, "-m", "interfaces.cli", "up"], cwd=ROOT, env=host, check=True)
    state = json.loads((tmp / "host" / "servers.json").read_text())
    shared = {"PREFECT_API_URL": state["prefect_api_url"], "INTAKE_S3_ENDPOINT": state["s3_endpoint"]}
    shared |= {"INTAKE_OCR__THREADS": str(threads), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    processes = []
    logs = [tmp / f"worker{n}.log" for n in range(workers)]
    try:
        # The store's keys, as each worker host's own environment would hold them (its data dir has none).
        keys = load_keys(credentials_file(tmp / "host"))
        shared |= {"INTAKE_S3_ACCESS_KEY": keys.access_key, "INTAKE_S3_SECRET_KEY": keys.secret_key}
        for n, log in enumerate(logs):
            env = cli_env(tmp / f"worker{n}") | shared | {"PREFECT_HOME": str(tmp / f"worker{n}" / "prefect")}
            command = [sys.executable, "-m", "interfaces.cli", "worker"] + (["--limit", str(limit)] if limit else [])
            command += (["--no-deploy"] if n else []) + (["--isolated"] if isolated else [])
            with log.open("wb") as sink:
                processes.append(
                    subprocess.Popen(
                        command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
                    )
                )
            if n == 0:  # the first worker deploys the flows
                _wait_started(log)
        for log in logs:
            _wait_started(log)
        command = [sys.executable, "-m", "interfaces.cli", "batch", str(batch)]
        before = [tree_cpu_s(p.pid) for p in processes]
        servers_before = servers_cpu_s(state["pid"])
        records_before = prefect_records(tmp / "host" / "prefect-server" / "prefect.db")
        load, submitter_cpu = os.getloadavg()[0], _children_cpu()
        with PeakRss([p.pid for p in processes]) as rss:
            started_at, start = dt.datetime.now(dt.UTC), time.perf_counter()
            out = subprocess.run(
                [*command, "--manifest", str(batch / "manifest.yaml"), "--on-workers", "--json"],
                cwd=ROOT,
                env=host | shared,
                check=True,
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - start
            ended_at = dt.datetime.now(dt.UTC)
        submitter_cpu = _children_cpu() - submitter_cpu
        worker_cpu = [max(rss.cpu[p.pid], tree_cpu_s(p.pid)) - b for p, b in zip(processes, before, strict=True)]
        prefect_cpu, s3_cpu = (a - b for a, b in zip(servers_cpu_s(state["pid"]), servers_before, strict=True))
        database = tmp / "host" / "prefect-server" / "prefect.db"
        records = prefect_records(database)
        timeline = Timeline.of(case_timelines(database), started_at, ended_at)
        records = {k: v - records_before.get(k, 0) for k, v in records.items()}
        cpu = sum(worker_cpu) + submitter_cpu + prefect_cpu + s3_cpu
        totals = json.loads(out.stdout)["totals"]
        if totals["failed"]:  # the kinds of error only (the logs name no document content)
            for log in logs:
                print(
                    f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:]), file=sys.stderr
                )
        return Measured(
            seconds,
            cpu,
            (load, os.getloadavg()[0]),
            peaks_mb=[kb // 1024 for kb in rss.peaks.values()],
            worker_cpu=worker_cpu,
            submitter_cpu=submitter_cpu,
            prefect_cpu=prefect_cpu,
            s3_cpu=s3_cpu,
            totals=totals,
            records=records,
            timeline=timeline,
        )
    finally:
        for process in processes:
            for sig in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
                if process.poll() is None:
                    os.killpg(process.pid, sig)
                    time.sleep(3)
        subprocess.run([sys.executable, "-m", "interfaces.cli", "down"], cwd=ROOT, env=host, check=False)


def _wait_started(log: Path, timeout: float = 600.0) -> None:
    """Until the worker polls the pool (it has deployed the flows, if it is the first, and loaded the models)."""
    deadline = time.monotonic() + timeout
    while "started" not in log.read_text(errors="replace"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"worker not started in {timeout:.0f} s: see {log}")
        time.sleep(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--per-case", type=int, default=4)
    parser.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2")
    parser.add_argument("--isolated", action="store_true", help="Prefect's process worker: a process per case")
    parser.add_argument("--limit", type=int, help="cases a worker holds at once (default: `intake worker`'s)")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    rows: list[tuple[int, int, Measured, Measured]] = []
    kind = "isolated (a process per flow run)" if args.isolated else "warm (flow runs in the worker's process)"
    kind += f", {args.limit or 'the default number of'} cases in hand each"
    written: Path | None = None
    models_ready()
    with tempfile.TemporaryDirectory(prefix="intake-batch-bench-") as tmp:
        batch = Path(tmp) / "batch"
        files = make_batch(batch, args.pages, args.per_case)
        for workers in (int(w) for w in args.workers.split(",")):
            threads = max(1, cores // workers)
            alone = reading_alone(files, workers, threads)
            e2e = end_to_end(batch, workers, threads, Path(tmp) / f"run{workers}", args.isolated, args.limit)
            rows.append((workers, threads, alone, e2e))
            # Written after each worker count, so a run cut short still leaves what it measured.
            text = table(rows, args.pages, args.per_case, cores, kind)
            written = write_result("batch", text) if written is None else _rewrite(written, text)
            print(text, flush=True)
    print(f"written to {written}")
    return 0


def _rewrite(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def table(rows: list[tuple[int, int, Measured, Measured]], pages: int, per_case: int, cores: int, kind: str) -> str:
    lines = [
        f"# Batch throughput on workers ({dt.datetime.now():%Y-%m-%d %H:%M}, {commit()})",
        "",
        f"{pages} pages (samples' images made distinct), {per_case} a case; workers: {kind}; "
        f"{cores} cores shared with other work (load average at start → end of each part below).",
        "",
        "| workers | OCR threads | pages | reading alone s | CPU s | pages/min | load | end to end s | CPU s | "
        "pages/min | load | overhead wall | overhead CPU | peak RSS per worker MB | CPU s per worker | "
        "submitter CPU s | Prefect server CPU s | S3 server CPU s | cases | failed |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for workers, threads, alone, e2e in rows:
        n = alone.pages
        lines.append(
            f"| {workers} | {threads} | {n} | {alone.seconds:.0f} | {alone.cpu:.0f} | "
            f"{n / alone.seconds * 60:.1f} | {alone.load[0]:.1f}→{alone.load[1]:.1f} | {e2e.seconds:.0f} | "
            f"{e2e.cpu:.0f} | {n / e2e.seconds * 60:.1f} | {e2e.load[0]:.1f}→{e2e.load[1]:.1f} | "
            f"{e2e.seconds / alone.seconds - 1:+.0%} | {e2e.cpu / alone.cpu - 1:+.0%} | "
            f"{', '.join(map(str, e2e.peaks_mb))} | {', '.join(f'{c:.0f}' for c in e2e.worker_cpu)} | "
            f"{e2e.submitter_cpu:.0f} | {e2e.prefect_cpu:.0f} | {e2e.s3_cpu:.0f} | {e2e.totals['cases']} | "
            f"{e2e.totals['failed']} |"
        )
    lines += [
        "",
        "What the Prefect server recorded a case (rows its database gained over the batch, per case):",
        "",
        "| workers | " + " | ".join(RECORDS) + " |",
        "|---|" + "---|" * len(RECORDS),
    ]
    for workers, _, _, e2e in rows:
        cases = max(1, e2e.totals["cases"])
        lines.append(f"| {workers} | " + " | ".join(f"{e2e.records.get(k, 0) / cases:.1f}" for k in RECORDS) + " |")
    lines += [
        "",
        "Where the end-to-end wall time went (from the states the Prefect server recorded; seconds): a case's "
        "mean time in each phase; the batch's head (the submitting call's start, with its upload of the "
        "originals, to the first case taken) and tail (the last case completed to the call's end); the "
        "seconds the workers held no case between their first and last (summed); the cases in hand on average.",
        "",
        "| workers | " + " | ".join(PHASES) + " | head | tail | workers idle | cases in hand |",
        "|---|" + "---|" * (len(PHASES) + 4),
    ]
    for workers, _, _, e2e in rows:
        if (t := e2e.timeline) is not None:
            lines.append(
                f"| {workers} | "
                + " | ".join(f"{t.phases[k]:.2f}" for k in PHASES)
                + f" | {t.head:.1f} | {t.tail:.1f} | {t.workers_idle:.1f} | {t.in_hand:.2f} |"
            )
    lines += [
        "",
        "End-to-end CPU: the workers over the batch, the submitting `intake batch` call, the Prefect server and "
        "the S3 server (weed, and the host process relaying S3 connections to it). On a shared machine the "
        "wall-clock overhead follows the load; the CPU overhead is what the orchestration costs.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
