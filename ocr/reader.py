"""Raw page → read `Page`: text layer when the PDF has one, else preprocessing, quality gate, OCR.

Boxes are always returned in the original page image's coordinates, so a reviewer's box lands
on the stored page image whatever rotation, deskew or perspective correction was applied.
"""

from __future__ import annotations

import numpy as np

from intake.models import BBox, OcrLine, Page, Quality
from intake.reasons import Code
from intake.settings import PreprocessSettings
from ocr.engine import OcrEngine, sort_reading_order
from ocr.loader import RawPage
from ocr.preprocess import assess_quality, prepare, upside_down_share

# Reading these would give garbage; a page cut off at an edge is still read, and flagged.
# A page read at a mean confidence below this is tried again turned round; upright pages read at 0.95+
# (generated and real), an upside-down card at 0.68.
POOR_READING = 0.85
# A label's value starts within this many line heights of its colon; the strip looked at again for a
# missing value runs this many line heights to the right (or to the next line), and a fifth of a line
# height above and below it.
LABEL_ENDS = ("：", ":")
VALUE_GAP = 3.0
STRIP_LENGTH = 12.0
STRIP_MARGIN = 0.2
BLOCKING = {Code.image_blurred, Code.image_too_dark, Code.image_overexposed, Code.image_too_small}


def blocking(quality: Quality | None) -> list[Code]:
    return [Code(i) for i in quality.issues if Code(i) in BLOCKING] if quality else []


def read_page(raw: RawPage, source: str, engine: OcrEngine, settings: PreprocessSettings) -> Page:
    height, width = raw.image.shape[:2]
    if raw.has_text_layer:
        # Born-digital: the text layer is exact; OCR would only add errors and time.
        return Page(
            source=source,
            page=raw.page,
            width=width,
            height=height,
            lines=raw.text_lines,
            text_layer=True,
            quality=Quality(short_side_px=min(width, height)),
        )
    quality = assess_quality(raw.image, settings)
    page = Page(source=source, page=raw.page, width=width, height=height, quality=quality)
    if blocking(quality):
        return page
    prepared = prepare(raw.image, settings, quality)
    # Once the whole page is known to be upright, the per-line 180° classifier only costs time;
    # when the page's direction could not be told (few text lines: cards), it decides per line.
    unsure = prepared.rotation_confidence < 0.3
    lines = engine.read(prepared.image, use_cls=unsure, find_lines_on=prepared.find_lines_on)
    if _sideways(lines):
        # Most lines stand upright: the page lies on its side after all (cards, sparse pages).
        prepared = prepared.turned(90)
        unsure = True
        lines = engine.read(prepared.image, use_cls=True, find_lines_on=prepared.find_lines_on)
    if not unsure and _reading_confidence(lines) < POOR_READING:
        # The page direction was guessed wrong (a card's background pattern misled it): upside down,
        # text reads as garbage at low confidence. Read it turned round and keep the better reading.
        turned = prepared.turned(180)
        again = engine.read(turned.image, use_cls=True, find_lines_on=turned.find_lines_on)
        if _reading_confidence(again) > _reading_confidence(lines):
            prepared, lines, unsure = turned, again, True
    boxes = [_box(line) for line in lines]
    if unsure and lines and upside_down_share(prepared.image, boxes, settings.cls_threads) > 0.5:
        # The lines read right (the per-line classifier turned each) but the page lies upside down:
        # turn it, so that layout (right of, below) holds, and read again without the line classifier.
        prepared = prepared.turned(180)
        lines = engine.read(prepared.image, use_cls=False, find_lines_on=prepared.find_lines_on)
    lines = sort_reading_order(lines + _values_looked_for(prepared.image, lines, engine))
    page.lines = [_to_original(line, prepared.to_original) for line in lines]
    page.upright_matrix = prepared.matrix.tolist()
    page.rotation = prepared.rotation
    page.skew = round(prepared.skew, 2)
    return page


def _values_looked_for(image: np.ndarray, lines: list[OcrLine], engine: OcrEngine) -> list[OcrLine]:
    """Lines found by looking again, alone, at the strip right of a label that ends in a colon and has no
    line after it. The detector drops a value whose line a seal's ring crosses, joined to the ring into a
    blob it does not take for text (a grey-scanned list's total, tuning set); in a strip one line high
    only arcs of the ring are left. Lines found there that overlap no line already read are added."""
    found: list[OcrLine] = []
    for label in lines:
        x0, y0, x1, y1 = label.bbox
        height = y1 - y0
        if not label.text.rstrip().endswith(LABEL_ENDS) or len(label.text.strip()) < 3 or x1 - x0 < height:
            continue  # a label runs along its line, not a character on its own or a line turned on its side
        after = [
            line.bbox[0]
            for line in lines
            if line is not label and line.bbox[0] >= x1 - height and _same_row(line.bbox, label.bbox)
        ]
        if after and min(after) < x1 + VALUE_GAP * height:
            continue  # its value was read
        top, bottom = max(0, round(y0 - STRIP_MARGIN * height)), min(image.shape[0], round(y1 + STRIP_MARGIN * height))
        left, right = round(x1), min(image.shape[1], round(min([x1 + STRIP_LENGTH * height, *after])))
        if right - left < height:
            continue
        for line in engine.read(np.ascontiguousarray(image[top:bottom, left:right]), use_cls=False):
            moved = line.model_copy(update={"polygon": [(x + left, y + top) for x, y in line.polygon]})
            if moved.bbox[0] < x1 + VALUE_GAP * height and not any(_overlap(moved.bbox, o.bbox) for o in lines):
                found.append(moved)
    return found


def _same_row(a: BBox, b: BBox) -> bool:
    return min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _overlap(a: BBox, b: BBox) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _reading_confidence(lines: list[OcrLine]) -> float:
    """Mean confidence per character: how well the page read (0 with nothing read)."""
    chars = sum(len(ln.text) for ln in lines)
    return sum(ln.confidence * len(ln.text) for ln in lines) / chars if chars else 0.0


def _sideways(lines: list[OcrLine]) -> bool:
    """True when most lines of three or more characters are taller than wide."""
    long = [ln for ln in lines if len(ln.text.strip()) >= 3]
    tall = sum(1 for ln in long if (ln.bbox[3] - ln.bbox[1]) > (ln.bbox[2] - ln.bbox[0]))
    return bool(long) and tall > len(long) / 2


def _box(line: OcrLine) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = line.bbox
    return int(x0), int(y0), int(x1 - x0), int(y1 - y0)


def _to_original(line: OcrLine, transform: object) -> OcrLine:
    points = np.asarray(line.polygon, dtype=np.float64)
    mapped = transform(points)  # type: ignore[operator]
    return line.model_copy(update={"polygon": [(round(float(x), 1), round(float(y), 1)) for x, y in mapped]})
