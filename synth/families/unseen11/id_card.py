"""Unseen 居民身份证 families (the eleventh blind set, stop 44).

`newspaper_desk_photo`: the card laid on an old newspaper spread over the table (as people at home cover
a table) and photographed from above: all round the card the newsprint's columns of small grey Chinese
text, a bold headline, column rules and a grey halftone picture, the paper itself turned at its own angle
and a little yellowed; the card turned up to twelve degrees and a little foreshortened, a soft shadow
under it, daylight from one side, a little soft. The newspaper's text is not the card's and not in the
truth. Each side is its own photo.

`inkjet_photo_print`: a phone photo of the card (the card on a pale desk, turned a few degrees) printed at
a print kiosk or on a home inkjet on 6-inch photo paper with a white border, and the print scanned in
colour at the office: the inkjet's look (colours flatter and a little off, a fine dither of ink dots in
the flat areas, faint bands across the print where the head passes) on top of the photo's own (light
falling off, soft focus), the print a little off square on the scanner. A print of a photo is not the
card: its truth says copy whatever the capture. Each side is its own print."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import RasterPage, font
from synth.documents import CARD_H, CARD_W, Rendered
from synth.families.common import FacedPage, Family, Look, card_raster, moved_lines, rounded_mask

# Common characters a newspaper's body text is drawn from (never read: background only).
NEWS_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还"
    "因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结"
    "解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级"
)
HEADLINES = ("社区服务中心开展便民义诊活动", "春季农业生产有序推进", "城市公交线路优化调整", "全民健身运动会开幕")


def _laid(
    card: RasterPage, centre: tuple[float, float], width_px: float, turn_deg: float, keystone: float
) -> np.ndarray:
    """The perspective matrix (card pixels to scene pixels): the card `width_px` wide at `centre`, turned
    and its far edge `keystone` (a share of its width) shorter."""
    hw, hh = width_px / 2, width_px * CARD_H / CARD_W / 2
    shrink = keystone * hw
    local = np.array([[-hw + shrink, -hh], [hw - shrink, -hh], [hw, hh], [-hw, hh]], np.float32)
    a = math.radians(turn_deg)
    turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    corners = (local @ turn.T + np.array(centre, np.float32)).astype(np.float32)
    w, h = card.img.size
    return cv2.getPerspectiveTransform(np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32), corners)


def _put(card: RasterPage, m: np.ndarray, ground: np.ndarray, px_mm: float) -> np.ndarray:
    """The card laid on `ground` (float RGB) by `m`, its corners rounded, a soft shadow under it."""
    gh, gw = ground.shape[:2]
    w, h = card.img.size
    alpha = cv2.warpPerspective(rounded_mask((w, h), round(3.0 / CARD_W * w)), m, (gw, gh), flags=cv2.INTER_LINEAR)
    shadow = np.roll(cv2.GaussianBlur(alpha, (0, 0), 1.2 * px_mm), (round(0.8 * px_mm), round(0.6 * px_mm)), (0, 1))
    out = ground * (1 - 0.35 * shadow[..., None])
    warped = cv2.warpPerspective(np.asarray(card.img).astype(np.float32), m, (gw, gh), flags=cv2.INTER_AREA)
    result: np.ndarray = out * (1 - alpha[..., None]) + warped * alpha[..., None]
    return result


# ---------------------------------------------------------------------------------------------
# On a newspaper

NEWS_FRAME_MM = (136.0, 102.0)


def newspaper(size: tuple[int, int], px_mm: float, rng: random.Random) -> np.ndarray:
    """A newspaper page seen close (float RGB): columns of small text, a headline, rules, a halftone
    block, turned at its own angle."""
    w, h = size
    big = (round(w * 1.6), round(h * 1.6))
    paper = tuple(int(v) for v in rng.choice([(226, 222, 206), (232, 228, 214), (218, 214, 198)]))
    img = Image.new("RGB", big, paper)
    d = ImageDraw.Draw(img)
    ink = (70, 70, 72)
    body = font("sans", max(6, round(2.6 * px_mm)))
    head = font("sans_bold", max(8, round(6.5 * px_mm)))
    col_w, gap = 38 * px_mm, 3.5 * px_mm
    x = rng.uniform(-20, 0) * px_mm
    col = 0
    while x < big[0]:
        y = rng.uniform(-10, 0) * px_mm
        if col % 3 == 1:
            d.text((x, y + 6 * px_mm), rng.choice(HEADLINES), font=head, fill=(40, 40, 42))
            y += 16 * px_mm
        if col % 4 == 2:
            # A halftone picture: grey dots on a grid.
            bw, bh = col_w, 28 * px_mm
            step = max(2, round(0.6 * px_mm))
            tone = rng.uniform(0.3, 0.7)
            for yy in range(int(y), int(y + bh), step):
                for xx in range(int(x), int(x + bw), step):
                    r = step * 0.5 * (tone + 0.3 * math.sin(xx / (9 * px_mm)) * math.cos(yy / (7 * px_mm)))
                    if r > 0.3:
                        d.ellipse([xx - r, yy - r, xx + r, yy + r], fill=(90, 90, 92))
            y += bh + 4 * px_mm
        while y < big[1]:
            n = max(4, int(col_w / body.getlength("中")))
            d.text((x, y), "".join(rng.choice(NEWS_CHARS) for _ in range(n)), font=body, fill=ink)
            y += 3.8 * px_mm
        x += col_w + gap
        d.line([(x - gap / 2, 0), (x - gap / 2, big[1])], fill=(120, 120, 120), width=max(1, round(0.15 * px_mm)))
        col += 1
    turned = img.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BILINEAR, fillcolor=paper)
    left, top = (big[0] - w) // 2, (big[1] - h) // 2
    out: np.ndarray = np.asarray(turned.crop((left, top, left + w, top + h))).astype(np.float32)
    return out


def draw_newspaper_desk_photo(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side photographed on the newspaper; the truth is the card's, its lines where the card lies."""
    rng = ctx.rng
    rendered, card = card_raster(ctx, side, look)
    photo = FacedPage(*NEWS_FRAME_MM, dpi=look.dpi, face=look.font)
    fw, fh = photo.img.size
    pxm = fw / NEWS_FRAME_MM[0]
    ground = newspaper((fw, fh), pxm, rng)
    centre = (fw / 2 + rng.uniform(-0.06, 0.06) * fw, fh / 2 + rng.uniform(-0.05, 0.05) * fh)
    m = _laid(card, centre, rng.uniform(0.58, 0.68) * fw, rng.uniform(-12, 12), rng.uniform(0.01, 0.05))
    out = _put(card, m, ground, pxm)
    # Daylight from one side, a little warm; soft focus and sensor noise.
    xs = np.linspace(0, 1, fw, dtype=np.float32)[None, :]
    ys = np.linspace(0, 1, fh, dtype=np.float32)[:, None]
    ramp = xs if rng.random() < 0.5 else 1 - xs
    light = 1.04 - rng.uniform(0.12, 0.24) * ramp * (0.8 + 0.2 * ys)
    out = out * light[..., None] * np.array([1.02, 1.0, 0.95], np.float32)
    gen = np.random.default_rng(rng.randrange(2**32))
    out = cv2.GaussianBlur(out + gen.normal(0, 2.5, out.shape), (0, 0), rng.uniform(0.5, 0.9))
    photo.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    photo.draw = ImageDraw.Draw(photo.img)
    photo.lines = moved_lines(card.lines, m, card.img.width / CARD_W, pxm)
    rendered.pages = [photo]
    return rendered


