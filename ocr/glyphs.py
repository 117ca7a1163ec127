"""A labelled code's letters that print like digits (l and 1, o and 0), decided by the page's own digits.

The recogniser reads a code's 1 as l now and then (check codes 76a1eb → 76aleb under a photocopy's
blur), and a code has no check digit to tell. Read again alone, a glyph is no surer (bench/look_alikes.py).
But the page prints plenty of the same digits in the same font, read surely where no letter can stand
(票据号码：0022894281, dates, amounts). A code's l or o becomes 1 or 0 only where its glyph looks like
those: not taller than they are and at most a pixel shorter (an l has an ascender in nearly every font,
an o is x-height), and nowhere, over a small square, much unlike their median glyph (an l lacks a 1's
flag or base). A letter unlike the page's digits, or a page without enough of them, is left as read,
and the extractor sends a code holding it to a clerk. I and O are not decided: capitals print as tall
as digits, and only the shape would be left to tell them (bench/look_alikes.py counts it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from intake.models import OcrLine

# A code of letters and digits ending a line after a colon.
CODE_AT_END = re.compile(r"[：:]\s*([0-9A-Za-z]{4,32})\s*$")
# A labelled number, code or date ending a line: each of its characters prints as one glyph.
TOKEN_AT_END = re.compile(r"[：:]\s*([0-9A-Za-z.\-]{4,32})\s*$")
DIGIT_OF = {"l": "1", "o": "0"}
# A digit is a reference where the recogniser read it at least this surely; a letter is compared with
# those whose ink is as tall as its own give or take SAME_SIZE (the same type size), at least
# MIN_REFERENCES of them.
REFERENCE_SURE = 0.99
SAME_SIZE = 0.1
MIN_REFERENCES = 3
# A run of inked columns wider than this many times the ink's height holds characters printed touching;
# one narrower than PUNCTUATION times it (a point, a dash, an l) does not tell a lone glyph's width.
MERGED = 0.9
PUNCTUATION = 0.4
# A letter's ink may be shorter than the references' (median) by HEIGHT_TOLERANCE of it (one pixel at
# least), never taller: an l's ascender is a pixel taller than the 1s in a small serif (Noto Serif CJK,
# 18 against 17 px, bench/look_alikes.py), an o is x-height.
HEIGHT_TOLERANCE = 0.05
# Glyphs are compared at GLYPH_SIZE pixels high, contrast stretched to 0..1, moved by up to SHIFT pixels
# to fit; a glyph differs from the references' median by at most LIKENESS over any PATCH-pixel square.
GLYPH_SIZE = 32
SHIFT = 2
PATCH = 5
LIKENESS = 0.28


@dataclass(frozen=True)
class Glyph:
    image: np.ndarray  # GLYPH_SIZE square: the ink's box scaled to its height, contrast stretched to 0..1
    height: int  # the ink's height in pixels


def line_crop(image: np.ndarray, line: OcrLine) -> np.ndarray:
    x0, y0, x1, y1 = (round(v) for v in line.bbox)
    return image[max(0, y0) : y1, max(0, x0) : x1]


def ink_runs(grey: np.ndarray) -> list[tuple[int, int]]:
    """The runs of columns holding ink (darker than Otsu's threshold of the line), left to right."""
    return _column_runs(_ink(grey))


def _ink(grey: np.ndarray) -> np.ndarray:
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def _column_runs(ink: np.ndarray) -> list[tuple[int, int]]:
    inked = np.concatenate([[False], (ink > 0).any(axis=0), [False]])
    edges = np.flatnonzero(np.diff(inked.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def last_glyphs(crop: np.ndarray, count: int) -> list[Glyph | None] | None:
    """The glyphs of the `count` characters after the colon ending a line's label, one per run of inked
    columns; None where the runs cannot be paired with the characters: no colon (two dots one above the
    other) before them, or their count not borne out. Characters printed touching make one run wider than
    MERGED of the ink's height; it counts as its width over a lone glyph's (median), and its characters get
    no glyph (None)."""
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    if grey.size == 0:
        return None
    ink = _ink(grey)
    runs = _column_runs(ink)
    colons = [i for i in range(max(0, len(runs) - count - 1), len(runs) - 1) if _colon(ink[:, slice(*runs[i])] > 0)]
    if not colons:
        return None
    after = runs[colons[0] + 1 :]
    rows = np.flatnonzero(ink[:, after[0][0] : after[-1][1]].any(axis=1))
    height = rows[-1] - rows[0] + 1
    lone = [right - left for left, right in after if PUNCTUATION * height < right - left <= MERGED * height]
    if not lone:
        return None
    width = float(np.median(lone))
    counts = [1 if right - left <= MERGED * height else max(2, round((right - left) / width)) for left, right in after]
    if sum(counts) != count:
        return None
    glyphs: list[Glyph | None] = []
    for (left, right), chars in zip(after, counts, strict=True):
        if chars > 1:
            glyphs += [None] * chars
            continue
        rows = np.flatnonzero(ink[:, left:right].any(axis=1))
        glyphs.append(_glyph(grey[rows[0] : rows[-1] + 1, left:right]))
    return glyphs


def _colon(ink: np.ndarray) -> bool:
    """True when the inked columns `ink` hold two blobs one above the other, apart by a rows' gap, and are
    narrower than half the line's height."""
    rows = np.concatenate([[False], ink.any(axis=1), [False]])
    starts = np.flatnonzero(np.diff(rows.astype(np.int8)) == 1)
    return len(starts) == 2 and ink.shape[1] <= ink.shape[0] / 2


def _glyph(ink_box: np.ndarray) -> Glyph:
    height, width = ink_box.shape
    scaled_width = min(GLYPH_SIZE, max(1, round(width * GLYPH_SIZE / height)))
    scaled = cv2.resize(ink_box, (scaled_width, GLYPH_SIZE), interpolation=cv2.INTER_AREA).astype(np.float32)
    low, high = float(scaled.min()), float(scaled.max())
    scaled = (scaled - low) / (high - low) if high > low else np.ones_like(scaled)
    pad = GLYPH_SIZE - scaled_width
    square = cv2.copyMakeBorder(scaled, 0, 0, pad // 2, pad - pad // 2, cv2.BORDER_CONSTANT, value=1.0)
    return Glyph(image=square, height=height)


def references(image: np.ndarray, lines: list[OcrLine]) -> dict[str, list[Glyph]]:
    """The surely read 1s and 0s of the page's labelled numbers and codes."""
    found: dict[str, list[Glyph]] = {digit: [] for digit in DIGIT_OF.values()}
    for line in lines:
        match = TOKEN_AT_END.search(line.text)
        chars = line.char_confidences
        if match is None or chars is None or len(chars) != len(line.text):
            continue
        token = match.group(1)
        glyphs = last_glyphs(line_crop(image, line), len(token))
        if glyphs is None:
            continue
        for char, sure, glyph in zip(token, chars[match.start(1) : match.end(1)], glyphs, strict=True):
            if char in found and sure >= REFERENCE_SURE and glyph is not None:
                found[char].append(glyph)
    return found


def likeness(glyph: Glyph, refs: list[Glyph]) -> float | None:
    """How far `glyph` is from the references' median glyph, each moved by up to SHIFT pixels to fit it best:
    the largest mean difference over any PATCH-pixel square (a 1's flag missing from an l is one such
    square; noise spread thin is not). References themselves further than LIKENESS from the median are
    left out first (glyphs paired with the wrong characters). None with fewer than MIN_REFERENCES."""
    images = [ref.image for ref in refs]
    for _ in range(2):
        if len(images) < MIN_REFERENCES:
            return None
        template = np.median(np.stack(images), axis=0)
        images = [
            image for image in (_fitted(image, template) for image in images) if _distance(image, template) <= LIKENESS
        ]
    if len(images) < MIN_REFERENCES:
        return None
    template = np.median(np.stack(images), axis=0)
    return _distance(_fitted(glyph.image, template), template)


def _fitted(image: np.ndarray, template: np.ndarray) -> np.ndarray:
    """`image` moved by whole pixels (up to SHIFT) to lie closest to `template`."""
    shifts = range(-SHIFT, SHIFT + 1)
    moves = [np.array([[1, 0, dx], [0, 1, dy]], dtype=np.float32) for dx in shifts for dy in shifts]
    shape = (GLYPH_SIZE, GLYPH_SIZE)
    moved = [cv2.warpAffine(image, move, shape, borderMode=cv2.BORDER_CONSTANT, borderValue=1.0) for move in moves]
    return min(moved, key=lambda candidate: float(np.abs(candidate - template).mean()))


def _distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(cv2.blur(np.abs(a - b), (PATCH, PATCH)).max())


def as_tall(glyph: Glyph, refs: list[Glyph]) -> bool:
    """True when `glyph`'s ink is as tall as the references' (median) or shorter by at most HEIGHT_TOLERANCE
    of it (one pixel at least)."""
    if not refs:
        return False
    height = float(np.median([ref.height for ref in refs]))
    return 0 <= height - glyph.height <= max(1.0, HEIGHT_TOLERANCE * height)


def of_its_size(glyph: Glyph, refs: list[Glyph]) -> list[Glyph]:
    """The references printed in `glyph`'s type size (an invoice prints its header and its amounts in two)."""
    return [ref for ref in refs if abs(ref.height - glyph.height) <= SAME_SIZE * glyph.height]


def looks_like(glyph: Glyph, refs: list[Glyph]) -> bool:
    """True when `glyph` is as tall as the references of its type size (`as_tall`) and no further than
    LIKENESS from their median glyph."""
    same_size = of_its_size(glyph, refs)
    distance = likeness(glyph, same_size)
    return distance is not None and distance <= LIKENESS and as_tall(glyph, same_size)


def decide_look_alikes(image: np.ndarray, line: OcrLine, lines: list[OcrLine]) -> OcrLine:
    """`line` with its code's l and o turned into 1 and 0 where their glyphs look like the page's own 1s
    and 0s (`lines`: the page's lines, upright, as `image`)."""
    match = CODE_AT_END.search(line.text)
    if match is None or not any(char in DIGIT_OF for char in match.group(1)):
        return line
    code = match.group(1)
    glyphs = last_glyphs(line_crop(image, line), len(code))
    if glyphs is None:
        return line
    refs = references(image, lines)
    decided = [
        DIGIT_OF[char] if char in DIGIT_OF and glyph is not None and looks_like(glyph, refs[DIGIT_OF[char]]) else char
        for char, glyph in zip(code, glyphs, strict=True)
    ]
    if decided == list(code):
        return line
    return line.model_copy(update={"text": line.text[: match.start(1)] + "".join(decided) + line.text[match.end(1) :]})
