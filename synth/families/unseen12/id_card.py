"""Unseen 居民身份证 families (the twelfth blind set, stop 45).

`scanner_app_enhanced`: the card photographed with a phone's document-scanner app in its ID-card mode:
the app found the card's corners on the desk (each a little off, so a sliver of the desk shows along an
edge where it reached too far and the desk shows in the rounded corners), flattened what it found to the
card's shape, and ran its 增强 filter: the colours stretched to a white paper and a black ink and made
more saturated, the print sharpened hard (a light halo along every stroke, the guilloche crisper), the
lamp's fall-off evened out. The file is the app's export, the card filling it. Each side is its own
export.

`keyboard_chat_recompressed`: the card laid on an open laptop's keyboard (dark keys with light Latin
letters and digits round it, the keyboard at its own angle) and photographed under the screen's cool
light, then sent through a chat app twice (forwarded from a relative's phone): scaled down to the app's
size and saved as a low-quality JPEG each time, so 8×8 blocks and ringing lie over the print, a coarser
grid from the second pass misaligned with the first, and the whole brought back up to the photo's size.
The keys' letters are not the card's and not in the truth. Each side is its own photo."""

from __future__ import annotations

import io
import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import RasterPage, font
from synth.documents import CARD_H, CARD_W, Rendered
from synth.families.common import FacedPage, Family, Look, card_raster, moved_lines, rounded_mask


def _corners(centre: tuple[float, float], width_px: float, turn_deg: float, keystone: float) -> np.ndarray:
    """Where a card `width_px` wide lies in the scene: turned, its far edge `keystone` shorter."""
    hw, hh = width_px / 2, width_px * CARD_H / CARD_W / 2
    shrink = keystone * hw
    local = np.array([[-hw + shrink, -hh], [hw - shrink, -hh], [hw, hh], [-hw, hh]], np.float32)
    a = math.radians(turn_deg)
    turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    out: np.ndarray = (local @ turn.T + np.array(centre, np.float32)).astype(np.float32)
    return out


def _lay(card: RasterPage, corners: np.ndarray, ground: np.ndarray, px_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """The card laid on `ground` (float RGB) at `corners`, its corners rounded, a soft shadow under it.
    Returns the scene and the matrix (card pixels to scene pixels)."""
    w, h = card.img.size
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32), corners)
    gh, gw = ground.shape[:2]
    alpha = cv2.warpPerspective(rounded_mask((w, h), round(3.0 / CARD_W * w)), m, (gw, gh), flags=cv2.INTER_LINEAR)
    shadow = np.roll(cv2.GaussianBlur(alpha, (0, 0), 1.4 * px_mm), (round(0.9 * px_mm), round(0.7 * px_mm)), (0, 1))
    out = ground * (1 - 0.4 * shadow[..., None])
    warped = cv2.warpPerspective(np.asarray(card.img).astype(np.float32), m, (gw, gh), flags=cv2.INTER_AREA)
    scene: np.ndarray = out * (1 - alpha[..., None]) + warped * alpha[..., None]
    return scene, m


# ---------------------------------------------------------------------------------------------
# A scanner app's flattened, enhanced export

SCENE_MM = (140.0, 105.0)
EXPORT_MM = (91.0, 57.4)  # the app's ID-card export, the card's shape


def _enhance(arr: np.ndarray, px_mm: float) -> np.ndarray:
    """The app's 增强: each channel stretched between its dark and light ends, more saturation, and a hard
    unsharp mask."""
    out = arr.copy()
    for c in range(3):
        lo, hi = np.percentile(out[..., c], (1.5, 97))
        out[..., c] = (out[..., c] - lo) / max(1.0, hi - lo) * 245 + 6
    out = np.clip(out, 0, 255)
    hsv = cv2.cvtColor(out.astype(np.uint8), cv2.COLOR_RGB2HSV).astype(np.float32)
    hsv[..., 1] = np.clip(hsv[..., 1] * 1.45, 0, 255)
    out = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB).astype(np.float32)
    blur = cv2.GaussianBlur(out, (0, 0), max(1.0, 0.25 * px_mm))
    sharp: np.ndarray = np.clip(out + 1.3 * (out - blur), 0, 255)
    return sharp


