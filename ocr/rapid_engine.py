"""The PP-OCR engine: the detector, direction classifier and recogniser of ocr/ppocr.py on the model files
it is handed (`ModelPaths`), run by onnxruntime or OpenVINO (`RapidOcrOptions.runtime`). By default the
recogniser is an int8 copy of the wheel's (ocr/provision.py makes it), and the lines it is unsure of are
read again by the wheel's fp32 recogniser (`RapidOcrOptions.recheck_below`, ocr/recognition.py).

The engine reads a page as rapidocr 3.10 does (the same scaling bounds, vertical padding, crops and
filtering, with rapidocr's own functions), but it owns its stages: it finds lines on a copy of the page
cleared of seals, reads each character's confidence, and packs short lines into shared rows.
"""

from __future__ import annotations

import copy
import importlib.metadata
import importlib.util
import threading
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from rapidocr.utils.process_img import (
    apply_vertical_padding,
    get_rotate_crop_image,
    map_boxes_to_original,
    resize_image_within_bounds,
)

from intake.models import OcrLine
from intake.settings import RapidOcrOptions
from ocr.base import Column, sort_reading_order, stand_on_end
from ocr.models import ModelPaths
from ocr.ppocr import Classifier, Detector, OpenVinoSession, OrtSession, Recognizer, Session
from ocr.preprocess import ink_extent
from ocr.recognition import LineScore, LineShaper, Rechecked, Recognition
from ocr.stages import stage

# An image is scaled down to this long side before detection and cropping (rapidocr's Global.max_side_len);
# preprocessing already caps the page (PreprocessSettings.max_image_side), so this only guards direct calls.
RECOGNITION_MAX_SIDE = 4096
# An image's short side is scaled up to at least this (rapidocr's Global.min_side_len).
MIN_SIDE = 30
# A very wide or very low image is padded above and below before detection (rapidocr's vertical padding:
# wider than 8 × its height, or under 30 px).
PAD_WIDTH_RATIO = 8
PAD_MIN_HEIGHT = 30
# A line read at a mean confidence under this is dropped (rapidocr's Global.text_score).
TEXT_SCORE = 0.5
# The score of a line found but not read (`unread_if_on_end`).
UNREAD = 0.0
# An inked part under this share of the page's long side (a card scanned or photographed on a page) is
# seen by the detector at its own size, not at the page's scale.
SMALL_PART = 0.5
# The detector is never shown less than this long side (its input is a multiple of 32).
MIN_DETECTOR_SIDE = 32
# A strip or line of known line height (the second looks) is shown to the detector with its line boxes at
# most this high: a page's lines are about 15–25 px high at the detector's 1280 px side, and a strip seen at
# its full size (45 px lines on a 300 dpi scan) cost the detector 4–8 times the pixels.
LOOK_LINE_HEIGHT = 24
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

    def __init__(self, session: Session, step: int) -> None:
        self._session = session
        self._step = step

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        missing = -batch.shape[-1] % self._step
        if missing:
            batch = np.pad(batch, [(0, 0)] * (batch.ndim - 1) + [(0, missing)])
        if batch.shape[-1] > SPLIT_WIDTH and len(batch) > 1:
            return np.concatenate([np.array(self._session(batch[i : i + 1])) for i in range(len(batch))])
        return self._session(batch)


def runtime_description(options: RapidOcrOptions) -> str:
    """The runtime and version, the models' precision, and for OpenVINO the precision its CPU plugin
    computes in: the one set, or with "auto" its default on this machine."""
    version = importlib.metadata.version(options.runtime)
    if options.runtime != "openvino":
        return f"{options.runtime} {version}, {options.model_precision} models"
    precision = options.openvino_precision
    if precision == "auto":
        import openvino  # heavy, and only needed when chosen: imported then

        precision = openvino.Core().get_property("CPU", "INFERENCE_PRECISION_HINT").get_type_name()
    return f"openvino {version} (CPU, {precision}), {options.model_precision} models"


