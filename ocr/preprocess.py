"""OpenCV preprocessing before OCR: quality gate, perspective, page orientation, deskew, lighting,
red-seal suppression. Every geometric step is a 3×3 matrix, so boxes read on the prepared image
map back to the original (`Prepared.to_original`).

Estimation runs on a copy scaled to `work_side` px; only the final warp touches full resolution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

import cv2
import numpy as np
import onnxruntime as ort

from intake.models import Quality
from intake.reasons import Code
from intake.settings import PreprocessSettings
from ocr.models import MODEL_FILES, model_dir
from ocr.stages import stage

SQRT2 = 2**0.5

# Ink: an adaptive threshold over this neighbourhood (px at work size), this much darker than its mean;
# 15 finds faint photocopied text, cards' light background patterns need more (`contrast`).
INK_BLOCK = 31
INK_CONTRAST = 15
# The inked part of a page is measured on a copy this many times smaller (a 4 px mark still shows) and
# grown by this margin (px), so the detector sees each line's edge on paper.
INK_EXTENT_FACTOR = 4
INK_EXTENT_MARGIN = 32
# Paper is the 90th percentile of grey, ink the darkest 0.05 % (quality gate) or 0.5 % (grey seals: a
# seal's own grey must not count as the page's ink).
PAPER_PERCENTILE = 90
# The brightest part of the frame: lit paper, wherever on the frame it lies, covers more than 1 % of it.
HIGHLIGHT_PERCENTILE = 99
INK_PERCENTILE = 0.05
SEAL_PAGE_INK_PERCENTILE = 0.5
# Low contrast is a washed-out page only when the page is bright (mean grey above this); dark is reported
# by `PreprocessSettings.dark_max`.
BRIGHT_PAGE = 180
# Text-line blobs (horizontal smearing of ink at work size): smeared over 25×3 px, wider than 3 times their
# height and 5 heights long, 60 px high at most (a table's rule or a photo is no line). The quality gate
# counts blobs from 3 px (a card's small print), the cut-off check and orientation from 5 px.
LINE_SMEAR = (25, 3)
LINE_MIN_ASPECT = 3
LINE_MIN_HEIGHTS_LONG = 5
LINE_MAX_HEIGHT = 60
LINE_MIN_HEIGHT = 8
QUALITY_LINE_MIN_HEIGHT = 3
SMALL_LINE_MIN_HEIGHT = 5
# A median text height needs this many lines; fewer (a blank or a picture) is not judged.
MIN_LINES_MEASURED = 3
# Cut off: ink at contrast 30 (not background tints); this many lines at a side edge, or long lines
# (a quarter of the width) at the top or bottom edge (real photos touched an edge with one line at most).
CUT_OFF_CONTRAST = 30
CUT_OFF_SIDE_LINES = 4
CUT_OFF_EDGE_LINES = 2
CUT_OFF_LONG_LINE = 0.25
# A photographed page: found on an 800 px copy (blurred 5 px, holes closed at 15 px), covering 20–93 % of
# the frame (more: a flat scan, nothing to correct), its outline simplified to 2 % of its length.
QUAD_WORK_SIDE = 800
QUAD_BLUR = 5
QUAD_CLOSE = 15
PAGE_AREA_MIN = 0.2
PAGE_AREA_MAX = 0.93
QUAD_APPROX = 0.02
# A page a phone photographs keeps opposite sides within a quarter of each other's length: a hand-held
# shot is taken from within a few tens of degrees of square, which foreshortens one side by far less. An
# outline whose opposite sides differ more is no page but a part of one (glare or a shadow across a card
# cut to its edges splits it into a lit and a dark region), and warping that part to the frame would lose
# the rest of the page.
QUAD_SIDE_RATIO_MIN = 0.75
# A corrected page whose height/width lies this near √2 is A4 (foreshortening distorts the proportion).
A4_TOLERANCE = 0.15
# Page direction: PP-OCR's direction classifier (input 48 × up to 192 px, lines at least 8 px wide) votes on
# the 16 longest lines, each cut with a quarter of its height (at least 2 px) of paper round it.
VOTE_LINES = 16
VOTE_HEIGHT = 48
VOTE_WIDTH = 192
VOTE_MIN_WIDTH = 8
VOTE_PAD_MIN = 2
VOTE_PAD_SHARE = 4
ORIENTATION_WORK_SIDE = 1000
# A page is turned before reading only on clear evidence, as most pages arrive upright and one left as it
# lies is still turned after its first reading (lines standing on end: a quarter turn; lines the per-line
# classifier turned round: a half turn; ocr/reader.py). Clear: the lines one way total SIDEWAYS_MARGIN
# times those the other way, at least SURE_VOTE_LINES of them vote, and the vote is SURE_DIRECTION sure.
# On cards the line finder sees background patterns and a portrait, 0–3 ragged fragments, which vote
# weakly or both ways; a turned page of text gives many long lines one way and a sure vote. A page left
# as it lies loses nothing: the reader still turns it after reading when its lines stand on end or read
# upside down.
SIDEWAYS_MARGIN = 2.0
SURE_VOTE_LINES = 3
SURE_DIRECTION = 0.3
# onnxruntime logs errors only (3): its warnings about the classifier's graph are noise here.
ORT_LOG_ERRORS = 3
# Skew: line blobs on a 1200 px copy smeared 30 px along, at least 80 px long and 5 times their height;
# three or more give a weighted median, refined ±1.5° in 0.1° steps; under 0.2° the page is left as it is.
SKEW_WORK_SIDE = 1200
SKEW_SMEAR = (30, 1)
SKEW_MIN_LENGTH = 80
SKEW_MIN_ASPECT = 5
SKEW_SPREAD = 1.5
SKEW_STEP = 0.1
MAX_SKEW = 15.0
MIN_SKEW_CORRECTED = 0.2
# Uneven light: the background (text closed away at 25 px on a 400 px copy) varying more than 12 grey
# levels is divided out, smoothed with σ = 8 px.
LIGHT_WORK_SIDE = 400
LIGHT_CLOSE = 25
EVEN_LIGHT_STD = 12
LIGHT_SIGMA = 8
# Seal red: hue 0–12° or 160–180° (OpenCV's half degrees), saturation and value from 70 and 60, and R
# above max(G, B) by 50 (a brown desk is red in hue, not in redness).
RED_HUES = (((0, 70, 60), (12, 255, 255)), ((160, 70, 60), (180, 255, 255)))
SEAL_REDNESS = 50
# Seal blobs: strokes closed at 1/120 of the half-size page's long side (at least 3 px), twice; an ellipse
# needs 5 contour points; the fitted ellipse's axes, found at half size, are doubled and grown by a tenth.
SEAL_CLOSE_DIVISOR = 120
SEAL_CLOSE_MIN = 3
SEAL_CLOSE_ITERATIONS = 2
ELLIPSE_MIN_POINTS = 5
SEAL_AXES = 2.2
# Red seals: at least 4 % of the page's long side, at most 1.8 times as long as wide (titles are thinner),
# and at most 40 % of it: a seal is at most about 45 mm across (official round seals 40-45 mm, 收费专用章
# ovals 40 x 30 mm) and the smallest page that bears one is about 140 mm long, while a form printed in red
# (the cells and labels of a paper 收费票据) joins into one blob spanning the page, which is no seal and
# whose labels must be read.
RED_SEAL_MIN_SIZE = 0.04
RED_SEAL_MAX_SIZE = 0.4
RED_SEAL_MAX_ASPECT = 1.8
# Under a red seal: ink redder than 25 (also the pale anti-aliased edge), grown by a pixel (3×3); lighter
# than 70 % of the paper's red it is seal ink, darker it is text.
SEAL_INK_REDNESS = 25
SEAL_LIGHT = 0.7
GROW_ONE_PIXEL = 3
# Colourless: channels within 20 of each other on 99 % of every 4th pixel (a grey scan, a photocopy).
COLOUR_SPREAD = 20
COLOUR_PERCENTILE = 99
COLOUR_SAMPLE_STEP = 4
# Grey seals: strokes under the lightest quarter of the ink-to-paper range, opened at 3 px (the grey
# fringe of black text goes); 8–22 % of the page's long side, oval up to 1.45, ink on at most 30 % of it.
SEAL_PAPER_MARGIN = 0.25
GREY_OPEN = 3
GREY_SEAL_MIN_SIZE = 0.08
GREY_SEAL_MAX_SIZE = 0.22
GREY_SEAL_MAX_ASPECT = 1.45
GREY_SEAL_MAX_INK = 0.3
# A seal's fitted ellipse is about its blob's size (a seal cut by the page's edge: its full circle, a
# little more). Fitted to a ragged blob that is no ring it can run far past it: a light photocopy's
# grey table text, 105 px across at half size, gave an ellipse of 830 px, and the seal removal then
# wiped the text of half the page (tuning set).
FIT_BEYOND_BLOB = 1.5
# A grey seal's ring crosses every row through the middle of its region: rows in the middle 70 % of the
# region's height with ink on at most 2 % of their width are paper, and two such rows (a gap between lines
# of text) make a block of text lines, not a seal (a ring's stroke crosses every such row, so a seal has
# none). Inside, half the seal's width across, it is mostly paper (lettering, a star, text under it);
# filled more than 45 % it is a picture (an emblem's disc, a portrait), not a ring.
SEAL_ROW_MARGIN = 0.15
PAPER_ROW_INK = 0.02
TEXT_GAP_ROWS = 2
SEAL_INSIDE = 0.5
SEAL_MAX_INSIDE_INK = 0.45


@dataclass
class Prepared:
    image: np.ndarray
    rotation: int
    rotation_confidence: float
    skew: float
    corners: np.ndarray | None
    quality: Quality
    matrix: np.ndarray  # original → prepared
    # The page the detector finds lines on when it is not `image` (grey seals gone whole: `suppress_grey_seal`)
    find_lines_on: np.ndarray | None = None

    def turned(self, angle: int) -> Prepared:
        """The same preparation turned a further quarter turns clockwise (when OCR shows the page
        lies sideways or upside down after all)."""
        height, width = self.image.shape[:2]
        turn, _ = _rotation_matrix(angle, width, height)
        codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
        find_on = self.find_lines_on
        return replace(
            self,
            image=cv2.rotate(self.image, codes[angle]),
            find_lines_on=None if find_on is None else cv2.rotate(find_on, codes[angle]),
            rotation=(self.rotation + angle) % 360,
            matrix=turn @ self.matrix,
        )

    def to_original(self, points: np.ndarray) -> np.ndarray:
        inverse = np.linalg.inv(self.matrix)
        homogeneous = np.hstack([points, np.ones((len(points), 1))]) @ inverse.T
        return homogeneous[:, :2] / homogeneous[:, 2:3]


def _grey(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img


def _work_copy(img: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    scale = side / max(img.shape[:2])
    if scale >= 1:
        return img, 1.0
    return cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale


def _ink_mask(grey: np.ndarray, contrast: int = INK_CONTRAST) -> np.ndarray:
    """Dark marks on paper, robust to uneven light (adaptive threshold); a higher `contrast` ignores
    light background patterns (cards, security prints)."""
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, INK_BLOCK, contrast)


def ink_extent(img: np.ndarray, margin: int = INK_EXTENT_MARGIN) -> tuple[int, int, int, int]:
    """The box (x0, y0, x1, y1) holding every mark on the page, `margin` px wider on each side; the whole
    image when it has none. Measured on a quarter-size copy: a mark of 4 px still shows in it."""
    height, width = img.shape[:2]
    factor = INK_EXTENT_FACTOR
    small = cv2.resize(_grey(img), (max(1, width // factor), max(1, height // factor)), interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(_ink_mask(small))
    if len(xs) == 0:
        return 0, 0, width, height
    return (
        max(0, int(xs.min()) * factor - margin),
        max(0, int(ys.min()) * factor - margin),
        min(width, (int(xs.max()) + 1) * factor + margin),
        min(height, (int(ys.max()) + 1) * factor + margin),
    )


# A mark differs from the page's own tone by more than this many grey levels on paper lit full white; a
# blank page has fewer such pixels than this share of its work copy (0.02 %: on an A4 page at 1000 px,
# two or three characters' strokes). Exposure scales every contrast on the page with its paper's level, so
# on a page whose paper came out dark the deviation is scaled down with it, never below
# BLANK_MIN_DEVIATION: a capture's sensor noise, averaged over the work copy's pixels, stays under that.
BLANK_MARK_DEVIATION = 32
BLANK_MIN_DEVIATION = 10
BLANK_MAX_MARK_SHARE = 0.0002


def page_is_blank(small: np.ndarray) -> bool:
    """No marks on the page: all white, all black or one even tone (a sheet scanned face down, a lens
    cap photo). Judged on the page's own median tone, so a grey scan of empty paper is blank too, and
    against the contrast its exposure leaves: a page photographed in a dim room (paper at a fifth of
    white, its text and edges a fifth of their contrast) has marks, and is too dark, not blank; a dark
    frame of one even tone has none at any exposure."""
    tone = int(np.median(small))
    paper = float(np.percentile(small, PAPER_PERCENTILE))
    deviation = max(BLANK_MIN_DEVIATION, BLANK_MARK_DEVIATION * paper / 255)
    marks = np.count_nonzero(np.abs(small.astype(np.int16) - tone) > deviation)
    return bool(marks <= small.size * BLANK_MAX_MARK_SHARE)


def assess_quality(img: np.ndarray, settings: PreprocessSettings) -> Quality:
    grey = _grey(img)
    short = min(grey.shape[:2])
    small, scale = _work_copy(grey, settings.work_side)
    blur = float(cv2.Laplacian(small, cv2.CV_64F).var())
    brightness = float(small.mean())
    paper, ink, highlight = np.percentile(small, [PAPER_PERCENTILE, INK_PERCENTILE, HIGHLIGHT_PERCENTILE])
    contrast = float(paper - ink)
    issues: list[str] = []
    if short >= settings.min_short_side and page_is_blank(small):
        # Before the blur and light tests: a blank page has no edges and no contrast, and would be
        # called blurred or dark when what the clerk must ask is whether a page was missed.
        return Quality(
            blur=round(blur, 1),
            brightness=round(brightness, 1),
            contrast=round(contrast, 1),
            highlight=round(float(highlight), 1),
            short_side_px=short,
            issues=[Code.page_blank.value],
        )
    if short < settings.min_short_side:
        issues.append(Code.image_too_small.value)
    if brightness < settings.dark_max:
        issues.append(Code.image_too_dark.value)
    if short >= settings.min_short_side and _text_height(small, scale) < settings.min_text_height:
        issues.append(Code.image_too_small.value)
    blurred = blur < settings.blur_min and Code.image_too_small.value not in issues
    if blurred:
        # A blurred page also loses contrast; blur is the cause to report.
        issues.append(Code.image_blurred.value)
    elif contrast < settings.contrast_min and brightness > BRIGHT_PAGE:
        issues.append(Code.image_overexposed.value)
    if not issues and _cut_off(small, settings):
        issues.append(Code.page_cut_off.value)
    return Quality(
        blur=round(blur, 1),
        brightness=round(brightness, 1),
        contrast=round(contrast, 1),
        highlight=round(float(highlight), 1),
        short_side_px=short,
        issues=issues,
    )


# Inside a detector box the ink's range runs from its 5th to its 95th grey percentile (a line's strokes
# cover well over 5 % of its box, its paper well over 5 %).
BOX_INK_PERCENTILE = 5
BOX_PAPER_PERCENTILE = 95
# Issues the page rules raise that the detector's text boxes can contradict.
TEXT_JUDGED = {Code.image_too_small, Code.image_blurred, Code.image_too_dark, Code.image_overexposed}


@dataclass(frozen=True)
class TextMeasures:
    """Text size, sharpness and exposure measured on the text the PP-OCR detector found."""

    lines: int
    height: float  # median box height, px (the box's shorter side: a line may stand on its side)
    sharpness: float  # median over boxes of the mean |Laplacian|
    contrast: float  # median over boxes of the grey range, ink to paper
    ink: float  # median over boxes of the ink's grey
    paper: float  # median over boxes of the paper's grey


def measure_text(img: np.ndarray, boxes: Sequence[tuple[float, float, float, float]]) -> TextMeasures:
    """Measures on the detected text only (boxes x0, y0, x1, y1 in `img` pixels). A page's own blur, light
    and size measures are diluted by its margins, card patterns and photos: a tight card crop with large
    sharp text was refused as too small or blurred by them (issue 28: ID cards from unseen sources)."""
    grey = _grey(img)
    heights, sharpness, inks, papers = [], [], [], []
    for x0, y0, x1, y1 in boxes:
        crop = grey[max(0, int(y0)) : max(0, round(y1)), max(0, int(x0)) : max(0, round(x1))]
        if min(crop.shape[:2], default=0) < 2:
            continue
        heights.append(min(y1 - y0, x1 - x0))
        sharpness.append(float(np.abs(cv2.Laplacian(crop, cv2.CV_64F)).mean()))
        ink, paper = np.percentile(crop, [BOX_INK_PERCENTILE, BOX_PAPER_PERCENTILE])
        inks.append(float(ink))
        papers.append(float(paper))
    if not heights:
        return TextMeasures(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    ranges = np.asarray(papers) - np.asarray(inks)
    return TextMeasures(
        lines=len(heights),
        height=float(np.median(heights)),
        sharpness=float(np.median(sharpness)),
        contrast=float(np.median(ranges)),
        ink=float(np.median(inks)),
        paper=float(np.median(papers)),
    )


def judge_on_text(quality: Quality, text: TextMeasures, settings: PreprocessSettings) -> Quality:
    """The page rules' size, blur and exposure issues judged again on the detected text: an issue stays
    only when the text confirms it (boxes too low, unsharp, faint, their paper dark or their ink light).
    With no text found the page rules' issues stay: a tiny page or a heavily blurred one gives the
    detector nothing to measure. A dark page whose brightest part (`Quality.highlight`) is darker than any
    paper's level (`box_paper_min`) stays dark whatever its text measures: no part of the frame was lit,
    and the text is measured on the copy prepared for reading, whose uneven light (a glare across a dim
    photo) was flattened towards white. A card on a scanner's black lid keeps its lit card paper there."""
    if not text.lines:
        return quality
    confirmed = {
        Code.image_too_small: text.height < settings.min_box_height,
        Code.image_blurred: text.sharpness < settings.box_sharpness_min,
        Code.image_too_dark: quality.highlight < settings.box_paper_min
        or text.contrast < settings.box_contrast_min
        or text.paper < settings.box_paper_min,
        Code.image_overexposed: text.contrast < settings.box_contrast_min or text.ink > settings.box_ink_max,
    }
    issues = [i for i in quality.issues if Code(i) not in TEXT_JUDGED or confirmed[Code(i)]]
    return quality.model_copy(update={"issues": issues})


