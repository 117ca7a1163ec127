"""An unseen 居民身份证 family: the card photographed with a phone on a desk, the way applicants send
it by message. The card turned 5–15° either way and seen at a slant (keystone: the far edge shorter
than the near one), a light falling off across the frame, soft focus, each side."""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image

from synth.build import Context
from synth.canvas import RasterPage
from synth.documents import CARD_H, CARD_W, Rendered, draw_id_back, draw_id_front
from synth.families.common import Family, Look, moved_lines

FRAME_MM = (130.0, 97.5)  # a 4:3 photo framing the card with a margin of desk around it


def _desk(shape: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A desk top: a plain tint (light laminate or dark wood) with a coarse grain."""
    h, w = shape
    base = np.array(rng.choice([(205, 196, 180), (120, 92, 66), (170, 172, 176)]), np.float32)
    g = np.random.default_rng(rng.randrange(2**32))
    grain = cv2.resize(g.normal(0, 9, (h // 12 + 1, w // 3 + 1)).astype(np.float32), (w, h))
    return np.clip(base[None, None, :] + grain[..., None], 0, 255)


def _corners(rng: random.Random, frame: tuple[int, int], card: tuple[int, int]) -> np.ndarray:
    """Where the card's corners land: turned 5–15°, its far (top) edge foreshortened by 6–14 %."""
    fw, fh = frame
    cw, ch = card
    scale = min(fw * 0.72 / cw, fh * 0.72 / ch)
    hw, hh = cw * scale / 2, ch * scale / 2
    squeeze = rng.uniform(0.06, 0.14)
    local = np.array([[-hw * (1 - squeeze), -hh], [hw * (1 - squeeze), -hh], [hw, hh], [-hw, hh]], np.float32)
    angle = np.radians(rng.choice((-1, 1)) * rng.uniform(5, 15))
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    centre = np.array([fw / 2 + rng.uniform(-0.04, 0.04) * fw, fh / 2 + rng.uniform(-0.04, 0.04) * fh], np.float32)
    return (local @ turn.T + centre).astype(np.float32)


def photograph(card: RasterPage, rng: random.Random, dpi: int) -> RasterPage:
    """The card in a phone photo at `dpi` over FRAME_MM; its printed lines carried to the boxes they
    cover in the photo."""
    frame = RasterPage(*FRAME_MM, dpi=dpi)
    fw, fh = frame.img.size
    src = np.array([[0, 0], [card.img.width, 0], [card.img.width, card.img.height], [0, card.img.height]], np.float32)
    dst = _corners(rng, (fw, fh), card.img.size)
    m = cv2.getPerspectiveTransform(src, dst)
    arr = np.asarray(card.img.convert("RGB"))
    warped = cv2.warpPerspective(arr, m, (fw, fh), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full(arr.shape[:2], 255, np.uint8), m, (fw, fh), flags=cv2.INTER_LINEAR)
    alpha = (cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32) / 255)[..., None]
    out = warped.astype(np.float32) * alpha + _desk((fh, fw), rng) * (1 - alpha)
    # The phone's light: brighter towards one corner, a warm or a cool cast, a little focus lost.
    yy, xx = np.mgrid[0:fh, 0:fw].astype(np.float32)
    cx, cy = rng.uniform(0, fw), rng.uniform(0, fh)
    fall = 1.0 - rng.uniform(0.12, 0.28) * np.hypot(xx - cx, yy - cy) / np.hypot(fw, fh)
    cast = np.array(rng.choice([(1.04, 1.0, 0.93), (0.96, 1.0, 1.05)]), np.float32)
    out = np.clip(out * fall[..., None] * cast[None, None, :], 0, 255).astype(np.uint8)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 1.0))
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 2.5, out.shape)
    frame.img = Image.fromarray(np.clip(out.astype(np.float32) + noise, 0, 255).astype(np.uint8))
    # the card's pixels per mm, and the frame's
    frame.lines.extend(moved_lines(card.lines, m, card.img.width / CARD_W, fw / FRAME_MM[0]))
    return frame


def draw_phone_keystone(ctx: Context, side: str | None, look: Look) -> Rendered:
    draw = draw_id_back if side == "back" else draw_id_front
    rendered = draw(ctx.rng, ctx.person, dpi=400, value_font=look.font)
    card = rendered.pages[0]
    assert isinstance(card, RasterPage)
    assert abs(card.img.height / card.img.width - CARD_H / CARD_W) < 0.01
    rendered.pages = [photograph(card, ctx.rng, look.dpi)]
    return rendered


FAMILIES = [
    Family(
        "phone_keystone",
        "id_card",
        "手机斜拍桌面上的卡片：转角 5–15°，梯形透视（远边短），光照不均，轻微失焦，正反面",
        draw_phone_keystone,
        ("hei", "serif", "microhei"),
        (150, 300),
        ("clean", "scanned_grey"),
        ("front", "back"),
    )
]
