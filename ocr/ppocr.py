"""PaddleOCR's three PP-OCR networks run on a session of our own: the detector, the 0°/180° line direction
classifier and the recogniser, each with the pre- and post-processing rapidocr 3.10 (pinned) gives them.

rapidocr's pipeline object (`RapidOCR`) builds its stages on first use and offers no way in to them, so
this module composes them from rapidocr's public building blocks instead (its DB post-processing, CTC
decoder, cropping and resizing functions) and runs the model files it is handed on onnxruntime or
OpenVINO. The processing is rapidocr's, step for step, so the readings are the same; what differs is
ours to choose: the detector's input is made in float32 in place, the recogniser reports each
character's confidence and CTC step, and OpenVINO compiles with the CPU properties set here.
"""

from __future__ import annotations

import copy
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
import onnxruntime as ort
from rapidocr.ch_ppocr_cls.utils import ClsPostProcess
from rapidocr.ch_ppocr_det import TextDetector
from rapidocr.ch_ppocr_det.utils import DBPostProcess, DetPreProcess
from rapidocr.ch_ppocr_rec.utils import CTCLabelDecode

from ocr.recognition import LineScore, Recognised, char_steps

# rapidocr 3.10's config.yaml for the detector: DB thresholds, normalisation and box sorting as trained.
DET_POSTPROCESS: dict[str, Any] = {
    "thresh": 0.3,
    "box_thresh": 0.5,
    "max_candidates": 1000,
    "unclip_ratio": 1.6,
    "score_mode": "fast",
    "use_dilation": True,
}
DET_MEAN = [0.5, 0.5, 0.5]
DET_STD = [0.5, 0.5, 0.5]
# The direction classifier's input (PP-OCRv4 mobile cls), batch and the confidence a 180° must have.
CLS_SHAPE = (3, 48, 192)
CLS_BATCH = 6
CLS_THRESH = 0.9
CLS_LABELS = ["0", "180"]
# The recogniser's input height and narrowest width (rapidocr's rec_img_shape [3, 48, 320]).
REC_CHANNELS = 3
REC_HEIGHT = 48


class Session(Protocol):
    """One model, run on a batch: its first output."""

    def __call__(self, batch: np.ndarray) -> np.ndarray: ...


class OrtSession:
    """An onnxruntime session with rapidocr's options: every graph optimisation, no CPU memory arena,
    `threads` within an operator and one between them; and pool threads that do not spin when idle."""

    def __init__(self, path: Path, threads: int) -> None:
        options = ort.SessionOptions()
        options.log_severity_level = 4
        options.enable_cpu_mem_arena = False
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if 1 <= threads <= (os.cpu_count() or 1):
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Idle pool threads sleep instead of spinning for the next operator: with 2 threads a detector run
        # cost 1.57 CPU s spinning, 1.31 not (1 thread: 1.31), on a page-sized input; the spinning is
        # burnt on a core a second worker or process could have used.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        providers = [("CPUExecutionProvider", {"arena_extend_strategy": "kSameAsRequested"})]
        self.session = ort.InferenceSession(str(path), sess_options=options, providers=providers)
        self._inputs = [i.name for i in self.session.get_inputs()]
        self._outputs = [o.name for o in self.session.get_outputs()]

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        return np.asarray(self.session.run(self._outputs, dict(zip(self._inputs, [batch], strict=True)))[0])

    def characters(self) -> list[str]:
        """The recogniser's character list, stored in the model's metadata."""
        chars: list[str] = self.session.get_modelmeta().custom_metadata_map["character"].splitlines()
        return chars


class OpenVinoSession:
    """A model compiled by OpenVINO for this CPU with `properties`; its output buffer is reused by the next
    call, so a caller that keeps a result copies it."""

    def __init__(self, path: Path, properties: dict[str, Any]) -> None:
        import openvino  # heavy, and only needed when chosen: imported then

        core = openvino.Core()
        self.model = core.read_model(str(path))
        self.request = core.compile_model(self.model, "CPU", properties).create_infer_request()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        self.request.infer(inputs=[batch])
        return np.asarray(self.request.get_output_tensor().data)

    def characters(self) -> list[str]:
        chars: list[str] = self.model.get_rt_info()["framework"]["character"].value.splitlines()
        return chars


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


