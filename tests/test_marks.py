"""Option marks found in the page image (ocr/marks.py): boxes and radio buttons on constructed images,
written into the lines of their row only where exactly one of a set is marked."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import pytest

from intake.models import OcrLine
from ocr.base import Column
from ocr.marks import find_marks, written_marks
from tests.factories import line

HEIGHT = 40  # the line boxes' height; the marks are about half of it, as printed forms have them
SIDE = 22
WORD = 200  # an option's words, in pixels
STEP = 320  # from one option's mark to the next


class Columns:
    """An engine whose recogniser reads the one line asked about as the `columns` given (none if none)."""

    def __init__(self, columns: dict[str, list[Column]] | None = None) -> None:
        self.by_text = columns or {}

    def columns(self, image: np.ndarray) -> list[Column]:
        return next(iter(self.by_text.values()), [])


def _page(width: int = 1500, height: int = 600) -> np.ndarray:
    return np.full((height, width, 3), 255, np.uint8)


def _words(image: np.ndarray, x: int, y: int, count: int = 4) -> None:
    """Strokes standing for an option's characters (十 shapes: straight strokes, no hole)."""
    size = round(0.75 * HEIGHT)
    for k in range(count):
        left = x + k * WORD // count
        cv2.line(image, (left, y + HEIGHT // 2), (left + size, y + HEIGHT // 2), (0, 0, 0), 3)
        cv2.line(image, (left + size // 2, y + 5), (left + size // 2, y + HEIGHT - 5), (0, 0, 0), 3)


def _box(image: np.ndarray, x: int, y: int, mark: str | None) -> None:
    """A printed box of SIDE at (x, middle of a line at y), empty or holding a pen's tick, a cross or a fill."""
    top = y + (HEIGHT - SIDE) // 2
    if mark == "fill":
        cv2.rectangle(image, (x, top), (x + SIDE, top + SIDE), (0, 0, 0), -1)
        return
    cv2.rectangle(image, (x, top), (x + SIDE, top + SIDE), (0, 0, 0), 2)
    blue = (160, 60, 30)
    if mark == "tick":
        cv2.line(image, (x + 3, top + SIDE // 2), (x + SIDE // 2 - 2, top + SIDE - 3), blue, 3)
        cv2.line(image, (x + SIDE // 2 - 2, top + SIDE - 3), (x + SIDE + 4, top - 4), blue, 3)
    elif mark == "cross":
        cv2.line(image, (x + 3, top + 3), (x + SIDE - 3, top + SIDE - 3), blue, 3)
        cv2.line(image, (x + SIDE - 3, top + 3), (x + 3, top + SIDE - 3), blue, 3)


def _radio(image: np.ndarray, x: int, y: int, chosen: bool) -> None:
    """A web form's radio button: a grey ring, or a blue ring round a blue dot when chosen."""
    centre, radius = (x + SIDE // 2, y + HEIGHT // 2), SIDE // 2
    cv2.circle(image, centre, radius, (200, 120, 40) if chosen else (140, 140, 140), 2, cv2.LINE_AA)
    if chosen:
        cv2.circle(image, centre, radius // 2, (200, 120, 40), -1, cv2.LINE_AA)


def _option_row(
    image: np.ndarray, marks: Sequence[str | None], y: int = 200, radio: bool = False, x: int = 60
) -> list[OcrLine]:
    """A row of options, each a mark and its words; the lines read the words only (the marks dropped)."""
    lines = []
    for k, mark in enumerate(marks):
        left = x + k * STEP
        if radio:
            _radio(image, left, y, mark is not None)
        else:
            _box(image, left, y, mark)
        _words(image, left + SIDE + 12, y)
        lines.append(line(f"选项{k}", left + SIDE + 8, y, w=WORD + 8, h=HEIGHT))
    return lines


def _texts(image: np.ndarray, lines: list[OcrLine], engine: Columns | None = None) -> list[str]:
    return [ln.text for ln in written_marks(image, lines, engine or Columns())]  # type: ignore[arg-type]


@pytest.mark.parametrize("mark", ["tick", "cross", "fill"])
def test_the_one_marked_box_of_a_row_is_written_chosen_the_others_empty(mark: str) -> None:
    """GIVEN a row of four boxed options whose marks the recogniser dropped, the third box ticked, crossed
    or filled WHEN the marks are looked for THEN each line opens with its box: ☑ for the third, □ for the
    others."""
    image = _page()
    lines = _option_row(image, [None, None, mark, None])
    assert _texts(image, lines) == ["□选项0", "□选项1", "☑选项2", "□选项3"]


def test_a_radio_row_is_written_with_buttons() -> None:
    """GIVEN a web form's row of grey radio buttons, the second filled WHEN looked for THEN ○ and ◉."""
    image = _page()
    lines = _option_row(image, [None, "chosen", None], radio=True)
    assert _texts(image, lines) == ["○选项0", "◉选项1", "○选项2"]


@pytest.mark.parametrize("marks", [[None, None, None], ["tick", None, "cross"]])
def test_a_row_with_no_mark_or_several_is_left_as_read(marks: list[str | None]) -> None:
    """GIVEN a row whose boxes are all empty, or two of them marked WHEN looked for THEN nothing is written:
    the option logic keeps the field flagged."""
    image = _page()
    lines = _option_row(image, marks)
    assert _texts(image, lines) == [ln.text for ln in lines]


def test_a_row_without_marks_is_left_as_read() -> None:
    image = _page()
    lines = []
    for k in range(3):
        _words(image, 60 + k * STEP, 200)
        lines.append(line(f"字段{k}", 56 + k * STEP, 200, w=WORD + 8, h=HEIGHT))
    assert find_marks(image, lines, HEIGHT) == []
    assert _texts(image, lines) == ["字段0", "字段1", "字段2"]


def test_a_grid_of_touching_cells_is_no_row_of_options() -> None:
    """GIVEN a row of eighteen touching cells the size of the text (an ID number written digit by digit),
    one holding a digit WHEN looked for THEN nothing is written: cells that touch are a grid, not options."""
    image = _page(width=900)
    top = 200 + (HEIGHT - SIDE) // 2
    for k in range(18):
        cv2.rectangle(image, (300 + k * SIDE, top), (300 + (k + 1) * SIDE, top + SIDE), (0, 0, 0), 2)
    cv2.line(image, (300 + 5 * SIDE + 11, top + 4), (300 + 5 * SIDE + 11, top + SIDE - 4), (0, 0, 0), 3)
    lines = [line("公民身份号码", 60, 200, w=220, h=HEIGHT), line("3", 300 + 5 * SIDE, 200, w=SIDE, h=HEIGHT)]
    assert _texts(image, lines) == ["公民身份号码", "3"]


def test_a_table_grid_s_cells_are_not_taken_for_boxes() -> None:
    """GIVEN a table whose cells hold the lines (cells three line heights high, one cell's text crossed
    through) WHEN looked for THEN no mark is found: a cell is far larger than the text."""
    image = _page()
    for k in range(4):
        cv2.rectangle(image, (40 + k * 340, 160), (40 + (k + 1) * 340, 280), (0, 0, 0), 2)
    lines = []
    for k in range(4):
        _words(image, 80 + k * 340, 200)
        lines.append(line(f"格{k}", 76 + k * 340, 200, w=WORD + 8, h=HEIGHT))
    cv2.line(image, (400, 200), (600, 240), (0, 0, 0), 3)
    assert find_marks(image, lines, HEIGHT) == []
    assert _texts(image, lines) == [ln.text for ln in lines]


def test_options_stacked_in_one_cell_form_one_set_and_a_ruling_ends_it() -> None:
    """GIVEN three options stacked in one cell (the middle one ticked) and, below a ruling, two more of
    another question (the second ticked) WHEN looked for THEN each set is written on its own: one ticked
    mark each, not two in one set."""
    image = _page(height=900)
    lines = []
    for k, mark in enumerate([None, "tick", None]):
        lines += _option_row(image, [mark], y=100 + 55 * k)
    cv2.line(image, (20, 290), (1400, 290), (0, 0, 0), 2)
    for k, mark in enumerate([None, "tick"]):
        lines += _option_row(image, [mark], y=310 + 55 * k)
    assert _texts(image, lines) == ["□选项0", "☑选项0", "□选项0", "□选项0", "☑选项0"]


def test_a_mark_inside_a_line_is_written_at_its_place_and_replaces_a_look_alike() -> None:
    """GIVEN one line holding two options and their boxes, the first box read as 口 and the second (ticked)
    read as V WHEN looked for THEN the marks are written in their places by the recogniser's columns: the
    ticked one replaces its V, the empty one read as 口 is left as read."""
    image = _page()
    _box(image, 60, 200, None)
    _words(image, 95, 200, count=2)
    _box(image, 380, 200, "tick")
    _words(image, 415, 200, count=2)
    text = "口甲乙V丙丁"
    steps = [71, 120, 220, 391, 440, 540]  # each character's step centre, in the line's crop
    columns = [Column(char, x - 4 - 50, x + 4 - 50) for char, x in zip(text, steps, strict=True)]
    read = line(text, 50, 200, w=650, h=HEIGHT)
    assert _texts(image, [read], Columns({text: columns})) == ["口甲乙☑丙丁"]
    inserted = [c for c in columns if c.char not in "口V"]
    read = line("甲乙丙丁", 50, 200, w=650, h=HEIGHT)
    assert _texts(image, [read], Columns({"甲乙丙丁": inserted})) == ["□甲乙☑丙丁"]
    # Marks in the text that the columns do not read are where the marks were read: not written twice.
    read = line("□甲乙√丙丁", 50, 200, w=650, h=HEIGHT)
    assert _texts(image, [read], Columns({"甲乙丙丁": inserted})) == ["□甲乙☑丙丁"]


def test_a_mark_under_a_character_that_is_no_look_alike_leaves_the_row_as_read() -> None:
    """GIVEN a ticked box whose place the recogniser's columns give to a character of a word WHEN looked
    for THEN nothing is written: where the mark stands in the text cannot be told."""
    image = _page()
    _box(image, 60, 200, None)
    _words(image, 95, 200, count=2)
    _box(image, 380, 200, "tick")
    _words(image, 415, 200, count=2)
    columns = [Column(char, x - 54, x - 46) for char, x in zip("甲乙丙丁", [120, 220, 391, 540], strict=True)]
    read = line("甲乙丙丁", 50, 200, w=650, h=HEIGHT)
    assert _texts(image, [read], Columns({"甲乙丙丁": columns})) == ["甲乙丙丁"]
