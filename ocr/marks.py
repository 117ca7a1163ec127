"""Option marks the recogniser does not read: the boxes (□ ☑ ☒ ■) and radio buttons (○ ◉) a form prints
beside the options of a row, found in the page image and written into the row's lines as those characters,
so that the option logic of the extraction (`extractors/kinds.py`, `read_choice`) sees which one is marked.

The recogniser was trained on text: a drawn box comes out as nothing, as 口 or as a stray letter, and a pen's
tick or cross across a box often drops out with it, so the chosen option could not be told from the text.

Each row of lines is looked at in a strip a little taller and longer than its lines. Marks are told by
their shape alone, relative to the row's line height, never by where a form puts them:
- a box: a closed square outline about the text's height, found among the strip's straight strokes (a
  morphological opening along and across the row keeps the box's sides and drops a pen's slanted tick or
  cross, so a ticked box still shows its whole inside);
- a round button: an ink outline as round as a circle (its area against its perimeter, its area against
  its bounding square), about the text's height;
- a filled one (■, ●): a solid blot of that size, all ink.
The ink inside a mark (away from its outline) says whether it holds a tick, a cross or a fill. A row is
written only when it holds at least two marks of one shape and size, set apart by text (never a grid of
touching cells), and exactly one of them holds ink while every other is empty: that one is chosen, the
others are written empty. A row with no inked mark or several says nothing new, and the option logic keeps
the field flagged as before. A mark is written where it stands in its line: at the character the
recogniser read in its place (a look-alike such as 口 or V replaced), between the characters round it, or
before or after the nearest line of its row when it stands outside every line.

A form that prints no boxes is marked by the pen itself (`pen_marks`), on a row whose choice nothing read
or written already shows. The strip round the row is taken without the form's rulings (long straight
strokes), and its strokes are looked at:
- a loop drawn round an option's words: a thin stroke in a pen's colour (not a seal's red) running along
  an ellipse, round rather than a printed frame, no taller than a few lines, passing above and below the
  words it encloses and the row's other glyphs (a character's own outline, 口 or ①, does not). It chooses
  the line (or the run of a line's characters, by the recogniser's columns) whose core it encloses, when it
  is the row's only loop and touches no other line: ◉ is written before the option's words;
- a free tick (✓ √) the recogniser did not read, standing outside the lines: a thin stroke about the
  text's height with no hole, its lowest point in the left part and its right arm rising to its top. It
  chooses the line of words it stands beside, when it is the row's only tick and clearly nearer that line
  than any other: √ is written after the option (before it, when it stands left of it).
Either way the chosen option is words only and the row holds other words (its label, other options); a
row where the pen's choice is unsure (two loops, a loop over two options, a tick between two) is left as
read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from intake.models import OcrLine
from ocr.base import Column, OcrEngine, sort_reading_order
from ocr.glyphs import line_crop

# A mark's side against its row's line height (the detector's box runs a little above and below the ink).
MIN_SIDE = 0.35
MAX_SIDE = 1.3
# A mark is about square: width over height within this ratio either way.
SQUARE = 1.35
# The strip looked at: this many line heights above and below the row's lines, and beyond its ends.
STRIP_MARGIN = 0.35
STRIP_REACH = 2.0
# A mark outside every line is written into the nearest line of its row at most this many line heights
# away: a box stands about a third of a line height from its option's words.
CARRY_REACH = 1.0
# Ink is what is darker than the paper by this share of the strip's contrast; a strip of less contrast
# (grey levels) holds nothing to tell.
INK_SHARE = 0.45
FAINT_SHARE = 0.25
MIN_CONTRAST = 40
# The straight strokes kept for boxes are at least this many line heights long (a box's side is ~0.8).
STROKE = 0.3
# A hole in the straight strokes is a box's inside when it fills this share of its bounding rectangle.
RECTANGULAR = 0.85
# A round outline: 4πA/P² at least this (a circle's digitised outline ~0.85-0.9, a square's 0.785), and
# its enclosed area this share of its bounding square (a circle π/4, a square 1).
ROUND = 0.8
CIRCLE = 1.15  # a round button is as wide as high; a 0 or an O is taller or wider
ROUND_FILL = (0.65, 0.88)
# A blot is solid when ink fills this share of its box (■ 1.0, ● π/4 ≈ 0.79).
SOLID = 0.72
SOLID_SQUARE = 0.9
# The inside is measured away from the outline: this share of the side in from each edge.
INSET = 0.18
# A mark holds ink when this share of its inside is ink (a thin tick ~0.08, a cross ~0.15, a fill 1); it is
# empty at no more than EMPTY (scan noise) and at most a quarter of the inked one's share.
INKED = 0.05
EMPTY = 0.025
# The marks of one row are the same size: within this share of their median side; and set apart by at
# least this many sides (option words between them; a grid's cells touch).
SAME_SIZE = 0.25
APART = 0.8
# Options stacked or wrapped in one cell: marks whose left edges lie within this share of a side of each
# other, on rows at most COLUMN_GAP line heights apart. A ruling (a row or column of the region between
# two marks at least RULED ink) is a cell's border: the marks on either side are different questions.
ALIGNED = 0.5
COLUMN_GAP = 1.5
RULED = 0.9
SLANT = 5
# A solid blot stands clear of other ink: at most this share of a ring a quarter of its side wide round it.
CLEAR = 0.05
# The characters a mark may have been read as, replaced where they stand in the mark's place.
READ_AS_MARK = set("□☐▢☑☒✓✔√■▣✗✘×Xx█▇▉▆口囗团図回Vv○◯◉●◎〇OoQ0")
WRITTEN = {("box", True): "☑", ("box", False): "□", ("round", True): "◉", ("round", False): "○"}
CHOSEN = {WRITTEN["box", True], WRITTEN["round", True]}


@dataclass(frozen=True)
class Mark:
    """A box or round button found on a row, in page pixels, and the share of its inside that is ink."""

    kind: str  # "box" or "round"
    left: float
    top: float
    right: float
    bottom: float
    ink: float

    @property
    def side(self) -> float:
        return max(self.right - self.left, self.bottom - self.top)

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


def written_marks(image: np.ndarray, lines: list[OcrLine], engine: OcrEngine) -> list[OcrLine]:
    """`lines` with the marks of each set of options that chooses exactly one written into their text (the
    module's docstring); every other line as it was."""
    rows = _rows(lines)
    heights = [float(np.median([line.bbox[3] - line.bbox[1] for line in row])) for row in rows]
    found: list[tuple[int, Mark]] = []
    for r, row in enumerate(rows):
        # A tall line (a label beside two lines of options) joins two rows into one: a mark is found once.
        found += [(r, m) for m in find_marks(image, row, heights[r]) if not any(_overlap(m, o) for _, o in found)]
    read: dict[int, list[Column]] = {}

    def columns(line: OcrLine) -> list[Column]:
        if id(line) not in read:
            read[id(line)] = engine.columns(line_crop(image, line))
        return read[id(line)]

    carried: dict[int, list[tuple[Mark, bool]]] = {}
    for group in option_sets(image, found, heights):
        chosen = max((mark for _, mark in group), key=lambda m: m.ink)
        writes = [(line, mark) for r, mark in group if (line := _carrier(lines, mark, heights[r])) is not None]
        if len(writes) == len(group) and all(
            _with_marks(line, [(mark, mark is chosen)], columns) is not None for line, mark in writes
        ):
            for line, mark in writes:
                carried.setdefault(id(line), []).append((mark, mark is chosen))
    out = []
    for line in lines:
        chars = _with_marks(line, carried[id(line)], columns) if id(line) in carried else None
        out.append(line if chars is None else _rewritten(line, chars))
    return pen_marks(image, out, columns)


def option_sets(image: np.ndarray, found: list[tuple[int, Mark]], heights: list[float]) -> list[list[tuple[int, Mark]]]:
    """The marks (with their row's index) grouped into sets of options, each set choosing exactly one: marks
    of one shape and size linked along a row (set apart by text, no ruling between) or down a column
    (their left edges aligned, on rows at most COLUMN_GAP line heights apart, no ruling between: a form's
    options wrapped or stacked in one cell). A set of fewer than two marks, one holding marks that touch
    (a grid of cells) or not exactly one inked mark (`_chooses_one`) is left out."""
    parent = list(range(len(found)))
    grid: set[int] = set()

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(found)), key=lambda i: (found[i][1].top, found[i][1].left))
    for i, j in itertools.combinations(order, 2):
        (ri, a), (_, b) = found[i], found[j]
        if a.kind != b.kind or abs(a.side - b.side) > SAME_SIZE * max(a.side, b.side):
            continue
        side = max(a.side, b.side)
        if _level(a, b):
            a, b = (a, b) if a.left <= b.left else (b, a)
            if any(_level(a, m) and a.right <= m.centre <= b.left for _, m in found):
                continue  # only neighbours along the row are linked
            if b.left - a.right < APART * side:
                grid.update((i, j))
            elif not _ruled(image, a.right, min(a.top, b.top) - side, b.left, max(a.bottom, b.bottom) + side, False):
                parent[root(j)] = root(i)
        elif (
            abs(a.left - b.left) <= ALIGNED * side
            and 0 <= b.top - a.bottom <= COLUMN_GAP * heights[ri]
            and not _ruled(image, min(a.left, b.left) - side, a.bottom, max(a.right, b.right) + 3 * side, b.top, True)
        ):
            parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(found)):
        groups.setdefault(root(i), []).append(i)
    return [
        [found[i] for i in members]
        for members in groups.values()
        if len(members) >= 2 and not grid.intersection(members) and _chooses_one([found[i][1] for i in members])
    ]


