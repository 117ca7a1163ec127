"""The text of a red seal: the ring text along its upper arc (the unit's name: 杭州市第一人民医院) and
its horizontal centre line (收费专用章, 业务专用章), read with the page's OCR engine.

Only seal ink is kept, black on white. The seal's ellipse is mapped to a circle, the ring band is
unwrapped with a polar warp (angle → x, radius → y, outward up) so its characters stand in a row,
and the band and the centre line are read together in one engine call. The seal's own rotation (a
page turned 90°, a stamp pressed askew) comes from the seal: where its ring text lies, refined by
its star's points. A rectangular stamp (与原件核对无误) has straight lines and is read as it is.

A ring is *sure* only when all of it was read and every character at `SURE_CHARACTER` or above: a ring
reads worse than print (curved, pressed unevenly, crossed by print), and an unsure ring compared with the
invoice's payee turned a misread seal character into a "payee differs from its seal" alarm on complete
cases (issue 28). Only a sure ring is kept for comparing (`SealReading.checked_text`).
"""

from __future__ import annotations

import math
import re

import cv2
import numpy as np

from intake.models import BBox, OcrLine, SealReading
from ocr.base import OcrEngine

RADIUS = 160  # px: the seal's outer radius once normalised; ring characters come out ~50 px tall
MARGIN = 0.12  # of the box's size: ink may reach past the detector's box
MIN_REDNESS = 30  # R − max(G, B) from which a red-hued pixel is seal ink
SOLID = 0.6  # share of the seal's typical redness from which a pixel counts as full ink
HIDDEN_MAX_VALUE = 120  # HSV value below which a pixel is black print that may hide seal ink
RECTANGLE_FILL = 0.9  # blob area / its rotated bounding box: above, a rectangular stamp
# Radii as shares of the outer radius. Ring text lies between the ring (0.92–1.0) and the star
# (up to 0.3); the centre line below the star.
RING_BAND = (0.55, 0.93)
ORIENT_BAND = (0.68, 0.9)  # the outer part of the ring text, mostly clear of the centre line's ends
STAR_BAND = (0.1, 0.3)
STAR_MIN_HARMONIC = 0.12  # fifth-harmonic share of the star band's ink from which there is a star
MAX_HALF_SPAN = 150  # degrees either side of the top that ring text may reach
EMPTY_RUN = 14  # degrees without ink that end the ring text (gaps between characters are narrower)
CENTRE_BOX = (-0.68, 0.3, 0.68, 0.78)  # x0, y0, x1, y1 from the centre, y down, seal upright
CENTRE_RADIUS = 0.86  # ink further out is the ring or the ring text's ends
CENTRE_ZOOM = 1.5  # centre characters are about two thirds the height of ring characters
MIN_CONFIDENCE = 0.5
# Ring characters read at or above this are sure. Curved, inked-over ring text misreads one character
# without lowering the ring's mean, so the least sure character decides; a ring below it makes the payee
# comparison unknown, never failed.
SURE_CHARACTER = 0.85
MIN_CODE_LENGTH = 6  # a line without Chinese is kept only as long as a registration number
NOT_TEXT = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]")
HAS_CHINESE = re.compile(r"[\u3400-\u9fff]")
LOOSE_ENDS = re.compile(r"^[0-9A-Za-z]+|[0-9A-Za-z]+$")


def read_seal_text(image: np.ndarray, box: BBox, engine: OcrEngine) -> str:
    """The ring text, then the centre text, of the seal in `box` (page pixels), space-separated;
    '' when nothing legible is found."""
    return read_seal(image, box, engine).text


def _sure(lines: list[OcrLine]) -> bool:
    """Every line read at MIN_CONFIDENCE or above, and every character of it at SURE_CHARACTER or above
    (the line's mean where the engine gives no characters' own)."""
    return all(
        line.confidence >= MIN_CONFIDENCE and min(line.char_confidences or [line.confidence]) >= SURE_CHARACTER
        for line in lines
    )