def draw_scanner_app_enhanced(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side as the app exports it; the truth is the card's, its lines where the export shows them."""
    rng = ctx.rng
    rendered, card = card_raster(ctx, side, look)
    page = FacedPage(*EXPORT_MM, dpi=look.dpi, face=look.font)
    ew, eh = page.img.size
    pxm = ew / EXPORT_MM[0]
    sw, sh = round(SCENE_MM[0] * pxm), round(SCENE_MM[1] * pxm)
    desk = np.array(rng.choice([(188, 170, 146), (206, 206, 200), (150, 126, 100)]), np.float32)
    gen = np.random.default_rng(rng.randrange(2**32))
    grain = cv2.GaussianBlur(gen.normal(0, 6, (sh, sw)).astype(np.float32), (0, 0), 1.5 * pxm)
    ground = desk[None, None, :] + grain[..., None]
    corners = _corners(
        (sw / 2 + rng.uniform(-4, 4) * pxm, sh / 2 + rng.uniform(-4, 4) * pxm),
        rng.uniform(78, 92) * pxm,
        rng.uniform(-14, 14),
        rng.uniform(0.03, 0.09),
    )
    scene, m_card = _lay(card, corners, ground, pxm)
    # The lamp's fall-off, which the app's filter will even out again.
    xs = np.linspace(-1, 1, sw, dtype=np.float32)[None, :]
    ys = np.linspace(-1, 1, sh, dtype=np.float32)[:, None]
    scene = scene * (1 - 0.18 * ((xs - rng.uniform(-0.5, 0.5)) ** 2 + ys**2))[..., None]
    scene = cv2.GaussianBlur(scene + gen.normal(0, 2.0, scene.shape), (0, 0), 0.7)
    # What the app took for the card's corners: each a little off the true one.
    found = corners + np.array([[rng.uniform(-1.2, 1.2), rng.uniform(-1.0, 1.0)] for _ in range(4)], np.float32) * pxm
    target = np.array([[0, 0], [ew, 0], [ew, eh], [0, eh]], np.float32)
    m_app = cv2.getPerspectiveTransform(found.astype(np.float32), target)
    flat = cv2.warpPerspective(scene, m_app, (ew, eh), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)
    out = _enhance(flat, pxm)
    page.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    page.draw = ImageDraw.Draw(page.img)
    full = m_app.astype(np.float64) @ m_card.astype(np.float64)
    page.lines = moved_lines(card.lines, full, card.img.width / CARD_W, pxm)
    rendered.pages = [page]
    return rendered


# ---------------------------------------------------------------------------------------------
# On a laptop keyboard, sent through a chat app twice

FRAME_MM = (124.0, 93.0)
KEY_ROWS = ("1234567890-=", "QWERTYUIOP[]", "ASDFGHJKL;'", "ZXCVBNM,./")


def _keyboard(size: tuple[int, int], px_mm: float, rng: random.Random) -> np.ndarray:
    """An open laptop's keyboard seen from above (float RGB): dark keys on a darker deck, a light legend
    at each key's top left, rows staggered, the whole turned at its own angle."""
    w, h = size
    big = (round(w * 1.5), round(h * 1.5))
    deck = tuple(int(v) for v in rng.choice([(36, 36, 40), (58, 60, 66), (178, 180, 184)]))
    light = deck[0] > 120
    key = (226, 226, 228) if light else (26, 26, 30)
    legend = (60, 60, 64) if light else (206, 206, 210)
    img = Image.new("RGB", big, deck)
    d = ImageDraw.Draw(img)
    pitch, side = 19.0 * px_mm, 16.0 * px_mm
    f = font("sans", max(8, round(3.2 * px_mm)))
    y = rng.uniform(-8, 0) * px_mm
    row = 0
    while y < big[1]:
        keys = KEY_ROWS[row % len(KEY_ROWS)]
        x = rng.uniform(-12, 0) * px_mm + (row % 4) * 0.3 * pitch
        k = 0
        while x < big[0]:
            d.rounded_rectangle([x, y, x + side, y + side], radius=round(1.6 * px_mm), fill=key)
            d.text((x + 2.2 * px_mm, y + 1.6 * px_mm), keys[k % len(keys)], font=f, fill=legend)
            x += pitch
            k += 1
        y += pitch
        row += 1
    turned = img.rotate(rng.uniform(-20, 20), resample=Image.Resampling.BILINEAR, fillcolor=deck)
    left, top = (big[0] - w) // 2, (big[1] - h) // 2
    out: np.ndarray = np.asarray(turned.crop((left, top, left + w, top + h))).astype(np.float32)
    return out


def _chat_twice(img: Image.Image, rng: random.Random) -> Image.Image:
    """The photo as a chat app forwards it, twice: scaled to the app's long side and saved as a low-quality
    JPEG each time, then shown again at the photo's size."""
    size = img.size
    out = img
    for long_side, quality in (
        (rng.randint(1000, 1080), rng.randint(42, 55)),
        (rng.randint(780, 940), rng.randint(34, 46)),
    ):
        scale = long_side / max(out.size)
        if scale < 1:
            out = out.resize((round(out.width * scale), round(out.height * scale)), Image.Resampling.BILINEAR)
        buf = io.BytesIO()
        out.save(buf, format="JPEG", quality=quality, subsampling=2)
        buf.seek(0)
        out = Image.open(buf).convert("RGB")
    return out.resize(size, Image.Resampling.BILINEAR)


def draw_keyboard_chat_recompressed(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side photographed on the keyboard and forwarded; the truth is the card's, its lines where the
    card lies."""
    rng = ctx.rng
    rendered, card = card_raster(ctx, side, look)
    photo = FacedPage(*FRAME_MM, dpi=look.dpi, face=look.font)
    fw, fh = photo.img.size
    pxm = fw / FRAME_MM[0]
    ground = _keyboard((fw, fh), pxm, rng)
    corners = _corners(
        (fw / 2 + rng.uniform(-0.05, 0.05) * fw, fh / 2 + rng.uniform(-0.05, 0.05) * fh),
        rng.uniform(0.6, 0.7) * fw,
        rng.uniform(-10, 10),
        rng.uniform(0.02, 0.06),
    )
    out, m = _lay(card, corners, ground, pxm)
    # The screen's cool light from above, falling off towards the near edge; soft focus and noise.
    ys = np.linspace(0, 1, fh, dtype=np.float32)[:, None, None]
    out = out * (1.05 - rng.uniform(0.1, 0.2) * ys) * np.array([0.95, 0.99, 1.06], np.float32)
    gen = np.random.default_rng(rng.randrange(2**32))
    out = cv2.GaussianBlur(out + gen.normal(0, 3.0, out.shape), (0, 0), rng.uniform(0.6, 1.0))
    shot = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    photo.img = _chat_twice(shot, rng)
    photo.draw = ImageDraw.Draw(photo.img)
    photo.lines = moved_lines(card.lines, m, card.img.width / CARD_W, pxm)
    rendered.pages = [photo]
    return rendered


FAMILIES = [
    Family(
        "scanner_app_enhanced",
        "id_card",
        "用手机扫描 App 的证件模式拍身份证：App 找到的卡片四角略有"
        "偏差（一两条边外露出一线桌面，圆角处露出桌面），把找到的四边形拉平"
        "成卡片比例的矩形，再套“增强”滤镜：颜色拉伸到白纸黑字并加饱和，强锐化（每道笔画旁有一圈亮边、底纹更清晰），"
        "灯光的明暗被拉平；文件即 App 导出图、卡片占满画面；正反面各一张",
        draw_scanner_app_enhanced,
        ("hei", "sans", "microhei"),
        (300, 400),
        ("clean",),
        ("front", "back"),
    ),
    Family(
        "keyboard_chat_recompressed",
        "id_card",
        "身份证放在打开的笔记本电脑键盘上（四周是深色键帽与浅色英"
        "文字母、数字，键盘自身另有转角），在屏幕的冷光下拍照，再经"
        "聊天软件转发两次（从亲属手机转来）：每次都缩到软件的尺寸并存"
        "成低质量 JPEG，印刷字上叠着 8×8 块与振铃，第二次更"
        "粗的块格与第一次错开，最后放大回照片尺寸；键帽字母不属于卡片、不入真值；正反面各一张",
        draw_keyboard_chat_recompressed,
        ("hei", "ming", "sans"),
        (220, 320),
        ("clean",),
        ("front", "back"),
    ),
]
