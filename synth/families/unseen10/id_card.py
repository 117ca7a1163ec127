"""Unseen 居民身份证 families (the tenth blind set, stop 43).

`wood_desk_phone_shadow`: the card laid on a wooden desk (the planks' grain and a seam between two boards)
and photographed from the side rather than from above, as someone sitting at the desk does: the card seen
steeply, its far edge much shorter than its near one and its height foreshortened, turned up to ten
degrees; the phone and the hand holding it cast a soft shadow that falls across part of the card from the
frame's edge (the print under it darker but there); a warm lamp, a little soft focus. Each side is its own
photo.

`colour_backing_scan`: the card scanned in colour on a flatbed with a coloured sheet behind it (the front
desk keeps a blue, red, green or yellow plastic folder on the glass so that the scanner's auto-crop finds
the white card), the scan cropped a little wider than the card, so a band of the folder's colour frames it
on every side and shows in its rounded corners; the card set a degree or two off square, the scanner's
lamp leaving a thin shadow along one long edge, the colours pushed and the edges sharpened as scanner
software does. Each side is its own scan."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.documents import CARD_H, CARD_W, Rendered
from synth.families.common import FacedPage, Family, Look, card_raster, moved_lines, rounded_mask

# ---------------------------------------------------------------------------------------------
# On a wooden desk, seen steeply, the phone's shadow over it

FRAME_MM = (140.0, 105.0)


def wood(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A wooden desk top: long wavy grain lines along the planks, a darker seam between two of them."""
    w, h = size
    gen = np.random.default_rng(rng.randrange(2**32))
    base = np.array(rng.choice([(150, 104, 66), (172, 128, 84), (118, 80, 52), (190, 150, 104)]), np.float32)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = math.radians(rng.uniform(-20, 20))
    along = xs * math.cos(angle) + ys * math.sin(angle)
    across = -xs * math.sin(angle) + ys * math.cos(angle)
    wobble = cv2.resize(gen.normal(0, 1, (8, 12)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    period = h / rng.uniform(30, 50)
    phase = (across + 0.015 * along + wobble * period * 0.15) / period * 2 * math.pi
    grain = 0.7 * np.sin(phase) + 0.3 * np.sin(phase * 2.7 + 1.3)
    fine = cv2.GaussianBlur(gen.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1.2)
    tone = 1 + 0.07 * grain + 0.04 * fine
    seam = abs(((across / h) * rng.uniform(1.2, 1.8) + rng.uniform(0, 1)) % 1 - 0.5) < 0.004
    tone = np.where(seam, tone * 0.55, tone)
    out: np.ndarray = base[None, None, :] * tone[..., None]
    return out


def phone_shadow(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """The phone and the hand as one soft shadow (0 none, 1 full) entering from one edge of the frame."""
    w, h = size
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    edge = rng.choice(["bottom", "right", "left"])
    pw, ph = w * rng.uniform(0.28, 0.36), h * rng.uniform(0.5, 0.65)
    if edge == "bottom":
        cx, cy = w * rng.uniform(0.3, 0.7), h - ph * rng.uniform(0.15, 0.35)
        box = [cx - pw / 2, cy - ph / 2, cx + pw / 2, cy + ph / 2]
        hand = [cx - pw * 0.9, cy + ph * 0.15, cx + pw * 0.6, h + ph * 0.4]
    else:
        pw, ph = ph, pw
        cx = w - pw * rng.uniform(0.15, 0.35) if edge == "right" else pw * rng.uniform(0.15, 0.35)
        cy = h * rng.uniform(0.35, 0.7)
        box = [cx - pw / 2, cy - ph / 2, cx + pw / 2, cy + ph / 2]
        reach = pw * 0.6 if edge == "right" else -pw * 0.6
        hand = [min(cx, cx + reach * 2), cy - ph * 0.7, max(cx, cx + reach * 2), cy + ph * 0.6]
    d.rounded_rectangle(box, radius=round(min(pw, ph) * 0.12), fill=255)
    d.ellipse(hand, fill=255)
    soft = cv2.GaussianBlur(np.asarray(mask, np.float32) / 255, (0, 0), w / rng.uniform(50, 80))
    return np.asarray(soft, np.float32)


def draw_wood_desk_phone_shadow(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side photographed steeply on the desk; the truth is the card's, its lines where the card lies."""
    rng = ctx.rng
    rendered, card = card_raster(ctx, side, look)
    photo = FacedPage(*FRAME_MM, dpi=look.dpi, face=look.font)
    fw, fh = photo.img.size
    cw = rng.uniform(0.66, 0.76) * fw
    chh = cw * CARD_H / CARD_W * rng.uniform(0.72, 0.84)  # foreshortened: seen from the side
    narrow = rng.uniform(0.08, 0.13) * cw  # the far edge shorter
    cx, cy = fw / 2 + rng.uniform(-0.05, 0.05) * fw, fh / 2 + rng.uniform(-0.04, 0.06) * fh
    local = np.array(
        [[-cw / 2 + narrow, -chh / 2], [cw / 2 - narrow, -chh / 2], [cw / 2, chh / 2], [-cw / 2, chh / 2]], np.float32
    )
    a = math.radians(rng.uniform(-10, 10))
    turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    corners = (local @ turn.T + np.array([cx, cy], np.float32)).astype(np.float32)
    w, h = card.img.size
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32), corners)
    out = wood((fw, fh), rng)
    outline = rounded_mask((w, h), round(3.0 / CARD_W * w))
    alpha = cv2.warpPerspective(outline, m, (fw, fh), flags=cv2.INTER_LINEAR)
    contact = np.roll(cv2.GaussianBlur(alpha, (0, 0), fw / 260), (round(fw / 300), 0), (0, 1))
    out = out * (1 - 0.3 * contact[..., None])
    warped = cv2.warpPerspective(np.asarray(card.img).astype(np.float32), m, (fw, fh), flags=cv2.INTER_AREA)
    out = out * (1 - alpha[..., None]) + warped * alpha[..., None]
    # The lamp: warm, brighter towards one corner; the phone's shadow over part of the frame.
    ys = np.linspace(0, 1, fh, dtype=np.float32)[:, None]
    xs = np.linspace(0, 1, fw, dtype=np.float32)[None, :]
    light = 0.82 + 0.22 * (1 - np.hypot(xs - rng.uniform(0, 1), ys - rng.uniform(0, 0.5)) / 1.4)
    out = out * light[..., None] * np.array([1.05, 1.0, 0.88], np.float32)
    out = out * (1 - rng.uniform(0.4, 0.55) * phone_shadow((fw, fh), rng))[..., None]
    gen = np.random.default_rng(rng.randrange(2**32))
    out = cv2.GaussianBlur(out + gen.normal(0, 3, out.shape), (0, 0), rng.uniform(0.6, 1.0))
    photo.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    photo.draw = ImageDraw.Draw(photo.img)
    photo.lines = moved_lines(card.lines, m, w / CARD_W, fw / FRAME_MM[0])
    rendered.pages = [photo]
    return rendered


# ---------------------------------------------------------------------------------------------
# Scanned in colour on a coloured folder

SCAN_MM = (112.0, 78.0)
FOLDERS = ((40, 92, 190), (200, 48, 62), (36, 146, 92), (238, 196, 40), (120, 70, 160))


def draw_colour_backing_scan(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side's scan on the folder; the truth is the card's, its lines where the card lies."""
    rng = ctx.rng
    rendered, card = card_raster(ctx, side, look)
    scan = FacedPage(*SCAN_MM, dpi=look.dpi, face=look.font)
    sw, sh = scan.img.size
    pxm = sw / SCAN_MM[0]
    gen = np.random.default_rng(rng.randrange(2**32))
    folder = np.array(rng.choice(FOLDERS), np.float32)
    xs = np.linspace(0, 1, sw, dtype=np.float32)[None, :]
    ys = np.linspace(0, 1, sh, dtype=np.float32)[:, None]
    sheen = 1 + 0.06 * np.sin((xs * rng.uniform(1, 3) + ys * rng.uniform(1, 3)) * math.pi)
    texture = cv2.GaussianBlur(gen.normal(0, 4, (sh, sw)).astype(np.float32), (0, 0), 1.5)
    out = folder[None, None, :] * sheen[..., None] + texture[..., None]
    w, h = card.img.size
    scale = pxm * CARD_W / w
    at = (
        rng.uniform(0.3, 0.7) * (SCAN_MM[0] - CARD_W) * pxm,
        rng.uniform(0.3, 0.7) * (SCAN_MM[1] - CARD_H) * pxm,
    )
    m = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-2.5, 2.5), scale)
    # The card's centre (which the turn and scale keep in place) moved to where the card lies.
    m[:, 2] += np.array([at[0] + CARD_W * pxm / 2 - w / 2, at[1] + CARD_H * pxm / 2 - h / 2])
    outline = rounded_mask((w, h), round(3.0 / CARD_W * w))
    alpha = cv2.warpAffine(outline, m, (sw, sh), flags=cv2.INTER_LINEAR)
    # The lamp's shadow along one long edge of the card.
    shadow = np.roll(alpha, round(rng.choice([-1, 1]) * 0.35 * pxm), 0)
    out = out * (1 - 0.45 * np.clip(shadow - alpha, 0, 1)[..., None])
    warped = cv2.warpAffine(np.asarray(card.img).astype(np.float32), m, (sw, sh), flags=cv2.INTER_AREA)
    out = out * (1 - alpha[..., None]) + warped * alpha[..., None]
    # Scanner software: colours pushed away from grey, edges sharpened (a halo round dark strokes).
    grey = out.mean(axis=2, keepdims=True)
    out = grey + (out - grey) * rng.uniform(1.15, 1.35)
    blur = cv2.GaussianBlur(out, (0, 0), 1.2)
    out = out + rng.uniform(0.5, 0.9) * (out - blur)
    out = out + gen.normal(0, 1.8, out.shape)
    scan.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    scan.draw = ImageDraw.Draw(scan.img)
    full = np.vstack([m, [0, 0, 1]]).astype(np.float32)
    scan.lines = moved_lines(card.lines, full, w / CARD_W, pxm)
    rendered.pages = [scan]
    return rendered


FAMILIES = [
    Family(
        "wood_desk_phone_shadow",
        "id_card",
        "身份证放在木纹桌面上（木板纹理与两块板间的缝），人坐在桌边从侧面斜拍而非俯拍：卡片透视很大，远边明显短于近边，"
        "高度被压缩，转角至多 10°；手机与持机的手投下一片柔和阴影从画面边缘落到卡面一部分上（其下字迹变暗但仍在）；"
        "暖色台灯光，略虚；正反面各一张",
        draw_wood_desk_phone_shadow,
        ("hei", "sans", "serif"),
        (240, 360),
        ("clean",),
        ("front", "back"),
    ),
    Family(
        "colour_backing_scan",
        "id_card",
        "身份证垫着彩色塑料文件夹（蓝、红、绿、黄或紫）在平板扫描仪上彩色扫描（为让自动裁切找到白卡），裁得比卡片略宽："
        "卡片四周与圆角处露出一圈文件夹颜色；卡片歪一两度，扫描灯在一条长边留下细阴影，扫描软件提高饱和度并锐化"
        "（深色笔画周围有白边）；正反面各一份",
        draw_colour_backing_scan,
        ("hei", "microhei", "ming"),
        (300, 400),
        ("clean",),
        ("front", "back"),
    ),
]
