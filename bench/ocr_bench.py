"""OCR benchmark, in two modes.

`--split heldout` (`make bench-ocr`; also `familytune`): the template-family sets (synth/families, pages
from sources the reader was never tuned on), our default reading and Tesseract side by side in one
invocation, one worker process each. Per family × capture variant: pages, CER of each and their ratio,
pages per core-minute of each (CPU seconds, user and system, of the worker process and its child
processes from `resource.getrusage`, after the model load: the figure holds on a loaded machine, where
wall time does not) and their ratio, and a verdict against the goal (≥ 1.2× Tesseract's pages per
core-minute and ≤ ½ its CER, issue 32). Ours runs with one inference thread by default (`--threads`), as
pages run one per core in a batch; Tesseract with one OpenMP thread. The load average while the engines
ran is printed under the table.

Otherwise (`--split eval|tune|samples`, `make bench-ocr-groups`): per sample group, our reading path (PDF text
layer, else OpenCV preprocessing, quality gate and PP-OCRv6 on onnxruntime) against Tesseract 5 `chi_sim` from
Debian and, where a paddle venv is present, the same reading path with the `paddleocr` package as its engine,
in one invocation (prints, never asserts; prints metrics and file names only, never document text).

Per group and engine: pages, character error rate, key-field recall, pages/min, p50/p95 per-page
latency; per engine: model load time and peak RSS of its worker process. Each engine runs in its own
spawned worker, so load time and memory are its own. Throughput with two workers (one per core) is
measured on the image pages of the first documents of each group.

CER: the truth's printed lines against the engine's lines, both put in reading order by the same
position rule (`in_rows`) and joined; whitespace and punctuation are ignored (bench.metrics).
Key-field recall: ground-truth values of documents[0].fields (scalars; lists skipped) found verbatim in
the text read from the whole file. Only values printed verbatim on the page are counted: a date stored
ISO-normalised but printed as 年月日 would be missed by every engine alike. quality_fail files are not in
CER or recall (our gate refuses most of them unread): they get a separate gate line.

Tesseract gets the page image our pipeline starts from (`ocr.loader.load_pages`: the decoded image,
for PDFs the same 200 dpi render), `-l chi_sim --psm 3`, no OSD and none of our preprocessing, one
tesseract process per page with OMP_THREAD_LIMIT=1 (with two OpenMP threads on this busy 2-core
machine one photo took 3.5–40 s instead of 0.8 s).

The `paddleocr` package (engine "paddle") cannot share our venv (its pins downgrade numpy and PyYAML and
replace OpenCV's cv2), so its workers run under another venv's Python (`--paddle-python`, default
INTAKE_BENCH_PADDLE_PYTHON or ../paddle-venv/bin/python; made with `python3.11 -m venv ../paddle-venv &&
../paddle-venv/bin/pip install -e '.[paddle]'`); without one the engine is skipped with a line saying why.
They read through the same `read_file_pages` as "ours", so loading, preprocessing, quality gate and text
layer are the same code and only the engine differs; its model folders are made from this venv's rapidocr
wheel (`ocr.paddle_models`, under .intake/paddle-models): the fp32 files ours runs by default. Same code is
not same bytes: there OpenCV is paddlex's 4.10, here 5.0, and the prepared pages differ by rounding (a
few grey levels on 6–8 % of the pixels; rotation, skew, page outline and gate decided alike on the pages
checked). Each engine's header line names its worker's Python, OpenCV, numpy and onnxruntime.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import multiprocessing as mp
import multiprocessing.pool
import multiprocessing.spawn
import os
import platform
import queue
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.metrics import cer, key_field_recall, normalise_for_cer, percentile
from bench.results import recorded
from bench.sets import REAL, ROOT, SETS
from intake.settings import RapidOcrOptions, Settings
from ocr.stages import clocked

SCORED = ["clean_scan", "degraded_scan", "photocopy", "phone_photo", "rotated", "born_digital_pdf"]
QUALITY_FAIL = "quality_fail"
REAL_GROUP = "real"
ENGINES = {
    "ours": (
        "ours: PP-OCRv6 small ONNX via rapidocr + OpenCV preprocessing, PDF text layer when present "
        "(settings as configured)"
    ),
    "ours-int8": "ours-int8: ours with int8 copies of the detection and recognition models (ocr/provision.py)",
    "ours-fp32": "ours-fp32: ours with the wheel's fp32 recogniser for every line (the default until 2026-11-28 12:00)",
    "ours-full-width": (
        "ours-full-width: ours-fp32 with every line recognised alone at its full width (no narrowing, no rows: "
        "the default until 2026-11-28 10:00)"
    ),
    "ours-onnxruntime": "ours-onnxruntime: ours with the ONNX files run by onnxruntime (the default until 2026-12-06)",
    "ours-openvino": ("ours-openvino: ours-fp32 with the ONNX files run by OpenVINO"),
    "ours-openvino-rec": "ours-openvino-rec: ours with the recognisers run by OpenVINO too",
    "ours-openvino-auto": (
        "ours-openvino-auto: ours with OpenVINO at its CPU default precision (bf16 where the CPU has it, else f32)"
    ),
    "ours-recheck-brackets": (
        "ours-recheck-brackets: ours with a line unsure only of a bracket read again in fp32 too (the default until "
        "2026-12-07)"
    ),
    "tesseract": "Tesseract 5 chi_sim (--psm 3, no OSD, same loaded page images, 1 OpenMP thread)",
    "paddle": (
        "paddle: paddleocr 3.7 package (PaddleX OCR pipeline on onnxruntime, the same PP-OCRv6 small ONNX files) "
        "in our reading path: same preprocessing, quality gate and PDF text layer, other venv"
    ),
}
# our pipeline, quality gate included
GATED = {
    "ours",
    "ours-int8",
    "ours-fp32",
    "ours-full-width",
    "ours-onnxruntime",
    "ours-openvino",
    "ours-openvino-rec",
    "ours-openvino-auto",
    "ours-recheck-brackets",
    "paddle",
}
FP32 = {"INTAKE_OCR__MODEL_PRECISION": "fp32"}
VARIANTS = {  # ours with settings forced
    "ours-int8": {"INTAKE_OCR__MODEL_PRECISION": "int8"},
    "ours-fp32": FP32,
    "ours-full-width": {**FP32, "INTAKE_OCR__REC_WIDTH_SCALE": "1.0", "INTAKE_OCR__REC_PACK_WIDTH": "0"},
    "ours-onnxruntime": {"INTAKE_OCR__RUNTIME": "onnxruntime"},
    "ours-openvino": {**FP32, "INTAKE_OCR__RUNTIME": "openvino", "INTAKE_OCR__REC_RUNTIME": "openvino"},
    "ours-openvino-rec": {"INTAKE_OCR__REC_RUNTIME": "openvino"},
    "ours-openvino-auto": {"INTAKE_OCR__OPENVINO_PRECISION": "auto"},
    "ours-recheck-brackets": {"INTAKE_OCR__RECHECK_IGNORES": ""},
}
PER_GROUP_ENGINES = "ours,ours-fp32,ours-int8,ours-openvino,tesseract,paddle"
# The template-family sets (synth/families, split.yaml): one file per family, side and variant per --repeat.
FAMILY_SETS = {
    "heldout": ("generated held-out families (seeds 500000+, never tuned on)", ROOT / "generated" / "heldout"),
    "familytune": ("generated tune families (seeds 300000+, tuned on)", ROOT / "generated" / "familytune"),
}
PADDLE_MODELS = ROOT / ".intake" / "paddle-models"
# What the bench needs to know of another Python: its version, whether paddleocr is there, its import path.
PROBE = (
    "import importlib.util, json, platform, sys; "
    "print(json.dumps([platform.python_version(), importlib.util.find_spec('paddleocr') is not None, sys.path[1:]]))"
)

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Job:
    path: str
    group: str
    truth_pages: tuple[str, ...]  # per page, the printed lines in reading order (empty: no line truth)
    values: tuple[str, ...]  # ground-truth field values to look for
    expected_quality: str | None = None
    family: str = ""  # template-family sets: document type and family ("invoice/ebill_gd")
    variant: str = ""  # template-family sets: the capture variant ("scan", "photo", …)


@dataclass(frozen=True)
class PageResult:
    file: str
    group: str
    seconds: float  # the file's reading time divided by its pages
    cer: float | None
    found: int  # key-field counts, on the file's first page only (they are per document)
    wanted: int
    text_layer: bool = False
    issues: tuple[str, ...] = ()
    cpu: float = 0.0  # the file's CPU seconds (worker and its children) divided by its pages
    family: str = ""
    variant: str = ""
    # CPU seconds per stage of reading (ocr/stages.py), the file's divided by its pages; ours only
    stages: tuple[tuple[str, float], ...] = ()


@dataclass
class WorkerOut:
    load_seconds: float
    read_seconds: float  # reading every job, after the model load
    results: list[PageResult] = field(default_factory=list)
    rss_kib: int = 0  # peak RSS of the worker process
    child_rss_kib: int = 0  # peak RSS of its largest child process (the tesseract runs)
    runtime: str = ""  # the worker's Python and library versions


@dataclass(frozen=True)
class EngineSetup:
    """How an engine's workers start: under which Python (None: this one) and with which settings."""

    python: str | None = None
    path: tuple[str, ...] = ()  # that Python's import path, this repository first
    env: dict[str, str] = field(default_factory=dict)  # INTAKE_* settings for the worker


