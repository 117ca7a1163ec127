"""Unseen 居民身份证 families (the sixth blind set, stop 39).

`sleeve_long_name`: the card of a holder with a long ethnic-minority name (a Uyghur or Kazakh name, its
parts joined by ·) and a long address that runs onto three lines, photographed by phone while still in
its clear plastic sleeve: a 3:2 frame of a grey desk, the sleeve a little larger than the card with a
bright welded rim, the plastic's haze over the card, a white reflection streak slanting across it, the
card turned a few degrees and foreshortened, the picture a little soft. Each side is its own photo.

`scan150_blocky`: the card put on a flatbed scanner set to 150 dpi in its ID-card mode, which crops the
scan to the card and a thin margin of the scanner's lid, and saves it heavily compressed: the JPEG's 8 × 8
blocks and ringing round the characters, the colours washed out to the scanner's tone curve, the card set
a degree or two off square. Each side is its own file."""

from __future__ import annotations

import dataclasses
import io
import math
import random

import cv2
import numpy as np
from PIL import Image

from synth.build import Context
from synth.canvas import PrintedLine, RasterPage
from synth.documents import CARD_H, CARD_W, Rendered, draw_id_back, draw_id_front
from synth.families.common import FacedPage, Family, Look, moved_lines
from synth.people import Person

# Uyghur and Kazakh names as the card prints them in Chinese characters, parts joined by ·.
LONG_NAMES = {
    "男": (
        ("维吾尔", "艾合买提江·买买提明"),
        ("维吾尔", "阿不都热合曼·吐尔逊"),
        ("维吾尔", "努尔艾力·阿不都克热木"),
        ("哈萨克", "叶尔兰·努尔兰别克"),
        ("维吾尔", "买买提·艾力"),
    ),
    "女": (
        ("维吾尔", "古丽娜尔·艾合买提"),
        ("维吾尔", "阿依古丽·买买提明"),
        ("维吾尔", "帕提古丽·吐尔洪"),
        ("哈萨克", "阿依达娜·叶尔肯"),
        ("维吾尔", "热依拉·阿不都拉"),
    ),
}
SLEEVE_MM = (92.0, 61.0)
FRAME_MM = (108.0, 72.0)
CARD_AT = (3.2, 3.5)  # where the card sits inside the sleeve


def long_named(person: Person) -> Person:
    """The holder: a long minority name for their sex, the address long enough to take three lines; drawn
    from the ID number alone, so drawing it again from the holder gives the holder."""
    rng = random.Random(f"holder-{person.id_number}")
    ethnicity, name = rng.choice(LONG_NAMES[person.sex])
    address = person.address
    if "幢" not in address:
        address += f"{rng.randint(1, 30)}幢{rng.randint(1, 6)}单元{rng.randint(101, 1802)}室"
    return dataclasses.replace(person, name=name, ethnicity=ethnicity, address=address)


def _card(ctx: Context, side: str | None, look: Look) -> Rendered:
    holder = long_named(ctx.person)
    draw = draw_id_back if side == "back" else draw_id_front
    return draw(ctx.rng, holder, dpi=400, value_font=look.font)


def draw_sleeve_long_name(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side photographed in its sleeve; the truth is the card's."""
    rng = ctx.rng
    rendered = _card(ctx, side, look)
    card = rendered.pages[0]
    assert isinstance(card, RasterPage)
    card_px = card.img.width / CARD_W
    sw, sh = round(SLEEVE_MM[0] * card_px), round(SLEEVE_MM[1] * card_px)
    # The sleeve: clear plastic round the card, a brighter welded rim, a haze over everything in it.
    sleeve = np.full((sh, sw, 3), 0, np.float32)
    ox, oy = round(CARD_AT[0] * card_px), round(CARD_AT[1] * card_px)
    sleeve[oy : oy + card.img.height, ox : ox + card.img.width] = np.asarray(card.img).astype(np.float32)
    inside = np.zeros((sh, sw), np.float32)
    inside[oy : oy + card.img.height, ox : ox + card.img.width] = 1
    rim = max(2, round(0.7 * card_px))
    photo = FacedPage(*FRAME_MM, dpi=look.dpi, face=look.font)
    page_px = photo.img.width / FRAME_MM[0]
    fw, fh = photo.img.size
    # The sleeve turned and foreshortened in the frame.
    cx, cy = fw / 2 + rng.uniform(-4, 4) * page_px, fh / 2 + rng.uniform(-3, 3) * page_px
    hw, hh = SLEEVE_MM[0] / 2 * page_px, SLEEVE_MM[1] / 2 * page_px
    shrink = rng.uniform(0.03, 0.08) * hw
    local = np.array([[-hw + shrink, -hh], [hw - shrink, -hh], [hw, hh], [-hw, hh]], np.float32)
    angle = math.radians(rng.choice([-1, 1]) * rng.uniform(2, 8))
    turn = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], np.float32)
    corners = (local @ turn.T + np.array([cx, cy], np.float32)).astype(np.float32)
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32), corners)
    size = (fw, fh)
    warped = cv2.warpPerspective(sleeve, m, size, flags=cv2.INTER_AREA)
    card_alpha = cv2.warpPerspective(inside, m, size, flags=cv2.INTER_LINEAR)[..., None]
    sleeve_alpha = cv2.warpPerspective(np.ones((sh, sw), np.float32), m, size, flags=cv2.INTER_LINEAR)[..., None]
    rim_mask = np.ones((sh, sw), np.float32)
    rim_mask[rim:-rim, rim:-rim] = 0
    rim_alpha = cv2.warpPerspective(rim_mask, m, size, flags=cv2.INTER_LINEAR)[..., None]
    gy = np.linspace(0, 1, fh, dtype=np.float32)[:, None, None]
    gx = np.linspace(0, 1, fw, dtype=np.float32)[None, :, None]
    desk = np.array([168, 166, 160], np.float32) * (0.85 + 0.15 * gx) * (0.9 + 0.1 * gy)
    out = desk * (1 - card_alpha) + warped * card_alpha
    out = out * (1 - 0.08 * sleeve_alpha) + 245 * 0.08 * sleeve_alpha  # the plastic's haze
    out = out * (1 - 0.45 * rim_alpha) + 250 * 0.45 * rim_alpha
    # The reflection: a white streak slanting across the sleeve, brightest along its middle.
    ys, xs = np.mgrid[0:fh, 0:fw].astype(np.float32)
    tilt = math.radians(rng.uniform(50, 75) * rng.choice([-1, 1]))
    through = (cx + rng.uniform(-20, 20) * page_px, cy)
    dist = (xs - through[0]) * math.cos(tilt) + (ys - through[1]) * math.sin(tilt)
    width = rng.uniform(3, 6) * page_px
    streak = np.exp(-((dist / width) ** 2)) * rng.uniform(0.55, 0.75)
    streak = streak[..., None] * sleeve_alpha
    out = out * (1 - streak) + 255 * streak
    out = cv2.GaussianBlur(out, (0, 0), max(0.6, page_px * 0.06))
    out += np.random.default_rng(rng.randrange(2**32)).normal(0, 2.0, out.shape)
    photo.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    dx, dy = CARD_AT
    at = [PrintedLine(ln.text, (ln.box[0] + dx, ln.box[1] + dy, ln.box[2] + dx, ln.box[3] + dy)) for ln in card.lines]
    photo.lines = moved_lines(at, m, card_px, page_px)
    rendered.pages = [photo]
    return rendered


