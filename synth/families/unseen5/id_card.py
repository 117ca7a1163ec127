"""Unseen 居民身份证 family (the fifth blind set, stop 38).

`voucher_pasted_copy`: a photocopy of one side of the card, cut out with scissors and glued onto the
hospital's or the unit's 报销单据粘贴单 (a 240 × 140 mm voucher sheet, as accounts offices file
receipts): the sheet pre-printed in a pale red-brown with its title, a frame, 粘贴处 guide text and
附单据 / 经办人 / 审核 lines; the copy grey and contrasty (the card's tints gone, the toner speckled),
with a ragged margin of copy paper round the card, turned a few degrees where it was stuck; written
across the card in blue ballpoint, aslant, 仅供医保报销使用 他用无效, and under it the holder's
signature and the date by hand. Each side is its own sheet.

`document_camera_counter`: the card laid on the pad of a service window's 高拍仪 (a document camera on
a stand) and captured from above by its software: a 4:3 frame (200 × 150 mm of the pad) with the card
at true size, so small in the frame and turned a little as the applicant put it down; the pad a grey-green
cutting mat with a ruled grid and a printed A4 outline; the camera's LED a bright spot on the card's
laminate and the frame darker towards its corners; the picture a little soft and cold in colour; the
software's capture time burnt into the bottom right corner in yellow. Each side is its own capture."""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import PrintedLine, RasterPage, font
from synth.documents import CARD_H, CARD_W, Rendered, draw_id_back, draw_id_front
from synth.families.common import INK_BLUE, FacedPage, Family, Look, moved_lines

VOUCHER_MM = (240.0, 140.0)
FORM_BROWN = (170, 90, 70)  # the voucher sheet's pre-printed ink
ANNOTATION = "仅供医保报销使用 他用无效"


def _photocopy(card: RasterPage, rng: random.Random) -> np.ndarray:
    """The card as a photocopier gives it: grey, contrast pushed (tints gone), toner specks."""
    grey = np.asarray(card.img.convert("L")).astype(np.float32)
    grey = np.clip((grey - 95) * 1.7 + 110, 0, 255)
    gen = np.random.default_rng(rng.randrange(2**32))
    specks = gen.random(grey.shape) < 0.0015
    grey[specks] = gen.uniform(40, 120, int(specks.sum()))
    return grey


