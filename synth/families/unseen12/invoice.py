"""Unseen 医疗收费票据 families (the twelfth blind set, stop 45).

`dry_ribbon_misregistered`: a green-framed pre-printed 住院收费票据 (the form's labels, boxes and fee-class
heads printed by the print shop in green, without colons) filled in by the cashier's 24-pin dot-matrix
printer: the values in black dots, fed a little off so that every value sits low and to one side of its
box, touching or crossing the box's rule, and the ribbon running dry, so the print is strong at the top
of the bill and fades down it to a pale grey at the 收款人 (the fund's split and the total the faintest
figures on it). The printer also prints a 结算序号 under the 票据号码; there is no 校验码. The stay as
2025.06.03-2025.06.15 in its box, the total as the 大写 in one box and ¥ figures in the next.

`clipboard_reprint`: a 医疗收费票据 the hospital reprinted (补打) because the patient lost the first print:
a boxed 补打 banner at its top left with （第2次打印）, the 开票日期 the discharge day as it was, and a
reprint line along the foot (打印流水号, 补打时间 some days later, 操作员); photographed by the clerk on the
counter's hardboard clipboard, the clip's steel jaw over the middle of the title (the title's middle
characters hidden, the clip's shadow below it). The stay as 住院起止：2025.06.03—2025.06.15, the fee
classes in a three-pair grid, the split as 统筹基金支付 / 个人账户支付 / 个人自付 / 个人自费, no 校验码."""

from __future__ import annotations

import datetime as dt
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import PrintedLine, seal_image, text_width_mm
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import HOSPITALS, make_name


def _province(hospital: str) -> str:
    return next((p for h, p in HOSPITALS if h == hospital), "浙江省")


# ---------------------------------------------------------------------------------------------
# A pre-printed green form filled by a dot-matrix printer whose ribbon runs dry

GREEN = (34, 122, 84)
BILL_MM = (210.0, 112.0)
PAPER = (250, 250, 244)


def _form(s: FacedPage, title: str) -> dict[str, tuple[float, float]]:
    """The print shop's green form: title, boxes and label words. Returns where each value's box starts
    (mm, left edge and the box's vertical middle)."""
    w = BILL_MM[0]
    s.text(w / 2, 9, title, 16, font_name="serif_bold", anchor="m", color=GREEN)
    s.text(w / 2, 16, "（电脑打印  手写无效）", 7.5, anchor="m", color=GREEN)
    s.text(10, 21, "票据代码", 8, color=GREEN)
    s.text(140, 21, "票据号码", 8, color=GREEN)
    left, right = 8.0, w - 8
    top = 25.0
    rows = (top, top + 8, top + 16)
    for y in rows:
        s.line(left, y, right, y, width=0.35, color=GREEN)
    at: dict[str, tuple[float, float]] = {}
    cells = ((left, 18, "交款人", "payer"), (70, 16, "住院号", "inpatient"), (128, 14, "科室", "department"))
    for x, lw, label, key in cells:
        s.text(x + 2, top + 4, label, 8, color=GREEN)
        s.line(x + lw, top, x + lw, top + 8, width=0.25, color=GREEN)
        if x > left:
            s.line(x, top, x, top + 8, width=0.35, color=GREEN)
        at[key] = (x + lw + 2, top + 4)
    s.text(left + 2, top + 12, "住院日期", 8, color=GREEN)
    s.line(left + 18, top + 8, left + 18, top + 16, width=0.25, color=GREEN)
    s.line(128, top + 8, 128, top + 16, width=0.35, color=GREEN)
    s.text(130, top + 12, "医保类别", 8, color=GREEN)
    s.line(146, top + 8, 146, top + 16, width=0.25, color=GREEN)
    at["stay"] = (left + 20, top + 12)
    at["insurance"] = (148, top + 12)
    # The fee grid: three pairs of 项目 | 金额.
    grid_top = top + 16
    col = (right - left) / 3
    for k in range(3):
        x = left + k * col
        s.text(x + col * 0.3, grid_top + 4, "项  目", 8, anchor="m", color=GREEN)
        s.text(x + col * 0.78, grid_top + 4, "金  额", 8, anchor="m", color=GREEN)
        if k:
            s.line(x, grid_top, x, grid_top + 36, width=0.35, color=GREEN)
        s.line(x + col * 0.58, grid_top, x + col * 0.58, grid_top + 36, width=0.2, color=GREEN)
    s.line(left, grid_top + 8, right, grid_top + 8, width=0.25, color=GREEN)
    at["grid"] = (left, grid_top + 12)
    y = grid_top + 36
    s.line(left, y, right, y, width=0.35, color=GREEN)
    s.text(left + 2, y + 4.5, "合计人民币（大写）", 8, color=GREEN)
    s.line(left + 31, y, left + 31, y + 9, width=0.25, color=GREEN)
    s.line(140, y, 140, y + 9, width=0.35, color=GREEN)
    s.text(142, y + 4.5, "（小写）¥", 8, color=GREEN)
    at["upper"] = (left + 33, y + 4.5)
    at["total"] = (158, y + 4.5)
    y += 9
    s.line(left, y, right, y, width=0.35, color=GREEN)
    split = (("医保统筹支付", "fund"), ("个人账户支付", "account"), ("个人自付", "self_paid"), ("个人自费", "self_exp"))
    step = (right - left) / 4
    for k, (label, key) in enumerate(split):
        x = left + k * step
        s.text(x + 2, y + 4.5, label, 7.5, color=GREEN)
        if k:
            s.line(x, y, x, y + 9, width=0.35, color=GREEN)
        at[key] = (x + 2 + text_width_mm(label, 7.5) + 1.5, y + 4.5)
    s.line(left, y + 9, right, y + 9, width=0.35, color=GREEN)
    s.line(left, top, left, y + 9, width=0.35, color=GREEN)
    s.line(right, top, right, y + 9, width=0.35, color=GREEN)
    foot = y + 15
    s.text(left, foot, "收款单位（章）", 8, color=GREEN)
    s.text(112, foot, "收款人", 8, color=GREEN)
    s.text(150, foot, "开票日期", 8, color=GREEN)
    at["payee"] = (left + 23, foot)
    at["cashier"] = (123, foot)
    at["issued"] = (165, foot)
    return at


