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
from ocr.preprocess import assess_quality, prepare

# Reading these would give garbage; a page cut off at an edge is still read, and flagged.
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
    prepared = prepare(raw.image, settings)
    # Once the whole page is known to be upright, the per-line 180° classifier only costs time;
    # when the page's direction could not be told (few text lines: cards), it decides per line.
    lines = engine.read(prepared.image, use_cls=prepared.rotation_confidence < 0.3)
    page.lines = [_to_original(line, prepared.to_original) for line in lines]
    page.rotation = prepared.rotation
    page.skew = round(prepared.skew, 2)
    return page


def _to_original(line: OcrLine, transform: object) -> OcrLine:
    points = np.asarray(line.polygon, dtype=np.float64)
    mapped = transform(points)  # type: ignore[operator]
    return OcrLine(
        text=line.text,
        confidence=line.confidence,
        polygon=[(round(float(x), 1), round(float(y), 1)) for x, y in mapped],
    )
