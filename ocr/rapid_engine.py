"""PaddleOCR's PP-OCR models (det, direction cls, rec) as shipped in the rapidocr wheel, run by onnxruntime
or OpenVINO (`OcrSettings.runtime`). By default the recogniser is an int8 copy made here from the wheel's
(ocr/int8_models.py), and the lines it is unsure of are read again by the wheel's fp32 recogniser
(`OcrSettings.recheck_below`, ocr/recognition.py `Rechecked`).

The model paths are set explicitly so rapidocr never reaches its downloader: a missing file is
an error here, not a network request.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.metadata
import importlib.util
import logging
import threading
from pathlib import Path
from typing import Any, ClassVar, cast

import numpy as np
from rapidocr.ch_ppocr_det.utils import DetPreProcess
from rapidocr.ch_ppocr_rec import TextRecInput, TextRecognizer
from rapidocr.utils.output import RapidOCROutput

from intake.models import OcrLine
from intake.settings import OcrSettings
from ocr.engine import Column, sort_reading_order
from ocr.preprocess import ink_extent
from ocr.recognition import CharConfidences, LineScore, LineShaper, Rechecked

# rapidocr would scale a larger image down for recognition too; preprocessing already caps the page
# (PreprocessSettings.max_image_side), so this only guards direct calls.
RECOGNITION_MAX_SIDE = 4096
# An inked part under this share of the page's long side (a card scanned or photographed on a page) is
# seen by the detector at its own size, not at the page's scale.
SMALL_PART = 0.5

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


def file_sha256(path: Path) -> str:
    """A file's SHA-256: the model folders made from the wheel's files (int8, paddle) record their sources'
    to notice a new wheel."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


# OpenVINO sees recognition batches padded to a multiple of this width: a handful of input shapes instead
# of a new one per batch (each new shape grew the worker: 200 random widths 540 MB, padded to 64 px 454 MB,
# and 10 % faster as fewer kernels are made). rapidocr pads narrower lines of a batch the same way.
REC_WIDTH_STEP = 64
# Batches wider than this go through one line at a time (same numbers, a third of the activations):
# three dense real pages peaked at 1005 MB unsplit, 865 MB split at 640 px; eval pages 2.5 % slower.
SPLIT_WIDTH = 640


class PaddedWidth:
    """A recognition session whose input batches are padded on the right with 0 (the normalised mid-grey
    rapidocr itself pads with) to a multiple of `step` pixels, and run line by line when wider than
    SPLIT_WIDTH (OpenVINO's output buffer is reused by the next call, so each result is copied)."""

    def __init__(self, session: Any, step: int) -> None:
        self._session = session
        self._step = step

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        missing = -batch.shape[-1] % self._step
        if missing:
            batch = np.pad(batch, [(0, 0)] * (batch.ndim - 1) + [(0, missing)])
        if batch.shape[-1] > SPLIT_WIDTH and len(batch) > 1:
            return np.concatenate([np.array(self._session(batch[i : i + 1])) for i in range(len(batch))])
        return self._session(batch)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class DetectorInput(DetPreProcess):
    """rapidocr's detector input, the same values made faster: rapidocr normalises the page in float64
    and hands onnxruntime a transposed (non-contiguous) copy, which it copies again; here it is float32
    in place and laid out once. With the detector's mean and std (0.5) every value is bit-identical
    (x − 0.5 rounds once in float32 as the float64 result is rounded once; / 0.5 is exact): 33 → 15 ms
    a page, and the copy onnxruntime made (about 20 ms) is gone."""

    def __call__(self, img: np.ndarray) -> np.ndarray | None:
        resized = self.resize(img)
        if resized is None:
            return None
        x = resized.astype(np.float32)
        x *= np.float32(self.scale)
        x -= self.mean.astype(np.float32)
        x /= self.std.astype(np.float32)
        return np.ascontiguousarray(x.transpose(2, 0, 1))[None]


class FindLinesOn:
    """rapidocr's detector, finding lines on another copy of the page when one is set (`page`, cut as the
    image rapidocr was given): the page with seals gone whole, while lines are cut for reading from the
    image itself. rapidocr pads or scales some images before detection (very wide ones); their lines
    are found on the image as it passes."""

    def __init__(self, detector: Any) -> None:
        self._detector = detector
        self.page: np.ndarray | None = None

    def __call__(self, img: np.ndarray) -> Any:
        page = self.page
        return self._detector(page if page is not None and page.shape == img.shape else img)


