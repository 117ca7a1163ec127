"""Unseen 居民身份证 families (the fourth blind set, stop 37).

`temporary_tablecloth`: a 临时居民身份证 photographed with a phone held upright over a kitchen table.

The temporary card a police station issues while the regular one is made: a printed paper card sealed in
a clear plastic sleeve, the same size as the regular card but on a pale blue stock with a fine wave
pattern and 临时 printed faintly across it; the 人像面 holds 姓名, 性别, 民族, 出生, 住址 and 公民身份号码
with the portrait at the right, the 国徽面 the emblem, 中华人民共和国 / 临时居民身份证, 签发机关 and a
validity of three months (有效期限 2025.05.20-2025.08.20). The photo is taken in portrait orientation
(a 3:4 frame), the card lying on a checked or dotted tablecloth, turned up to 20° and seen obliquely (the
far edge shorter, one side leaning in), the sleeve throwing a white glare across part of the card,
slightly soft; each side is its own photo.

`hand_held_wide`: the regular card held up in one hand and photographed with the phone's wide 16:9
camera against the room behind it: the card fills half the frame's height, tilted a few degrees; the
holder's thumb lies over the card's left edge and the other fingers show past its right edge; the room
is out of focus, the card lit warmer on one side, and the hand's shake smears the picture a little along
one direction; each side is its own photo."""

from __future__ import annotations

import datetime as dt
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import RasterPage, portrait_placeholder
from synth.documents import CARD_H, CARD_W, GREYBLUE, Rendered, draw_id_back, draw_id_front
from synth.families.common import Family, Look, moved_lines
from synth.people import Person

FRAME_MM = (96.0, 128.0)  # a 3:4 phone photo held upright
WAVE_BLUE = (150, 185, 215)