def _level(a: Mark, b: Mark) -> bool:
    """Whether two marks stand on one level: their heights overlap by half the smaller one's at least."""
    return min(a.bottom, b.bottom) - max(a.top, b.top) >= 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def _chooses_one(marks: list[Mark]) -> bool:
    """Exactly one mark holds ink (INKED) and every other is empty (EMPTY, and a quarter of its share)."""
    inked = [m for m in marks if m.ink >= INKED]
    if len(inked) != 1:
        return False
    most_empty = min(EMPTY, inked[0].ink / 4)
    return all(m.ink <= most_empty for m in marks if m is not inked[0])


def _ruled(image: np.ndarray, x0: float, y0: float, x1: float, y1: float, across: bool) -> bool:
    """Whether a ruling runs through the region: a row (`across`) or a column of it nearly all ink."""
    left, top = max(0, round(x0)), max(0, round(y0))
    right, bottom = min(image.shape[1], round(x1)), min(image.shape[0], round(y1))
    if right - left < 1 or bottom - top < 1:
        return False
    inks = _ink(image[top:bottom, left:right], INK_SHARE)
    if inks is None:
        return False
    # A ruling a little aslant (a photographed page) runs over a few rows or columns of pixels.
    ink = cv2.dilate(inks[0], np.ones((SLANT, 1) if across else (1, SLANT), np.uint8))
    share = ink.mean(axis=1 if across else 0)
    return bool(share.max() >= RULED)


