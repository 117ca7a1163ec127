"""The int8 models made from the rapidocr wheel's files (ocr/provision.py): what is made, and when it is
made again. Their reading is tested with the other engine settings in test_ocr_groups; their accuracy and
speed against the fp32 files are measured by `make bench-ocr` (README "Measured")."""

from __future__ import annotations

import json
from pathlib import Path

import onnx
import pytest

from intake.settings import RapidOcrOptions
from ocr.provision import MANIFEST, calibration_files, ensure_int8_models

ROOT = Path(__file__).resolve().parent.parent


def ops(path: Path) -> set[str]:
    return {node.op_type for node in onnx.load(str(path)).graph.node}


def test_default_models_are_quantised_and_keep_the_character_list() -> None:
    """GIVEN the default settings WHEN the int8 models are asked for THEN both files hold integer
    quantise/dequantise pairs, and the recogniser still carries its character list (without it rapidocr
    would go looking for a dictionary to download)."""
    paths = ensure_int8_models(RapidOcrOptions())
    for path in paths.values():
        assert {"QuantizeLinear", "DequantizeLinear"} <= ops(path), path.name
    metadata = {p.key: p.value for p in onnx.load(str(paths["rec"])).metadata_props}
    assert len(metadata["character"].splitlines()) > 6000


@pytest.mark.parametrize("changed", ["onnxruntime", "code"])
def test_models_are_made_once_and_made_again_when_stale(tmp_path: Path, changed: str) -> None:
    """GIVEN an empty folder WHEN the models are asked for twice THEN they are made once; WHEN the folder's
    manifest no longer matches (another onnxruntime, or another reader code, which records other
    calibration inputs) THEN they are made again, byte for byte the same files from the same inputs."""
    settings = RapidOcrOptions(int8_dir=tmp_path / "int8")
    calibration = [p for p in calibration_files() if p.name in {"invoice_scan.jpg", "id_front_card_photo.jpg"}]
    assert len(calibration) == 2
    paths = ensure_int8_models(settings, calibration)
    made = {name: path.stat().st_mtime_ns for name, path in paths.items()}
    contents = {name: path.read_bytes() for name, path in paths.items()}
    assert ensure_int8_models(settings, calibration) == paths
    assert {name: path.stat().st_mtime_ns for name, path in paths.items()} == made

    manifest = tmp_path / "int8" / MANIFEST
    stale = json.loads(manifest.read_text(encoding="utf-8")) | {changed: "0.0"}
    manifest.write_text(json.dumps(stale), encoding="utf-8")
    ensure_int8_models(settings, calibration)
    assert json.loads(manifest.read_text(encoding="utf-8"))[changed] != "0.0"
    assert {name: path.stat().st_mtime_ns for name, path in paths.items()} != made
    assert {name: path.read_bytes() for name, path in paths.items()} == contents


def test_no_calibration_pages_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="校准"):
        ensure_int8_models(RapidOcrOptions(int8_dir=tmp_path / "int8"), [])
