"""OCR benchmark per sample group: our reading path (OpenCV preprocessing + PP-OCRv6 on onnxruntime,
or the PDF text layer) against Tesseract 5 `chi_sim` from Debian, in the same invocation (prints,
never asserts).

Per group: pages, character error rate against the printed lines (whitespace and punctuation
ignored), key-field recall (ground-truth field values found verbatim), pages/min, p50/p95 per-page
latency; per engine: model load time and peak RSS of the worker process. Each engine runs in its own
spawned worker so load time and memory are its own; ours is also run with one worker per core.
Tesseract gets the same decoded page image our pipeline starts from (for PDFs the same 200 dpi
render), `--psm 3`, no preprocessing of ours.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.metrics import cer, key_field_recall, normalise_for_cer, percentile

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real-samples"
SETS = {
    "eval": ("generated evaluation set (seeds 900000+, never tuned on)", ROOT / "generated" / "eval"),
    "tune": ("generated tuning set (seeds 100000+)", ROOT / "generated" / "tune"),
    "samples": ("committed samples", ROOT / "samples"),
}
GROUPS = ["clean_scan", "degraded_scan", "photocopy", "phone_photo", "rotated", "born_digital_pdf"]


@dataclass
class Job:
    path: str
    group: str
    truth_pages: list[str]  # per page, the printed lines joined
    values: list[str]  # ground-truth field values to look for


@dataclass
class PageResult:
    group: str
    seconds: float
    cer: float | None
    found: int
    wanted: int


Box = tuple[float, float, float, float]


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


def jobs_for(folder: Path, limit: int | None) -> list[Job]:
    truth_dir = folder / "truth" / "documents" if (folder / "truth" / "documents").is_dir() else folder / "truth"
    by_group: dict[str, list[Job]] = defaultdict(list)
    for truth_file in sorted(truth_dir.glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        if truth["group"] not in GROUPS:
            continue  # quality failures: our gate refuses them, there is nothing to score
        values = [
            str(v) for doc in truth["documents"] for v in doc["fields"].values() if isinstance(v, str | int | float)
        ]
        pages = [in_rows([(ln["text"], tuple(ln["box_mm"])) for ln in page["lines"]]) for page in truth["pages"]]
        printed = normalise_for_cer("".join(pages))
        values = [v for v in values if normalise_for_cer(v) in printed]  # as printed (not ISO-normalised)
        by_group[truth["group"]].append(Job(str(folder / "documents" / truth["file"]), truth["group"], pages, values))
    return [job for group in GROUPS for job in by_group[group][:limit]]


def real_jobs() -> list[Job]:
    if not REAL.is_dir():
        return []
    labels = json.loads((REAL / "labels.json").read_text(encoding="utf-8"))
    jobs = []
    for entry in labels:
        values = [str(v) for v in entry["fields"].values() if isinstance(v, str) and v and "*" not in v]
        jobs.append(Job(str(REAL / entry["file"]), "real", [], values))
    return jobs


def _ours(path: str) -> list[str]:
    from extractors.layout import located_lines
    from flows.local import read_file_pages
    from intake.settings import Settings

    # Positions in the upright page (after our orientation fix), as the truth's are.
    return [
        in_rows([(ln.line.text, ln.bbox) for ln in located_lines([page])]) for page in read_file_pages(path, Settings())
    ]


def _tesseract(path: str) -> list[str]:
    import cv2
    import pytesseract

    from intake.settings import Settings
    from ocr.loader import load_pages

    texts = []
    for raw in load_pages(Path(path).read_bytes(), Settings().limits):
        rgb = cv2.cvtColor(raw.image, cv2.COLOR_BGR2RGB) if raw.image.ndim == 3 else raw.image
        data = pytesseract.image_to_data(rgb, lang="chi_sim", config="--psm 3", output_type=pytesseract.Output.DICT)
        lines: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for i, word in enumerate(data["text"]):
            if str(word).strip():
                lines[(data["block_num"][i], data["par_num"][i], data["line_num"][i])].append(i)
        boxes = []
        for idx in lines.values():
            x0 = min(data["left"][i] for i in idx)
            y0 = min(data["top"][i] for i in idx)
            x1 = max(data["left"][i] + data["width"][i] for i in idx)
            y1 = max(data["top"][i] + data["height"][i] for i in idx)
            boxes.append(("".join(str(data["text"][i]) for i in idx), (float(x0), float(y0), float(x1), float(y1))))
        texts.append(in_rows(boxes))
    return texts


def _warm(engine: str) -> float:
    """Model load: ours loads PP-OCR once per process; Tesseract loads chi_sim on every call."""
    import numpy as np

    started = time.perf_counter()
    if engine == "ours":
        from intake.settings import Settings
        from ocr.engine import get_engine

        get_engine(Settings().ocr).read(np.full((64, 256, 3), 255, np.uint8), use_cls=False)
    else:
        import pytesseract

        pytesseract.image_to_string(np.full((64, 256), 255, np.uint8), lang="chi_sim")
    return time.perf_counter() - started


def _run_one(engine: str, job: Job) -> list[PageResult]:
    started = time.perf_counter()
    texts = _ours(job.path) if engine == "ours" else _tesseract(job.path)
    seconds = (time.perf_counter() - started) / max(len(texts), 1)
    whole = "\n".join(texts)
    results = []
    for i, text in enumerate(texts):
        truth = job.truth_pages[i] if i < len(job.truth_pages) else None
        found, wanted = key_field_recall(job.values, whole) if i == 0 else (0, 0)
        results.append(PageResult(job.group, seconds, cer(truth, text) if truth else None, found, wanted))
    return results


def worker(engine: str, jobs: list[Job], threads: int) -> tuple[float, list[PageResult], int, int]:
    """In a spawned process: load, run every job, report load time, results and peak RSS (KiB) of this
    process and of its children (Tesseract runs as a child process). `threads`: onnxruntime threads,
    so that workers × threads = cores."""
    os.environ["INTAKE_OCR__THREADS"] = str(threads)
    os.environ["OMP_THREAD_LIMIT"] = str(threads)  # Tesseract's OpenMP
    load = _warm(engine)
    results = [r for job in jobs for r in _run_one(engine, job)]
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return load, results, own, children


def run(engine: str, jobs: list[Job], processes: int = 1) -> tuple[float, list[PageResult], int, int, float]:
    ctx = mp.get_context("spawn")
    started = time.perf_counter()
    with ctx.Pool(processes) as pool:
        chunks = [jobs[i::processes] for i in range(processes)]
        threads = max(1, (os.cpu_count() or 1) // processes)
        outs = pool.starmap(worker, [(engine, chunk, threads) for chunk in chunks])
    wall = time.perf_counter() - started
    load = max(o[0] for o in outs)
    results = [r for o in outs for r in o[1]]
    return load, results, max(o[2] for o in outs), max(o[3] for o in outs), wall


def table(name: str, results: list[PageResult], load: float, rss_kib: int, child_kib: int) -> dict[str, float]:
    print(f"\n{name}: model load {load:.2f} s, peak RSS {rss_kib / 1024:.0f} MB (worker)", end="")
    print(f", {child_kib / 1024:.0f} MB (largest child process)" if child_kib else "")
    print(f"{'group':<18}{'pages':>6}{'CER':>8}{'key-field recall':>18}{'pages/min':>11}{'p50 s':>8}{'p95 s':>8}")
    summary: dict[str, float] = {}
    for group in [*GROUPS, "real"]:
        rows = [r for r in results if r.group == group]
        if not rows:
            continue
        scored = [r.cer for r in rows if r.cer is not None]
        mean_cer = statistics.fmean(scored) if scored else float("nan")
        found, wanted = sum(r.found for r in rows), sum(r.wanted for r in rows)
        latencies = [r.seconds for r in rows]
        per_min = 60 * len(rows) / max(sum(latencies), 1e-9)
        recall = f"{found}/{wanted} {100 * found / max(wanted, 1):.0f}%"
        cer_text = f"{100 * mean_cer:.1f}%" if scored else "-"
        print(
            f"{group:<18}{len(rows):>6}{cer_text:>8}{recall:>18}{per_min:>11.1f}"
            f"{percentile(latencies, 50):>8.2f}{percentile(latencies, 95):>8.2f}"
        )
        summary[group] = mean_cer
    return summary


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {model or platform.processor()}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=list(SETS), default="eval")
    parser.add_argument("--limit", type=int, default=None, help="documents per group")
    parser.add_argument("--engines", default="ours,tesseract")
    parser.add_argument("--throughput-only", action="store_true", help="only the 1- vs 2-worker throughput of ours")
    args = parser.parse_args()
    title, folder = SETS[args.split]
    if not folder.is_dir():
        raise SystemExit(f"{folder} is missing: run `make generated` first")
    jobs = jobs_for(folder, args.limit) + real_jobs()
    engines = args.engines.split(",")
    print(f"OCR benchmark {dt.date.today()} on {machine()}")
    print(f"set: {title}; real samples: ../shared/real-samples (key-field recall only)")
    summaries = {}
    for engine in [] if args.throughput_only else engines:
        load, results, rss, children, _ = run(engine, jobs)
        label = "ours (PP-OCRv6 ONNX via rapidocr + OpenCV preprocessing)" if engine == "ours" else engine
        if engine == "tesseract":
            label = "Tesseract 5 chi_sim (--psm 3, same page images)"
        summaries[engine] = table(label, results, load, rss, children)
    if "ours" in engines:
        image_jobs = [j for j in jobs if j.group not in ("born_digital_pdf", "real")]
        pages = sum(len(j.truth_pages) for j in image_jobs)
        _, _, _, _, wall_one = run("ours", image_jobs, 1)
        _, _, _, _, wall_two = run("ours", image_jobs, 2)
        print(
            f"\nthroughput on image pages (incl. worker start and model load): {pages} pages — "
            f"1 worker {60 * pages / wall_one:.1f} pages/min, 2 workers {60 * pages / wall_two:.1f} pages/min"
        )
    if {"ours", "tesseract"} <= set(summaries):
        print("\nCER ratio ours / Tesseract per group (goal ≤ 0.5):")
        for group, ours in summaries["ours"].items():
            peer = summaries["tesseract"].get(group)
            if peer and peer == peer and ours == ours:
                print(f"  {group:<18}{ours / peer if peer else float('inf'):.2f}")


if __name__ == "__main__":
    main()
