"""Where reading's CPU time goes, on a fixed set of files, in one process: per stage (ocr/stages.py), per
second look, and how many lines each recogniser read (the int8 one, the fp32 one reading its doubtful lines
again), how often the detector ran and on how many pixels.

    python -m bench.read_profile                       # the batch bench's pages: samples/documents/*.jpg
    python -m bench.read_profile --classify FILE...    # reading and classification (seal text was read
                                                       # there before it moved into the reading pass)
    python -m bench.read_profile --split heldout --families invoice --variants scan --limit 1
                                                       # a template-family set's files (`make bench-ocr`'s),
                                                       # narrowed as `bench.ocr_bench` narrows them

Only CPU seconds (`time.process_time`: this process, every thread) are reported, so the figures hold on a
loaded machine. The models are loaded and every file read once before the clock starts (OpenVINO compiles
kernels for new input shapes on first sight). Prints counts and seconds only, never document text.
The counting wraps the engine's classes and the reader's functions in this process; nothing is changed.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.results import ROOT, recorded

Counts = dict[str, float]
_counts: Counts = defaultdict(float)
_open: list[str] = []


@contextlib.contextmanager
def _timed(name: str) -> Iterator[None]:
    """CPU seconds and calls of `name`, its own time only (what runs inside another timed call is the
    inner one's)."""
    started = time.process_time()
    _open.append(name)
    try:
        yield
    finally:
        _open.pop()
        spent = time.process_time() - started
        _counts[f"{name}.s"] += spent
        _counts[f"{name}.calls"] += 1
        if _open:
            _counts[f"{_open[-1]}.s"] -= spent


def _caller() -> str:
    """The innermost counted step a model run belongs to ("page": the page's own reading)."""
    return next((name for name in reversed(_open) if not name.startswith("model.")), "page")


def _wrap_function(module: Any, name: str, label: str) -> None:
    original: Callable[..., Any] | None = getattr(module, name, None)
    if original is None:
        return

    @functools.wraps(original)
    def counted(*args: Any, **kwargs: Any) -> Any:
        with _timed(label):
            return original(*args, **kwargs)

    setattr(module, name, counted)


def _instrument() -> None:
    """Count the model runs and the reader's second looks (module attributes replaced in this process)."""
    import ocr.ppocr as ppocr
    import ocr.reader as reader

    recognise = ppocr.Recognizer.__call__
    detect = ppocr.Detector.__call__

    def recognised(self: Any, images: list[Any], word_boxes: bool = False) -> Any:
        kind = f"{getattr(self, '_profile_kind', 'rec')}@{_caller()}"
        _counts[f"{kind}.lines"] += len(images)
        _counts[f"{kind}.px"] += sum(int(i.shape[0] * i.shape[1]) for i in images)
        with _timed(f"model.{kind}"):
            return recognise(self, images, word_boxes)

    def detected(self: Any, img: Any) -> Any:
        kind = f"det@{_caller()}"
        _counts[f"{kind}.px"] += int(img.shape[0] * img.shape[1])
        with _timed(f"model.{kind}"):
            return detect(self, img)

    ppocr.Recognizer.__call__ = recognised  # type: ignore[method-assign]
    ppocr.Detector.__call__ = detected  # type: ignore[method-assign]
    for name in ("_read_unturned", "_values_looked_for", "_repeats_read_wider", "count_numerals", "decide_look_alikes"):
        _wrap_function(reader, name, f"look.{name.strip('_')}")
    _wrap_function(reader, "_turned_if_wrong", "turn")
    _wrap_function(reader, "prepare", "prepare")
    _wrap_function(reader, "assess_quality", "gate")
    try:
        import pipeline.passes as passes

        _wrap_function(passes, "page_marks", "seals_and_copy")
    except ImportError:
        pass
    import classifiers.documents as documents

    _wrap_function(documents, "read_seal", "seal_text")
    _wrap_function(documents, "_seal_and_copy", "seals_and_copy")
    import classifiers.seal_text as seal_text

    _wrap_function(seal_text, "read_seal", "seal_text")


def _name_recognisers(engine: Any) -> None:
    stages = engine.stages()
    stages["rec"]._profile_kind = "int8" if "rec_fp32" in stages else "rec"
    if "rec_fp32" in stages:
        stages["rec_fp32"]._profile_kind = "fp32"


def profile(
    files: list[Path], threads: int, classify: bool, python_profile: Path | None = None
) -> tuple[int, float, Counts]:
    """Pages read, CPU seconds, and the counts, reading `files` once after a warm-up reading of them all;
    with `python_profile`, cProfile's statistics of the measured reading written there (its own overhead
    then counts in the CPU seconds)."""
    from intake.settings import RapidOcrOptions, Settings
    from ocr.engine import get_engine
    from pipeline import analyse

    settings = Settings().model_copy(update={"ocr": RapidOcrOptions(threads=threads)})
    _instrument()
    _name_recognisers(get_engine(settings.ocr))

    def read(path: Path) -> int:
        data = path.read_bytes()
        if classify:
            return len(analyse.read_documents(data, str(path), settings).pages)
        return len(analyse.read_bytes_pages(data, str(path), settings))

    for path in files:
        read(path)
    _counts.clear()
    profiler = cProfile.Profile(time.process_time) if python_profile else None
    started = time.process_time()
    if profiler:
        profiler.enable()
    pages = sum(read(path) for path in files)
    if profiler and python_profile:
        profiler.disable()
        profiler.dump_stats(python_profile)
    return pages, time.process_time() - started, dict(_counts)


def report(pages: int, cpu: float, counts: Counts) -> str:
    rows = [f"pages {pages}, CPU s {cpu:.2f}, CPU s a page {cpu / max(pages, 1):.3f}", ""]
    rows += ["| what | calls a page | CPU s a page (own) |", "|---|---|---|"]
    names = sorted({key.rsplit(".", 1)[0] for key in counts if key.endswith(".s")})
    for name in names:
        rows.append(
            f"| {name} | {counts.get(name + '.calls', 0) / pages:.2f} | {counts.get(name + '.s', 0) / pages:.3f} |"
        )
    rows += ["", "| model@step | lines (or runs) a page | kilopixels a page |", "|---|---|---|"]
    for kind in sorted(key.removesuffix(".px") for key in counts if key.endswith(".px")):
        lines = counts.get(f"{kind}.lines", counts.get(f"model.{kind}.calls", 0))
        rows.append(f"| {kind} | {lines / pages:.2f} | {counts[kind + '.px'] / pages / 1000:.0f} |")
    return "\n".join(rows)


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def family_files(split: str, families: list[str], variants: list[str], limit: int | None) -> list[Path]:
    """The files of a template-family set, narrowed as the OCR bench narrows them (its `family_jobs`)."""
    from bench.ocr_bench import FAMILY_SETS, family_jobs

    folder = FAMILY_SETS[split][1]
    if not (folder / "truth").is_dir():
        raise SystemExit(f"{folder} is missing: run `python -m synth generate --split {split} --repeat 2` first")
    return [Path(job.path) for job in family_jobs(folder, limit, families, variants)]


@recorded("read_profile")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="default: samples/documents/*.jpg")
    parser.add_argument("--threads", type=int, default=1, help="inference threads (default 1)")
    parser.add_argument("--classify", action="store_true", help="read and classify (seal text included)")
    parser.add_argument("--cprofile", type=Path, help="write cProfile statistics of the measured reading here")
    parser.add_argument("--split", choices=["heldout", "familytune"], help="a template-family set's files")
    parser.add_argument("--families", default="", help="with --split: document types or type/family, comma-separated")
    parser.add_argument("--variants", default="", help="with --split: capture variants, comma-separated")
    parser.add_argument("--limit", type=int, default=None, help="with --split: files per family × variant")
    args = parser.parse_args(argv)
    files = args.files or sorted((ROOT / "samples" / "documents").glob("*.jpg"))
    if args.split:
        files = family_files(args.split, _names(args.families), _names(args.variants), args.limit)
    pages, cpu, counts = profile(files, args.threads, args.classify, args.cprofile)
    print(f"# Reading profile ({len(files)} files, {args.threads} thread(s), classify {args.classify})\n")
    print(report(pages, cpu, counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
