"""The service's instant pass (`pipeline.passes.instant_pass`: no second looks, no fp32 re-read, no seal
text, a smaller detector side) against the full reading, on every committed sample document and every
real sample, with real PP-OCR: what the applicant is told must not change with the lighter reading."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from intake.settings import InstantReading, RapidOcrOptions, Settings
from pipeline.analyse import run_file
from pipeline.passes import ALL_PASSES, FileRun, build_pipe, instant_pass
from tests.conftest import REAL_SAMPLES

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted((ROOT / "samples" / "documents").iterdir())
REAL = sorted(p for p in REAL_SAMPLES.glob("*") if p.suffix.lower() in {".jpg", ".jpeg", ".png"})
CASE_DATE = dt.date(2025, 6, 20)
SETTINGS = Settings()


def told(run: FileRun) -> list[tuple[str, str | None, list[str], list[list[str]]]]:
    """What the applicant's answer is made of, per document: type, side, the reasons to re-shoot or
    replace it, and each of its pages' quality findings."""
    if run.error is not None:
        return [("error", None, [run.error.value], [])]
    return [
        (
            doc.doc_type.value,
            doc.side.value if doc.side else None,
            [e.code for e in doc.errors],
            [sorted(p.quality.issues) if p.quality else [] for p in pages],
        )
        for doc, pages in run.documents
    ]


def test_instant_pass_is_the_same_pipeline_lighter() -> None:
    """GIVEN the default settings WHEN the instant pass is derived THEN it is the same named passes, the
    detector side capped, no fp32 re-read, and the full reading's other settings unchanged."""
    config, switches = instant_pass(SETTINGS, InstantReading())
    assert [p.name for p in build_pipe(config, switches, CASE_DATE)] == ["load", "read", "classify", "extract"]
    assert not switches.second_looks and not switches.seal_text
    assert isinstance(config.ocr, RapidOcrOptions)
    assert config.ocr.max_side_len == 960 and config.ocr.recheck_below == 0.0
    assert config.ocr.model_precision == SETTINGS.ocr.model_precision
    assert config.limits == SETTINGS.limits and config.preprocess == SETTINGS.preprocess
    kept, _ = instant_pass(SETTINGS.model_copy(update={"ocr": RapidOcrOptions(max_side_len=640)}), InstantReading())
    assert kept.ocr.max_side_len == 640  # never larger than the full reading's own side


@pytest.mark.parametrize(
    "path",
    [*DOCUMENTS, *REAL],
    ids=[p.name for p in DOCUMENTS] + [f"real-{p.name}" for p in REAL],
)
def test_instant_answer_matches_the_full_reading(path: Path) -> None:
    """GIVEN a sample WHEN it is read for the instant answer and in full THEN both give the same document
    types and sides, the same re-shoot reasons and the same page quality findings."""
    data = path.read_bytes()
    full = run_file(data, path.name, SETTINGS, ALL_PASSES, CASE_DATE)
    config, switches = instant_pass(SETTINGS, SETTINGS.instant)
    instant = run_file(data, path.name, config, switches, CASE_DATE)
    assert told(instant) == told(full)
