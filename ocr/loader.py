"""Input files → raw pages: page images, plus a PDF page's text layer where it has one.

The file's type is decided from its bytes, not its name, so a mislabelled file is read for
what it is. Anything that cannot be read raises `InputError` with a stable code; the caller
stores the original and records the error, it never loses the file.

Memory is bounded before anything is decoded: an image's size comes from its header, a PDF's
page count and page sizes from its page tree, and both are checked against `InputLimits`
(`max_page_pixels` a page, `max_file_pixels` a file) first. A per-file ceiling of about 1.5 GB
follows (the figures are in `InputLimits`' docstring).

A file on disk is read through `read_input_file`: never through a symbolic link, never from a
device or a pipe (`O_NOFOLLOW`, then `fstat` on what was opened).
"""

from __future__ import annotations

import io
import math
import os
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageOps, UnidentifiedImageError

from intake.models import OcrLine
from intake.reasons import Code
from intake.settings import InputLimits
from ocr.stages import stage

# Decompression bombs are refused by our own pixel limits, checked on the header before decoding,
# instead of PIL's warning.
Image.MAX_IMAGE_PIXELS = None
# pdfium refuses bitmaps wider or taller than this; a needle-thin page is rendered narrower instead.
MAX_SIDE = 30_000
# What PIL raises on a damaged or unsupported image (ValueError: a mode it cannot convert; TypeError: a
# TIFF whose size tags are damaged, found by tests/test_fuzz.py; struct.error: a header cut short).
_IMAGE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ArithmeticError,
    struct.error,
)


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


def path_problem(path: Path) -> Code | None:
    """Why a path must not be read, judged on the entry itself (`lstat`, links not followed): a symbolic
    link could point at any file of the machine (/etc/passwd named x.jpg), a device or a pipe never ends
    or blocks the reader. None for a regular file; a missing path is the caller's to report."""
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        return Code.file_symlink
    if not stat.S_ISREG(mode):
        return Code.file_not_regular
    return None


def read_input_file(path: Path) -> bytes:
    """A regular file's bytes. The link check is made again on what was opened (`O_NOFOLLOW` refuses a
    link swapped in after `path_problem` looked; `O_NONBLOCK` keeps a pipe's open from waiting for a
    writer), so nothing outside the given file is ever read."""
    try:
        problem = path_problem(path)
    except OSError as exc:
        raise InputError(Code.file_unreadable, type(exc).__name__) from exc
    if problem is not None:
        raise InputError(problem)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(Code.file_symlink if os.path.islink(path) else Code.file_unreadable) from exc
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(Code.file_not_regular)
        return handle.read()


def load_pages(data: bytes, limits: InputLimits) -> list[RawPage]:
    if not data:
        raise InputError(Code.file_empty)
    if len(data) > limits.max_file_bytes:
        raise InputError(Code.file_too_large, f"{len(data)} > {limits.max_file_bytes} bytes")
    kind = sniff(data)
    if kind is None:
        raise InputError(Code.file_unsupported)
    try:
        with stage("load"):
            if kind == "pdf":
                return _load_pdf(data, limits)
            return _load_image(data, limits)
    except MemoryError as exc:
        # The limits are checked before decoding; this is the last guard when the machine has less
        # memory than they assume. The error is the file's, the process goes on with the next one.
        raise InputError(Code.file_too_large, "memory") from exc


def _to_rgb(img: Image.Image) -> Image.Image:
    """Any PIL mode → 8-bit RGB as it would look printed. 16- and 32-bit grey is scaled (0..65535 → 0..255;
    PIL's own conversion clips it, turning a 16-bit scan white), float grey taken as 0..1 when it fits,
    and transparency laid over white paper (PIL drops alpha to the colour underneath, often black)."""
    if img.mode.startswith("I"):
        grey = np.asarray(img)
        if grey.dtype != np.uint16:
            grey = np.clip(grey, 0, 65535).astype(np.uint16)
        return Image.fromarray((grey >> 8).astype(np.uint8), "L").convert("RGB")
    if img.mode == "F":
        values = np.nan_to_num(np.asarray(img, dtype=np.float32))
        if values.size and float(values.max()) <= 1.0:
            values = values * 255.0
        return Image.fromarray(np.clip(values, 0, 255).astype(np.uint8), "L").convert("RGB")
    if img.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (img.mode in ("P", "L", "RGB") and "transparency" in img.info):
        rgba = img.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return img.convert("RGB")


def _to_bgr(img: Image.Image) -> np.ndarray:
    """The image as OpenCV's BGR array. OpenCV swaps the channels in a fifth of the CPU time a reversed
    numpy view copied contiguous took (7 against 30 ms on a 300 dpi A4 page), to the same bytes."""
    return cv2.cvtColor(np.asarray(_to_rgb(img)), cv2.COLOR_RGB2BGR)


