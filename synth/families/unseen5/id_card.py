"""Unseen 居民身份证 family (the fifth blind set, stop 38).

`voucher_pasted_copy`: a photocopy of one side of the card, cut out with scissors and glued onto the
hospital's or the unit's 报销单据粘贴单 (a 240 × 140 mm voucher sheet, as accounts offices file
receipts): the sheet pre-printed in a pale red-brown with its title, a frame, 粘贴处 guide text and
附单据 / 经办人 / 审核 lines; the copy grey and contrasty (the card's tints gone, the toner speckled),
with a ragged margin of copy paper round the card, turned a few degrees where it was stuck; written
across the card in blue ballpoint, aslant, 仅供医保报销使用 他用无效, and under it the holder's
signature and the date by hand. Each side is its own sheet."""

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
    # Where it was stuck: a little larger than life is never done; true size, turned a few degrees.
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
    cx, cy = centre / page_px
    _aslant(s, float(cx), float(cy), ANNOTATION, rng.uniform(13, 16), rng.uniform(12, 24))
    below = cy + CARD_H / 2 + margin_mm + 7
    s.text(cx - 30, below, "本人签名：", 9, font_name="kai", color=INK_BLUE, record=False)
    s.text(cx - 12, below + rng.uniform(-0.6, 0.6), person.name, 12, font_name="kai", color=INK_BLUE)
    s.text(cx + 18, below, f"{ctx.on.year}.{ctx.on.month}.{ctx.on.day}", 10, font_name="kai", color=INK_BLUE)
    rendered.pages = [s]
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
    ),
]