# ---------------------------------------------------------------------------------------------
# A phone photo printed on photo paper, then scanned

PRINT_MM = (152.0, 102.0)
BORDER_MM = 3.0
SCAN_MM = (160.0, 110.0)


def _inkjet(arr: np.ndarray, px_mm: float, rng: random.Random) -> np.ndarray:
    """An inkjet's print of a photo: a flatter, slightly shifted gamut, an ordered dither of ink dots at
    the printer's dot pitch, and faint bands where the head passes."""
    out = 22 + arr * 0.86
    out = out * np.array(rng.choice([(1.0, 0.96, 1.02), (0.97, 1.0, 0.97), (1.02, 0.98, 0.95)]), np.float32)
    h, w = out.shape[:2]
    bayer = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) / 16 - 0.5
    dot = max(1, round(0.085 * px_mm))  # about 300 dots an inch
    tiled = np.kron(bayer, np.ones((dot, dot), np.float32))
    reps = (h // tiled.shape[0] + 1, w // tiled.shape[1] + 1)
    threshold = np.tile(tiled, reps)[:h, :w]
    levels = 7.0
    step = 255 / (levels - 1)
    quant = np.floor(out / step + 0.5 + threshold[..., None] * 0.9) * step
    out = 0.55 * quant + 0.45 * out
    ys = np.arange(h, dtype=np.float32)[:, None]
    band = 1 + 0.012 * np.sin(ys / (rng.uniform(1.2, 2.4) * px_mm) * math.pi)
    result: np.ndarray = out * band[..., None]
    return result


def draw_inkjet_photo_print(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side's photo, printed and scanned; the truth is the card's, marked a copy by the family."""
    rng = ctx.rng
    rendered, card = card_raster(ctx, side, look)
    scan = FacedPage(*SCAN_MM, dpi=look.dpi, face=look.font)
    sw, sh = scan.img.size
    pxm = sw / SCAN_MM[0]
    # The photo, at its printed size inside the border.
    iw, ih = round((PRINT_MM[0] - 2 * BORDER_MM) * pxm), round((PRINT_MM[1] - 2 * BORDER_MM) * pxm)
    desk = np.array(rng.choice([(214, 206, 194), (226, 224, 218), (200, 204, 210)]), np.float32)
    gen = np.random.default_rng(rng.randrange(2**32))
    grain = cv2.GaussianBlur(gen.normal(0, 4, (ih, iw)).astype(np.float32), (0, 0), 2)
    ground = desk[None, None, :] + grain[..., None]
    centre = (iw / 2 + rng.uniform(-0.05, 0.05) * iw, ih / 2 + rng.uniform(-0.04, 0.04) * ih)
    m = _laid(card, centre, rng.uniform(0.66, 0.76) * iw, rng.uniform(-8, 8), rng.uniform(0.02, 0.06))
    photo = _put(card, m, ground, pxm)
    xs = np.linspace(-1, 1, iw, dtype=np.float32)[None, :]
    ys = np.linspace(-1, 1, ih, dtype=np.float32)[:, None]
    photo = photo * (1 - 0.12 * (xs**2 + ys**2))[..., None]
    photo = cv2.GaussianBlur(photo, (0, 0), 0.8)
    printed = _inkjet(photo, pxm, rng)
    # The print: the photo inside a white border; then on the scanner's glass, a little off square.
    pw, ph = round(PRINT_MM[0] * pxm), round(PRINT_MM[1] * pxm)
    sheet = np.full((ph, pw, 3), 246, np.float32)
    bx, by = round(BORDER_MM * pxm), round(BORDER_MM * pxm)
    sheet[by : by + ih, bx : bx + iw] = printed
    angle = rng.uniform(-1.5, 1.5)
    at = ((SCAN_MM[0] - PRINT_MM[0]) / 2 * pxm, (SCAN_MM[1] - PRINT_MM[1]) / 2 * pxm)
    place = cv2.getRotationMatrix2D((pw / 2, ph / 2), angle, 1.0)
    place[:, 2] += np.array(at)
    bed = np.full((sh, sw, 3), 236, np.float32)
    alpha = cv2.warpAffine(np.ones((ph, pw), np.float32), place, (sw, sh), flags=cv2.INTER_LINEAR)[..., None]
    warped = cv2.warpAffine(sheet, place, (sw, sh), flags=cv2.INTER_LINEAR)
    out = bed * (1 - alpha) + warped * alpha
    out = cv2.GaussianBlur(out + gen.normal(0, 1.5, out.shape), (0, 0), 0.5)
    scan.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    scan.draw = ImageDraw.Draw(scan.img)
    # Card pixels → photo pixels → sheet (border) → scan (placed, turned).
    shift = np.array([[1, 0, bx], [0, 1, by], [0, 0, 1]], np.float32)
    full = np.vstack([place, [0, 0, 1]]).astype(np.float32) @ shift @ m.astype(np.float32)
    scan.lines = moved_lines(card.lines, full, card.img.width / CARD_W, pxm)
    rendered.pages = [scan]
    return rendered


FAMILIES = [
    Family(
        "newspaper_desk_photo",
        "id_card",
        "身份证放在铺在桌上的旧报纸上俯拍：卡片四周是报纸的小号灰色正文分栏、粗体标题、栏线与灰色网点图片，报纸自身另有"
        "转角、略泛黄；卡片转角至 12°、略有透视，下有柔和阴影，侧面日光，略虚；报纸文字不属于卡片、不入真值；"
        "正反面各一张",
        draw_newspaper_desk_photo,
        ("hei", "sans", "ming"),
        (260, 360),
        ("clean",),
        ("front", "back"),
    ),
    Family(
        "inkjet_photo_print",
        "id_card",
        "用手机拍的身份证照片（卡片放在浅色桌面上、转几度）在打印店自助机或家用喷墨打印机上打成 6 寸带白边相片，再在"
        "窗口"
        "彩色扫描：喷墨效果（颜色偏平、略偏色，平坦处可见细密墨点抖动，打印头走纸留下淡淡横纹）叠在照片本身的效果上（"
        "四周"
        "偏暗、略虚），相片在扫描仪上略歪；相片打印件不是卡片本身，无论采集方式真值都是复印件；正反面各一张",
        draw_inkjet_photo_print,
        ("hei", "microhei", "sans"),
        (300, 400),
        ("clean",),
        ("front", "back"),
        draws_copy=True,
    ),
]