def openvino_properties(options: RapidOcrOptions) -> dict[str, Any]:
    """OpenVINO's CPU properties. The shape cache matters: OpenVINO keeps compiled kernels for 5000 input
    shapes by default and every recognition batch has a new width (and every page a new detector input):
    300 random-width batches grew a process to 1.5 GB, with a cache of 100 to 0.84 GB."""
    properties: dict[str, Any] = {
        "INFERENCE_NUM_THREADS": options.threads,
        "NUM_STREAMS": 1,
        "PERFORMANCE_HINT": "LATENCY",
        # Pinning puts every worker process's thread on the same core: two workers ran slower than one.
        "ENABLE_CPU_PINNING": False,
        "CPU_RUNTIME_CACHE_CAPACITY": options.openvino_shape_cache,
    }
    if options.openvino_precision != "auto":
        properties["INFERENCE_PRECISION_HINT"] = options.openvino_precision
    return properties


class RapidOcrEngine:
    name: ClassVar[str] = "rapidocr"

    @staticmethod
    def unavailable_reason(options: RapidOcrOptions) -> str:
        """Why this engine cannot run here ('' when it can): the package or runtime missing."""
        if importlib.util.find_spec("rapidocr") is None:
            return "rapidocr 未安装（pip install rapidocr onnxruntime）"
        if importlib.util.find_spec(options.runtime) is None:
            return f"推理运行时 {options.runtime} 未安装"
        return ""

    def __init__(self, paths: ModelPaths, options: RapidOcrOptions) -> None:
        """The engine on these model files; `paths.rec_fp32`, when given, reads the lines the recogniser
        is unsure of again (below `options.recheck_below`)."""
        self._options = options
        self._stages: dict[str, Any] = {
            "det": Detector(self._session(paths.det), options.max_side_len),
            "cls": Classifier(self._session(paths.cls)),
            "rec": self._recognizer(paths.rec),
        }
        reading: Recognition = self._shaped(self._stages["rec"])
        if paths.rec_fp32 is not None and options.recheck_below > 0:
            self._stages["rec_fp32"] = self._recognizer(paths.rec_fp32)
            reading = Rechecked(
                reading, self._shaped(self._stages["rec_fp32"]), options.recheck_below, options.recheck_ignores
            )
        # The recognition stage lines are read with (the tests count what a Rechecked one read again).
        self.reading = reading
        # The detector's side is set per call; calls from task threads must not interleave.
        self._lock = threading.Lock()

    def _session(self, path: Path, runtime: str | None = None) -> Session:
        if (runtime or self._options.runtime) == "openvino":
            return OpenVinoSession(path, openvino_properties(self._options))
        return OrtSession(path, self._options.threads)

    def _recognizer(self, path: Path) -> Recognizer:
        runtime = self._options.rec_runtime or self._options.runtime
        session = self._session(path, runtime)
        characters = session.characters()  # type: ignore[attr-defined]
        if runtime == "openvino":
            session = PaddedWidth(session, REC_WIDTH_STEP)
        return Recognizer(session, characters, self._options.rec_batch, self._options.rec_min_width)

    def _shaped(self, recognizer: Recognizer) -> Recognition:
        """A recognition stage whose lines are narrowed and packed as set."""
        options = self._options
        if options.rec_pack_width or options.rec_width_scale != 1:
            return LineShaper(recognizer, options.rec_width_scale, options.rec_min_width, options.rec_pack_width)
        return recognizer

    def stages(self) -> dict[str, Any]:
        """The det, cls and rec stages, and `rec_fp32` when an int8 recogniser's doubtful lines are read
        again; each has its model's `session` (the recogniser's own, also when its lines are packed)."""
        return self._stages

    def columns(self, image: np.ndarray) -> list[Column]:
        """The recogniser's word boxes of one line: each character at the recogniser's step that read it, a
        step being the line's width over the steps its own width fills."""
        with self._lock, stage("rec"):
            out = self._stages["rec"]([image], word_boxes=True)
        info = out.words[0]
        if info is None or not info.line_txt_len:
            return []
        step = image.shape[1] / info.line_txt_len
        chars = [char for word in info.words for char in word]
        steps = [col for word in info.word_cols for col in word]
        return [Column(char, col * step, (col + 1) * step) for char, col in zip(chars, steps, strict=True)]

    def read(
        self,
        image: np.ndarray,
        *,
        use_cls: bool = True,
        find_lines_on: np.ndarray | None = None,
        line_height: float | None = None,
        unread_if_on_end: bool = False,
    ) -> list[OcrLine]:
        # The detector sees only the inked part of the page, at the scale it would see the whole page at:
        # the blank margins cost detection time (a third of it on eval pages) and hold no line. A card
        # alone on a page (inked part under half the page's side) is seen at its own size, up to the
        # detector's side: at the page's scale a card's small print was 8 px high, and a scanned card's
        # 性别 line was not found (tuning set).
        x0, y0, x1, y1 = ink_extent(image)
        height, width = image.shape[:2]
        inked = max(x1 - x0, y1 - y0)
        side = self._options.max_side_len
        detector_side = max(MIN_DETECTOR_SIDE, round(side * inked / max(height, width)))
        if inked < SMALL_PART * max(height, width):
            detector_side = max(detector_side, min(side, inked))
        if line_height:
            # A strip or a line cut from a page already read: its lines are known to be `line_height` high,
            # and the detector finds them at LOOK_LINE_HEIGHT as well as at their full size, in a fraction
            # of the pixels (the recogniser still reads the crops at full size).
            detector_side = min(detector_side, max(MIN_DETECTOR_SIDE, round(inked * LOOK_LINE_HEIGHT / line_height)))
        find_on = None if find_lines_on is None else find_lines_on[y0:y1, x0:x1]
        with self._lock:
            self._stages["det"].limit_side_len = detector_side
            found = self.ocr_lines(image[y0:y1, x0:x1], use_cls, find_on, unread_if_on_end)
        lines = [
            OcrLine(
                text=text,
                confidence=round(float(score), 4),
                polygon=[(round(float(x) + x0, 1), round(float(y) + y0, 1)) for x, y in box],
                char_confidences=[round(c, 3) for c in score.chars] if isinstance(score, LineScore) else None,
            )
            for box, text, score in found
            if text.strip() or score == UNREAD
        ]
        return sort_reading_order(lines)

    def ocr_lines(
        self, image: np.ndarray, use_cls: bool, find_on: np.ndarray | None, unread_if_on_end: bool = False
    ) -> list[tuple[np.ndarray, str, float]]:
        """Each line's box (in `image`'s pixels), text and score, as rapidocr's pipeline gives them: the
        image scaled within bounds and padded when very wide, lines found (on `find_on` when it is the same
        size as what the detector is shown: the page cleared of seals), cut out, turned where the
        classifier says, read; empty and unsure readings dropped. With `unread_if_on_end`, lines that stand
        on end (`stand_on_end`) come back unread, text "" and score UNREAD: the page is read again turned."""
        if image.ndim == 2:
            image = np.stack([image] * 3, axis=-1)
        img, ratio_h, ratio_w = resize_image_within_bounds(image, MIN_SIDE, RECOGNITION_MAX_SIDE)
        record: dict[str, Any] = {"preprocess": {"ratio_h": ratio_h, "ratio_w": ratio_w}}
        img, record = apply_vertical_padding(img, record, PAD_WIDTH_RATIO, PAD_MIN_HEIGHT)
        with stage("det"):
            boxes = self._stages["det"](find_on if find_on is not None and find_on.shape == img.shape else img)
        if boxes is None:
            return []
        if unread_if_on_end and stand_on_end([_size(box) for box in boxes]):
            boxes = map_boxes_to_original(boxes, record, image.shape[0], image.shape[1])
            return [(box, "", UNREAD) for box in boxes]
        crops = [get_rotate_crop_image(img, copy.deepcopy(box)) for box in boxes]
        if use_cls:
            with stage("cls"):
                crops = self._stages["cls"](crops)
        with stage("rec"):
            out = self.reading(crops)
        boxes = map_boxes_to_original(boxes, record, image.shape[0], image.shape[1])
        return [
            (box, str(text), score)
            for box, text, score in zip(boxes, out.txts, out.scores, strict=True)
            if str(text).strip() and score >= TEXT_SCORE
        ]


def _size(box: np.ndarray) -> tuple[float, float]:
    """A detector quadrilateral's width and height: its top and left edges' lengths (rapidocr's order)."""
    return float(np.linalg.norm(box[1] - box[0])), float(np.linalg.norm(box[3] - box[0]))
