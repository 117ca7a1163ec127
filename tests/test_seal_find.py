"""The red seal finder on constructed pages: a seal ring with lettering is found over coloured bands, across
a form's red rules and pressed partly off the page; the same pages without the ring give no seal."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from classifiers.image_rules import load_image_rules
from classifiers.seal import detect_seals, without_rules

RULES = load_image_rules()
SEAL_RED = (42, 36, 214)  # BGR
W, H = 1240, 1754  # A4 at 150 dpi


def page(bands: tuple[int, int, int] | None = None) -> np.ndarray:
    """A white page with black text lines; with `bands`, zebra bands of that colour every other 40 px."""
    img = np.full((H, W, 3), 250, np.uint8)
    if bands is not None:
        for y in range(200, H - 200, 80):
            img[y : y + 40, 80 : W - 80] = bands
    for y in range(220, H - 220, 40):
        cv2.putText(img, "ITEM 12.50 x 3 = 37.50", (100, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (30, 30, 30), 2)
    return img


def red_form(img: np.ndarray) -> np.ndarray:
    """A form's frame and cell rules printed in red over the page."""
    colour = (56, 48, 190)
    cv2.rectangle(img, (60, 150), (W - 60, H - 150), colour, 3)
    for y in range(300, H - 150, 150):
        cv2.line(img, (60, y), (W - 60, y), colour, 2)
    for x in (420, 820):
        cv2.line(img, (x, 150), (x, H - 150), colour, 2)
    return img


def stamp(img: np.ndarray, centre: tuple[int, int], radius: int = 115) -> np.ndarray:
    """A seal multiplied into the page as ink is: a ring, lettering round the upper arc, a star."""
    ink = np.full(img.shape, 255, np.uint8)
    cv2.circle(ink, centre, radius, SEAL_RED, max(4, radius // 14))
    for k in range(9):
        angle = np.radians(-160 + 140 * (k + 0.5) / 9)
        x = round(centre[0] + 0.72 * radius * np.cos(angle)) - 12
        y = round(centre[1] + 0.72 * radius * np.sin(angle)) + 12
        cv2.putText(ink, "A", (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, SEAL_RED, 3)
    star = [
        (
            round(centre[0] + (0.28 if k % 2 == 0 else 0.11) * radius * np.cos(np.radians(-90 + 36 * k))),
            round(centre[1] + (0.28 if k % 2 == 0 else 0.11) * radius * np.sin(np.radians(-90 + 36 * k))),
        )
        for k in range(10)
    ]
    cv2.fillPoly(ink, [np.array(star, np.int32)], SEAL_RED)
    cv2.putText(ink, "SEAL", (centre[0] - 45, centre[1] + radius // 2), cv2.FONT_HERSHEY_SIMPLEX, 0.9, SEAL_RED, 2)
    return np.asarray((img.astype(np.uint16) * ink // 255).astype(np.uint8))


@pytest.mark.parametrize("bands", [None, (200, 235, 205), (235, 235, 235), (225, 215, 250)], ids=str)
def test_a_seal_over_coloured_bands_is_found_and_the_bands_alone_are_not(bands: tuple[int, int, int] | None) -> None:
    """GIVEN a page with zebra bands (green, grey, pink) WHEN a seal is stamped across the bands THEN one
    seal is found where it was pressed; the page without the seal gives none."""
    plain = page(bands)
    assert detect_seals(plain, RULES) == []
    found = detect_seals(stamp(plain, (900, 1300)), RULES)
    assert len(found) == 1
    x0, y0, x1, y1 = found[0].box
    assert x0 < 900 < x1 and y0 < 1300 < y1


def test_a_seal_pressed_across_a_red_printed_form_is_found() -> None:
    """GIVEN a form whose frame and cell rules are printed in red WHEN the seal is pressed across the frame's
    corner rules THEN it is found (the rules do not join it into one blob with the whole form); the form
    alone gives no seal."""
    form = red_form(page())
    assert detect_seals(form, RULES) == []
    found = detect_seals(stamp(form, (W - 160, H - 170)), RULES)
    assert len(found) == 1
    x0, y0, x1, y1 = found[0].box
    assert x0 < W - 160 < x1 and y0 < H - 170 < y1


def test_rules_go_but_a_solid_red_area_stays_whole() -> None:
    """Thin straight runs are taken out of the mask; a solid red area (a red cloth under a photographed
    card) is an area, not a rule, and is left whole rather than cut into seal-sized pieces."""
    mask = np.zeros((400, 400), np.uint8)
    mask[50, 20:380] = 255  # a rule
    mask[100:300, 100:300] = 255  # a solid area
    out = without_rules(mask, 100, 6)
    assert not out[50].any()
    assert (out[100:300, 100:300] == 255).all()


@pytest.mark.parametrize("centre", [(W - 40, 900), (600, 30), (45, H - 50)], ids=["right", "top", "bottom-left"])
def test_a_seal_pressed_partly_off_the_page_is_found(centre: tuple[int, int]) -> None:
    """GIVEN a seal whose centre lies within a third of its radius of the page's edge (up to about half of
    it off the page) WHEN seals are looked for THEN it is found, its box within the page."""
    found = detect_seals(stamp(page(), centre), RULES)
    assert len(found) == 1
    x0, y0, x1, y1 = found[0].box
    assert 0 <= x0 < x1 <= W and 0 <= y0 < y1 <= H


def test_a_red_block_at_the_edge_is_no_cut_seal() -> None:
    """A red straight-edged block or a red bar running off the page is not a seal pressed off it."""
    img = page()
    img[700:900, W - 150 :] = SEAL_RED
    img[1200:1215, W - 400 :] = SEAL_RED
    assert detect_seals(img, RULES) == []


@pytest.mark.parametrize("turn", [cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180, cv2.ROTATE_90_COUNTERCLOCKWISE])
def test_a_seal_on_a_turned_page_is_found(turn: int) -> None:
    """A page saved turned a quarter or upside down: the seal is still found, the page alone gives none."""
    form = red_form(page((200, 235, 205)))
    assert detect_seals(cv2.rotate(form, turn), RULES) == []
    assert len(detect_seals(cv2.rotate(stamp(form, (W - 160, H - 170)), turn), RULES)) == 1
