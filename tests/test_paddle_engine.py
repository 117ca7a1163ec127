"""The `paddleocr`-package engine on model folders made from the rapidocr wheel (ocr.paddle_models).

Building the folders needs only the core dependencies; reading needs `paddleocr` (the `paddle`
extra) and is skipped, with the reason shown by `pytest -rs`, where it is not installed. Reading
runs with sockets refused, so a download attempt would fail the test.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from PIL import Image, ImageDraw, ImageFont

from intake.settings import PaddleOcrOptions, Settings
from ocr.models import MODEL_FILES, model_dir
from ocr.paddle_models import (
    CLS_MODEL_NAME,
    DET_MODEL_NAME,
    REC_MODEL_NAME,
    PaddleModelDirs,
    build_model_dirs,
    main,
    rapidocr_config,
    rec_characters,
)

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
LINES = [
    ("福建省医疗住院收费票据", 64),
    ("交款人：王小明", 48),
    ("开票日期：2021-03-06", 48),
    ("金额合计：13795.66", 48),
    ("收款单位：抚顺市中心医院", 48),
]
KEYS = ["住院收费票据", "王小明", "2021-03-06", "13795.66", "抚顺市中心医院"]


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


@pytest.fixture(scope="module")
def dirs(tmp_path_factory: pytest.TempPathFactory) -> PaddleModelDirs:
    return build_model_dirs(tmp_path_factory.mktemp("paddle-models"))


def test_build_model_dirs_without_paddleocr(dirs: PaddleModelDirs) -> None:
    source = model_dir()
    assert source is not None and dirs.cls is not None
    cfg = rapidocr_config()
    for folder, key, name in (
        (dirs.det, "det", DET_MODEL_NAME),
        (dirs.rec, "rec", REC_MODEL_NAME),
        (dirs.cls, "cls", CLS_MODEL_NAME),
    ):
        onnx = folder / "inference.onnx"
        assert onnx.is_file() and onnx.stat().st_size == (source / MODEL_FILES[key]).stat().st_size
        config = _load(folder / "inference.yml")
        assert config["Global"]["model_name"] == name
        assert config["Source"]["file"] == MODEL_FILES[key]
        assert config["PreProcess"]["transform_ops"] and config["PostProcess"]
    det = _load(dirs.det / "inference.yml")
    assert det["PostProcess"]["name"] == "DBPostProcess"
    assert det["PostProcess"]["box_thresh"] == cfg["Det"]["box_thresh"]
    assert det["PostProcess"]["unclip_ratio"] == cfg["Det"]["unclip_ratio"]
    resize = next(op["DetResizeForTest"] for op in det["PreProcess"]["transform_ops"] if "DetResizeForTest" in op)
    assert resize == {"limit_side_len": cfg["Det"]["limit_side_len"], "limit_type": cfg["Det"]["limit_type"]}
    rec = _load(dirs.rec / "inference.yml")
    chars = rec["PostProcess"]["character_dict"]
    # the YAML round trip keeps every character of the model's own list (PP-OCRv6: 18708)
    assert chars == rec_characters(dirs.rec / "inference.onnx")
    assert len(chars) > 10000 and all(isinstance(c, str) and len(c) == 1 for c in chars)
    assert "医" in chars and "￥" in chars
    shape = next(op["RecResizeImg"] for op in rec["PreProcess"]["transform_ops"] if "RecResizeImg" in op)
    assert shape["image_shape"] == cfg["Rec"]["rec_img_shape"]


def test_env_names_match_settings(dirs: PaddleModelDirs, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in dirs.env().items():
        monkeypatch.setenv(name, value)
    ocr = Settings().ocr
    assert ocr.kind == "paddleocr"
    assert (ocr.det_dir, ocr.rec_dir, ocr.cls_dir) == (dirs.det, dirs.rec, dirs.cls)


def test_cli_prints_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "m"), "--no-cls", "--link"]) == 0
    out = capsys.readouterr().out
    assert f"export INTAKE_OCR__DET_DIR={tmp_path / 'm' / 'det'}" in out
    assert f"export INTAKE_OCR__REC_DIR={tmp_path / 'm' / 'rec'}" in out
    assert "INTAKE_OCR__CLS_DIR" not in out and not (tmp_path / "m" / "cls").exists()
    assert (tmp_path / "m" / "rec" / "inference.onnx").is_symlink()


def _page() -> tuple[np.ndarray, dict[str, tuple[int, int]]]:
    """A white page wider than max_side_len (so detection works on a scaled copy), BGR."""
    page = Image.new("RGB", (2400, 1100), "white")
    draw = ImageDraw.Draw(page)
    origins: dict[str, tuple[int, int]] = {}
    y = 120
    for text, size in LINES:
        draw.text((300, y), text, font=ImageFont.truetype(str(FONT), size), fill="black")
        origins[text] = (300, y)
        y += size + 120
    return np.ascontiguousarray(np.asarray(page)[:, :, ::-1]), origins


@pytest.fixture(scope="module")
def no_network() -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket.socket, "connect_ex", refuse)
        mp.setattr(socket, "create_connection", refuse)
        yield


@pytest.fixture(scope="module")
def engine(dirs: PaddleModelDirs, no_network: None) -> Any:
    pytest.importorskip("paddleocr", reason="paddleocr not installed (pip install -e '.[paddle]')")
    if not FONT.is_file():
        pytest.skip(f"font missing: {FONT}")
    os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
    from ocr.paddle_engine import PaddleOcrEngine

    settings = PaddleOcrOptions(det_dir=dirs.det, rec_dir=dirs.rec, cls_dir=dirs.cls)
    assert PaddleOcrEngine.unavailable_reason(settings) == ""
    return PaddleOcrEngine(settings)


def test_paddleocr_reads_rendered_page(engine: Any) -> None:
    image, origins = _page()
    lines = engine.read(image, use_cls=False)
    text = "\n".join(line.text for line in lines)
    for key in KEYS:
        assert key in text, text
    # boxes are in the coordinates of the page given, not of the detector's scaled copy
    title = next(line for line in lines if "住院收费票据" in line.text)
    x0, y0, x1, _ = title.bbox
    assert abs(x0 - origins[LINES[0][0]][0]) < 40 and abs(y0 - origins[LINES[0][0]][1]) < 40
    assert x1 - x0 > 500
    assert min(line.confidence for line in lines if any(k in line.text for k in KEYS)) > 0.8
    # reading order: top to bottom
    assert [k for k in KEYS if k in text] == sorted(KEYS, key=text.index)


def test_paddleocr_turns_upside_down_lines(engine: Any) -> None:
    image, _ = _page()
    lines = engine.read(np.ascontiguousarray(image[::-1, ::-1]), use_cls=True)
    text = "\n".join(line.text for line in lines)
    for key in KEYS:
        assert key in text, text