def _frame_sizes(img: Image.Image, limits: InputLimits) -> list[tuple[int, int]]:
    """Every frame's size from its header, before any pixel is decoded."""
    count = getattr(img, "n_frames", 1)
    if count > limits.max_pages:
        raise InputError(Code.too_many_pages, f"{count} > {limits.max_pages}")
    sizes = []
    for index in range(count):
        img.seek(index)
        sizes.append(img.size)
    img.seek(0)
    return sizes


def _load_image(data: bytes, limits: InputLimits) -> list[RawPage]:
    try:
        img = Image.open(io.BytesIO(data))
        sizes = _frame_sizes(img, limits)
    except InputError:
        raise
    except _IMAGE_ERRORS as exc:
        raise InputError(Code.file_unreadable, type(exc).__name__) from exc
    if any(w <= 0 or h <= 0 for w, h in sizes):
        raise InputError(Code.file_unreadable, "0 px")
    if len(sizes) == 1 and img.format == "JPEG" and sizes[0][0] * sizes[0][1] > limits.max_page_pixels:
        # JPEG decodes at 1/2, 1/4 or 1/8 for the asking (a 200 MP phone photo → 12.5 MP); `draft` picks
        # a size at least the one asked, at most twice each side: ask for half of what fits.
        width, height = sizes[0]
        share = math.sqrt(limits.max_page_pixels / (width * height)) / 2
        img.draft("RGB", (max(1, int(width * share)), max(1, int(height * share))))
        sizes = [img.size]
    for width, height in sizes:
        if width * height > limits.max_page_pixels:
            raise InputError(Code.page_too_large, f"{width}x{height} px")
    if sum(w * h for w, h in sizes) > limits.max_file_pixels:
        raise InputError(Code.file_too_large, f"{sum(w * h for w, h in sizes)} px")
    pages = []
    try:
        for index in range(len(sizes)):
            img.seek(index)
            img.load()
            pages.append(RawPage(page=index + 1, image=_to_bgr(ImageOps.exif_transpose(img))))
    except _IMAGE_ERRORS as exc:  # truncated image data surfaces only when pixels are decoded
        raise InputError(Code.file_unreadable, type(exc).__name__) from exc
    return pages


def _render_scales(sizes: list[tuple[float, float]], limits: InputLimits) -> list[float]:
    """Each page's render scale: `render_dpi`, lower for a page above `max_page_pixels` or `MAX_SIDE`, then
    all pages alike lower where together they exceed `max_file_pixels` (refused below `min_render_share`)."""
    base = limits.render_dpi / 72.0
    scales = []
    for width, height in sizes:
        if not (math.isfinite(width) and math.isfinite(height)) or width <= 0 or height <= 0:
            raise InputError(Code.file_unreadable, "page size")
        scale = min(base, math.sqrt(limits.max_page_pixels / (width * height)), MAX_SIDE / max(width, height))
        scales.append(scale)
    total = sum(width * height * s * s for (width, height), s in zip(sizes, scales, strict=True))
    share = min(1.0, math.sqrt(limits.max_file_pixels / total)) if total > 0 else 1.0
    if share < limits.min_render_share:
        raise InputError(Code.file_too_large, f"{len(sizes)} pages, {total / 1e6:.0f} MP")
    return [s * share for s in scales]


def _load_pdf(data: bytes, limits: InputLimits) -> list[RawPage]:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        # pdfium's last error is not reset between documents: a password error counts only when the file
        # has an encryption dictionary at all.
        encrypted = getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD and b"/Encrypt" in data
        code = Code.file_encrypted if encrypted else Code.file_unreadable
        raise InputError(code, "PDF") from exc
    try:
        count = len(pdf)
        if count == 0:
            raise InputError(Code.file_empty, "PDF 无页面")
        if count > limits.max_pages:
            raise InputError(Code.too_many_pages, f"{count} > {limits.max_pages}")
        try:
            sizes = [pdf.get_page_size(index) for index in range(count)]
        except pdfium.PdfiumError as exc:
            raise InputError(Code.file_unreadable, "page size") from exc
        scales = _render_scales(sizes, limits)
        images = []
        for index, scale in enumerate(scales):
            try:
                page = pdf[index]
                bitmap = page.render(scale=scale)
            except pdfium.PdfiumError as exc:
                raise InputError(Code.file_unreadable, f"page {index + 1}") from exc
            # pdfium renders BGR already: one copy out of its buffer, nothing else.
            images.append(np.array(bitmap.to_numpy()))
            bitmap.close()
            page.close()
    finally:
        pdf.close()
    text_layers = _pdf_text_layers(data, scales, limits.min_text_layer_chars, count)
    return [RawPage(page=i + 1, image=image, text_lines=text_layers[i]) for i, image in enumerate(images)]


def _pdf_text_layers(data: bytes, scales: list[float], min_chars: int, count: int) -> list[list[OcrLine]]:
    """Per page, the text layer's lines in rendered-image pixels; [] where it is too thin to trust."""
    layers: list[list[OcrLine]] = [[] for _ in range(count)]
    try:
        with pdfplumber.open(io.BytesIO(data)) as doc:
            for index, page in enumerate(doc.pages[:count]):
                scale = scales[index]
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