def _text_height(small: np.ndarray, scale: float) -> float:
    """Median text-line height in original pixels, measured the way the text runs (the page may lie on its
    side: the way with the longer lines in total); large when no line is found (nothing to judge). Measured
    only one way, a page on its side was judged by a few specks (a tuning-set invoice: 5 px, refused as too
    small; its text lines are 26 px high). Measured on outer outlines and again with the blobs inside them,
    the larger taken: on a photocopy whose table frame joins its text, the outer outlines left only specks
    (a tuning-set invoice: 5.8 px, refused; 13 px with the text inside the frame), while on two real ID
    cards the blobs inside the card's outline are the smaller (5.5 and 6 px; outer outlines: none)."""
    return max(_median_line_height(small, scale, nested) for nested in (False, True))


def _median_line_height(small: np.ndarray, scale: float, nested: bool) -> float:
    turned = cv2.rotate(small, cv2.ROTATE_90_CLOCKWISE)
    ways = [_text_lines(img, min_height=QUALITY_LINE_MIN_HEIGHT, nested=nested) for img in (small, turned)]
    heights = [h for _, _, _, h in max(ways, key=lambda lines: sum(w for _, _, w, _ in lines))]
    return float(np.median(heights)) / scale if len(heights) >= MIN_LINES_MEASURED else float("inf")


