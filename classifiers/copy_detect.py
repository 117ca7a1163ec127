"""Original or photocopy, from the page's colour and tone statistics and its seals.

A photocopy has no colour, few mid-tones (toner is black or absent) and black seals. A greyscale
scan of an original also has no colour: where the capture itself dropped colour (a grey-mode scan,
all three channels equal) the colour evidence is gone, so the answer is uncertain (`is_copy=None`)
with `colour_lost=True`, unless the page carries a copier's frame (`copier_frame`): a grey band
printed along two opposite edges of paper driven to full white, which a scan of the sheet itself
does not show. Where the capture kept colour (a colour scan or a photo: the sensor's channels
differ) but the page shows none, the paper itself has none: for documents whose original is always
printed on colour stock (ID cards, social security cards, paper 医疗收费票据; `colour_originals`), that
is a photocopy. Plain black-on-white originals (a discharge record from a laser printer) look the same
as their copies, and stay undecided.

Colour is no evidence against a print of a photo of the card (a phone photo printed on an inkjet or at a
kiosk, then scanned): it keeps full colour and mid-tones. What such a print shows and a card does not is
the printer's screen: the picture is laid down as a regular lattice of ink dots (an ordered dither or a
halftone) at the printer's pitch, over the card's face and its surround alike (`print_screen`). It is
judged for cards only (classifiers.documents): a ruled form's evenly spaced lines make a lattice too.
"""

from __future__ import annotations

import cv2
import numpy as np

from classifiers.image_rules import CopyRules, ImageRules
from classifiers.seal import Seal
from intake.models import CopyAssessment
from ocr.preprocess import detect_page_quad, perspective_warp


def colourfulness(img: np.ndarray) -> float:
    """Hasler & Süsstrunk (2003) colourfulness metric."""
    b, g, r = (c.astype(np.float64) for c in cv2.split(img))
    rg, yb = r - g, 0.5 * (r + g) - b
    return float(np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean()))


def _at_width(img: np.ndarray, interpolation: int, width: int = 600) -> np.ndarray:
    """The page at a fixed working width: the statistics do not depend on the scan resolution."""
    return cv2.resize(img, (width, max(1, int(width * img.shape[0] / img.shape[1]))), interpolation=interpolation)


def channel_spread(img: np.ndarray) -> float:
    """Mean per-pixel spread between the colour channels. A grey-mode capture stored as colour has none
    (or JPEG's trace); a colour sensor has some on every pixel, even of white paper."""
    if img.ndim == 2:
        return 0.0
    small = _at_width(img, cv2.INTER_NEAREST)  # nearest: averaging would smooth the sensor's noise away
    wide = small.astype(np.int16)
    return float((wide.max(axis=2) - wide.min(axis=2)).mean())


def page_only(img: np.ndarray) -> np.ndarray:
    """A photographed page without the desk around it: the desk's colour says nothing of the paper."""
    corners = detect_page_quad(img)
    if corners is None:
        return img
    warp, size = perspective_warp(corners)
    return cv2.warpPerspective(img, warp, size)


def lit_part(img: np.ndarray, rules: CopyRules) -> np.ndarray:
    """The lit object of a capture whose surround is dark, where the page's outline was not found (a card
    laid on a scanner's black lid or a dark desk): the bounding box of the largest connected region
    brighter than `surround_dark_max`, when it fills less than `lit_share_max` of the frame. The dark
    surround is not the paper: left in, it outweighs the card in every statistic (its colour diluted, its
    tinted ground counted among the lid's blacks instead of as mid-tones), so an original looks like toner.
    A page that fills the frame (a scan, a copy on white paper) is its own lit region and is left whole;
    a photocopy cut out this way is still grey toner on white paper."""
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    mask = (grey > rules.surround_dark_max).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return img
    k = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h = (int(v) for v in stats[k, :4])
    if w * h >= rules.lit_share_max * grey.size:
        return img
    return img[y : y + h, x : x + w]


def white_balanced(img: np.ndarray) -> np.ndarray:
    """The paper made neutral (each channel scaled to the same paper white): warm or cool light on
    black-on-white paper is not colour print."""
    paper = np.percentile(img.reshape(-1, 3), 90, axis=0)
    scaled = img.astype(np.float32) * (float(paper.mean()) / np.maximum(paper, 1.0))
    return np.clip(scaled, 0, 255).astype(np.uint8)