def _dot_matrix(layer: Image.Image, px_mm: float, top_px: float, rng: random.Random) -> np.ndarray:
    """The printer's ink as coverage in [0, 1]: strokes broken into the pins' round dots, and the ribbon's
    ink fading from full at `top_px` to a pale grey at the foot, a little uneven across."""
    ink = 1 - np.asarray(layer.convert("L"), np.float32) / 255
    ink = np.asarray(cv2.dilate(ink, np.ones((2, 2), np.uint8)), np.float32)
    h, w = ink.shape
    pitch = max(2.0, 0.28 * px_mm)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    fy, fx = (ys % pitch) / pitch - 0.5, (xs % pitch) / pitch - 0.5
    dots = np.clip(1.25 - np.sqrt(fx**2 + fy**2) * 2.2, 0, 1)
    low = rng.uniform(0.16, 0.26)
    depth = np.clip((ys - top_px) / max(1.0, h - top_px), 0, 1)
    fade = 1 - (1 - low) * depth ** rng.uniform(0.8, 1.2)
    streak = 1 + 0.08 * np.sin(xs / (rng.uniform(9, 16) * px_mm) + rng.uniform(0, 6))
    out: np.ndarray = np.clip(ink * dots * fade * streak, 0, 1)
    return out


def draw_dry_ribbon_misregistered(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The filled form; every field the printer prints (no 校验码) is in the truth."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    del fields["check_code"]
    title = f"{_province(stay.hospital)}医疗住院收费票据"
    form = FacedPage(*BILL_MM, dpi=look.dpi, paper=PAPER, face=look.font)
    at = _form(form, title)
    his = FacedPage(*BILL_MM, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    dx, dy = rng.uniform(-1.2, 2.6), rng.uniform(1.4, 2.6)
    size = 9.5

    def put(key: str, text: str, x_off: float = 0.0) -> None:
        x, y = at[key]
        his.text(x + dx + x_off, y + dy, text, size)

    his.text(27 + dx, 21 + dy, fields["invoice_code"], size)
    his.text(157 + dx, 21 + dy, fields["invoice_number"], size)
    his.text(157 + dx, 21 + dy + 4.6, f"结算序号：{rng.randint(10**7, 10**8 - 1)}", 7.5)
    put("payer", fields["payer_name"])
    put("inpatient", stay.inpatient_number)
    put("department", stay.department)
    put("stay", f"{date_text(stay.admission, 'dot')}-{date_text(stay.discharge, 'dot')}")
    put("insurance", stay.insurance_type)
    classes = _category_totals(stay)
    gx, gy = at["grid"]
    col = (BILL_MM[0] - 16) / 3
    rows = -(-len(classes) // 3)
    for i, (name, amount) in enumerate(classes):
        k, r = divmod(i, rows)
        y = gy + r * (24 / max(rows, 1)) + dy
        his.text(gx + k * col + 3 + dx, y, name, size)
        his.text(gx + k * col + col - 3 + dx, y, _money(amount), size, anchor="r")
    put("upper", fields["total_amount_upper"])
    put("total", fields["total_amount"])
    put("fund", fields["medical_insurance_paid"])
    put("account", fields["personal_account_paid"])
    put("self_paid", fields["self_paid"])
    put("self_exp", fields["self_expense"])
    put("payee", fields["payee"])
    put("cashier", make_name(rng))
    put("issued", date_text(stay.discharge, "iso"))
    pxm = form.img.width / BILL_MM[0]
    cover = _dot_matrix(his.img, pxm, 18 * pxm, rng)
    paper = np.asarray(form.img).astype(np.float32)
    ribbon = np.array([28, 28, 36], np.float32)
    out = paper * (1 - cover[..., None]) + ribbon * cover[..., None]
    form.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    form.draw = ImageDraw.Draw(form.img)
    form.stamp(seal_image(rng, stay.hospital, "收费专用章"), 52, at["payee"][1] - 6, 28)
    form.lines.extend(his.lines)
    return Rendered("invoice", None, [form], fields, True, title)


# ---------------------------------------------------------------------------------------------
# A reprinted bill on a clipboard

BOARD_MM = (250.0, 168.0)
BILL_AT = (20.0, 36.0)
BILL2_MM = (210.0, 118.0)
CLIP_HALF = 20.0
CLIP_BOTTOM = 52.5  # page mm: the jaw's lower edge


def _reprint_bill(ctx: Context, fields: dict[str, str], look: Look) -> tuple[FacedPage, str]:
    rng, stay = ctx.rng, ctx.stay
    w, h = BILL2_MM
    s = FacedPage(w, h, dpi=look.dpi, paper=(252, 251, 246), face=look.font)
    title = f"{_province(stay.hospital)}医疗收费票据（住院）"
    size = 8.8
    s.rect(8, 5, 24, 12, width=0.5)
    s.text(16, 8.6, "补打", 11, font_name="sans_bold", anchor="m")
    s.text(26, 8.6, "（第2次打印）", 8)
    s.text(w / 2, 13, title, 15, font_name="serif_bold", anchor="m", color=(130, 40, 40), record=False)
    s.text(142, 8, f"票据代码：{fields['invoice_code']}", size)
    s.text(142, 13.5, f"票据号码：{fields['invoice_number']}", size)
    s.text(142, 19, f"开票日期：{date_text(stay.discharge, 'cn')}", size)
    left, right = 7.0, w - 7
    y = 25.0
    s.line(left, y, right, y, width=0.35)
    y += 5
    s.text(left + 2, y, f"交款人：{fields['payer_name']}", size)
    s.text(left + 46, y, f"性别：{ctx.person.sex}", size)
    s.text(left + 70, y, f"住院号：{stay.inpatient_number}", size)
    s.text(left + 118, y, f"科室：{stay.department}", size)
    y += 5.5
    s.text(left + 2, y, f"住院起止：{date_text(stay.admission, 'dot')}—{date_text(stay.discharge, 'dot')}", size)
    s.text(left + 118, y, f"医保类别：{stay.insurance_type}", size)
    y += 3.5
    s.line(left, y, right, y, width=0.3)
    classes = _category_totals(stay)
    col = (right - left) / 3
    rows = -(-len(classes) // 3)
    for i, (name, amount) in enumerate(classes):
        k, r = divmod(i, rows)
        ry = y + 4.5 + r * 4.8
        s.text(left + k * col + 3, ry, name, size)
        s.text(left + (k + 1) * col - 4, ry, _money(amount), size, anchor="r")
    for k in (1, 2):
        s.line(left + k * col, y, left + k * col, y + 2 + rows * 4.8, width=0.2)
    y += 2 + rows * 4.8
    s.line(left, y, right, y, width=0.3)
    y += 5
    s.text(left + 2, y, f"合计（大写）：{fields['total_amount_upper']}", size)
    s.text(right - 3, y, f"（小写）：{fields['total_amount']}", size, anchor="r")
    y += 3.5
    s.line(left, y, right, y, width=0.3)
    y += 5
    split = (
        ("统筹基金支付", fields["medical_insurance_paid"]),
        ("个人账户支付", fields["personal_account_paid"]),
        ("个人自付", fields["self_paid"]),
        ("个人自费", fields["self_expense"]),
    )
    for k, (label, value) in enumerate(split):
        s.text(left + 2 + k * (right - left) / 4, y, f"{label}：{value}", 8.3)
    y += 9
    s.text(left + 2, y, f"收款单位（盖章）：{fields['payee']}", size)
    s.text(right - 3, y, f"收款员：{make_name(rng)}", size, anchor="r")
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), left + 60, y - 4, 26)
    reprint = ctx.on - dt.timedelta(days=rng.randint(0, 3))
    serial = f"P{reprint:%Y%m%d}{rng.randint(0, 99999):05d}"
    time = f"{rng.randint(8, 16):02d}:{rng.randint(0, 59):02d}"
    y = h - 4
    s.text(left + 2, y, f"打印流水号：{serial}", 7)
    s.text(left + 62, y, f"补打时间：{date_text(reprint, 'iso')} {time}", 7)
    s.text(left + 130, y, f"操作员：{make_name(rng)}", 7)
    return s, title


def _title_pieces(title: str, hidden: tuple[float, float], y: float) -> list[PrintedLine]:
    """The title's characters the clip leaves in sight, as the runs on either side of it (bill mm)."""
    face = "serif_bold"
    width = text_width_mm(title, 15, face)
    x0 = BILL2_MM[0] / 2 - width / 2
    runs: list[list[tuple[float, float, str]]] = [[]]
    for i, ch in enumerate(title):
        a = x0 + text_width_mm(title[:i], 15, face)
        b = x0 + text_width_mm(title[: i + 1], 15, face)
        if b < hidden[0] - 0.3 or a > hidden[1] + 0.3:
            runs[-1].append((a, b, ch))
        elif runs[-1]:
            runs.append([])
    half = 15 / (72 / 25.4) / 2
    return [
        PrintedLine("".join(c for _, _, c in run), (run[0][0], y - half, run[-1][1], y + half)) for run in runs if run
    ]


def _clip(page: np.ndarray, pxm: float, cx: float, rng: random.Random) -> np.ndarray:
    """A steel board clip at the top of the board: a wide jaw down to CLIP_BOTTOM mm, a rolled lever
    behind it, two rivets, and a soft shadow under the jaw."""
    h, w = page.shape[:2]
    jaw = np.zeros((h, w), np.float32)
    top = 14.0
    poly = np.array(
        [
            [(cx - CLIP_HALF - 3) * pxm, top * pxm],
            [(cx + CLIP_HALF + 3) * pxm, top * pxm],
            [(cx + CLIP_HALF) * pxm, CLIP_BOTTOM * pxm],
            [(cx - CLIP_HALF) * pxm, CLIP_BOTTOM * pxm],
        ],
        np.int32,
    )
    cv2.fillPoly(jaw, [poly], 1.0)
    shadow = np.roll(cv2.GaussianBlur(jaw, (0, 0), 2.2 * pxm), round(2.2 * pxm), axis=0)
    out = page * (1 - 0.45 * np.clip(shadow - jaw, 0, 1)[..., None])
    ys = np.arange(h, dtype=np.float32)[:, None]
    shine = 150 + 60 * np.exp(-(((ys / pxm - rng.uniform(24, 34)) / 5) ** 2))
    steel = np.repeat(np.broadcast_to(shine, (h, w))[..., None], 3, axis=2) * np.array([0.97, 0.99, 1.02], np.float32)
    out = out * (1 - jaw[..., None]) + steel * jaw[..., None]
    lever = np.zeros((h, w), np.float32)
    cv2.rectangle(lever, (int((cx - 16) * pxm), int(2 * pxm)), (int((cx + 16) * pxm), int(top * pxm)), 1.0, -1)
    out = out * (1 - lever[..., None]) + np.array([112, 114, 120], np.float32) * lever[..., None]
    for rx in (cx - CLIP_HALF + 7, cx + CLIP_HALF - 7):
        cv2.circle(out, (int(rx * pxm), int(20 * pxm)), max(2, round(1.6 * pxm)), (90, 92, 98), -1)
    return out


def draw_clipboard_reprint(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The reprint on the clipboard; the clip hides the middle of the title and nothing else."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    del fields["check_code"]
    bill, title = _reprint_bill(ctx, fields, look)
    page = FacedPage(*BOARD_MM, dpi=look.dpi, paper=(150, 112, 72), face=look.font)
    pxm = page.img.width / BOARD_MM[0]
    gen = np.random.default_rng(rng.randrange(2**32))
    board = np.asarray(page.img).astype(np.float32)
    fibre = cv2.GaussianBlur(gen.normal(0, 9, board.shape[:2]).astype(np.float32), (0, 0), 1.2 * pxm)
    board = board + fibre[..., None] * np.array([1.0, 0.8, 0.6], np.float32)
    bx, by = round(BILL_AT[0] * pxm), round(BILL_AT[1] * pxm)
    sheet = np.asarray(bill.img).astype(np.float32)
    sh, sw = sheet.shape[:2]
    board[by + 3 : by + sh + 3, bx + 3 : bx + sw + 3] *= 0.8  # the sheet's edge shadow
    board[by : by + sh, bx : bx + sw] = sheet
    cx = BILL_AT[0] + BILL2_MM[0] / 2 + rng.uniform(-8, 5)
    out = _clip(board, pxm, cx, rng)
    page.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    page.draw = ImageDraw.Draw(page.img)
    hidden = (cx - CLIP_HALF - BILL_AT[0], cx + CLIP_HALF - BILL_AT[0])
    pieces = _title_pieces(title, hidden, 13)
    for line in [*bill.lines, *pieces]:
        x0, y0, x1, y1 = line.box
        page.lines.append(PrintedLine(line.text, (x0 + BILL_AT[0], y0 + BILL_AT[1], x1 + BILL_AT[0], y1 + BILL_AT[1])))
    return Rendered("invoice", None, [page], fields, True, title)


FAMILIES = [
    Family(
        "dry_ribbon_misregistered",
        "invoice",
        "印刷厂绿色预印的住院收费票据（标签、格线、费用栏头为绿色、无"
        "冒号），由收费处 24 针针式打印机套打：数值为黑色点阵字，"
        "走纸偏位使每个数值都偏低偏侧、压到格线；色带快干，票面上"
        "方清楚、往下逐渐变淡，到收款人处只剩浅灰（分项支付与合计"
        "最淡）；打印机另在票据号码下打“结算序号”，无校验码；住院日期框内“2"
        "025.06.03-2025.06.15”，合计大写一格、¥小写下一格",
        draw_dry_ribbon_misregistered,
        ("sans", "hei", "ming"),
        (200, 300),
        ("scan", "scanned_grey", "photo"),
    ),
    Family(
        "clipboard_reprint",
        "invoice",
        "患者遗失首张后医院补打的医疗收费票据：左上方框“补打”与“"
        "（第2次打印）”，开票日期仍为出院日，页脚一行补打信息（打印"
        "流水号、数日后的补打时间、操作员）；经办人把它夹在柜台硬"
        "纸板夹上拍照，钢夹压住标题中段（标题中间几个字看不见，夹子"
        "下有阴影）；住院起止“2025.06.03—2025.06.15”，费"
        "用类别三组并排，分项为统筹基金支付/个人账户支付/个人自付/个人自费，"
        "无校验码",
        draw_clipboard_reprint,
        ("sans", "serif", "microhei"),
        (200, 280),
        ("photo",),
    ),
]