def find_marks(image: np.ndarray, row: Sequence[OcrLine], height: float) -> list[Mark]:
    """Every box, round button and filled blot of about `height` in the strip round `row`'s lines."""
    x0 = max(0, round(min(line.bbox[0] for line in row) - STRIP_REACH * height))
    x1 = min(image.shape[1], round(max(line.bbox[2] for line in row) + STRIP_REACH * height))
    y0 = max(0, round(min(line.bbox[1] for line in row) - STRIP_MARGIN * height))
    y1 = min(image.shape[0], round(max(line.bbox[3] for line in row) + STRIP_MARGIN * height))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return []
    inks = _ink(image[y0:y1, x0:x1], INK_SHARE, FAINT_SHARE)
    if inks is None:
        return []
    ink, faint = inks
    marks = _rounds(ink, faint, height) + _solids(ink, height)
    for box in _boxes(ink, ink, height) + _boxes(ink, faint, height):
        if not any(_overlap(box, other) for other in marks):
            marks.append(box)
    # A mark of the row stands between its lines' top and bottom; the strip's margins reach a little into
    # the rows above and below, whose marks are theirs.
    top, bottom = min(line.bbox[1] for line in row) - y0, max(line.bbox[3] for line in row) - y0
    return [
        Mark(m.kind, m.left + x0, m.top + y0, m.right + x0, m.bottom + y0, m.ink)
        for m in marks
        if top <= (m.top + m.bottom) / 2 <= bottom
    ]


def _ink(strip: np.ndarray, *shares: float) -> list[np.ndarray] | None:
    """The strip's ink at each of `shares` (darker than the paper by that share of its contrast) as 0/1
    uint8 images, None where it holds too little contrast to tell. Paper is the 90th percentile of its
    grey levels, the darkest ink the 1st."""
    grey = cv2.cvtColor(strip, cv2.COLOR_BGR2GRAY) if strip.ndim == 3 else strip
    cumulative = np.cumsum(np.bincount(grey.ravel(), minlength=256))
    dark, paper = (int(np.searchsorted(cumulative, q * cumulative[-1])) for q in (0.01, 0.9))
    if paper - dark < MIN_CONTRAST:
        return None
    return [(grey < paper - share * (paper - dark)).astype(np.uint8) for share in shares]


def _sized(width: float, height: float, line_height: float) -> bool:
    small, large = MIN_SIDE * line_height, MAX_SIDE * line_height
    return small <= width <= large and small <= height <= large and 1 / SQUARE <= width / max(height, 1) <= SQUARE


def _inside(ink: np.ndarray, left: int, top: int, width: int, height: int) -> float:
    """The share of ink in the box's inside, INSET in from its edges."""
    dx, dy = max(1, round(INSET * width)), max(1, round(INSET * height))
    part = ink[top + dy : top + height - dy, left + dx : left + width - dx]
    return float(part.mean()) if part.size else 0.0


