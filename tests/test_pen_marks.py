"""Pen marks without a printed box (ocr/marks.py `pen_marks`): a loop drawn round one option's words, a free
tick beside one, on constructed images of printed CJK options; written into the line text only where the
pen's choice of one option of the row is sure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from intake.models import OcrLine
from ocr.base import Column
from ocr.marks import written_marks
from tests.factories import line

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
SIZE = 28  # the printed text's size in pixels; a detector's box is a little taller
PEN = (30, 40, 150)  # a blue ballpoint, as RGB
OPTIONS = ("异地长期居住人员", "常驻异地工作人员", "异地转诊人员", "临时外出就医人员")
Y = 200  # the row's text top


class Columns:
    """An engine whose recogniser reads every line as the `columns` given."""

    def __init__(self, columns: list[Column] | None = None) -> None:
        self.given = columns or []

    def columns(self, image: np.ndarray) -> list[Column]:
        return self.given


@pytest.fixture(scope="module")
def font() -> ImageFont.FreeTypeFont:
    if not FONT.is_file():
        pytest.skip(f"font missing: {FONT}")
    return ImageFont.truetype(str(FONT), SIZE)


def _row(
    draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont, options: tuple[str, ...] = OPTIONS, gap: int = 40
) -> tuple[list[OcrLine], list[tuple[int, int]]]:
    """A printed label and options in a row, each read as a line of its own (a box 8 px round its words);
    the options' left and right ends."""
    draw.text((60, Y), "人员类别", font=font, fill="black")
    lines = [line("人员类别", 52, Y - 8, w=4 * SIZE + 16, h=SIZE + 16)]
    x, ends = 260, []
    for option in options:
        draw.text((x, Y), option, font=font, fill="black")
        width = round(draw.textlength(option, font=font))
        lines.append(line(option, x - 8, Y - 8, w=width + 16, h=SIZE + 16))
        ends.append((x, x + width))
        x += width + gap
    return lines, ends


def _loop(draw: ImageDraw.ImageDraw, x0: int, x1: int, colour: tuple[int, int, int] = PEN, pad: int = 12) -> None:
    """A hand's loop round the words from x0 to x1: an ellipse overshooting where it started, a little off."""
    draw.arc([x0 - pad, Y - pad + 2, x1 + pad + 3, Y + SIZE + pad - 1], 200, 585, fill=colour, width=3)


def _tick(draw: ImageDraw.ImageDraw, x: int) -> None:
    """A free pen tick (√) standing at x, about the text's height."""
    draw.line([(x, Y + 14), (x + 8, Y + SIZE - 2), (x + 26, Y - 6)], fill=PEN, width=3, joint="curve")


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (1600, 500), (252, 252, 250))
    return image, ImageDraw.Draw(image)


def _read(image: Image.Image, lines: list[OcrLine], engine: Columns | None = None) -> list[str]:
    bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
    return [ln.text for ln in written_marks(bgr, lines, engine or Columns())]  # type: ignore[arg-type]


@pytest.mark.parametrize("chosen", [0, 3])
def test_the_option_a_pen_loop_encloses_is_written_chosen(font: ImageFont.FreeTypeFont, chosen: int) -> None:
    """GIVEN a printed row of four options, one circled by a hand's loop WHEN marks are looked for THEN ◉ is
    written before that option's words and the other lines are left as read."""
    image, draw = _canvas()
    lines, ends = _row(draw, font)
    _loop(draw, *ends[chosen])
    expected = [ln.text for ln in lines]
    expected[1 + chosen] = "◉" + expected[1 + chosen]
    assert _read(image, lines) == expected


def test_a_loop_round_a_one_character_option_is_written(font: ImageFont.FreeTypeFont) -> None:
    """GIVEN 性别 男 女 with 女 circled WHEN looked for THEN ◉女: a loop round one character passes above and
    below it, where the character's own outline would not."""
    image, draw = _canvas()
    lines, ends = _row(draw, font, ("男", "女"), gap=60)
    _loop(draw, *ends[1], pad=10)
    assert _read(image, lines) == ["人员类别", "男", "◉女"]


@pytest.mark.parametrize(
    "case", ["two options in one loop", "two loops", "a seal's red", "a printed frame", "no loop", "loop empty"]
)
def test_an_unsure_loop_leaves_the_row_as_read(font: ImageFont.FreeTypeFont, case: str) -> None:
    """GIVEN a row whose pen loop cannot tell one option (a loop over two, two loops), a red ring (a seal's
    colour), a printed rectangle round an option, no loop, or a loop round nothing WHEN looked for THEN
    nothing is written: the option logic keeps the field flagged."""
    image, draw = _canvas()
    lines, ends = _row(draw, font)
    if case == "two options in one loop":
        _loop(draw, ends[1][0], ends[2][1])
    elif case == "two loops":
        _loop(draw, *ends[0])
        _loop(draw, *ends[2])
    elif case == "a seal's red":
        _loop(draw, *ends[1], colour=(210, 40, 40))
    elif case == "a printed frame":
        draw.rectangle([ends[1][0] - 10, Y - 10, ends[1][1] + 10, Y + SIZE + 10], outline="black", width=2)
    elif case == "loop empty":
        _loop(draw, ends[3][1] + 40, ends[3][1] + 140)
    assert _read(image, lines) == [ln.text for ln in lines]


