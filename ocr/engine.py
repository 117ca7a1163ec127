"""The engine factory: the options' `kind` picks the engine, which is built from its model files.

Engines load their models once per process and configuration (`get_engine` is cached on the frozen
options). An engine that cannot run here says why (`unavailable_reason`), so an optional one is
skipped with a reason instead of failing at its first page.
"""

from __future__ import annotations

from functools import cache

import cv2

from intake.settings import OcrOptions, PaddleOcrOptions, RapidOcrOptions
from ocr.base import EngineUnavailable, OcrEngine
from ocr.models import unexpected_files
from ocr.paddle_engine import PaddleOcrEngine
from ocr.provision import rapid_model_paths
from ocr.rapid_engine import RapidOcrEngine


def unavailable_reason(options: OcrOptions) -> str:
    """Why the engine these options choose cannot run here; '' when it can."""
    if isinstance(options, PaddleOcrOptions):
        return PaddleOcrEngine.unavailable_reason(options)
    return RapidOcrEngine.unavailable_reason(options)


def is_available(options: OcrOptions) -> bool:
    return not unavailable_reason(options)


def available_engines() -> dict[str, str]:
    """Engine kind → '' when usable with its default options, else the reason it is not."""
    return {
        RapidOcrEngine.name: unavailable_reason(RapidOcrOptions()),
        PaddleOcrEngine.name: unavailable_reason(PaddleOcrOptions()),
    }


@cache
def get_engine(options: OcrOptions) -> OcrEngine:
    """One engine instance per process and configuration: model loading is the slow part. Raises
    EngineUnavailable (its message for the operator) when the engine cannot run here.

    The worker's thread budget holds for OpenCV too (preprocessing): with OpenCV's default of one thread
    per core, two single-thread workers on two cores read 1.8 s/page each instead of 1.2 (eval pages).
    """
    reason = unavailable_reason(options)
    if reason:
        raise EngineUnavailable(reason)
    cv2.setNumThreads(options.threads)
    if isinstance(options, PaddleOcrOptions):
        return PaddleOcrEngine(options)
    try:
        paths = rapid_model_paths(options)
    except FileNotFoundError as exc:
        raise EngineUnavailable(str(exc)) from exc
    changed = unexpected_files(paths)
    if changed:
        raise EngineUnavailable(f"rapidocr 模型文件与固定版本不符：{', '.join(changed)}")
    return RapidOcrEngine(paths, options)