def _boxes(ink: np.ndarray, faint: np.ndarray, line_height: float) -> list[Mark]:
    """Square outlines: holes of about the text's size in the straight strokes of `faint` (the strip's ink,
    or its fainter ink: a box's thin side blurred in a photo is lighter than the text, while a pen's tick
    taken faint runs thick enough to split the box's inside)."""
    length = max(3, round(STROKE * line_height))
    along = cv2.morphologyEx(faint, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    across = cv2.morphologyEx(faint, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    # A pixel's gap in a thin printed side (a scan's anti-aliasing) would open the box.
    strokes = cv2.dilate(cv2.bitwise_or(along, across), np.ones((3, 3), np.uint8))
    contours, hierarchy = cv2.findContours(strokes, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for contour, (_, _, _, parent) in zip(contours, hierarchy[0] if hierarchy is not None else [], strict=False):
        if parent < 0:
            continue
        left, top, width, height = cv2.boundingRect(contour)
        if cv2.contourArea(contour) < RECTANGULAR * width * height:
            continue
        # The hole lies a pixel inside the dilated sides: the box's inside is a little larger.
        left, top, width, height = left - 1, top - 1, width + 2, height + 2
        if not _sized(width, height, line_height):
            continue
        out.append(Mark("box", left, top, left + width, top + height, _inside(ink, left, top, width, height)))
    return out


def _rounds(ink: np.ndarray, faint: np.ndarray, line_height: float) -> list[Mark]:
    """Round outlines about the text's size (○, and ◉ with its dot inside), in the `faint` ink (a web
    form's unchosen buttons are drawn in grey)."""
    contours, hierarchy = cv2.findContours(faint, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    out = []
    for contour, (_, _, child, parent) in zip(contours, hierarchy[0] if hierarchy is not None else [], strict=False):
        if parent >= 0 or child < 0:
            continue  # a hole, or a blot without one (solids are found apart)
        left, top, width, height = cv2.boundingRect(contour)
        if not _sized(width, height, line_height) or not 1 / CIRCLE <= width / height <= CIRCLE:
            continue
        area, perimeter = cv2.contourArea(contour), cv2.arcLength(contour, True)
        if perimeter == 0 or 4 * np.pi * area / perimeter**2 < ROUND:
            continue
        if not ROUND_FILL[0] <= area / (width * height) <= ROUND_FILL[1]:
            continue
        out.append(Mark("round", left, top, left + width, top + height, _inside_disc(ink, left, top, width, height)))
    return out


def _inside_disc(ink: np.ndarray, left: int, top: int, width: int, height: int) -> float:
    """The share of ink in the middle of a round outline (a disc of half its radius)."""
    part = ink[top : top + height, left : left + width]
    ys, xs = np.ogrid[:height, :width]
    cx, cy = (width - 1) / 2, (height - 1) / 2
    middle = ((xs - cx) / (width / 2)) ** 2 + ((ys - cy) / (height / 2)) ** 2 <= 0.5**2
    return float(part[middle].mean()) if middle.any() else 0.0


def _solids(ink: np.ndarray, line_height: float) -> list[Mark]:
    """Solid blots about the text's size standing clear of other ink: a filled box (■), or a filled round
    button (●) whose outline is round (ROUND)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    widths, heights, areas = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_AREA]
    small, large = MIN_SIDE * line_height, MAX_SIDE * line_height
    solid = (
        (widths >= small)
        & (widths <= large)
        & (heights >= small)
        & (heights <= large)
        & (areas >= SOLID * widths * heights)
    )
    out = []
    for label in np.flatnonzero(solid[1:count]) + 1:
        left, top, width, height, area = (int(v) for v in stats[label])
        if not _sized(width, height, line_height):
            continue
        if area < SOLID_SQUARE * width * height and not _round_outline(
            labels[top : top + height, left : left + width] == label
        ):
            continue
        margin = max(1, round(0.25 * max(width, height)))
        ring = ink[max(0, top - margin) : top + height + margin, max(0, left - margin) : left + width + margin]
        if (ring.sum() - area) / max(1, ring.size - width * height) > CLEAR:
            continue
        kind = "box" if area >= SOLID_SQUARE * width * height else "round"
        out.append(Mark(kind, left, top, left + width, top + height, 1.0))
    return out


def _round_outline(blot: np.ndarray) -> bool:
    contours, _ = cv2.findContours(blot.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return False
    contour = max(contours, key=cv2.contourArea)
    perimeter = cv2.arcLength(contour, True)
    return perimeter > 0 and 4 * np.pi * cv2.contourArea(contour) / perimeter**2 >= ROUND


def _overlap(a: Mark, b: Mark) -> bool:
    return min(a.right, b.right) > max(a.left, b.left) and min(a.bottom, b.bottom) > max(a.top, b.top)


def _rows(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """The lines grouped into rows (as `sort_reading_order` groups them), lines on end left out."""
    level = [line for line in lines if line.text.strip() and line.bbox[2] - line.bbox[0] >= line.bbox[3] - line.bbox[1]]
    rows: list[list[OcrLine]] = []
    for line in sort_reading_order(level):
        if rows and _same_row(rows[-1][-1], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _same_row(a: OcrLine, b: OcrLine) -> bool:
    overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return overlap > 0.5 * min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])


def _rewritten(line: OcrLine, chars: list[tuple[str, float | None]]) -> OcrLine:
    """The line with its characters as given; a written mark gets the line's confidence (the image decided
    it, not the recogniser)."""
    known = line.char_confidences is not None and len(line.char_confidences) == len(line.text)
    return line.model_copy(
        update={
            "text": "".join(char for char, _ in chars),
            "char_confidences": [line.confidence if c is None else c for _, c in chars] if known else None,
        }
    )


def _carrier(lines: Sequence[OcrLine], mark: Mark, height: float) -> OcrLine | None:
    """The line a mark is written into: of the lines level with it (its middle between their top and
    bottom; a row's tall label is level with two lines of options), the one it stands in, else the nearest
    within CARRY_REACH line heights (the mark written before the line when it stands left of it, after it
    when right); None when no line is that near (the mark's own words were not read)."""
    middle = (mark.top + mark.bottom) / 2
    level = [line for line in lines if line.bbox[1] <= middle <= line.bbox[3]]
    for line in level:
        if line.bbox[0] <= mark.centre <= line.bbox[2]:
            return line
    gaps = [
        (line.bbox[0] - mark.right if mark.centre < line.bbox[0] else mark.left - line.bbox[2], line) for line in level
    ]
    if not gaps:
        return None
    gap, line = min(gaps, key=lambda pair: (pair[0], pair[1].bbox[0] < mark.centre))
    return line if gap <= CARRY_REACH * height else None


def _with_marks(
    line: OcrLine, marks: list[tuple[Mark, bool]], columns: Callable[[OcrLine], list[Column]]
) -> list[tuple[str, float | None]] | None:
    """The line's characters (and their confidences, None for a written mark) with each mark (and whether
    it is the chosen one) written at its place: before or after the text when it stands outside the line,
    else at the character read in its place (a look-alike replaced) or between the characters round it, by
    the recogniser's `columns`; None where a mark stands under a character that is no look-alike, or the
    columns do not spell the line's text."""
    x0, _, x1, _ = line.bbox
    confidences = line.char_confidences or []
    known = len(confidences) == len(line.text)
    chars: list[tuple[str, float | None]] = [
        (char, confidences[i] if known else None) for i, char in enumerate(line.text)
    ]
    ordered = sorted(marks, key=lambda pair: pair[0].centre)
    within = [(m, chosen) for m, chosen in ordered if x0 <= m.centre <= x1]
    if within:
        left = max(0, round(x0))
        placed = _placed(
            chars, columns(line), [(m.left - left, m.right - left, WRITTEN[m.kind, chosen]) for m, chosen in within]
        )
        if placed is None:
            return None
        chars = placed
    before = [(WRITTEN[m.kind, chosen], None) for m, chosen in ordered if m.centre < x0]
    after = [(WRITTEN[m.kind, chosen], None) for m, chosen in ordered if m.centre > x1]
    return [*before, *chars, *after]


def _placed(
    chars: list[tuple[str, float | None]], columns: list[Column], marks: list[tuple[float, float, str]]
) -> list[tuple[str, float | None]] | None:
    """`chars` with each mark (its left and right in the line crop's columns, the sign to write) written
    in by the recogniser's `columns`: in place of the one character read inside it when that is a
    look-alike, else before the first character read right of it. None when a mark stands under a
    character that is no look-alike, or the columns do not spell the line (`_aligned`)."""
    at = _aligned(chars, columns)
    if at is None:
        return None
    out = list(chars)
    inserts: list[tuple[int, str]] = []
    for left, right, sign in marks:
        under = [k for k, c in enumerate(columns) if left <= (c.left + c.right) / 2 <= right]
        if len(under) > 1 or (under and columns[under[0]].char not in READ_AS_MARK):
            return None
        read_at = at[under[0]] if under else None
        if read_at is not None:
            # An empty mark read as 口 is left as read: 口 is a word's character as often as a box, and
            # the option logic takes it for a box before an option.
            if sign in CHOSEN:
                out[read_at] = (sign, None)
            continue
        after = [i for c, i in zip(columns, at, strict=True) if i is not None and (c.left + c.right) / 2 > right]
        index = after[0] if after else len(chars)
        before = next((i for i in range(index - 1, -1, -1) if not chars[i][0].isspace()), None)
        if before is not None and before not in at and chars[before][0] in READ_AS_MARK:
            # The text holds a mark there the columns did not read: the mark was read, as it or a look-alike.
            if sign in CHOSEN:
                out[before] = (sign, None)
            continue
        inserts.append((index, sign))
    for index, sign in sorted(inserts, reverse=True):
        out.insert(index, (sign, None))
    return out


def _aligned(chars: list[tuple[str, float | None]], columns: list[Column]) -> list[int | None] | None:
    """For each of the recogniser's columns, the index in `chars` of the character it read, None for a
    look-alike of a mark read now but not in the line's text (read alone, a line's mark is seen more
    often); a mark's look-alike in the text may be read as another (☐ as □) or not at all. None when the
    columns spell anything else than the line's text (its spaces aside)."""
    places = [i for i, (char, _) in enumerate(chars) if not char.isspace()]
    out: list[int | None] = []
    k = 0
    for column in columns:
        while k < len(places) and chars[places[k]][0] != column.char and chars[places[k]][0] in READ_AS_MARK:
            if column.char in READ_AS_MARK:
                break
            k += 1  # a mark in the text the columns do not read
        if k < len(places) and (
            chars[places[k]][0] == column.char or {chars[places[k]][0], column.char} <= READ_AS_MARK
        ):
            out.append(places[k])
            k += 1
        elif column.char in READ_AS_MARK:
            out.append(None)
        else:
            return None
    rest = [chars[i][0] for i in places[k:]]
    return out if all(char in READ_AS_MARK for char in rest) else None


# ---------------------------------------------------------------------------------------------------------
# Pen marks without a printed box: a loop drawn round an option's words, a free tick beside one.

# Long straight strokes are a form's rulings, taken out before pen strokes are looked for: along the row at
# least this many line heights, across it at least this many (a loop's sides curve: an ellipse round a word
# keeps no straight run this long).
RULING_ALONG = 6.0
RULING_ACROSS = 1.2
# The strip round a row a loop may reach into: a loop passes above and below its words.
LOOP_MARGIN = 0.8
# A loop stands at most this many line heights high (a seal or a frame round a paragraph is larger), and at
# least LOOP_CLEARS times the glyphs it encloses and those of the row (it passes above and below them; a
# character's own outline, 口 or ①, is no taller than the text).
LOOP_MAX = 2.6
LOOP_CLEARS = 1.25
# A loop's stroke runs along an ellipse: this share of the fitted ellipse's points lie within RING_NEAR of
# its smaller axis from the stroke (a loop left a little open, or overshooting, still does).
RING = 0.85
RING_NEAR = 0.12
RING_POINTS = 72
# A loop is round, not a printed frame: its outline encloses at most this share of its bounding rectangle
# (an ellipse π/4, a hand's slanted loop less, a rectangle or a rounded input box 0.95 and more), and its
# stroke is thin: at most this share of what it encloses is its own ink.
LOOP_FILL = 0.88
LOOP_INK = 0.5
# A line's core (its box inset by this share of its height on each side) is enclosed by a loop when this
# share of it lies inside, touched when more than TOUCHED does.
CORE_INSET = 0.25
ENCLOSED = 0.8
TOUCHED = 0.1
# Pen ink is blue or black: a stroke redder than its green and blue by this much is a seal's.
RED = 50
# A free tick: about the text's height (in row line heights), thin, no hole, its lowest point in the left
# part of its width, its right arm rising to its top while its left arm starts lower; standing outside the
# lines' boxes (the recogniser did not read it), nearest one line within CARRY_REACH line heights and at
# least TICK_NEARER times nearer it than any other.
TICK_SIZE = (0.35, 1.6)
TICK_WIDE = (0.4, 2.2)
TICK_INK = 0.35
TICK_LOW = (0.1, 0.6)
TICK_OUTSIDE = 0.7
# A tick's two arms are straight: this share of the segment from its lowest point to each end lies on its ink
# (within a tenth of its height).
TICK_STRAIGHT = 0.85
TICK_NEARER = 2.0
# An option is words: Chinese characters only (a label's colon, a number or a date is no option), after the
# number a form may print before each of its options (1. 异地长期居住人员, 2、, (3), ④).
WORDS_ONLY = re.compile(r"[\u4e00-\u9fff]+")
LIST_NUMBER = re.compile(r"^(?:\d{1,2}[.．、)）]|[(（]\d{1,2}[)）]|[①-⑳])")
# A row of options: besides the chosen option, the row holds this many Han characters of other words (the
# label and at least one other option).
OTHER_WORDS = 2
LOOP_SIGN = WRITTEN["round", True]
TICK_SIGN = "√"
HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
READ_CHOSEN = set("☑☒✓✔√■▣✗✘×◉●")


@dataclass(frozen=True)
class Loop:
    """A pen loop's fitted ellipse in page pixels (centre, half axes, angle in degrees) and its box."""

    cx: float
    cy: float
    half_w: float
    half_h: float
    angle: float
    box: tuple[float, float, float, float]

    def inside(self, xs: np.ndarray, ys: np.ndarray, scale: float = 1.0) -> np.ndarray:
        """Whether each point lies inside the ellipse (its axes times `scale`)."""
        t = np.deg2rad(self.angle)
        dx, dy = xs - self.cx, ys - self.cy
        u = dx * np.cos(t) + dy * np.sin(t)
        v = -dx * np.sin(t) + dy * np.cos(t)
        return bool_array((u / (scale * self.half_w)) ** 2 + (v / (scale * self.half_h)) ** 2 <= 1.0)


def bool_array(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=bool)


def pen_marks(image: np.ndarray, lines: list[OcrLine], columns: Callable[[OcrLine], list[Column]]) -> list[OcrLine]:
    """`lines` with a pen's choice on a row of printed options written in, where the row holds no mark read
    or written already: ◉ before the option a pen loop encloses (`_loop_choice`), √ after (or before) the one
    a free tick stands beside (`_tick_choice`). A row where the pen's mark is unsure (two loops, a loop over
    two options, a tick between two) is left as read, and the option logic keeps the field flagged."""
    out = {id(line): line for line in lines}
    for row in _rows(lines):
        if any(READ_CHOSEN.intersection(line.text) for line in row):
            continue  # the row's choice is read already
        height = float(np.median([line.bbox[3] - line.bbox[1] for line in row]))
        strip = _pen_strip(image, row, height)
        if strip is None:
            continue
        looped = _loop_choice(image, strip, row, height, columns)
        if looped is not None:
            out[id(looped[0])] = _rewritten_text(looped[0], looped[1], LOOP_SIGN)
            continue
        ticked = _tick_choice(strip, row, height, lines)
        if ticked is not None:
            out[id(ticked[0])] = _rewritten_text(ticked[0], ticked[1], TICK_SIGN)
    return [out[id(line)] for line in lines]


@dataclass(frozen=True)
class _Strip:
    """The pen's strokes round a row: the strip's ink without the form's rulings, its origin on the page,
    its connected strokes (labels and stats as OpenCV gives them) and the strip's colour image."""

    pen: np.ndarray
    x0: int
    y0: int
    labels: np.ndarray
    stats: np.ndarray
    colour: np.ndarray


def _pen_strip(image: np.ndarray, row: Sequence[OcrLine], height: float) -> _Strip | None:
    x0 = max(0, round(min(line.bbox[0] for line in row) - STRIP_REACH * height))
    x1 = min(image.shape[1], round(max(line.bbox[2] for line in row) + STRIP_REACH * height))
    y0 = max(0, round(min(line.bbox[1] for line in row) - LOOP_MARGIN * height))
    y1 = min(image.shape[0], round(max(line.bbox[3] for line in row) + LOOP_MARGIN * height))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    colour = image[y0:y1, x0:x1]
    inks = _ink(colour, INK_SHARE)
    if inks is None:
        return None
    ink = inks[0]
    along = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(3, round(RULING_ALONG * height))), np.uint8))
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(3, round(RULING_ACROSS * height)), 1), np.uint8))
    ruled = cv2.dilate(cv2.bitwise_or(along, across), np.ones((3, 3), np.uint8))
    pen = cv2.bitwise_and(ink, 1 - ruled)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(pen, connectivity=8)
    return _Strip(pen, x0, y0, labels, stats, colour)


