"""Unseen 医疗收费票据 families (the ninth blind set, stop 42).

`monitor_moire_photo`: a 住院 财政电子票据 open in a PDF reader on an office PC, photographed with a phone
off the monitor instead of being printed (the patient at the hospital's 医保 desk, or a relative at work):
the reader's window round the bill (its title bar with the file's name, a tool bar with the zoom and the
page count, the grey canvas), the desktop's task bar with the clock and date under it, the monitor's black
bezel and a dim wall round that; the screen's RGB sub-pixel grid beats against the phone's sensor into
moiré bands across the whole bill, the screen's light is cool, a broad glare of the room's light lies over
one part, the phone held a little aslant (turned and foreshortened). The bill itself: the title in black
with a QR code at the top right, 票据代码 / 票据号码 / 校验码 / 开票日期 in a block at the top left, a
交款人 / 就诊科室 / 住院号 line, 住院时间 as two ISO dates, the fee classes in two columns of 项目 | 金额, the
total in words and figures, the fund's split as one line of short labels (基金支付, 账户支付, 个人自付,
个人自费), 结算方式, and the hospital's electronic 收费专用章 beside 收款单位（章）.

`paper_pos_slip_stapled`: a hospital's pre-printed paper 住院收费票据 (the frame and labels in a violet
ink, values printed in black) on which the cashier stapled the bank card's POS 签购单 for the patient's
own share over its top-left corner, as patients hand them in: the thermal slip (银联 POS 签购单: 商户名称,
终端号, a masked 卡号, 交易类型, 日期时间, the amount paid by card as RMB, the cardholder's signature by hand)
turned a few degrees, sticking out past the bill's edge, held by a staple with its shadow; the bill scanned
or photographed on a white lid with it. The bill prints its numbers stacked at the top right (票据代码,
票据号码, 开票日期 in Chinese), the particulars (姓名, 性别, 住院号, 科别; 住院时段 as 2025.06.03-2025.06.15),
the fee classes in two columns, and the fund's split NOT in a 备注 line but in a vertical block at the
right edge titled 医保结算: each label on a line with its amount under it (统筹基金支付, 个人账户支付,
个人自付, 个人自费, 现金支付); the total in words and as ¥ figures, 收款单位（盖章） with the oval seal.
No 校验码 on this paper bill, so none in its truth."""

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
from synth.families.common import FacedPage, Family, Look, date_text, moved_lines, qr_code
from synth.people import HOSPITALS, make_name


def _province(hospital: str) -> str:
    return next((p for h, p in HOSPITALS if h == hospital), "浙江省")


def _scaled(lines: list[PrintedLine], scale: float, dx: float, dy: float) -> list[PrintedLine]:
    """Printed lines (mm) of a page shown `scale` times its size with its corner at (dx, dy)."""
    return [
        PrintedLine(
            ln.text, (ln.box[0] * scale + dx, ln.box[1] * scale + dy, ln.box[2] * scale + dx, ln.box[3] * scale + dy)
        )
        for ln in lines
    ]


# ---------------------------------------------------------------------------------------------
# An e-bill on a PC monitor, photographed by phone

BILL_MM = (210.0, 125.0)
SCREEN_MM = (280.0, 175.0)  # a 16:10 monitor's picture
PHOTO_MM = (160.0, 120.0)
CHROME = (232, 234, 238)
CANVAS = (96, 98, 104)


