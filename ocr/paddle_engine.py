"""The `paddleocr` package itself, for deployments that install it with local model folders.

`paddleocr` downloads its weights when no folder is given; this engine refuses to start unless
detection and recognition folders are configured, so it never reaches the network.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from typing import Any, ClassVar

import numpy as np

from intake.models import OcrLine
from intake.settings import OcrSettings
from ocr.engine import sort_reading_order


class PaddleOcrEngine:
    name: ClassVar[str] = "paddleocr"

    @staticmethod
    def unavailable_reason(settings: OcrSettings) -> str:
        if importlib.util.find_spec("paddleocr") is None:
            return "paddleocr 未安装（pip install 'yibao-intake[paddle]'）"
        if settings.paddle_det_dir is None or settings.paddle_rec_dir is None:
            return "未配置 PaddleOCR 本地模型目录（INTAKE_OCR__PADDLE_DET_DIR / INTAKE_OCR__PADDLE_REC_DIR）"
        for folder in (settings.paddle_det_dir, settings.paddle_rec_dir):
            if not folder.is_dir():
                return f"PaddleOCR 模型目录不存在：{folder}"
        return ""

    def __init__(self, settings: OcrSettings) -> None:
        # PaddleX checks model hosters at import unless told not to.
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        from paddleocr import PaddleOCR

        kwargs: dict[str, Any] = {
            "text_detection_model_dir": str(settings.paddle_det_dir),
            "text_recognition_model_dir": str(settings.paddle_rec_dir),
            "use_doc_orientation_classify": False,
            "use_doc_unwarping": False,
            "use_textline_orientation": settings.paddle_cls_dir is not None,
            "cpu_threads": settings.threads,
        }
        if settings.paddle_cls_dir is not None:
            kwargs["textline_orientation_model_dir"] = str(settings.paddle_cls_dir)
        self._engine = PaddleOCR(**kwargs)
        self._lock = threading.Lock()

    def read(self, image: np.ndarray, *, use_cls: bool = True) -> list[OcrLine]:
        with self._lock:
            results = self._engine.predict(image)
        lines: list[OcrLine] = []
        for res in results:
            for text, score, poly in zip(res["rec_texts"], res["rec_scores"], res["rec_polys"], strict=True):
                if str(text).strip():
                    lines.append(
                        OcrLine(
                            text=str(text),
                            confidence=round(float(score), 4),
                            polygon=[(float(x), float(y)) for x, y in np.asarray(poly).tolist()],
                        )
                    )
        return sort_reading_order(lines)