class ChildPeak:
    """Peak resident memory of this process's children (the tesseract runs), from their VmHWM in /proc,
    sampled every 20 ms. rusage cannot tell: a child's ru_maxrss includes the memory of the process it
    was forked from (the kernel keeps the pre-exec high-water mark)."""

    def __init__(self) -> None:
        self.kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> ChildPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
        while not self._stop.wait(0.02):
            try:
                pids = children.read_text().split()
            except OSError:
                return
            for pid in pids:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue  # already gone
                fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
                # Between fork and exec a child is still a copy of this Python process: not tesseract yet.
                if fields.get("Name", "").strip() == "tesseract" and "VmHWM" in fields:
                    self.kib = max(self.kib, int(fields["VmHWM"].split()[0]))


def in_rows(lines: list[tuple[str, Box]]) -> str:
    """Lines in reading order by position, the same way for the truth and for every engine: rows by
    centre (within half the median line height), left to right in a row. CER then measures reading,
    not which of two equally valid orders an engine emits its boxes in."""
    if not lines:
        return ""
    heights = sorted(b[3] - b[1] for _, b in lines)
    half = heights[len(heights) // 2] / 2
    rows: list[list[tuple[str, Box]]] = []
    for text, box in sorted(lines, key=lambda tb: (tb[1][1] + tb[1][3]) / 2):
        centre = (box[1] + box[3]) / 2
        if rows and abs(centre - (rows[-1][0][1][1] + rows[-1][0][1][3]) / 2) <= half:
            rows[-1].append((text, box))
        else:
            rows.append([(text, box)])
    return "\n".join(" ".join(t for t, _ in sorted(row, key=lambda tb: tb[1][0])) for row in rows)


@dataclass
class GeneratedSet:
    jobs: list[Job]
    seeds: tuple[int, int]
    values_not_printed: int  # ground-truth values left out of recall: not printed verbatim


def generated_jobs(folder: Path, limit: int | None) -> GeneratedSet:
    truth_dir = folder / "truth" / "documents" if (folder / "truth" / "documents").is_dir() else folder / "truth"
    by_group: dict[str, list[Job]] = defaultdict(list)
    seeds: list[int] = []
    skipped = 0
    truths = [json.loads(f.read_text(encoding="utf-8")) for f in truth_dir.glob("*.json")]
    # Seed order mixes document types within a group, so a --limit run still sees every kind.
    for truth in sorted(truths, key=lambda t: (t["seed"], t["file"])):
        group = truth["group"]
        if group not in [*SCORED, QUALITY_FAIL] or (limit is not None and len(by_group[group]) >= limit):
            continue
        seeds.append(int(truth["seed"]))
        pages = tuple(in_rows([(ln["text"], tuple(ln["box_mm"])) for ln in page["lines"]]) for page in truth["pages"])
        printed = normalise_for_cer("".join(pages))
        values = [
            str(v)
            for v in truth["documents"][0]["fields"].values()
            if isinstance(v, str | int | float) and not isinstance(v, bool) and str(v)
        ]
        kept = tuple(v for v in values if normalise_for_cer(v) in printed)
        skipped += len(values) - len(kept)
        path = str(folder / "documents" / truth["file"])
        by_group[truth["group"]].append(Job(path, truth["group"], pages, kept, truth["expected_quality"]))
    jobs = [job for group in [*SCORED, QUALITY_FAIL] for job in by_group[group]]
    return GeneratedSet(jobs, (min(seeds, default=0), max(seeds, default=0)), skipped)


def family_jobs(
    folder: Path,
    limit: int | None = None,
    families: Collection[str] = (),
    variants: Collection[str] = (),
) -> list[Job]:
    """Every file of a template-family set (`python -m synth generate --split heldout`), as a job labelled
    with its document type, family and capture variant, in that order; files made to fail the quality
    gate are left out (the family sets make none). `families` (a name matches its document type, its family
    or both, e.g. `invoice` or `invoice/ebill_gd`) and `variants` narrow the set when not empty, to iterate
    on a few slow cells."""
    jobs = []
    for path in (folder / "truth").glob("*.json"):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if truth.get("expected_quality"):
            continue
        pages = tuple(in_rows([(ln["text"], tuple(ln["box_mm"])) for ln in page["lines"]]) for page in truth["pages"])
        printed = normalise_for_cer("".join(pages))
        values = tuple(
            str(v)
            for v in truth["documents"][0]["fields"].values()
            if isinstance(v, str | int | float) and not isinstance(v, bool) and normalise_for_cer(str(v)) in printed
        )
        family = f"{truth['documents'][0]['doc_type']}/{truth.get('family', 'base')}"
        if families and not {family, *family.split("/")} & set(families):
            continue
        if variants and truth["variant"] not in variants:
            continue
        job = Job(
            str(folder / "documents" / truth["file"]), truth["group"], pages, values, None, family, truth["variant"]
        )
        jobs.append((family, truth["variant"], int(truth["seed"]), job))
    per_cell: dict[tuple[str, str], list[Job]] = defaultdict(list)
    for family, variant, _, job in sorted(jobs, key=lambda k: k[:3]):
        if limit is None or len(per_cell[family, variant]) < limit:
            per_cell[family, variant].append(job)
    return [job for cell in per_cell.values() for job in cell]


def real_jobs() -> list[Job]:
    """The real samples: labelled values that are present, unmasked and not marked uncertain."""
    if not (REAL / "labels.json").is_file():
        return []
    jobs = []
    for entry in json.loads((REAL / "labels.json").read_text(encoding="utf-8")):
        uncertain = {u.split(":", 1)[0].strip() for u in entry.get("uncertain") or []}
        values = tuple(
            v
            for label, v in entry["fields"].items()
            if isinstance(v, str) and v and "*" not in v and label not in uncertain
        )
        jobs.append(Job(str(REAL / entry["file"]), REAL_GROUP, (), values))
    return jobs


Reading = tuple[str, bool, tuple[str, ...]]  # text in reading order, text layer, quality issues


def _read_ours(path: str, settings: Settings) -> list[Reading]:
    from extractors.layout import located_lines
    from pipeline.analyse import read_file_pages

    out = []
    for page in read_file_pages(path, settings):
        # Positions in the upright page (after our orientation fix), as the truth's are.
        text = in_rows([(ln.line.text, ln.bbox) for ln in located_lines([page])])
        out.append((text, page.text_layer, tuple(page.quality.issues) if page.quality else ()))
    return out


def _read_tesseract(path: str, settings: Settings) -> list[Reading]:
    import cv2
    import pytesseract

    from ocr.loader import load_pages

    out: list[Reading] = []
    for raw in load_pages(Path(path).read_bytes(), settings.limits):
        rgb = cv2.cvtColor(raw.image, cv2.COLOR_BGR2RGB) if raw.image.ndim == 3 else raw.image
        data = pytesseract.image_to_data(rgb, lang="chi_sim", config="--psm 3", output_type=pytesseract.Output.DICT)
        words: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for i, word in enumerate(data["text"]):
            if str(word).strip():
                words[(data["block_num"][i], data["par_num"][i], data["line_num"][i])].append(i)
        lines = []
        for idx in words.values():
            x0 = min(data["left"][i] for i in idx)
            y0 = min(data["top"][i] for i in idx)
            x1 = max(data["left"][i] + data["width"][i] for i in idx)
            y1 = max(data["top"][i] + data["height"][i] for i in idx)
            lines.append(("".join(str(data["text"][i]) for i in idx), (float(x0), float(y0), float(x1), float(y1))))
        out.append((in_rows(lines), False, ()))
    return out


def _load(engine: str, settings: Settings) -> float:
    """Model load: ours and paddle load their models once per process; the tesseract binary loads chi_sim
    on every call (that cost is inside its per-page latency too)."""
    import numpy as np

    started = time.perf_counter()
    if engine in GATED:
        from ocr.engine import get_engine

        get_engine(settings.ocr).read(np.full((64, 256, 3), 255, np.uint8), use_cls=False)
    else:
        import pytesseract

        pytesseract.image_to_string(np.full((64, 256), 255, np.uint8), lang="chi_sim")
    return time.perf_counter() - started


def _score(
    job: Job, readings: list[Reading], seconds: float, cpu: float = 0.0, stages: dict[str, float] | None = None
) -> list[PageResult]:
    name = Path(job.path).name
    per_stage = tuple((k, v / max(len(readings), 1)) for k, v in (stages or {}).items())
    found, wanted = key_field_recall(job.values, "\n".join(text for text, _, _ in readings))
    per_page = seconds / max(len(readings), 1)
    cpu_per_page = cpu / max(len(readings), 1)
    results = []
    for i, (text, text_layer, issues) in enumerate(readings):
        truth = job.truth_pages[i] if i < len(job.truth_pages) else None
        page_cer = cer(truth, text) if truth and job.group != QUALITY_FAIL else None
        first = i == 0
        results.append(
            PageResult(
                name,
                job.group,
                per_page,
                page_cer,
                found * first,
                wanted * first,
                text_layer,
                issues,
                cpu_per_page,
                job.family,
                job.variant,
                per_stage,
            )
        )
    return results


def _runtime(engine: str, settings: Settings) -> str:
    import cv2
    import numpy as np

    if engine in GATED and isinstance(settings.ocr, RapidOcrOptions):
        from ocr.rapid_engine import runtime_description

        runtime = runtime_description(settings.ocr)
    else:
        runtime = f"onnxruntime {importlib.metadata.version('onnxruntime')}"
    return f"Python {platform.python_version()}, OpenCV {cv2.__version__}, numpy {np.__version__}, {runtime}"


def worker(engine: str, jobs: queue.Queue[Job | None], threads: int, env: dict[str, str]) -> WorkerOut:
    """In a spawned process: load the engine, read jobs from the shared queue until its end mark, report
    times, results and peak RSS."""
    os.environ.update(env)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # Tesseract's OpenMP (see the module docstring)
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    settings = Settings()
    settings = settings.model_copy(update={"ocr": settings.ocr.model_copy(update={"threads": threads})})
    load = _load(engine, settings)
    read = _read_ours if engine in GATED else _read_tesseract
    started = time.perf_counter()
    results = []
    with ChildPeak() as children:
        for job in iter(jobs.get, None):
            t0, c0 = time.perf_counter(), cpu_seconds()
            with clocked() as clock:
                readings = read(job.path, settings)
            results.extend(_score(job, readings, time.perf_counter() - t0, cpu_seconds() - c0, clock.seconds))
    read_seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return WorkerOut(load, read_seconds, results, peak, children.kib, _runtime(engine, settings))


def cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of its finished children (the tesseract runs), user
    and system: what a page costs in cores, which holds on a loaded machine where wall time does not."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _pool(setup: EngineSetup, processes: int) -> mp.pool.Pool:
    """Spawned workers, under `setup.python` when given. multiprocessing keeps one executable for the whole
    process and a spawned child takes the parent's sys.path, so both are that Python's while the workers
    start (they start here, in the constructor) and this process's again after."""
    ctx = mp.get_context("spawn")
    if setup.python is None:
        return ctx.Pool(processes)
    executable, path = mp.spawn.get_executable(), sys.path
    ctx.set_executable(setup.python)
    sys.path = list(setup.path)
    try:
        return ctx.Pool(processes)
    finally:
        sys.path = path
        ctx.set_executable(executable)


def run(
    engine: str, jobs: list[Job], processes: int, setup: EngineSetup, threads: int | None = None
) -> tuple[list[WorkerOut], float]:
    """The jobs read by `processes` spawned workers from one queue, each taking the next file when it is
    free (as the product's process pool does), onnxruntime threads × workers = cores unless `threads` is
    given. Dealing the files out beforehand measured the unluckier worker: on 44 pages one had 37.5 s of
    reading, the other 30.2."""
    threads = threads or max(1, (os.cpu_count() or 1) // processes)
    started = time.perf_counter()
    with mp.get_context("spawn").Manager() as manager, _pool(setup, processes) as pool:
        shared = manager.Queue()
        for job in [*jobs, *[None] * processes]:
            shared.put(job)
        outs = pool.starmap(worker, [(engine, shared, threads, setup.env)] * processes)
    return outs, time.perf_counter() - started


def paddle_setup(python: Path) -> EngineSetup | str:
    """Workers under the paddle venv's Python with model folders made here from our rapidocr wheel (rebuilt
    every run, about a second), or why the paddle engine cannot run."""
    if not python.is_file():
        venv = python.parent.parent
        return f"no Python at {python} (python3.11 -m venv {venv} && {venv}/bin/pip install -e '.[paddle]')"
    probe = subprocess.run([str(python), "-c", PROBE], capture_output=True, text=True, timeout=60, check=False)
    if probe.returncode != 0:
        return f"{python} failed: {(probe.stderr.strip().splitlines() or ['no output'])[-1]}"
    version, has_paddleocr, path = json.loads(probe.stdout)
    if version.rsplit(".", 1)[0] != platform.python_version().rsplit(".", 1)[0]:
        return f"{python} is Python {version}, this one {platform.python_version()}: workers need the same"
    if not has_paddleocr:
        return f"paddleocr is not installed for {python} (pip install -e '.[paddle]' there)"
    from ocr.paddle_models import build_model_dirs

    dirs = build_model_dirs(PADDLE_MODELS)
    return EngineSetup(str(python), (str(ROOT), *path), dirs.env())


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def group_table(engine: str, out: WorkerOut, wall: float) -> dict[str, float]:
    """One engine's per-group table; returns mean CER per group."""
    child = f", tesseract process {out.child_rss_kib / 1024:.0f} MB (VmHWM)" if out.child_rss_kib else ""
    print(f"\n{ENGINES[engine]}")
    print(
        f"  model load {out.load_seconds:.2f} s, peak RSS {out.rss_kib / 1024:.0f} MB (worker){child}; "
        f"1 worker, run wall {wall:.0f} s; {out.runtime}"
    )
    print(
        f"  {'group':<17}{'pages':>6}{'CER':>8}{'key-field recall':>19}{'pages/min':>11}{'p50 s':>8}{'p95 s':>8}"
        f"  {'read from':<18}{'gate issues':>11}"
    )
    means: dict[str, float] = {}
    for group in SCORED:
        rows = [r for r in out.results if r.group == group]
        if not rows:
            continue
        scored = [r.cer for r in rows if r.cer is not None]
        means[group] = _mean(scored)
        found, wanted = sum(r.found for r in rows), sum(r.wanted for r in rows)
        latencies = [r.seconds for r in rows]
        layer = sum(r.text_layer for r in rows)
        source = f"text layer {layer}/{len(rows)}" if layer else "OCR"
        gate = sum(bool(r.issues) for r in rows) if engine in GATED else "-"
        print(
            f"  {group:<17}{len(rows):>6}{100 * means[group]:>7.1f}%{found:>9}/{wanted:<4}{_pct(found, wanted):>5}"
            f"{60 * len(rows) / max(sum(latencies), 1e-9):>11.1f}{percentile(latencies, 50):>8.2f}"
            f"{percentile(latencies, 95):>8.2f}  {source:<18}{gate:>11}"
        )
    image = [r for r in out.results if r.group in SCORED and r.group != "born_digital_pdf"]
    if image:
        print(
            f"  {'image pages':<17}{len(image):>6}{100 * _mean([r.cer for r in image if r.cer is not None]):>7.1f}%"
            f"{'':>19}{60 * len(image) / max(sum(r.seconds for r in image), 1e-9):>11.1f}"
            f"{percentile([r.seconds for r in image], 50):>8.2f}{percentile([r.seconds for r in image], 95):>8.2f}"
        )
    return means


def _pct(found: int, wanted: int) -> str:
    return f"{100 * found / wanted:.0f}%" if wanted else "-"


def gate_line(out: WorkerOut, jobs: list[Job]) -> None:
    rows = [r for r in out.results if r.group == QUALITY_FAIL]
    if not rows:
        return
    expected = {Path(j.path).name: j.expected_quality for j in jobs if j.group == QUALITY_FAIL}
    caught: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        code = expected.get(r.file) or "?"
        caught[code][1] += 1
        caught[code][0] += code in r.issues
    detail = ", ".join(f"{code} {hit}/{n}" for code, (hit, n) in sorted(caught.items()))
    print(
        f"  {QUALITY_FAIL:<17}{len(rows):>6}  not in CER or recall; expected gate code raised: {detail}"
        " (page_cut_off pages are read and flagged, the others refused unread)"
    )


def real_table(outs: dict[str, WorkerOut]) -> None:
    names = [e for e in outs if any(r.group == REAL_GROUP for r in outs[e].results)]
    if not names:
        return
    print(f"\nreal samples ({REAL.relative_to(ROOT.parent)}): key-field recall per file (labelled values, verbatim)")
    print(f"  {'file':<30}{'values':>7}" + "".join(f"  {e + ' found':>{_width(e)}}{'s':>6}" for e in names))
    per_file: dict[str, dict[str, PageResult]] = defaultdict(dict)
    for engine in names:
        for r in outs[engine].results:
            if r.group == REAL_GROUP:
                per_file[r.file].setdefault(engine, r)  # the first page carries the file's counts
    totals = {e: [0, 0] for e in names}
    for file, by_engine in per_file.items():
        wanted = next(iter(by_engine.values())).wanted
        cells = ""
        for engine in names:
            got = by_engine.get(engine)
            if got is None:
                cells += f"  {'-':>{_width(engine)}}{'-':>6}"
                continue
            totals[engine][0] += got.found
            totals[engine][1] += got.wanted
            cells += f"  {got.found:>{_width(engine) - 6}}{_pct(got.found, got.wanted):>6}{got.seconds:>6.1f}"
        print(f"  {file:<30}{wanted:>7}{cells}")
    print(
        f"  {'all':<30}{next(iter(totals.values()))[1]:>7}"
        + "".join(f"  {f:>{_width(e) - 6}}{_pct(f, w):>6}{'':>6}" for e, (f, w) in totals.items())
    )


def _width(engine: str) -> int:
    """Column width of an engine's 'found' cell in the real-sample table."""
    return max(12, len(engine) + 6)


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"nproc {os.cpu_count()}, {model or platform.processor()}, Python {platform.python_version()}, "
        f"load average {load:.1f} at start"
    )


def throughput(
    jobs: list[Job], setups: dict[str, EngineSetup], main: dict[str, WorkerOut], per_group: int, rounds: int
) -> None:
    """Pages/min after model load: 1 worker from the main run (same pages), 2 workers measured here, the
    engines taking turns `rounds` times so that a slow spell of this shared machine falls on all of them
    (one run's figures moved ±10 % between runs), reported as the median with every round's figure."""
    subset: list[Job] = []
    for group in SCORED:
        if group != "born_digital_pdf":
            subset += [j for j in jobs if j.group == group][:per_group]
    if not subset:
        return
    files = {Path(j.path).name for j in subset}
    pages = sum(len(j.truth_pages) for j in subset)
    print(
        f"\nthroughput on image pages ({per_group} documents per image group, {pages} pages), pages/min after "
        f"model load; 2 workers: median of {rounds} rounds taken in turn (each round's figure; in brackets: wall "
        "incl. worker start and load)"
    )
    measured: dict[str, list[tuple[float, float, list[WorkerOut]]]] = {engine: [] for engine in setups}
    for _ in range(rounds):
        for engine, setup in setups.items():
            outs, wall = run(engine, subset, 2, setup)
            busy = max(o.read_seconds for o in outs)
            measured[engine].append((60 * pages / busy, 60 * pages / wall, outs))
    for engine, runs in measured.items():
        one = [r for r in main[engine].results if r.file in files and r.group in SCORED]
        threads = (os.cpu_count() or 1) if engine in GATED else 1
        single = 60 * len(one) / max(sum(r.seconds for r in one), 1e-9)
        median, median_wall, _ = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
        every = " ".join(f"{rate:.1f}" for rate, _, _ in runs)
        rss = max(o.rss_kib for _, _, outs in runs for o in outs) / 1024
        child = max(o.child_rss_kib for _, _, outs in runs for o in outs) / 1024
        memory = f"{rss:.0f} MB" + (f" + tesseract {child:.0f} MB" if child else "")
        print(
            f"  {engine:<10} 1 worker × {threads} thread(s): {single:6.1f}   "
            f"2 workers × 1 thread: {median:6.1f} ({every}) ({median_wall:.1f})   peak RSS per worker {memory}"
        )


def cer_summary(means: dict[str, dict[str, float]]) -> None:
    """Mean CER per group side by side; with both measured, ours / Tesseract against the goal ≤ 0.50."""
    ratio = {"ours", "tesseract"} <= set(means)
    goal = " and ours / Tesseract (goal ≤ 0.50)" if ratio else ""
    print(f"\nCER per group{goal}:")
    print(f"  {'group':<17}" + "".join(f"{e:>{_width(e)}}" for e in means) + ("  ours / Tesseract" if ratio else ""))
    for group in SCORED:
        if not any(group in m for m in means.values()):
            continue
        row = "".join(f"{100 * m.get(group, float('nan')):>{_width(e) - 1}.1f}%" for e, m in means.items())
        if ratio:
            ours, peer = means["ours"].get(group, float("nan")), means["tesseract"].get(group, float("nan"))
            share = ours / peer if peer > 0 else float("nan")
            row += f"  {share:5.2f} {'ok' if share <= 0.5 else 'NOT ≤ 0.50'}"
        print(f"  {group:<17}{row}")


def engine_setups(engines: list[str], paddle_python: Path) -> dict[str, EngineSetup]:
    """How each engine's workers start; an engine that cannot run here is left out with a line saying why."""
    setups: dict[str, EngineSetup] = {}
    for engine in engines:
        if engine == "paddle":
            setup = paddle_setup(paddle_python)
        elif engine in VARIANTS:
            setup = EngineSetup(env=VARIANTS[engine])
        else:
            setup = EngineSetup()
        if isinstance(setup, str):
            print(f"engine {engine} left out: {setup}")
        else:
            setups[engine] = setup
    return setups


class LoadSampler:
    """The machine's 1-minute load average, sampled every 10 s while the engines run: CPU seconds hold on
    a loaded machine far better than wall time, but caches and memory bandwidth are shared too."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> LoadSampler:
        self.samples.append(os.getloadavg()[0])
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(os.getloadavg()[0])

    def _poll(self) -> None:
        while not self._stop.wait(10):
            self.samples.append(os.getloadavg()[0])

    def summary(self) -> str:
        return (
            f"load average (1 min) while the engines ran: mean {statistics.fmean(self.samples):.1f}, "
            f"min {min(self.samples):.1f}, max {max(self.samples):.1f} ({len(self.samples)} samples, 10 s apart)"
        )


SPEED_GOAL = 1.2  # pages per core-minute, ours over Tesseract's
CER_GOAL = 0.5  # CER, ours over Tesseract's


def _core_rate(rows: list[PageResult]) -> float:
    """Pages per core-minute: pages over the CPU minutes spent reading them."""
    return 60 * len(rows) / max(sum(r.cpu for r in rows), 1e-9)


def _family_row(label: str, variant: str, ours: list[PageResult], peer: list[PageResult]) -> str:
    cer_ours = _mean([r.cer for r in ours if r.cer is not None])
    cer_peer = _mean([r.cer for r in peer if r.cer is not None])
    rate_ours, rate_peer = _core_rate(ours), _core_rate(peer) if peer else float("nan")
    speed = rate_ours / rate_peer if peer else float("nan")
    share = cer_ours / cer_peer if cer_peer > 0 else (0.0 if cer_ours == 0 else float("inf"))
    fails = [
        *(["slower"] if not speed >= SPEED_GOAL else []),
        *(["CER"] if not share <= CER_GOAL else []),
    ]
    verdict = "ok" if not fails else "NOT " + "+".join(fails)
    wall = _mean([r.seconds for r in ours])
    return (
        f"  {label:<34}{variant:<14}{len(ours):>6}{100 * cer_ours:>8.1f}%{100 * cer_peer:>8.1f}%{share:>7.2f}"
        f"{rate_ours:>12.1f}{rate_peer:>8.1f}{speed:>7.2f}{wall:>8.2f}  {verdict}"
    )


def family_table(engine: str, ours: WorkerOut, peer: WorkerOut) -> None:
    """Per template family × capture variant, `engine` beside Tesseract: pages, CER of each and their ratio,
    pages per core-minute of each and their ratio, our wall seconds a page, and the verdict against the
    goals (≥ SPEED_GOAL × Tesseract's pages per core-minute and ≤ CER_GOAL × its CER); then per family and
    for every page."""
    print(f"\n{engine} beside tesseract, per family × variant (goal: speed ≥ {SPEED_GOAL}×, CER ≤ {CER_GOAL}×)")
    print(
        f"  {'family':<34}{'variant':<14}{'pages':>6}{'CER':>9}{'tess':>9}{'ratio':>7}"
        f"{'pg/core-min':>12}{'tess':>8}{'speed':>7}{'wall s':>8}  verdict"
    )

    def cell(rows: list[PageResult], family: str, variant: str | None) -> list[PageResult]:
        return [r for r in rows if r.family == family and variant in (None, r.variant)]

    families = list(dict.fromkeys(r.family for r in ours.results))
    for family in families:
        for variant in dict.fromkeys(r.variant for r in cell(ours.results, family, None)):
            print(
                _family_row(family, variant, cell(ours.results, family, variant), cell(peer.results, family, variant))
            )
    for family in families:
        print(_family_row(family, "(all)", cell(ours.results, family, None), cell(peer.results, family, None)))
    print(_family_row("every page", "(all)", ours.results, peer.results))


# The stage table's columns: heading and the stages (ocr/stages.py) summed into it; a part's name stands for
# the part and every stage inside it. "other" is the rest of the page's CPU time (the pipeline's own code: the
# copy check, the seal text's own preparation, the bench's layout of the read lines).
STAGE_COLUMNS = {
    "load": ("load",),
    "gate": ("gate",),
    "orient": ("orient",),
    "seals": ("seals",),
    "prep": ("prepare", "outline", "skew", "light"),
    "det": ("read.det",),
    "cls": ("read.cls",),
    "rec": ("read.rec",),
    "fp32": ("read.rec_fp32",),
    "read": ("read",),
    # Model runs outside the page's reading: the pipeline reads a seal's ring text after the page
    # (classifiers/seal_text.py), which was 0.1-0.2 CPU s of invoice pages' "other".
    "sealtxt": ("det", "cls", "rec", "rec_fp32"),
}
# Parts whose column holds every stage inside them: what turning the page round and the second looks cost.
WHOLE_PARTS = ("turn", "looks")


def _column(name: str) -> str:
    part = name.split(".")[0]
    if part in WHOLE_PARTS:
        return part
    return next((column for column, names in STAGE_COLUMNS.items() if name in names), "other")


def _stage_sums(rows: list[PageResult]) -> dict[str, float]:
    """CPU seconds a page per stage table column, and "other" and "total"."""
    totals: dict[str, float] = defaultdict(float)
    for row in rows:
        for name, seconds in row.stages:
            totals[_column(name)] += seconds
    pages = max(len(rows), 1)
    sums = {column: totals[column] / pages for column in [*STAGE_COLUMNS, *WHOLE_PARTS]}
    total = sum(r.cpu for r in rows) / pages
    sums["other"] = total - sum(sums.values())
    sums["total"] = total
    return sums


def stage_table(engine: str, out: WorkerOut) -> None:
    """Per template family × capture variant, where `engine`'s CPU time a page goes (ocr/stages.py): file
    loading (PDF rendering), quality gate, preprocessing (orientation vote, seal clearing, the rest), the
    page's reading (detector, line classifier, int8 recogniser, fp32 re-reads, the reading's own code), the
    readings again turned round, the second looks (their model runs included), the model runs reading seal
    text after the page (sealtxt), and the rest."""
    columns = [*STAGE_COLUMNS, *WHOLE_PARTS, "other", "total"]
    print(
        f"\n{engine}: CPU seconds a page per stage (turn and looks include their own model runs; sealtxt: "
        "the seal text's model runs)"
    )
    print(f"  {'family':<34}{'variant':<14}{'pages':>6}" + "".join(f"{c:>8}" for c in columns))

    def line(label: str, variant: str, rows: list[PageResult]) -> str:
        sums = _stage_sums(rows)
        return f"  {label:<34}{variant:<14}{len(rows):>6}" + "".join(f"{sums[c]:>8.3f}" for c in columns)

    families = list(dict.fromkeys(r.family for r in out.results))
    for family in families:
        mine = [r for r in out.results if r.family == family]
        for variant in dict.fromkeys(r.variant for r in mine):
            print(line(family, variant, [r for r in mine if r.variant == variant]))
    print(line("every page", "(all)", out.results))


def family_main(
    split: str,
    engines: list[str],
    threads: int,
    limit: int | None,
    families: Collection[str] = (),
    variants: Collection[str] = (),
) -> None:
    """The template-family mode: our reading and Tesseract's on every page of a family set, one worker
    each, side by side, CPU seconds per page from rusage (see `cpu_seconds`)."""
    title, folder = FAMILY_SETS[split]
    if not (folder / "truth").is_dir():
        raise SystemExit(f"{folder} is missing: python -m synth generate --split {split} --repeat 2")
    jobs = family_jobs(folder, limit, families, variants)
    if not jobs:
        raise SystemExit(f"no file of {folder} is of the families {sorted(families)} and variants {sorted(variants)}")
    print(f"OCR benchmark {dt.datetime.now():%Y-%m-%d %H:%M}; machine: {machine()}")
    print(f"set: {title}; {len(jobs)} files, {len({j.family for j in jobs})} families")
    print(
        "CER: truth lines vs read lines, both in position order, joined, whitespace/punctuation ignored. "
        "pg/core-min: pages per minute of CPU time (user + system, all threads of the worker process and its "
        "child processes, after the model load), so that the figure holds on a loaded machine."
    )
    print(
        f"threads: ours {threads} inference thread(s) (onnxruntime or OpenVINO) and {threads} OpenCV thread(s) in "
        "one worker process; tesseract 1 OpenMP thread (OMP_THREAD_LIMIT=1), one tesseract process per page"
    )
    setups = engine_setups(engines, Path("/nonexistent"))
    if "tesseract" not in setups or len(setups) < 2:
        raise SystemExit("the family mode compares engines with tesseract: name tesseract and at least one more")
    ocr = Settings().ocr
    if isinstance(ocr, RapidOcrOptions) and ocr.model_precision != "fp32":
        from ocr.provision import ensure_int8_models

        ensure_int8_models(ocr)  # made here if missing, not in a measured worker
    outs: dict[str, WorkerOut] = {}
    # The engines' workers run side by side: each is measured in its own CPU seconds, and all of them meet
    # the same spell of load on this shared machine (one after the other, a busy spell fell on one only).
    with LoadSampler() as load, ThreadPoolExecutor(len(setups)) as pool:
        runs = {engine: pool.submit(run, engine, jobs, 1, setup, threads) for engine, setup in setups.items()}
        walls = {}
        for engine, future in runs.items():
            [outs[engine]], walls[engine] = future.result()
    for engine, out in outs.items():
        print(
            f"\n{ENGINES[engine]}\n  model load {out.load_seconds:.2f} s, peak RSS {out.rss_kib / 1024:.0f} MB, "
            f"run wall {walls[engine]:.0f} s, CPU {sum(r.cpu for r in out.results):.0f} s for {len(out.results)} "
            f"pages; {out.runtime}"
        )
    for engine, out in outs.items():
        if engine != "tesseract":
            family_table(engine, out, outs["tesseract"])
            stage_table(engine, out)
    print(f"\n{load.summary()}")


@recorded("ocr_bench")
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--split",
        choices=[*SETS, *FAMILY_SETS],
        default="eval",
        help="heldout / familytune: per template family × variant beside Tesseract, CPU-time based",
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="documents per group, or per family × variant (quick runs)"
    )
    parser.add_argument(
        "--engines",
        default=None,
        help=f"comma-separated: {', '.join(ENGINES)} (default: {PER_GROUP_ENGINES}; family sets: ours,tesseract)",
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="family sets: inference threads of our worker (one core a page)"
    )
    parser.add_argument(
        "--paddle-python",
        type=Path,
        default=Path(os.environ.get("INTAKE_BENCH_PADDLE_PYTHON") or ROOT.parent / "paddle-venv" / "bin" / "python"),
        help="Python of the venv with the paddle extra, for the paddle engine's workers",
    )
    parser.add_argument(
        # 3 documents a group were 16 pages, 8 a worker: too few to tell two engines 5 % apart.
        "--throughput-docs",
        type=int,
        default=8,
        help="documents per image group for the 2-worker run (0: skip)",
    )
    parser.add_argument("--throughput-rounds", type=int, default=3, help="2-worker runs per engine, taken in turn")
    parser.add_argument("--no-real", action="store_true", help="skip ../shared/real-samples")
    parser.add_argument(
        "--families", default="", help="family sets: comma-separated document types or type/family (default: all)"
    )
    parser.add_argument("--variants", default="", help="family sets: comma-separated capture variants (default: all)")
    args = parser.parse_args()
    family = args.split in FAMILY_SETS
    chosen = args.engines or ("ours,tesseract" if family else PER_GROUP_ENGINES)
    engines = [e.strip() for e in chosen.split(",") if e.strip()]
    unknown = set(engines) - set(ENGINES)
    if unknown or not engines:
        parser.error(f"unknown engine(s) {sorted(unknown)}; choose from {', '.join(ENGINES)}")
    if family:
        family_main(
            args.split,
            engines,
            args.threads,
            args.limit,
            [f.strip() for f in args.families.split(",") if f.strip()],
            [v.strip() for v in args.variants.split(",") if v.strip()],
        )
        return
    title, folder = SETS[args.split]
    if not (folder / "documents").is_dir():
        raise SystemExit(f"{folder} is missing: run `make generated` first")
    generated = generated_jobs(folder, args.limit)
    real = [] if args.no_real else real_jobs()
    low, high = generated.seeds
    print(f"OCR benchmark {dt.datetime.now():%Y-%m-%d %H:%M}; machine: {machine()}")
    limit = f", first {args.limit} documents per group" if args.limit else ""
    print(
        f"set: {title} (seeds {low}–{high}{limit}); {len(generated.jobs)} files; real samples: "
        f"{len(real)} files (key-field recall only)"
    )
    print(
        "CER: truth lines vs read lines, both in position order, joined, whitespace/punctuation ignored; key-field "
        f"recall: documents[0] scalar values printed verbatim ({generated.values_not_printed} stored normalised, "
        "not printed verbatim: left out)"
    )
    setups = engine_setups(engines, args.paddle_python)
    if not setups:
        raise SystemExit("no engine left to run")
    ocr = Settings().ocr
    if isinstance(ocr, RapidOcrOptions) and ("ours-int8" in setups or ocr.model_precision != "fp32"):
        from ocr.provision import ensure_int8_models

        ensure_int8_models(ocr)  # made here if missing, not in a measured worker
    outs: dict[str, WorkerOut] = {}
    means: dict[str, dict[str, float]] = {}
    for engine, setup in setups.items():
        # Tesseract has no quality gate: reading blurred or cut pages against full truth measures nothing.
        jobs = [j for j in generated.jobs if engine in GATED or j.group != QUALITY_FAIL] + real
        [out], wall = run(engine, jobs, 1, setup)
        outs[engine] = out
        means[engine] = group_table(engine, out, wall)
        if engine in GATED:
            gate_line(out, generated.jobs)
    real_table(outs)
    if args.throughput_docs > 0:
        throughput(generated.jobs, setups, outs, args.throughput_docs, max(1, args.throughput_rounds))
    if len(means) > 1:
        cer_summary(means)


if __name__ == "__main__":
    main()
