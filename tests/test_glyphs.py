"""A code's l and o decided by the page's own digits (ocr/glyphs.py): glyphs paired with characters only where
the pairing is borne out, a letter turned only where it looks like the page's surely read digits.

Lines are rendered in the generator's fonts and given as the recogniser would have read them (the text
and confidences are set here); the real engine on whole generated invoices is in test_ocr_groups."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from intake.models import OcrLine
from ocr.glyphs import decide_look_alikes, last_glyphs, references
from synth.canvas import font

NUMBERS = ("票据代码：21060120", "票据号码：0011101011", "开票日期：2025-01-14")


def page_with(lines: list[tuple[str, str]], face: str = "sans", size: int = 26) -> tuple[np.ndarray, list[OcrLine]]:
    """An image of `lines` (printed text, text as read) one under the other, and the lines as read: each
    character read at 1.0, box from the printed text's ink."""
    image = Image.new("RGB", (size * 16, size * 2 * len(lines) + size), "white")
    draw = ImageDraw.Draw(image)
    read = []
    for row, (printed, as_read) in enumerate(lines):
        y = size // 2 + row * size * 2
        draw.text((size, y), printed, font=font(face, size), fill=(20, 20, 24))
        x0, y0, x1, y1 = draw.textbbox((size, y), printed, font=font(face, size))
        polygon = [(x0 - 3, y0 - 4), (x1 + 3, y0 - 4), (x1 + 3, y1 + 4), (x0 - 3, y1 + 4)]
        read.append(OcrLine(text=as_read, confidence=1.0, polygon=polygon, char_confidences=[1.0] * len(as_read)))
    picture = cv2.GaussianBlur(np.asarray(image)[:, :, ::-1].copy(), (0, 0), 0.6)
    return picture, read


@pytest.mark.parametrize("face", ["sans", "serif", "hei"])
def test_a_1_read_as_l_in_a_code_is_turned_back_by_the_page_s_own_1s(face: str) -> None:
    """GIVEN a page printing labelled numbers with 1s and a check code c9ab1a that the recogniser read
    c9abla WHEN the code's look-alikes are decided THEN the l is a 1 again; without the page's numbers
    (no 1 to compare with) it stays an l."""
    image, lines = page_with([*((text, text) for text in NUMBERS), ("校验码：c9ab1a", "校验码：c9abla")], face)
    assert decide_look_alikes(image, lines[-1], lines).text == "校验码：c9ab1a"
    assert decide_look_alikes(image, lines[-1], lines[-1:]).text == "校验码：c9abla"


@pytest.mark.parametrize("face", ["sans", "serif", "hei"])
@pytest.mark.parametrize("code", ["c9abla", "6oV4o1", "lo2fed"])
def test_a_true_l_or_o_in_a_code_is_left_as_read(face: str, code: str) -> None:
    """GIVEN a page with plenty of surely read 1s and 0s and a code truly holding l or o, read rightly
    WHEN its look-alikes are decided THEN nothing changes: an l is taller than a 1 or shaped otherwise,
    an o is x-height."""
    image, lines = page_with([*((text, text) for text in NUMBERS), (f"校验码：{code}", f"校验码：{code}")], face)
    assert decide_look_alikes(image, lines[-1], lines).text == f"校验码：{code}"


def test_only_surely_read_digits_are_references() -> None:
    """GIVEN the page's numbers, one line read below the reference sureness WHEN references are gathered
    THEN its digits are not among them, and each 1 and 0 of the sure lines is."""
    image, lines = page_with([(text, text) for text in NUMBERS])
    unsure = lines[1].model_copy(update={"char_confidences": [0.9] * len(lines[1].text)})
    sure_ones = sum(text.split("：")[1].count("1") for text in (NUMBERS[0], NUMBERS[2]))
    assert len(references(image, [lines[0], unsure, lines[2]])["1"]) == sure_ones
    assert len(references(image, lines)["0"]) == sum(text.split("：")[1].count("0") for text in NUMBERS)


def inked(widths: list[int], colon: bool = True) -> np.ndarray:
    """A 30 px high line: a label block, a colon (two dots) if asked, then runs of ink of `widths`."""
    line = np.full((30, 300), 255, np.uint8)
    line[5:25, 2:22] = 0
    x = 30
    if colon:
        line[8:11, x : x + 3] = 0
        line[18:21, x : x + 3] = 0
        x += 8
    for width in widths:
        line[5:25, x : x + width] = 0
        x += width + 4
    return line


def test_glyphs_are_paired_with_characters_only_where_the_pairing_is_borne_out() -> None:
    """GIVEN runs of ink after a colon WHEN they are paired with a token's characters THEN one run a
    character; a run as wide as two lone glyphs stands for two characters that get no glyph; without a
    colon before them, or with a count the runs do not bear out, nothing is paired."""
    assert [g is not None for g in last_glyphs(inked([10, 3, 10, 10]), 4) or []] == [True] * 4
    assert [g is not None for g in last_glyphs(inked([10, 3, 21]), 4) or []] == [True, True, False, False]
    assert last_glyphs(inked([10, 3, 10, 10], colon=False), 4) is None
    assert last_glyphs(inked([10, 3, 21]), 3) is None
    assert last_glyphs(inked([10, 10, 10]), 4) is None
