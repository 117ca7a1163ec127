"""Lines read narrowed and short lines side by side (ocr/recognition.py): how lines are scaled, how rows
are made and split, and on sample pages (a table, a page of long lines) that narrowed and packed lines
read as they do alone (real PP-OCR), in fewer recogniser columns. The int8 recogniser's doubtful lines
read again by the fp32 one: which lines are, and on a sample page that the result reads as fp32 does."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from intake.settings import InputLimits, RapidOcrOptions
from ocr.loader import load_pages
from ocr.provision import rapid_model_paths
from ocr.rapid_engine import RapidOcrEngine
from ocr.recognition import (
    GAP,
    HEIGHT,
    STEP,
    LineScore,
    Rechecked,
    Recognised,
    at_model_height,
    rows_of,
    split_row,
)

DOCUMENTS = Path(__file__).resolve().parent.parent / "samples" / "documents"


def _engine(settings: RapidOcrOptions) -> RapidOcrEngine:
    """A fresh engine (not the cached one: these tests count what its sessions are given)."""
    return RapidOcrEngine(rapid_model_paths(settings), settings)


def test_only_lines_wider_than_the_padding_are_narrowed_and_never_below_it() -> None:
    def width(line_width: int) -> int:
        return at_model_height(np.full((24, line_width, 3), 255, np.uint8), 0.8, keep=160).shape[1]

    assert at_model_height(np.zeros((24, 50, 3), np.uint8), 0.8, keep=160).shape == (HEIGHT, 100, 3)
    assert width(70) == 140, "a short line is padded to 160 anyway: kept at its own width"
    assert width(90) == 160, "180 px narrowed stops at the padding width"
    assert width(500) == 800, "1000 px read at 800"


def test_rows_take_only_narrow_lines_and_stay_within_their_width() -> None:
    widths = [40, 150, 60, 300, 100, 159, 170]
    rows = rows_of(widths, narrow=160, capacity=320)
    assert rows == [[5, 4], [1, 2, 0]], "first fit from the widest"
    for row in rows:
        assert sum(widths[i] for i in row) + GAP * (len(row) - 1) <= 320
    assert rows_of([100, 300], narrow=160, capacity=320) == [], "a narrow line without a partner is read alone"


def test_a_row_is_split_by_the_step_each_character_was_read_at() -> None:
    spans = [(0, 64), (80, 160)]  # two lines, GAP apart
    text = "共2 页 x"
    # 共, 2 over the first line; the space between them and 页 straddles the gap; 页, space, x in the second
    steps: list[int | None] = [1, 5, None, 11, None, 17]
    score = LineScore(0.8, [0.9, 1.0, 0.5, 0.8, 0.6, 1.0], steps)
    (first, first_score), (second, second_score) = split_row(text, score, spans)
    assert (first, second) == ("共2", "页 x"), "a space between two lines is dropped, one inside a line kept"
    assert isinstance(first_score, LineScore) and first_score.chars == (0.9, 1.0)
    assert isinstance(second_score, LineScore) and second_score.chars == (0.8, 0.6, 1.0)
    assert second_score == pytest.approx(0.8, abs=1e-5)


def test_a_character_in_the_gap_goes_to_the_nearer_line() -> None:
    spans = [(0, 64), (96, 160)]
    near_second = (96 - 4) // STEP  # its step's centre lies 4 px before the second line
    (first, _), (second, _) = split_row("ab", LineScore(1.0, [1.0, 1.0], [2, near_second]), spans)
    assert (first, second) == ("a", "b")
    assert split_row("", 0.0, spans) == [("", 0.0), ("", 0.0)], "a row read as nothing"


def _alnum(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalnum())


class _Columns:
    """Counts the recogniser's input columns (batch × width)."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.columns = 0

    def __call__(self, batch: np.ndarray) -> Any:
        self.columns += batch.shape[0] * batch.shape[-1]
        return self.session(batch)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


@pytest.mark.parametrize(
    ("sample", "scale", "pack", "columns_at_most"),
    [
        ("expense_list_photocopy.tif", 1.0, 320, 0.9),  # a table: mostly short cells
        ("discharge_record_scan.jpg", 0.8, 0, 0.9),  # mostly long lines
        ("expense_list_photocopy.tif", 0.8, 320, 0.8),  # the default
    ],
)
def test_narrowed_and_packed_lines_read_as_they_do_alone_in_fewer_columns(
    sample: str, scale: float, pack: int, columns_at_most: float
) -> None:
    image = load_pages((DOCUMENTS / sample).read_bytes(), InputLimits())[0].image
    readings, columns = [], []
    fp32: dict[str, Any] = {"threads": 1, "model_precision": "fp32"}
    alone_settings = RapidOcrOptions(**fp32, rec_width_scale=1.0, rec_pack_width=0)
    for settings in (alone_settings, RapidOcrOptions(**fp32, rec_width_scale=scale, rec_pack_width=pack)):
        engine = _engine(settings)
        counter = _Columns(engine.stages()["rec"].session)
        engine.stages()["rec"].session = counter
        readings.append(engine.read(image, use_cls=False))
        columns.append(counter.columns)
    alone, shaped = readings
    assert len(alone) == len(shaped) > 20
    assert [_alnum(line.text) for line in shaped] == [_alnum(line.text) for line in alone]
    assert [line.polygon for line in shaped] == [line.polygon for line in alone]
    for line in shaped:
        assert line.char_confidences is not None and len(line.char_confidences) == len(line.text)
    assert columns[1] < columns_at_most * columns[0], columns


