"""Recognition stages around the recogniser (ocr/ppocr.py): lines read narrower than they are, short lines
recognised side by side and handed back one by one, and doubtful lines read again by a second recogniser.

The recogniser's time is proportional to the width it is given. `LineShaper` scales each line to the
model's 48 px height and to `RapidOcrOptions.rec_width_scale` of its width there: a Chinese character at
48 px height spans six CTC steps of 8 px, a digit three, and the CTC decoder needs one step per
character and a blank between repeats, so at 0.8 both keep room (at 0.6 repeated digits ran together:
00 → 0). PaddleOCR trains the model with lines squeezed into 320 px and horizontally stretched, so it
reads them. Every line is also padded to at least `RapidOcrOptions.rec_min_width` (a lone digit read alone
at less came back unsure); on table pages most lines are short cells that paid for that padding, so
lines narrower than it go side by side in rows of at most `RapidOcrOptions.rec_pack_width` px, `GAP` px of
the model's own padding value apart; each row is read in one pass and each character given back to the
line its CTC step lies over. Each line in a row starts after the same mid-grey the recogniser sees past
a line's end and at an image's edge, so it reads nearly as it does alone (paper-coloured gaps dropped
the character after each gap to about 0.55). Measurements: `RapidOcrOptions.rec_width_scale`.

`Rechecked` puts two such stages together: the int8 recogniser reads every line, the fp32 one again
those with a character the int8 one read below `RapidOcrOptions.recheck_below`, but not for a character of
`RapidOcrOptions.recheck_ignores` (brackets by default).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np

from ocr.stages import stage

HEIGHT = 48  # the recogniser's input height
STEP = 8  # input pixels per CTC step (the model's output is width / 8 steps long)
GAP = 16  # px between lines in a row: two steps
# 128 is the model's padding value (0 after its normalisation (x / 255 − 0.5) / 0.5) to within 1/255.
MID_GREY = 128


class LineScore(float):
    """A recognised line's score (the mean of its characters' confidences, as rapidocr reports it) that
    carries each character's confidence, and the CTC step it was read at (None for a space), to the
    stages after the recogniser."""

    chars: tuple[float, ...]
    steps: tuple[int | None, ...]

    def __new__(cls, mean: float, chars: list[float], steps: list[int | None] | None = None) -> LineScore:
        score = super().__new__(cls, mean)
        score.chars = tuple(chars)
        score.steps = tuple(steps) if steps is not None else (None,) * len(chars)
        return score


def line_score(chars: list[float]) -> float:
    """A part of a row's score, as rapidocr would give it: 0.0 for a line with no character."""
    return LineScore(round(float(np.mean(chars)), 5), chars) if chars else 0.0


def char_steps(text: str, info: Any) -> list[int | None]:
    """The CTC step each character of `text` was read at (None for a space), from the decoder's word
    grouping, which keeps each character's step and drops the spaces."""
    cols = iter(col for word in info.word_cols for col in word)
    return [None if char.isspace() else next(cols, None) for char in text]


@dataclass
class Recognised:
    """Lines read by a recognition stage: the images it read, and per line its text, score (a `LineScore`
    where the characters are known) and, when asked for, the decoder's word grouping (`WordInfo`)."""

    imgs: list[np.ndarray]
    txts: list[str]
    scores: list[float]
    words: list[Any]


class Recognition(Protocol):
    """A recognition stage: lines in, their readings out, one per line in the same order."""

    def __call__(self, images: list[np.ndarray], word_boxes: bool = False) -> Recognised: ...


def rows_of(widths: list[int], narrow: int, capacity: int) -> list[list[int]]:
    """Lines narrower than `narrow` in rows of at most `capacity` px with GAP between them, first-fit
    from the widest; only rows of two or more lines (a line alone is read as it is)."""
    rows: list[list[int]] = []
    room: list[int] = []
    for i in sorted((i for i, w in enumerate(widths) if w < narrow), key=lambda i: -widths[i]):
        for r, left in enumerate(room):
            if widths[i] + GAP <= left:
                rows[r].append(i)
                room[r] -= widths[i] + GAP
                break
        else:
            rows.append([i])
            room.append(capacity - widths[i])
    return [row for row in rows if len(row) > 1]


def at_model_height(image: np.ndarray, scale: float, keep: int) -> np.ndarray:
    """A line at the recogniser's height, and if wider than `keep` there, at `scale` of that width but
    not under `keep` (a line is padded to `keep` anyway; area-averaged when narrowed)."""
    height, width = image.shape[:2]
    target = math.ceil(HEIGHT * width / height)
    narrowed = target > keep and scale < 1
    if narrowed:
        target = max(keep, math.ceil(target * scale))
    return cv2.resize(image, (target, HEIGHT), interpolation=cv2.INTER_AREA if narrowed else cv2.INTER_LINEAR)


