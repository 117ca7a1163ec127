"""Red seals (公章, 医院收费专用章): HSV colour segmentation, then shape: round or oval blobs of
seal size whose ellipse the red ink fills, not red titles or table rules, and whose ink is a ring with
text, not a solid disc (the national emblem printed on an ID card's back)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from classifiers.image_rules import ImageRules
from intake.models import BBox
from ocr.preprocess import red_mask


@dataclass(frozen=True)
class Seal:
    box: BBox
    shape: str  # "round" | "oval"
    confidence: float


def detect_seals(img: np.ndarray, rules: ImageRules) -> list[Seal]:
    if img.ndim != 3:
        return []
    r = rules.seal
    scale = min(1.0, r.work_side / max(img.shape[:2]))
    small = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else img
    mask = red_mask(small)
    long_side = max(small.shape[:2])
    # Join a seal's ring, star and arc text into one blob.
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (max(3, long_side // 120),) * 2)
    joined = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    seals: list[Seal] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        size = max(w, h) / long_side
        aspect = max(w, h) / max(1, min(w, h))
        if not r.min_size <= size <= r.max_size or aspect > r.max_aspect or len(contour) < 5:
            continue
        (_, _), (a, b), _ = cv2.fitEllipse(contour)
        ellipse_area = np.pi * a * b / 4
        fill = cv2.contourArea(contour) / max(ellipse_area, 1.0)
        red = float((mask[y : y + h, x : x + w] > 0).mean())
        if fill < r.min_fill or not r.min_red_fraction <= red <= r.max_red_fraction:
            continue
        confidence = min(1.0, 0.5 + 0.5 * min(fill, 1.0) * min(red / (3 * r.min_red_fraction), 1.0))
        seals.append(
            Seal(
                box=(x / scale, y / scale, (x + w) / scale, (y + h) / scale),
                shape="round" if aspect < 1.2 else "oval",
                confidence=round(confidence, 3),
            )
        )
    return seals