def content(img: np.ndarray) -> np.ndarray:
    """The part of the page that carries something: an ID card scanned on a white A4 sheet is judged
    on the card, not diluted by the empty paper around it."""
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    saturation = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)[..., 1]
    ys, xs = np.nonzero((grey < 235) | (saturation > 30))
    if len(xs) < 0.01 * grey.size:
        return img
    x0, x1 = np.percentile(xs, [0.5, 99.5]).astype(int)
    y0, y1 = np.percentile(ys, [0.5, 99.5]).astype(int)
    return img[y0 : y1 + 1, x0 : x1 + 1]


def copier_frame(img: np.ndarray, rules: CopyRules) -> float:
    """How much darker than the page's white paper its edges print, along the more framed axis (both the
    left and right strips, or both the top and bottom ones); 0 where there is no such frame.

    A copier exposes its glass and lid beyond the sheet and prints them as a grey band along the copy's
    edges, while its contrast drives the paper itself to full white. A scan or photo of the sheet has
    the scanner's white lid or the paper's own tone at its edges. Strips that are black (a scanner's
    black backing, a desk) or paper that is not white (a card filling the frame, a phone photo) are no
    copier's frame and measure 0."""
    grey = cv2.cvtColor(_at_width(img, cv2.INTER_AREA, 1200), cv2.COLOR_BGR2GRAY).astype(np.float32)
    h, w = grey.shape
    paper = float(np.percentile(grey[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4], 90))
    if paper < rules.border_paper_min:
        return 0.0
    b = max(2, round(w * rules.border_strip))
    left, right, top, bottom = (float(np.median(s)) for s in (grey[:, :b], grey[:, -b:], grey[:b], grey[-b:]))

    def drop(one: float, other: float) -> float:
        return 0.0 if min(one, other) < rules.border_level_min else paper - max(one, other)

    return max(0.0, drop(left, right), drop(top, bottom))


SCREEN_TILE = 128  # px of the page at its own resolution: the screen's pitch is a few scan pixels
_freq = np.fft.fftfreq(SCREEN_TILE).astype(np.float32)
_fy, _fx = np.meshgrid(_freq, _freq, indexing="ij")
_radius = np.hypot(_fx, _fy) * SCREEN_TILE  # in frequency bins
_ring = np.round(_radius).astype(int)
_window = np.outer(np.hanning(SCREEN_TILE), np.hanning(SCREEN_TILE)).astype(np.float32)


