"""Throughput end to end on workers, against reading the same pages alone, in one invocation.

A batch of `--pages` mixed pages (the samples' images, each copy made distinct by a trailer after the image's
end, so nothing is deduplicated or served from the reading cache), in cases of `--per-case` pages. For each
worker count N in `--workers`:

- reading alone: N processes, each loading the models once and reading its share with the pipeline
  (`pipeline.analyse.read_bytes_pages`), OCR threads = cores / N, as the workers are given;
- end to end: a Prefect server and the S3 server (`intake up` in a private data dir), N `intake worker`
  processes with data dirs of their own, and `intake batch --on-workers`: store, read, classify, extract,
  judge, store, one flow run a case.

Pages per minute for both, the orchestration overhead (end to end against reading alone), and the peak RSS of
each worker host (the worker and its flow runs, sampled every 0.5 s). Writes
bench/results/<date>-<commit>-batch.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

from bench.startup_bench import ROOT, cli_env, commit, write_result

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


def reading_alone(files: list[Path], workers: int, threads: int) -> tuple[float, int]:
    """Wall seconds and pages for `workers` processes reading their shares."""
    shares = [[str(f) for f in files[i::workers]] for i in range(workers)]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pages = sum(pool.map(_read_share, shares, [threads] * workers))
    return time.perf_counter() - start, pages


def _tree_rss_kb(pid: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        own = int(status.parent.name)
        children.setdefault(int(fields["PPid"]), []).append(own)
        rss[own] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


class PeakRss:
    """The highest RSS of each worker host's process tree, sampled in the background."""

    def __init__(self, pids: list[int]) -> None:
        self.peaks = dict.fromkeys(pids, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            for pid in self.peaks:
                self.peaks[pid] = max(self.peaks[pid], _tree_rss_kb(pid))

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def end_to_end(batch: Path, workers: int, threads: int, tmp: Path) -> tuple[float, list[int], dict[str, int]]:
    """Wall seconds of `intake batch --on-workers` with `workers` workers, their peak RSS (MB), the totals."""
    host = cli_env(tmp / "host")
    subprocess.run([sys.executable, "-m", "interfaces.cli", "up"], cwd=ROOT, env=host, check=True)
    state = json.loads((tmp / "host" / "servers.json").read_text())
    shared = {"PREFECT_API_URL": state["prefect_api_url"], "INTAKE_S3_ENDPOINT": state["s3_endpoint"]}
    shared |= {"INTAKE_OCR__THREADS": str(threads), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    processes = []
    try:
        for n in range(workers):
            env = cli_env(tmp / f"worker{n}") | shared | {"PREFECT_HOME": str(tmp / f"worker{n}" / "prefect")}
            log = (tmp / f"worker{n}.log").open("wb")
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "interfaces.cli", "worker", "--limit", "1", *(["--no-deploy"] if n else [])],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            time.sleep(0 if n else 20)  # the first worker deploys the flows
        command = [sys.executable, "-m", "interfaces.cli", "batch", str(batch)]
        with PeakRss([p.pid for p in processes]) as rss:
            start = time.perf_counter()
            out = subprocess.run(
                [*command, "--manifest", str(batch / "manifest.yaml"), "--on-workers", "--json"],
                cwd=ROOT,
                env=host | shared,
                check=True,
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - start
        totals = json.loads(out.stdout)["totals"]
        return seconds, [kb // 1024 for kb in rss.peaks.values()], totals
    finally:
        for process in processes:
            for sig in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
                if process.poll() is None:
                    os.killpg(process.pid, sig)
                    time.sleep(3)
        subprocess.run([sys.executable, "-m", "interfaces.cli", "down"], cwd=ROOT, env=host, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--per-case", type=int, default=4)
    parser.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    rows = []
    with tempfile.TemporaryDirectory(prefix="intake-batch-bench-") as tmp:
        batch = Path(tmp) / "batch"
        files = make_batch(batch, args.pages, args.per_case)
        for workers in (int(w) for w in args.workers.split(",")):
            threads = max(1, cores // workers)
            alone, pages = reading_alone(files, workers, threads)
            run_dir = Path(tmp) / f"run{workers}"
            e2e, peaks, totals = end_to_end(batch, workers, threads, run_dir)
            rows.append((workers, threads, pages, alone, e2e, peaks, totals))
            print(f"{workers} worker(s): reading {pages / alone * 60:.1f} pages/min, end to end {pages / e2e * 60:.1f}")
    lines = [
        f"# Batch throughput on workers ({dt.datetime.now():%Y-%m-%d %H:%M}, {commit()})",
        "",
        f"{args.pages} pages (samples' images made distinct), {args.per_case} a case; {cores} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the end (other work shares the machine).",
        "",
        "| workers | OCR threads | pages | reading alone s | pages/min | end to end s | pages/min | overhead | "
        "peak RSS per worker MB | cases | failed |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for workers, threads, pages, alone, e2e, peaks, totals in rows:
        lines.append(
            f"| {workers} | {threads} | {pages} | {alone:.0f} | {pages / alone * 60:.1f} | {e2e:.0f} | "
            f"{pages / e2e * 60:.1f} | {e2e / alone - 1:+.0%} | {', '.join(map(str, peaks))} | "
            f"{totals['cases']} | {totals['failed']} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    print(f"written to {write_result('batch', text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
