"""Unseen 居民身份证 families (the seventh blind set, stop 40).

`gallery_screenshot`: not the photo of the card but a screenshot of it open in the phone's gallery, as
applicants forward it from a chat: a tall 9:19.5 screen in the viewer's dark mode, the status bar (time,
5G, battery) and the viewer's head (a back arrow, the day and time the photo was taken) in white at the
top, the photo itself fitted to the screen's width in the middle (the card on a pale desk, turned a few
degrees and a little foreshortened), and the viewer's tool bar (分享, 收藏, 编辑, 删除, 更多) at the foot.
Each side is its own screenshot.

`lamp_fabric_night`: the card photographed at night on a patterned tablecloth (small printed flowers on
a coloured ground, a woven texture) under a warm desk lamp: the tungsten light turns everything orange,
falls off steeply from the lamp's spot towards the far corners, and the phone's high ISO leaves coarse
luminance and colour noise; the card turned up to 25 degrees and foreshortened, the picture a little
soft. Each side is its own photo."""

from __future__ import annotations

import datetime as dt
import math
import random

import cv2
import numpy as np
from PIL import Image

from synth.build import Context
from synth.canvas import RasterPage
from synth.documents import CARD_H, CARD_W, Rendered
from synth.families.common import FacedPage, Family, Look, card_raster, moved_lines

WHITE = (255, 255, 255)


def _placed(
    rng: random.Random, card: RasterPage, centre: tuple[float, float], width_px: float, turn_deg: float
) -> np.ndarray:
    """The perspective matrix (card pixels to scene pixels) that puts the card `width_px` wide at
    `centre`, turned `turn_deg` and foreshortened: its far (top) edge a little shorter than its near one."""
    hw, hh = width_px / 2, width_px * CARD_H / CARD_W / 2
    shrink = rng.uniform(0.02, 0.07) * hw
    local = np.array([[-hw + shrink, -hh], [hw - shrink, -hh], [hw, hh], [-hw, hh]], np.float32)
    a = math.radians(turn_deg)
    turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    corners = (local @ turn.T + np.array(centre, np.float32)).astype(np.float32)
    w, h = card.img.size
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    return cv2.getPerspectiveTransform(src, corners)


def _composite(card: RasterPage, m: np.ndarray, ground: np.ndarray) -> np.ndarray:
    """The card laid on `ground` (float RGB, scene pixels) by the matrix `m`, with a soft contact shadow."""
    size = (ground.shape[1], ground.shape[0])
    warped = cv2.warpPerspective(np.asarray(card.img).astype(np.float32), m, size, flags=cv2.INTER_AREA)
    w, h = card.img.size
    alpha = cv2.warpPerspective(np.ones((h, w), np.float32), m, size, flags=cv2.INTER_LINEAR)[..., None]
    shadow = cv2.GaussianBlur(alpha, (0, 0), max(2.0, size[0] / 300))[..., None]
    return ground * (1 - 0.3 * shadow) * (1 - alpha) + warped * alpha


# ---------------------------------------------------------------------------------------------
# A screenshot of the gallery showing the photo

SCREEN_MM = (72.0, 156.0)  # 9:19.5
PHOTO_H = SCREEN_MM[0] * 3 / 4  # the 4:3 photo fitted to the screen's width


def _desk_photo(card: RasterPage, rng: random.Random, px_per_mm: float) -> tuple[Image.Image, np.ndarray]:
    """The photo in the gallery: the card on a pale desk, 4:3; returns it and the card's matrix into it."""
    w, h = round(SCREEN_MM[0] * px_per_mm), round(PHOTO_H * px_per_mm)
    tint = np.array(rng.choice([(226, 220, 208), (214, 216, 220), (232, 226, 214)]), np.float32)
    gy = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    gx = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    ground = tint * (0.86 + 0.14 * gx) * (0.92 + 0.08 * gy)
    ground = ground + np.random.default_rng(rng.randrange(2**32)).normal(0, 3, (h, w, 1))
    centre = (w / 2 + rng.uniform(-0.04, 0.04) * w, h / 2 + rng.uniform(-0.04, 0.04) * h)
    m = _placed(rng, card, centre, rng.uniform(0.68, 0.8) * w, rng.choice([-1, 1]) * rng.uniform(1.5, 7))
    out = cv2.GaussianBlur(_composite(card, m, ground), (0, 0), 0.6)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)), m


