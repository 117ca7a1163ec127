"""Drawing surfaces in millimetres: a raster page (PIL, for paper documents) and a PDF page
(reportlab, for born-digital 电子票据). Both record every printed line of black text in reading
order, which becomes the page's OCR ground truth."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT_FILES = {
    "sans": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    "sans_bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    "serif": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    "serif_bold": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    "hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    # The template families' faces (synth/families): every CJK family Debian packages.
    "microhei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    "ming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "droid": ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
}
PT_PER_MM = 72 / 25.4
BLACK = (20, 20, 24)
SEAL_RED = (214, 36, 42)


class FontMissing(RuntimeError):
    pass


@cache
def font(name: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = FONT_FILES[name]
    if not Path(path).exists():
        raise FontMissing(f"字体缺失：{path}（运行 scripts/bootstrap.sh 安装 Debian 字体包）")
    return ImageFont.truetype(path, px, index=index)


@dataclass
class PrintedLine:
    text: str
    box: tuple[float, float, float, float]  # mm: x0, y0, x1, y1


def left_edge(x: float, width_mm: float, anchor: str) -> float:
    """Where text of this width starts when anchored at x: l(eft), m(iddle) or r(ight)."""
    return x - width_mm / 2 if anchor == "m" else x - width_mm if anchor == "r" else x


def printed(s: str, x0: float, y: float, width_mm: float, size_pt: float) -> PrintedLine:
    """The ground-truth record of one drawn line: its text and box in mm (y is its vertical middle)."""
    half = size_pt / PT_PER_MM / 2
    return PrintedLine(s, (x0, y - half, x0 + width_mm, y + half))


class Surface(Protocol):
    width_mm: float
    height_mm: float
    lines: list[PrintedLine]

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float,
        *,
        font_name: str = "sans",
        anchor: str = "l",
        color: tuple[int, int, int] = BLACK,
        record: bool = True,
    ) -> float: ...

    def line(
        self, x0: float, y0: float, x1: float, y1: float, *, width: float = 0.25, color: tuple[int, int, int] = BLACK
    ) -> None: ...

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        *,
        width: float = 0.25,
        color: tuple[int, int, int] = BLACK,
        fill: tuple[int, int, int] | None = None,
    ) -> None: ...

    def image(self, img: Image.Image, x: float, y: float, w: float, h: float) -> None: ...

    def stamp(self, seal: Image.Image, cx: float, cy: float, diameter: float) -> None: ...


def text_width_mm(s: str, size_pt: float, font_name: str = "sans") -> float:
    px = 200
    return font(font_name, px).getlength(s) / px * size_pt / PT_PER_MM


@dataclass
class RasterPage:
    """A page rendered at `dpi`, on paper of a given tint."""

    width_mm: float
    height_mm: float
    dpi: int = 200
    paper: tuple[int, int, int] = (252, 252, 250)
    lines: list[PrintedLine] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.img = Image.new("RGB", (self.px(self.width_mm), self.px(self.height_mm)), self.paper)
        self.draw = ImageDraw.Draw(self.img)

    def px(self, mm: float) -> int:
        return round(mm / 25.4 * self.dpi)

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float,
        *,
        font_name: str = "sans",
        anchor: str = "l",
        color: tuple[int, int, int] = BLACK,
        record: bool = True,
    ) -> float:
        """Draw `s` with its vertical middle at y; anchor l/m/r for x. Returns the width in mm."""
        f = font(font_name, max(6, round(size / 72 * self.dpi)))
        width_mm = f.getlength(s) / self.dpi * 25.4
        x0 = left_edge(x, width_mm, anchor)
        self.draw.text((self.px(x0), self.px(y)), s, font=f, fill=color, anchor="lm")
        if record and s.strip():
            self.lines.append(printed(s, x0, y, width_mm, size))
        return width_mm

    def line(
        self, x0: float, y0: float, x1: float, y1: float, *, width: float = 0.25, color: tuple[int, int, int] = BLACK
    ) -> None:
        self.draw.line(
            [(self.px(x0), self.px(y0)), (self.px(x1), self.px(y1))], fill=color, width=max(1, self.px(width))
        )

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        *,
        width: float = 0.25,
        color: tuple[int, int, int] = BLACK,
        fill: tuple[int, int, int] | None = None,
    ) -> None:
        self.draw.rectangle(
            [self.px(x0), self.px(y0), self.px(x1), self.px(y1)], outline=color, fill=fill, width=max(1, self.px(width))
        )

    def image(self, img: Image.Image, x: float, y: float, w: float, h: float) -> None:
        scaled = img.resize((self.px(w), self.px(h)), Image.Resampling.LANCZOS)
        if scaled.mode == "RGBA":
            self.img.paste(scaled, (self.px(x), self.px(y)), scaled)
        else:
            self.img.paste(scaled, (self.px(x), self.px(y)))

    def stamp(self, seal: Image.Image, cx: float, cy: float, diameter: float) -> None:
        """Ink a seal: multiply, so the text under it stays visible as it does on paper."""
        size = self.px(diameter)
        scaled = seal.resize((size, round(size * seal.height / seal.width)), Image.Resampling.LANCZOS)
        x, y = self.px(cx) - scaled.width // 2, self.px(cy) - scaled.height // 2
        region = self.img.crop((x, y, x + scaled.width, y + scaled.height))
        ink = Image.new("RGB", scaled.size, (255, 255, 255))
        ink.paste(scaled.convert("RGB"), (0, 0), scaled.getchannel("A"))
        self.img.paste(ImageChops.multiply(region, ink), (x, y))


class PdfPage:
    """One page of a born-digital PDF: text stays text (a text layer pdfplumber reads)."""

    def __init__(self, canvas: object, width_mm: float, height_mm: float) -> None:
        from reportlab.pdfgen.canvas import Canvas

        assert isinstance(canvas, Canvas)
        self.c = canvas
        self.width_mm, self.height_mm = width_mm, height_mm
        self.lines: list[PrintedLine] = []

    def _y(self, y_mm: float) -> float:
        return (self.height_mm - y_mm) * PT_PER_MM

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float,
        *,
        font_name: str = "sans",
        anchor: str = "l",
        color: tuple[int, int, int] = BLACK,
        record: bool = True,
    ) -> float:
        name = _pdf_font(font_name)
        width_mm = self.c.stringWidth(s, name, size) / PT_PER_MM
        x0 = left_edge(x, width_mm, anchor)
        self.c.setFillColorRGB(*(v / 255 for v in color))
        self.c.setFont(name, size)
        self.c.drawString(x0 * PT_PER_MM, self._y(y) - size * 0.35, s)
        if record and s.strip():
            self.lines.append(printed(s, x0, y, width_mm, size))
        return width_mm

    def line(
        self, x0: float, y0: float, x1: float, y1: float, *, width: float = 0.25, color: tuple[int, int, int] = BLACK
    ) -> None:
        self.c.setStrokeColorRGB(*(v / 255 for v in color))
        self.c.setLineWidth(width * PT_PER_MM)
        self.c.line(x0 * PT_PER_MM, self._y(y0), x1 * PT_PER_MM, self._y(y1))

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        *,
        width: float = 0.25,
        color: tuple[int, int, int] = BLACK,
        fill: tuple[int, int, int] | None = None,
    ) -> None:
        self.c.setStrokeColorRGB(*(v / 255 for v in color))
        self.c.setLineWidth(width * PT_PER_MM)
        if fill is not None:
            self.c.setFillColorRGB(*(v / 255 for v in fill))
        self.c.rect(
            x0 * PT_PER_MM,
            self._y(y1),
            (x1 - x0) * PT_PER_MM,
            (y1 - y0) * PT_PER_MM,
            stroke=1,
            fill=1 if fill is not None else 0,
        )

    def image(self, img: Image.Image, x: float, y: float, w: float, h: float) -> None:
        from reportlab.lib.utils import ImageReader

        buf = io.BytesIO()
        img.save(buf, format="PNG")
        buf.seek(0)
        self.c.drawImage(ImageReader(buf), x * PT_PER_MM, self._y(y + h), w * PT_PER_MM, h * PT_PER_MM, mask="auto")

    def stamp(self, seal: Image.Image, cx: float, cy: float, diameter: float) -> None:
        h = diameter * seal.height / seal.width
        self.image(seal, cx - diameter / 2, cy - h / 2, diameter, h)


@cache
def _pdf_font(name: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # reportlab embeds TrueType outlines only; the WenQuanYi collection is TrueType, Noto CJK is CFF.
    path = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
    if not Path(path).exists():
        raise FontMissing(f"字体缺失：{path}（运行 scripts/bootstrap.sh 安装 Debian 字体包）")
    pdf_name = "WQYZenHei"
    if pdf_name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(pdf_name, path, subfontIndex=0))
    return pdf_name


def seal_image(
    rng: random.Random,
    ring_text: str,
    center_text: str = "",
    *,
    oval: bool = False,
    star: bool = True,
    color: tuple[int, int, int] = SEAL_RED,
    px: int = 420,
) -> Image.Image:
    """A red seal as RGBA: ring, text around the upper arc, optional star and a centre line,
    with uneven ink."""
    w, h = (px, round(px * 0.68)) if oval else (px, px)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    ring = max(4, px // 28)
    d.ellipse([ring, ring, w - ring, h - ring], outline=(*color, 255), width=ring)
    chars = list(ring_text)
    if chars:
        size = round(min(w, h) * (0.15 if len(chars) <= 12 else 0.12))
        f = font("hei", size)
        span = min(250.0, 16.0 * len(chars) + 40)
        rx, ry = w / 2 - ring * 2.3 - size / 2, h / 2 - ring * 2.3 - size / 2
        for i, ch in enumerate(chars):
            angle = -90 - span / 2 + span * (i + 0.5) / len(chars)
            a = math.radians(angle)
            glyph = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((size, size), ch, font=f, fill=(*color, 255), anchor="mm")
            glyph = glyph.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
            gx = w / 2 + rx * math.cos(a) - size
            gy = h / 2 + ry * math.sin(a) - size
            img.alpha_composite(glyph, (round(gx), round(gy)))
    if star:
        r = min(w, h) * 0.14
        pts = []
        for k in range(10):
            rad = r if k % 2 == 0 else r * 0.4
            a = math.radians(-90 + 36 * k)
            pts.append((w / 2 + rad * math.cos(a), h / 2 + rad * math.sin(a) - (h * 0.02)))
        d.polygon(pts, fill=(*color, 255))
    if center_text:
        f = font("hei", round(min(w, h) * 0.10))
        d.text((w / 2, h * 0.74), center_text, font=f, fill=(*color, 255), anchor="mm")
    # Uneven ink: speckled alpha, slightly soft edges.
    alpha = img.getchannel("A")
    speckle = np.random.default_rng(rng.randrange(2**32)).normal(128, 60, (h, w))
    noise = Image.fromarray(np.where(speckle > 70, 255, 120).astype(np.uint8), mode="L")
    alpha = ImageChops.multiply(alpha, noise).filter(ImageFilter.GaussianBlur(0.8))
    img.putalpha(alpha.point(lambda v: round(v * rng.uniform(0.82, 0.95))))
    return img.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=False)


def portrait_placeholder(px_w: int, px_h: int) -> Image.Image:
    """A grey silhouette where an ID photo sits; never a real face."""
    img = Image.new("RGBA", (px_w, px_h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse([px_w * 0.28, px_h * 0.12, px_w * 0.72, px_h * 0.55], fill=(150, 150, 155, 255))
    d.ellipse([px_w * 0.08, px_h * 0.55, px_w * 0.92, px_h * 1.25], fill=(150, 150, 155, 255))
    return img
