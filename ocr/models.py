"""The model files: PaddleOCR's PP-OCR networks as bundled in the pinned rapidocr wheel, by name and SHA-256,
and the set of files an engine is built from.

Nothing here runs a model or makes one (ocr/provision.py makes the int8 copies): an engine is handed
`ModelPaths` and never looks for, downloads or calibrates files itself.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

# The wheel's files (rapidocr 3.10.0) and their SHA-256: a wheel with other networks would read otherwise.
BUNDLED = {
    "det": ("PP-OCRv6_det_small.onnx", "090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f"),
    "cls": ("ch_ppocr_mobile_v2.0_cls_mobile.onnx", "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c"),
    "rec": ("PP-OCRv6_rec_small.onnx", "6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884"),
}
MODEL_FILES = {model: name for model, (name, _) in BUNDLED.items()}


@dataclass(frozen=True)
class ModelPaths:
    """The ONNX files one rapidocr-style engine runs: detector, direction classifier, recogniser, and with an
    int8 recogniser the fp32 one that reads its doubtful lines again (`rec_fp32`)."""

    det: Path
    cls: Path
    rec: Path
    rec_fp32: Path | None = None


def model_dir() -> Path | None:
    """The rapidocr wheel's model folder, None when rapidocr is not installed."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "models"


def file_sha256(path: Path) -> str:
    """A file's SHA-256: the model folders made from the wheel's files (int8, paddle) record their sources'
    to notice a new wheel."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def bundled_paths() -> ModelPaths:
    """The wheel's fp32 files. Raises FileNotFoundError (with a message for the operator) when rapidocr or
    one of its files is missing."""
    folder = model_dir()
    if folder is None:
        raise FileNotFoundError("rapidocr 未安装（pip install rapidocr onnxruntime）")
    missing = [name for name in MODEL_FILES.values() if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(f"rapidocr 模型文件缺失：{', '.join(missing)}")
    return ModelPaths(**{model: folder / name for model, name in MODEL_FILES.items()})


def unexpected_files(paths: ModelPaths) -> list[str]:
    """The wheel's files among `paths` whose SHA-256 is not the one pinned here (an upgraded wheel)."""
    folder = model_dir()
    expected = {folder / name: sha for name, sha in BUNDLED.values()} if folder else {}
    files = [paths.det, paths.cls, paths.rec, paths.rec_fp32]
    return [p.name for p in files if p is not None and p in expected and file_sha256(p) != expected[p]]
