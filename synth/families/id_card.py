"""居民身份证 families. The card's layout is national (GB 21067); what differs is how it reaches the
office: a tight crop edge to edge at 300 dpi with a denser guilloche, a low-resolution crop, the card
on an A4 flatbed scan at another place and resolution, a phone photo of the card held on a desk. Each
in faces of its own and for each side."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import RasterPage
from synth.documents import CARD_H, CARD_W, Rendered, draw_id_back, draw_id_front, paste_card_on_page
from synth.families.common import Family, Look


@dataclass(frozen=True)
class Capture:
    """How the card is captured: "crop" (the card alone), "a4" (on a flatbed page), "desk" (a photo)."""

    mode: str
    guilloche: int  # extra fine guilloche curves over the card stock


def _guilloche(card: RasterPage, rng: random.Random, curves: int) -> None:
    """Fine sine-wave curves in a pale translucent ink across the whole card, characters included, as a
    denser security print crosses them."""
    w, h = card.img.size
    d = ImageDraw.Draw(card.img, "RGBA")
    xs = np.linspace(0, w, 240)
    for _ in range(curves):
        base, amp, period, phase = (
            rng.uniform(0, h),
            rng.uniform(h * 0.02, h * 0.12),
            rng.uniform(0.2, 0.8) * w,
            rng.uniform(0, 6.3),
        )
        ys = base + amp * np.sin(xs / period * 2 * np.pi + phase)
        d.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=(120, 150, 200, 60), width=1)


def _shifted(card: RasterPage, page: RasterPage, at: tuple[float, float]) -> None:
    for line in card.lines:
        x0, y0, x1, y1 = line.box
        page.lines.append(type(line)(line.text, (x0 + at[0], y0 + at[1], x1 + at[0], y1 + at[1])))


def _on_desk(card: RasterPage, rng: random.Random, dpi: int) -> RasterPage:
    """The card held on a desk and photographed from above: a dark wooden-ish surround, the card
    turned a few degrees, filling most of a 4:3 frame."""
    frame = RasterPage(120, 90, dpi=dpi, paper=(96, 78, 60))
    grain = np.random.default_rng(rng.randrange(2**32)).normal(0, 12, (frame.img.height, frame.img.width, 1))
    arr = np.clip(np.asarray(frame.img, np.float32) + grain, 0, 255).astype(np.uint8)
    frame.img = Image.fromarray(arr)
    frame.draw = ImageDraw.Draw(frame.img)
    angle = rng.uniform(-6, 6)
    turned = card.img.convert("RGBA").rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    at = (rng.uniform(8, 22), rng.uniform(10, 24))
    frame.image(turned, at[0], at[1], CARD_W * turned.width / card.img.width, CARD_H * turned.height / card.img.height)
    _shifted(card, frame, at)
    return frame


def draw_card(capture: Capture, ctx: Context, side: str | None, look: Look) -> Rendered:
    draw = draw_id_back if side == "back" else draw_id_front
    card_dpi = look.dpi if capture.mode == "crop" else 400
    rendered = draw(ctx.rng, ctx.person, dpi=card_dpi, value_font=look.font)
    card = rendered.pages[0]
    assert isinstance(card, RasterPage)
    if capture.guilloche:
        _guilloche(card, ctx.rng, capture.guilloche)
    if capture.mode == "a4":
        at = (ctx.rng.uniform(15, 110), ctx.rng.uniform(15, 200))
        rendered.pages = [paste_card_on_page(card, at=at, dpi=look.dpi)]
    elif capture.mode == "desk":
        rendered.pages = [_on_desk(card, ctx.rng, look.dpi)]
    return rendered


CAPTURES: dict[str, tuple[str, Capture, tuple[int, int], tuple[str, ...]]] = {
    "crop300": ("卡面紧裁切，300 dpi，边到边，加密扭索纹", Capture("crop", 30), (300, 300), ("clean", "scan")),
    "crop_low": (
        "卡面紧裁切，150–200 dpi（扫描仪自动裁切存小图）",
        Capture("crop", 12),
        (150, 200),
        ("clean", "photo"),
    ),
    "flatbed_a4": (
        "A4 平板扫描上的卡片，位置不定，150–300 dpi",
        Capture("a4", 0),
        (150, 300),
        ("scanned_grey", "photocopy"),
    ),
    "desk_photo": ("手机俯拍桌面上的卡片，略有转角", Capture("desk", 8), (250, 350), ("clean", "scan")),
}


def _family(name: str, fonts: tuple[str, ...]) -> Family:
    about, capture, dpi, variants = CAPTURES[name]

    def draw(ctx: Context, side: str | None, look: Look) -> Rendered:
        return draw_card(capture, ctx, side, look)

    return Family(name, "id_card", about, draw, fonts, dpi, variants, ("front", "back"))


# Faces with Latin digits of their own: the card is drawn on a plain raster page (no fallback chain).
FAMILIES = [
    _family("crop300", ("microhei", "ming")),
    _family("crop_low", ("microhei", "sans")),
    _family("flatbed_a4", ("ming", "hei")),
    _family("desk_photo", ("sans", "serif")),
]
