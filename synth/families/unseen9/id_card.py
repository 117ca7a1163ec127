"""Unseen 居民身份证 families (the ninth blind set, stop 42).

`app_watermark_tiled`: the card photographed with a phone and then run through a watermark app before it
was sent, as applicants are told to do so that a leaked copy cannot be used elsewhere: over the whole
photo, card and background alike, the app tiles a diagonal text (仅限医保报销使用 他用无效 and the day)
row after row at about 30°, semi-transparent, in grey or in red, crossing every printed line of the card.
Under it an ordinary photo: the card on a pale desk filling most of a 4:3 frame, turned a few degrees,
lit a little unevenly, slightly soft. Each side is its own photo.

`enlarged_a4_copy_note`: an A4 photocopy of one side of the card ENLARGED (the copier's 200 % or so,
as offices ask so that the small print can be read), on a landscape sheet: the card nearly twice its size,
grey and contrasty as a copier leaves it (the tints gone, the guilloche a grey tone, toner specks), and
written across it in black gel pen, right through the card's text, the holder's 仅供医保报销使用 再复印无效,
with the signature and the day under the card. It is a copy whatever the capture, so its truth says copy.
Each side is its own sheet."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import PrintedLine, font
from synth.documents import CARD_H, CARD_W, Rendered
from synth.families.common import FacedPage, Family, Look, card_raster, moved_lines

# ---------------------------------------------------------------------------------------------
# A phone photo with an app's tiled watermark

FRAME_MM = (128.0, 96.0)
WATERMARK = "仅限医保报销使用 他用无效"


def _desk(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A pale desk top, lit from one side, with a faint grain."""
    w, h = size
    colour = np.array(rng.choice([(226, 224, 218), (214, 218, 222), (232, 226, 214)]), np.float32)
    xs = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    ys = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    light = 0.88 + 0.12 * (xs if rng.random() < 0.5 else 1 - xs) * (0.8 + 0.2 * ys)
    gen = np.random.default_rng(rng.randrange(2**32))
    grain = cv2.GaussianBlur(gen.normal(0, 4, (h, w)).astype(np.float32), (0, 0), 2.0)
    return colour * light[..., None] + grain[..., None]


def tiled_watermark(
    size: tuple[int, int], text: str, px: int, angle: float, colour: tuple[int, int, int]
) -> np.ndarray:
    """The app's watermark as an alpha mask over an image of `size`: `text` in rows, turned `angle`
    degrees, each row shifted half a repeat from the one before."""
    w, h = size
    side = round(math.hypot(w, h)) + 2 * px
    layer = Image.new("L", (side, side), 0)
    d = ImageDraw.Draw(layer)
    f = font("hei", px)
    step_x = round(f.getlength(text) + 2.5 * px)
    step_y = round(px * 4.2)
    for row, y in enumerate(range(0, side, step_y)):
        for x in range(-step_x + (row % 2) * step_x // 2, side, step_x):
            d.text((x, y), text, font=f, fill=255)
    layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC)
    left, top = (side - w) // 2, (side - h) // 2
    _ = colour
    return np.asarray(layer.crop((left, top, left + w, top + h))).astype(np.float32) / 255


def draw_app_watermark_tiled(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side photographed and watermarked; the truth is the card's, its lines where the card lies."""
    rng = ctx.rng
    rendered, card = card_raster(ctx, side, look)
    photo = FacedPage(*FRAME_MM, dpi=look.dpi, face=look.font)
    fw, fh = photo.img.size
    cw = rng.uniform(0.7, 0.8) * fw
    chh = cw * CARD_H / CARD_W
    cx, cy = fw / 2 + rng.uniform(-0.04, 0.04) * fw, fh / 2 + rng.uniform(-0.04, 0.04) * fh
    a = math.radians(rng.uniform(-5, 5))
    narrow = rng.uniform(0.0, 0.03) * cw
    local = np.array(
        [[-cw / 2 + narrow, -chh / 2], [cw / 2 - narrow, -chh / 2], [cw / 2, chh / 2], [-cw / 2, chh / 2]], np.float32
    )
    turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    corners = (local @ turn.T + np.array([cx, cy], np.float32)).astype(np.float32)
    w, h = card.img.size
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32), corners)
    out = _desk((fw, fh), rng)
    shadow = cv2.warpPerspective(np.ones((h, w), np.float32), m, (fw, fh), flags=cv2.INTER_LINEAR)
    shadow = np.roll(cv2.GaussianBlur(shadow, (0, 0), fw / 150), (round(fw / 160), round(fw / 200)), (0, 1))
    out = out * (1 - 0.25 * shadow[..., None])
    warped = cv2.warpPerspective(np.asarray(card.img).astype(np.float32), m, (fw, fh), flags=cv2.INTER_AREA)
    alpha = cv2.warpPerspective(np.ones((h, w), np.float32), m, (fw, fh), flags=cv2.INTER_LINEAR)[..., None]
    out = out * (1 - alpha) + warped * alpha
    gen = np.random.default_rng(rng.randrange(2**32))
    out = cv2.GaussianBlur(out + gen.normal(0, 2.5, out.shape), (0, 0), rng.uniform(0.5, 0.9))
    # The app's watermark over everything.
    colour = rng.choice([(120, 120, 120), (210, 40, 40), (150, 150, 160)])
    day = f"{ctx.on:%Y.%m.%d}"
    px_mm = fw / FRAME_MM[0]
    mask = tiled_watermark(
        (fw, fh), f"{WATERMARK} {day}", round(rng.uniform(4.0, 5.5) * px_mm), rng.uniform(25, 35), colour
    )
    strength = rng.uniform(0.35, 0.5)
    out = out * (1 - strength * mask[..., None]) + np.array(colour, np.float32) * strength * mask[..., None]
    photo.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    photo.draw = ImageDraw.Draw(photo.img)
    photo.lines = moved_lines(card.lines, m, w / CARD_W, px_mm)
    rendered.pages = [photo]
    return rendered


