"""Red seals (公章, 医院收费专用章): colour segmentation, then shape: round or oval blobs of seal size whose
ellipse the red ink fills, not red titles or table rules, and whose ink is a ring with text, not a solid
disc (the national emblem printed on an ID card's back).

Before the red ink is joined into blobs, long thin straight runs of it are taken out (`without_rules`):
the frame and cell rules of a form printed in red, which a seal pressed across them would otherwise join
into one blob spanning the page. A ring has no straight run that long. A seal pressed partly off the page
is a blob cut by the page's edge: it is judged by the circle its uncut outline lies on (`_cut_seal`).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from classifiers.image_rules import ImageRules, SealRules
from intake.models import BBox
from ocr.preprocess import red_mask


@dataclass(frozen=True)
class Seal:
    box: BBox
    shape: str  # "round" | "oval" | "cut" (pressed partly off the page)
    confidence: float


def without_rules(mask: np.ndarray, min_run: int, thickness: int) -> np.ndarray:
    """`mask` without its thin straight horizontal and vertical runs at least `min_run` pixels long: the
    ruling of a form printed in red. A seal's ring is curved: its longest straight run (a chord of the
    ring's band) is far shorter than a form's frame or cell rules. Only runs thinner than `thickness` go:
    a solid red area (a red cloth under a photographed card, a red banner) has long runs too, but is an
    area, and cut into pieces it would leave seal-sized fragments."""
    min_run, thickness = min_run | 1, thickness | 1  # odd kernels: an even one shifts the opening a pixel
    out = mask
    for run, band in (((min_run, 1), (min_run, thickness)), ((1, min_run), (thickness, min_run))):
        lines = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, run))
        areas = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, band))
        out = cv2.subtract(out, cv2.subtract(lines, areas))
    return np.asarray(out)


def _touches_edge(x: int, y: int, w: int, h: int, shape: tuple[int, ...]) -> bool:
    return x <= 1 or y <= 1 or x + w >= shape[1] - 1 or y + h >= shape[0] - 1


def _cut_seal(contour: np.ndarray, shape: tuple[int, ...], r: SealRules) -> tuple[float, float, float] | None:
    """A blob cut by the page's edge as a seal pressed partly off the page: the circle (cx, cy, radius) its
    outline lies on where the edge did not cut it, when that circle is of seal size, the uncut outline
    hugs it (a ring's edge, not ragged print) and at least `min_cut_visible` of its area is on the page."""
    h, w = shape[:2]
    points = contour.reshape(-1, 2).astype(np.float64)
    inside = points[(points[:, 0] > 1) & (points[:, 1] > 1) & (points[:, 0] < w - 2) & (points[:, 1] < h - 2)]
    if len(inside) < 12:
        return None
    # Algebraic circle fit (Kåsa): x² + y² = 2·cx·x + 2·cy·y + c.
    a = np.column_stack([2 * inside[:, 0], 2 * inside[:, 1], np.ones(len(inside))])
    (cx, cy, c), *_ = np.linalg.lstsq(a, (inside**2).sum(axis=1), rcond=None)
    radius = float(np.sqrt(max(c + cx * cx + cy * cy, 0.0)))
    long_side = max(h, w)
    if not r.min_size <= 2 * radius / long_side <= r.max_size:
        return None
    spread = np.abs(np.hypot(inside[:, 0] - cx, inside[:, 1] - cy) - radius)
    if float(np.median(spread)) > r.max_cut_spread * radius:
        return None
    disc = np.zeros((h, w), np.uint8)
    cv2.circle(disc, (round(cx), round(cy)), round(radius), 255, -1)
    visible = float((disc > 0).sum()) / (np.pi * radius * radius)
    if visible < r.min_cut_visible:
        return None
    # The uncut outline must go round most of the visible part: a straight-edged blob is not a ring.
    angles = np.degrees(np.arctan2(inside[:, 1] - cy, inside[:, 0] - cx)).astype(int) % 360
    if len(np.unique(angles // 10)) < r.min_cut_arc / 10:
        return None
    return float(cx), float(cy), radius


def detect_seals(img: np.ndarray, rules: ImageRules) -> list[Seal]:
    if img.ndim != 3:
        return []
    r = rules.seal
    scale = min(1.0, r.work_side / max(img.shape[:2]))
    small = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else img
    long_side = max(small.shape[:2])
    mask = red_mask(small)
    # Join a seal's ring, star and arc text into one blob.
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (max(3, long_side // 120),) * 2)
    joined = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if any(max(cv2.boundingRect(c)[2:]) > r.max_size * long_side for c in contours):
        # Red ink joined into a blob larger than any seal: a form printed in red, whose rules may have
        # swallowed a seal pressed across them. Only then are the rules taken out and the ink joined again.
        mask = without_rules(
            mask, max(8, round(r.rule_min_length * long_side)), max(3, round(r.rule_max_thickness * long_side))
        )
        joined = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
        contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    seals: list[Seal] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if max(w, h) < r.min_size * long_side * r.min_cut_visible or len(contour) < 5:
            continue
        red = float((mask[y : y + h, x : x + w] > 0).mean())
        if _touches_edge(x, y, w, h, small.shape):
            cut = _cut_seal(contour, small.shape, r)
            if cut is not None and r.min_red_fraction <= red <= r.max_red_fraction:
                cx, cy, radius = cut
                x0, y0 = max(0.0, cx - radius), max(0.0, cy - radius)
                x1, y1 = min(float(small.shape[1]), cx + radius), min(float(small.shape[0]), cy + radius)
                seals.append(Seal(box=(x0 / scale, y0 / scale, x1 / scale, y1 / scale), shape="cut", confidence=0.6))
                continue
        size = max(w, h) / long_side
        aspect = max(w, h) / max(1, min(w, h))
        if not r.min_size <= size <= r.max_size or aspect > r.max_aspect:
            continue
        (_, _), (a, b), _ = cv2.fitEllipse(contour)
        ellipse_area = np.pi * a * b / 4
        fill = cv2.contourArea(contour) / max(ellipse_area, 1.0)
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
    return _one_per_stamp(seals)


def _area(box: BBox) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _one_per_stamp(seals: list[Seal]) -> list[Seal]:
    """One seal per stamp: a blob whose centre lies inside a larger seal's box is a piece of that seal (its
    star and lettering, split from a ring that a rule or the page's edge broke), not a second seal."""
    kept: list[Seal] = []
    for seal in sorted(seals, key=lambda s: -_area(s.box)):
        cx, cy = (seal.box[0] + seal.box[2]) / 2, (seal.box[1] + seal.box[3]) / 2
        if not any(k.box[0] <= cx <= k.box[2] and k.box[1] <= cy <= k.box[3] for k in kept):
            kept.append(seal)
    return kept
