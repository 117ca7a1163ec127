"""Input files → raw pages: page images, plus a PDF page's text layer where it has one.

The file's type is decided from its bytes, not its name, so a mislabelled file is read for
what it is. Anything that cannot be read raises `InputError` with a stable code; the caller
stores the original and records the error, it never loses the file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from intake.models import OcrLine
from intake.reasons import Code
from intake.settings import InputLimits

# Decompression bombs are refused through our own page-size limit instead of PIL's warning.
Image.MAX_IMAGE_PIXELS = None
MAX_PIXELS = 80_000_000


class InputError(Exception):
    """A file that cannot be read. `detail` must never contain document text."""

    def __init__(self, code: Code, detail: str = "") -> None:
        super().__init__(f"{code.value}: {detail}" if detail else code.value)
        self.code = code
        self.detail = detail


@dataclass
class RawPage:
    page: int  # 1-based
    image: np.ndarray  # BGR
    text_lines: list[OcrLine] = field(default_factory=list)  # PDF text layer, in image pixels

    @property
    def has_text_layer(self) -> bool:
        return bool(self.text_lines)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tiff": "image/tiff",
    "bmp": "image/bmp",
}


def sniff(data: bytes) -> str | None:
    """The file's real type from its first bytes."""
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if data.startswith(b"BM"):
        return "bmp"
    return None


def content_type(data: bytes) -> str:
    kind = sniff(data)
    return CONTENT_TYPES[kind] if kind else "application/octet-stream"


def load_pages(data: bytes, limits: InputLimits) -> list[RawPage]:
    if not data:
        raise InputError(Code.file_empty)
    if len(data) > limits.max_file_bytes:
        raise InputError(Code.file_too_large, f"{len(data)} > {limits.max_file_bytes} bytes")
    kind = sniff(data)
    if kind is None:
        raise InputError(Code.file_unsupported)
    if kind == "pdf":
        return _load_pdf(data, limits)
    return _load_image(data, limits)


def _to_bgr(img: Image.Image) -> np.ndarray:
    if img.width * img.height > MAX_PIXELS:
        raise InputError(Code.file_too_large, f"{img.width}x{img.height} px")
    rgb = np.asarray(img.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _load_image(data: bytes, limits: InputLimits) -> list[RawPage]:
    try:
        img = Image.open(io.BytesIO(data))
        frames = [ImageOps.exif_transpose(frame.copy()) for frame in ImageSequence.Iterator(img)]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError(Code.file_unreadable, type(exc).__name__) from exc
    if len(frames) > limits.max_pages:
        raise InputError(Code.too_many_pages, f"{len(frames)} > {limits.max_pages}")
    try:
        return [RawPage(page=i + 1, image=_to_bgr(frame)) for i, frame in enumerate(frames)]
    except OSError as exc:  # truncated image data surfaces only when pixels are decoded
        raise InputError(Code.file_unreadable, type(exc).__name__) from exc


def _load_pdf(data: bytes, limits: InputLimits) -> list[RawPage]:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = Code.file_encrypted if "password" in str(exc).lower() else Code.file_unreadable
        raise InputError(code, "PDF") from exc
    try:
        count = len(pdf)
        if count == 0:
            raise InputError(Code.file_empty, "PDF 无页面")
        if count > limits.max_pages:
            raise InputError(Code.too_many_pages, f"{count} > {limits.max_pages}")
        scale = limits.render_dpi / 72.0
        images = []
        for index in range(count):
            bitmap = pdf[index].render(scale=scale)
            images.append(_to_bgr(bitmap.to_pil()))
    finally:
        pdf.close()
    text_layers = _pdf_text_layers(data, scale, limits.min_text_layer_chars, count)
    return [RawPage(page=i + 1, image=image, text_lines=text_layers[i]) for i, image in enumerate(images)]


def _pdf_text_layers(data: bytes, scale: float, min_chars: int, count: int) -> list[list[OcrLine]]:
    """Per page, the text layer's lines in rendered-image pixels; [] where it is too thin to trust."""
    layers: list[list[OcrLine]] = [[] for _ in range(count)]
    try:
        with pdfplumber.open(io.BytesIO(data)) as doc:
            for index, page in enumerate(doc.pages[:count]):
                lines = page.extract_text_lines(layout=False, strip=True)
                if sum(len(ln["text"]) for ln in lines) < min_chars:
                    continue
                layers[index] = [
                    OcrLine(
                        text=ln["text"],
                        confidence=1.0,
                        polygon=[
                            (ln["x0"] * scale, ln["top"] * scale),
                            (ln["x1"] * scale, ln["top"] * scale),
                            (ln["x1"] * scale, ln["bottom"] * scale),
                            (ln["x0"] * scale, ln["bottom"] * scale),
                        ],
                    )
                    for ln in lines
                    if ln["text"].strip()
                ]
    except Exception:
        return [[] for _ in range(count)]
    return layers