def _cut_off(grey: np.ndarray, settings: PreprocessSettings) -> bool:
    """Text running out of the frame: four or more text lines touching the left or right edge, or two
    long lines cut by the top or bottom. A scan keeps a margin on every side; tightly cropped photos
    of whole documents touched an edge with at most one line (real samples), the one real photo with
    its right side cut off (invoice_04) with eight."""
    h, w = grey.shape
    edge = max(1, int(settings.cut_off_margin * max(h, w)))
    lines = _text_lines(grey, min_height=SMALL_LINE_MIN_HEIGHT, contrast=CUT_OFF_CONTRAST)
    left = sum(1 for x, _, _, _ in lines if x <= edge)
    right = sum(1 for x, _, bw, _ in lines if x + bw >= w - edge)
    top_bottom = sum(1 for _, y, bw, bh in lines if (y <= edge or y + bh >= h - edge) and bw > CUT_OFF_LONG_LINE * w)
    return max(left, right) >= CUT_OFF_SIDE_LINES or top_bottom >= CUT_OFF_EDGE_LINES


def text_runs_off(boxes: Sequence[tuple[float, float, float, float]], width: int, height: int, margin: float) -> bool:
    """Whether a text line the PP-OCR detector found (boxes x0, y0, x1, y1 in the frame's pixels) reaches the
    frame's edge, within `margin` of its longer side (at least a pixel). A page is cut off when its text runs
    off the frame, not when the document's own border or background pattern lies at the image's edge: the
    ink-blob rule (`_cut_off`) counts a card's guilloche and frame at the edge of a tight crop as lines (a
    tuning-set ID card cropped at 300 dpi, its nearest text 63 px inside), while on the pages whose text the
    frame cuts the detector's boxes reach the edge or past it (generated cut_off pages: -3 to 5 px; the real
    invoice_04: -6 and 5 px of 2100)."""
    edge = max(1.0, margin * max(width, height))
    return any(x0 <= edge or y0 <= edge or x1 >= width - edge or y1 >= height - edge for x0, y0, x1, y1 in boxes)


