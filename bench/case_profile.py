"""Where a warm worker's CPU goes besides reading: a small batch of cases run through `process-case` in one warm
process (Prefect's flow engine, the real S3 and Prefect servers of `intake up`), against reading the same pages
alone, with cProfile over the cases.

The worker's extra over reading alone is split into the pipeline's other stages (classification, extraction,
judging), the store (page images encoded, readings serialised, S3 requests), and Prefect's flow and task
engines (states, parameters, clients), from the profile of the thread that runs the flow; the other threads'
CPU (Prefect's log, event and heartbeat workers, the OCR runtime's own threads) is counted per thread, and the
requests the worker made to the Prefect API are counted per case (each is work for the server too).

    python -m bench.case_profile --cases 4 --per-case 4

Writes bench/results/<date>-<commit>-case-profile.md. CPU seconds, not wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.batch_bench import make_batch
from bench.startup_bench import ROOT, cli_env, commit, write_result
from storage.credentials import credentials_file
from storage.credentials import load as load_keys

# Parts of the worker's own work, by the function whose cumulative CPU (the flow's thread) measures it. They do
# not nest in one another, so they add up; what is left of the flow thread's CPU is Prefect's engines and glue.
PARTS: dict[str, str] = {
    "load (decode the image)": "pipeline.passes:LoadPass.__call__",
    "read (preprocess, OCR, seals and their text, copy)": "pipeline.passes:ReadPass.__call__",
    "classify (from the pages as read)": "pipeline.passes:ClassifyPass.__call__",
    "extract": "pipeline.passes:extract_fields",
    "judge": "validators.verdict:judge",
    "page images encoded (JPEG)": "cv2:imencode",
    "readings stored (JSON)": "pipeline.readings:put_reading",
    "case and verdict stored (JSON)": "storage.store:ObjectStore.put_json",
    "originals stored (hash, put)": "storage.store:ObjectStore.put_original",
    "case run tagged (run_tags)": "flows.run_tags:mark_case_run",
}
# Inside the parts above, shown apart: every S3 request; the seals found, their text read and the copy judged
# on each page image (in the reading).
INSIDE: dict[str, str] = {
    "of which S3 requests": "storage.store:ObjectStore._call",
    "of which seals, seal text and copy (in read)": "classifiers.documents:page_marks",
}


def _profile_key(spec: str) -> tuple[str, int, str]:
    """The key cProfile files `module:qualname` under: its code's file, first line and name (a built-in's name)."""
    import importlib
    import inspect

    module, _, qualname = spec.partition(":")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    if inspect.isbuiltin(found):
        return ("~", 0, qualname)
    code = inspect.unwrap(found).__code__
    return (code.co_filename, code.co_firstlineno, code.co_name)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


TICK = os.sysconf("SC_CLK_TCK")


def thread_cpu() -> dict[int, float]:
    """CPU seconds of each of this process's threads, by native id."""
    out: dict[int, float] = {}
    for stat in Path("/proc/self/task").glob("*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / TICK
    return out


def _thread_names() -> dict[int, str]:
    return {t.native_id: re.sub(r"[-_ ]?\d+", "", t.name) for t in threading.enumerate() if t.native_id is not None}


class ApiRequests:
    """Requests to the Prefect API, counted by method and path (ids folded), through httpx's clients."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def install(self) -> None:
        import httpx

        counts = self.counts
        send_async, send_sync = httpx.AsyncClient.send, httpx.Client.send

        def key(request: httpx.Request) -> str:
            path = re.sub(r"/[0-9a-f-]{36}", "/{id}", request.url.path)
            return f"{request.method} {path.removeprefix('/api')}"

        async def counted_async(client: httpx.AsyncClient, request: httpx.Request, **kw: Any) -> httpx.Response:
            counts[key(request)] += 1
            return await send_async(client, request, **kw)

        def counted_sync(client: httpx.Client, request: httpx.Request, **kw: Any) -> httpx.Response:
            counts[key(request)] += 1
            return send_sync(client, request, **kw)

        httpx.AsyncClient.send = counted_async  # type: ignore[method-assign,assignment]
        httpx.Client.send = counted_sync  # type: ignore[method-assign,assignment]


def _cumulative(stats: pstats.Stats, spec: str) -> float:
    """Cumulative seconds of the function `spec` names (a built-in: every entry naming it)."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    key = _profile_key(spec)
    if key[0] == "~":
        return sum(float(v[3]) for (f, _, name), v in raw.items() if f == "~" and key[2] in name)
    entry = raw.get(key)
    return float(entry[3]) if entry else 0.0


def child(batch: Path, out: Path, cases: int, stats_path: Path | None) -> None:
    """In the worker-like process: warm up, read alone, then the cases under the profiler."""
    api = ApiRequests()
    api.install()
    import yaml

    from flows.case_flow import process_case
    from intake.requests import CaseRequest, InputRef, RunSettings
    from intake.settings import Settings
    from pipeline.analyse import read_bytes_pages
    from storage.store import store_for

    worker = Settings()
    run = RunSettings.from_settings(worker)
    settings = run.over(worker)
    store = store_for(settings)
    store.ensure_bucket()
    rows = yaml.safe_load((batch / "manifest.yaml").read_text(encoding="utf-8"))["cases"]

    def request(row: dict[str, Any]) -> CaseRequest:
        refs = []
        for name in row["files"]:
            data = (batch / name).read_bytes()
            stored, _ = store.put_original(data, name, "image/jpeg")  # the submitter's part, not counted
            refs.append(InputRef(source=name, key=stored.key))
        return CaseRequest(case_id=row["case_id"], item=row["item"], case_date=row["case_date"], files=refs)

    warm, measured = rows[0], rows[1 : cases + 1]
    process_case(request(warm), run)  # models, clients, the first flow run's set-up: paid once by a worker

    paths = [batch / name for row in measured for name in row["files"]]
    before = _cpu()
    pages = sum(len(read_bytes_pages(p.read_bytes(), str(p), settings)) for p in paths)
    reading = _cpu() - before

    requests = [request(row) for row in measured]
    api.counts.clear()
    names, threads_before = _thread_names(), thread_cpu()
    profile = cProfile.Profile(time.thread_time)
    before = _cpu()
    for req in requests:
        profile.runcall(process_case, req, run)
    cases_cpu = _cpu() - before
    time.sleep(3)  # the log and event workers' last sends
    threads_after, names = thread_cpu(), names | _thread_names()
    stats = pstats.Stats(profile)
    if stats_path is not None:
        stats.dump_stats(stats_path)
    main_id = threading.main_thread().native_id
    per_thread: dict[str, float] = {}
    for tid, seconds in threads_after.items():
        spent = seconds - threads_before.get(tid, 0.0)
        label = "flow thread" if tid == main_id else names.get(tid, "native threads (OCR runtime, S3 client)")
        per_thread[label] = per_thread.get(label, 0.0) + spent
    parts = {label: _cumulative(stats, spec) for label, spec in PARTS.items()}
    parts |= {label: _cumulative(stats, spec) for label, spec in INSIDE.items()}
    profiled = float(stats.total_tt)  # type: ignore[attr-defined]
    top = _top(stats, 25)
    out.write_text(
        json.dumps(
            {
                "cases": len(requests),
                "pages": pages,
                "reading_alone": reading,
                "cases_cpu": cases_cpu,
                "profiled": profiled,
                "parts": parts,
                "threads": dict(per_thread),
                "api": dict(api.counts),
                "top": top,
            }
        ),
        encoding="utf-8",
    )


def _top(stats: pstats.Stats, n: int) -> list[tuple[str, float, float, int]]:
    """The `n` functions with the most own time: name, own and cumulative seconds, calls."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:n]
    return [
        (f"{Path(f).parent.name}/{Path(f).name}:{fn}" if f != "~" else fn, tt, ct, nc)
        for (f, _, fn), (_, nc, tt, ct, _) in rows
    ]


def table(result: dict[str, Any], load: tuple[float, float]) -> str:
    cases, reading, spent = result["cases"], result["reading_alone"], result["cases_cpu"]
    extra = spent - reading
    flow_parts = {k: v for k, v in result["parts"].items() if not k.startswith("of which")}
    flow_thread = result["threads"].get("flow thread", 0.0)
    engine = flow_thread - sum(flow_parts.values())
    lines = [
        f"# Where a warm worker's CPU goes ({time.strftime('%Y-%m-%d %H:%M')}, {commit()})",
        "",
        f"{cases} cases, {result['pages']} pages, one warm process (after one warm-up case), the Prefect and S3 "
        f"servers of `intake up`; load average {load[0]:.1f}→{load[1]:.1f}. CPU seconds.",
        "",
        f"Reading the pages alone (`read_bytes_pages`): **{reading:.1f}**; the cases through `process-case`: "
        f"**{spent:.1f}** (**{extra / reading:+.0%}**, {extra / cases:.2f} a case).",
        "",
        "| part (cumulative CPU in the flow's thread) | CPU s | a case |",
        "|---|---|---|",
    ]
    for label, seconds in result["parts"].items():
        lines.append(f"| {label} | {seconds:.2f} | {seconds / cases:.3f} |")
    lines.append(f"| Prefect's engines and the rest of the flow's thread | {engine:.2f} | {engine / cases:.3f} |")
    lines += ["", "| thread | CPU s | a case |", "|---|---|---|"]
    for label, seconds in sorted(result["threads"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {label} | {seconds:.2f} | {seconds / cases:.3f} |")
    lines += ["", "| Prefect API request (from the worker) | a case |", "|---|---|"]
    for path, count in sorted(result["api"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| `{path}` | {count / cases:.1f} |")
    lines += ["", "| most own time (flow thread) | own s | cumulative s | calls |", "|---|---|---|---|"]
    for name, own, cumulative, calls in result["top"]:
        lines.append(f"| `{name}` | {own:.2f} | {cumulative:.2f} | {calls} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=4)
    parser.add_argument("--per-case", type=int, default=4)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--stats", type=Path, help="also write the cases' profile (pstats) here")
    parser.add_argument("--child", nargs=2, metavar=("BATCH", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.cases, args.stats)
        return 0
    with tempfile.TemporaryDirectory(prefix="intake-case-profile-") as tmp:
        batch = Path(tmp) / "batch"
        make_batch(batch, (args.cases + 1) * args.per_case, args.per_case)
        host = cli_env(Path(tmp) / "host")
        subprocess.run([sys.executable, "-m", "interfaces.cli", "up"], cwd=ROOT, env=host, check=True)
        try:
            state = json.loads((Path(tmp) / "host" / "servers.json").read_text())
            keys = load_keys(credentials_file(Path(tmp) / "host"))
            (Path(tmp) / "worker").mkdir()
            env = cli_env(Path(tmp) / "worker") | {
                "PREFECT_API_URL": state["prefect_api_url"],
                "PREFECT_HOME": str(Path(tmp) / "worker" / "prefect"),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "INTAKE_S3_ENDPOINT": state["s3_endpoint"],
                "INTAKE_S3_ACCESS_KEY": keys.access_key,
                "INTAKE_S3_SECRET_KEY": keys.secret_key,
                "INTAKE_OCR__THREADS": str(args.threads),
            }
            out = Path(tmp) / "profile.json"
            load = os.getloadavg()[0]
            command = [sys.executable, "-m", "bench.case_profile", "--cases", str(args.cases)]
            command += ["--stats", str(args.stats.resolve())] if args.stats else []
            subprocess.run([*command, "--child", str(batch), str(out)], cwd=ROOT, env=env, check=True)
            result = json.loads(out.read_text(encoding="utf-8"))
        finally:
            subprocess.run([sys.executable, "-m", "interfaces.cli", "down"], cwd=ROOT, env=host, check=False)
    text = table(result, (load, os.getloadavg()[0]))
    print(text)
    print(f"written to {write_result('case-profile', text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
