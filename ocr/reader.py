"""Raw page → read `Page`: text layer when the PDF has one, else preprocessing, quality gate, OCR.

Boxes are always returned in the original page image's coordinates, so a reviewer's box lands
on the stored page image whatever rotation, deskew or perspective correction was applied.
"""

from __future__ import annotations

import numpy as np

from intake.models import OcrLine, Page, Quality
from intake.reasons import Code
from intake.settings import PreprocessSettings
from ocr.engine import OcrEngine
from ocr.loader import RawPage
from ocr.preprocess import assess_quality, prepare, upside_down_share

# Reading these would give garbage; a page cut off at an edge is still read, and flagged.
# A page read at a mean confidence below this is tried again turned round; upright pages read at 0.95+
# (generated and real), an upside-down card at 0.68.
POOR_READING = 0.85
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
    page.lines = [_to_original(line, prepared.to_original) for line in lines]
    page.upright_matrix = prepared.matrix.tolist()
    page.rotation = prepared.rotation
    page.skew = round(prepared.skew, 2)
    return page


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
