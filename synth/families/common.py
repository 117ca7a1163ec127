"""What the template families share: the family record, the look one document is drawn with (face,
resolution, JPEG quality), and small drawing pieces real issuers print in their own ways (date
formats, QR codes, tick boxes, handwritten entries)."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context, Written, write_raster
from synth.canvas import BLACK, PrintedLine, RasterPage, Surface, font, left_edge, printed, text_width_mm
from synth.documents import Rendered, draw_id_back, draw_id_front
from synth.people import Person

INK_BLUE = (30, 50, 140)  # a ballpoint's ink for handwritten entries
# Faces holding only CJK (Droid Sans Fallback: no Latin digits, no curly quotes), and the face a renderer
# falls back to for everything else, as a system's font fallback chain does.
LATIN_FALLBACK = {"droid": "sans"}
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_RUNS = re.compile(f"[{_CJK}]+|[^{_CJK}]+")
_CJK_RUN = re.compile(f"[{_CJK}]+")
Style = TypeVar("Style")


@dataclass(frozen=True)
class Look:
    """How one document of a family comes out: its face, its render resolution, its JPEG quality."""

    font: str
    dpi: int
    jpeg_quality: int


@dataclass(frozen=True)
class Family:
    """One issuer's template for a document type. `draw(ctx, side, look)` lays a document out and
    returns it with truth fields named as in extractors/rules/fields.yaml; `variants` are the ways its
    files reach the office in a generated set; `sides` the ID-card sides it draws (None: one).
    `draws_copy`: what the family draws is itself a copy whatever the capture (a fax of a photocopied
    card, a photocopy cut out and pasted on a voucher), so its truth says copy, and a case holding it
    where an original is required expects what a copy gets there. `holder`: the family draws a holder
    unlike the usual person (a long minority name, say); a case holding one of its documents gives that
    person to every document of the case, since one person prints one name everywhere."""

    name: str
    doc_type: str
    about: str
    draw: Callable[[Context, str | None, Look], Rendered]
    fonts: tuple[str, ...] = ("sans",)
    dpi: tuple[int, int] = (200, 200)
    variants: tuple[str, ...] = ("scan", "photo")
    sides: tuple[str | None, ...] = (None,)
    draws_copy: bool = False
    holder: Callable[[Person], Person] | None = None

    def look(self, seed: int) -> Look:
        """The document's look, drawn from a generator of its own so that no field draw moves."""
        rng = random.Random(f"look-{self.name}-{seed}")
        return Look(rng.choice(self.fonts), rng.randint(*self.dpi), rng.randint(60, 95))

    def write(self, ctx: Context, side: str | None, variant: str, out: Path, stem: str, seed: int) -> Written:
        """Draw one document in the family's look for `seed` and write it captured as `variant`, its truth
        naming the family and saying copy where the family draws one."""
        look = self.look(seed)
        return write_raster(
            self.draw(ctx, side, look),
            variant,
            out,
            stem,
            seed,
            quality=look.jpeg_quality,
            family=self.name,
            drawn_copy=self.draws_copy,
        )


def by_type(
    invoice: list[Family],
    discharge_record: list[Family],
    expense_list: list[Family],
    id_card: list[Family],
    filing_form: list[Family],
) -> dict[str, list[Family]]:
    """A set's families by the document type they draw, under the names the split uses."""
    return {
        "invoice": invoice,
        "discharge_record": discharge_record,
        "expense_list": expense_list,
        "id_card": id_card,
        "filing_form": filing_form,
    }


def styled_family(
    name: str,
    fonts: tuple[str, ...],
    dpi: tuple[int, int],
    variants: tuple[str, ...],
    *,
    doc_type: str,
    styles: Mapping[str, tuple[str, Style]],
    draw: Callable[[Style, Context, Look], Rendered],
) -> Family:
    """A family drawn by its type's layout function in the style of its name (`styles`: name → (about,
    style)); one side."""
    about, style = styles[name]

    def draw_one(ctx: Context, side: str | None, look: Look) -> Rendered:
        return draw(style, ctx, look)

    return Family(name, doc_type, about, draw_one, fonts, dpi, variants)


@dataclass
class FacedPage(RasterPage):
    """A raster page whose plain text prints in a family's face; headings in a named face stay."""

    face: str = "sans"

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
        face = self.face if font_name == "sans" else font_name
        runs = _RUNS.findall(s)
        if face not in LATIN_FALLBACK or _CJK_RUN.fullmatch(s):
            return super().text(x, y, s, size, font_name=face, anchor=anchor, color=color, record=record)
        faces = [face if _CJK_RUN.fullmatch(run) else LATIN_FALLBACK[face] for run in runs]
        px = max(6, round(size / 72 * self.dpi))
        widths = [font(f, px).getlength(run) / self.dpi * 25.4 for run, f in zip(runs, faces, strict=True)]
        x0 = start = left_edge(x, sum(widths), anchor)
        for run, f, width in zip(runs, faces, widths, strict=True):
            super().text(x0, y, run, size, font_name=f, color=color, record=False)
            x0 += width
        if record and s.strip():
            self.lines.append(printed(s, start, y, sum(widths), size))
        return sum(widths)


