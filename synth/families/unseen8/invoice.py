"""Unseen 医疗收费票据 families (the eighth blind set, stop 41).

`paper_trifold_creases`: a hospital's machine-printed paper 住院收费票据 the patient folded in three to
carry it in a wallet, unfolded again and scanned or photographed: two creases run down the bill (through
the fee lines, the totals and the split), each a thin dark shadow beside a bright ridge with the ink
cracked along it, the three panels lit a little differently and not lying quite flat (the middle one a
fraction of a millimetre off the others). Its own print: 票据代码 and 票据号码 at the top, 校验码 and the
开票日期 in Chinese under them, 患者姓名 / 性别 / 住院号 / 科别 on one line, the stay as 住院日期：
2025年06月03日至2025年06月15日, the fee classes in two columns of dotted leaders (西药费……1234.56), the
total in words and figures on one line, the fund's split as one 备注 sentence with 元 after each amount
(统筹基金支付1234.56元；个人账户支付…), the 收款单位（盖章） and the hospital's seal.

`handwritten_carbon_receipt`: a hospital's 住院收费收据 from the cashier's manual receipt book (the book
kept for when the HIS is down), filled in by hand through carbon paper, and the carbon copy (第二联 报销
联) is what reaches the office: the pre-printed frame, labels and fee-class names in brown, a red printed
No serial, every entry in the carbon's violet, soft and uneven under the pen's pressure, with carbon smudges
over the sheet; the stay as 入院 / 出院 dates in the printed 年 月 日 blanks, the fee classes written into a
项目 | 金额 grid, the total in words and as ¥ figures, the fund's split written into four printed blanks,
the cashier's name, the issue date and the hospital's 财务专用章 stamped red on the copy. A receipt book has
no 票据代码 and no 校验码, so neither is in its truth."""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image

from synth.build import Context
from synth.canvas import PrintedLine, seal_image, text_width_mm
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import LATIN_FALLBACK, FacedPage, Family, Look, date_text
from synth.people import HOSPITALS, make_name

GREEN_FRAME = (40, 110, 90)
PAPER = (250, 248, 240)


def _province(hospital: str) -> str:
    return next((p for h, p in HOSPITALS if h == hospital), "浙江省")


def _leader(s: FacedPage, x0: float, x1: float, y: float, name: str, amount: str, size: float) -> None:
    """A fee class and its amount joined by dotted leaders, each recorded as printed on the line."""
    width = s.text(x0, y, name, size)
    latin = LATIN_FALLBACK.get(s.face, s.face)
    start, end = x0 + width + 1.2, x1 - text_width_mm(amount, size, latin) - 1.2
    dot = text_width_mm("·", size, latin)
    if end > start:
        s.text(start, y, "·" * int((end - start) / dot), size, record=False, color=(90, 90, 90))
    s.text(x1, y, amount, size, anchor="r")


