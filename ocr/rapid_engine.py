"""PaddleOCR's PP-OCR models (det, direction cls, rec) on onnxruntime, as shipped in the rapidocr wheel.

The model paths are set explicitly so rapidocr never reaches its downloader: a missing file is
an error here, not a network request.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from rapidocr.utils.output import RapidOCROutput

from intake.models import OcrLine
from intake.settings import OcrSettings
from ocr.engine import sort_reading_order

# rapidocr would scale a larger image down for recognition too; preprocessing already caps the page
# (PreprocessSettings.max_image_side), so this only guards direct calls.
RECOGNITION_MAX_SIDE = 4096

MODEL_FILES = {
    "det": "PP-OCRv6_det_small.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    "rec": "PP-OCRv6_rec_small.onnx",
}


def model_dir() -> Path | None:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "models"


class RapidOcrEngine:
    name: ClassVar[str] = "rapidocr"

    @staticmethod
    def unavailable_reason() -> str:
        folder = model_dir()
        if folder is None:
            return "rapidocr 未安装（pip install rapidocr onnxruntime）"
        missing = [f for f in MODEL_FILES.values() if not (folder / f).is_file()]
        return f"rapidocr 模型文件缺失：{', '.join(missing)}" if missing else ""

    def __init__(self, settings: OcrSettings) -> None:
        from rapidocr import RapidOCR

        folder = model_dir()
        assert folder is not None
        params: dict[str, Any] = {
            "Global.log_level": "error",
            # The detector sees the page at `det_side`; recognition crops come from the full image.
            "Global.max_side_len": RECOGNITION_MAX_SIDE,
            "Det.limit_type": "max",
            "Det.limit_side_len": settings.max_side_len,
            "Rec.rec_batch_num": settings.rec_batch,
            "Rec.rec_img_shape": [3, 48, settings.rec_min_width],
            "EngineConfig.onnxruntime.intra_op_num_threads": settings.threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Det.model_path": str(folder / MODEL_FILES["det"]),
            "Cls.model_path": str(folder / MODEL_FILES["cls"]),
            "Rec.model_path": str(folder / MODEL_FILES["rec"]),
        }
        self._engine = RapidOCR(params=params)
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        # rapidocr keeps per-call options on the engine; calls from task threads must not interleave.
        self._lock = threading.Lock()

    def read(self, image: np.ndarray, *, use_cls: bool = True) -> list[OcrLine]:
        with self._lock:
            out = self._engine(image, use_det=True, use_cls=use_cls, use_rec=True)
        if not isinstance(out, RapidOCROutput) or out.boxes is None or out.txts is None or out.scores is None:
            return []
        lines = [
            OcrLine(
                text=str(text),
                confidence=round(float(score), 4),
                polygon=[(round(float(x), 1), round(float(y), 1)) for x, y in box],
            )
            for box, text, score in zip(out.boxes, out.txts, out.scores, strict=True)
            if str(text).strip()
        ]
        return sort_reading_order(lines)