def row_image(lines: list[np.ndarray]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Lines already at the recogniser's height side by side on mid-grey, and each one's span in px."""
    widths = [line.shape[1] for line in lines]
    row = np.full((HEIGHT, sum(widths) + GAP * (len(lines) - 1), 3), MID_GREY, np.uint8)
    spans = []
    x = 0
    for line, width in zip(lines, widths, strict=True):
        row[:, x : x + width] = line
        spans.append((x, x + width))
        x += width + GAP
    return row, spans


def split_row(text: str, score: float, spans: list[tuple[int, int]]) -> list[tuple[str, float]]:
    """A row's reading split into its lines: a character goes to the line nearest its CTC step; a space
    stays only between two characters of the same line."""
    if not isinstance(score, LineScore):  # nothing read
        return [("", 0.0)] * len(spans)
    centre = [None if step is None else (step + 0.5) * STEP for step in score.steps]

    def owner(x: float) -> int:
        return min(range(len(spans)), key=lambda s: max(spans[s][0] - x, x - spans[s][1], 0.0))

    owners = [None if x is None else owner(x) for x in centre]
    parts: list[tuple[list[str], list[float]]] = [([], []) for _ in spans]
    for k, (char, conf) in enumerate(zip(text, score.chars, strict=True)):
        own = owners[k]
        if own is None:  # a space: kept between two characters of one line
            before = next((o for o in reversed(owners[:k]) if o is not None), None)
            after = next((o for o in owners[k + 1 :] if o is not None), None)
            if before is None or before != after:
                continue
            own = before
        parts[own][0].append(char)
        parts[own][1].append(conf)
    return [("".join(chars), line_score(confs)) for chars, confs in parts]


class LineShaper:
    """A recognition stage reading lines narrowed and short lines in shared rows (see the module's
    docstring). The stage it wraps must give `LineScore`s (ocr.ppocr.Recognizer)."""

    def __init__(self, recognizer: Recognition, scale: float, narrow: int, capacity: int) -> None:
        self._recognizer = recognizer
        self._scale = scale
        self._narrow = narrow
        self._capacity = capacity

    def __call__(self, images: list[np.ndarray], word_boxes: bool = False) -> Recognised:
        if word_boxes:  # word boxes are in the line's own pixels
            return self._recognizer(images, word_boxes)
        shaped = [at_model_height(image, self._scale, self._narrow) for image in images]
        rows = rows_of([line.shape[1] for line in shaped], self._narrow, self._capacity) if self._capacity else []
        packed = {i for row in rows for i in row}
        alone = [i for i in range(len(images)) if i not in packed]
        built = [row_image([shaped[i] for i in row]) for row in rows]
        out = self._recognizer([shaped[i] for i in alone] + [image for image, _ in built])
        txts: list[str] = [""] * len(images)
        scores: list[float] = [0.0] * len(images)
        for k, i in enumerate(alone):
            txts[i], scores[i] = out.txts[k], out.scores[k]
        for k, (row, (_, spans)) in enumerate(zip(rows, built, strict=True)):
            text, score = out.txts[len(alone) + k], out.scores[len(alone) + k]
            for i, (part, part_score) in zip(row, split_row(text, score, spans), strict=True):
                txts[i], scores[i] = part, part_score
        return Recognised(list(images), txts, scores, [None] * len(images))


def least_sure(text: str, score: float, ignored: Collection[str] = ()) -> float:
    """A line's least sure character but those `ignored` (its score when the characters are not known; 0.0
    when none read; 1.0 when it read ignored characters only). The int8 recogniser is least sure of
    brackets (a bracket at 0.52–0.59 on tune-family invoices, half the lines read again there for one),
    and where the two recognisers differ on one it is in form, （ for (, which the extractors make
    half-width anyway: `RapidOcrOptions.recheck_ignores`."""
    if not isinstance(score, LineScore) or not score.chars:
        return float(score)
    if len(score.chars) != len(text):
        return min(score.chars)
    return min((conf for char, conf in zip(text, score.chars, strict=True) if char not in ignored), default=1.0)


class Rechecked:
    """An int8 recognition stage whose doubtful lines are read again by the fp32 one: a line with a
    character read below `below` gets the fp32 recogniser's reading instead. The int8 recogniser reads in
    about 0.6 of fp32's time and the same text on nearly every line; where the two differ the int8 one is
    nearly always the unsure one (README "Reading")."""

    def __init__(self, first: Recognition, second: Recognition, below: float, ignored: Collection[str] = ()) -> None:
        self._first = first
        self._second = second
        self._below = below
        self._ignored = frozenset(ignored)
        self.rechecked = 0  # lines read again so far (the tests look)

    def __call__(self, images: list[np.ndarray], word_boxes: bool = False) -> Recognised:
        out = self._first(images, word_boxes)
        if word_boxes:
            return out
        doubtful = [
            i
            for i, (text, score) in enumerate(zip(out.txts, out.scores, strict=True))
            if least_sure(text, score, self._ignored) < self._below
        ]
        if not doubtful:
            return out
        with stage("rec_fp32"):
            again = self._second([out.imgs[i] for i in doubtful])
        txts, scores = list(out.txts), list(out.scores)
        for k, i in enumerate(doubtful):
            txts[i], scores[i] = again.txts[k], again.scores[k]
        self.rechecked += len(doubtful)
        return Recognised(out.imgs, txts, scores, out.words)
