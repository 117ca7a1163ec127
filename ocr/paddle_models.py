"""Paddle-style model folders for the `paddleocr` package, made from the ONNX files in the rapidocr wheel.

`paddleocr` (PaddleX underneath) reads a local model folder holding `inference.onnx` and an
`inference.yml` (`Global.model_name`, `PreProcess`, `PostProcess`; for recognition the character
list) when it runs with `engine="onnxruntime"`. The rapidocr wheel ships the PP-OCRv6 small
detection and recognition models and the mobile direction classifier, but no such yml: this module
writes one per model from rapidocr's own `config.yaml`, so both engines run the same networks with
the same pre- and post-processing, and nothing is ever downloaded.

    python -m ocr.paddle_models OUT_DIR     # prints the INTAKE_OCR__* variables to set

Only PyYAML and onnxruntime (both core dependencies) are needed here, not `paddleocr`.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import onnxruntime as ort
import yaml

from ocr.models import MODEL_FILES, file_sha256, model_dir

# PaddleX model names the folders are registered under (its `Global.model_name` must match the
# name given to `PaddleOCR`). The direction classifier has no PaddleX name of its own: it takes the
# text-line orientation slot, with its own input size and normalisation in the yml.
DET_MODEL_NAME = "PP-OCRv6_small_det"
REC_MODEL_NAME = "PP-OCRv6_small_rec"
CLS_MODEL_NAME = "PP-LCNet_x0_25_textline_ori"

MODEL_FILE = "inference.onnx"
CONFIG_FILE = "inference.yml"

ENV_DET = "INTAKE_OCR__DET_DIR"
ENV_REC = "INTAKE_OCR__REC_DIR"
ENV_CLS = "INTAKE_OCR__CLS_DIR"


@dataclass(frozen=True)
class PaddleModelDirs:
    det: Path
    rec: Path
    cls: Path | None = None

    def env(self) -> dict[str, str]:
        """The settings that point the `paddleocr` engine at these folders."""
        out = {"INTAKE_OCR__KIND": "paddleocr", ENV_DET: str(self.det), ENV_REC: str(self.rec)}
        if self.cls is not None:
            out[ENV_CLS] = str(self.cls)
        return out


def rapidocr_config() -> dict[str, Any]:
    """rapidocr's bundled `config.yaml` (the parameters its own engine runs with)."""
    folder = _source_dir()
    with (folder.parent / "config.yaml").open(encoding="utf-8") as f:
        cfg: dict[str, Any] = yaml.safe_load(f)
    return cfg


def rec_characters(onnx_path: Path) -> list[str]:
    """The recognition model's character list, stored in the ONNX metadata (as rapidocr reads it)."""
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    if "character" not in meta:
        raise ValueError(f"{onnx_path.name} 没有内置字符表（ONNX metadata 'character'）")
    chars: list[str] = meta["character"].splitlines()
    return chars


