"""The reading path per sample group on the committed samples and their ground truth (real PP-OCR, no
mocks): key values are read on one document of each group, turned and skewed pages come out level, the
quality gate names the right code and leaves good pages alone, born-digital PDFs take the text layer,
and the engine reads with the network cut off.

Full-page text and field extraction are pinned elsewhere (test_golden); the preprocessing maths on
synthetic renders and the loader's PDF handling are in test_preprocess and test_loader.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from intake.models import Page
from intake.settings import Settings
from ocr.rapid_engine import PaddedWidth
from pipeline.analyse import read_file_pages

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "samples" / "documents"
TRUTH = ROOT / "samples" / "truth" / "documents"

# Values of these fields must be readable on the page, per document type (what a clerk checks first).
KEY_FIELDS = {
    "invoice": ["invoice_code", "invoice_number", "payer_name", "total_amount"],
    "discharge_record": ["patient_name", "inpatient_number", "hospital"],
    "id_card": ["name", "id_number"],
}
ONE_PER_GROUP = {
    "clean_scan": "discharge_record_scan.jpg",
    "degraded_scan": "invoice_scanned_grey.jpg",
    "photocopy": "invoice_photocopy.jpg",
    "phone_photo": "id_front_card_photo.jpg",
    "rotated": "invoice_rotated90.jpg",
}
RUNTIMES = ["onnxruntime", "openvino"]
# (runtime, model precision): the default (detector on OpenVINO, int8 recogniser with fp32 rechecks on
# onnxruntime), the same all on onnxruntime, the wheel's fp32 files and the int8 copies.
ENGINE_SETTINGS = [
    ("openvino", "int8-rec"),
    ("onnxruntime", "int8-rec"),
    ("onnxruntime", "fp32"),
    ("onnxruntime", "int8"),
    ("openvino", "fp32"),
]
ROTATED = ["invoice_rotated90.jpg", "discharge_record_rotated180.jpg"]
# Samples whose generated skew is larger than the tolerance, so a reader that levels nothing fails.
SKEWED = [
    "invoice_scanned_grey.jpg",
    *ROTATED,
    "invoice_photocopy.jpg",
]
# synth.variants: the skew is each variant's first draw, uniform(-a, a), of random.Random(seed * 31 + page).
SKEW_RANGE = {"scan": 1.5, "scanned_grey": 3.0, "photocopy": 1.2, "rotated90": 1.5, "rotated180": 1.5}
# The text lines after correction lie within this many degrees of level (skew estimated on a 1200 px copy).
SKEW_TOLERANCE = 0.5


def truth_of(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))
    return data


@cache
def read(name: str, runtime: str | None = None, precision: str | None = None) -> tuple[Page, ...]:
    """Each sample read once per test session and engine setting: the OCR is the slow part."""
    settings = Settings()
    update = {"runtime": runtime, "model_precision": precision}
    ocr = settings.ocr.model_copy(update={k: v for k, v in update.items() if v})
    return tuple(read_file_pages(str(DOCS / name), settings.model_copy(update={"ocr": ocr})))


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(("runtime", "precision"), ENGINE_SETTINGS, ids=["-".join(e) for e in ENGINE_SETTINGS])
@pytest.mark.parametrize(("group", "name"), ONE_PER_GROUP.items(), ids=list(ONE_PER_GROUP))
def test_key_values_are_read(group: str, name: str, runtime: str, precision: str) -> None:
    """The key values are read whichever runtime runs the models, on the int8 files and the fp32 ones."""
    truth = truth_of(name)
    assert truth["group"] == group
    document = truth["documents"][0]
    wanted = {f: str(document["fields"][f]) for f in KEY_FIELDS[document["doc_type"]]}
    text = squeezed("\n".join(page.text for page in read(name, runtime, precision)))
    # Names only in the message: sample values stay out of test logs like real ones would.
    missing = [field for field, value in wanted.items() if squeezed(value) not in text]
    assert not missing, f"{name}: key values not in the read text: {missing}"


@pytest.mark.parametrize("name", ROTATED)
def test_turned_page_is_detected(name: str) -> None:
    """The truth's rotation is how far the page is turned clockwise in the file; Page.rotation is how far
    it was turned clockwise to read upright, so the two add up to a full turn."""
    truth = truth_of(name)
    assert truth["rotation"] in (90, 180, 270)
    (page,) = read(name)
    assert page.rotation == (360 - truth["rotation"]) % 360


def applied_skew(truth: dict[str, Any], page: int) -> float:
    """Degrees (counter-clockwise, OpenCV's sense) the generator turned the content of page `page` (0-based)."""
    spread = SKEW_RANGE[truth["variant"]]
    return random.Random(truth["seed"] * 31 + page).uniform(-spread, spread)


def residual_skew(page: Page, turned: float, quarter: int) -> float:
    """Angle, in the upright page, of a text line that was level before the file was made: the file's
    content was turned `turned`° counter-clockwise, then `quarter`° clockwise. Whatever levelled the page
    (perspective from the page outline, or deskew) is in `upright_matrix`, so this checks the outcome."""
    a = math.radians(turned)
    dx, dy = math.cos(a), -math.sin(a)  # a level line's direction after cv2.getRotationMatrix2D(turned)
    for _ in range(quarter // 90):
        dx, dy = -dy, dx  # a quarter turn clockwise (y points down)
    matrix = np.asarray(page.upright_matrix if page.upright_matrix is not None else np.eye(3))
    centre = np.array([page.width / 2, page.height / 2, 1.0])
    ahead = centre + np.array([100 * dx, 100 * dy, 0.0])
    (x0, y0), (x1, y1) = ((matrix @ p)[:2] / (matrix @ p)[2] for p in (centre, ahead))
    return math.degrees(math.atan2(y1 - y0, x1 - x0))


@pytest.mark.parametrize("name", SKEWED)
def test_skewed_page_comes_out_level(name: str) -> None:
    truth = truth_of(name)
    turned = applied_skew(truth, 0)
    assert abs(turned) > SKEW_TOLERANCE, "pick a sample whose skew a no-op would not pass"
    (page,) = read(name)
    assert abs(residual_skew(page, turned, truth["rotation"])) < SKEW_TOLERANCE


def test_residual_skew_sees_an_uncorrected_page() -> None:
    """GIVEN a page the reader left as it was WHEN its residual is measured THEN it is the file's skew."""
    page = Page(source="x", page=1, width=1654, height=2339)
    assert residual_skew(page, 1.2, 0) == pytest.approx(-1.2)
    assert residual_skew(page, 0.0, 90) == pytest.approx(90.0)


QUALITY_FAIL = sorted(
    t["file"]
    for t in map(json.loads, (p.read_text(encoding="utf-8") for p in TRUTH.glob("*.json")))
    if t["expected_quality"]
)


@pytest.mark.parametrize("name", QUALITY_FAIL)
def test_quality_gate_names_the_code(name: str) -> None:
    (page,) = read(name)
    assert page.quality is not None
    assert truth_of(name)["expected_quality"] in page.quality.issues


@pytest.mark.parametrize("name", sorted({*ONE_PER_GROUP.values(), *ROTATED, "expense_list_scan.pdf"}))
def test_good_pages_pass_the_gate(name: str) -> None:
    assert truth_of(name)["expected_quality"] is None
    pages = read(name)
    assert pages and all(page.quality is not None and page.quality.issues == [] for page in pages)
    assert all(page.lines for page in pages)


def test_born_digital_pdf_takes_the_text_layer() -> None:
    truth = truth_of("einvoice_born_digital.pdf")
    pages = read("einvoice_born_digital.pdf")
    assert [page.text_layer for page in pages] == [True]
    assert squeezed(str(truth["documents"][0]["fields"]["invoice_number"])) in squeezed(pages[0].text)


def test_scanned_pdf_is_read_by_ocr() -> None:
    pages = read("expense_list_scan.pdf")
    assert len(pages) == len(truth_of("expense_list_scan.pdf")["pages"]) == 2
    assert not any(page.text_layer for page in pages)
    assert all(page.lines for page in pages)


OFFLINE_READ = """
import socket, sys

LOOPBACK = ("127.0.0.1", "::1", "localhost")
attempts = []
real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo


def guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if self.family in (socket.AF_INET, socket.AF_INET6) and host not in LOOPBACK:
        attempts.append("connect")
        raise OSError("network blocked by the test")
    return real_connect(self, address)


def guarded_getaddrinfo(host, *args, **kwargs):
    if host not in (None, *LOOPBACK):
        attempts.append("resolve")
        raise socket.gaierror("network blocked by the test")
    return real_getaddrinfo(host, *args, **kwargs)


# socket.create_connection, urllib and requests resolve and connect through these.
socket.socket.connect, socket.getaddrinfo = guarded_connect, guarded_getaddrinfo

from pipeline.analyse import read_file_pages
from intake.settings import Settings
from ocr.rapid_engine import PaddedWidth

pages = read_file_pages(sys.argv[1], Settings())
print(len(attempts))
print("".join("".join(p.text.split()) for p in pages))
"""


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False).returncode == 0


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_engine_reads_offline(runtime: str) -> None:
    """GIVEN a fresh Python whose sockets refuse any host but loopback (and, where the kernel lets us, a
    network namespace with no interface up) WHEN it loads the engine on either runtime and reads a sample
    THEN the key values are read and nothing even tried to connect out."""
    name = ONE_PER_GROUP["phone_photo"]
    truth = truth_of(name)
    command = [sys.executable, "-c", OFFLINE_READ, str(DOCS / name)]
    if _unshare_works():
        command = ["unshare", "-rn", *command]
    env = {**os.environ, "ORT_DISABLE_TELEMETRY": "1", "PYTHONPATH": str(ROOT), "INTAKE_OCR__RUNTIME": runtime}
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    attempts, text = done.stdout.splitlines()[-2:]
    assert attempts == "0"
    fields = truth["documents"][0]["fields"]
    missing = [f for f in KEY_FIELDS["id_card"] if squeezed(str(fields[f])) not in text]
    assert not missing


def test_a_wrong_page_direction_is_caught_by_the_poor_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN the page-direction detector sure of a wrong answer (upside down, as a card's background
    pattern once made it) WHEN the page is read THEN the garbage reading is noticed and the page read
    turned round."""
    import ocr.preprocess

    monkeypatch.setattr(ocr.preprocess, "detect_orientation", lambda img, threads=1: (180, 0.9))
    (page,) = read_file_pages(str(DOCS / "id_front_card_photo.jpg"), Settings())
    text = squeezed("".join(line.text for line in page.lines))
    assert truth_of("id_front_card_photo.jpg")["documents"][0]["fields"]["id_number"] in text
    assert page.rotation == 0


def test_a_value_the_detector_dropped_is_looked_for_right_of_its_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN the tuning set's grey-scanned expense list (seed 100417) whose seal, its ring printed nearly
    as dark as text, crosses the total's value WHEN the page is read THEN the line is found whole, the
    seal being taken out of the copy lines are found on; and were the seal not found there, the label
    「费用合计：」 alone on its row has its value looked for in the strip to its right and read there (the
    detector on the whole page found the label only). Lines found again lie right of the label, on its row."""
    import ocr.preprocess
    import ocr.reader
    from synth.build import new_context
    from synth.sets import FileSpec, write_file

    written = write_file(FileSpec("expense_list", "scanned_grey", "list"), new_context(100417), tmp_path, 100417)
    total = written.truth["documents"][0]["fields"]["total_amount"]

    def total_row(page: Page) -> list[str]:
        (label,) = [line for line in page.lines if line.text.startswith("费用合计")]
        return [line.text for line in page.lines if ocr.reader._same_row(line.bbox, label.bbox)]

    assert total_row(read_file_pages(str(written.path), Settings())[-1]) == [f"费用合计：{total}"]
    monkeypatch.setattr(ocr.preprocess, "DARK_RING", ocr.preprocess.SEAL_GREY)  # no second search for the seal
    last = read_file_pages(str(written.path), Settings())[-1]
    row = total_row(last)
    assert len(row) == 2 and row[0] == "费用合计：" and row[1].startswith(total)
    monkeypatch.setattr(ocr.reader, "_values_looked_for", lambda image, lines, engine, labels: [])
    assert total_row(read_file_pages(str(written.path), Settings())[-1]) == ["费用合计："]


@pytest.mark.parametrize(("seed", "variant"), [(100005, "rotated90")])
def test_a_code_s_1_read_as_l_is_turned_back_by_the_page_s_own_1s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, variant: str
) -> None:
    """GIVEN a tuning-set invoice whose check code holds a 1 between letters (76a1eb, 6eac1d), which the
    recogniser reads as an l in its line WHEN the invoice is extracted THEN the code is read exactly: its
    l looks like the invoice's own surely read 1s (票据号码, dates) and is as tall. Without that comparison
    the code is read with the l, and it is below the clerk threshold (nothing checks a check code)."""
    import datetime as dt

    import ocr.reader
    from pipeline.analyse import analyse_file
    from synth.build import new_context
    from synth.sets import FileSpec, write_file

    written = write_file(FileSpec("invoice", variant, "invoice"), new_context(seed), tmp_path, seed)
    code = written.truth["documents"][0]["fields"]["check_code"]
    settings = Settings()
    (doc,) = analyse_file(str(written.path), settings, dt.date(2025, 6, 20))
    assert doc.fields["check_code"].value == code
    monkeypatch.setattr(ocr.reader, "decide_look_alikes", lambda image, line, lines: line)
    (doc,) = analyse_file(str(written.path), settings, dt.date(2025, 6, 20))
    read = doc.fields["check_code"]
    assert read.value == code.replace("1", "l")
    assert read.confidence < settings.thresholds.min_field_confidence


