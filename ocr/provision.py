"""The model files an engine is built from: the wheel's, and int8 copies of the PP-OCRv6 detection and
recognition models made here, offline.

Static post-training quantisation with onnxruntime's own tool: weights int8 per output channel,
activations uint8 with ranges measured on real inputs of the models (QDQ format, which onnxruntime
runs as integer kernels). The calibration inputs are what the fp32 models see while reading the
calibration pages shipped in this package (`ocr/calibration/`, copies of the repository's sample
documents, so an installed package makes the same files) through our reading path (same preprocessing,
detector side and recognition batches as by default), never the evaluation set. The direction
classifier (0.6 MB, a few ms a page) stays fp32.

The folder is made on first use, in a child process, and reused while its manifest matches (source
models, onnxruntime, calibration pages, this package's reader code, detector side and batch, recipe);
a file lock keeps two workers from making it at once. 75 s and 1.3 GB peak on this 2-core machine, once.
The same inputs make byte-identical files.

    python -m ocr.provision       # make it now, prints where
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from intake.settings import InputLimits, PreprocessSettings, RapidOcrOptions, Settings
from ocr.loader import InputError, load_pages
from ocr.models import MODEL_FILES, ModelPaths, bundled_paths, file_sha256, model_dir
from ocr.rapid_engine import RapidOcrEngine
from ocr.reader import read_page

# Bump when anything changes what is made (ops, formats, sample counts, what the detector is shown).
# 2: detector inputs are the pages' inked parts (rapid_engine.read).
RECIPE = 2
# The calibration inputs are what this package's reader feeds the fp32 models, so its code is part of
# what the files are made from: a changed reader (crops, second looks, batches) makes them again.
CODE_DIR = Path(__file__).resolve().parent
# Package data (pyproject: setuptools package-data), so an installed package makes its int8 models too.
CALIBRATION_DIR = Path(__file__).resolve().parent / "calibration"
CALIBRATION_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf"}
# Inputs kept for the ranges, evenly spread over everything the sample pages produced (a detector
# input at 1280 px is 14 MB; onnxruntime's calibration of 30 of them peaked at 2.7 GB).
DET_INPUTS = 12
REC_INPUTS = 64
# Operators quantised: the convolutions, and in the recogniser the transformer block's matrix products.
OPS = {"det": ["Conv"], "rec": ["Conv", "MatMul"]}
# Per-channel scales need DequantizeLinear's `axis`, which came with opset 13 (the wheel's files are 11).
OPSET = 13
MANIFEST = "manifest.json"
PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)
CALIBRATION_SETTINGS = {"max_side_len", "rec_batch", "rec_min_width", "rec_pack_width", "rec_width_scale"}


def calibration_files(folder: Path = CALIBRATION_DIR) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in CALIBRATION_SUFFIXES) if folder.is_dir() else []


def wanted_manifest(settings: RapidOcrOptions, calibration: list[Path]) -> dict[str, Any]:
    """What the folder must have been made from to be used as it is."""
    source = model_dir()
    if source is None:
        raise FileNotFoundError("rapidocr 未安装（pip install rapidocr onnxruntime）")
    pages = hashlib.sha256()
    for path in calibration:
        pages.update(path.name.encode() + b"\0" + file_sha256(path).encode())
    return {
        "recipe": RECIPE,
        "onnxruntime": importlib.metadata.version("onnxruntime"),
        "sources": {model: file_sha256(source / MODEL_FILES[model]) for model in ("det", "rec")},
        "calibration": pages.hexdigest(),
        "code": reader_code_digest(),
        "reading": _calibration_settings(settings).model_dump(mode="json", include=CALIBRATION_SETTINGS),
    }


def reader_code_digest(folder: Path = CODE_DIR) -> str:
    """The package's Python sources, hashed in name order: the same code always records the same inputs
    and so makes byte-identical files (the build is deterministic; a stale folder was the only drift)."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _calibration_settings(settings: RapidOcrOptions) -> RapidOcrOptions:
    """The fp32 engine the inputs are recorded from: the default detector side and batches whatever is
    configured (one set of files; a changed side is measured by the bench, not calibrated anew)."""
    return RapidOcrOptions(threads=settings.threads, model_precision="fp32", runtime="onnxruntime")


def model_paths(folder: Path) -> dict[str, Path]:
    return {model: folder / f"{model}_int8.onnx" for model in ("det", "rec")}


def ensure_int8_models(settings: RapidOcrOptions, calibration: list[Path] | None = None) -> dict[str, Path]:
    """The int8 det and rec files for these settings, made first when missing or stale."""
    calibration = calibration_files() if calibration is None else calibration
    folder = settings.int8_dir.resolve()
    paths = model_paths(folder)
    wanted = wanted_manifest(settings, calibration)
    if _up_to_date(folder, wanted):
        return paths
    if not calibration:
        raise FileNotFoundError(f"int8 模型缺失，且没有用于校准的样例页（{CALIBRATION_DIR}）")
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f".{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be making it: wait, then look again
        if not _up_to_date(folder, wanted):
            # In a child process: calibration peaks at 2.5 GB, which a reading worker would keep as its own.
            # A fresh interpreter running this module, not a multiprocessing child: that one imports the
            # caller's main script again (read from stdin it failed; without a main guard it would run it).
            command = [
                sys.executable,
                "-m",
                "ocr.provision",
                "--build",
                str(folder),
                "--threads",
                str(settings.threads),
            ]
            # The child imports this same package (a source checkout as well as an installed one).
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")])),
            }
            done = subprocess.run([*command, *map(str, calibration)], env=env, check=False)
            if done.returncode != 0 or not _up_to_date(folder, wanted):
                raise RuntimeError(f"int8 模型生成失败（exit {done.returncode}），见 python -m ocr.provision")
    return paths