# ---------------------------------------------------------------------------------------------
# A 150 dpi flatbed scan in ID-card mode, heavily compressed

MARGIN_MM = 3.0


def draw_scan150_blocky(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side as the scanner saves it; the truth is the card's."""
    rng = ctx.rng
    rendered = (
        draw_id_back(rng, ctx.person, dpi=400, value_font=look.font)
        if side == "back"
        else draw_id_front(rng, ctx.person, dpi=400, value_font=look.font)
    )
    card = rendered.pages[0]
    assert isinstance(card, RasterPage)
    w, h = CARD_W + 2 * MARGIN_MM, CARD_H + 2 * MARGIN_MM
    page = FacedPage(w, h, dpi=look.dpi, paper=(236, 236, 232), face=look.font)
    page_px = page.img.width / w
    card_px = card.img.width / CARD_W
    # The card a degree or two off square on the glass.
    angle = math.radians(rng.uniform(-2, 2))
    c, s_ = math.cos(angle), math.sin(angle)
    scale = page_px / card_px
    centre = (w / 2 * page_px, h / 2 * page_px)
    half = (card.img.width / 2, card.img.height / 2)
    affine = np.array(
        [
            [c * scale, -s_ * scale, centre[0] - (c * half[0] - s_ * half[1]) * scale],
            [s_ * scale, c * scale, centre[1] - (s_ * half[0] + c * half[1]) * scale],
        ],
        np.float32,
    )
    src = np.asarray(card.img).astype(np.float32)
    size = page.img.size
    warped = cv2.warpAffine(src, affine, size, flags=cv2.INTER_AREA)
    alpha = cv2.warpAffine(np.ones(src.shape[:2], np.float32), affine, size, flags=cv2.INTER_LINEAR)[..., None]
    lid = np.asarray(page.img).astype(np.float32)
    out = lid * (1 - alpha) + warped * alpha
    # The scanner's tone curve: the tints washed out, the darks lifted a little.
    out = 255 * (out / 255) ** 0.8
    out = np.clip(out * 0.92 + 18, 0, 255).astype(np.uint8)
    # Saved at a low JPEG quality, and saved again by the office's system at the family's own quality.
    buf = io.BytesIO()
    Image.fromarray(out).save(buf, "JPEG", quality=rng.randint(12, 22))
    page.img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    matrix = np.vstack([affine, [0, 0, 1]]).astype(np.float32)
    page.lines = moved_lines(card.lines, matrix, card_px, page_px)
    rendered.pages = [page]
    return rendered


FAMILIES = [
    Family(
        "sleeve_long_name",
        "id_card",
        "装在透明塑料卡套里用手机拍摄的身份证：持证人为少数民族长姓名（维吾尔族、哈萨克族，名字以·连接），"
        "住址长、折成三行；3:2 画面灰色桌面，卡套略大于卡片、边缘热合亮边，塑料雾感，一道白色反光斜穿卡面，"
        "卡片转角数度并有透视，略虚；正反面各一张",
        draw_sleeve_long_name,
        ("hei", "sans", "microhei"),
        (250, 350),
        ("clean",),
        ("front", "back"),
        holder=long_named,
    ),
    Family(
        "scan150_blocky",
        "id_card",
        "平板扫描仪身份证模式 150 dpi 扫描：自动裁到卡片加一圈 3 mm 盖板边，卡片偏转一两度，扫描色调使底纹发白，"
        "以极低 JPEG 质量保存（8×8 方块与字边振铃），再由系统按常规质量另存；正反面各一个文件",
        draw_scan150_blocky,
        ("hei", "ming", "serif"),
        (150, 150),
        ("clean",),
        ("front", "back"),
    ),
]
