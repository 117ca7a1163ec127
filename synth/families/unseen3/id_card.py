"""An unseen 居民身份证 family: `fax_copy`, a copy of the card that reached the office by fax, each side on
its own page. A G3 fax is 215 mm (1728 pels) wide and scans at 8 pels a mm across but only 3.85 (standard
mode) or 7.7 (fine mode) lines a mm down, in pure black and white with no grey: the card's tinted
background and guilloche drop out to white, the blue-grey labels go black, edges turn ragged and the
portrait a blot; the receiving machine prints its header line (date, time, sender's number, page) across
the top, and a dirty scanner glass leaves thin streaks down the page. The received page is saved at
150-200 dpi."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image

from synth.build import Context
from synth.canvas import PrintedLine, RasterPage
from synth.documents import CARD_H, CARD_W, Rendered, draw_id_back, draw_id_front
from synth.families.common import Family, Look

FAX_W, FAX_H = 215.0, 297.0
PELS_PER_MM = 8.0  # across, either mode
LINES_PER_MM = (3.85, 7.7)  # down: standard and fine mode


def _fax_pixels(page: RasterPage, rng: random.Random) -> Image.Image:
    """The page as the fax carried it: sampled at the fax's pels and lines, thresholded to black and
    white with the sensor's noise on the edges, streaked, and brought back to the page's resolution."""
    grey = np.asarray(page.img.convert("L"), np.float32)
    lines_per_mm = rng.choice(LINES_PER_MM)
    pels = (round(FAX_W * PELS_PER_MM), round(FAX_H * lines_per_mm))
    sampled = np.asarray(Image.fromarray(grey.astype(np.uint8)).resize(pels, Image.Resampling.BILINEAR), np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 18, sampled.shape)
    bw = np.where(sampled + noise < rng.uniform(135, 165), 0, 255).astype(np.uint8)
    # Dust on the sending machine's glass: a few thin dark streaks down the page.
    for _ in range(rng.randint(0, 3)):
        x = rng.randrange(pels[0])
        bw[:, x : x + rng.randint(1, 2)] = 0
    return Image.fromarray(bw).resize(page.img.size, Image.Resampling.NEAREST).convert("RGB")


def draw_fax_copy(ctx: Context, side: str | None, look: Look) -> Rendered:
    """One side on a received fax page; the truth is the card's, its lines moved to where the card lies."""
    rng = ctx.rng
    draw = draw_id_back if side == "back" else draw_id_front
    rendered = draw(rng, ctx.person, dpi=400, value_font=look.font)
    card = rendered.pages[0]
    assert isinstance(card, RasterPage)
    page = RasterPage(FAX_W, FAX_H, dpi=look.dpi, paper=(255, 255, 255))
    stamp = f"{ctx.on:%Y-%m-%d} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
    sender = f"FROM:0{rng.choice(['571', '574', '577', '24'])}-{rng.randint(2000_0000, 8999_9999)}"
    page_no = "P.01/02" if side == "front" else "P.02/02"
    page.text(8, 5, f"{stamp}  {sender}  {page_no}", 8, font_name="hei")
    at = (rng.uniform(20, 100), rng.uniform(25, 150))
    page.image(card.img, at[0], at[1], CARD_W, CARD_H)
    # The copier's light catches the card's edge: a dark outline round it.
    page.rect(at[0], at[1], at[0] + CARD_W, at[1] + CARD_H, width=0.5, color=(70, 70, 70))
    for line in card.lines:
        x0, y0, x1, y1 = line.box
        page.lines.append(PrintedLine(line.text, (x0 + at[0], y0 + at[1], x1 + at[0], y1 + at[1])))
    page.img = _fax_pixels(page, rng)
    rendered.pages = [page]
    return rendered


FAMILIES = [
    Family(
        "fax_copy",
        "id_card",
        "传真件：卡片复印后传真，215 mm 宽页面，纯黑白无灰度（底纹消失、标签变黑、边缘毛糙），"
        "标准/精细模式纵向分辨率减半，顶部收件机打印日期时间、发送号码与页码，竖向污线，150–200 dpi，正反面各一页",
        draw_fax_copy,
        ("hei", "sans", "ming"),
        (150, 200),
        ("clean", "scan"),
        ("front", "back"),
        draws_copy=True,
    )
]