def _words_only(text: str) -> bool:
    """Whether a line is an option's words: Chinese characters only, after the option's list number."""
    return bool(WORDS_ONLY.fullmatch(LIST_NUMBER.sub("", re.sub(r"\s+", "", text))))


def _sized_strokes(strip: _Strip, low: float, high: float, wide: float, ink: float) -> list[int]:
    """The strip's strokes from `low` to `high` pixels high, at least `wide` times as wide as high, whose ink
    fills at most `ink` of their bounding rectangle (a first sieve before each one's shape is looked at)."""
    widths, heights, areas = (
        strip.stats[:, k].astype(np.float64) for k in (cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT, cv2.CC_STAT_AREA)
    )
    keep = (heights >= low) & (heights <= high) & (widths >= wide * heights) & (areas <= ink * widths * heights)
    keep[0] = False  # the background
    return [int(label) for label in np.flatnonzero(keep)]


def _core(line: OcrLine) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = line.bbox
    inset = CORE_INSET * (y1 - y0)
    return x0 + inset, y0 + inset, max(x0 + inset + 1, x1 - inset), y1 - inset


def _share_inside(loop: Loop, box: tuple[float, float, float, float]) -> float:
    """The share of a box (a grid of points over it) inside the loop."""
    xs, ys = np.meshgrid(np.linspace(box[0], box[2], 16), np.linspace(box[1], box[3], 6))
    return float(loop.inside(xs, ys).mean())


