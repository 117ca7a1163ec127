"""Unseen 居民身份证 families (the eighth blind set, stop 41).

`dark_lid_rotated`: the card laid on a flatbed scanner with the lid left open, as a front desk does when
the lid is broken or the card is in a thick wallet: the whole bed is scanned (216 × 297 mm, drawn
landscape), everything but the card near black with the room's dim light falling in from one edge, the
card small at true size somewhere on the glass, a degree or three off square, the scanner's lamp leaving a
bright rim round the card where it does not touch the glass; and the file is saved turned a quarter (the
card lay across the bed), so the text runs up or down the page. Each side is its own scan.

`fingers_corner_pinch`: the card pinched at its top-right corner between thumb and forefinger and held up
to the phone: the thumb lies over that corner (over the portrait's corner on the front, the plain
ground on the back: no printed text under it), the forefinger's tip shows behind the card past its edge,
the card filling most of a 4:3 frame, turned a few degrees and a little foreshortened, in front of a dim
room out of focus, the white balance cool. Each side is its own photo."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image

from synth.build import Context
from synth.canvas import RasterPage
from synth.documents import CARD_H, CARD_W, Rendered
from synth.families.common import FacedPage, Family, Look, card_raster, moved_lines


def _matrix(card: RasterPage, corners: np.ndarray) -> np.ndarray:
    w, h = card.img.size
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    return cv2.getPerspectiveTransform(src, corners.astype(np.float32))


# ---------------------------------------------------------------------------------------------
# The whole bed scanned with the lid open, saved turned a quarter

BED_MM = (297.0, 216.0)  # the bed drawn landscape; the file is turned to stand upright


def draw_dark_lid_rotated(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side on the open scanner; the truth is the card's, its lines where the card lies on the bed."""
    rng = ctx.rng
    rendered, card = card_raster(ctx, side, look)
    bed = FacedPage(*BED_MM, dpi=look.dpi, paper=(0, 0, 0), face=look.font)
    fw, fh = bed.img.size
    px = fw / BED_MM[0]
    # The dark: near black, the room's light creeping in from one edge, the sensor's noise in it.
    gen = np.random.default_rng(rng.randrange(2**32))
    edge = rng.choice(["left", "right", "top", "bottom"])
    ramp = {
        "left": np.linspace(1, 0, fw, dtype=np.float32)[None, :],
        "right": np.linspace(0, 1, fw, dtype=np.float32)[None, :],
        "top": np.linspace(1, 0, fh, dtype=np.float32)[:, None],
        "bottom": np.linspace(0, 1, fh, dtype=np.float32)[:, None],
    }[edge]
    glow = rng.uniform(25, 60) * ramp**3
    dark = np.broadcast_to((14 + glow)[..., None], (fh, fw, 3)).astype(np.float32)
    ground = dark * np.array([1.0, 0.98, 1.05], np.float32) + gen.normal(0, 2.5, (fh, fw, 1))
    # The card at true size somewhere on the glass, a little off square.
    cw, ch = CARD_W * px, CARD_H * px
    cx = rng.uniform(cw / 2 + 12 * px, fw - cw / 2 - 12 * px)
    cy = rng.uniform(ch / 2 + 12 * px, fh - ch / 2 - 12 * px)
    a = math.radians(rng.uniform(-3, 3))
    local = np.array([[-cw / 2, -ch / 2], [cw / 2, -ch / 2], [cw / 2, ch / 2], [-cw / 2, ch / 2]], np.float32)
    turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    m = _matrix(card, local @ turn.T + np.array([cx, cy], np.float32))
    size = (fw, fh)
    warped = cv2.warpPerspective(np.asarray(card.img).astype(np.float32), m, size, flags=cv2.INTER_AREA)
    w, h = card.img.size
    alpha = cv2.warpPerspective(np.ones((h, w), np.float32), m, size, flags=cv2.INTER_LINEAR)
    # The lamp's light scattered off the card's raised edge: a bright rim just outside it.
    rim = cv2.GaussianBlur(alpha, (0, 0), max(1.5, 0.8 * px)) - alpha
    rim = np.clip(rim, 0, 1)[..., None] * rng.uniform(120, 190)
    out = ground * (1 - alpha[..., None]) + warped * alpha[..., None] * rng.uniform(0.93, 1.02) + rim
    out = cv2.GaussianBlur(out, (0, 0), 0.5)
    bed.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    bed.lines = moved_lines(card.lines, m, card.img.width / CARD_W, px)
    rendered.pages = [bed]
    return rendered