def runtime_description(settings: OcrSettings) -> str:
    """The runtime and version, the models' precision, and for OpenVINO the precision its CPU plugin
    computes in on this machine."""
    version = importlib.metadata.version(settings.runtime)
    if settings.runtime != "openvino":
        return f"{settings.runtime} {version}, {settings.model_precision} models"
    import openvino

    precision = openvino.Core().get_property("CPU", "INFERENCE_PRECISION_HINT")
    return f"openvino {version} (CPU, {precision.get_type_name()}), {settings.model_precision} models"


class RapidOcrEngine:
    name: ClassVar[str] = "rapidocr"

    @staticmethod
    def unavailable_reason(settings: OcrSettings) -> str:
        folder = model_dir()
        if folder is None:
            return "rapidocr 未安装（pip install rapidocr onnxruntime）"
        if importlib.util.find_spec(settings.runtime) is None:
            return f"推理运行时 {settings.runtime} 未安装"
        missing = [f for f in MODEL_FILES.values() if not (folder / f).is_file()]
        return f"rapidocr 模型文件缺失：{', '.join(missing)}" if missing else ""

    def __init__(self, settings: OcrSettings) -> None:
        from rapidocr import EngineType, RapidOCR

        folder = model_dir()
        assert folder is not None
        paths = {model: folder / name for model, name in MODEL_FILES.items()}
        if settings.model_precision != "fp32":
            from ocr.int8_models import ensure_int8_models

            int8 = ensure_int8_models(settings)
            paths.update(int8 if settings.model_precision == "int8" else {"rec": int8["rec"]})
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
            "EngineConfig.openvino.inference_num_threads": settings.threads,
            "Det.model_path": str(paths["det"]),
            "Cls.model_path": str(paths["cls"]),
            "Rec.model_path": str(paths["rec"]),
        }
        runtime = EngineType.OPENVINO if settings.runtime == "openvino" else EngineType.ONNXRUNTIME
        params.update({f"{model}.engine_type": runtime for model in ("Det", "Cls", "Rec")})
        self._engine = engine = RapidOCR(params=params)
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        # rapidocr 3.10 (pinned) loads each stage on first use and has no public way to reach them.
        self._stages = {
            "det": engine._load_det_model(),
            "cls": engine._load_cls_model(),
            "rec": engine._load_rec_model(),
        }
        if settings.runtime == "openvino":
            self._compile_openvino(settings)
        self._max_side = settings.max_side_len
        self._detector = detector = self._stages["det"]
        # rapidocr makes the detector's preprocessing anew on every call, through this method
        detector.get_preprocess = lambda: DetectorInput(
            detector.limit_side_len, detector.limit_type, detector.mean, detector.std
        )
        reading = self._shaped(self._stages["rec"], settings)
        if settings.model_precision != "fp32" and settings.recheck_below > 0:
            # The wheel's fp32 recogniser, the same in all else, for the lines the int8 one is unsure of.
            config = copy.deepcopy(engine.cfg.Rec)
            config.model_path = str(folder / MODEL_FILES["rec"])
            self._stages["rec_fp32"] = TextRecognizer(config)
            reading = Rechecked(reading, self._shaped(self._stages["rec_fp32"], settings), settings.recheck_below)
        engine.text_rec = reading
        self._finder = FindLinesOn(detector)
        engine.text_det = cast(Any, self._finder)  # typed as rapidocr's own detector class
        # rapidocr keeps per-call options on the engine; calls from task threads must not interleave.
        self._lock = threading.Lock()

    @staticmethod
    def _shaped(recognizer: Any, settings: OcrSettings) -> Any:
        """A recognition stage giving each character's confidence, its lines narrowed and packed as set."""
        recognizer.postprocess_op = CharConfidences(recognizer.postprocess_op)
        if settings.rec_pack_width or settings.rec_width_scale != 1:
            return LineShaper(recognizer, settings.rec_width_scale, settings.rec_min_width, settings.rec_pack_width)
        return recognizer

    def _compile_openvino(self, settings: OcrSettings) -> None:
        """Compile the three models again with the CPU properties rapidocr's OpenVINO config cannot pass.

        rapidocr 3.10 (pinned) loads each model on first use and passes only threads, streams and hints;
        here the models are loaded now and their infer requests replaced. The shape cache matters: OpenVINO
        keeps compiled kernels for 5000 input shapes by default, and every recognition batch has a new
        width (and every page a new detector input): 300 random-width batches grew a process to 1.5 GB, with
        a cache of 100 to 0.84 GB; over the whole eval set a worker peaked at 1.07 GB with 100 and 0.93 GB
        with 10 at the same speed (`OcrSettings.openvino_shape_cache`; README "Reading").
        """
        import openvino

        core = openvino.Core()
        properties: dict[str, Any] = {
            "INFERENCE_NUM_THREADS": settings.threads,
            "NUM_STREAMS": 1,
            "PERFORMANCE_HINT": "LATENCY",
            # Pinning puts every worker process's thread on the same core: two workers ran slower than one.
            "ENABLE_CPU_PINNING": False,
            "CPU_RUNTIME_CACHE_CAPACITY": settings.openvino_shape_cache,
        }
        if settings.openvino_precision != "auto":
            properties["INFERENCE_PRECISION_HINT"] = settings.openvino_precision
        stages = self.stages()
        for stage in stages.values():
            session = stage.session
            session.session = core.compile_model(session.model, "CPU", properties).create_infer_request()
        for name in ("rec", "rec_fp32"):
            if name in stages:
                stages[name].session = PaddedWidth(stages[name].session, REC_WIDTH_STEP)

    def stages(self) -> dict[str, Any]:
        """rapidocr's det, cls and rec stages, and `rec_fp32` when an int8 recogniser's doubtful lines are
        read again; each has the model's `session` (the recogniser's own, also when its lines are packed)."""
        return self._stages

    def columns(self, image: np.ndarray) -> list[Column]:
        """rapidocr's word boxes of one line: each character at the recogniser's step that read it, a step
        being the line's width over the steps its own width fills."""
        with self._lock:
            out = self._stages["rec"](TextRecInput(img=[image], return_word_box=True))
        info = out.word_results[0] if out.word_results else None
        if info is None or not info.line_txt_len:
            return []
        step = image.shape[1] / info.line_txt_len
        chars = [char for word in info.words for char in word]
        steps = [col for word in info.word_cols for col in word]
        return [Column(char, col * step, (col + 1) * step) for char, col in zip(chars, steps, strict=True)]

    def read(
        self, image: np.ndarray, *, use_cls: bool = True, find_lines_on: np.ndarray | None = None
    ) -> list[OcrLine]:
        # The detector sees only the inked part of the page, at the scale it would see the whole page at:
        # the blank margins cost detection time (a third of it on eval pages) and hold no line. A card
        # alone on a page (inked part under half the page's side) is seen at its own size, up to the
        # detector's side: at the page's scale a card's small print was 8 px high, and a scanned card's
        # 性别 line was not found (tuning set).
        x0, y0, x1, y1 = ink_extent(image)
        height, width = image.shape[:2]
        inked = max(x1 - x0, y1 - y0)
        detector_side = max(32, round(self._max_side * inked / max(height, width)))
        if inked < SMALL_PART * max(height, width):
            detector_side = max(detector_side, min(self._max_side, inked))
        with self._lock:
            self._detector.limit_side_len = detector_side
            self._finder.page = None if find_lines_on is None else find_lines_on[y0:y1, x0:x1]
            try:
                out = self._engine(image[y0:y1, x0:x1], use_det=True, use_cls=use_cls, use_rec=True)
            finally:
                self._finder.page = None
        if not isinstance(out, RapidOCROutput) or out.boxes is None or out.txts is None or out.scores is None:
            return []
        lines = [
            OcrLine(
                text=str(text),
                confidence=round(float(score), 4),
                polygon=[(round(float(x) + x0, 1), round(float(y) + y0, 1)) for x, y in box],
                char_confidences=[round(c, 3) for c in score.chars] if isinstance(score, LineScore) else None,
            )
            for box, text, score in zip(out.boxes, out.txts, out.scores, strict=True)
            if str(text).strip()
        ]
        return sort_reading_order(lines)