def _loop_choice(
    image: np.ndarray, strip: _Strip, row: Sequence[OcrLine], height: float, columns: Callable[[OcrLine], list[Column]]
) -> tuple[OcrLine, int] | None:
    """The option a pen loop encloses on the row, and where ◉ is written (its first character's index):
    exactly one loop in the row's strip, round the words of one line (or of a run of characters of one
    line, by the recogniser's columns), touching no other line, passing above and below the words it
    encloses and the row's other words (LOOP_CLEARS), in a pen's colour; the row holding other words
    besides (OTHER_WORDS). None when any of that fails."""
    loops = [
        found
        for label in _sized_strokes(strip, 0.5 * height, LOOP_MAX * height, 0.6, LOOP_FILL * LOOP_INK)
        if (found := _loop(strip, label, height)) is not None
        and any(_share_inside(found[0], _core(line)) > TOUCHED for line in row)
    ]
    if len(loops) != 1:
        return None
    loop, label = loops[0]
    shares = [_share_inside(loop, _core(line)) for line in row]
    enclosed = [line for line, share in zip(row, shares, strict=True) if share >= ENCLOSED]
    touched = [line for line, share in zip(row, shares, strict=True) if TOUCHED < share < ENCLOSED]
    if len(enclosed) + len(touched) != 1 or not _clears(strip, label, loop, row):
        return None
    if enclosed:
        line = enclosed[0]
        others = "".join(other.text for other in row if other is not line)
        if not _words_only(line.text) or len(HAN_CHAR.findall(others)) < OTHER_WORDS:
            return None
        return line, 0
    return _loop_within(image, loop, touched[0], row, columns)