def _ebill(ctx: Context, fields: dict[str, str], dpi: int, face: str) -> FacedPage:
    """The e-bill as the reader renders it: black print on white, the QR code, the electronic seal."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    w, h = BILL_MM
    s = FacedPage(w, h, dpi=dpi, paper=(255, 255, 255), face=face)
    left, right = 10.0, w - 10.0
    s.text(w / 2, 11, f"{_province(stay.hospital)}医疗住院收费电子票据", 15, font_name="serif_bold", anchor="m")
    s.image(qr_code(rng), right - 20, 4, 20, 20)
    size = 8.8
    for k, (label, value) in enumerate(
        (
            ("票据代码", fields["invoice_code"]),
            ("票据号码", fields["invoice_number"]),
            ("校验码", fields["check_code"]),
            ("开票日期", fields["issue_date"]),
        )
    ):
        s.text(left, 21 + k * 4.8, f"{label}：{value}", size)
    y = 44.0
    s.line(left, y - 3.5, right, y - 3.5, width=0.3)
    s.text(left, y, f"交款人：{fields['payer_name']}", size)
    s.text(left + 55, y, f"就诊科室：{stay.department}", size)
    s.text(left + 115, y, f"住院号：{stay.inpatient_number}", size)
    y += 5.5
    s.text(left, y, f"住院时间：{date_text(stay.admission, 'iso')}至{date_text(stay.discharge, 'iso')}", size)
    s.text(left + 115, y, f"医保类型：{stay.insurance_type}", size)
    top = y + 4.0
    s.rect(left, top, right, top + 6, width=0.25, fill=(240, 242, 246))
    col = (right - left) / 2
    for k in range(2):
        s.text(left + k * col + 4, top + 3, "项目", 8.5, font_name="sans_bold")
        s.text(left + (k + 1) * col - 4, top + 3, "金额（元）", 8.5, font_name="sans_bold", anchor="r")
    classes = _category_totals(stay)
    half = (len(classes) + 1) // 2
    for k, group in enumerate((classes[:half], classes[half:])):
        for i, (name, amount) in enumerate(group):
            ry = top + 9.5 + i * 4.8
            s.text(left + k * col + 4, ry, name, size)
            s.text(left + (k + 1) * col - 4, ry, _money(amount), size, anchor="r")
    bottom = top + 7 + half * 4.8 + 1.5
    s.rect(left, top, right, bottom, width=0.25)
    s.line(left + col, top, left + col, bottom, width=0.25)
    y = bottom + 5
    s.text(left, y, f"合计（大写）：{fields['total_amount_upper']}", 9)
    s.text(right, y, f"合计（小写）：{fields['total_amount']}", 9, anchor="r")
    y += 5.5
    split = (
        f"基金支付：{fields['medical_insurance_paid']}  账户支付：{fields['personal_account_paid']}  "
        f"个人自付：{fields['self_paid']}  个人自费：{fields['self_expense']}"
    )
    s.text(left, y, split, 8.5)
    y += 5
    s.text(left, y, "结算方式：医保联网结算", 8.5)
    foot = h - 7
    s.text(left, foot, f"收款单位（章）：{fields['payee']}", size)
    s.text(right, foot, f"收款人：{make_name(rng)}", size, anchor="r")
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), left + 62, foot - 9, 28)
    _ = person
    return s


def _screen(ctx: Context, fields: dict[str, str], dpi: int, face: str) -> FacedPage:
    """The monitor's picture: the reader's window with the bill fitted to its width, the task bar."""
    rng = ctx.rng
    w, h = SCREEN_MM
    s = FacedPage(w, h, dpi=dpi, paper=CANVAS, face=face)
    s.rect(0, 0, w, 7, width=0.01, color=CHROME, fill=CHROME)
    s.text(4, 3.5, "住院收费电子票据.pdf - PDF阅读器", 6.5)
    for k in range(3):
        s.rect(w - 6 - k * 7, 1.8, w - 3 - k * 7, 4.8, width=0.25, color=(90, 90, 90))
    s.rect(0, 7, w, 14, width=0.01, color=(246, 247, 249), fill=(246, 247, 249))
    s.text(6, 10.5, "文件  编辑  视图  注释  工具  帮助", 6.5, color=(60, 60, 60), record=False)
    s.text(w / 2, 10.5, f"1 / 1      {rng.choice(['110%', '112%', '115%'])}", 6.5, anchor="m")
    scale = 1.1
    bill = _ebill(ctx, fields, round(dpi * scale), face)
    x0, y0 = (w - BILL_MM[0] * scale) / 2, 15.0
    s.img.paste(bill.img, (s.px(x0), s.px(y0)))
    s.lines.extend(_scaled(bill.lines, scale, x0, y0))
    s.rect(0, h - 7, w, h, width=0.01, color=(30, 34, 44), fill=(30, 34, 44))
    s.text(w - 4, h - 4.8, f"{rng.randint(8, 17)}:{rng.randint(0, 59):02d}", 5.5, anchor="r", color=(235, 235, 235))
    s.text(w - 4, h - 2.0, f"{ctx.on:%Y/%m/%d}", 5.0, anchor="r", color=(235, 235, 235))
    return s


def _subpixels(img: Image.Image) -> np.ndarray:
    """The monitor's RGB stripes: each pixel column lit in one primary, a dark gap between pixel rows."""
    arr = np.asarray(img).astype(np.float32)
    h, w = arr.shape[:2]
    mask = np.full((h, w, 3), 0.3, np.float32)
    for c in range(3):
        mask[:, c::3, c] = 1.0
    mask[2::3] *= 0.7
    return arr * mask * 1.75