class _Stage:
    """A recognition stage that reads each line as the text it was given, at the given confidences."""

    def __init__(self, readings: dict[int, tuple[str, float]]) -> None:
        self.readings = readings
        self.asked: list[int] = []

    def __call__(self, images: list[np.ndarray], word_boxes: bool = False) -> Recognised:
        keys = [int(image[0, 0, 0]) for image in images]
        self.asked += keys
        texts = [self.readings[k][0] for k in keys]
        scores: list[float] = [
            LineScore(self.readings[k][1], [self.readings[k][1]] * len(self.readings[k][0])) for k in keys
        ]
        return Recognised(images, texts, scores, [None] * len(images))


def test_only_lines_with_a_doubtful_character_are_read_again_and_their_second_reading_kept() -> None:
    lines = [np.full((48, 100, 3), k, np.uint8) for k in range(3)]
    first = _Stage({0: ("统筹基金", 0.99), 1: ("财政今", 0.45), 2: ("", 0.0)})
    second = _Stage({1: ("财政厅", 0.5), 2: ("", 0.0)})
    out = Rechecked(first, second, below=0.9)(lines)
    assert second.asked == [1, 2], "the sure line is not read again; one read as nothing is"
    assert out.txts == ["统筹基金", "财政厅", ""]
    assert [round(float(s), 2) for s in out.scores] == [0.99, 0.5, 0.0], "the kept reading's confidence"
    never = _Stage({})
    Rechecked(first, never, below=0.0)(lines)
    assert never.asked == [], "0 reads nothing again"


def test_int8_lines_rechecked_by_fp32_read_as_fp32_reads_them() -> None:
    """On a photocopied expense list (real PP-OCR), the default int8 recogniser with its doubtful lines read
    again by fp32 reads every line's letters and digits as fp32 alone does; its sure lines as int8 alone."""
    image = load_pages((DOCUMENTS / "expense_list_photocopy.tif").read_bytes(), InputLimits())[0].image
    settings = RapidOcrOptions(threads=1)
    assert settings.model_precision == "int8-rec" and settings.recheck_below > 0
    default = _engine(settings)
    rechecked = default.read(image, use_cls=False)
    int8 = _engine(settings.model_copy(update={"recheck_below": 0.0})).read(image, use_cls=False)
    fp32 = _engine(settings.model_copy(update={"model_precision": "fp32"})).read(image, use_cls=False)
    assert len(rechecked) == len(int8) == len(fp32) > 20
    assert [_alnum(line.text) for line in rechecked] == [_alnum(line.text) for line in fp32]
    assert isinstance(default.reading, Rechecked) and default.reading.rechecked > 0
    for line, alone in zip(rechecked, int8, strict=True):
        if min(alone.char_confidences or [0.0]) >= settings.recheck_below:
            assert line.text == alone.text and line.char_confidences == alone.char_confidences


def test_a_line_unsure_only_of_its_brackets_is_not_read_again() -> None:
    """GIVEN the int8 reading's characters' confidences WHEN a line's least sure character is asked for THEN
    the characters the settings ignore (brackets) do not count (a line of brackets alone is sure), any other
    character does, and a line whose characters are not known to line up with its text counts all of them;
    with nothing ignored a bracket counts like any character."""
    from ocr.recognition import least_sure

    brackets = RapidOcrOptions().recheck_ignores
    assert least_sure("金额(元)", LineScore(0.9, [0.99, 0.99, 0.59, 0.6, 0.99]), brackets) == 0.6
    assert least_sure("金额(元)", LineScore(0.9, [0.99, 0.99, 0.59, 0.99, 0.99]), brackets) == 0.99
    assert least_sure("金额(元)", LineScore(0.9, [0.99, 0.99, 0.59, 0.99, 0.99])) == 0.59
    line = "合计（小写）：4432.43"
    assert least_sure(line, LineScore(0.9, [0.99] * 6 + [0.81] + [0.99] * 6 + [0.7]), brackets) == 0.7
    assert least_sure("()", LineScore(0.5, [0.5, 0.5]), brackets) == 1.0
    assert least_sure("(元)", LineScore(0.5, [0.5, 0.5]), brackets) == 0.5
    assert least_sure("元", 0.4, brackets) == 0.4
    lines = [np.full((48, 100, 3), k, np.uint8) for k in range(2)]
    first = _Stage({0: ("(", 0.5), 1: ("元", 0.5)})
    second = _Stage({1: ("元", 0.99)})
    Rechecked(first, second, below=0.9, ignored=brackets)(lines)
    assert second.asked == [1]
    everything = _Stage({0: ("(", 0.99), 1: ("元", 0.99)})
    Rechecked(first, everything, below=0.9)(lines)
    assert everything.asked == [0, 1]
