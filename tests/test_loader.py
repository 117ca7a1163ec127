"""Reading input files: every kind of bad input gets a stable code, good input gets its pages."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from intake.reasons import Code
from intake.settings import InputLimits
from ocr.loader import InputError, load_pages, sniff

LIMITS = InputLimits()
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def _png(width: int = 200, height: int = 100) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, "PNG")
    return buf.getvalue()


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buf, "JPEG")
    return buf.getvalue()


def _pdf(text: str | None, encrypt: str | None = None, pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    if text:
        pdfmetrics.registerFont(TTFont("zenhei", FONT, subfontIndex=0))
        c.setFont("zenhei", 14)
    for _ in range(pages):
        if text:
            c.drawString(72, 700, text)
        else:
            c.rect(72, 600, 200, 100)
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", Code.file_empty),
        (b"hello, this is plain text and not a document", Code.file_unsupported),
        (_jpeg()[:200], Code.file_unreadable),
        (b"%PDF-1.7\n garbage that is not a pdf", Code.file_unreadable),
        (_pdf("加密文件", encrypt="secret"), Code.file_encrypted),
    ],
    ids=["empty", "text-file", "truncated-jpeg", "corrupt-pdf", "encrypted-pdf"],
)
def test_bad_input_has_a_stable_code(data: bytes, code: Code) -> None:
    with pytest.raises(InputError) as info:
        load_pages(data, LIMITS)
    assert info.value.code is code


def test_oversized_file_refused() -> None:
    with pytest.raises(InputError) as info:
        load_pages(_png(), InputLimits(max_file_bytes=100))
    assert info.value.code is Code.file_too_large


def test_mislabelled_file_is_read_for_what_it_is() -> None:
    # A PNG saved as .pdf (the name is never consulted): still read as an image.
    assert sniff(_png()) == "png"
    pages = load_pages(_png(), LIMITS)
    assert len(pages) == 1 and pages[0].image.shape == (100, 200, 3)


def test_multipage_tiff() -> None:
    buf = io.BytesIO()
    frames = [Image.new("RGB", (120, 80), c) for c in ("white", "gray", "black")]
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    pages = load_pages(buf.getvalue(), LIMITS)
    assert [p.page for p in pages] == [1, 2, 3]
    assert int(pages[2].image.mean()) == 0


@pytest.mark.parametrize("mode", ["RGB", "L", "P", "RGBA"])
def test_an_image_is_loaded_as_bgr_with_its_own_pixels(mode: str) -> None:
    """GIVEN an image of random colours in a PIL mode (opaque) WHEN loaded THEN the page holds exactly its
    RGB pixels with the channels in OpenCV's order (BGR), contiguous."""
    rgb = np.random.default_rng(7).integers(0, 256, (31, 47, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgb, "RGB").convert(mode).save(buf, "PNG")
    (page,) = load_pages(buf.getvalue(), LIMITS)
    expected = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    assert page.image.flags["C_CONTIGUOUS"]
    assert np.array_equal(page.image, expected[:, :, ::-1])


def test_too_many_pages() -> None:
    with pytest.raises(InputError) as info:
        load_pages(_pdf(None, pages=3), InputLimits(max_pages=2))
    assert info.value.code is Code.too_many_pages


def test_born_digital_pdf_keeps_its_text_layer_in_pixel_coordinates() -> None:
    pages = load_pages(_pdf("浙江省医疗收费电子票据 票据号码 0012345678"), LIMITS)
    page = pages[0]
    assert page.has_text_layer
    assert "0012345678" in page.text_lines[0].text
    x0, _, x1, y1 = page.text_lines[0].bbox
    height, width = page.image.shape[:2]
    # 72 pt from the left at 200 dpi is 200 px; the line sits in the upper part of the page.
    assert abs(x0 - 200) < 3 and y1 < height / 2 and x1 < width


def test_scanned_pdf_has_no_text_layer() -> None:
    pages = load_pages(_pdf(None), LIMITS)
    assert not pages[0].has_text_layer
    assert pages[0].image.dtype == np.uint8
