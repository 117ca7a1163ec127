"""What a CLI call costs before it reads a page: `intake process` on one page against `intake ocr` of that page.

With servers already running (`intake up`, started here in a private data dir), a one-page case should take at
most twice the reading alone (issue 32). Both are whole CLI calls (interpreter, imports, models, the page);
`process` adds the flow run, the store and the verdict. `--cold` also times one call with no servers running
(an embedded S3 server and a temporary Prefect server started for that call, as before `intake up`).

Prints the table and writes it to bench/results/<date>-<commit>-startup.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def write_result(name: str, text: str) -> Path:
    """A dated file with the commit, so a figure can be traced to the code that made it."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{dt.datetime.now():%Y-%m-%d-%H%M}-{commit()}-{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def cli_env(data_dir: Path) -> dict[str, str]:
    """A clean environment for `intake` calls: this data dir, no inherited endpoint or Prefect server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTAKE_", "PREFECT_"))}
    return env | {"INTAKE_DATA_DIR": str(data_dir), "DO_NOT_TRACK": "1", "ORT_DISABLE_TELEMETRY": "1"}


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_cli(args: list[str], env: dict[str, str], cpu: list[float] | None = None) -> float:
    """The call's wall seconds; its own process's CPU seconds appended to `cpu` (the servers' are not in them)."""
    start, start_cpu = time.perf_counter(), children_cpu_s()
    subprocess.run(
        [sys.executable, "-m", "interfaces.cli", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    if cpu is not None:
        cpu.append(children_cpu_s() - start_cpu)
    return time.perf_counter() - start


def fresh_copy(page: Path, folder: Path, run: int) -> str:
    """The page with a trailer after the image's end (ignored by decoders): new bytes, so a call never finds
    the page in the store's reading cache and reads it as `intake ocr` does."""
    copy = folder / f"{run}-{page.name}"
    copy.write_bytes(page.read_bytes() + f"startup-{run}-{time.time_ns()}".encode())
    return str(copy)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--page", default="samples/documents/id_front_card_photo.jpg")
    parser.add_argument("--item", default="住院费用报销")
    parser.add_argument("--repeat", type=int, default=3, help="calls of each kind (the median is reported)")
    parser.add_argument("--cold", action="store_true", help="also one call with no servers running")
    args = parser.parse_args(argv)
    page = ROOT / args.page
    with tempfile.TemporaryDirectory(prefix="intake-startup-") as tmp:
        data = Path(tmp) / "data"
        runs = iter(range(1000))

        def process_call(env: dict[str, str], cpu: list[float] | None = None) -> float:
            return timed_cli(["process", "--item", args.item, fresh_copy(page, Path(tmp), next(runs))], env, cpu)

        env = cli_env(data)
        rows: list[tuple[str, list[float]]] = []
        ocr_cpu: list[float] = []
        process_cpu: list[float] = []
        if args.cold:
            cold_env = cli_env(Path(tmp) / "cold")
            rows.append(
                ("process, no servers running", [timed_cli(["process", "--item", args.item, args.page], cold_env)])
            )
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "interfaces.cli", "up"], cwd=ROOT, env=env, check=True)
        up_seconds = time.perf_counter() - start
        try:
            process_call(env)  # the first flow run fills the server's caches
            # Alternated, so that a change in the machine's load falls on both kinds alike.
            ocr: list[float] = []
            process: list[float] = []
            for _ in range(args.repeat):
                ocr.append(timed_cli(["ocr", fresh_copy(page, Path(tmp), next(runs))], env, ocr_cpu))
                process.append(process_call(env, process_cpu))
        finally:
            subprocess.run([sys.executable, "-m", "interfaces.cli", "down"], cwd=ROOT, env=env, check=False)
    rows = [("ocr (reading alone)", ocr), ("process, servers up", process), *rows]
    ratio = statistics.median(process) / statistics.median(ocr)
    load = os.getloadavg()[0]
    lines = [
        f"# Start-up: one-page case against reading the page ({dt.datetime.now():%Y-%m-%d %H:%M}, {commit()})",
        "",
        f"Page `{args.page}`, item {args.item}; `intake up` took {up_seconds:.1f} s; "
        f"{os.cpu_count()} cores, load average {load:.1f} at the end.",
        "",
        "| call | median s | runs (s) |",
        "|---|---|---|",
        *(f"| {name} | {statistics.median(t):.1f} | {', '.join(f'{x:.1f}' for x in t)} |" for name, t in rows),
        "",
        f"process / ocr = {ratio:.2f} (target ≤ 2).",
        "",
        f"CPU seconds of the call's own process (median; the servers' share of `process` is not in it): "
        f"ocr {statistics.median(ocr_cpu):.2f}, process {statistics.median(process_cpu):.2f}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    print(f"written to {write_result('startup', text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
