"""An unseen 居民身份证 family: the card photographed close with a phone and cut to its edges by the
phone's document-scan mode, each side. The crop leaves a sliver of the table at the edges and the
card a little skewed (the corner detection is a few pixels off); the laminate throws a white glare
across part of the card, the phone or a hand casts a soft shadow over one side, and the photo is
slightly soft."""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image

from synth.build import Context
from synth.canvas import RasterPage
from synth.documents import CARD_W, Rendered, draw_id_back, draw_id_front
from synth.families.common import Family, Look, moved_lines

MARGIN_MM = 1.8  # what the crop leaves around the card
FRAME_MM = (CARD_W + 2 * MARGIN_MM, 54.0 + 2 * MARGIN_MM)


def _corners(rng: random.Random, frame: tuple[int, int], margin: float) -> np.ndarray:
    """The card's corners in the crop: each a little off where the crop put it (skew, not keystone)."""
    fw, fh = frame
    jitter = margin * 0.8
    base = [(margin, margin), (fw - margin, margin), (fw - margin, fh - margin), (margin, fh - margin)]
    return np.array([(x + rng.uniform(-jitter, jitter), y + rng.uniform(-jitter, jitter)) for x, y in base], np.float32)


def _light(shape: tuple[int, int], rng: random.Random) -> np.ndarray:
    """Per-pixel gain and added white: a shadow falling over one side, a glare spot on the laminate."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # The shadow: darker beyond a soft edge across the card, from a random side.
    angle = rng.uniform(0, 2 * np.pi)
    reach = (xx - w / 2) * np.cos(angle) + (yy - h / 2) * np.sin(angle)
    edge = rng.uniform(-0.05, 0.3) * max(w, h)
    shade = rng.uniform(0.55, 0.78)
    gain = 1 - (1 - shade) / (1 + np.exp(-(reach - edge) / (0.06 * w)))
    # The glare: an elongated white bloom somewhere on the card.
    gx, gy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    sx, sy = rng.uniform(0.08, 0.2) * w, rng.uniform(0.06, 0.15) * h
    glare = rng.uniform(90, 150) * np.exp(-(((xx - gx) / sx) ** 2 + ((yy - gy) / sy) ** 2))
    return np.stack([gain, glare])


def phone_crop(card: RasterPage, rng: random.Random, dpi: int) -> RasterPage:
    """The card as the phone's scan mode saves it at `dpi`; its printed lines carried to the boxes they
    cover in the crop."""
    frame = RasterPage(*FRAME_MM, dpi=dpi)
    fw, fh = frame.img.size
    src = np.array([[0, 0], [card.img.width, 0], [card.img.width, card.img.height], [0, card.img.height]], np.float32)
    dst = _corners(rng, (fw, fh), MARGIN_MM / 25.4 * dpi)
    m = cv2.getPerspectiveTransform(src, dst)
    arr = np.asarray(card.img.convert("RGB"))
    warped = cv2.warpPerspective(arr, m, (fw, fh), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full(arr.shape[:2], 255, np.uint8), m, (fw, fh), flags=cv2.INTER_LINEAR)
    alpha = (cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32) / 255)[..., None]
    table = np.array(rng.choice([(60, 58, 62), (214, 208, 196), (140, 110, 84)]), np.float32)
    out = warped.astype(np.float32) * alpha + table[None, None, :] * (1 - alpha)
    gain, glare = _light((fh, fw), rng)
    out = out * gain[..., None] + glare[..., None]
    out = cv2.GaussianBlur(np.clip(out, 0, 255).astype(np.uint8), (0, 0), rng.uniform(0.6, 1.1))
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 3.0, out.shape)
    frame.img = Image.fromarray(np.clip(out.astype(np.float32) + noise, 0, 255).astype(np.uint8))
    # the card's pixels per mm, and the frame's
    frame.lines.extend(moved_lines(card.lines, m, card.img.width / CARD_W, fw / FRAME_MM[0]))
    return frame


def draw_phone_crop_glare(ctx: Context, side: str | None, look: Look) -> Rendered:
    draw = draw_id_back if side == "back" else draw_id_front
    rendered = draw(ctx.rng, ctx.person, dpi=400, value_font=look.font)
    card = rendered.pages[0]
    assert isinstance(card, RasterPage)
    rendered.pages = [phone_crop(card, ctx.rng, look.dpi)]
    return rendered


FAMILIES = [
    Family(
        "phone_crop_glare",
        "id_card",
        "手机扫描模式紧裁切的卡片：边缘留一线桌面，角点略偏（歪斜），覆膜反光白斑，手机或手的阴影压住一侧，略虚，正反面",
        draw_phone_crop_glare,
        ("hei", "ming", "sans"),
        (250, 400),
        ("clean", "scan"),
        ("front", "back"),
    )
]