class Detector:
    """Text-line quadrilaterals of an image, found with the image's long side at `limit_side_len`, in the
    order rapidocr sorts them (rows of 10 px, left to right)."""

    def __init__(self, session: Session, limit_side_len: int) -> None:
        self.session = session
        self.limit_side_len = limit_side_len
        self._postprocess = DBPostProcess(**DET_POSTPROCESS)

    def __call__(self, img: np.ndarray) -> np.ndarray | None:
        batch = DetectorInput(self.limit_side_len, "max", DET_MEAN, DET_STD)(img)
        if batch is None:
            return None
        boxes, _ = self._postprocess(self.session(batch), (img.shape[0], img.shape[1]))
        if len(boxes) < 1:
            return None
        sorted_boxes: np.ndarray = TextDetector.sorted_boxes(boxes)
        return sorted_boxes


class Classifier:
    """Line images turned round where the direction classifier is sure (above CLS_THRESH) they lie at 180°."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._postprocess = ClsPostProcess(CLS_LABELS)

    def __call__(self, images: list[np.ndarray]) -> list[np.ndarray]:
        out = copy.deepcopy(images)
        order = np.argsort(np.array([img.shape[1] / float(img.shape[0]) for img in images]))
        for start in range(0, len(images), CLS_BATCH):
            part = order[start : start + CLS_BATCH]
            batch = np.concatenate([_cls_input(images[i])[np.newaxis, :] for i in part]).astype(np.float32)
            for i, (label, score) in zip(part, self._postprocess(self.session(batch)), strict=True):
                if "180" in label and score > CLS_THRESH:
                    out[i] = cv2.rotate(out[i], cv2.ROTATE_180)
        return out


def _cls_input(img: np.ndarray) -> np.ndarray:
    """A line at the classifier's height, normalised, padded with 0 to its width (as rapidocr does)."""
    channels, height, width = CLS_SHAPE
    resized_w = min(width, math.ceil(height * img.shape[1] / float(img.shape[0])))
    resized = cv2.resize(img, (resized_w, height), interpolation=cv2.INTER_LINEAR).astype("float32")
    resized = resized.transpose((2, 0, 1)) / 255
    resized -= 0.5
    resized /= 0.5
    padded = np.zeros((channels, height, width), dtype=np.float32)
    padded[:, :, :resized_w] = resized
    return padded


@dataclass
class Recognizer:
    """Lines read by the recogniser in batches of `batch` (sorted by aspect, each padded to its widest and
    at least `min_width`), with each line's score a `LineScore`: the CTC decoder computes every character's
    confidence and step for every line, and rapidocr reports only their mean."""

    session: Session
    characters: list[str]
    batch: int
    min_width: int
    _decoder: CTCLabelDecode = field(init=False)

    def __post_init__(self) -> None:
        self._decoder = CTCLabelDecode(character=self.characters)

    def __call__(self, images: list[np.ndarray], word_boxes: bool = False) -> Recognised:
        order = np.argsort(np.array([img.shape[1] / float(img.shape[0]) for img in images]))
        txts: list[str] = [""] * len(images)
        scores: list[float] = [0.0] * len(images)
        words: list[Any] = [None] * len(images)
        for start in range(0, len(images), self.batch):
            part = order[start : start + self.batch]
            ratios = [images[i].shape[1] / images[i].shape[0] for i in part]
            widest = max(self.min_width / REC_HEIGHT, *ratios)
            batch = np.concatenate([self._input(images[i], widest)[np.newaxis, :] for i in part]).astype(np.float32)
            lines, infos = self._decoder(self.session(batch), True, wh_ratio_list=ratios, max_wh_ratio=widest)
            for i, (text, score), info in zip(part, lines, infos, strict=True):
                txts[i] = text
                scores[i] = (
                    LineScore(score, info.confs, char_steps(text, info)) if len(info.confs) == len(text) else score
                )
                words[i] = info if word_boxes else None
        return Recognised(list(images), txts, scores, words)

    @staticmethod
    def _input(img: np.ndarray, ratio: float) -> np.ndarray:
        """A line at the model's height, normalised, padded with 0 to `ratio` × the height (rapidocr's)."""
        width = int(REC_HEIGHT * ratio)
        resized_w = min(width, math.ceil(REC_HEIGHT * img.shape[1] / float(img.shape[0])))
        resized = cv2.resize(img, (resized_w, REC_HEIGHT)).astype("float32")
        resized = resized.transpose((2, 0, 1)) / 255
        resized -= 0.5
        resized /= 0.5
        padded = np.zeros((REC_CHANNELS, REC_HEIGHT, width), dtype=np.float32)
        padded[:, :, 0:resized_w] = resized
        return padded
