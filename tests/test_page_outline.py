"""The photographed page's outline (ocr/preprocess.detect_page_quad) on constructed pictures: a page on a
darker desk is found, keystoned as a phone sees it; a card split by a shadow into a lit part and a dark
part is no page outline, so nothing is warped away (issue 28: ID cards inside cases lost all fields)."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.preprocess import QUAD_SIDE_RATIO_MIN, detect_page_quad


def picture(lit: list[tuple[int, int]], background: int = 90, shade: list[tuple[int, int]] | None = None) -> np.ndarray:
    """A 1000 × 700 picture: a light quad `lit` on a `background` tone, `shade` painted over it in that tone."""
    img = np.full((700, 1000, 3), background, np.uint8)
    cv2.fillPoly(img, [np.array(lit, np.int32)], (235, 235, 235))
    if shade:
        cv2.fillPoly(img, [np.array(shade, np.int32)], (background, background, background))
    return img


def test_a_keystoned_page_on_a_desk_is_outlined() -> None:
    """GIVEN a page photographed aslant (far side 0.85 of the near side) THEN its four corners are found."""
    corners = detect_page_quad(picture([(230, 100), (770, 100), (860, 620), (140, 620)]))
    assert corners is not None
    assert np.allclose(corners, [(230, 100), (770, 100), (860, 620), (140, 620)], atol=12)


def test_a_card_half_in_shadow_is_not_warped_to_its_lit_part() -> None:
    """GIVEN a card filling the picture with a shadow over its lower left, so that only a four-sided lit part
    (top 900 px, bottom 250 px) stands out from the dark THEN no outline is given: warping the lit part to
    the frame would lose the text in the shade."""
    card = [(50, 50), (950, 50), (950, 650), (50, 650)]
    shade = [(0, 0), (50, 50), (700, 650), (0, 700)]
    assert detect_page_quad(picture(card, shade=shade)) is None


def test_the_side_ratio_floor_lies_between_phone_photos_and_split_cards() -> None:
    """The floor sits below what a keystoned phone photo measures (0.87+) and above split cards (≤ 0.65)."""
    assert 0.65 < QUAD_SIDE_RATIO_MIN < 0.87
