"""Raw page → read `Page`: text layer when the PDF has one, else preprocessing, quality gate, OCR.

Boxes are always returned in the original page image's coordinates, so a reviewer's box lands
on the stored page image whatever rotation, deskew or perspective correction was applied.
"""

from __future__ import annotations

import numpy as np

from intake.models import OcrLine, Page, Quality
from ocr.engine import OcrEngine
from ocr.loader import RawPage
from ocr.preprocess import PreprocessSettings, assess_quality, prepare


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
    if not quality.ok:
        return page
    prepared = prepare(raw.image, settings)
    # Once the whole page is upright, the per-line 180° classifier only costs time.
    lines = engine.read(prepared.image, use_cls=False)
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
