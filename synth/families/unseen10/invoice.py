"""Unseen 医疗收费票据 families (the tenth blind set, stop 43).

`ebill_two_up_grey`: a 住院 财政电子票据 whose PDF comes as two A4 pages (the bill on the first, the
platform's 查验说明 on the second) and which the patient's office printed with the driver set to two pages
a sheet, to save paper, on a grey laser: one A4 landscape sheet with both portrait pages shrunk to about
two thirds side by side, each in the thin frame the driver draws round a page, so the bill's print is
small (its 9 pt about 6 pt); the whole sheet in grey, the toner a little uneven, the electronic seal grey
too. The bill: the title with the province, a ruled strip of four cells with each label over its value
(票据代码 | 票据号码 | 校验码 | 开票日期 as 2025年06月20日), 交款人 / 性别 / 住院号 / 住院科室 in label：value
runs, the stay as 结算期间：2025-06-03—2025-06-15, the fee classes in a three-column table of 项目 | 金额,
金额合计 in words and figures, a 医保结算信息 box of two columns (统筹基金, 个人账户, 个人自付, 个人自费: the
labels without 支付), the 收款单位（章） with the seal, 复核 and 收款人. The second page: the platform's name,
电子票据查验说明 and numbered notes, a QR code, nothing of the bill's.

`paper_laminated_balance`: a hospital's pre-printed paper 住院收费票据 (frame and labels in a blue-green
ink, values printed black) that the patient had laminated at a print shop (过塑) to keep it: the sheet sealed
in clear film with a plastic margin and rounded corners round it, the film's sheen (a slight blue cast,
tiny trapped air bubbles, one diagonal band of glare where the light catches the film, washing the print
out under it), then scanned or photographed. Its print: 票据代码 / 票据号码 in one line at the top right,
开票日期 in Chinese, 患者 / 住院号 / 科室 in one line, 入出院日期 as 2025.6.3-2025.6.15 (no zeros), the fee
classes in THREE columns of 项目 | 金额, 合计（大写）and ¥ figures, the fund's split as one ruled row of
label cells (医保统筹, 个人账户, 个人自付, 个人自费) over their amounts, and after it a 医保卡余额 line (the
card's account balance after this bill, no truth field), 收款单位（章）with the seal. No 校验码 on this
paper bill, so none in its truth."""

from __future__ import annotations

import math
import random
from decimal import Decimal

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import PrintedLine, seal_image
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text, qr_code
from synth.people import HOSPITALS, make_name


def _province(hospital: str) -> str:
    return next((p for h, p in HOSPITALS if h == hospital), "浙江省")


def _placed(lines: list[PrintedLine], scale: float, dx: float, dy: float) -> list[PrintedLine]:
    """Printed lines (mm) of a page shown `scale` times its size with its corner at (dx, dy)."""
    return [
        PrintedLine(
            ln.text, (ln.box[0] * scale + dx, ln.box[1] * scale + dy, ln.box[2] * scale + dx, ln.box[3] * scale + dy)
        )
        for ln in lines
    ]


# ---------------------------------------------------------------------------------------------
# An e-bill printed two pages a sheet on a grey laser

SHEET_MM = (297.0, 210.0)
TWO_UP = 0.66  # the driver's shrink: two A4 portrait pages side by side on A4 landscape


