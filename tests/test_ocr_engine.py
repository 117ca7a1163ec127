"""The engine package's seams: options keyed by `kind` (and their environment overrides), the factory and
availability, model paths handed in, and our PP-OCR stages reading exactly as rapidocr's own pipeline."""

from __future__ import annotations

import tomllib
from pathlib import Path

import cv2
import numpy as np
import pytest
from pydantic import ValidationError

from intake.settings import PaddleOcrOptions, RapidOcrOptions, Settings
from ocr.base import EngineUnavailable
from ocr.engine import available_engines, get_engine, is_available, unavailable_reason
from ocr.models import bundled_paths
from ocr.provision import CALIBRATION_DIR, calibration_files, rapid_model_paths
from ocr.rapid_engine import RapidOcrEngine, runtime_description

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "samples" / "documents"


def test_options_are_keyed_by_kind_and_the_environment_still_reaches_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN only INTAKE_OCR__THREADS WHEN settings are read THEN the default engine (rapidocr) has that many
    threads; GIVEN INTAKE_OCR__KIND=paddleocr and its folders THEN the paddle options hold them; the options
    stay hashable (engines are cached on them)."""
    monkeypatch.setenv("INTAKE_OCR__THREADS", "1")
    ocr = Settings().ocr
    assert isinstance(ocr, RapidOcrOptions) and ocr.threads == 1 and ocr.model_precision == "int8-rec"
    assert hash(ocr) == hash(RapidOcrOptions(threads=1))
    monkeypatch.setenv("INTAKE_OCR__KIND", "paddleocr")
    monkeypatch.setenv("INTAKE_OCR__DET_DIR", "/models/det")
    ocr = Settings().ocr
    assert isinstance(ocr, PaddleOcrOptions) and ocr.det_dir == Path("/models/det") and ocr.threads == 1
    hash(ocr)
    monkeypatch.setenv("INTAKE_OCR__KIND", "tesseract")
    with pytest.raises(ValidationError):
        Settings()


def test_an_engine_that_cannot_run_says_why_and_is_not_built() -> None:
    """GIVEN paddle options without model folders WHEN asked THEN the engine is unavailable with a reason a
    person can act on, and the factory raises EngineUnavailable with it instead of building it."""
    options = PaddleOcrOptions()
    reason = unavailable_reason(options)
    assert reason and not is_available(options)
    with pytest.raises(EngineUnavailable, match=reason[:6]):
        get_engine(options)
    engines = available_engines()
    assert engines["rapidocr"] == "" and engines["paddleocr"]


def test_the_calibration_pages_ship_inside_the_package() -> None:
    """The int8 models are calibrated on pages inside `ocr/` that pyproject ships as package data, so an
    installed package makes them too (scripts/check_installed_package.sh runs it for real)."""
    files = calibration_files()
    assert len(files) >= 10 and all(path.parent == CALIBRATION_DIR for path in files)
    assert CALIBRATION_DIR.parent == ROOT / "ocr"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "calibration/*" in pyproject["tool"]["setuptools"]["package-data"]["ocr"]


def test_fp32_paths_are_the_wheels_files_and_nothing_is_made(tmp_path: Path) -> None:
    options = RapidOcrOptions(model_precision="fp32", int8_dir=tmp_path / "int8")
    paths = rapid_model_paths(options)
    assert paths == bundled_paths() and paths.rec_fp32 is None
    assert not (tmp_path / "int8").exists()


@pytest.mark.parametrize("name", ["invoice_photocopy.jpg", "id_front_card_photo.jpg"])
def test_our_stages_read_exactly_as_rapidocrs_pipeline(name: str) -> None:
    """GIVEN the wheel's fp32 files and lines read at their own width, one by one (what rapidocr does)
    WHEN a page is read by our stages (ocr/ppocr.py) and by rapidocr's own `RapidOCR` with the same
    parameters THEN the boxes, texts and scores are the same: our composition changes no reading."""
    from rapidocr import RapidOCR
    from rapidocr.utils.output import RapidOCROutput

    image = cv2.imread(str(DOCUMENTS / name))
    assert image is not None
    side = 960
    # On onnxruntime, as rapidocr runs them: the comparison is of the composition, number for number.
    options = RapidOcrOptions(
        threads=1,
        runtime="onnxruntime",
        model_precision="fp32",
        max_side_len=side,
        rec_width_scale=1.0,
        rec_pack_width=0,
    )
    paths = bundled_paths()
    ours = RapidOcrEngine(paths, options)
    theirs = RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.max_side_len": 4096,
            "Det.limit_type": "max",
            "Det.limit_side_len": side,
            "Rec.rec_batch_num": options.rec_batch,
            "Rec.rec_img_shape": [3, 48, options.rec_min_width],
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Det.model_path": str(paths.det),
            "Cls.model_path": str(paths.cls),
            "Rec.model_path": str(paths.rec),
        }
    )
    expected = theirs(image, use_det=True, use_cls=True, use_rec=True)
    found = ours.ocr_lines(image, True, None)
    assert isinstance(expected, RapidOCROutput) and expected.boxes is not None and expected.txts is not None
    assert expected.scores is not None and len(found) > 5
    assert [text for _, text, _ in found] == list(expected.txts)
    assert [float(score) for _, _, score in found] == [float(s) for s in expected.scores]
    assert np.array_equal(np.array([box for box, _, _ in found]), expected.boxes)


def test_line_boxes_stand_on_end_only_when_most_long_ones_run_up() -> None:
    """Three long boxes or more, more than two thirds of them tall: the image lies on its side; a single tall
    box (a ruling, a seal's edge) among level lines, or short boxes of one character, do not say so."""
    from ocr.base import stand_on_end

    assert stand_on_end([(30, 200), (28, 150), (32, 260), (200, 30)])
    assert not stand_on_end([(30, 200), (200, 30), (260, 32), (150, 28)])
    assert not stand_on_end([(30, 200), (28, 150)])  # too few to tell
    assert not stand_on_end([(30, 40), (28, 35), (32, 50), (30, 31)])  # single characters


def test_a_page_on_its_side_comes_back_unread_and_an_upright_one_read() -> None:
    """GIVEN the default engine WHEN a page turned a quarter is read with `unread_if_on_end` THEN its lines
    come back unread (the reader turns it and reads it again, without paying for a wasted reading); the
    upright page is read as ever."""
    image = cv2.imread(str(DOCUMENTS / "invoice_photocopy.jpg"))
    assert image is not None
    engine = get_engine(RapidOcrOptions(threads=1))
    upright = engine.read(image, use_cls=False, unread_if_on_end=True)
    on_side = engine.read(cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE), use_cls=False, unread_if_on_end=True)
    assert len(upright) > 10 and all(line.text for line in upright)
    assert len(on_side) > 10 and all(line.text == "" and line.confidence == 0 for line in on_side)


