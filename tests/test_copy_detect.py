"""Copy evidence on one page image (`classifiers.copy_detect.assess_copy`): a grey capture names a copy
only where the copier's frame shows; no original, synthetic or real, is ever called a copy."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from classifiers.copy_detect import assess_copy, copier_frame
from classifiers.image_rules import load_image_rules
from classifiers.seal import detect_seals
from synth.variants import photocopy, scan_grey
from tests.conftest import REAL_SAMPLES

RULES = load_image_rules()


def bill(seed: int = 7) -> np.ndarray:
    """A bill-like A4 page at 200 dpi: black rules and text strokes, a pale-tint header, a red seal."""
    rng = np.random.default_rng(seed)
    page = np.full((2339, 1654, 3), 255, np.uint8)
    page[150:260, 120:1534] = (235, 225, 250)  # pale tinted stock under the title
    for y in range(320, 1900, 80):
        cv2.line(page, (120, y), (1534, y), (40, 40, 40), 2)
        for x in rng.integers(140, 1400, 12):
            cv2.rectangle(page, (int(x), y + 20), (int(x) + 60, y + 55), (30, 30, 30), -1)
    cv2.circle(page, (1250, 2050), 150, (40, 40, 210), 10)
    return page


def grey_bgr(grey: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_photocopy_in_a_grey_capture_is_named_a_copy(seed: int) -> None:
    img = grey_bgr(photocopy(bill(), random.Random(seed), np.random.default_rng(seed)))
    found = assess_copy(img, detect_seals(img, RULES), RULES)
    assert found.is_copy is True and found.colour_lost
    assert found.evidence["copier_frame"] >= RULES.photocopy.border_drop_min


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_grey_scan_of_the_original_stays_undecided(seed: int) -> None:
    img = grey_bgr(scan_grey(bill(), random.Random(seed), np.random.default_rng(seed)))
    found = assess_copy(img, detect_seals(img, RULES), RULES)
    assert found.is_copy is None and found.colour_lost


def test_black_backing_or_a_card_filling_the_frame_is_no_copier_frame() -> None:
    """GIVEN white paper on a scanner's black backing, and a grey card filling the frame (its edges a
    little darker) THEN neither measures a copier's frame."""
    page = np.full((1400, 1000), 252, np.uint8)
    page[:, :20] = page[:, -20:] = 15
    assert copier_frame(grey_bgr(page), RULES.photocopy) == 0.0
    card = np.full((630, 1000), 200, np.uint8)
    card[:, :15] = card[:, -15:] = 150
    assert copier_frame(grey_bgr(card), RULES.photocopy) == 0.0


@pytest.mark.skipif(not REAL_SAMPLES.is_dir(), reason="../shared/real-samples not present")
def test_no_real_original_is_called_a_copy() -> None:
    files = sorted(p for p in REAL_SAMPLES.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    assert len(files) >= 10
    for path in files:
        img = cv2.imread(str(path), cv2.IMREAD_COLOR)
        assert img is not None, path.name
        assert assess_copy(img, detect_seals(img, RULES), RULES).is_copy is not True, path.name


def _on_dark_lid(item: np.ndarray, seed: int) -> np.ndarray:
    """`item` laid near a corner of a frame about ten times its area that is a scanner's black lid."""
    rng = np.random.default_rng(seed)
    frame = rng.integers(10, 30, (2400, 1700, 3)).astype(np.uint8)
    h, w = item.shape[:2]
    frame[1500 : 1500 + h, 700 : 700 + w] = item
    return frame


def _tinted_card(seed: int) -> np.ndarray:
    """A card's pale tinted ground (pink to blue) under fine coloured guilloche lines, with black text."""
    rng = np.random.default_rng(seed)
    card = np.zeros((540, 856, 3), np.uint8)
    card[:] = np.linspace((238, 222, 246), (248, 232, 222), 856).astype(np.uint8)  # BGR, across the card
    for k in range(0, 856, 24):
        cv2.ellipse(card, (k, 270), (120, 200), 0, 0, 360, (215, 170, 140), 2)
    for y in range(60, 480, 70):
        for x in rng.integers(60, 700, 6):
            cv2.rectangle(card, (int(x), y), (int(x) + 40, y + 30), (30, 30, 30), -1)
    return card


@pytest.mark.parametrize("seed", [1, 2])
def test_a_card_on_a_dark_lid_is_judged_on_the_card(seed: int) -> None:
    """GIVEN a tinted card laid on a scanner's black lid, filling a tenth of the frame WHEN its copy
    evidence is taken THEN it is measured on the card (its colour and tinted mid-tones), an original; the
    lid is not averaged in, which made the card look like binarised toner."""
    found = assess_copy(_on_dark_lid(_tinted_card(seed), seed), [], RULES)
    assert found.is_copy is False
    assert found.evidence["midtones"] > RULES.photocopy.toner_midtone_max


@pytest.mark.parametrize("seed", [1, 2])
def test_a_photocopy_on_a_dark_lid_is_not_called_an_original(seed: int) -> None:
    """GIVEN a photocopy of a card (grey toner on white paper) on the same black lid THEN cut to its lit
    part it shows no colour and is never called an original."""
    copy = cv2.cvtColor(cv2.cvtColor(_tinted_card(seed), cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    copy = np.where(copy < 128, 40, 252).astype(np.uint8)
    found = assess_copy(_on_dark_lid(copy, seed), [], RULES)
    assert found.is_copy is not False