def _bill_page(ctx: Context, fields: dict[str, str], dpi: int, face: str) -> FacedPage:
    """The e-bill's first page: the bill in the upper part of a portrait A4 page."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    s = FacedPage(210, 297, dpi=dpi, paper=(255, 255, 255), face=face)
    left, right = 14.0, 196.0
    s.text(105, 20, f"{_province(stay.hospital)}医疗收费电子票据", 17, font_name="serif_bold", anchor="m")
    s.text(105, 28, "（住院）", 10, anchor="m")
    s.image(qr_code(rng), right - 22, 10, 22, 22)
    top = 36.0
    cells = (
        ("票据代码", fields["invoice_code"]),
        ("票据号码", fields["invoice_number"]),
        ("校验码", fields["check_code"]),
        ("开票日期", date_text(stay.discharge, "cn")),
    )
    cw = (right - left) / len(cells)
    s.rect(left, top, right, top + 14, width=0.3)
    s.line(left, top + 6.5, right, top + 6.5, width=0.2)
    for k, (label, value) in enumerate(cells):
        x = left + k * cw
        if k:
            s.line(x, top, x, top + 14, width=0.2)
        s.text(x + cw / 2, top + 3.3, label, 9, anchor="m", color=(70, 70, 70))
        s.text(x + cw / 2, top + 10.3, value, 10, anchor="m")
    y = top + 21
    size = 10.0
    s.text(left, y, f"交款人：{fields['payer_name']}", size)
    s.text(left + 52, y, f"性别：{person.sex}", size)
    s.text(left + 80, y, f"住院号：{stay.inpatient_number}", size)
    s.text(left + 130, y, f"住院科室：{stay.department}", size)
    y += 7
    s.text(left, y, f"结算期间：{date_text(stay.admission, 'iso')}—{date_text(stay.discharge, 'iso')}", size)
    s.text(left + 100, y, f"医保类型：{stay.insurance_type}", size)
    y += 5
    classes = _category_totals(stay)
    per_col = -(-len(classes) // 3)
    col = (right - left) / 3
    s.rect(left, y, right, y + 7, width=0.3, fill=(236, 236, 236))
    for k in range(3):
        s.text(left + k * col + 3, y + 3.5, "项目", 9.5, font_name="sans_bold")
        s.text(left + (k + 1) * col - 3, y + 3.5, "金额（元）", 9.5, font_name="sans_bold", anchor="r")
    body = y + 7
    for k in range(3):
        for i, (name, amount) in enumerate(classes[k * per_col : (k + 1) * per_col]):
            ry = body + 4.5 + i * 6.2
            s.text(left + k * col + 3, ry, name, size)
            s.text(left + (k + 1) * col - 3, ry, _money(amount), size, anchor="r")
    bottom = body + per_col * 6.2 + 2
    s.rect(left, y, right, bottom, width=0.3)
    for k in (1, 2):
        s.line(left + k * col, y, left + k * col, bottom, width=0.2)
    y = bottom + 7
    s.text(left, y, f"金额合计（大写）：{fields['total_amount_upper']}", size)
    s.text(right, y, f"（小写）：{fields['total_amount']}", size, anchor="r")
    y += 5
    box = y + 17
    s.rect(left, y, right, box, width=0.3)
    s.line(left + 28, y, left + 28, box, width=0.2)
    s.text(left + 14, y + 8.5, "医保结算信息", 9, anchor="m")
    half = (right - left - 28) / 2
    for k, (label, key) in enumerate(
        (
            ("统筹基金", "medical_insurance_paid"),
            ("个人账户", "personal_account_paid"),
            ("个人自付", "self_paid"),
            ("个人自费", "self_expense"),
        )
    ):
        x = left + 31 + (k % 2) * half
        s.text(x, y + 5 + (k // 2) * 7, f"{label}：{fields[key]}", 9.5)
    y = box + 12
    s.text(left, y, f"收款单位（章）：{fields['payee']}", size)
    s.text(left + 110, y, f"复核：{make_name(rng)}", size)
    s.text(right, y, f"收款人：{make_name(rng)}", size, anchor="r")
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), left + 88, y - 1, 28)
    return s


def _notes_page(ctx: Context, dpi: int, face: str) -> FacedPage:
    """The PDF's second page: how to check the e-bill, no value of the bill's."""
    rng, stay = ctx.rng, ctx.stay
    s = FacedPage(210, 297, dpi=dpi, paper=(255, 255, 255), face=face)
    s.text(105, 22, f"{_province(stay.hospital)}财政电子票据公共服务平台", 13, font_name="sans_bold", anchor="m")
    s.text(105, 34, "电子票据查验说明", 15, font_name="serif_bold", anchor="m")
    notes = (
        "1. 本电子票据与纸质票据具有同等法律效力。",
        "2. 可登录全国财政电子票据查验平台查验真伪。",
        "3. 亦可使用手机扫描下方二维码进行查验。",
        "4. 同一张电子票据仅限报销一次，请勿重复打印报销。",
        "5. 如有疑问请咨询开票单位财务部门。",
    )
    for k, note in enumerate(notes):
        s.text(24, 52 + k * 9, note, 11)
    s.image(qr_code(rng), 85, 104, 40, 40)
    s.text(105, 152, "扫码查验", 10, anchor="m")
    return s


def _grey_laser(img: Image.Image, rng: random.Random) -> Image.Image:
    """A grey laser's print: no colour, a soft toner tone, one lighter band where the drum wears."""
    grey = np.asarray(img.convert("L")).astype(np.float32)
    h, w = grey.shape
    ink = 255 - grey
    band_at, band_w = rng.uniform(0.1, 0.9) * w, rng.uniform(0.08, 0.18) * w
    xs = np.arange(w, dtype=np.float32)[None, :]
    fade = 1 - rng.uniform(0.15, 0.3) * np.exp(-(((xs - band_at) / band_w) ** 2))
    gen = np.random.default_rng(rng.randrange(2**32))
    mottle = cv2.GaussianBlur(gen.normal(0, 0.06, (h, w)).astype(np.float32), (0, 0), w / 400)
    ink = ink * rng.uniform(0.82, 0.92) * fade * (1 + mottle)
    out = cv2.GaussianBlur(255 - ink, (0, 0), 0.6)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)).convert("RGB")