def test_a_code_s_doubled_characters_are_read_back_wider(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN the tuning set's scanned invoice (seed 100900) whose check code is 55ffff WHEN the page is read
    THEN the code reads exactly: in its line the recogniser merged the doubled characters (5fff); read
    again stretched along the line, each has steps of its own."""
    import ocr.reader
    from synth.build import new_context
    from synth.sets import FileSpec, write_file

    written = write_file(FileSpec("invoice", "scan", "invoice"), new_context(100900), tmp_path, 100900)
    code = written.truth["documents"][0]["fields"]["check_code"]
    assert code == "55ffff"

    def codes() -> list[str]:
        (page,) = read_file_pages(str(written.path), Settings())
        return [line.text for line in page.lines if line.text.startswith("校验码")]

    assert codes() == [f"校验码：{code}"]
    monkeypatch.setattr(ocr.reader, "_repeats_read_wider", lambda image, line, engine, *_: line)
    (merged,) = codes()
    assert len(merged) < len(f"校验码：{code}")


def test_only_a_poorly_read_line_is_read_again_as_it_lies() -> None:
    """GIVEN lines read where the line classifier decided WHEN each is looked at again THEN only a line read
    below POOR_READING is read again, cut from the page as it lies, and the surer reading is kept; a box
    with nothing of the page in it is left as it was."""
    from intake.models import OcrLine
    from ocr.reader import POOR_READING, _read_unturned

    image = np.full((60, 400, 3), 255, np.uint8)

    class Again:
        name = "again"

        def __init__(self, confidence: float) -> None:
            self.confidence, self.calls = confidence, 0

        def read(self, image: np.ndarray, *, use_cls: bool = True, **_: object) -> list:
            self.calls += 1
            assert not use_cls
            return [OcrLine(text="3301101963", confidence=self.confidence, polygon=[(0, 0), (1, 0), (1, 1), (0, 1)])]

    def line(confidence: float, y: float = 10) -> OcrLine:
        return OcrLine(text="2400694", confidence=confidence, polygon=[(10, y), (210, y), (210, y + 40), (10, y + 40)])

    sure = Again(1.0)
    assert _read_unturned(image, line(POOR_READING), sure).text == "2400694" and sure.calls == 0
    assert _read_unturned(image, line(0.52), sure).text == "3301101963" and sure.calls == 1
    assert _read_unturned(image, line(0.52), Again(0.5)).text == "2400694"  # no surer
    outside = Again(1.0)
    assert _read_unturned(image, line(0.52, y=100), outside).text == "2400694" and outside.calls == 0


def test_only_doubled_characters_are_taken_from_the_wider_reading() -> None:
    """GIVEN lines with and without a code at their end WHEN a code is read again stretched THEN the line is
    stretched along its length only, and the stretched code is taken only where it is the first one with
    characters doubled back; any other difference, or a shorter code, leaves the line as it was."""
    from intake.models import OcrLine
    from ocr.reader import WIDER, _repeats_read_wider

    image = np.full((60, 400, 3), 255, np.uint8)

    class Wider:
        name = "wider"

        def __init__(self, says: str) -> None:
            self.says, self.shapes = says, []

        def read(self, image: np.ndarray, *, use_cls: bool = True, **_: object) -> list:
            self.shapes.append(image.shape[:2])
            chars = [0.97] * len(self.says)
            return [
                OcrLine(
                    text=self.says, confidence=0.97, polygon=[(0, 0), (1, 0), (1, 1), (0, 1)], char_confidences=chars
                )
            ]

    def line(text: str) -> OcrLine:
        return OcrLine(
            text=text,
            confidence=0.89,
            polygon=[(10, 10), (210, 10), (210, 50), (10, 50)],
            char_confidences=[0.9] * len(text),
        )

    engine = Wider("校验码：55ffff")
    read = _repeats_read_wider(image, line("校验码：5fff"), engine)
    assert read.text == "校验码：55ffff" and read.char_confidences == [0.9] * 4 + [0.97] * 6
    assert engine.shapes == [(40 + 2 * 20, round(200 * WIDER) + 2 * 40)]  # stretched along, padded
    for text, says in [
        ("校验码：bfaf00", "校验码：bfafo0"),  # a letter for a digit: not a doubled character
        ("校验码：55ffff", "校验码：5fff"),  # shorter
        ("校验码：a1b5", "校验码：a1b5e"),  # a character more that is no double
    ]:
        assert _repeats_read_wider(image, line(text), Wider(says)).text == text
    untouched = Wider("交款人：张三")
    assert _repeats_read_wider(image, line("交款人：张三"), untouched).text == "交款人：张三" and untouched.shapes == []


def test_a_surely_read_code_is_not_read_again_stretched() -> None:
    """GIVEN a labelled code whose every character was read at SURE_CODE or more WHEN the second looks run
    THEN it is not read again stretched (no model run), unless asked (the int8 calibration's reading); a code
    with one character below SURE_CODE, or without character confidences, is read again as before; the
    label's own confidence does not count."""
    from intake.models import OcrLine
    from ocr.reader import SURE_CODE, _repeats_read_wider

    image = np.full((60, 400, 3), 255, np.uint8)

    class Counting:
        name = "counting"

        def __init__(self) -> None:
            self.calls = 0

        def read(self, image: np.ndarray, *, use_cls: bool = True, **_: object) -> list:
            self.calls += 1
            return [OcrLine(text="校验码：55ffff", confidence=0.99, polygon=[(0, 0), (1, 0), (1, 1), (0, 1)])]

    def line(chars: list[float] | None) -> OcrLine:
        return OcrLine(
            text="校验码：5fff",
            confidence=0.95,
            polygon=[(10, 10), (210, 10), (210, 50), (10, 50)],
            char_confidences=chars,
        )

    sure = [0.5] * 4 + [SURE_CODE] * 4  # the label unsure, every character of the code sure
    for chars, sure_too, calls in [
        (sure, False, 0),
        (sure, True, 1),
        ([0.5] * 4 + [SURE_CODE] * 3 + [0.98], False, 1),
        (None, False, 1),
    ]:
        engine = Counting()
        _repeats_read_wider(image, line(chars), engine, sure_too)
        assert engine.calls == calls, (chars, sure_too)


@pytest.mark.parametrize(
    ("seed", "variant", "expected"),
    [
        (104328, "photo", "性别"),  # its one-character value dropped by the detector: looked for after the label
        (104727, "photocopy_colour", "姓名"),  # judged upside down by its lines' share: turned, it read garbage
        (104326, "photocopy", "公民身份号码"),  # the line classifier turned the number's line upside down
    ],
)
def test_a_card_s_fields_are_read_where_one_look_failed(tmp_path: Path, seed: int, variant: str, expected: str) -> None:
    """GIVEN a tuning-set ID card on an A4 page where a single reading failed one way or another WHEN
    the page is read THEN the line of the named field holds its value, as the generator wrote it."""
    from synth.build import new_context
    from synth.sets import FileSpec, write_file

    written = write_file(FileSpec("id_front", variant, "card"), new_context(seed), tmp_path, seed)
    fields = written.truth["documents"][0]["fields"]
    value = {"性别": fields["sex"], "姓名": fields["name"], "公民身份号码": fields["id_number"]}[expected]
    (page,) = read_file_pages(str(written.path), Settings())
    texts = [line.text.replace(" ", "") for line in page.lines]
    at = next(i for i, text in enumerate(texts) if text.startswith(expected))
    assert value in texts[at] or (texts[at] == expected and texts[at + 1] == value)


def test_only_a_label_without_a_value_is_looked_at_again() -> None:
    """GIVEN a page's lines WHEN values are looked for THEN only the strip right of a colon label with no
    line after it is read again (not a label whose value was read, a line not ending in a colon, or one
    character), in page coordinates, and a line found there that overlaps a line already read is left out."""
    from intake.models import OcrLine
    from ocr.reader import _values_looked_for

    def line(text: str, x0: float, y0: float, x1: float, y1: float) -> OcrLine:
        return OcrLine(text=text, confidence=1.0, polygon=[(x0, y0), (x1, y0), (x1, y1), (x0, y1)])

    class Strips:
        def __init__(self) -> None:
            self.shapes: list[tuple[int, ...]] = []

        name = "strips"

        def read(self, image: np.ndarray, *, use_cls: bool = True, **_: object) -> list:
            self.shapes.append(image.shape)
            return [line("6481.09", 5, 2, 150, 38), line("计：", -30, 2, 0, 38)]  # the second overlaps the label

    lines = [
        line("费用合计：", 100, 100, 240, 140),  # alone on its row
        line("住院号：", 100, 200, 200, 240),
        line("719927965", 210, 200, 380, 240),  # its value, read
        line("科室 消化内科", 100, 300, 300, 340),  # no colon
        line("：", 100, 400, 120, 440),  # a colon alone
        line("页脚", 500, 90, 600, 150),  # further along the first row, past the value's gap
    ]
    engine = Strips()
    found = _values_looked_for(np.full((600, 1200, 3), 255, np.uint8), lines, engine)
    assert engine.shapes == [(56, 260, 3)]  # rows 100 − 0.2 × 40 … 140 + 8; columns 240 … the next line
    assert [(f.text, f.bbox) for f in found] == [("6481.09", (245.0, 94.0, 390.0, 130.0))]
    # A field label printed without a colon (a card's 性别) is looked after when named; the next field's
    # label after it on the row (民族汉) is not its value, its own value (男) is.
    card = [line("性别", 100, 100, 160, 140), line("民族汉", 400, 100, 520, 140)]
    engine = Strips()
    assert _values_looked_for(np.full((600, 1200, 3), 255, np.uint8), card, engine) == []
    assert engine.shapes == []  # not named: a line without a colon
    engine = Strips()
    found = _values_looked_for(np.full((600, 1200, 3), 255, np.uint8), card, engine, {"性别", "民族"})
    assert engine.shapes == [(56, 240, 3)] and [f.text for f in found] == ["6481.09"]  # up to 民族汉
    engine = Strips()
    read = [card[0], line("男", 175, 100, 205, 140), card[1]]
    assert _values_looked_for(np.full((600, 1200, 3), 255, np.uint8), read, engine, {"性别", "民族"}) == []
    assert engine.shapes == []


@pytest.mark.parametrize("card_scale", [1.0, 0.5])
def test_the_detector_sees_only_the_inked_part_and_boxes_land_on_the_page(card_scale: float) -> None:
    """GIVEN a card pasted into one corner of a blank A4 page WHEN the engine reads the page THEN the
    detector is shown the card's part, at the scale of the whole page (a smaller input) or, when the card
    is under half the page's side, at its own size (its print would be too small at the page's scale), the
    card's text is read, and every box lies where the card was pasted."""
    import cv2

    from ocr.engine import get_engine
    from ocr.rapid_engine import SMALL_PART

    card = cv2.imread(str(DOCS / "id_front_card_photo.jpg"))
    card = cv2.resize(card, None, fx=card_scale, fy=card_scale, interpolation=cv2.INTER_AREA)
    page = np.full((3300, 2339, 3), 255, np.uint8)  # A4 at ~280 dpi: the detector sees it at 1280 px
    top, left = 1900, 500
    page[top : top + card.shape[0], left : left + card.shape[1]] = card
    settings = Settings().ocr
    engine = get_engine(settings)
    detector = engine.stages()["det"]
    shapes: list[tuple[int, ...]] = []
    session = detector.session
    detector.session = lambda batch: shapes.append(batch.shape) or session(batch)
    try:
        lines = engine.read(page, use_cls=False)
    finally:
        detector.session = session
    inked = max(card.shape[:2]) + 2 * 32
    small = inked < SMALL_PART * max(page.shape[:2])
    assert small == (card_scale < 1)
    scale = 1.0 if small else settings.max_side_len / max(page.shape[:2])
    assert shapes and inked * scale - 64 <= max(shapes[0][2:]) <= inked * scale + 32
    fields = truth_of("id_front_card_photo.jpg")["documents"][0]["fields"]
    text = squeezed("".join(ln.text for ln in lines))
    assert not [f for f in KEY_FIELDS["id_card"] if squeezed(str(fields[f])) not in text]
    for line in lines:
        x0, y0, x1, y1 = line.bbox
        assert left - 5 <= x0 and x1 <= left + card.shape[1] + 5 and top - 5 <= y0 and y1 <= top + card.shape[0] + 5


@pytest.mark.parametrize("side", [1280, 736])
def test_the_detector_input_is_rapidocrs_bit_for_bit_and_contiguous(side: int) -> None:
    import cv2
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    from ocr.ppocr import DetectorInput

    for name in ("invoice_photo.jpg", "discharge_record_scan.jpg"):
        page = cv2.imread(str(DOCS / name))
        ours = DetectorInput(side, "max", None, None)(page)
        theirs = DetPreProcess(side, "max", None, None)(page)
        assert ours is not None and theirs is not None
        assert ours.dtype == theirs.dtype == np.float32 and np.array_equal(ours, theirs)
        assert ours.flags["C_CONTIGUOUS"]


def test_each_character_keeps_its_own_confidence() -> None:
    """Every read line carries one confidence per character of its text, whose mean is the line's."""
    lines = [line for page in read(ONE_PER_GROUP["photocopy"]) for line in page.lines]
    assert lines
    for line in lines:
        assert line.char_confidences is not None and len(line.char_confidences) == len(line.text)
        assert abs(sum(line.char_confidences) / len(line.text) - line.confidence) < 0.002
    assert min(min(line.char_confidences or [1.0]) for line in lines) < min(line.confidence for line in lines)


def test_openvino_recognition_batches_are_padded_to_the_width_step() -> None:
    """A handful of input shapes for OpenVINO: the batch is padded on the right with rapidocr's own
    padding value (0 after normalising) up to the next multiple of the step, never cut."""
    seen: list[tuple[int, ...]] = []

    def session(batch: np.ndarray) -> np.ndarray:
        seen.append(batch.shape)
        return batch

    padded = PaddedWidth(session, 64)
    out = padded(np.ones((3, 3, 48, 150), np.float32))
    assert seen == [(3, 3, 48, 192)]
    assert (out[..., :150] == 1).all() and (out[..., 150:] == 0).all()
    padded(np.ones((1, 3, 48, 128), np.float32))
    assert seen[-1] == (1, 3, 48, 128)
    wide = np.arange(3 * 3 * 48 * 700, dtype=np.float32).reshape(3, 3, 48, 700)
    seen.clear()
    out = padded(wide)
    assert seen == [(1, 3, 48, 704)] * 3, "a wide batch goes through a line at a time"
    assert (out[..., :700] == wide).all() and out.shape == (3, 3, 48, 704)