def test_a_loop_round_part_of_a_line_is_written_before_its_first_character(font: ImageFont.FreeTypeFont) -> None:
    """GIVEN a row of options read as one line, the third option circled WHEN looked for THEN ◉ is written
    before the first character the loop encloses, by the recogniser's columns."""
    image, draw = _canvas()
    text = "".join(OPTIONS)
    draw.text((60, Y), "人员类别", font=font, fill="black")
    x, columns, spans = 260, [], []
    for option in OPTIONS:
        start = x
        for char in option:
            draw.text((x, Y), char, font=font, fill="black")
            columns.append(Column(char, x - 252 + 8, x - 252 + SIZE - 8))
            x += SIZE
        spans.append((start, x))
        x += 40
    read = [line("人员类别", 52, Y - 8, w=4 * SIZE + 16, h=SIZE + 16), line(text, 252, Y - 8, w=x - 252, h=SIZE + 16)]
    _loop(draw, *spans[2])
    at = len(OPTIONS[0]) + len(OPTIONS[1])
    assert _read(image, read, Columns(columns)) == ["人员类别", text[:at] + "◉" + text[at:]]


def test_a_free_tick_after_one_option_is_written_after_it(font: ImageFont.FreeTypeFont) -> None:
    """GIVEN a row of options, a pen tick standing right after the second one (outside its line) WHEN
    looked for THEN √ is written after that option's words, as the option logic reads a mark after."""
    image, draw = _canvas()
    lines, ends = _row(draw, font, gap=80)
    _tick(draw, ends[1][1] + 12)
    expected = [ln.text for ln in lines]
    expected[2] += "√"
    assert _read(image, lines) == expected


def test_a_free_tick_after_a_numbered_option_is_written_after_it(font: ImageFont.FreeTypeFont) -> None:
    """GIVEN a row of options each printed with its list number (1. 异地长期居住人员 2. 常驻异地工作人员), a pen
    tick right after the second WHEN looked for THEN √ is written after it: a list number is no value, the
    option is still words."""
    image, draw = _canvas()
    numbered = tuple(f"{k}. {option}" for k, option in enumerate(OPTIONS[:2], 1))
    lines, ends = _row(draw, font, numbered, gap=160)
    _tick(draw, ends[1][1] + 12)
    expected = [ln.text for ln in lines]
    expected[2] += "√"
    assert _read(image, lines) == expected


def _strike(draw: ImageDraw.ImageDraw, x0: int, x1: int) -> None:
    """A pen stroke through an option's words at their middle height, a little aslant, overshooting both ends."""
    draw.line([(x0 - 6, Y + SIZE // 2 + 2), (x1 + 6, Y + SIZE // 2 - 1)], fill=PEN, width=3)


@pytest.mark.parametrize("ticked", [None, 2])
def test_a_struck_option_is_never_chosen(font: ImageFont.FreeTypeFont, ticked: int | None) -> None:
    """GIVEN a row of options with one struck through by hand (不适用的请划去), and either no other mark or a
    tick after another option WHEN looked for THEN the strike writes nothing (it is neither a tick nor a loop):
    alone it leaves the row as read (the option logic keeps the field flagged), beside a tick the ticked
    option is the one written."""
    image, draw = _canvas()
    lines, ends = _row(draw, font, gap=80)
    _strike(draw, *ends[0])
    expected = [ln.text for ln in lines]
    if ticked is not None:
        _tick(draw, ends[ticked][1] + 12)
        expected[1 + ticked] += "√"
    assert _read(image, lines) == expected


def test_a_tick_halfway_between_two_options_or_two_ticks_leave_the_row_as_read(font: ImageFont.FreeTypeFont) -> None:
    """GIVEN a tick midway between two options, or ticks after two WHEN looked for THEN nothing is written."""
    image, draw = _canvas()
    lines, ends = _row(draw, font, gap=80)
    _tick(draw, (ends[1][1] + ends[2][0]) // 2 - 13)
    assert _read(image, lines) == [ln.text for ln in lines]
    image, draw = _canvas()
    lines, ends = _row(draw, font, gap=80)
    _tick(draw, ends[0][1] + 12)
    _tick(draw, ends[2][1] + 12)
    assert _read(image, lines) == [ln.text for ln in lines]


def test_a_row_whose_choice_is_read_already_is_left_as_read(font: ImageFont.FreeTypeFont) -> None:
    """GIVEN a row whose recogniser read a tick (异地转诊人员√) and a loop round another option WHEN looked for
    THEN nothing is added: the row's choice was read, and a second mark would make it two."""
    image, draw = _canvas()
    lines, ends = _row(draw, font)
    _loop(draw, *ends[0])
    lines[3] = lines[3].model_copy(update={"text": lines[3].text + "√"})
    assert _read(image, lines) == [ln.text for ln in lines]


@pytest.mark.parametrize("detected", [True, False])
def test_a_table_s_index_digit_before_its_words_is_no_tick(font: ImageFont.FreeTypeFont, detected: bool) -> None:
    """GIVEN a table row whose first cell holds the item's number 6 just left of its words, the digit found
    by the detector as a line of its own or not WHEN looked for THEN nothing is written: what the detector
    found is text, and a digit's curve is no tick's two straight arms."""
    image, draw = _canvas()
    draw.text((60, Y), "6", font=font, fill="black")
    lines = [line("6", 56, Y - 8, w=24, h=SIZE + 16)] if detected else []
    for text, x in (("静脉输液", 100), ("治疗费", 320), ("次", 520)):
        draw.text((x, Y), text, font=font, fill="black")
        lines.append(line(text, x - 8, Y - 8, w=round(draw.textlength(text, font=font)) + 16, h=SIZE + 16))
    assert _read(image, lines) == [ln.text for ln in lines]