def test_a_strip_of_known_line_height_reads_the_same_found_at_a_lower_scale() -> None:
    """GIVEN a strip of one printed line cut from a page WHEN read with its line height given (the detector
    sees it smaller) THEN the same text is read as without it."""
    image = cv2.imread(str(DOCUMENTS / "invoice_photocopy.jpg"))
    assert image is not None
    engine = get_engine(RapidOcrOptions(threads=1))
    lines = [line for line in engine.read(image, use_cls=False) if len(line.text) >= 6 and line.confidence > 0.95]
    assert lines
    for line in lines[:3]:
        x0, y0, x1, y1 = (round(v) for v in line.bbox)
        height = y1 - y0
        strip = np.ascontiguousarray(
            image[max(0, y0 - height // 2) : y1 + height // 2, max(0, x0 - height) : x1 + height]
        )
        full = [ln.text for ln in engine.read(strip, use_cls=False)]
        small = [ln.text for ln in engine.read(strip, use_cls=False, line_height=height)]
        assert small == full


def test_runtime_description_names_the_precision_set() -> None:
    """GIVEN OpenVINO pinned to f32 on a CPU whose own default may be bf16 WHEN a bench names the runtime
    THEN it names f32, what the models computed in, not the CPU's default."""
    assert "(CPU, f32)" in runtime_description(RapidOcrOptions(runtime="openvino", openvino_precision="f32"))