def draw_ebill_two_up_grey(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The sheet with both pages; the truth is the bill's, its lines where the shrunk page puts them."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    title = f"{_province(stay.hospital)}医疗收费电子票据"
    page_dpi = round(look.dpi / TWO_UP)
    pages = (_bill_page(ctx, fields, page_dpi, look.font), _notes_page(ctx, page_dpi, look.font))
    sheet = FacedPage(*SHEET_MM, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    w, h = 210 * TWO_UP, 297 * TWO_UP
    gap = (SHEET_MM[0] - 2 * w) / 3
    top = (SHEET_MM[1] - h) / 2
    for k, page in enumerate(pages):
        x = gap + k * (w + gap)
        sheet.image(page.img, x, top, w, h)
        sheet.rect(x, top, x + w, top + h, width=0.2, color=(60, 60, 60))
        if k == 0:
            sheet.lines.extend(_placed(page.lines, TWO_UP, x, top))
    sheet.img = _grey_laser(sheet.img, rng)
    sheet.draw = ImageDraw.Draw(sheet.img)
    return Rendered("invoice", None, [sheet], fields, True, title)


# ---------------------------------------------------------------------------------------------
# A paper bill sealed in laminating film

TEAL = (30, 110, 120)
BILL_MM = (200.0, 118.0)
FILM = 5.0  # the film's clear margin round the bill
LAMINATED_MM = (BILL_MM[0] + 2 * FILM, BILL_MM[1] + 2 * FILM)
BED_MM = (226.0, 144.0)


def _paper_bill(ctx: Context, fields: dict[str, str], dpi: int, face: str) -> FacedPage:
    rng, stay = ctx.rng, ctx.stay
    w, h = BILL_MM
    s = FacedPage(w, h, dpi=dpi, paper=(250, 250, 246), face=face)
    s.text(w / 2, 10, "住院收费票据", 16, font_name="serif_bold", anchor="m", color=TEAL)
    s.text(w / 2, 17, f"（{_province(stay.hospital)}）", 8, anchor="m", color=TEAL)
    s.stamp(seal_image(rng, f"{_province(stay.hospital)}财政厅", "监制", oval=True, star=False, px=300), 46, 12, 22)
    right = w - 8
    s.text(right, 8, f"票据代码：{fields['invoice_code']}  票据号码：{fields['invoice_number']}", 8, anchor="r")
    s.text(right, 14, f"开票日期：{date_text(stay.discharge, 'cn')}", 8, anchor="r")
    left = 6.0
    frame_r = w - 6
    top = 22.0
    s.rect(left, top, frame_r, h - 14, width=0.4, color=TEAL)
    size = 8.5
    y = top + 5
    s.text(left + 3, y, f"患者：{fields['payer_name']}", size)
    s.text(left + 50, y, f"住院号：{stay.inpatient_number}", size)
    s.text(left + 100, y, f"科室：{stay.department}", size)
    y += 5.5
    adm, dis = stay.admission, stay.discharge
    s.text(left + 3, y, f"入出院日期：{adm.year}.{adm.month}.{adm.day}-{dis.year}.{dis.month}.{dis.day}", size)
    s.text(left + 100, y, f"医保类型：{stay.insurance_type}", size)
    y += 3.5
    s.line(left, y, frame_r, y, width=0.3, color=TEAL)
    classes = _category_totals(stay)
    per_col = -(-len(classes) // 3)
    col = (frame_r - left) / 3
    y += 4
    for k in range(3):
        s.text(left + k * col + 3, y, "项目", 7.5, color=TEAL)
        s.text(left + (k + 1) * col - 3, y, "金额", 7.5, color=TEAL, anchor="r")
        if k:
            s.line(left + k * col, y - 3.5, left + k * col, y + 2.5 + per_col * 4.8, width=0.25, color=TEAL)
    for k in range(3):
        for i, (name, amount) in enumerate(classes[k * per_col : (k + 1) * per_col]):
            ry = y + 5 + i * 4.8
            s.text(left + k * col + 3, ry, name, size)
            s.text(left + (k + 1) * col - 3, ry, _money(amount), size, anchor="r")
    y += 2.5 + per_col * 4.8
    s.line(left, y, frame_r, y, width=0.3, color=TEAL)
    y += 4.5
    s.text(left + 3, y, f"合计（大写）：{fields['total_amount_upper']}", size)
    s.text(frame_r - 3, y, f"¥{fields['total_amount']}", 9.5, anchor="r", font_name="sans_bold")
    y += 3.5
    s.line(left, y, frame_r, y, width=0.3, color=TEAL)
    cells = (
        ("医保统筹", fields["medical_insurance_paid"]),
        ("个人账户", fields["personal_account_paid"]),
        ("个人自付", fields["self_paid"]),
        ("个人自费", fields["self_expense"]),
    )
    cw = (frame_r - left) / 4
    for k, (label, value) in enumerate(cells):
        x = left + k * cw
        if k:
            s.line(x, y, x, y + 10, width=0.25, color=TEAL)
        s.text(x + cw / 2, y + 2.8, label, 7.5, anchor="m", color=TEAL)
        s.text(x + cw / 2, y + 7.3, value, size, anchor="m")
    y += 10
    s.line(left, y, frame_r, y, width=0.3, color=TEAL)
    balance = Decimal(rng.randint(0, 400000)) / 100
    s.text(left + 3, y + 4, f"医保卡余额：{_money(balance)}", 8)
    s.text(left + 60, y + 4, f"结算流水号：{rng.randint(10**11, 10**12 - 1)}", 8)
    foot = h - 8
    s.text(left + 2, foot, f"收款单位（章）：{fields['payee']}", size)
    s.text(frame_r - 2, foot, f"收款员：{make_name(rng)}", size, anchor="r")
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), left + 72, foot - 5, 26)
    return s


def _laminate(bill: FacedPage, rng: random.Random, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """The bill sealed in film: the clear margin with rounded corners, a blue cast, bubbles and a band of
    glare across it. Returns the laminated piece (RGB, float) and its mask."""
    pxm = dpi / 25.4
    lw, lh = round(LAMINATED_MM[0] * pxm), round(LAMINATED_MM[1] * pxm)
    piece = np.full((lh, lw, 3), (238, 242, 244), np.float32)
    bx, by = round(FILM * pxm), round(FILM * pxm)
    arr = np.asarray(bill.img.resize((lw - 2 * bx, lh - 2 * by))).astype(np.float32)
    piece[by : by + arr.shape[0], bx : bx + arr.shape[1]] = arr
    piece *= np.array([0.97, 0.985, 1.0], np.float32)
    mask_img = Image.new("L", (lw, lh), 0)
    ImageDraw.Draw(mask_img).rounded_rectangle([0, 0, lw - 1, lh - 1], radius=round(4 * pxm), fill=255)
    # The film's sealed rim: a faint line just inside the edge.
    rim = Image.new("L", (lw, lh), 0)
    ImageDraw.Draw(rim).rounded_rectangle(
        [round(1.2 * pxm), round(1.2 * pxm), lw - round(1.2 * pxm), lh - round(1.2 * pxm)],
        radius=round(3 * pxm),
        outline=255,
        width=max(1, round(0.25 * pxm)),
    )
    piece *= 1 - 0.12 * (np.asarray(rim, np.float32) / 255)[..., None]
    # Trapped air: small bright ovals with a darker edge.
    bubbles = Image.new("L", (lw, lh), 0)
    d = ImageDraw.Draw(bubbles)
    for _ in range(rng.randint(3, 9)):
        cx, cy, r = rng.uniform(0, lw), rng.uniform(0, lh), rng.uniform(0.6, 2.2) * pxm
        d.ellipse([cx - r, cy - r * 0.7, cx + r, cy + r * 0.7], fill=255)
    bub = cv2.GaussianBlur(np.asarray(bubbles, np.float32) / 255, (0, 0), 0.4 * pxm)
    piece = piece + 18 * bub[..., None]
    # The glare: a band across the film at an angle, bright in the middle and soft at its edges.
    yy, xx = np.mgrid[0:lh, 0:lw].astype(np.float32)
    angle = math.radians(rng.uniform(25, 65) * rng.choice([-1, 1]))
    dist = (xx - rng.uniform(0.3, 0.7) * lw) * math.cos(angle) + (yy - lh / 2) * math.sin(angle)
    band = np.exp(-((dist / (rng.uniform(6, 11) * pxm)) ** 2))
    strength = rng.uniform(0.55, 0.75)
    piece = piece * (1 - strength * band[..., None]) + 250 * strength * band[..., None]
    return piece, np.asarray(mask_img, np.float32) / 255


def draw_paper_laminated_balance(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The laminated bill on the scanner's bed; its truth leaves out the 校验码 it does not print."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    del fields["check_code"]
    bill = _paper_bill(ctx, fields, look.dpi, look.font)
    piece, mask = _laminate(bill, rng, look.dpi)
    page = FacedPage(*BED_MM, dpi=look.dpi, paper=(244, 244, 242), face=look.font)
    pw, ph = page.img.size
    pxm = pw / BED_MM[0]
    at = (rng.uniform(3, BED_MM[0] - LAMINATED_MM[0] - 3), rng.uniform(3, BED_MM[1] - LAMINATED_MM[1] - 3))
    angle = rng.uniform(-1.5, 1.5)
    lh, lw = mask.shape
    m = cv2.getRotationMatrix2D((lw / 2, lh / 2), angle, 1.0)
    m[:, 2] += np.array([at[0] * pxm, at[1] * pxm])
    warped = cv2.warpAffine(piece, m, (pw, ph), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpAffine(mask, m, (pw, ph), flags=cv2.INTER_LINEAR)[..., None]
    base = np.asarray(page.img).astype(np.float32)
    shadow = np.roll(cv2.GaussianBlur(alpha[..., 0], (0, 0), 0.8 * pxm), (round(0.7 * pxm), round(0.7 * pxm)), (0, 1))
    base = base * (1 - 0.2 * shadow[..., None])
    out = base * (1 - alpha) + warped * alpha
    page.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    page.draw = ImageDraw.Draw(page.img)
    full = np.vstack([m, [0, 0, 1]]).astype(np.float32)
    lines = []
    for line in bill.lines:
        x0, y0, x1, y1 = ((v + FILM) * pxm for v in line.box)
        pts = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], np.float32)
        moved = cv2.perspectiveTransform(pts, full)[0] / pxm
        lines.append(
            PrintedLine(
                line.text,
                (
                    float(moved[:, 0].min()),
                    float(moved[:, 1].min()),
                    float(moved[:, 0].max()),
                    float(moved[:, 1].max()),
                ),
            )
        )
    page.lines = lines
    return Rendered("invoice", None, [page], fields, True, "住院收费票据")


FAMILIES = [
    Family(
        "ebill_two_up_grey",
        "invoice",
        "两页的住院财政电子票据 PDF（第一页票据、第二页平台查验说明）用打印机“每张 2 页”缩印在一张 A4 横向纸上、"
        "灰度激光：两页各缩至约三分之二并排、各有驱动画的细框，票面字小（9 磅约成 6 磅），整张灰色、墨粉略不匀、电子章"
        "也是灰的；票据：标题带省份，四格横条标签在上值在下（票据代码|票据号码|校验码|开票日期“2025年06月20日”），"
        "交款人/性别/住院号/住院科室，结算期间“2025-06-03—2025-06-15”，三栏“项目|金额”，金额合计大写与小写，"
        "两栏医保结算信息框（统筹基金、个人账户、个人自付、个人自费，标签无“支付”），收款单位（章）、复核、收款人；"
        "第二页只有平台名、电子票据查验说明与二维码",
        draw_ebill_two_up_grey,
        ("sans", "microhei", "serif"),
        (240, 330),
        ("scan", "photo"),
    ),
    Family(
        "paper_laminated_balance",
        "invoice",
        "患者拿去打印店过塑的纸质住院收费票据（蓝绿色预印框与标签、黑色机打内容）：封在透明膜里，四周塑料边与圆角，"
        "膜略偏蓝、有小气泡，一道斜向反光带把其下的字冲淡，再扫描或拍照；票面：右上同一行票据代码/票据号码、中文开票"
        "日期，患者/住院号/科室一行，入出院日期“2025.6.3-2025.6.15”（无前导零），费用三栏“项目|金额”，合计（大写）"
        "与¥小写，分项支付为一行格子（医保统筹、个人账户、个人自付、个人自费）标签在上金额在下，其后医保卡余额一行"
        "（非字段），收款单位（章）与章；无校验码",
        draw_paper_laminated_balance,
        ("sans", "hei", "ming"),
        (200, 300),
        ("scan", "photo"),
    ),
]