def draw_monitor_moire_photo(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The phone's photo of the monitor; the truth is the bill's, its lines where the screen shows them."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    title = f"{_province(stay.hospital)}医疗住院收费电子票据"
    photo = FacedPage(*PHOTO_MM, dpi=look.dpi, face=look.font)
    fw, fh = photo.img.size
    px = fw / PHOTO_MM[0]
    # The screen's pixels a little finer than the photo's where the screen lands: the grid aliases.
    width_in_photo = rng.uniform(0.86, 0.92) * PHOTO_MM[0]
    screen_dpi = round(look.dpi * width_in_photo / SCREEN_MM[0] * rng.uniform(1.35, 1.6))
    screen = _screen(ctx, fields, screen_dpi, look.font)
    lit = _subpixels(screen.img)
    sh, sw = lit.shape[:2]
    cw, ch = width_in_photo * px, width_in_photo * SCREEN_MM[1] / SCREEN_MM[0] * px
    cx, cy = fw / 2 + rng.uniform(-0.03, 0.03) * fw, fh / 2 + rng.uniform(-0.02, 0.03) * fh
    narrow = rng.uniform(0.0, 0.04) * cw
    tilt = rng.choice([-1, 1])
    local = np.array(
        [
            [-cw / 2 + (narrow if tilt > 0 else 0), -ch / 2 + (narrow * 0.4 if tilt > 0 else 0)],
            [cw / 2 - (narrow if tilt < 0 else 0), -ch / 2 + (narrow * 0.4 if tilt < 0 else 0)],
            [cw / 2 - (narrow if tilt < 0 else 0), ch / 2 - (narrow * 0.4 if tilt < 0 else 0)],
            [-cw / 2 + (narrow if tilt > 0 else 0), ch / 2 - (narrow * 0.4 if tilt > 0 else 0)],
        ],
        np.float32,
    )
    a = math.radians(rng.uniform(-2, 2))
    turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    corners = (local @ turn.T + np.array([cx, cy], np.float32)).astype(np.float32)
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32), corners)
    # The room: a dim wall, the monitor's bezel round the picture.
    ys = np.linspace(0, 1, fh, dtype=np.float32)[:, None, None]
    wall = np.array(rng.choice([(120, 116, 110), (98, 104, 112), (130, 124, 112)]), np.float32)
    out: np.ndarray = np.broadcast_to(wall * (0.8 + 0.2 * ys), (fh, fw, 3)).astype(np.float32).copy()
    bezel = np.zeros((fh, fw), np.uint8)
    grow = (corners - np.array([cx, cy], np.float32)) * 1.045 + np.array([cx, cy], np.float32)
    cv2.fillConvexPoly(bezel, np.round(grow).astype(np.int32), 1)
    out[bezel > 0] = (24, 24, 27)
    warped = cv2.warpPerspective(lit, m, (fw, fh), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpPerspective(np.ones((sh, sw), np.float32), m, (fw, fh), flags=cv2.INTER_LINEAR)[..., None]
    cool = np.array([0.92, 0.98, 1.08], np.float32)
    out = out * (1 - alpha) + warped * cool * alpha
    # Glare: the room's light reflected off the screen, a broad soft patch.
    xs = np.arange(fw, dtype=np.float32)[None, :]
    yy = np.arange(fh, dtype=np.float32)[:, None]
    gx, gy = rng.uniform(0.2, 0.8) * fw, rng.uniform(0.15, 0.7) * fh
    spread = rng.uniform(0.18, 0.3) * fw
    glare = rng.uniform(45, 80) * np.exp(
        -(((xs - gx) ** 2) / (2 * spread**2) + ((yy - gy) ** 2) / (2 * (spread * 0.6) ** 2))
    )
    out = out + (glare * alpha[..., 0])[..., None]
    gen = np.random.default_rng(rng.randrange(2**32))
    out = cv2.GaussianBlur(out + gen.normal(0, 3, out.shape), (0, 0), rng.uniform(0.5, 0.8))
    photo.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    photo.draw = ImageDraw.Draw(photo.img)
    photo.lines = moved_lines(screen.lines, m, sw / SCREEN_MM[0], px)
    return Rendered("invoice", None, [photo], fields, True, title)


# ---------------------------------------------------------------------------------------------
# A paper bill with the POS slip stapled over its corner

VIOLET = (110, 64, 140)
LID_MM = (236.0, 160.0)
BILL_AT = (14.0, 24.0)  # the bill's top-left corner on the scanned area
SLIP_MM = (40.0, 56.0)


def _slip(rng: random.Random, hospital: str, amount: Decimal, day: str, payer: str, dpi: int, face: str) -> FacedPage:
    """The bank's POS 签购单 on thermal paper: grey print, the card masked, the holder's signature."""
    w, h = SLIP_MM
    s = FacedPage(w, h, dpi=dpi, paper=(247, 247, 244), face=face)
    grey = (70, 70, 76)
    s.text(w / 2, 4.5, "银联POS签购单", 8, anchor="m", font_name="sans_bold", color=grey)
    s.text(w / 2, 8.5, "持卡人存根", 5.5, anchor="m", color=grey)
    y = 13.0
    rows = (
        f"商户名称：{hospital}",
        f"终端号：{rng.randint(10000000, 99999999)}",
        f"卡号：6222 **** **** {rng.randint(1000, 9999)}",
        "交易类型：消费",
        f"日期时间：{day} {rng.randint(8, 16):02d}:{rng.randint(0, 59):02d}",
    )
    for text in rows:
        s.text(2.5, y, text, 5.2 if len(text) < 20 else 4.4, color=grey)
        y += 4.4
    s.text(2.5, y + 1.5, f"金额：RMB {_money(amount)}", 7.5, font_name="sans_bold", color=grey)
    y += 9
    s.text(2.5, y, "持卡人签名：", 5.2, color=grey)
    s.text(18, y + 3.5, payer, 11, font_name="kai", color=(25, 25, 30))
    s.text(w / 2, h - 3, "- - - - - - - - - - - - - - - -", 5.5, anchor="m", color=grey, record=False)
    return s


def _bill(ctx: Context, fields: dict[str, str], dpi: int, face: str) -> FacedPage:
    """The pre-printed bill filled in by the cashier's printer; the top-left corner left for the slip."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    w, h = 210.0, 120.0
    s = FacedPage(w, h, dpi=dpi, paper=(251, 249, 243), face=face)
    s.text(w / 2 + 8, 10, "医疗住院收费票据", 16, font_name="serif_bold", anchor="m", color=VIOLET)
    s.line(w / 2 - 24, 15, w / 2 + 40, 15, width=0.3, color=VIOLET)
    s.text(w / 2 + 8, 19.5, f"（{_province(stay.hospital)}）", 8, anchor="m", color=VIOLET)
    right = w - 8
    for k, (label, value) in enumerate(
        (
            ("票据代码", fields["invoice_code"]),
            ("票据号码", fields["invoice_number"]),
            ("开票日期", date_text(stay.discharge, "cn")),
        )
    ):
        # The label pre-printed in violet, the value printed in black after it: one line as it reads.
        hy = 8.0 + k * 5
        lw = s.text(right - 56, hy, f"{label}：", 8, color=VIOLET, record=False)
        vw = s.text(right - 56 + lw, hy, value, 8, record=False)
        s.lines.append(PrintedLine(f"{label}：{value}", (right - 56, hy - 1.4, right - 56 + lw + vw, hy + 1.4)))
    frame_l, frame_r, top = 6.0, w - 6.0, 26.0
    block = frame_r - 40  # the 医保结算 block down the right edge
    s.rect(frame_l, top, frame_r, h - 14, width=0.4, color=VIOLET)
    s.line(block, top, block, h - 14, width=0.35, color=VIOLET)
    size = 8.5
    y = top + 5
    # The particulars start clear of the stapled slip.
    x0 = 40.0
    s.text(x0, y, f"姓名：{fields['payer_name']}", size)
    s.text(x0 + 38, y, f"性别：{person.sex}", size)
    s.text(x0 + 62, y, f"住院号：{stay.inpatient_number}", size)
    y += 5.5
    s.text(x0, y, f"科别：{stay.department}", size)
    s.text(x0 + 38, y, f"住院时段：{date_text(stay.admission, 'dot')}-{date_text(stay.discharge, 'dot')}", size)
    y += 4
    s.line(frame_l, y, block, y, width=0.3, color=VIOLET)
    classes = _category_totals(stay)
    half = (len(classes) + 1) // 2
    col = (block - frame_l) / 2
    y += 4.5
    for k in range(2):
        s.text(frame_l + k * col + 4, y, "项  目", 8, color=VIOLET)
        s.text(frame_l + (k + 1) * col - 4, y, "金  额", 8, color=VIOLET, anchor="r")
    for k, group in enumerate((classes[:half], classes[half:])):
        for i, (name, amount) in enumerate(group):
            ry = y + 5.5 + i * 4.9
            s.text(frame_l + k * col + 4, ry, name, size)
            s.text(frame_l + (k + 1) * col - 4, ry, _money(amount), size, anchor="r")
    s.line(frame_l + col, y - 3, frame_l + col, y + 3 + half * 4.9 + 2, width=0.25, color=VIOLET)
    y += 3 + half * 4.9 + 3
    s.line(frame_l, y, block, y, width=0.3, color=VIOLET)
    y += 5
    s.text(frame_l + 3, y, f"合计人民币（大写）：{fields['total_amount_upper']}", 8.8)
    s.text(block - 3, y + 5.5, f"¥{fields['total_amount']}", 9.5, anchor="r", font_name="sans_bold")
    # The 医保结算 block: each label on a line, its amount under it.
    bx = block + 3
    s.text((block + frame_r) / 2, top + 4.5, "医保结算", 8.5, anchor="m", color=VIOLET, font_name="sans_bold")
    s.line(block, top + 8, frame_r, top + 8, width=0.25, color=VIOLET)
    cash = Decimal(fields["self_paid"]) + Decimal(fields["self_expense"])
    by = top + 13
    for label, value in (
        ("统筹基金支付", fields["medical_insurance_paid"]),
        ("个人账户支付", fields["personal_account_paid"]),
        ("个人自付", fields["self_paid"]),
        ("个人自费", fields["self_expense"]),
        ("现金支付", _money(cash)),
    ):
        s.text(bx, by, label, 7.8, color=VIOLET)
        s.text(frame_r - 3, by + 4.6, value, 8.8, anchor="r")
        by += 12.5
    foot = h - 8
    s.text(frame_l + 2, foot, f"收款单位（盖章）：{fields['payee']}", 8.5)
    s.text(frame_r - 2, foot, f"收款员：{make_name(rng)}", 8.5, anchor="r")
    s.stamp(seal_image(rng, stay.hospital, "收费专用章", oval=True), frame_l + 70, foot - 6, 30)
    return s


def draw_paper_pos_slip_stapled(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The bill with the slip stapled on; its truth leaves out the 校验码 the paper bill does not print."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    del fields["check_code"]
    bill = _bill(ctx, fields, look.dpi, look.font)
    page = FacedPage(*LID_MM, dpi=look.dpi, paper=(246, 246, 244), face=look.font)
    page.img.paste(bill.img, (page.px(BILL_AT[0]), page.px(BILL_AT[1])))
    page.lines = _scaled(bill.lines, 1.0, *BILL_AT)
    cash = Decimal(fields["self_paid"]) + Decimal(fields["self_expense"])
    slip = _slip(rng, stay.hospital, cash, f"{stay.discharge:%Y/%m/%d}", person.name, look.dpi, look.font)
    # The slip over the bill's top-left corner, turned a few degrees, past the bill's edges.
    angle = math.radians(rng.uniform(-7, 7))
    centre = np.array([BILL_AT[0] + rng.uniform(13, 17), BILL_AT[1] + rng.uniform(16, 18)], np.float32)
    sw, sh = slip.img.size
    pxm = page.img.width / LID_MM[0]
    hw, hh = SLIP_MM[0] / 2 * pxm, SLIP_MM[1] / 2 * pxm
    turn = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], np.float32)
    local = np.array([[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]], np.float32)
    m = cv2.getPerspectiveTransform(
        np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32), (local @ turn.T + centre * pxm).astype(np.float32)
    )
    size = page.img.size
    warped = cv2.warpPerspective(np.asarray(slip.img).astype(np.float32), m, size, flags=cv2.INTER_AREA)
    alpha = cv2.warpPerspective(np.ones((sh, sw), np.float32), m, size, flags=cv2.INTER_LINEAR)
    shadow = np.roll(cv2.GaussianBlur(alpha, (0, 0), 0.8 * pxm), (round(0.6 * pxm), round(0.6 * pxm)), (0, 1))
    base = np.asarray(page.img).astype(np.float32) * (1 - 0.25 * shadow[..., None])
    out = base * (1 - alpha[..., None]) + warped * alpha[..., None]
    page.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    page.draw = ImageDraw.Draw(page.img)
    # The slip covers whatever the bill printed under it: those lines no longer show.
    covered = np.zeros((size[1], size[0]), bool)
    covered[alpha > 0.5] = True
    shown = []
    for line in page.lines:
        x0, y0, x1, y1 = (page.px(v) for v in line.box)
        if covered[max(0, y0) : y1, max(0, x0) : x1].mean() < 0.05:
            shown.append(line)
    page.lines = shown + moved_lines(slip.lines, m, sw / SLIP_MM[0], pxm)
    # The staple across the slip's top-left corner, into the bill.
    sx, sy = (centre + turn @ np.array([-SLIP_MM[0] / 2 + 7, -SLIP_MM[1] / 2 + 6], np.float32)).tolist()
    dx, dy = 4.5 * math.cos(angle + 0.6), 4.5 * math.sin(angle + 0.6)
    page.line(sx - dx + 0.4, sy - dy + 0.5, sx + dx + 0.4, sy + dy + 0.5, width=0.7, color=(150, 150, 150))
    page.line(sx - dx, sy - dy, sx + dx, sy + dy, width=0.6, color=(120, 124, 130))
    page.line(sx - dx * 0.9, sy - dy * 0.9, sx + dx * 0.9, sy + dy * 0.9, width=0.2, color=(215, 218, 222))
    return Rendered("invoice", None, [page], fields, True, "医疗住院收费票据")


FAMILIES = [
    Family(
        "monitor_moire_photo",
        "invoice",
        "在办公电脑显示器上用 PDF 阅读器打开的住院财政电子票据，被手机对着屏幕拍下：阅读器窗口（带文件名的标题栏、缩放"
        "与页码工具栏、灰色画布）、任务栏时钟日期、黑色边框与昏暗墙"
        "面；屏幕 RGB 子像素与手机传感器拍出摩尔纹，屏光偏冷，"
        "一片室内光反光，画面略歪并有透视；票据本身：黑色标题、右上二维码，左上票据代码/票据号码/校验码/开票日期，"
        "交款人/就诊科室/住院号一行，住院时间为两个 ISO 日期，费用两栏“项目|金额”，大写与小写合计，一行短标签分项支付"
        "（基金支付、账户支付、个人自付、个人自费），结算方式，电子收费专用章",
        draw_monitor_moire_photo,
        ("sans", "microhei", "hei"),
        (280, 380),
        ("clean",),
    ),
    Family(
        "paper_pos_slip_stapled",
        "invoice",
        "收费窗口把患者刷卡的银联 POS 签购单订在纸质住院收费票"
        "据左上角：热敏小票（商户名称、终端号、打码卡号、交易类型、"
        "日期时间、RMB 刷卡金额、持卡人手写签名）歪几度、伸出票据边外，订书钉及其阴影；票据为紫色预印框与标签、黑色机打"
        "内容，号码在右上竖排（票据代码、票据号码、中文开票日期），姓名/性别/住院号/科别、住院时段“2025.06.03-2025.06.15”，"
        "费用两栏，医保结算不在备注而在右侧竖栏（统筹基金支付、个人账户支付、个人自付、个人自费、现金支付，标签一行金额"
        "其下），大写与¥合计，收款单位（盖章）与椭圆章；无校验码",
        draw_paper_pos_slip_stapled,
        ("sans", "serif", "ming"),
        (200, 300),
        ("scan", "photo"),
    ),
]