def rapid_model_paths(options: RapidOcrOptions) -> ModelPaths:
    """The files the rapidocr engine runs at `options.model_precision`: the wheel's (fp32), with the int8
    recogniser (int8-rec) or detector and recogniser (int8) made first when missing, and then the wheel's
    fp32 recogniser to read the int8 one's doubtful lines again."""
    paths = bundled_paths()
    if options.model_precision == "fp32":
        return paths
    int8 = ensure_int8_models(options)
    det = int8["det"] if options.model_precision == "int8" else paths.det
    return ModelPaths(det=det, cls=paths.cls, rec=int8["rec"], rec_fp32=paths.rec)


def _up_to_date(folder: Path, wanted: dict[str, Any]) -> bool:
    manifest = folder / MANIFEST
    if not manifest.is_file() or not all(p.is_file() for p in model_paths(folder).values()):
        return False
    try:
        return bool(json.loads(manifest.read_text(encoding="utf-8")) == wanted)
    except ValueError:
        return False


def _build(folder: Path, settings: RapidOcrOptions, calibration: list[Path], manifest: dict[str, Any]) -> None:
    source = model_dir()
    assert source is not None
    inputs = collect_inputs(settings, calibration)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=f".{folder.name}-") as tmp:
        work = Path(tmp)
        made = work / "made"
        made.mkdir()
        for model, path in model_paths(made).items():
            _quantise(source / MODEL_FILES[model], path, inputs[model], OPS[model], work)
        (made / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(made, folder)


class _Recorder:
    """Stands in for a model session: keeps a copy of every input, then runs it."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.inputs: list[np.ndarray] = []

    def __call__(self, batch: np.ndarray) -> Any:
        self.inputs.append(batch.copy())
        return self.session(batch)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


def collect_inputs(settings: RapidOcrOptions, calibration: list[Path]) -> dict[str, list[np.ndarray]]:
    """Detector inputs and recognition batches of the fp32 models reading the calibration pages."""
    engine = RapidOcrEngine(bundled_paths(), _calibration_settings(settings))
    stages = engine.stages()
    recorders = {model: _Recorder(stages[model].session) for model in ("det", "rec")}
    for model, recorder in recorders.items():
        stages[model].session = recorder
    limits = InputLimits()
    for path in calibration:
        try:
            pages = load_pages(path.read_bytes(), limits)
        except InputError:
            continue
        for raw in pages:
            if not raw.has_text_layer:
                read_page(raw, path.name, engine, PreprocessSettings(), sure_codes_again=True)
    return {
        "det": _spread(recorders["det"].inputs, DET_INPUTS),
        "rec": _spread(recorders["rec"].inputs, REC_INPUTS),
    }


def _spread(items: list[np.ndarray], count: int) -> list[np.ndarray]:
    if len(items) <= count:
        return items
    return [items[round(i * (len(items) - 1) / (count - 1))] for i in range(count)]


def _quantise(source: Path, target: Path, inputs: list[np.ndarray], ops: list[str], work: Path) -> None:
    # The quantisation tools take a second to import and serve only here, in the child making the files.
    import onnx
    from onnx import version_converter
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self._inputs: Iterator[np.ndarray] = iter(inputs)

        def get_next(self) -> dict[str, np.ndarray] | None:
            batch = next(self._inputs, None)
            return None if batch is None else {"x": batch}

    if not inputs:
        raise ValueError(f"没有 {source.name} 的校准输入")
    converted = work / f"{target.stem}-opset{OPSET}.onnx"
    onnx.save(version_converter.convert_version(onnx.load(str(source)), OPSET), str(converted))
    prepared = work / f"{target.stem}-prepared.onnx"
    quant_pre_process(str(converted), str(prepared), skip_symbolic_shape=True)
    quantize_static(
        str(prepared),
        str(target),
        Reader(),
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        calibrate_method=CalibrationMethod.MinMax,
        op_types_to_quantize=ops,
        # Ranges are the mean over inputs of each input's min and max, not the extremes of one odd page.
        extra_options={"CalibMovingAverage": True},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ocr.provision",
        description="Make the int8 detection and recognition models from the rapidocr wheel (offline).",
    )
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # the child ensure_int8_models runs
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("calibration", type=Path, nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build is not None:
        options = RapidOcrOptions(threads=args.threads)
        _build(args.build, options, args.calibration, wanted_manifest(options, args.calibration))
        return 0
    settings = Settings().ocr
    if not isinstance(settings, RapidOcrOptions):
        print("error: INTAKE_OCR__KIND is not rapidocr: no int8 models to make", file=sys.stderr)
        return 1
    try:
        if not _up_to_date(settings.int8_dir.resolve(), wanted_manifest(settings, calibration_files())):
            print("making the int8 OCR models from the rapidocr wheel (once, about a minute)", file=sys.stderr)
        paths = ensure_int8_models(settings)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for model, path in paths.items():
        print(f"{model}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
