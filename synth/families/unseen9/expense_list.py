"""Unseen 费用清单 families (the ninth blind set, stop 42).

`duplex_show_through`: a two-page 住院病人费用清单 a hospital prints double-sided on thin 60 g paper to save
it, scanned one side after the other: each side shows the other side's print through the paper, mirrored,
faint and soft (the columns and the figures of the back behind the front's), a little off register. The
list: the hospital and title, the particulars in a bordered box of label：value runs (病人姓名, 住院号,
科室, 入院时间 and 出院时间 as ISO dates, 结算类别), the columns 行号, 收费项目, 费用类别, 类别码, 单价, 数量,
金额, where the 医保 grade is a code (1, 2 or 3) and a legend at the foot of the second side says what the
codes mean (1-甲类 2-乙类 3-丙类); 费用总计 and 其中丙类 under the last row; the page number as - 1 -.

`adf_upside_down_hand_total`: a ward's 病区费用清单 printed at the nurses' station (no cashier's seal, no
printed total: the station's print stops after the last row) on which the 医保 desk's clerk added the sum
by hand (合计 and the amount in ballpoint, underlined twice, with a tick and the clerk's initials), then fed
through the copier's document feeder upside down, so every page reaches the office turned 180°; the
feeder's dirty glass leaves a thin grey streak down each page. The print: 床号 / 姓名 / 住院号 on one line,
费用起止 as 2025/06/03-2025/06/15, the columns 序号, 项目, 类别, 单价×数量 (the unit price and the quantity
in ONE cell, 35.00×3), 金额, the rows ruled by dotted lines."""

from __future__ import annotations

import random
import zlib
from decimal import Decimal

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import PrintedLine
from synth.documents import Rendered, _money, expense_list_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import ChargeLine, make_name

DRUGS = ("西药费", "中成药费")


def grade_code(line: ChargeLine) -> str:
    """The item's 医保 grade as the list codes it (1 甲, 2 乙, 3 丙), drawn from its name (one item,
    one grade): drugs 1 or 2, materials 2 or 3, services mostly 1, some 2."""
    pick = zlib.crc32(("code-" + line.name).encode("utf-8")) % 10
    if line.category in DRUGS:
        return "1" if pick < 6 else "2"
    if line.category == "卫生材料费":
        return "2" if pick < 5 else "3"
    return "1" if pick < 8 else "2"


# ---------------------------------------------------------------------------------------------
# Printed on both sides of thin paper