def draw_gallery_screenshot(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side's screenshot; the truth is the card's, its lines where the card lies on the screen."""
    rng = ctx.rng
    rendered, card = card_raster(ctx, side, look)
    s = FacedPage(*SCREEN_MM, dpi=look.dpi, paper=(0, 0, 0), face=look.font)
    w = SCREEN_MM[0]
    px = s.img.width / w
    s.text(4, 3, f"{rng.randint(8, 22)}:{rng.randint(0, 59):02d}", 6.5, font_name="sans_bold", color=WHITE)
    s.text(w - 4, 3, f"5G  {rng.randint(15, 99)}%", 6, anchor="r", color=WHITE)
    s.line(5.2, 9, 3.6, 10.8, width=0.3, color=WHITE)  # the back arrow
    s.line(3.6, 10.8, 5.2, 12.6, width=0.3, color=WHITE)
    taken = ctx.on - dt.timedelta(days=rng.randint(0, 5))
    hour = rng.randint(8, 21)
    s.text(w / 2, 9.3, f"{taken.year}年{taken.month}月{taken.day}日", 7, anchor="m", color=WHITE)
    noon = "上午" if hour < 12 else "下午"
    s.text(w / 2, 13, f"{noon}{hour if hour <= 12 else hour - 12}:{rng.randint(0, 59):02d}", 6, anchor="m", color=WHITE)
    photo, m = _desk_photo(card, rng, px)
    top = (SCREEN_MM[1] - PHOTO_H) / 2 - 3
    s.img.paste(photo, (0, s.px(top)))
    shift = np.array([[1, 0, 0], [0, 1, s.px(top)], [0, 0, 1]], np.float64)
    s.lines = s.lines + moved_lines(card.lines, shift @ m, card.img.width / CARD_W, px)
    labels = ("分享", "收藏", "编辑", "删除", "更多")
    step = w / len(labels)
    bar = SCREEN_MM[1] - 14
    for k, label in enumerate(labels):
        cx = step * (k + 0.5)
        s.rect(cx - 2, bar - 2.5, cx + 2, bar + 1.5, width=0.25, color=WHITE)
        s.text(cx, bar + 5, label, 5.5, anchor="m", color=WHITE)
    s.rect(w / 2 - 12, SCREEN_MM[1] - 2.4, w / 2 + 12, SCREEN_MM[1] - 1.7, width=0.01, color=WHITE, fill=WHITE)
    rendered.pages = [s]
    return rendered


# ---------------------------------------------------------------------------------------------
# A night photo on a flowered tablecloth under a desk lamp

FRAME_MM = (144.0, 108.0)


def _tablecloth(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A printed cotton tablecloth: a coloured ground with a fine woven texture and small five-petal
    flowers scattered over it."""
    w, h = size
    ground = np.array(rng.choice([(196, 64, 60), (60, 110, 150), (222, 196, 120), (90, 140, 96)]), np.float32)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    weave = 6 * np.sin(xs * 1.9) * np.sin(ys * 1.9)
    cloth = np.clip(ground + weave[..., None], 0, 255).astype(np.uint8)
    petal = tuple(int(v) for v in rng.choice([(250, 246, 236), (250, 220, 120), (240, 180, 196)]))
    heart = (230, 170, 40)
    r = max(3, round(w / 90))
    for _ in range(int(w * h / (8 * r) ** 2)):
        cx, cy = rng.randrange(w), rng.randrange(h)
        spin = rng.uniform(0, 2 * math.pi)
        for k in range(5):
            a = spin + k * 2 * math.pi / 5
            centre = (round(cx + r * math.cos(a)), round(cy + r * math.sin(a)))
            cv2.ellipse(cloth, centre, (r, max(2, r * 2 // 3)), math.degrees(a), 0, 360, petal, -1)
        cv2.circle(cloth, (cx, cy), max(2, r // 2), heart, -1)
    return cloth.astype(np.float32)


def draw_lamp_fabric_night(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side photographed under the lamp; the truth is the card's, its lines where the card lies."""
    rng = ctx.rng
    rendered, card = card_raster(ctx, side, look)
    photo = FacedPage(*FRAME_MM, dpi=look.dpi, face=look.font)
    size = photo.img.size
    w, h = size
    centre = (w / 2 + rng.uniform(-0.08, 0.08) * w, h / 2 + rng.uniform(-0.08, 0.08) * h)
    m = _placed(rng, card, centre, rng.uniform(0.55, 0.7) * w, rng.choice([-1, 1]) * rng.uniform(6, 25))
    out = _composite(card, m, _tablecloth(size, rng))
    # The lamp: a warm cast, the light falling off from its spot near the card towards the corners.
    lamp = (centre[0] + rng.uniform(-0.3, 0.3) * w, centre[1] + rng.uniform(-0.3, 0.3) * h)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    dist = np.hypot(xs - lamp[0], ys - lamp[1]) / math.hypot(w, h)
    light = 1.1 - rng.uniform(1.1, 1.5) * dist**1.3
    warm = np.array([1.0, 0.8, 0.52], np.float32) * rng.uniform(0.95, 1.05)
    out = out * np.clip(light, 0.3, 1.1)[..., None] * warm
    # High ISO: coarse luminance grain and blotches of colour noise, then the phone's smoothing.
    gen = np.random.default_rng(rng.randrange(2**32))
    grain = gen.normal(0, rng.uniform(5, 9), (h, w, 1))
    blotch = cv2.resize(gen.normal(0, 7, (h // 4 + 1, w // 4 + 1, 3)).astype(np.float32), (w, h))
    out = cv2.GaussianBlur(out + grain + blotch, (0, 0), rng.uniform(0.7, 1.1))
    photo.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    photo.lines = moved_lines(card.lines, m, card.img.width / CARD_W, w / FRAME_MM[0])
    rendered.pages = [photo]
    return rendered


FAMILIES = [
    Family(
        "gallery_screenshot",
        "id_card",
        "手机相册查看身份证照片时的截屏（9:19.5 竖屏、暗色模式）：顶部白字状态栏（时间、5G、电量）与查看器标题"
        "（返回箭头、拍摄日期与上午/下午时间），中部按屏宽显示的 4:3 照片（浅色桌面上的卡片，转角数度、略有透视），"
        "底部工具栏（分享、收藏、编辑、删除、更多）；正反面各一张截屏",
        draw_gallery_screenshot,
        ("hei", "sans", "serif"),
        (360, 400),
        ("clean",),
        ("front", "back"),
    ),
    Family(
        "lamp_fabric_night",
        "id_card",
        "夜间台灯下放在印花桌布上用手机拍摄的身份证：彩色底上散布五瓣小花、细密织纹，钨丝灯暖色偏橙，光从灯下亮斑"
        "向远角陡降，高感光度粗颗粒与彩色噪点，卡片转角至 25° 并有透视，略虚；144×108 mm 4:3 画面，正反面各一张",
        draw_lamp_fabric_night,
        ("hei", "ming", "microhei"),
        (200, 280),
        ("clean",),
        ("front", "back"),
    ),
]
