"""The OCR engine interface and the factory that picks one by configuration.

Engines return lines in the coordinates of the image they were given; the reading stage maps
them back to the original page. Each engine loads its models once per process.
"""

from __future__ import annotations

import os
from functools import cache
from typing import NamedTuple, Protocol

import cv2
import numpy as np

from intake.models import OcrLine
from intake.settings import OcrSettings

# onnxruntime queues telemetry from native code at import; it must be off before the import.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


class EngineUnavailable(RuntimeError):
    """The configured engine cannot run here (missing package or model files)."""


class Column(NamedTuple):
    char: str
    left: float
    right: float


class OcrEngine(Protocol):
    @property
    def name(self) -> str: ...

    def read(
        self, image: np.ndarray, *, use_cls: bool = True, find_lines_on: np.ndarray | None = None
    ) -> list[OcrLine]:
        """Text lines of a BGR image, in reading order, with confidence and polygon. `find_lines_on`: the
        same page, the same size, cleared of what is not text (seals), for finding the lines only."""
        ...

    def columns(self, image: np.ndarray) -> list[Column]:
        """Each character the recogniser reads in the image of one line, with the columns (pixels) of the
        step it was read at; [] where the engine does not say."""
        ...


def available_engines() -> dict[str, str]:
    """Engine name → '' when usable, else the reason it is not."""
    from ocr.paddle_engine import PaddleOcrEngine
    from ocr.rapid_engine import RapidOcrEngine

    return {
        RapidOcrEngine.name: RapidOcrEngine.unavailable_reason(OcrSettings()),
        PaddleOcrEngine.name: PaddleOcrEngine.unavailable_reason(OcrSettings()),
    }


@cache
def get_engine(settings: OcrSettings) -> OcrEngine:
    """One engine instance per process and configuration: model loading is the slow part.

    The worker's thread budget holds for OpenCV too (preprocessing): with OpenCV's default of one thread
    per core, two single-thread workers on two cores read 1.8 s/page each instead of 1.2 (eval pages).
    """
    cv2.setNumThreads(settings.threads)
    if settings.engine == "paddleocr":
        from ocr.paddle_engine import PaddleOcrEngine

        reason = PaddleOcrEngine.unavailable_reason(settings)
        if reason:
            raise EngineUnavailable(reason)
        return PaddleOcrEngine(settings)
    from ocr.rapid_engine import RapidOcrEngine

    reason = RapidOcrEngine.unavailable_reason(settings)
    if reason:
        raise EngineUnavailable(reason)
    return RapidOcrEngine(settings)


def sort_reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Top-to-bottom rows, left-to-right within a row (rows grouped by vertical overlap)."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: ln.bbox[1]):
        _, y0, _, y1 = line.bbox
        height = max(y1 - y0, 1.0)
        if rows:
            last = rows[-1]
            ry0 = min(ln.bbox[1] for ln in last)
            ry1 = max(ln.bbox[3] for ln in last)
            overlap = min(y1, ry1) - max(y0, ry0)
            if overlap > 0.5 * min(height, ry1 - ry0):
                last.append(line)
                continue
        rows.append([line])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.bbox[0])]
