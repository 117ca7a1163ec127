"""The per-stage CPU clock (ocr/stages.py): each stage counted without the stages inside it, model stages
named after the part of the reading they ran in, nothing counted when no clock runs."""

from __future__ import annotations

import time
from pathlib import Path

from intake.settings import Settings
from ocr.stages import clocked, stage
from pipeline.analyse import read_bytes_pages

DOCUMENTS = Path(__file__).resolve().parent.parent / "samples" / "documents"


def _burn(seconds: float) -> None:
    """Spend about `seconds` of CPU time in this thread."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_stage_counts_its_own_time_without_the_stages_inside_it() -> None:
    with clocked() as clock, stage("prepare"):
        _burn(0.05)
        with stage("orient"):
            _burn(0.1)
    assert 0.09 <= clock.seconds["orient"] < 0.2
    assert 0.04 <= clock.seconds["prepare"] < 0.09


def test_model_stages_are_named_after_the_part_they_ran_in() -> None:
    with clocked() as clock:
        with stage("read"), stage("det"):
            _burn(0.02)
        with stage("looks"), stage("values"), stage("rec"), stage("rec_fp32"):
            _burn(0.02)
    assert set(clock.seconds) == {"read", "read.det", "looks", "looks.values", "looks.rec", "looks.rec_fp32"}
    assert clock.seconds["read.det"] >= 0.015
    assert clock.seconds["looks.rec_fp32"] >= 0.015
    assert clock.seconds["looks.rec"] < 0.015  # the fp32 re-read inside it is not counted twice


def test_nothing_is_counted_without_a_clock() -> None:
    with stage("det"):
        _burn(0.01)
    with clocked() as clock:
        pass
    assert dict(clock.seconds) == {}


def test_reading_a_page_is_counted_by_stage() -> None:
    """A real page read with the clock on: loading, the gate, preprocessing, the detector and the recogniser
    each counted, and the stages together are the page's CPU time, none counted twice."""
    started = time.process_time()
    with clocked() as clock:
        pages = read_bytes_pages(
            (DOCUMENTS / "invoice_photocopy.jpg").read_bytes(), "invoice_photocopy.jpg", Settings()
        )
    spent = time.process_time() - started
    assert pages[0].lines
    for name in ["load", "gate", "prepare", "orient", "seals", "read.det", "read.rec"]:
        assert clock.seconds[name] > 0, name
    assert sum(clock.seconds.values()) <= spent