def _months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def _stock(s: RasterPage, rng: random.Random) -> None:
    """The temporary card's stock: pale blue, a fine wave pattern and a faint 临时 across it."""
    d = ImageDraw.Draw(s.img)
    w, h = s.img.size
    phase = rng.uniform(0, 6.3)
    for row in range(0, h, max(4, h // 60)):
        pts = [(x, row + 6 * np.sin(x / 40 + phase + row / 90)) for x in range(0, w + 20, 20)]
        d.line(pts, fill=WAVE_BLUE, width=1)
    s.text(CARD_W / 2, CARD_H / 2, "临 时", 40, font_name="serif_bold", anchor="m", color=(236, 214, 222), record=False)


def draw_temporary_front(rng: random.Random, person: Person, value_font: str) -> Rendered:
    """The 人像面; the labels in blue-grey, the values printed black."""
    s = RasterPage(CARD_W, CARD_H, dpi=400, paper=(226, 236, 244))
    _stock(s, rng)
    s.text(6, 7, "姓名", 7, color=GREYBLUE)
    s.text(16, 7, person.name, 9.5, font_name=value_font)
    s.text(6, 13.5, "性别", 7, color=GREYBLUE)
    s.text(16, 13.5, person.sex, 8.5, font_name=value_font)
    s.text(27, 13.5, "民族", 7, color=GREYBLUE)
    s.text(36, 13.5, person.ethnicity, 8.5, font_name=value_font)
    s.text(6, 20, "出生", 7, color=GREYBLUE)
    s.text(16, 20, f"{person.birth.year}年{person.birth.month}月{person.birth.day}日", 8.5, font_name=value_font)
    s.text(6, 26.5, "住址", 7, color=GREYBLUE)
    for i in range(0, len(person.address), 12):
        s.text(16, 26.5 + (i // 12) * 4.8, person.address[i : i + 12], 8.2, font_name=value_font)
    s.text(6, 47.5, "公民身份号码", 7, color=GREYBLUE)
    s.text(27, 47.5, person.id_number, 10, font_name=value_font)
    s.image(portrait_placeholder(260, 320), 60, 7, 20, 25)
    fields = {
        "name": person.name,
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "birth_date": person.birth.isoformat(),
        "address": person.address,
        "id_number": person.id_number,
    }
    return Rendered("id_card", "front", [s], fields, False, "临时居民身份证")


def draw_temporary_back(rng: random.Random, person: Person, on: dt.date, value_font: str) -> Rendered:
    """The 国徽面: issued a few weeks before the application, valid for three months."""
    s = RasterPage(CARD_W, CARD_H, dpi=400, paper=(228, 236, 242))
    _stock(s, rng)
    emblem = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    d = ImageDraw.Draw(emblem)
    d.ellipse([10, 10, 190, 190], outline=(200, 160, 40, 255), width=12)
    d.ellipse([45, 45, 155, 155], fill=(205, 60, 50, 255))
    s.image(emblem, CARD_W / 2 - 8, 4, 16, 16)
    s.text(CARD_W / 2, 25, "中华人民共和国", 10, font_name="serif_bold", anchor="m")
    s.text(CARD_W / 2, 33, "临时居民身份证", 13, font_name="serif_bold", anchor="m")
    issued = on - dt.timedelta(days=rng.randint(3, 40))
    valid_to = _months_later(issued, 3)
    s.text(12, 42, "签发机关", 7, color=GREYBLUE)
    s.text(27, 42, person.authority, 8.5, font_name=value_font)
    s.text(12, 48.5, "有效期限", 7, color=GREYBLUE)
    s.text(27, 48.5, f"{issued:%Y.%m.%d}-{valid_to:%Y.%m.%d}", 8.5, font_name=value_font)
    fields = {
        "issuing_authority": person.authority,
        "valid_from": issued.isoformat(),
        "valid_to": valid_to.isoformat(),
    }
    return Rendered("id_card", "back", [s], fields, False, "临时居民身份证")


def _tablecloth(shape: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A tablecloth: red, blue or green checks on white (gingham), or coloured dots on a tint."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w]
    colour = np.array(rng.choice([(190, 50, 50), (50, 80, 170), (60, 140, 80)]), np.float32)
    white = np.array((238, 234, 226), np.float32)
    cell = max(12, w // rng.randint(10, 16))
    if rng.random() < 0.6:
        # Gingham: where a coloured warp crosses a coloured weft the colour is full, else half.
        warp = ((xx // cell) % 2 == 0).astype(np.float32)
        weft = ((yy // cell) % 2 == 0).astype(np.float32)
        share = (warp + weft)[..., None] / 2
    else:
        share = ((((xx % cell) - cell / 2) ** 2 + ((yy % cell) - cell / 2) ** 2) < (cell / 4) ** 2).astype(np.float32)
        share = share[..., None]
    cloth = white * (1 - share) + colour * share
    weave = np.random.default_rng(rng.randrange(2**32)).normal(0, 6, (h, w, 1))
    return np.clip(cloth + weave, 0, 255)


def _corners(rng: random.Random, frame: tuple[int, int], card: tuple[int, int]) -> np.ndarray:
    """Where the card's corners land: turned up to 20°, the far edge 8-20 % shorter and one side
    leaning in, filling most of the frame's width."""
    fw, fh = frame
    cw, ch = card
    scale = fw * 0.78 / cw
    hw, hh = cw * scale / 2, ch * scale / 2
    squeeze, lean = rng.uniform(0.08, 0.2), rng.uniform(-0.08, 0.08)
    local = np.array(
        [
            [-hw * (1 - squeeze) + lean * hw, -hh],
            [hw * (1 - squeeze) + lean * hw, -hh * (1 + lean)],
            [hw, hh],
            [-hw, hh * (1 - lean)],
        ],
        np.float32,
    )
    angle = np.radians(rng.uniform(-20, 20))
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    centre = np.array([fw / 2 + rng.uniform(-0.03, 0.03) * fw, fh * rng.uniform(0.42, 0.58)], np.float32)
    return (local @ turn.T + centre).astype(np.float32)


def photograph(card: RasterPage, rng: random.Random, dpi: int) -> RasterPage:
    """The card on the tablecloth in an upright phone photo at `dpi`; its lines carried along."""
    frame = RasterPage(*FRAME_MM, dpi=dpi)
    fw, fh = frame.img.size
    arr = np.asarray(card.img.convert("RGB")).astype(np.float32)
    # The sleeve's glare: a soft white band across the card.
    ch, cw = arr.shape[:2]
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    slope, offset = rng.uniform(-0.6, 0.6), rng.uniform(0.2, 0.8) * ch
    band = np.exp(-(((yy - slope * (xx - cw / 2) - offset) / (ch * rng.uniform(0.06, 0.12))) ** 2))
    arr = arr + (255 - arr) * (band * rng.uniform(0.45, 0.75))[..., None]
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    m = cv2.getPerspectiveTransform(src, _corners(rng, (fw, fh), (cw, ch)))
    warped = cv2.warpPerspective(arr, m, (fw, fh), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((ch, cw), 255, np.uint8), m, (fw, fh), flags=cv2.INTER_LINEAR)
    alpha = (cv2.GaussianBlur(mask, (5, 5), 0).astype(np.float32) / 255)[..., None]
    out: np.ndarray = warped * alpha + _tablecloth((fh, fw), rng) * (1 - alpha)
    # Kitchen light from one side, a little focus lost, the sensor's noise.
    gradient = np.linspace(rng.uniform(0.8, 0.95), rng.uniform(1.0, 1.08), fw, dtype=np.float32)
    out = np.clip(out * (gradient[None, :, None] if rng.random() < 0.5 else gradient[::-1][None, :, None]), 0, 255)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.6, 1.1))
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 3, out.shape)
    frame.img = Image.fromarray(np.clip(out + noise, 0, 255).astype(np.uint8))
    frame.lines.extend(moved_lines(card.lines, m, cw / CARD_W, fw / FRAME_MM[0]))
    return frame


def draw_temporary_tablecloth(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side of the temporary card in its photo; the truth is the card's."""
    if side == "back":
        rendered = draw_temporary_back(ctx.rng, ctx.person, ctx.on, look.font)
    else:
        rendered = draw_temporary_front(ctx.rng, ctx.person, look.font)
    card = rendered.pages[0]
    assert isinstance(card, RasterPage)
    rendered.pages = [photograph(card, ctx.rng, look.dpi)]
    return rendered


# ---------------------------------------------------------------------------------------------
# The regular card held up in a hand, in a wide phone photo

WIDE_MM = (160.0, 90.0)  # a 16:9 phone photo
SKIN = ((224, 180, 150), (200, 150, 118), (236, 196, 170))


def _room(shape: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A room out of focus: a few large soft patches of wall, furniture and window light."""
    h, w = shape
    small = np.random.default_rng(rng.randrange(2**32)).uniform(60, 230, (4, 7, 3)).astype(np.float32)
    small = small * 0.35 + small.mean(axis=2, keepdims=True) * 0.65  # rooms are mostly muted
    return cv2.GaussianBlur(cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC), (0, 0), w / 30)


def _hand(out: np.ndarray, corners: np.ndarray, rng: random.Random) -> None:
    """The holder's hand: a thumb over the card's left edge, fingertips past its right edge (in place)."""
    skin = rng.choice(SKIN)
    h, w = out.shape[:2]
    layer = np.zeros((h, w), np.uint8)
    top_left, top_right, bottom_right, bottom_left = corners
    card_h = float(np.hypot(*(bottom_left - top_left)))
    # The thumb: its tip on the card's margin (the first 5 % of its width), not over the printed text.
    tip = bottom_left + (top_left - bottom_left) * rng.uniform(0.3, 0.55) - (top_right - top_left) * 0.01
    axes = (round(card_h * 0.1), round(card_h * 0.22))
    base = tip - (top_right - top_left) * 0.35 + (bottom_left - top_left) * 0.35
    cv2.ellipse(layer, (round(tip[0]), round(tip[1])), axes, 10, 0, 360, 255, -1)
    cv2.line(layer, (round(tip[0]), round(tip[1])), (round(base[0]), round(base[1])), 255, axes[0] * 2)
    for k in range(3):  # fingertips behind the card's right edge
        at = top_right + (bottom_right - top_right) * (0.25 + 0.22 * k) + (top_right - top_left) * 0.02
        tip_axes = (round(card_h * 0.12), round(card_h * 0.08))
        cv2.ellipse(layer, (round(at[0]), round(at[1])), tip_axes, 0, 0, 360, 255, -1)
    alpha = (cv2.GaussianBlur(layer, (0, 0), 2).astype(np.float32) / 255)[..., None]
    shade = np.array(skin, np.float32) * rng.uniform(0.85, 1.0)
    out[:] = out * (1 - alpha) + shade * alpha


def hold_up(card: RasterPage, rng: random.Random, dpi: int) -> RasterPage:
    """The card held up in the hand in a 16:9 photo at `dpi`; its printed lines carried along."""
    frame = RasterPage(*WIDE_MM, dpi=dpi)
    fw, fh = frame.img.size
    arr = np.asarray(card.img.convert("RGB")).astype(np.float32)
    ch, cw = arr.shape[:2]
    scale = fh * rng.uniform(0.5, 0.6) / ch
    hw, hh = cw * scale / 2, ch * scale / 2
    angle = np.radians(rng.uniform(-8, 8))
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    local = np.array([[-hw, -hh], [hw, -hh * rng.uniform(0.96, 1.0)], [hw, hh], [-hw, hh]], np.float32)
    centre = np.array([fw * rng.uniform(0.4, 0.6), fh * rng.uniform(0.45, 0.55)], np.float32)
    corners = (local @ turn.T + centre).astype(np.float32)
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(arr, m, (fw, fh), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((ch, cw), 255, np.uint8), m, (fw, fh), flags=cv2.INTER_LINEAR)
    alpha = (cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32) / 255)[..., None]
    out: np.ndarray = warped * alpha + _room((fh, fw), rng) * (1 - alpha)
    _hand(out, corners, rng)
    warm = np.linspace(1.0, rng.uniform(0.85, 0.95), fw, dtype=np.float32)[None, :, None]
    out = np.clip(out * warm * np.array((1.04, 1.0, 0.94), np.float32), 0, 255)
    # The hand's shake: a short smear along one direction.
    length = max(3, round(dpi / 25.4 * rng.uniform(0.15, 0.35)))
    kernel = np.zeros((length, length), np.float32)
    cv2.line(kernel, (0, rng.randrange(length)), (length - 1, rng.randrange(length)), 1.0, 1)
    out = cv2.filter2D(out, -1, kernel / kernel.sum())
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 3, out.shape)
    frame.img = Image.fromarray(np.clip(out + noise, 0, 255).astype(np.uint8))
    frame.lines.extend(moved_lines(card.lines, m, cw / CARD_W, fw / WIDE_MM[0]))
    return frame


def draw_hand_held_wide(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side of the regular card held up in the hand; the truth is the card's."""
    draw = draw_id_back if side == "back" else draw_id_front
    rendered = draw(ctx.rng, ctx.person, dpi=400, value_font=look.font)
    card = rendered.pages[0]
    assert isinstance(card, RasterPage)
    rendered.pages = [hold_up(card, ctx.rng, look.dpi)]
    return rendered


FAMILIES = [
    Family(
        "temporary_tablecloth",
        "id_card",
        "临时居民身份证（塑封纸卡，淡蓝波纹底，“临时”字样，有效期三个月）手机竖拍于格子或圆点桌布上："
        "3:4 竖幅，转角至 20°，远边缩短且一侧内倾，塑封反光带，轻微失焦，正反面各一张",
        draw_temporary_tablecloth,
        ("hei", "sans", "ming"),
        (200, 350),
        ("clean", "scan"),
        ("front", "back"),
    ),
    Family(
        "hand_held_wide",
        "id_card",
        "手持正式身份证由手机 16:9 广角拍摄：卡片占画面高度一半，倾斜数度，拇指压在卡片左缘、其余手指露出右缘，"
        "背景为失焦的房间，一侧偏暖光，手抖造成单向轻微拖影，正反面各一张",
        draw_hand_held_wide,
        ("hei", "serif", "microhei"),
        (250, 400),
        ("clean", "scan"),
        ("front", "back"),
    ),
]