def date_text(d: dt.date, style: str) -> str:
    """A date the way one issuer prints it."""
    return {
        "iso": d.isoformat(),
        "cn": f"{d.year}年{d.month:02d}月{d.day:02d}日",
        "cn_short": f"{d.year}年{d.month}月{d.day}日",
        "dot": f"{d:%Y.%m.%d}",
        "slash": f"{d:%Y/%m/%d}",
        "compact": f"{d:%Y%m%d}",
    }[style]


def year_month(d: dt.date) -> str:
    """Year and month only, as hospitals sign a record off."""
    return f"{d.year}年{d.month}月"


def qr_code(rng: random.Random, modules: int = 25, px: int = 8) -> Image.Image:
    """A QR-like square: three finder patterns and random modules (never decodable, never data)."""
    size = modules * px
    img = Image.new("RGB", (size + 2 * px, size + 2 * px), (255, 255, 255))
    d = ImageDraw.Draw(img)
    for y in range(modules):
        for x in range(modules):
            if rng.random() < 0.5:
                d.rectangle([px + x * px, px + y * px, px + (x + 1) * px - 1, px + (y + 1) * px - 1], fill=(0, 0, 0))
    for fx, fy in ((0, 0), (modules - 7, 0), (0, modules - 7)):
        x0, y0 = px + fx * px, px + fy * px
        d.rectangle([x0, y0, x0 + 7 * px - 1, y0 + 7 * px - 1], fill=(255, 255, 255))
        d.rectangle([x0, y0, x0 + 7 * px - 1, y0 + 7 * px - 1], outline=(0, 0, 0), width=px)
        d.rectangle([x0 + 2 * px, y0 + 2 * px, x0 + 5 * px - 1, y0 + 5 * px - 1], fill=(0, 0, 0))
    return img


def tick_box(s: Surface, x: float, y: float, mark: str | None, size: float = 3.2) -> None:
    """A printed box at (x, y middle); `mark` "tick" (√) or "cross" (×) drawn in pen, None empty."""
    top = y - size / 2
    s.rect(x, top, x + size, top + size, width=0.25)
    if mark == "tick":
        s.line(x + 0.5, y, x + size * 0.4, top + size - 0.4, width=0.4, color=INK_BLUE)
        s.line(x + size * 0.4, top + size - 0.4, x + size + 0.8, top - 0.8, width=0.4, color=INK_BLUE)
    elif mark == "cross":
        s.line(x + 0.3, top + 0.3, x + size - 0.3, top + size - 0.3, width=0.4, color=INK_BLUE)
        s.line(x + size - 0.3, top + 0.3, x + 0.3, top + size - 0.3, width=0.4, color=INK_BLUE)


def written(s: Surface, x: float, y: float, value: str, size: float, rng: random.Random, *, by_hand: bool) -> float:
    """An entry typed in the form's face, or written by hand: a brush face in ballpoint blue, each
    character a little off the line. Returns the width in mm."""
    if not by_hand:
        return s.text(x, y, value, size)
    # A hand never meets the printed line: the entry sits a little off it.
    return s.text(
        x + rng.uniform(-0.4, 0.8), y + rng.uniform(-0.8, 0.4), value, size * 1.1, font_name="kai", color=INK_BLUE
    )


def moved_lines(lines: list[PrintedLine], matrix: np.ndarray, from_px: float, to_px: float) -> list[PrintedLine]:
    """Printed lines (mm) carried by a perspective `matrix` (pixels to pixels) from a page of `from_px`
    pixels a mm to one of `to_px`: each box the bounds of its moved corners, so truth boxes follow a card
    photographed aslant."""
    out = []
    for line in lines:
        x0, y0, x1, y1 = line.box
        pts = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], np.float32) * from_px
        moved = cv2.perspectiveTransform(pts, matrix)[0] / to_px
        box = (float(moved[:, 0].min()), float(moved[:, 1].min()), float(moved[:, 0].max()), float(moved[:, 1].max()))
        out.append(PrintedLine(line.text, box))
    return out


def card_raster(ctx: Context, side: str | None, look: Look) -> tuple[Rendered, RasterPage]:
    """One side of the case's person's ID card drawn at 400 dpi in the look's value font (`side` "back" or
    the front), with the card's raster page, for a family to lay on its own ground."""
    draw = draw_id_back if side == "back" else draw_id_front
    rendered = draw(ctx.rng, ctx.person, dpi=400, value_font=look.font)
    card = rendered.pages[0]
    assert isinstance(card, RasterPage)
    return rendered, card


def rounded_mask(size: tuple[int, int], radius: int) -> np.ndarray:
    """A card's outline as a mask in [0, 1]: its corners rounded (the card's 3 mm radius)."""
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, size[0] - 1, size[1] - 1], radius=radius, fill=255)
    return np.asarray(mask, np.float32) / 255


# Punctuation that hangs at the end of a line rather than opening the next (Chinese typesetting).
HANGING = "，。、；：）”"


def broken_lines(text: str, width: float, size: float, face: str) -> list[str]:
    """Chinese text broken into lines of `width` mm in `face`; a stop or comma never starts a line."""
    face = LATIN_FALLBACK.get(face, face)
    lines, line = [], ""
    for ch in text:
        if ch not in HANGING and line and text_width_mm(line + ch, size, face) > width:
            lines.append(line)
            line = ""
        line += ch
    if line:
        lines.append(line)
    return lines