def _loop(strip: _Strip, label: int, height: float) -> tuple[Loop, int] | None:
    """The stroke `label` of the strip as a pen loop (its fitted ellipse, on the page), when it is one: no
    taller than LOOP_MAX line heights, round (LOOP_FILL), thin (LOOP_INK), running along its ellipse (RING)
    and in a pen's colour (not a seal's red)."""
    left, top, width, tall, area = (int(v) for v in strip.stats[label])
    if not 0.5 * height <= tall <= LOOP_MAX * height or width < 0.6 * tall or area < 20:
        return None
    mask = (strip.labels[top : top + tall, left : left + width] == label).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=cv2.contourArea)
    enclosed = cv2.contourArea(outline)
    if len(outline) < 5 or enclosed <= 0 or enclosed > LOOP_FILL * width * tall or area > LOOP_INK * enclosed:
        return None
    (cx, cy), (axis_w, axis_h), angle = cv2.fitEllipse(outline)
    if min(axis_w, axis_h) < 4:
        return None
    near = max(2, round(RING_NEAR * min(axis_w, axis_h)))
    reach = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * near + 1, 2 * near + 1)))
    t = np.linspace(0, 2 * np.pi, RING_POINTS, endpoint=False)
    rad = np.deg2rad(angle)
    px = cx + axis_w / 2 * np.cos(t) * np.cos(rad) - axis_h / 2 * np.sin(t) * np.sin(rad)
    py = cy + axis_w / 2 * np.cos(t) * np.sin(rad) + axis_h / 2 * np.sin(t) * np.cos(rad)
    xi, yi = np.round(px).astype(int), np.round(py).astype(int)
    within = (xi >= 0) & (xi < width) & (yi >= 0) & (yi < tall)
    hits = np.zeros(RING_POINTS, bool)
    hits[within] = reach[yi[within], xi[within]] > 0
    if hits.mean() < RING:
        return None
    pixels = strip.colour[top : top + tall, left : left + width][mask > 0]
    if pixels.ndim == 2 and pixels.shape[1] == 3:
        blue, green, red = (float(np.median(pixels[:, k])) for k in range(3))
        if red - max(green, blue) > RED:
            return None
    x0, y0 = strip.x0 + left, strip.y0 + top
    return Loop(x0 + cx, y0 + cy, axis_w / 2, axis_h / 2, angle, (x0, y0, x0 + width, y0 + tall)), label


def _ink_rows(strip: _Strip, mask: np.ndarray) -> float:
    """The height (in pixels) the ink under `mask` spans, 0 without any."""
    rows = np.flatnonzero(mask.any(axis=1))
    return float(rows[-1] - rows[0] + 1) if rows.size else 0.0


def _clears(strip: _Strip, label: int, loop: Loop, row: Sequence[OcrLine]) -> bool:
    """Whether the loop passes above and below what it encloses: it stands LOOP_CLEARS times as high as the
    other ink inside it (the words it rings; none inside: no loop round words) and as the glyphs of the
    row's lines it does not touch (a character's own outline is no taller than its neighbours)."""
    tall_px, wide_px = strip.pen.shape
    ys, xs = np.mgrid[0:tall_px, 0:wide_px]
    inside = loop.inside(xs + strip.x0, ys + strip.y0, 0.9)
    words = (strip.pen > 0) & (strip.labels != label) & inside
    if words.sum() < 10:
        return False
    glyphs = [_ink_rows(strip, words)]
    for line in row:
        if _share_inside(loop, _core(line)) > 0:
            continue
        x0, y0, x1, y1 = (round(v) for v in line.bbox)
        part = (strip.pen > 0) & (strip.labels != label)
        box = part[max(0, y0 - strip.y0) : max(0, y1 - strip.y0), max(0, x0 - strip.x0) : max(0, x1 - strip.x0)]
        if box.size:
            glyphs.append(_ink_rows(strip, box))
    return loop.box[3] - loop.box[1] >= LOOP_CLEARS * max(glyphs)


def _loop_within(
    image: np.ndarray, loop: Loop, line: OcrLine, row: Sequence[OcrLine], columns: Callable[[OcrLine], list[Column]]
) -> tuple[OcrLine, int] | None:
    """A loop round a run of one line's characters (the options of a row read as one line): the line and
    the index of the run's first character, by the recogniser's columns (each character's middle inside the
    loop at the line's middle height); None unless the run is of Han characters only, is not the whole line
    and leaves other words on the row (OTHER_WORDS), and the columns spell the line."""
    found = columns(line)
    chars: list[tuple[str, float | None]] = [(char, None) for char in line.text]
    at = _aligned(chars, found)
    if at is None or not found:
        return None
    left, middle = max(0, round(line.bbox[0])), (line.bbox[1] + line.bbox[3]) / 2
    centres = np.array([left + (c.left + c.right) / 2 for c in found], dtype=np.float64)
    inside = loop.inside(centres, np.full(centres.shape, middle))
    run = [i for i, flag in zip(at, inside, strict=True) if flag and i is not None]
    if not run or len(run) != int(inside.sum()) or run != list(range(run[0], run[-1] + 1)):
        return None
    text = line.text
    outside = text[: run[0]] + text[run[-1] + 1 :] + "".join(other.text for other in row if other is not line)
    if not all(HAN_CHAR.match(text[i]) for i in run) or not HAN_CHAR.search(outside):
        return None
    if len(HAN_CHAR.findall(outside)) < OTHER_WORDS:
        return None
    return line, run[0]