def det_config(cfg: dict[str, Any]) -> dict[str, Any]:
    det = cfg["Det"]
    return {
        "Global": {"model_name": DET_MODEL_NAME},
        "PreProcess": {
            "transform_ops": [
                {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                {"DetResizeForTest": {"limit_side_len": det["limit_side_len"], "limit_type": det["limit_type"]}},
                {
                    "NormalizeImage": {
                        "mean": list(det["mean"]),
                        "std": list(det["std"]),
                        "scale": 1.0 / 255.0,
                        "order": "hwc",
                    }
                },
                {"ToCHWImage": None},
            ]
        },
        "PostProcess": {
            "name": "DBPostProcess",
            "thresh": det["thresh"],
            "box_thresh": det["box_thresh"],
            "max_candidates": det["max_candidates"],
            "unclip_ratio": det["unclip_ratio"],
            "use_dilation": det["use_dilation"],
            "score_mode": det["score_mode"],
        },
    }


def rec_config(cfg: dict[str, Any], characters: list[str]) -> dict[str, Any]:
    rec = cfg["Rec"]
    return {
        "Global": {"model_name": REC_MODEL_NAME},
        "PreProcess": {
            "transform_ops": [
                {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                {"RecResizeImg": {"image_shape": list(rec["rec_img_shape"])}},
            ]
        },
        # score_thresh: rapidocr drops lines below Global.text_score; PaddleX's CTCLabelDecode ignores
        # the key, the engine passes it to PaddleOCR as text_rec_score_thresh.
        "PostProcess": {
            "name": "CTCLabelDecode",
            "score_thresh": cfg["Global"]["text_score"],
            "character_dict": characters,
        },
    }


def cls_config(cfg: dict[str, Any]) -> dict[str, Any]:
    cls = cfg["Cls"]
    height = int(cls["cls_image_shape"][1])
    labels = [f"{label}_degree" for label in cls["label_list"]]  # PaddleX's names: 0_degree, 180_degree
    return {
        "Global": {"model_name": CLS_MODEL_NAME},
        # rapidocr squeezes a line into 48×192 and pads; PaddleX can only stretch to a fixed size (92.0 %
        # right on 729 real text lines, each also turned 180°) or scale to the height keeping the aspect
        # (95.4 %; rapidocr's own way 94.3 %). The latter needs batch size 1, which the engine sets.
        "PreProcess": {
            "transform_ops": [
                {"ResizeImage": {"resize_short": height}},
                {
                    "NormalizeImage": {
                        "channel_num": 3,
                        "mean": [0.5, 0.5, 0.5],
                        "std": [0.5, 0.5, 0.5],
                        "scale": 1.0 / 255.0,
                        "order": "",
                    }
                },
                {"ToCHWImage": None},
            ]
        },
        "PostProcess": {"Topk": {"topk": 1, "label_list": labels}},
    }


def build_model_dirs(target: Path, *, with_cls: bool = True, link: bool = False) -> PaddleModelDirs:
    """Write `det/`, `rec/` (and `cls/`) under `target`, each `inference.onnx` + `inference.yml`.

    The ONNX files are copied from the rapidocr wheel (or symlinked with `link=True`, which breaks
    when that wheel is removed or upgraded). Rewrites the folders when called again.
    """
    source = _source_dir()
    missing = [f for f in MODEL_FILES.values() if not (source / f).is_file()]
    if missing:
        raise FileNotFoundError(f"rapidocr 模型文件缺失：{', '.join(missing)}（{source}）")
    cfg = rapidocr_config()
    target = Path(target).resolve()
    det = _write(target / "det", source / MODEL_FILES["det"], det_config(cfg), link=link)
    rec_onnx = source / MODEL_FILES["rec"]
    rec = _write(target / "rec", rec_onnx, rec_config(cfg, rec_characters(rec_onnx)), link=link)
    cls = _write(target / "cls", source / MODEL_FILES["cls"], cls_config(cfg), link=link) if with_cls else None
    if not with_cls and (target / "cls").is_dir():
        shutil.rmtree(target / "cls")
    return PaddleModelDirs(det=det, rec=rec, cls=cls)


def _source_dir() -> Path:
    folder = model_dir()
    if folder is None:
        raise FileNotFoundError("rapidocr 未安装（pip install rapidocr onnxruntime）")
    return folder


def _write(folder: Path, onnx: Path, config: dict[str, Any], *, link: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / MODEL_FILE
    if dest.is_symlink() or dest.exists():
        dest.unlink()
    if link:
        dest.symlink_to(onnx)
    else:
        shutil.copyfile(onnx, dest)
    config = {
        **config,
        # Not read by PaddleX: where the weights came from, to tell stale folders apart.
        "Source": {
            "package": "rapidocr",
            "version": _rapidocr_version(),
            "file": onnx.name,
            "sha256": file_sha256(onnx),
        },
    }
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)
    tmp = folder / (CONFIG_FILE + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, folder / CONFIG_FILE)
    return folder


def _rapidocr_version() -> str:
    try:
        return importlib.metadata.version("rapidocr")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ocr.paddle_models",
        description="Make paddleocr model folders from the rapidocr wheel's ONNX files (offline).",
    )
    parser.add_argument("out_dir", type=Path, help="folder to write det/, rec/ and cls/ into")
    parser.add_argument("--no-cls", action="store_true", help="leave out the text-line direction classifier")
    parser.add_argument("--link", action="store_true", help="symlink the ONNX files instead of copying them")
    args = parser.parse_args(argv)
    try:
        dirs = build_model_dirs(args.out_dir, with_cls=not args.no_cls, link=args.link)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, value in dirs.env().items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
