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