def judge_cut_off(
    quality: Quality, boxes: Sequence[tuple[float, float, float, float]], width: int, height: int, margin: float
) -> Quality:
    """The page rules' `page_cut_off` kept only when the detected text confirms it (`text_runs_off`); with
    no text found it stays, the page rules having nothing to be contradicted by."""
    if Code.page_cut_off.value not in quality.issues or not boxes or text_runs_off(boxes, width, height, margin):
        return quality
    return quality.model_copy(update={"issues": [i for i in quality.issues if i != Code.page_cut_off.value]})


def detect_page_quad(img: np.ndarray) -> np.ndarray | None:
    """Corners (tl, tr, br, bl) of a photographed page on a darker background, in img pixels; None when
    there is none, or the outline found is no page's (QUAD_SIDE_RATIO_MIN)."""
    small, scale = _work_copy(img, QUAD_WORK_SIDE)
    grey = cv2.GaussianBlur(_grey(small), (QUAD_BLUR, QUAD_BLUR), 0)
    _, paper = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((QUAD_CLOSE, QUAD_CLOSE), np.uint8))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    h, w = grey.shape
    contour = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(contour)
    if not PAGE_AREA_MIN * h * w < area < PAGE_AREA_MAX * h * w:
        return None  # no page, or the page fills the frame (a flat scan): nothing to correct
    quad = cv2.approxPolyDP(contour, QUAD_APPROX * cv2.arcLength(contour, True), True)
    if len(quad) != 4 or not cv2.isContourConvex(quad):
        return None
    corners = _order(quad.reshape(4, 2).astype(np.float64) / scale)
    return corners if _side_ratio(corners) >= QUAD_SIDE_RATIO_MIN else None


def _side_ratio(corners: np.ndarray) -> float:
    """How near opposite sides of a quad (tl, tr, br, bl) are in length: the lesser ratio of the two pairs."""
    tl, tr, br, bl = corners
    top, bottom, left, right = (float(np.linalg.norm(b - a)) for a, b in ((tl, tr), (bl, br), (tl, bl), (tr, br)))
    return min(min(top, bottom) / max(top, bottom, 1e-9), min(left, right) / max(left, right, 1e-9))


def _order(points: np.ndarray) -> np.ndarray:
    s, d = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array([points[np.argmin(s)], points[np.argmin(d)], points[np.argmax(s)], points[np.argmax(d)]])