def _show_through(front: Image.Image, back: Image.Image, rng: random.Random) -> Image.Image:
    """The front with the back's print seen through the paper: mirrored, soft, faint, off register."""
    ink: np.ndarray = 255.0 - np.asarray(back.convert("L"), np.float32)
    ink = np.ascontiguousarray(ink[:, ::-1])
    h, w = ink.shape
    shift = np.array([[1, 0, rng.uniform(-0.012, 0.012) * w], [0, 1, rng.uniform(-0.008, 0.008) * h]], np.float32)
    ink = cv2.warpAffine(ink, shift, (w, h))
    ink = cv2.GaussianBlur(ink, (0, 0), max(1.0, w / 900))
    strength = rng.uniform(0.12, 0.2)
    base = np.asarray(front).astype(np.float32)
    out = base * (1 - strength * ink[..., None] / 255)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def draw_duplex_show_through(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The two sides; the truth is the list's (the codes are not in it: the grade is no truth field)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    title = "住院病人费用清单"
    left, right = 14.0, 196.0
    edges = [left, left + 12, left + 70, left + 96, left + 112, left + 134, left + 150, right]
    heads = ("行号", "收费项目", "费用类别", "类别码", "单价", "数量", "金额")
    anchors = ("m", "l", "l", "m", "r", "r", "r")
    first = (len(stay.lines) + 1) // 2
    chunks = [stay.lines[:first], stay.lines[first:]]
    pages = [FacedPage(210, 297, dpi=look.dpi, paper=(250, 250, 247), face=look.font) for _ in chunks]
    row_h, size = 7.2, 9.0
    n = 0
    for p, (s, chunk) in enumerate(zip(pages, chunks, strict=True)):
        s.text(105, 15, stay.hospital, 13.5, font_name="serif_bold", anchor="m")
        s.text(105, 23.5, title, 13, font_name="sans_bold", anchor="m")
        top = 29.0
        s.rect(left, top, right, top + 14, width=0.35)
        s.text(left + 3, top + 4, f"病人姓名：{person.name}", 9)
        s.text(left + 60, top + 4, f"住院号：{stay.inpatient_number}", 9)
        s.text(left + 120, top + 4, f"科室：{stay.department}", 9)
        s.text(left + 3, top + 10, f"入院时间：{date_text(stay.admission, 'iso')}", 9)
        s.text(left + 60, top + 10, f"出院时间：{date_text(stay.discharge, 'iso')}", 9)
        s.text(left + 120, top + 10, f"结算类别：{stay.insurance_type}", 9)
        y = top + 20
        s.line(left, y - 3.6, right, y - 3.6, width=0.4)
        for k, head in enumerate(heads):
            x0, x1 = edges[k], edges[k + 1]
            hx = {"l": x0 + 1, "m": (x0 + x1) / 2, "r": x1 - 1}[anchors[k]]
            s.text(hx, y, head, 9, anchor=anchors[k], font_name="sans_bold")
        s.line(left, y + 3.6, right, y + 3.6, width=0.3)
        y += row_h
        for line in chunk:
            n += 1
            values = (
                str(n),
                line.name,
                line.category,
                grade_code(line),
                _money(line.unit_price),
                str(line.quantity),
                _money(line.amount),
            )
            for k, text in enumerate(values):
                x0, x1 = edges[k], edges[k + 1]
                hx = {"l": x0 + 1, "m": (x0 + x1) / 2, "r": x1 - 1}[anchors[k]]
                s.text(hx, y, text, size, anchor=anchors[k])
            y += row_h
        s.line(left, y - 3.2, right, y - 3.2, width=0.3)
        if p == 1:
            third = sum((ln.amount for ln in stay.lines if grade_code(ln) == "3"), Decimal("0.00"))
            y += 4
            s.text(left, y, f"费用总计：{fields['total_amount']}", 10.5, font_name="sans_bold")
            s.text(left + 70, y, f"其中丙类：{_money(third)}", 9.5)
            y += 8
            s.text(left, y, f"打印人：{make_name(rng)}", 9)
            s.text(left + 70, y, f"打印日期：{date_text(stay.discharge, 'iso')}", 9)
            s.text(left, 270, "注：类别码  1-甲类（全额纳入）  2-乙类（先行自付部分）  3-丙类（自费）", 8.5)
        s.text(105, 285, f"- {p + 1} -", 9, anchor="m")
    front, back = pages[0].img, pages[1].img
    pages[0].img = _show_through(front, back, rng)
    pages[1].img = _show_through(back, front, rng)
    for s in pages:
        s.draw = ImageDraw.Draw(s.img)
    return Rendered("expense_list", None, list(pages), fields, False, title)


# ---------------------------------------------------------------------------------------------
# A nurses' station print, summed by hand, fed upside down

PEN = (28, 36, 70)


def _streak(s: FacedPage, rng: random.Random) -> None:
    """The feeder's dirty glass: a thin grey line down the whole page at one place."""
    arr = np.asarray(s.img).astype(np.float32)
    w = arr.shape[1]
    x = round(rng.uniform(0.15, 0.85) * w)
    width = max(1, round(w / 1400))
    arr[:, x : x + width] *= rng.uniform(0.6, 0.8)
    s.img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    s.draw = ImageDraw.Draw(s.img)


def _dotted(s: FacedPage, x0: float, x1: float, y: float) -> None:
    x = x0
    while x < x1:
        s.line(x, y, min(x + 0.5, x1), y, width=0.15, color=(110, 110, 110))
        x += 1.4


def draw_adf_upside_down_hand_total(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The station's list with its total written by hand; the truth's total is the written one."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    title = "病区费用清单"
    left, right = 16.0, 194.0
    edges = [left, left + 12, left + 76, left + 104, left + 146, right]
    heads = ("序号", "项目", "类别", "单价×数量", "金额")
    anchors = ("m", "l", "l", "r", "r")
    per_page = 26
    chunks = [stay.lines[i : i + per_page] for i in range(0, len(stay.lines), per_page)]
    pages = [FacedPage(210, 297, dpi=look.dpi, paper=(252, 252, 250), face=look.font) for _ in chunks]
    row_h, size = 7.4, 9.5
    n = 0
    y = 0.0
    for s, chunk in zip(pages, chunks, strict=True):
        s.text(105, 16, f"{stay.hospital}{stay.department}", 12.5, font_name="sans_bold", anchor="m")
        s.text(105, 24, title, 12.5, font_name="sans_bold", anchor="m")
        s.text(left, 33, f"床号：{stay.bed}", 9.5)
        s.text(left + 30, 33, f"姓名：{person.name}", 9.5)
        s.text(left + 75, 33, f"住院号：{stay.inpatient_number}", 9.5)
        span = f"{date_text(stay.admission, 'slash')}-{date_text(stay.discharge, 'slash')}"
        s.text(left, 39.5, f"费用起止：{span}", 9.5)
        y = 48.0
        s.line(left, y - 3.7, right, y - 3.7, width=0.35)
        for k, head in enumerate(heads):
            x0, x1 = edges[k], edges[k + 1]
            hx = {"l": x0 + 1, "m": (x0 + x1) / 2, "r": x1 - 1}[anchors[k]]
            s.text(hx, y, head, 9.5, anchor=anchors[k], font_name="sans_bold")
        s.line(left, y + 3.7, right, y + 3.7, width=0.35)
        y += row_h
        for line in chunk:
            n += 1
            values = (
                str(n),
                line.name,
                line.category,
                f"{_money(line.unit_price)}×{line.quantity}",
                _money(line.amount),
            )
            for k, text in enumerate(values):
                x0, x1 = edges[k], edges[k + 1]
                hx = {"l": x0 + 1, "m": (x0 + x1) / 2, "r": x1 - 1}[anchors[k]]
                s.text(hx, y, text, size, anchor=anchors[k])
            _dotted(s, left, right, y + 3.7)
            y += row_h
    # The clerk's sum in ballpoint under the last row: 合计 and the amount, underlined twice, a tick.
    last = pages[-1]
    hy = y + rng.uniform(5, 9)
    hx = rng.uniform(110, 130)
    total = fields["total_amount"]
    dx, dy = rng.uniform(-0.4, 0.6), rng.uniform(-0.6, 0.4)
    w1 = last.text(hx + dx, hy + dy, "合计：", 13, font_name="kai", color=PEN, record=False)
    w2 = last.text(hx + dx + w1, hy + dy + rng.uniform(-0.4, 0.4), total, 14, font_name="kai", color=PEN, record=False)
    last.lines.append(PrintedLine(f"合计：{total}", (hx + dx, hy + dy - 2.6, hx + dx + w1 + w2, hy + dy + 2.6)))
    for k in (0, 1):
        ly = hy + 3.8 + k * 1.3
        last.line(
            hx + w1 - 1,
            ly + rng.uniform(-0.3, 0.3),
            hx + w1 + w2 + 2,
            ly + rng.uniform(-0.3, 0.3),
            width=0.35,
            color=PEN,
        )
    tx = hx + w1 + w2 + 6
    last.line(tx, hy, tx + 1.6, hy + 2.2, width=0.45, color=PEN)
    last.line(tx + 1.6, hy + 2.2, tx + 5, hy - 3, width=0.45, color=PEN)
    last.text(tx + 7, hy + 1, make_name(rng)[0], 11, font_name="kai", color=PEN, record=False)
    for s in pages:
        _streak(s, rng)
    return Rendered("expense_list", None, list(pages), fields, False, title)


FAMILIES = [
    Family(
        "duplex_show_through",
        "expense_list",
        "双面打印在 60 克薄纸上的两页住院病人费用清单，逐面扫描：每面都透出背面的印迹（镜像、淡、发虚、略错位）；"
        "院名与标题，方框内“标签：值”信息（病人姓名、住院号、科室、ISO 入院/出院时间、结算类别），列为行号、收费项目、"
        "费用类别、类别码、单价、数量、金额，医保等级为代码 1/2/3，第二面页脚注明代码含义（1-甲类 2-乙类 3-丙类）；"
        "末行下费用总计与其中丙类，页码“- 1 -”",
        draw_duplex_show_through,
        ("sans", "ming", "microhei"),
        (150, 300),
        ("scan", "scanned_grey"),
    ),
    Family(
        "adf_upside_down_hand_total",
        "expense_list",
        "护士站打印的病区费用清单（无收费章、无打印合计，末行即止），医保窗口经办人用圆珠笔手写“合计：金额”并划两道"
        "下划线、打勾、签姓；随后倒着放进复印机输稿器扫描，每页都转了 180°，输稿器脏玻璃在每页留一道细灰竖线；床号/"
        "姓名/住院号一行，费用起止“2025/06/03-2025/06/15”，列为序号、项目、类别、单价×数量（单价与数量同一格，"
        "35.00×3）、金额，行间点线",
        draw_adf_upside_down_hand_total,
        ("sans", "hei", "serif"),
        (150, 300),
        ("rotated180",),
    ),
]
