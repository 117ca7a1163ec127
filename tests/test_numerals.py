"""A doubtfully read stage in Roman numerals counted in the image (ocr/numerals.py), with the real recogniser
placing the characters either side of it. Lines are rendered in the generator's fonts and given as the
recogniser would have read them (text and confidences set here)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from intake.models import OcrLine
from intake.settings import RapidOcrOptions
from ocr.engine import get_engine
from ocr.numerals import COUNTED, count_numerals
from synth.canvas import font


def _read_as(printed: str, as_read: str, numerals: float, face: str = "sans") -> tuple[str, list[float]]:
    """`printed` rendered 30 px high, read as `as_read` with its I-type numerals at `numerals`, counted."""
    size = 30
    image = Image.new("RGB", (size * (len(printed) + 2), size * 3), "white")
    draw = ImageDraw.Draw(image)
    draw.text((size, size), printed, font=font(face, size), fill=(20, 20, 24))
    x0, y0, x1, y1 = draw.textbbox((size, size), printed, font=font(face, size))
    polygon = [(x0 - 3, y0 - 4), (x1 + 3, y0 - 4), (x1 + 3, y1 + 4), (x0 - 3, y1 + 4)]
    chars = [numerals if char in "IⅠⅡⅢ" else 1.0 for char in as_read]
    line = OcrLine(text=as_read, confidence=0.9, polygon=polygon, char_confidences=chars)
    picture = cv2.GaussianBlur(np.asarray(image)[:, :, ::-1].copy(), (0, 0), 0.6)
    counted = count_numerals(picture, line, get_engine(RapidOcrOptions()))
    return counted.text, counted.char_confidences or []


@pytest.mark.parametrize("face", ["sans", "serif"])
@pytest.mark.parametrize(
    ("printed", "as_read", "counted"),
    [
        ("出院诊断：鼻咽癌（T2N2M0）III期", "出院诊断：鼻咽癌（T2N2M0）ⅢI期", "出院诊断：鼻咽癌（T2N2M0）III期"),
        ("出院诊断：鼻咽癌（T2N2M0）III期", "出院诊断：鼻咽癌（T2N2M0）II期", "出院诊断：鼻咽癌（T2N2M0）III期"),
        ("出院诊断：冠心病 心功能III级", "出院诊断：冠心病心功能IIII级", "出院诊断：冠心病心功能III级"),
        ("出院诊断：胃窦癌（T3N1M0）IIIA期", "出院诊断：胃窦癌（T3N1M0）IIA期", "出院诊断：胃窦癌（T3N1M0）IIIA期"),
    ],
)
def test_a_doubtful_run_of_i_is_counted_in_the_image(printed: str, as_read: str, counted: str, face: str) -> None:
    """GIVEN a stage printed III (IIIA) and read with a numeral too many or too few at 0.5 THEN the strokes
    in the image are counted: the stage reads as printed, its numerals at COUNTED."""
    text, chars = _read_as(printed, as_read, 0.5, face)
    assert text == counted
    assert [c for char, c in zip(text, chars, strict=True) if char == "I"] == [COUNTED] * counted.count("I")


def test_a_sure_run_or_one_beside_a_v_is_left_as_read() -> None:
    """A run read surely is not counted again (even if wrong: nothing doubts it), nor one beside a V or X,
    whose strokes would count."""
    printed = "出院诊断：鼻咽癌（T2N2M0）III期"
    assert _read_as(printed, "出院诊断：鼻咽癌（T2N2M0）II期", 0.95)[0] == "出院诊断：鼻咽癌（T2N2M0）II期"
    lymphoma = "出院诊断：弥漫大B细胞淋巴瘤IVB期"
    assert _read_as(lymphoma, "出院诊断：弥漫大B细胞淋巴瘤IIVB期", 0.5)[0] == "出院诊断：弥漫大B细胞淋巴瘤IIVB期"


def test_a_stage_after_another_run_of_i_is_counted_and_an_icu_is_no_stage() -> None:
    """The stage is looked for among all runs of I in a line (an I of ICU before it is no stage: its C stands
    before no stage word or digit), and an ICU's I read doubtfully is left as read."""
    printed = "出院诊断：转入ICU，鼻咽癌（T2N2M0）III期"
    text, _ = _read_as(printed, "出院诊断：转入ICU，鼻咽癌（T2N2M0）II期", 0.5)
    assert text == printed
    icu = "出院诊断：转入ICU后好转"
    text, chars = _read_as(icu, icu, 0.5)
    assert text == icu and chars[icu.index("I")] == 0.5


@pytest.mark.parametrize("face", ["sans", "serif"])
@pytest.mark.parametrize(
    ("printed", "as_read"),
    [
        ("出院诊断：鼻咽癌（T2N2M0）III期", "出院诊断：鼻咽癌（T2N2M0）期"),
        ("出院诊断：胃窦癌（T3N1M0）IIIA期", "出院诊断：胃窦癌（T3N1M0）A期"),
        ("出院诊断：冠心病 心功能II级", "出院诊断：冠心病心功能级"),
    ],
)
def test_a_stage_lost_whole_is_counted_where_it_stands(printed: str, as_read: str, face: str) -> None:
    """GIVEN a stage the recogniser lost whole, read surely (鼻咽癌（T2N2M0）期 at 1.0, photocopies in the
    tuning sets) THEN the strokes between the bracket (心功能) and the stage word are counted."""
    text, chars = _read_as(printed, as_read, 1.0, face)
    assert text == printed.replace(" ", "")
    assert [c for char, c in zip(text, chars, strict=True) if char == "I"] == [COUNTED] * printed.count("I")


def test_a_lost_stage_iv_or_no_stage_is_left_as_read() -> None:
    """A lost stage IV is not counted (its V's strokes would count I), nor is anything written where no
    stage was lost (原发性高血压3级: a digit stands before 级, no bracket)."""
    lost_iv = "出院诊断：肺腺癌（T2aN2M1b）期"
    assert _read_as("出院诊断：肺腺癌（T2aN2M1b）IVA期", lost_iv, 1.0)[0] == lost_iv
    digits = "出院诊断：原发性高血压3级（极高危）"
    assert _read_as(digits, digits, 1.0)[0] == digits