def perspective_warp(corners: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    tl, tr, br, bl = corners
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    # Foreshortening distorts the page's proportions; pages near A4's √2 are A4.
    if abs(height / width - SQRT2) < A4_TOLERANCE:
        height = int(width * SQRT2)
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float64)
    return cv2.getPerspectiveTransform(corners.astype(np.float32), target.astype(np.float32)), (width, height)


def _text_lines(
    grey: np.ndarray, min_height: int = LINE_MIN_HEIGHT, contrast: int = INK_CONTRAST, *, nested: bool = False
) -> list[tuple[int, int, int, int]]:
    """Boxes of text-line blobs on a work-size grey image (horizontal smearing of ink). Only outer outlines
    unless `nested`: then also blobs inside another's outline, text in a table's cells or on a photocopy
    whose dark edges frame the whole page (outer outlines found 5 lines on such a page, 12 with it
    turned). The quality gate's thresholds were measured on outer outlines (README "Measured", Reading)."""
    ink = _ink_mask(grey, contrast)
    smear = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, LINE_SMEAR))
    boxes: list[Sequence[int]]
    if nested:
        boxes = [(int(x), int(y), int(w), int(h)) for x, y, w, h, _ in cv2.connectedComponentsWithStats(smear)[2][1:]]
    else:
        boxes = [cv2.boundingRect(c) for c in cv2.findContours(smear, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)[0]]
    return [
        (x, y, w, h)
        for x, y, w, h in boxes
        if w > LINE_MIN_ASPECT * h and min_height <= h <= LINE_MAX_HEIGHT and w >= LINE_MIN_HEIGHTS_LONG * min_height
    ]


