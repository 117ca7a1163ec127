"""Where a page's reading time goes: CPU seconds per stage, counted only while a `StageClock` is running
(the OCR bench turns one on per file; otherwise `stage` costs one context-variable look-up).

A stage's time is its own, without the stages inside it; the model stages (det, cls, rec, rec_fp32) are
named after the part of the reading they run for (`read`, `turn`, `looks`), so `looks.rec` is the
recogniser's time in the second looks and `looks` alone their own code. CPU time is the whole process's
(`time.process_time`: every thread, the inference runtimes' pools included), so a clock measures one
page at a time in one process.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# Parts of a page's reading; a model stage inside one is named after it.
PARTS = ("read", "turn", "looks")


@dataclass
class _Open:
    label: str
    start: float
    inner: float = 0.0  # CPU seconds of the stages run inside it


class StageClock:
    """CPU seconds per stage, each without the stages run inside it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._stack: list[_Open] = []

    def enter(self, name: str) -> None:
        part = next((frame.label for frame in self._stack if frame.label in PARTS), "")
        label = f"{part}.{name}" if part and name not in PARTS else name
        self._stack.append(_Open(label, time.process_time()))

    def leave(self) -> None:
        frame = self._stack.pop()
        spent = time.process_time() - frame.start
        self.seconds[frame.label] += spent - frame.inner
        if self._stack:
            self._stack[-1].inner += spent


_clock: ContextVar[StageClock | None] = ContextVar("ocr_stage_clock", default=None)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Count the CPU time of the block under `name` when a clock is running."""
    clock = _clock.get()
    if clock is None:
        yield
        return
    clock.enter(name)
    try:
        yield
    finally:
        clock.leave()


@contextmanager
def clocked() -> Iterator[StageClock]:
    """A clock running for the block: the stages run in it (in this thread) are counted on it."""
    clock = StageClock()
    token = _clock.set(clock)
    try:
        yield clock
    finally:
        _clock.reset(token)