# ---------------------------------------------------------------------------------------------
# An enlarged A4 copy with the holder's note written across it

SHEET_MM = (297.0, 210.0)
GEL = (24, 26, 40)


def _copier(img: Image.Image, rng: random.Random) -> np.ndarray:
    """What a copier makes of the page: grey, contrast pushed, toner specks, a little soft."""
    grey = np.asarray(img.convert("L")).astype(np.float32)
    grey = np.clip((grey - 100) * 1.65 + 112, 0, 255)
    gen = np.random.default_rng(rng.randrange(2**32))
    specks = gen.random(grey.shape) < 0.001
    grey[specks] = gen.uniform(40, 130, int(specks.sum()))
    return cv2.GaussianBlur(grey, (0, 0), 0.8)


def draw_enlarged_a4_copy_note(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side's enlarged copy with the note across it; the truth is the card's, scaled where it lies."""
    rng, person = ctx.rng, ctx.person
    rendered, card = card_raster(ctx, side, look)
    sheet = FacedPage(*SHEET_MM, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    scale = rng.uniform(1.8, 2.0)
    cw_mm, ch_mm = CARD_W * scale, CARD_H * scale
    x0 = (SHEET_MM[0] - cw_mm) / 2 + rng.uniform(-10, 10)
    y0 = rng.uniform(14, 22)
    sheet.image(card.img, x0, y0, cw_mm, ch_mm)
    # A copy of the card's outline: the copier draws the card's edge as a grey line.
    sheet.rect(x0, y0, x0 + cw_mm, y0 + ch_mm, width=0.3, color=(120, 120, 120))
    grey = _copier(sheet.img, rng)
    sheet.img = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("RGB")
    sheet.draw = ImageDraw.Draw(sheet.img)
    sheet.lines = [
        PrintedLine(
            ln.text, (ln.box[0] * scale + x0, ln.box[1] * scale + y0, ln.box[2] * scale + x0, ln.box[3] * scale + y0)
        )
        for ln in card.lines
    ]
    # The holder's note across the card's text, in gel pen, a little aslant (not a printed line).
    note = "仅供医保报销使用 再复印无效"
    size = rng.uniform(26, 32)
    px = round(size / 72 * sheet.dpi)
    f = font("kai", px)
    layer = Image.new("RGBA", (round(f.getlength(note)) + px, px * 2), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((px // 2, px), note, font=f, fill=(*GEL, 235), anchor="lm")
    layer = layer.rotate(rng.uniform(-6, 6), resample=Image.Resampling.BICUBIC, expand=True)
    nx, ny = x0 + cw_mm * rng.uniform(0.45, 0.55), y0 + ch_mm * rng.uniform(0.45, 0.6)
    sheet.img.paste(layer, (sheet.px(nx) - layer.width // 2, sheet.px(ny) - layer.height // 2), layer)
    below = y0 + ch_mm + 12
    lw = sheet.text(x0 + 20, below, "签名：", 14, font_name="kai", color=GEL, record=False)
    sheet.text(x0 + 20 + lw + 2, below + rng.uniform(-0.8, 0.8), person.name, 18, font_name="kai", color=GEL)
    sheet.text(x0 + cw_mm - 40, below, f"{ctx.on.year}.{ctx.on.month}.{ctx.on.day}", 15, font_name="kai", color=GEL)
    rendered.pages = [sheet]
    return rendered


FAMILIES = [
    Family(
        "app_watermark_tiled",
        "id_card",
        "手机拍摄后用水印 App 处理再发送的身份证照片：整张图（卡片"
        "与背景）平铺约 30° 斜向半透明水印文字“仅限医保报销使用 "
        "他用无效”加日期，一行接一行、灰色或红色，压过卡面每一行文"
        "字；底下是普通照片：卡片放在浅色桌面上占 4:3 画面大部、"
        "转几度、光照略不均、略虚；正反面各一张",
        draw_app_watermark_tiled,
        ("hei", "sans", "microhei"),
        (250, 380),
        ("clean",),
        ("front", "back"),
    ),
    Family(
        "enlarged_a4_copy_note",
        "id_card",
        "放大（约 200%）复印在 A4 横向纸上的身份证一面：卡面近两倍大，复印机的灰度与高对比（底纹成灰、墨粉斑点），"
        "持证人用黑色中性笔横穿卡面文字写“仅供医保报销使用 再复印无效”，卡下手写签名与日期；无论采集方式都是复印件；"
        "正反面各一张",
        draw_enlarged_a4_copy_note,
        ("hei", "serif", "ming"),
        (150, 250),
        ("scan", "photo"),
        ("front", "back"),
        draws_copy=True,
    ),
]