def _tick_choice(
    strip: _Strip, row: Sequence[OcrLine], height: float, lines: Sequence[OcrLine]
) -> tuple[OcrLine, int] | None:
    """The option a free tick stands beside: exactly one tick on the row (`_tick`), outside every line's box,
    nearest one line of words within CARRY_REACH line heights and TICK_NEARER times nearer it than any
    other; the line and where the tick is written (0 before its text, its length after it)."""
    small, large = (share * height for share in TICK_SIZE)
    ticks = [
        label
        for label in _sized_strokes(strip, small, large, TICK_WIDE[0], TICK_INK)
        if _tick(strip, label, height, lines)
    ]
    if len(ticks) != 1:
        return None
    left, top, width, tall, _ = (int(v) for v in strip.stats[ticks[0]])
    x0, x1 = strip.x0 + left, strip.x0 + left + width
    middle = strip.y0 + top + tall / 2
    level = [line for line in row if line.bbox[1] <= middle <= line.bbox[3]]
    gaps = sorted(
        ((max(x0 - line.bbox[2], line.bbox[0] - x1), k) for k, line in enumerate(level)), key=lambda pair: pair[0]
    )
    if not gaps or gaps[0][0] < 0 or gaps[0][0] > CARRY_REACH * height:
        return None
    if len(gaps) > 1 and gaps[1][0] < TICK_NEARER * gaps[0][0] + 0.2 * height:
        return None
    line = level[gaps[0][1]]
    others = "".join(other.text for other in row if other is not line)
    if not _words_only(line.text) or len(HAN_CHAR.findall(others)) < OTHER_WORDS:
        return None
    return line, (len(line.text) if x0 >= line.bbox[2] else 0)


def _tick(strip: _Strip, label: int, height: float, lines: Sequence[OcrLine]) -> bool:
    """Whether the stroke `label` is a free tick (✓ √): about the text's size (TICK_SIZE, TICK_WIDE), thin
    (TICK_INK), without a hole, its lowest point in the left part of its width (TICK_LOW), its right end
    rising to its top while its left end starts lower, its arms straight from the lowest point to either
    end (TICK_STRAIGHT: a digit's or a letter's curve, 6 or J, runs elsewhere), and mostly outside every
    line the detector found (TICK_OUTSIDE: what it found, a digit of a table's first column, is text)."""
    left, top, width, tall, area = (int(v) for v in strip.stats[label])
    if not TICK_SIZE[0] * height <= tall <= TICK_SIZE[1] * height or not TICK_WIDE[0] <= width / tall <= TICK_WIDE[1]:
        return False
    if area > TICK_INK * width * tall:
        return False
    mask = (strip.labels[top : top + tall, left : left + width] == label).astype(np.uint8)
    _, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is not None and (hierarchy[0][:, 3] >= 0).any():
        return False
    ys, xs = np.nonzero(mask)
    low = xs[ys >= ys.max() - max(1, round(0.1 * tall))].mean() / width
    edge = max(1, round(0.2 * width))
    right_top = ys[xs >= width - edge].min() / tall
    left_top = ys[xs < edge].min() / tall
    if not TICK_LOW[0] <= low <= TICK_LOW[1] or right_top > 0.3 or left_top < 0.2:
        return False
    bottom = (low * width, float(ys.max()))
    right_end = (float(xs[xs >= width - edge][np.argmin(ys[xs >= width - edge])]), right_top * tall)
    left_end = (float(xs[xs < edge][np.argmin(ys[xs < edge])]), left_top * tall)
    near = max(1, round(0.1 * tall))
    reach = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * near + 1, 2 * near + 1)))
    if any(_along(reach, bottom, end) < TICK_STRAIGHT for end in (right_end, left_end)):
        return False
    outside = np.ones(mask.shape, bool)
    for line in lines:
        x0, y0, x1, y1 = (round(v) - o for v, o in zip(line.bbox, (strip.x0 + left, strip.y0 + top) * 2, strict=True))
        outside[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)] = False
    return float(outside[mask > 0].mean()) >= TICK_OUTSIDE


def _along(ink: np.ndarray, start: tuple[float, float], end: tuple[float, float]) -> float:
    """The share of points on the straight segment from `start` to `end` (x, y) that fall on ink."""
    t = np.linspace(0.0, 1.0, 16)
    xs = np.clip(np.round(start[0] + t * (end[0] - start[0])).astype(int), 0, ink.shape[1] - 1)
    ys = np.clip(np.round(start[1] + t * (end[1] - start[1])).astype(int), 0, ink.shape[0] - 1)
    return float((ink[ys, xs] > 0).mean())


def _rewritten_text(line: OcrLine, index: int, sign: str) -> OcrLine:
    """The line with `sign` written in before its character at `index` (after its text at its length)."""
    confidences = line.char_confidences or []
    known = len(confidences) == len(line.text)
    chars: list[tuple[str, float | None]] = [(c, confidences[i] if known else None) for i, c in enumerate(line.text)]
    chars.insert(index, (sign, None))
    return _rewritten(line, chars)