def _screen_tiles(grey: np.ndarray, rules: CopyRules) -> np.ndarray:
    """Power spectra of the page's fine detail (the image less its blur), one per tile that carries any,
    at most `screen_tiles_max` tiles spread over the page."""
    fine = grey - cv2.GaussianBlur(grey, (0, 0), 2.0)
    h, w = fine.shape
    corners = [
        (y, x) for y in range(0, h - SCREEN_TILE + 1, SCREEN_TILE) for x in range(0, w - SCREEN_TILE + 1, SCREEN_TILE)
    ]
    step = max(1, -(-len(corners) // rules.screen_tiles_max))
    spectra = []
    for y, x in corners[::step]:
        tile = fine[y : y + SCREEN_TILE, x : x + SCREEN_TILE]
        if tile.std() >= rules.screen_detail_min:
            spectra.append(np.abs(np.fft.fft2((tile - tile.mean()) * _window)) ** 2)
    return np.array(spectra, np.float32)


def _radial_neighbour(spectrum: np.ndarray, step: float) -> np.ndarray:
    """The spectrum at each frequency's own direction, `step` bins further from the centre (nearest bin)."""
    scale = (np.maximum(_radius, 1e-6) + step) / np.maximum(_radius, 1e-6)
    iy = np.round(_fy * scale * SCREEN_TILE).astype(int) % SCREEN_TILE
    ix = np.round(_fx * scale * SCREEN_TILE).astype(int) % SCREEN_TILE
    return spectrum[iy, ix]


def print_screen(img: np.ndarray, rules: CopyRules) -> float:
    """How strongly a printer's screen (a regular lattice of dots at a fine pitch) shows over the page: the
    strength of the most prominent fine periodic peak of the typical tile's spectrum times its isolation.

    A printer lays a photo down as dots on a fixed lattice (an ordered dither, a halftone screen) at a
    pitch of a few scan pixels, uniform over the whole picture. In the spectrum of the page's fine detail
    that is a sharp peak, at the same frequency in every tile. Its strength is taken against the median
    power of the same ring of frequencies (every direction at that pitch) in each tile, so sensor noise and
    JPEG's trace (which spread over the ring) do not count; the median over tiles keeps only what most
    of the page carries, so a patterned object in one part of a photo does not count. Its isolation is
    its power over that of its radial neighbours (`screen_isolation_bins` nearer and further out in the
    same direction): the edges of text and of single rules put power all along their direction (a ridge
    through the centre), a lattice of dots only at its pitch. A card's print has no screen that a scan or
    photo resolves; a print of a photo of the card has its printer's. Evenly ruled lines over most of the
    page (a form's rows) are a grating whose harmonics are isolated peaks too: so the measure is judged
    for cards only (classifiers.documents)."""
    grey = (img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)).astype(np.float32)
    spectra = _screen_tiles(grey, rules)
    if len(spectra) < rules.screen_tiles_min:
        return 0.0
    band = (_radius >= rules.screen_band[0] * SCREEN_TILE) & (_radius <= rules.screen_band[1] * SCREEN_TILE)
    ringed = np.zeros_like(spectra)
    for ring in np.unique(_ring[band]):
        on = _ring == ring
        ringed[:, on] = spectra[:, on] / np.maximum(np.median(spectra[:, on], axis=1), 1e-6)[:, None]
    typical = np.median(ringed, axis=0)
    step = rules.screen_isolation_bins
    outer = np.where(_radius + step <= SCREEN_TILE / 2, _radial_neighbour(typical, step), 0.0)
    isolation = typical / np.maximum(np.maximum(_radial_neighbour(typical, -step), outer), 1.0)
    return float(np.max(np.where(band, typical * isolation, 0.0)))


def assess_copy(img: np.ndarray, seals: list[Seal], rules: ImageRules) -> CopyAssessment:
    r = rules.photocopy
    bgr = img if img.ndim == 3 else cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    small = content(white_balanced(lit_part(page_only(_at_width(bgr, cv2.INTER_AREA)), r)))
    colour = colourfulness(small)
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    midtones = float(((grey > 60) & (grey < 200)).mean())
    chroma = channel_spread(bgr)
    evidence = {
        "colourfulness": round(colour, 2),
        "midtones": round(midtones, 4),
        "channel_spread": round(chroma, 2),
        "red_seals": float(len(seals)),
    }
    if seals:
        return CopyAssessment(is_copy=False, confidence=0.9, colour_lost=False, evidence=evidence)
    # Judged with the document's type (classifiers.documents): a card has no screen of its own.
    evidence["print_screen"] = round(print_screen(bgr, r), 1)
    if colour >= r.colourful_original:
        return CopyAssessment(is_copy=False, confidence=0.75, colour_lost=False, evidence=evidence)
    if colour <= r.grey_max:
        # No colour left. A binarised page (few mid-tones) looks like toner, but a clean scan of a
        # printed e-invoice looks the same (real invoice_01, invoice_10): never claim a copy on
        # this alone; leave it undecided with the evidence, for a clerk where an original is required.
        # A copier's frame round white paper is what a copy shows and a scan of the sheet does not.
        binarised = midtones <= r.toner_midtone_max
        capture = chroma >= r.capture_spread_min
        frame = copier_frame(bgr, r)
        evidence["copier_frame"] = round(frame, 1)
        if frame >= r.border_drop_min:
            return CopyAssessment(
                is_copy=True,
                confidence=r.border_copy_confidence,
                colour_lost=True,
                evidence=evidence,
                colour_capture=capture,
            )
        confidence = 0.35 if binarised else 0.25
        return CopyAssessment(
            is_copy=None, confidence=confidence, colour_lost=True, evidence=evidence, colour_capture=capture
        )
    return CopyAssessment(is_copy=None, confidence=0.4, colour_lost=False, evidence=evidence)