def read_seal(image: np.ndarray, box: BBox, engine: OcrEngine) -> SealReading:
    """The ring and centre text of the seal in `box` (page pixels), and whether the ring is sure; empty
    when nothing legible is found. A rectangular stamp's lines are its centre (it has no ring)."""
    found = _seal_ink(image, box)
    if found is None:
        return SealReading()
    ink, filled, rectangular = found
    if rectangular:
        lines = engine.read(cv2.cvtColor(filled, cv2.COLOR_GRAY2BGR), use_cls=True)
        return SealReading(
            centre=" ".join(t for t in (_clean(line.text) for line in lines if line.confidence >= MIN_CONFIDENCE) if t)
        )
    top = _top_angle(ink)
    ring = _unwrap_ring(ink, top)
    centre = _centre_line(filled, top)
    gap = 24  # white between the strips keeps the detector from joining their lines
    centre_top = 2 * gap + ring.shape[0]
    sheet = np.full((centre_top + centre.shape[0] + gap, max(ring.shape[1], centre.shape[1]) + 2 * gap), 255, np.uint8)
    sheet[gap : gap + ring.shape[0], gap : gap + ring.shape[1]] = ring
    sheet[centre_top : centre_top + centre.shape[0], gap : gap + centre.shape[1]] = centre
    parts: dict[bool, list[tuple[float, str]]] = {True: [], False: []}
    ring_lines = []
    for line in engine.read(cv2.cvtColor(sheet, cv2.COLOR_GRAY2BGR), use_cls=False):
        text = _clean(line.text)
        x0, y0, _, y1 = line.bbox
        in_ring = (y0 + y1) / 2 < centre_top
        if in_ring and text:
            ring_lines.append(line)
        if line.confidence >= MIN_CONFIDENCE and text:
            parts[in_ring].append((x0, text))
    ring_text, centre_text = ("".join(text for _, text in sorted(parts[in_ring])) for in_ring in (True, False))
    return SealReading(ring=ring_text, centre=centre_text, ring_sure=_sure(ring_lines))


def _clean(text: str) -> str:
    """Chinese, digits and letters only; stray letters glued to Chinese (the ends of other lines cut
    by the reading window) and short lines without Chinese are noise."""
    text = NOT_TEXT.sub("", text)
    if HAS_CHINESE.search(text):
        return LOOSE_ENDS.sub("", text)
    return text if len(text) >= MIN_CODE_LENGTH else ""


def _seal_ink(image: np.ndarray, box: BBox) -> tuple[np.ndarray, np.ndarray, bool] | None:
    """Seal ink as dark grey on white, once as found and once with the ink under black print filled
    in, and whether the stamp is rectangular. A round or oval seal's ellipse is mapped to a circle of
    RADIUS at the centre; a rectangular stamp's crop is kept as it is."""
    if image.ndim != 3:
        return None
    x0, y0, x1, y1 = box
    pad = MARGIN * max(x1 - x0, y1 - y0)
    height, width = image.shape[:2]
    crop = image[
        max(0, int(y0 - pad)) : min(height, int(y1 + pad) + 1), max(0, int(x0 - pad)) : min(width, int(x1 + pad) + 1)
    ]
    if crop.size == 0:
        return None
    b, g, r = (channel.astype(np.int16) for channel in cv2.split(crop))
    hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
    red_hue = (hsv[..., 0] <= 12) | (hsv[..., 0] >= 160)
    redness = np.where(red_hue, r - np.maximum(g, b), 0).astype(np.float32)
    mask = (redness > MIN_REDNESS).astype(np.uint8) * 255
    if not mask.any():
        return None
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (max(3, max(crop.shape[:2]) // 40),) * 2)
    joined = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=cv2.contourArea)
    if len(outline) < 5:
        return None
    # Pale, speckled stamp ink is full ink from a little over half the seal's typical redness.
    strong = float(np.percentile(redness[mask > 0], 90))
    level = np.clip((redness - MIN_REDNESS / 2) / max(SOLID * strong - MIN_REDNESS / 2, 1.0), 0, 1)
    ink = (255 - level * 255).astype(np.uint8)
    # Black print over a seal hides the ink under it: fill those pixels from the ink around them. That
    # helps the centre line, which a date or a signature often crosses, but invents strokes in the
    # denser ring text, which is read as found.
    hidden = ((hsv[..., 2] < HIDDEN_MAX_VALUE) & (redness <= MIN_REDNESS)).astype(np.uint8) * 255
    filled = cv2.inpaint(ink, cv2.dilate(hidden, np.ones((3, 3), np.uint8)), 2, cv2.INPAINT_TELEA)
    (_, _), (rect_w, rect_h), _ = cv2.minAreaRect(outline)
    if cv2.contourArea(outline) > RECTANGLE_FILL * rect_w * rect_h:
        return ink, filled, True
    (cx, cy), (a, b_axis), angle = cv2.fitEllipse(outline)
    if min(a, b_axis) < 8:
        return None
    theta = math.radians(angle)
    turn = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    linear = turn @ np.diag([2 * RADIUS / a, 2 * RADIUS / b_axis]) @ turn.T
    size = 2 * RADIUS + 8
    matrix = np.hstack([linear, (np.array([size / 2, size / 2]) - linear @ np.array([cx, cy]))[:, None]])
    ink, filled = (
        cv2.warpAffine(picture, matrix, (size, size), flags=cv2.INTER_LINEAR, borderValue=255)
        for picture in (ink, filled)
    )
    return ink, filled, False


def _polar(ink: np.ndarray, angle_px: int) -> np.ndarray:
    """Ink strength with rows = angle (0° = east, turning clockwise on the page), columns = radius."""
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)
    return cv2.warpPolar(255 - ink, (RADIUS, angle_px), centre, RADIUS, cv2.WARP_POLAR_LINEAR | cv2.INTER_LINEAR)