def _cut_out(grey: np.ndarray, margin: int, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    """The copy cut out by hand: copy paper round the card, each edge a little uneven. Returns the
    cut-out's pixels and its mask."""
    h, w = grey.shape
    out = np.full((h + 2 * margin, w + 2 * margin), 250.0, np.float32)
    out[margin : margin + h, margin : margin + w] = grey
    mask = Image.new("L", (w + 2 * margin, h + 2 * margin), 0)
    jag = max(1, margin // 3)
    W, H = w + 2 * margin - 1, h + 2 * margin - 1
    outline = [
        (rng.randint(0, jag), rng.randint(0, jag)),
        (W - rng.randint(0, jag), rng.randint(0, jag)),
        (W - rng.randint(0, jag), H - rng.randint(0, jag)),
        (rng.randint(0, jag), H - rng.randint(0, jag)),
    ]
    ImageDraw.Draw(mask).polygon(outline, fill=255)
    return out, np.asarray(mask).astype(np.float32) / 255


def _voucher(s: FacedPage, rng: random.Random) -> None:
    """The pre-printed sheet: title, frame, guide text, the lines a clerk fills in."""
    w, h = s.width_mm, s.height_mm
    s.text(w / 2, 10, "报销单据粘贴单", 15, font_name="serif_bold", anchor="m", color=FORM_BROWN)
    s.line(w / 2 - 28, 14, w / 2 + 28, 14, width=0.35, color=FORM_BROWN)
    s.rect(10, 18, w - 10, h - 16, width=0.4, color=FORM_BROWN)
    s.text(w / 2, 24, "单 据 粘 贴 处", 10, anchor="m", color=(215, 170, 160), record=False)
    for i, char in enumerate("粘贴线"):
        s.text(w - 6, h / 2 - 8 + i * 8, char, 8, anchor="m", color=FORM_BROWN, record=False)
    y = h - 9
    s.text(14, y, f"附单据  {rng.randint(1, 4)}  张", 9, color=FORM_BROWN)
    s.text(80, y, "经办人：", 9, color=FORM_BROWN)
    s.text(140, y, "审核：", 9, color=FORM_BROWN)
    s.text(190, y, "年    月    日", 9, color=FORM_BROWN, record=False)


def _aslant(s: RasterPage, cx: float, cy: float, text: str, size: float, angle: float) -> None:
    """Handwriting written aslant across the copy (not a printed line: it crosses the card's lines)."""
    px = round(size / 72 * s.dpi)
    f = font("kai", px)
    width = round(f.getlength(text)) + px
    layer = Image.new("RGBA", (width, px * 2), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((px // 2, px), text, font=f, fill=(*INK_BLUE, 235), anchor="lm")
    layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    s.img.paste(layer, (s.px(cx) - layer.width // 2, s.px(cy) - layer.height // 2), layer)


def draw_voucher_pasted_copy(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side's copy on its voucher sheet; the truth is the card's."""
    rng, person = ctx.rng, ctx.person
    draw = draw_id_back if side == "back" else draw_id_front
    rendered = draw(rng, person, dpi=400, value_font=look.font)
    card = rendered.pages[0]
    assert isinstance(card, RasterPage)
    s = FacedPage(*VOUCHER_MM, dpi=look.dpi, paper=(248, 245, 236), face=look.font)
    _voucher(s, rng)
    card_px = card.img.width / CARD_W
    margin = round(card_px * rng.uniform(2.0, 4.5))
    cutout, mask = _cut_out(_photocopy(card, rng), margin, rng)
    # Stuck on at true size, a few degrees off square, about the middle of the sheet.
    page_px = s.img.width / VOUCHER_MM[0]
    ch, cw = cutout.shape
    scale = page_px / card_px
    angle = np.radians(rng.uniform(-5, 5))
    centre = np.array([s.px(rng.uniform(95, 125)), s.px(rng.uniform(60, 68))], np.float32)
    hw, hh = cw * scale / 2, ch * scale / 2
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    local = np.array([[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]], np.float32)
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    m = cv2.getPerspectiveTransform(src, (local @ turn.T + centre).astype(np.float32))
    size = s.img.size
    warped = cv2.warpPerspective(cutout, m, size, flags=cv2.INTER_AREA)
    alpha = cv2.warpPerspective(mask, m, size, flags=cv2.INTER_LINEAR)[..., None]
    sheet = np.asarray(s.img).astype(np.float32)
    # A faint shadow under the pasted paper's edge, then the copy itself.
    shadow = cv2.GaussianBlur(alpha, (0, 0), max(1.0, page_px * 0.4))
    shadow = shadow[..., None] if shadow.ndim == 2 else shadow
    sheet = sheet * (1 - 0.12 * shadow)
    sheet = sheet * (1 - alpha) + warped[..., None] * alpha
    s.img = Image.fromarray(np.clip(sheet, 0, 255).astype(np.uint8))
    s.draw = ImageDraw.Draw(s.img)
    margin_mm = margin / card_px
    shifted = [
        PrintedLine(
            ln.text, (ln.box[0] + margin_mm, ln.box[1] + margin_mm, ln.box[2] + margin_mm, ln.box[3] + margin_mm)
        )
        for ln in card.lines
    ]
    s.lines.extend(moved_lines(shifted, m, card_px, page_px))
    cx, cy = (float(v) for v in centre / page_px)
    _aslant(s, cx, cy, ANNOTATION, rng.uniform(13, 16), rng.uniform(12, 24))
    below = cy + CARD_H / 2 + margin_mm + 7
    s.text(cx - 30, below, "本人签名：", 9, font_name="kai", color=INK_BLUE, record=False)
    s.text(cx - 12, below + rng.uniform(-0.6, 0.6), person.name, 12, font_name="kai", color=INK_BLUE)
    s.text(cx + 18, below, f"{ctx.on.year}.{ctx.on.month}.{ctx.on.day}", 10, font_name="kai", color=INK_BLUE)
    rendered.pages = [s]
    return rendered


# ---------------------------------------------------------------------------------------------
# A service window's document camera

CAMERA_MM = (200.0, 150.0)  # the part of the pad a 4:3 frame sees
MAT = (96, 118, 104)
STAMP_YELLOW = (250, 220, 40)


def _mat(s: RasterPage) -> None:
    """The camera's pad: a grey-green cutting mat, a grid every 10 mm, an A4 outline printed on it."""
    d = ImageDraw.Draw(s.img)
    w, h = s.width_mm, s.height_mm
    for x in range(0, round(w) + 1, 10):
        d.line([(s.px(x), 0), (s.px(x), s.img.height)], fill=(120, 142, 128), width=1)
    for y in range(0, round(h) + 1, 10):
        d.line([(0, s.px(y)), (s.img.width, s.px(y))], fill=(120, 142, 128), width=1)
    # The A4 outline's top left corner: the pad is larger than the frame sees.
    d.rectangle([s.px(8), s.px(6), s.px(8 + 210), s.px(6 + 297)], outline=(225, 232, 226), width=max(1, s.px(0.4)))


def draw_document_camera_counter(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side of the card under the window's document camera; the truth is the card's."""
    rng = ctx.rng
    draw = draw_id_back if side == "back" else draw_id_front
    rendered = draw(rng, ctx.person, dpi=400, value_font=look.font)
    card = rendered.pages[0]
    assert isinstance(card, RasterPage)
    frame = RasterPage(*CAMERA_MM, dpi=look.dpi, paper=MAT)
    _mat(frame)
    fw, fh = frame.img.size
    page_px = fw / CAMERA_MM[0]
    arr = np.asarray(card.img.convert("RGB")).astype(np.float32)
    ch, cw = arr.shape[:2]
    card_px = cw / CARD_W
    scale = page_px / card_px
    angle = np.radians(rng.uniform(-7, 7))
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    hw, hh = cw * scale / 2, ch * scale / 2
    local = np.array([[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]], np.float32)
    centre = np.array([fw * rng.uniform(0.4, 0.6), fh * rng.uniform(0.42, 0.58)], np.float32)
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    m = cv2.getPerspectiveTransform(src, (local @ turn.T + centre).astype(np.float32))
    warped = cv2.warpPerspective(arr, m, (fw, fh), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((ch, cw), 255, np.uint8), m, (fw, fh), flags=cv2.INTER_LINEAR)
    alpha = (cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32) / 255)[..., None]
    out = warped * alpha + np.asarray(frame.img).astype(np.float32) * (1 - alpha)
    # The LED's spot on the laminate, the frame darker towards its corners, a cold cast.
    yy, xx = np.mgrid[0:fh, 0:fw].astype(np.float32)
    sx, sy = centre[0] + rng.uniform(-0.3, 0.3) * hw, centre[1] + rng.uniform(-0.5, 0.5) * hh
    spot = np.exp(-(((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * (fw * rng.uniform(0.03, 0.06)) ** 2)))
    out = out + (255 - out) * (spot * alpha[..., 0] * rng.uniform(0.4, 0.7))[..., None]
    r2 = ((xx - fw / 2) / (fw / 2)) ** 2 + ((yy - fh / 2) / (fh / 2)) ** 2
    out = out * (1 - 0.18 * r2)[..., None] * np.array((0.95, 1.0, 1.06), np.float32)
    out = cv2.GaussianBlur(np.clip(out, 0, 255), (0, 0), rng.uniform(0.5, 0.9))
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 2.5, out.shape)
    frame.img = Image.fromarray(np.clip(out + noise, 0, 255).astype(np.uint8))
    frame.draw = ImageDraw.Draw(frame.img)
    frame.lines.extend(moved_lines(card.lines, m, card_px, page_px))
    when = f"{ctx.on:%Y-%m-%d} {rng.randint(8, 16):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    frame.text(CAMERA_MM[0] - 4, CAMERA_MM[1] - 5, when, 11, anchor="r", color=STAMP_YELLOW)
    rendered.pages = [frame]
    return rendered


FAMILIES = [
    Family(
        "voucher_pasted_copy",
        "id_card",
        "身份证单面复印件剪下后粘贴在报销单据粘贴单（240×140 mm，"
        "浅红棕预印标题、边框、粘贴处与附单据/经办人/审核栏）上："
        "复印件灰度高反差（底纹消失）、墨粉斑点，剪出的纸边参差，粘贴时转角数度，边缘有淡影；蓝色圆珠笔斜写"
        "“仅供医保报销使用 他用无效”压过卡面，下方手写本人签名与日期；正反面各一张",
        draw_voucher_pasted_copy,
        ("hei", "sans", "ming"),
        (200, 300),
        ("clean", "scan"),
        ("front", "back"),
        draws_copy=True,
    ),
    Family(
        "document_camera_counter",
        "id_card",
        "窗口高拍仪俯拍的身份证：4:3 画面（拍到底板 200×150 mm），卡片为实际尺寸、在画面中偏小并略有转角，"
        "灰绿色切割垫底板带 10 mm 网格与 A4 轮廓线，补光灯在覆膜上的亮斑，四角偏暗，略虚、偏冷色，"
        "右下角软件叠加黄色拍摄时间；正反面各一张",
        draw_document_camera_counter,
        ("hei", "microhei", "serif"),
        (200, 300),
        ("clean", "scan"),
        ("front", "back"),
    ),
]
