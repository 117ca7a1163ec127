"""What every part of the reading package shares: the engine protocol, a read character's columns, the
error an engine that cannot run raises, and the reading order of lines.

Nothing here imports another `ocr` module: engines, preprocessing and the reader all build on it.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple, Protocol

import numpy as np

from intake.models import OcrLine

# A row's lines overlap vertically by more than this share of the shorter one's height.
SAME_ROW_OVERLAP = 0.5


class EngineUnavailable(RuntimeError):
    """The configured engine cannot run here (missing package or model files)."""


class Column(NamedTuple):
    """A character the recogniser read and the columns (pixels) of the step it was read at."""

    char: str
    left: float
    right: float


class OcrEngine(Protocol):
    name: ClassVar[str]

    def read(
        self,
        image: np.ndarray,
        *,
        use_cls: bool = True,
        find_lines_on: np.ndarray | None = None,
        line_height: float | None = None,
        unread_if_on_end: bool = False,
    ) -> list[OcrLine]:
        """Text lines of a BGR image, in reading order, with confidence and polygon. `find_lines_on`: the
        same page, the same size, cleared of what is not text (seals), for finding the lines only.
        `line_height`: the height (px) of the line boxes the image holds, when known (a strip or a line cut
        from a read page): an engine may find the lines at a lower scale, and still reads them at full.
        `unread_if_on_end`: when the lines found clearly stand on end (`stand_on_end`), an engine may give
        them back unread (empty text, confidence 0): the caller turns the image and reads it again."""
        ...

    def columns(self, image: np.ndarray) -> list[Column]:
        """Each character the recogniser reads in the image of one line, with the columns (pixels) of the
        step it was read at; [] where the engine does not say."""
        ...


# Boxes at least this many times as long as high are lines of several characters: their direction is the
# text's. Lines found stand on end when at least ON_END_LINES such boxes are found and more than ON_END_SHARE
# of them are taller than wide.
LONG_BOX = 3.0
ON_END_LINES = 3
ON_END_SHARE = 2 / 3


def stand_on_end(sizes: list[tuple[float, float]]) -> bool:
    """Whether the line boxes of these (width, height) clearly run up the image, not across: the image lies
    on its side. A clear majority of the long boxes is asked for: a single tall box is a ruling or a seal."""
    long = [(w, h) for w, h in sizes if max(w, h) >= LONG_BOX * max(min(w, h), 1e-6)]
    tall = sum(1 for w, h in long if h > w)
    return len(long) >= ON_END_LINES and tall > ON_END_SHARE * len(long)


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
            if overlap > SAME_ROW_OVERLAP * min(height, ry1 - ry0):
                last.append(line)
                continue
        rows.append([line])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.bbox[0])]