# ---------------------------------------------------------------------------------------------
# Pinched at a corner and held up to the phone

FRAME_MM = (112.0, 84.0)
SKIN = (222, 178, 150)


def _room(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A dim room out of focus: a wall, a door or a cupboard's dark edge, a lamp's blur of light."""
    w, h = size
    wall = np.array(rng.choice([(150, 146, 140), (120, 126, 136), (160, 150, 132)]), np.float32)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    out = np.broadcast_to(wall, (h, w, 3)).astype(np.float32) * (0.75 + 0.25 * (1 - ys / h))[..., None]
    x0 = rng.uniform(0.05, 0.7) * w
    door = (xs > x0) & (xs < x0 + rng.uniform(0.15, 0.3) * w)
    out[door] *= rng.uniform(0.55, 0.75)
    lx, ly = rng.uniform(0, w), rng.uniform(0, h * 0.4)
    out += 60 * np.exp(-(((xs - lx) ** 2 + (ys - ly) ** 2) / (2 * (0.12 * w) ** 2)))[..., None]
    return cv2.GaussianBlur(out, (0, 0), w / 60)


def _finger(
    layer: np.ndarray,
    alpha: np.ndarray,
    centre: tuple[float, float],
    axes: tuple[float, float],
    angle: float,
    shade: float,
) -> None:
    """A fingertip: a skin-coloured ellipse, darker towards its edge, its nail a paler ellipse at the tip."""
    mask = np.zeros(alpha.shape, np.float32)
    c = (round(centre[0]), round(centre[1]))
    cv2.ellipse(mask, c, (round(axes[0]), round(axes[1])), angle, 0, 360, 1.0, -1)
    soft = cv2.GaussianBlur(mask, (0, 0), max(1.0, axes[1] / 6))
    skin = np.array(SKIN, np.float32) * shade * (0.75 + 0.25 * soft)[..., None]
    nail = np.zeros(alpha.shape, np.float32)
    tip = (
        round(centre[0] + 0.55 * axes[0] * math.cos(math.radians(angle))),
        round(centre[1] + 0.55 * axes[0] * math.sin(math.radians(angle))),
    )
    cv2.ellipse(nail, tip, (round(axes[0] * 0.3), round(axes[1] * 0.55)), angle, 0, 360, 1.0, -1)
    nail = cv2.GaussianBlur(nail, (0, 0), 1.5)[..., None] * mask[..., None]
    skin = skin * (1 - 0.5 * nail) + np.array((236, 206, 196), np.float32) * 0.5 * nail
    a = mask[..., None]
    layer[:] = layer * (1 - a) + skin * a
    alpha[:] = np.maximum(alpha, mask)


def draw_fingers_corner_pinch(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side held up by its corner; the truth is the card's, its lines where the card lies (the thumb
    covers no printed line)."""
    rng = ctx.rng
    rendered, card = card_raster(ctx, side, look)
    photo = FacedPage(*FRAME_MM, dpi=look.dpi, face=look.font)
    fw, fh = photo.img.size
    cw = rng.uniform(0.68, 0.78) * fw
    chh = cw * CARD_H / CARD_W
    cx, cy = fw / 2 + rng.uniform(-0.05, 0.05) * fw, fh / 2 + rng.uniform(0.0, 0.08) * fh
    shrink = rng.uniform(0.02, 0.06) * cw / 2
    local = np.array(
        [[-cw / 2 + shrink, -chh / 2], [cw / 2 - shrink, -chh / 2], [cw / 2, chh / 2], [-cw / 2, chh / 2]], np.float32
    )
    a = math.radians(rng.uniform(-7, 7))
    turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    corners = local @ turn.T + np.array([cx, cy], np.float32)
    m = _matrix(card, corners)
    out = _room((fw, fh), rng)
    mm = cw / CARD_W  # photo pixels a card millimetre
    # The forefinger behind the card: from past the top-right corner towards it.
    top_right = corners[1]
    behind = np.zeros_like(out)
    behind_alpha = np.zeros((fh, fw), np.float32)
    angle = math.degrees(a) + rng.uniform(-150, -120)
    reach = (top_right[0] + 9 * mm, top_right[1] - 5 * mm)
    # The hand the fingers belong to, mostly out of the frame past the top-right corner.
    palm = (top_right[0] + 30 * mm, top_right[1] - 22 * mm)
    _finger(behind, behind_alpha, palm, (34 * mm, 20 * mm), angle + 180, rng.uniform(0.7, 0.8))
    _finger(behind, behind_alpha, reach, (16 * mm, 7.5 * mm), angle, rng.uniform(0.85, 0.95))
    hand = cv2.GaussianBlur(behind, (0, 0), 0.8 * mm)
    hand_alpha = cv2.GaussianBlur(behind_alpha, (0, 0), 0.8 * mm)[..., None]
    out = out * (1 - hand_alpha) + hand * hand_alpha
    size = (fw, fh)
    warped = cv2.warpPerspective(np.asarray(card.img).astype(np.float32), m, size, flags=cv2.INTER_AREA)
    w, h = card.img.size
    alpha = cv2.warpPerspective(np.ones((h, w), np.float32), m, size, flags=cv2.INTER_LINEAR)[..., None]
    out = out * (1 - alpha) + warped * alpha
    # The thumb over the corner: inside the card's top-right 12 × 12 mm, where neither side prints text.
    inside = cv2.perspectiveTransform(np.array([[[(CARD_W - 4.5) * 400 / 25.4, 4.0 * 400 / 25.4]]], np.float32), m)[0][
        0
    ]
    thumb = np.zeros_like(out)
    thumb_alpha = np.zeros((fh, fw), np.float32)
    _finger(
        thumb,
        thumb_alpha,
        (inside[0] + 5 * mm, inside[1] - 2 * mm),
        (11 * mm, 6.5 * mm),
        math.degrees(a) + rng.uniform(200, 225),
        1.0,
    )
    out = out * (1 - thumb_alpha[..., None]) + thumb * thumb_alpha[..., None]
    # A cool white balance, the phone's noise and a little softness.
    gen = np.random.default_rng(rng.randrange(2**32))
    out = out * np.array([0.94, 0.99, 1.06], np.float32) + gen.normal(0, 3.5, (fh, fw, 1))
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.6, 1.0))
    photo.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    photo.lines = moved_lines(card.lines, m, card.img.width / CARD_W, fw / FRAME_MM[0])
    rendered.pages = [photo]
    return rendered


FAMILIES = [
    Family(
        "dark_lid_rotated",
        "id_card",
        "开着盖板在平板扫描仪上扫描的身份证：整块台面（216×297 mm）扫入，卡片外近乎全黑、一侧透入室内微光与噪点，"
        "卡片按实际尺寸偏在台面一处、歪一到三度，卡边未贴玻璃处灯光散出一圈亮边；卡片横放在台面上，文件转了 90°"
        "（文字竖排上行或下行）；正反面各一个文件",
        draw_dark_lid_rotated,
        ("hei", "sans", "ming"),
        (200, 300),
        ("rotated90", "rotated270"),
        ("front", "back"),
    ),
    Family(
        "fingers_corner_pinch",
        "id_card",
        "拇指与食指捏住右上角举到手机前拍摄的身份证：拇指压在该角上（正面压住头像一角、背面压在空白底纹上，不遮文字），"
        "食指指尖从卡片后方露出边外，卡片占 4:3 画面大部、转角数度并略有透视，背景为失焦的昏暗房间，白平衡偏冷；"
        "正反面各一张",
        draw_fingers_corner_pinch,
        ("hei", "microhei", "serif"),
        (250, 400),
        ("clean",),
        ("front", "back"),
    ),
]
