"""A stage in Roman numerals counted in the image where the recogniser read it doubtfully.

The recogniser reads a line in steps and merges a character read on neighbouring steps into one: three
thin strokes printed close (鼻咽癌（T2N2M0）III期, 心功能III级) came out I, II, IIII, Ⅲ or ⅢI, the numerals
at 0.4–0.8 (generated tuning sets). The strokes themselves are plain in the image: runs of inked columns
across the middle of the line, each narrow and as tall as a capital. Where a stage's run of I-type
numerals was read doubtfully, the strokes between the character before it and the one after it (placed
by the recogniser's own steps) are counted, and the run becomes that many I's. A run beside a V or an X
(IV, XII) is not counted: the strokes of a V would count. A stage lost whole (鼻咽癌（T2N2M0）期, 心功能级,
read at 0.92–1.0) is counted the same way where the line read again holds a run of I there.
"""

from __future__ import annotations

import re
import unicodedata

import cv2
import numpy as np

from intake.models import OcrLine
from ocr.base import OcrEngine
from ocr.glyphs import line_crop

RUN = re.compile("[IⅠⅡⅢ]+")
# Where a stage was lost whole: a stage word, or a sub-stage letter before one, right after a TNM bracket
# or 心功能 (nothing else stands there). Three lines of the tuning sets (photocopies, tune-dx and tune-dx2);
# the line read again from its box held a miscounted run there each time (I, ⅢI, ⅢⅢ for III).
LOST = re.compile(r"(?<=[)）])(?=(?:[A-C]\d?)?[期级])|(?<=心功能)(?=级)")
# What follows a stage: 期, 级, 型, 度, or a sub-stage letter before one of them or a digit (IIIA期, IB1期).
STAGE_WORDS = frozenset("期级型度")
SUB_STAGES = frozenset("ABC")
# A run whose least sure numeral was read below this is counted (the extractor's ROMAN_FLOOR).
DOUBTFUL = 0.9
# A stroke is at most this share of the line's ink height wide (I: 0.08–0.1; A and B: 0.3 and more) and at
# least this share of it tall (a capital; the line's ink also holds CJK characters and brackets).
STROKE_WIDTH = 0.2
STROKE_HEIGHT = 0.45
MAX_STROKES = 3
# How sure a count of plain strokes is taken to be: on the tuning sets' doubtful stages (tune and the
# extra discharge records tune-dx: 15 counted) it was right 15 times, 6 of them read wrong before; above
# the extractor's ROMAN_FLOOR, so the value is not sent to a clerk for it.
COUNTED = 0.95


def count_numerals(image: np.ndarray, line: OcrLine, engine: OcrEngine) -> OcrLine:
    """`line` with a doubtfully read stage of I-type numerals, or a stage lost whole, replaced by the I's
    counted in `image`."""
    chars = line.char_confidences
    if chars is None or len(chars) != len(line.text):
        return line
    runs = (run for run in RUN.finditer(line.text) if _is_stage(line.text, run))
    match = next((run for run in runs if min(chars[run.start() : run.end()]) < DOUBTFUL), None)
    match = match or LOST.search(line.text)
    if match is None:
        return line
    crop = line_crop(image, line)
    if crop.size == 0:
        return line
    columns = engine.columns(crop)
    read = "".join(column.char for column in columns)
    # The recogniser placed the stage between the same two characters it has in the line (read again from
    # the line's box, a lost stage was read there each time on the tuning lines).
    anchors = _anchors(line.text, match)
    again = next((run for run in RUN.finditer(read) if _is_stage(read, run) and _anchors(read, run) == anchors), None)
    if again is None:
        return line
    strokes = _strokes(crop, columns[again.start() - 1].right, columns[again.end()].left)
    if not 1 <= strokes <= MAX_STROKES:
        return line
    text = line.text[: match.start()] + "I" * strokes + line.text[match.end() :]
    counted = [*chars[: match.start()], *[COUNTED] * strokes, *chars[match.end() :]]
    return line.model_copy(update={"text": text, "char_confidences": counted})


def _is_stage(text: str, run: re.Match[str]) -> bool:
    """The run stands as a stage: after no Latin letter or digit (a code's or a name's I is no stage, nor
    the I of IV), before 期, 级, 型 or 度, or a sub-stage letter A–C followed by one of those or a digit
    (IIIA期, IB1期; not the C of ICU), never a V or an X."""
    end = run.end()
    if run.start() == 0 or end == len(text):
        return False
    before = text[run.start() - 1]
    if before.isascii() and before.isalnum():
        return False
    if text[end] in STAGE_WORDS:
        return True
    return text[end] in SUB_STAGES and end + 1 < len(text) and (text[end + 1] in STAGE_WORDS or text[end + 1].isdigit())


def _anchors(text: str, run: re.Match[str]) -> tuple[str, str]:
    """The characters either side of the run, as NFKC makes them (（ and ( alike)."""
    return unicodedata.normalize("NFKC", text[run.start() - 1]), unicodedata.normalize("NFKC", text[run.end()])


def _strokes(crop: np.ndarray, left: float, right: float) -> int:
    """How many strokes stand side by side between columns `left` and `right` (the steps that read the
    characters either side, which lie inside those characters): runs of inked columns across the middle of
    the line's ink, wholly between them, narrow and tall enough. What is not a stroke before the first
    one is the end of the character before (能's right half), after them the start of the one after (级's
    纟)."""
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return 0
    top, height = int(rows[0]), int(rows[-1] - rows[0] + 1)
    middle = ink[top + 3 * height // 10 : top + 7 * height // 10 + 1]
    inked = np.concatenate([[False], middle.any(axis=0), [False]])
    edges = np.flatnonzero(np.diff(inked.astype(np.int8)))
    count = 0
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if start < left or end > right:
            continue
        tall = np.flatnonzero(ink[:, start:end].any(axis=1))
        if end - start <= STROKE_WIDTH * height and tall[-1] - tall[0] + 1 >= STROKE_HEIGHT * height:
            count += 1
        elif count:
            break
    return count