def _profile(polar: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    r0, r1 = (int(f * RADIUS) for f in band)
    return np.asarray(polar[:, r0:r1].astype(np.float32).sum(axis=1))


def _top_angle(ink: np.ndarray) -> float:
    """Where the seal's top points, in degrees (270 = page up). Roughly: the mean direction of the
    ring text's ink, which is symmetric about the top and outweighs the centre line in the outer
    band. Exactly, where the seal has a star: the star's point nearest to that direction."""
    polar = _polar(ink, 360)
    angles = np.radians(np.arange(360))
    ring = _profile(polar, ORIENT_BAND)
    x, y = float((ring * np.cos(angles)).sum()), float((ring * np.sin(angles)).sum())
    if math.hypot(x, y) < 1e-6 * max(float(ring.sum()), 1.0):
        return 270.0
    rough = math.degrees(math.atan2(y, x)) % 360
    star = _profile(polar, STAR_BAND)
    fifth = complex(float((star * np.cos(5 * angles)).sum()), float((star * np.sin(5 * angles)).sum()))
    if abs(fifth) < STAR_MIN_HARMONIC * max(float(star.sum()), 1.0):
        return rough
    # The five points lie at phase / 5 + k · 72°: the top is the one within 36° of the rough top.
    point = (math.degrees(math.atan2(fifth.imag, fifth.real)) / 5) % 72
    return (point + 72 * round((rough - point) / 72)) % 360


def _half_span(ink: np.ndarray, top: float) -> float:
    """How far either side of the top the ring text reaches, plus half a character."""
    profile = _profile(_polar(ink, 360), RING_BAND)
    inked = profile > 0.04 * float(np.percentile(profile, 90))
    reach = []
    for step in (-1, 1):
        last_ink, offset = 0, 0
        while offset <= MAX_HALF_SPAN and offset - last_ink < EMPTY_RUN:
            if inked[round(top + step * offset) % 360]:
                last_ink = offset
            offset += 1
        reach.append(last_ink)
    return min(MAX_HALF_SPAN, max(reach) + 10)


def _unwrap_ring(ink: np.ndarray, top: float) -> np.ndarray:
    """The ring band from west through the top to east of the seal, outward up, as dark ink on white."""
    per_degree = 2 * math.pi * sum(RING_BAND) / 2 * RADIUS / 360  # square characters mid-band
    polar = _polar(ink, round(360 * per_degree))
    r0, r1 = (int(f * RADIUS) for f in RING_BAND)
    band = np.vstack([polar, polar])[:, r0:r1]  # twice round: the window may run past 0°
    half = _half_span(ink, top)
    start = round(((top - half) % 360) * per_degree)
    window = band[start : start + round(2 * half * per_degree)]
    return np.asarray(255 - np.flipud(window.T), np.uint8)


def _centre_line(ink: np.ndarray, top: float) -> np.ndarray:
    """Below the star, with the seal turned upright and the ring blanked, enlarged to the ring
    text's size: where 收费专用章 and the like are printed."""
    size = ink.shape[0]
    turn = cv2.getRotationMatrix2D((size / 2, size / 2), top - 270, 1.0)
    upright = cv2.warpAffine(ink, turn, (size, size), flags=cv2.INTER_LINEAR, borderValue=255)
    yy, xx = np.ogrid[:size, :size]
    upright[(xx - size / 2) ** 2 + (yy - size / 2) ** 2 > (CENTRE_RADIUS * RADIUS) ** 2] = 255
    x0, y0, x1, y1 = (round(size / 2 + f * RADIUS) for f in CENTRE_BOX)
    zoomed = cv2.resize(upright[y0:y1, x0:x1], None, fx=CENTRE_ZOOM, fy=CENTRE_ZOOM, interpolation=cv2.INTER_CUBIC)
    return np.asarray(zoomed, np.uint8)