def _creased(page: FacedPage, rng: random.Random) -> None:
    """Fold the bill in three and flatten it again: two creases down the page, each a dark shadow line beside
    a bright ridge over a soft band of shade, the ink cracked along the fold; the panels lit unevenly and the
    middle panel a little off the others (its printed lines moved with it)."""
    arr = np.asarray(page.img).astype(np.float32)
    w = arr.shape[1]
    px_mm = w / page.width_mm
    creases = [round(w * (k / 3 + rng.uniform(-0.025, 0.025))) for k in (1, 2)]
    # The middle panel sits a little lower or higher than its neighbours.
    dy_mm = rng.choice([-1, 1]) * rng.uniform(0.25, 0.7)
    dy = round(dy_mm * px_mm)
    middle = arr[:, creases[0] : creases[1]].copy()
    shifted = np.full_like(middle, PAPER)
    if dy > 0:
        shifted[dy:] = middle[:-dy]
    elif dy < 0:
        shifted[:dy] = middle[-dy:]
    else:
        shifted = middle
    arr[:, creases[0] : creases[1]] = shifted
    lo, hi = creases[0] / px_mm, creases[1] / px_mm
    moved = []
    for line in page.lines:
        x0, y0, x1, y1 = line.box
        centre = (x0 + x1) / 2
        if lo <= centre < hi:
            line = PrintedLine(line.text, (x0, y0 + dy_mm, x1, y1 + dy_mm))
        moved.append(line)
    page.lines = moved
    # Light: each panel its own gain, a soft band of shade round each crease, the shadow and the ridge.
    x = np.arange(w, dtype=np.float32)
    gain = np.ones(w, np.float32)
    edges = [0, *creases, w]
    for k in range(3):
        gain[edges[k] : edges[k + 1]] = rng.uniform(0.9, 1.0)
    for c in creases:
        band = rng.uniform(2.5, 5.0) * px_mm
        gain *= 1 - rng.uniform(0.05, 0.12) * np.exp(-(((x - c) / band) ** 2))
        side = rng.choice([-1, 1])
        gain *= 1 - 0.35 * np.exp(-(((x - c - side * 0.25 * px_mm) / (0.18 * px_mm)) ** 2))
        gain += 0.06 * np.exp(-(((x - c + side * 0.5 * px_mm) / (0.25 * px_mm)) ** 2))
    arr = arr * gain[None, :, None]
    # The ink cracked along each fold: dark pixels right on the crease lose some of their ink.
    gen = np.random.default_rng(rng.randrange(2**32))
    for c in creases:
        half = max(1, round(0.2 * px_mm))
        strip = arr[:, c - half : c + half]
        crack = gen.random(strip.shape[:2]) < 0.45
        strip[crack] = strip[crack] * 0.4 + np.array(PAPER, np.float32) * 0.6 * gain[c]
    page.img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def draw_paper_trifold_creases(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The creased bill; it prints every invoice field."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    w, h = 210.0, 118.0
    s = FacedPage(w, h, dpi=look.dpi, paper=PAPER, face=look.font)
    left, right = 9.0, w - 9.0
    title = f"{_province(stay.hospital)}医疗住院收费票据"
    s.text(w / 2, 10, title, 15, font_name="serif_bold", anchor="m", color=GREEN_FRAME)
    s.line(w / 2 - 40, 15, w / 2 + 40, 15, width=0.3, color=GREEN_FRAME)
    size = 8.5
    s.text(left, 21, f"票据代码：{fields['invoice_code']}", size)
    s.text(right, 21, f"票据号码：{fields['invoice_number']}", size, anchor="r")
    s.text(left, 26.5, f"校验码：{fields['check_code']}", size)
    s.text(right, 26.5, f"开票日期：{date_text(stay.discharge, 'cn')}", size, anchor="r")
    s.rect(left - 2, 30, right + 2, h - 16, width=0.35, color=GREEN_FRAME)
    y = 35.0
    s.text(left, y, f"患者姓名：{fields['payer_name']}", size)
    s.text(left + 52, y, f"性别：{person.sex}", size)
    s.text(left + 78, y, f"住院号：{stay.inpatient_number}", size)
    s.text(left + 130, y, f"科别：{stay.department}", size)
    y += 5.5
    stay_text = f"{date_text(stay.admission, 'cn')}至{date_text(stay.discharge, 'cn')}"
    s.text(left, y, f"住院日期：{stay_text}", size)
    s.text(left + 110, y, f"医保类型：{stay.insurance_type}", size)
    s.line(left - 2, y + 3.5, right + 2, y + 3.5, width=0.25, color=GREEN_FRAME)
    classes = _category_totals(stay)
    half = (len(classes) + 1) // 2
    col_w = (right - left - 10) / 2
    top = y + 8.5
    for k, group in enumerate((classes[:half], classes[half:])):
        x0 = left + k * (col_w + 10)
        for i, (name, amount) in enumerate(group):
            _leader(s, x0, x0 + col_w, top + i * 5.0, name, _money(amount), size)
    y = top + 5.0 * half + 1.0
    s.line(left - 2, y, right + 2, y, width=0.25, color=GREEN_FRAME)
    y += 4.5
    s.text(left, y, f"合计（大写）：{fields['total_amount_upper']}", 9)
    s.text(right, y, f"（小写）：¥{fields['total_amount']}", 9, anchor="r")
    y += 3.5
    s.line(left - 2, y, right + 2, y, width=0.25, color=GREEN_FRAME)
    note = (
        f"统筹基金支付{fields['medical_insurance_paid']}元；个人账户支付{fields['personal_account_paid']}元；"
        f"个人自付{fields['self_paid']}元；个人自费{fields['self_expense']}元"
    )
    y += 4.5
    s.text(left, y, f"备注：{note}", 7.8)
    foot = h - 10
    s.text(left, foot, f"收款单位（盖章）：{fields['payee']}", size)
    s.text(left + 120, foot, f"收款员：{make_name(rng)}", size)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章", oval=True), left + 55, foot - 5, 30)
    _creased(s, rng)
    return Rendered("invoice", None, [s], fields, True, title)


# ---------------------------------------------------------------------------------------------
# A manual receipt filled in through carbon paper

BROWN = (128, 72, 40)
CARBON = (70, 52, 150)


def _carbon(ink: FacedPage, form: FacedPage, rng: random.Random) -> Image.Image:
    """The carbon copy: the pen's strokes come through soft and uneven (darker where it pressed, broken
    where it did not) in the carbon's violet, over the pre-printed form, with smudges of carbon here and there."""
    pen = 255.0 - np.asarray(ink.img.convert("L"), np.float32)  # 0 paper … 255 ink
    gen = np.random.default_rng(rng.randrange(2**32))
    h, w = pen.shape
    pressure = cv2.resize(gen.uniform(0.55, 1.0, (h // 40 + 2, w // 40 + 2)).astype(np.float32), (w, h))
    speck = (gen.random((h, w)) > 0.18).astype(np.float32)
    soft = cv2.GaussianBlur(pen * pressure * speck, (0, 0), max(0.6, w / 2200))
    smudge = cv2.resize(gen.normal(0, 1, (h // 60 + 2, w // 60 + 2)).astype(np.float32), (w, h))
    smudge = np.clip(smudge - 1.3, 0, None) * 40
    amount = np.clip(soft / 255 * 1.25 + smudge / 255, 0, 1)[..., None]
    base = np.asarray(form.img).astype(np.float32)
    out = base * (1 - amount) + np.array(CARBON, np.float32) * amount
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def draw_handwritten_carbon_receipt(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The receipt's carbon copy; its truth leaves out the 票据代码 and 校验码 a receipt book does not have."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    del fields["invoice_code"], fields["check_code"]
    number = fields["invoice_number"][-7:]
    fields["invoice_number"] = number
    w, h = 200.0, 118.0
    form = FacedPage(w, h, dpi=look.dpi, paper=(246, 244, 236), face=look.font)
    ink = FacedPage(w, h, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    left, right = 10.0, 190.0
    pt = 8.0

    def hand(x: float, y: float, value: str, size: float = 10.5, *, record: bool = True) -> float:
        """An entry written by hand: a brush face, each a little off the printed line."""
        dx, dy = rng.uniform(-0.3, 0.8), rng.uniform(-0.5, 0.3) - 0.6
        return ink.text(x + dx, y + dy, value, size, font_name="kai", record=record)

    title = "住院收费收据"
    form.text(w / 2, 9, stay.hospital, 11, font_name="serif_bold", anchor="m", color=BROWN)
    form.text(w / 2, 16.5, title, 14, font_name="serif_bold", anchor="m", color=BROWN)
    form.line(w / 2 - 22, 20.5, w / 2 + 22, 20.5, width=0.5, color=BROWN)
    form.line(w / 2 - 22, 21.3, w / 2 + 22, 21.3, width=0.25, color=BROWN)
    form.text(right - 38, 12, "No", 10, font_name="serif_bold", color=(190, 40, 40), record=False)
    form.text(right - 30, 12, number, 12, font_name="serif_bold", color=(190, 40, 40), record=False)
    form.lines.append(PrintedLine(f"No{number}", (right - 38, 10, right - 30 + text_width_mm(number, 12), 14)))
    # The particulars: printed labels, written entries.
    y = 27.0
    for x, label, value in (
        (left, "交款人：", fields["payer_name"]),
        (left + 55, "住院号：", stay.inpatient_number),
        (left + 110, "科室：", stay.department),
    ):
        lw = form.text(x, y, label, pt, color=BROWN)
        hand(x + lw + 1, y, value)
    y += 7.0

    def dated(x: float, y: float, label: str, day: object) -> None:
        """A date written into the printed 年 月 日 blanks, recorded as one line the way it reads."""
        assert hasattr(day, "year")
        x0 = x
        x += form.text(x, y, label, pt, color=BROWN, record=False) + 1
        pieces = []
        for value, unit in ((str(day.year), "年"), (str(day.month), "月"), (str(day.day), "日")):  # type: ignore[attr-defined]
            x += hand(x, y, value, 10, record=False) + 0.6
            x += form.text(x, y, unit, pt, color=BROWN, record=False) + 0.8
            pieces.append(value + unit)
        form.lines.append(PrintedLine(label + "".join(pieces), (x0, y - 2.5, x, y + 2.5)))

    dated(left, y, "入院日期：", stay.admission)
    dated(left + 62, y, "出院日期：", stay.discharge)
    form.text(left + 124, y, "（住院）", pt, color=BROWN)
    # The fee grid: two groups of 项目 | 金额, eight rows, entries written in.
    classes = _category_totals(stay)
    top = y + 5.0
    rows = max(5, (len(classes) + 1) // 2)
    row_h = 6.2
    bottom = top + 6 + rows * row_h
    form.rect(left, top, right, bottom, width=0.4, color=BROWN)
    mid = (left + right) / 2
    form.line(mid, top, mid, bottom, width=0.4, color=BROWN)
    form.line(left, top + 6, right, top + 6, width=0.3, color=BROWN)
    for gx in (left, mid):
        form.line(gx + 50, top, gx + 50, bottom, width=0.25, color=BROWN)
        form.text(gx + 25, top + 3, "项    目", pt, anchor="m", color=BROWN)
        form.text(gx + 70, top + 3, "金  额", pt, anchor="m", color=BROWN)
    for k in range(1, rows):
        form.line(left, top + 6 + k * row_h, right, top + 6 + k * row_h, width=0.15, color=BROWN)
    for k, (name, amount) in enumerate(classes):
        gx = left if k < rows else mid
        ry = top + 6 + (k % rows) * row_h + row_h / 2
        hand(gx + 4, ry, name, 10)
        hand(gx + 55, ry, _money(amount), 10)
    y = bottom + 5.5
    lw = form.text(left, y, "合计人民币（大写）：", pt, color=BROWN)
    hand(left + lw + 1, y, fields["total_amount_upper"])
    lw = form.text(left + 128, y, "¥：", pt, color=BROWN)
    hand(left + 128 + lw + 1, y, fields["total_amount"])
    y += 7.0
    for k, (label, key) in enumerate(
        (
            ("统筹支付：", "medical_insurance_paid"),
            ("个人账户：", "personal_account_paid"),
            ("个人自付：", "self_paid"),
            ("个人自费：", "self_expense"),
        )
    ):
        x = left + k * 45
        lw = form.text(x, y, label, pt, color=BROWN)
        hand(x + lw + 0.5, y, fields[key], 9.5)
    y += 8.5
    lw = form.text(left, y, "收款单位（盖章）：", pt, color=BROWN)
    hand(left + lw + 1, y, fields["payee"], 10)
    lw = form.text(left + 100, y, "收款人：", pt, color=BROWN)
    hand(left + 100 + lw + 1, y, make_name(rng), 10)
    lw = form.text(left + 138, y, "开票：", pt, color=BROWN)
    hand(left + 138 + lw + 1, y, date_text(stay.discharge, "dot"), 9.5)
    # 第二联 down the right edge, one character under another.
    edge = "第二联报销联"
    for k, char in enumerate(edge):
        form.text(w - 4.5, 40 + k * 4.2, char, 7.5, anchor="m", color=BROWN, record=False)
    form.lines.append(PrintedLine(edge, (w - 6.3, 38.6, w - 2.7, 40 + 4.2 * (len(edge) - 1) + 1.4)))
    form.img = _carbon(ink, form, rng)
    form.lines = form.lines + ink.lines
    form.stamp(seal_image(rng, stay.hospital, "财务专用章"), left + 82, y - 1, 28)
    return Rendered("invoice", None, [form], fields, True, title)


FAMILIES = [
    Family(
        "paper_trifold_creases",
        "invoice",
        "患者折成三折放进钱包、又展开后扫描或拍照的机打纸质住院收费票据：两道竖向折痕穿过费用行、合计与分项支付"
        "（暗影线旁一道亮脊、折线处墨迹开裂），三块面光照不一、中间一块略有错位；票据代码/票据号码在顶行，校验码与"
        "中文开票日期其下，患者姓名/性别/住院号/科别一行，住院日期“2025年06月03日至2025年06月15日”，费用类别两栏"
        "点线引导（西药费……1234.56），大写与¥小写合计同一行，备注一句带“元”的分项支付（统筹基金支付…元；个人账户"
        "支付…元；…），收款单位（盖章）与椭圆收费章",
        draw_paper_trifold_creases,
        ("sans", "ming", "microhei"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "handwritten_carbon_receipt",
        "invoice",
        "医院收费处手工收据本（系统停机时用）复写填开的住院收费收据第二联（报销联）：棕色预印框、标签与“项目|金额”"
        "格，红色印刷 No 号码，所有填写内容为复写纸紫色、发虚、随笔压深浅不一并有复写污渍；入院/出院日期写在预印"
        "年月日空格内，费用类别与金额手写入格，大写与¥合计，统筹支付/个人账户/个人自付/个人自费四个空格手写，"
        "收款人与点分开票日期手写，财务专用章红色直接盖在本联；无票据代码、无校验码",
        draw_handwritten_carbon_receipt,
        ("sans", "serif", "hei"),
        (200, 300),
        ("scan", "photo"),
    ),
]