def _inner_lines(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Text-line blobs clear of the frame: a copier's dark page edge runs the whole side of the image."""
    height, width = grey.shape[:2]
    return [
        (x, y, w, h)
        for x, y, w, h in _text_lines(grey, min_height=SMALL_LINE_MIN_HEIGHT, nested=True)
        if x > 0 and y > 0 and x + w < width and y + h < height
    ]


@cache
def _direction_session(threads: int) -> object:
    folder = model_dir()
    assert folder is not None
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.log_severity_level = ORT_LOG_ERRORS
    return ort.InferenceSession(str(folder / MODEL_FILES["cls"]), options, providers=["CPUExecutionProvider"])


def upside_down_share(image: np.ndarray, boxes: list[tuple[int, int, int, int]], threads: int = 1) -> float:
    """Mean P(180°) over given text-line boxes (x, y, w, h): after OCR, the lines it found."""
    colour = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    longest = sorted((b for b in boxes if b[2] > b[3] > 0), key=lambda b: b[2], reverse=True)[:VOTE_LINES]
    return _direction_vote(colour, longest, threads)[0]


def _direction_vote(colour: np.ndarray, boxes: list[tuple[int, int, int, int]], threads: int) -> tuple[float, int]:
    if not boxes:
        return 0.5, 0
    batch = []
    for x, y, w, h in boxes:
        pad = max(VOTE_PAD_MIN, h // VOTE_PAD_SHARE)
        crop = colour[max(0, y - pad) : y + h + pad, max(0, x - pad) : x + w + pad]
        ratio = crop.shape[1] / crop.shape[0]
        width = min(VOTE_WIDTH, max(VOTE_MIN_WIDTH, int(VOTE_HEIGHT * ratio)))
        resized = cv2.resize(crop, (width, VOTE_HEIGHT)).astype(np.float32)
        tensor = np.zeros((3, VOTE_HEIGHT, VOTE_WIDTH), dtype=np.float32)
        tensor[:, :, :width] = ((resized / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)
        batch.append(tensor)
    session = _direction_session(threads)
    probabilities = session.run(None, {session.get_inputs()[0].name: np.stack(batch)})[0]  # type: ignore[attr-defined]
    return float(np.mean(probabilities[:, 1])), len(boxes)


def _rotation_matrix(angle: int, width: int, height: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Clockwise quarter turns as a 3×3 matrix, with the output size."""
    if angle == 90:
        return np.array([[0, -1, height - 1], [1, 0, 0], [0, 0, 1]], dtype=np.float64), (height, width)
    if angle == 180:
        return np.array([[-1, 0, width - 1], [0, -1, height - 1], [0, 0, 1]], dtype=np.float64), (width, height)
    if angle == 270:
        return np.array([[0, 1, 0], [-1, 0, width - 1], [0, 0, 1]], dtype=np.float64), (height, width)
    return np.eye(3), (width, height)


def detect_orientation(img: np.ndarray, threads: int = 1) -> tuple[int, float]:
    """Clockwise turn (0/90/180/270) that makes the page upright, and a confidence; 0 without clear
    evidence (SURE_DIRECTION), the confidence then below SURE_DIRECTION."""
    small, _ = _work_copy(_grey(img), ORIENTATION_WORK_SIDE)
    turned = cv2.rotate(small, cv2.ROTATE_90_CLOCKWISE)
    # Table rules and borders run both ways; text lines only one way: the way with the longer lines in
    # total is the way the text runs, and PP-OCR's direction classifier on its 16 longest tells 0 from 180.
    along, across = _inner_lines(small), _inner_lines(turned)
    along_length, across_length = sum(b[2] for b in along), sum(b[2] for b in across)
    if along_length >= SIDEWAYS_MARGIN * across_length:
        candidates, base, boxes = (0, 180), small, along
    elif across_length >= SIDEWAYS_MARGIN * along_length:
        candidates, base, boxes = (90, 270), turned, across
    else:
        return 0, 0.0  # lines run both ways alike (a card's patterns): left as it lies (SURE_DIRECTION)
    if len(boxes) < SURE_VOTE_LINES:
        return 0, 0.0  # too few lines to vote on (a card's pattern fragments): left as it lies
    longest = sorted(boxes, key=lambda b: b[2], reverse=True)[:VOTE_LINES]
    p180, _ = _direction_vote(cv2.cvtColor(base, cv2.COLOR_GRAY2BGR), longest, threads)
    confidence = round(abs(p180 - 0.5) * 2, 3)
    if confidence < SURE_DIRECTION:
        return 0, confidence  # not sure: left as it lies (SURE_DIRECTION)
    return (candidates[1] if p180 > 0.5 else candidates[0]), confidence


def estimate_skew(img: np.ndarray, max_skew: float = MAX_SKEW) -> float:
    """Degrees to rotate counter-clockwise to level the text lines (median over line blobs)."""
    small, _ = _work_copy(_grey(img), SKEW_WORK_SIDE)
    ink = _ink_mask(small)
    smear = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, SKEW_SMEAR))
    contours, _ = cv2.findContours(smear, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    angles, weights = [], []
    for contour in contours:
        (_, _), (w, h), angle = cv2.minAreaRect(contour)
        if w < h:
            w, h = h, w
            angle -= 90
        if w < SKEW_MIN_LENGTH or w < SKEW_MIN_ASPECT * h:
            continue
        angle = (angle + 90) % 180 - 90
        if abs(angle) <= max_skew:
            angles.append(angle)
            weights.append(w)
    coarse = 0.0
    if len(angles) >= MIN_LINES_MEASURED:
        order = np.argsort(angles)
        cumulative = np.cumsum(np.asarray(weights)[order])
        coarse = float(np.asarray(angles)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    return _refine_skew(ink, coarse)


def _refine_skew(ink: np.ndarray, coarse: float, spread: float = SKEW_SPREAD, step: float = SKEW_STEP) -> float:
    """The angle near `coarse` at which the ink's row profile is sharpest (text rows and gaps cleanly apart).
    Short words give blob angles rounded to level; the profile of the whole page still sees a 0.5° skew."""
    h, w = ink.shape
    best, best_score = coarse, -1.0
    for angle in np.arange(coarse - spread, coarse + spread + step / 2, step):
        rotation = cv2.getRotationMatrix2D((w / 2, h / 2), float(angle), 1.0)
        turned = cv2.warpAffine(ink, rotation, (w, h), flags=cv2.INTER_NEAREST)
        # Row sums in whole numbers by OpenCV (at most 255 × SKEW_WORK_SIDE, exact in int32): the float64 values
        # numpy's sum gave, in a tenth of its time.
        rows = cv2.reduce(turned, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(np.float64)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return round(best, 2)


def flatten_illumination(img: np.ndarray) -> np.ndarray:
    """Divide by the page's own background (text removed by closing) when the light is uneven."""
    grey = _grey(img)
    small, _ = _work_copy(grey, LIGHT_WORK_SIDE)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((LIGHT_CLOSE, LIGHT_CLOSE), np.uint8))
    if float(background.std()) < EVEN_LIGHT_STD:
        return img
    background = cv2.resize(cv2.GaussianBlur(background, (0, 0), LIGHT_SIGMA), (grey.shape[1], grey.shape[0]))
    out = [cv2.divide(channel, background, scale=255) for channel in cv2.split(img)]
    return cv2.merge(out) if img.ndim == 3 else out[0]


def red_mask(img: np.ndarray, min_redness: int = SEAL_REDNESS) -> np.ndarray:
    """Seal-red pixels: two hue bands around 0°/180°, saturated enough to be ink, not paper tint,
    and clearly redder than green and blue (R − max(G, B)): a brown desk under a photographed page
    has a red hue and saturation too, but not the redness of seal ink."""
    mask = _redder_than(img, min_redness)
    red = mask > 0
    if red.any():
        # Hue, saturation and value only of the red pixels (a few per cent of a page at most): the same
        # per-pixel conversion as of the whole page, at a fraction of its cost.
        hsv = cv2.cvtColor(np.ascontiguousarray(img[red][:, None, :]), cv2.COLOR_BGR2HSV)
        low, high = (cv2.inRange(hsv, lowest, highest) for lowest, highest in RED_HUES)
        mask[red] = cv2.bitwise_or(low, high)[:, 0]
    return mask


def _redder_than(img: np.ndarray, min_redness: int) -> np.ndarray:
    """255 where R − max(G, B) exceeds `min_redness`, else 0 (uint8 arithmetic: a difference below 0
    saturates at 0, which is not above a positive `min_redness` either)."""
    b, g, r = cv2.split(img)
    return (np.asarray(cv2.subtract(r, cv2.max(g, b))) > min_redness).astype(np.uint8) * 255


Ellipse = tuple[tuple[float, float], tuple[float, float], float]


def round_blobs(mask: np.ndarray, min_side: float, max_side: float, max_aspect: float) -> list[Ellipse]:
    """Strokes of `mask` joined (closing) into blobs whose longer side is `min_side`–`max_side` of the
    page's long side and at most `max_aspect` times the shorter: seals (ring, star and lettering as one).
    Each as the fitted ellipse grown by a tenth, in `mask`'s pixels. Joined at half size: the same
    blobs at a quarter of the closing's cost (0.09 s a page at full size)."""
    half = cv2.resize(mask, (max(1, mask.shape[1] // 2), max(1, mask.shape[0] // 2)), interpolation=cv2.INTER_AREA)
    long_side = max(half.shape)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (max(SEAL_CLOSE_MIN, long_side // SEAL_CLOSE_DIVISOR),) * 2)
    joined = cv2.morphologyEx(
        (half > 0).astype(np.uint8) * 255, cv2.MORPH_CLOSE, kernel, iterations=SEAL_CLOSE_ITERATIONS
    )
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    blobs: list[Ellipse] = []
    for contour in contours:
        _, _, w, h = cv2.boundingRect(contour)
        if not min_side * long_side <= max(w, h) <= max_side * long_side or max(w, h) > max_aspect * max(1, min(w, h)):
            continue
        if len(contour) < ELLIPSE_MIN_POINTS:
            continue
        (cx, cy), (a, b), angle = cv2.fitEllipse(contour)
        if max(a, b) > FIT_BEYOND_BLOB * max(w, h):
            continue  # not a ring: the ellipse fitted to a ragged blob ran far past it (see FIT_BEYOND_BLOB)
        blobs.append(((2 * cx, 2 * cy), (SEAL_AXES * a, SEAL_AXES * b), angle))
    return blobs


def seal_regions(
    img: np.ndarray,
    min_size: float = RED_SEAL_MIN_SIZE,
    max_size: float = RED_SEAL_MAX_SIZE,
    max_aspect: float = RED_SEAL_MAX_ASPECT,
) -> np.ndarray:
    """Where seals lie: red blobs of seal size that are round or oval (ring, star and arc text joined),
    each as a filled ellipse grown by a tenth. Red titles and red-printed labels are long and thin, and a
    form printed in red is larger than any seal: they stay out."""
    mask = red_mask(img)
    regions = np.zeros(mask.shape, np.uint8)
    for ellipse in round_blobs(mask, min_size, max_size, max_aspect):
        cv2.ellipse(regions, ellipse, 255, -1)
    return regions


def suppress_red_seal(
    img: np.ndarray, min_redness: int = SEAL_INK_REDNESS, seal_light: float = SEAL_LIGHT
) -> np.ndarray:
    """For OCR only: inside seal regions, seal ink gives way to the paper, so the black text under a
    seal is read; red-printed text elsewhere (labels of some 电子票据 templates) is left alone.

    Ink is told by redness (R − max(G, B)), not hue: under warm light a photo's grey text turns
    orange in hue but stays barely red, while seal ink, even its pale anti-aliased edge, is redder
    than 25. The mask grows by a pixel (edge residue otherwise joins the text line under the seal).
    Under the mask each pixel takes its red channel, relative to the paper's: red ink is nearly as
    light as paper there while black text stays dark, also where text and seal overlap. What stays
    lighter than `seal_light` of the paper's red is seal ink and becomes paper. Whitening the masked
    pixels outright ate the text strokes the ring crossed, their edges being red there too (a
    photographed payee's last character lost, tuning set)."""
    if img.ndim != 3:
        return img
    regions = seal_regions(img)
    if not regions.any():
        return img
    # Only the seals' part of the page changes: worked on there, a pixel wider for the ink's growing.
    x, y, w, h = cv2.boundingRect(regions)
    top, left = max(0, y - 1), max(0, x - 1)
    bottom, right = min(img.shape[0], y + h + 1), min(img.shape[1], x + w + 1)
    part, regions = img[top:bottom, left:right], regions[top:bottom, left:right]
    ink = _redder_than(part, min_redness)
    grown = cv2.dilate(ink, np.ones((GROW_ONE_PIXEL, GROW_ONE_PIXEL), np.uint8))
    mask = np.asarray(cv2.bitwise_and(grown, regions), np.uint8) > 0
    paper = np.broadcast_to(paper_around(part, regions, mask.astype(np.uint8)), (3,)).astype(np.float32)
    lightness = part[:, :, 2][mask].astype(np.float32) / max(1.0, float(paper[2]))
    lightness[lightness > seal_light] = 1.0
    out = img.copy()
    out[top:bottom, left:right][mask] = np.clip(lightness[:, None] * paper, 0, 255).astype(np.uint8)
    return out


def paper_around(img: np.ndarray, region: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The paper's colour inside a seal's region (the median of what is not its ink): suppressed seal ink
    takes it. Pure white on a cream photo or a grey scan left the seal's shape standing out, and the
    detector joined the text line under it to that shape (a box too tall to be read). White when the
    region is all ink."""
    paper = img[(region > 0) & (ink == 0)]
    return np.median(paper, axis=0).astype(np.uint8) if len(paper) else np.array(255, np.uint8)


def colourless(img: np.ndarray, max_spread: int = COLOUR_SPREAD) -> bool:
    """A grey capture, or a colour capture with no colour on it (a grey scan, a photocopy): the largest
    difference between two channels stays under `max_spread` on 99 % of the pixels."""
    if img.ndim != 3:
        return True
    b, g, r = (channel.astype(np.int16) for channel in cv2.split(img[::COLOUR_SAMPLE_STEP, ::COLOUR_SAMPLE_STEP]))
    spread = np.maximum(np.maximum(np.abs(r - g), np.abs(r - b)), np.abs(g - b))
    return float(np.percentile(spread, COLOUR_PERCENTILE)) < max_spread


@dataclass
class GreySeal:
    region: np.ndarray  # its ellipse grown by a tenth, filled
    strokes: np.ndarray  # the seal's mid-grey strokes inside it, grown by a pixel
    text_below: float  # a pixel darker than this is text (or a ring printed darker) and stays (inf: all stays)
    solid_below: float  # a pixel darker than this is surely text: half way from the page's ink to `text_below`


# Where a seal's strokes begin, as a share of the way from the page's ink to its paper: mid-grey seal ink
# is lighter than SEAL_GREY; a ring printed nearly as dark as text is lighter than DARK_RING.
SEAL_GREY = 0.3
DARK_RING = 0.2


def grey_seal_regions(grey: np.ndarray) -> list[GreySeal]:
    """Seals on a page whose colour is gone (grey scan, photocopy): red ink became mid-grey, lighter
    than the black text. Solid mid-grey strokes (a 3 px opening drops the grey fringe of black text)
    joined into a round blob of seal size: 8–22 % of the page's long side (a 40 mm seal on A4 is 13 %),
    round or oval up to 1.45, ink on at most 30 % of it. Card pages' pattern, portrait and emblem fail
    one of these (measured on the generated grey scans and photocopies).

    When none is found so, a seal whose ring is printed nearly as dark as text is looked for: its ring
    lies out of the mid-grey band, and with it the blob (a levelled page's ink measures a little
    lighter; half the grey-scanned lists of 32 more tuning repeats lost their total to such a ring).
    Found with darker strokes in, such a seal goes only from the page lines are found on: taken from
    the page read, its ring's remnants closed a digit it crossed (3 read 8, tuning set). This second
    look also takes the large grey first character of a real ID card back's title for a seal (on a
    card image a character is of seal size relative to the page; none of the tuning set's card
    backs): the detector's copy loses it."""
    paper, ink = grey_percentiles(grey, (PAPER_PERCENTILE, SEAL_PAGE_INK_PERCENTILE))
    low, high = ink + SEAL_GREY * (paper - ink), paper - SEAL_PAPER_MARGIN * (paper - ink)
    solid = (ink + low) / 2
    return _grey_seals(grey, low, high, low, solid) or _grey_seals(
        grey, ink + DARK_RING * (paper - ink), high, float("inf"), solid
    )


def grey_percentiles(grey: np.ndarray, percents: Sequence[float]) -> list[float]:
    """`np.percentile(grey, percents)` (linear interpolation) of a uint8 image, from its histogram: the
    same values without sorting a page's pixels (a tenth of a CPU second on a 300 dpi scan)."""
    counts = np.cumsum(np.bincount(grey.ravel(), minlength=256))
    values = []
    for percent in percents:
        rank = percent / 100 * (counts[-1] - 1)
        below, above = (int(np.searchsorted(counts, r, side="right")) for r in (np.floor(rank), np.ceil(rank)))
        values.append(below + (rank - np.floor(rank)) * (above - below))
    return values


def _grey_seals(grey: np.ndarray, low: float, high: float, text_below: float, solid_below: float) -> list[GreySeal]:
    band = cv2.morphologyEx(cv2.inRange(grey, low, high), cv2.MORPH_OPEN, np.ones((GREY_OPEN, GREY_OPEN), np.uint8))
    seals = []
    strokes = None  # the band grown by a pixel, made once and only when a seal is found
    for ellipse in round_blobs(band, GREY_SEAL_MIN_SIZE, GREY_SEAL_MAX_SIZE, GREY_SEAL_MAX_ASPECT):
        region = np.zeros(grey.shape, np.uint8)
        cv2.ellipse(region, ellipse, 255, -1)
        if float((band[region > 0] > 0).mean()) <= GREY_SEAL_MAX_INK and ring_like(grey < high, region, ellipse):
            strokes = (
                cv2.dilate(band, np.ones((GROW_ONE_PIXEL, GROW_ONE_PIXEL), np.uint8)) if strokes is None else strokes
            )
            seals.append(GreySeal(region, cv2.bitwise_and(strokes, region), text_below, solid_below))
    return seals


def ring_like(ink: np.ndarray, region: np.ndarray, ellipse: Ellipse) -> bool:
    """Whether the round blob in `region` (its ellipse filled) is a seal by its structure: a ring around
    mostly paper. `ink` is every mark darker than paper, text and rules included.

    A seal's ring crosses every row through the middle of its region (twice), and where text or a rule
    runs across the seal its row is inked too: no row there is bare paper. A block of label lines joined
    into a round blob has rows of bare paper between its lines (`TEXT_GAP_ROWS` of them or more, each with
    ink on at most `PAPER_ROW_INK` of its width). The inside of a seal, half its width across, holds
    lettering and a star on paper; an emblem's disc or a portrait's silhouette inside a ring-like outline
    fills it (more than `SEAL_MAX_INSIDE_INK`). A grey label block taken for a seal lost its labels to the
    seal removal; a picture only cost time, but is no seal either."""
    x, y, w, h = cv2.boundingRect(region)
    inside = region[y : y + h, x : x + w] > 0
    marked = ink[y : y + h, x : x + w] & inside
    middle = slice(int(h * SEAL_ROW_MARGIN), h - int(h * SEAL_ROW_MARGIN))
    row_ink = marked[middle].sum(axis=1) / np.maximum(inside[middle].sum(axis=1), 1)
    if int((row_ink <= PAPER_ROW_INK).sum()) >= TEXT_GAP_ROWS:
        return False
    (cx, cy), (a, b), angle = ellipse
    core = np.zeros(ink.shape, np.uint8)
    cv2.ellipse(core, ((cx, cy), (SEAL_INSIDE * a, SEAL_INSIDE * b), angle), 255, -1)
    return float(ink[core > 0].mean()) <= SEAL_MAX_INSIDE_INK


def suppress_grey_seal(img: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """For OCR only, on colourless pages: a seal's mid-grey ink takes the paper's colour, the darker text
    under and beside it stays (where text and seal overlap the pixel is darker still). A ring printed
    darker than `text_below` stays: only what is surely seal ink is removed from what is read.

    Also the page to find lines on (None: the same page): there the seal goes whole, all in its region
    but what is surely text. A ring left standing that touches a line joins it into one blob the
    detector drops, line and all (a grey-scanned list's total under its seal, tuning set). Only the
    detector sees that copy: lines are read from the first, where a text stroke the ring crosses is
    whole (removing the ring there lost a photocopied payee's 属, tuning set)."""
    if not colourless(img):
        return img, None
    grey = _grey(img)
    seals = grey_seal_regions(grey)
    if not seals:
        return img, None
    out = img.copy()
    find_on = img.copy()
    for seal in seals:
        ink = (seal.strokes > 0) & (grey >= seal.text_below)
        paper = paper_around(img, seal.region, ink.astype(np.uint8))
        out[ink] = paper
        find_on[(seal.region > 0) & (grey >= seal.solid_below)] = paper
    return out, find_on


def prepare(img: np.ndarray, settings: PreprocessSettings, quality: Quality | None = None) -> Prepared:
    """The page levelled and cleaned for OCR; `quality` when the gate has already measured it."""
    quality = assess_quality(img, settings) if quality is None else quality
    height, width = img.shape[:2]
    # A 12-megapixel photo is read at 300 dpi A4 size: more pixels only cost memory and time.
    scale = min(1.0, settings.max_image_side / max(height, width))
    matrix = np.diag([scale, scale, 1.0])
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    current = cv2.resize(img, size, interpolation=cv2.INTER_AREA) if scale < 1 else img
    with stage("outline"):
        corners = detect_page_quad(current)
    if corners is not None:
        warp, size = perspective_warp(corners)
        matrix = warp @ matrix
        current = cv2.warpPerspective(current, warp, size, borderValue=(255, 255, 255))
        corners = corners / scale  # reported in the original image's pixels
    with stage("orient"):
        rotation, rotation_confidence = detect_orientation(current, settings.cls_threads)
    if rotation:
        turn, size = _rotation_matrix(rotation, size[0], size[1])
        matrix = turn @ matrix
        current = cv2.rotate(
            current,
            {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}[rotation],
        )
    with stage("skew"):
        skew = estimate_skew(current, settings.max_skew)
    if abs(skew) >= MIN_SKEW_CORRECTED:
        level = np.vstack([cv2.getRotationMatrix2D((size[0] / 2, size[1] / 2), skew, 1.0), [0, 0, 1]])
        matrix = level @ matrix
        current = cv2.warpAffine(current, level[:2], size, flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    with stage("light"):
        current = flatten_illumination(current)
    with stage("seals"):
        current, find_lines_on = suppress_grey_seal(suppress_red_seal(current))
    return Prepared(
        image=current,
        find_lines_on=find_lines_on,
        rotation=rotation,
        rotation_confidence=rotation_confidence,
        skew=skew,
        corners=corners,
        quality=quality,
        matrix=matrix,
    )
