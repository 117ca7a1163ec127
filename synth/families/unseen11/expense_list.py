"""Unseen 费用清单 families (the eleventh blind set, stop 44).

`two_row_merged_header`: a report tool's 住院费用明细表 in a full grid whose column heads take two rows
with merged cells: 序号 spanning both rows, then 收费项目 over 项目编码 | 项目名称 | 费用类别, 计费信息 over
单位 | 数量 | 单价 | 金额, and 医保信息 over 等级 | 自付比例; quantities printed with two decimals (3.00), the
自付比例 as a percentage; the particulars in a ruled grid of key：value cells (姓名, 住院号, 科室, 床号;
入院日期, 出院日期 as 2025-06-03, 结算类型); at most 22 rows a page, both head rows again on the next, a
本页小计 under each page's rows, the 总计金额 and the hospital's 收费专用章 on the last, 第1页/共2页 at the
foot.

`highlighter_marked_rows`: a 患者费用清单 on which someone (the patient checking what was charged, or a
clerk marking the items to ask about) drew a highlighter over some rows (yellow, pink or green; the ink
laid over the print in a band a little wider than the row, its ends ragged, slightly aslant, darker where
two strokes overlap) and put a red ballpoint tick before each marked amount; then scanned or photographed. The list:
the hospital and title, 患者 / 住院号 / 病区 on one line, the stay as 计费区间：2025.06.03～2025.06.15, rows
without vertical rules (项目名称 | 规格 | 单位 | 数量 | 单价 | 金额 | 类别, the class last), a thin rule
every five rows, 总金额 and the printing clerk at the end, no seal."""

from __future__ import annotations

import math
import random
import zlib

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import Rendered, _money, expense_list_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import ChargeLine, make_name

# ---------------------------------------------------------------------------------------------
# A grid whose heads take two rows with merged cells

ROWS_PER_PAGE = 22
# Grade and the share the patient pays, by class (a 西药 or 材料 line may be 乙类).
GRADES = {"西药费": ("乙", "10%"), "卫生材料费": ("乙", "20%"), "中成药费": ("乙", "10%")}


def _code(line: ChargeLine) -> str:
    """A local charge code, fixed per item name."""
    return f"{zlib.crc32(line.name.encode('utf-8')) % 900000000 + 100000000}"


def _grade(line: ChargeLine) -> tuple[str, str]:
    return GRADES.get(line.category, ("甲", "0%"))


def draw_two_row_merged_header(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The grid on one or two pages; its truth is the list's."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    title = "住院费用明细表"
    chunks = [stay.lines[i : i + ROWS_PER_PAGE] for i in range(0, len(stay.lines), ROWS_PER_PAGE)]
    pages = [FacedPage(210, 297, dpi=look.dpi, paper=(253, 253, 251), face=look.font) for _ in chunks]
    left = 11.0
    widths = (9, 21, 44, 18, 10, 14, 17, 19, 11, 14)
    edges = [left]
    for wd in widths:
        edges.append(edges[-1] + wd)
    right = edges[-1]
    groups = ((1, 4, "收费项目"), (4, 8, "计费信息"), (8, 10, "医保信息"))
    subs = ("项目编码", "项目名称", "费用类别", "单位", "数量", "单价", "金额", "等级", "自付比例")
    anchors = ("m", "l", "l", "l", "m", "r", "r", "r", "m", "m")
    size, row_h = 8.5, 7.6
    n = 0
    for p, (s, chunk) in enumerate(zip(pages, chunks, strict=True)):
        s.text(105, 15, stay.hospital, 14, font_name="serif_bold", anchor="m")
        s.text(105, 24, title, 13, font_name="sans_bold", anchor="m")
        cells = (
            (
                ("姓名", person.name),
                ("住院号", stay.inpatient_number),
                ("科室", stay.department),
                ("床号", stay.bed),
            ),
            (
                ("入院日期", date_text(stay.admission, "iso")),
                ("出院日期", date_text(stay.discharge, "iso")),
                ("结算类型", stay.insurance_type[:2] + "医保"),
            ),
        )
        top = 30.0
        for r, row in enumerate(cells):
            y0 = top + r * 7.5
            s.rect(left, y0, right, y0 + 7.5, width=0.3)
            cw = (right - left) / 4
            for k, (label, value) in enumerate(row):
                x0 = left + k * cw
                if k:
                    s.line(x0, y0, x0, y0 + 7.5, width=0.3)
                s.text(x0 + 1.5, y0 + 3.75, f"{label}：{value}", 8.5)
        head = top + 2 * 7.5 + 4
        # Two head rows: the group titles over their columns, 序号 through both.
        s.rect(left, head, right, head + 12, width=0.35, fill=(236, 238, 242))
        s.line(edges[1], head, edges[1], head + 12, width=0.3)
        s.text((edges[0] + edges[1]) / 2, head + 6, "序号", 8.5, font_name="sans_bold", anchor="m")
        s.line(edges[1], head + 6, right, head + 6, width=0.25)
        for a, b, name in groups:
            if a > 1:
                s.line(edges[a], head, edges[a], head + 12, width=0.3)
            s.text((edges[a] + edges[b]) / 2, head + 3, name, 8.5, font_name="sans_bold", anchor="m")
        for k, sub in enumerate(subs, 1):
            if k not in (1, 4, 8):
                s.line(edges[k], head + 6, edges[k], head + 12, width=0.25)
            s.text((edges[k] + edges[k + 1]) / 2, head + 9, sub, 7.5, font_name="sans_bold", anchor="m")
        y = head + 12
        page_sum = 0
        for line in chunk:
            n += 1
            grade, ratio = _grade(line)
            values = (
                str(n),
                _code(line),
                line.name,
                line.category,
                line.unit,
                f"{line.quantity}.00",
                _money(line.unit_price),
                _money(line.amount),
                grade,
                ratio,
            )
            s.rect(left, y, right, y + row_h, width=0.2)
            for k, (value, anchor) in enumerate(zip(values, anchors, strict=True)):
                x0, x1 = edges[k], edges[k + 1]
                if k:
                    s.line(x0, y, x0, y + row_h, width=0.2)
                x = {"l": x0 + 1.2, "m": (x0 + x1) / 2, "r": x1 - 1.2}[anchor]
                s.text(x, y + row_h / 2, value, size, anchor=anchor)
            page_sum += int(line.amount * 100)
            y += row_h
        s.rect(left, y, right, y + row_h, width=0.3)
        s.text(left + 3, y + row_h / 2, "本页小计", size, font_name="sans_bold")
        s.text(edges[8] - 1.2, y + row_h / 2, f"{page_sum // 100}.{page_sum % 100:02d}", size, anchor="r")
        y += row_h
        if p == len(pages) - 1:
            y += 7
            s.text(left, y, f"总计金额：{fields['total_amount']}", 10.5, font_name="sans_bold")
            s.text(left + 95, y, f"制表人：{make_name(rng)}", 9)
            y += 7
            s.text(left, y, f"打印日期：{date_text(stay.discharge, 'iso')}", 9)
            s.stamp(seal_image(rng, stay.hospital, "收费专用章"), 150, y + 6, 36)
        s.text(105, 287, f"第{p + 1}页/共{len(pages)}页", 8.5, anchor="m")
    return Rendered("expense_list", None, list(pages), fields, True, title)


# ---------------------------------------------------------------------------------------------
# Rows marked with a highlighter

HIGHLIGHTERS = ((255, 236, 40), (255, 140, 200), (140, 245, 120))
PEN_RED = (200, 36, 40)
ROWS_A_PAGE = 28
SPECS = {
    "支": ("1g", "0.5g", "2ml", "5ml"),
    "袋": ("250ml", "100ml", "500ml"),
    "盒": ("20mg*14粒", "0.25g*24粒", "10mg*7片"),
    "套": ("成人", "一次性"),
}


def _spec(line: ChargeLine) -> str:
    options = SPECS.get(line.unit)
    if not options:
        return ""
    return options[zlib.crc32(line.name.encode("utf-8")) % len(options)]


def _marker(shape: tuple[int, int], x0: float, x1: float, y: float, height: float, rng: random.Random) -> np.ndarray:
    """One highlighter stroke (0..1) along a row, pixels: a band a little aslant with ragged ends and a
    slightly wavy edge."""
    h, w = shape
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    tilt = math.tan(math.radians(rng.uniform(-0.6, 0.6)))
    steps = 40
    top, bottom = [], []
    for k in range(steps + 1):
        x = x0 + (x1 - x0) * k / steps
        yc = y + (x - x0) * tilt
        wob = rng.uniform(-0.06, 0.06) * height
        top.append((x, yc - height / 2 + wob))
        bottom.append((x, yc + height / 2 + wob))
    d.polygon(top + bottom[::-1], fill=255)
    # Ragged ends: the felt tip starts and lifts unevenly.
    for xe in (x0, x1):
        d.ellipse([xe - height * 0.35, y - height / 2, xe + height * 0.35, y + height / 2], fill=200)
    arr = np.asarray(mask, np.float32) / 255
    return np.asarray(cv2.GaussianBlur(arr, (0, 0), max(1.0, height * 0.04)), np.float32)


def _tick(d: ImageDraw.ImageDraw, x: float, y: float, px: float, rng: random.Random) -> None:
    """A small red ballpoint √ at (x, y) pixels."""
    size = rng.uniform(2.6, 3.4) * px
    width = max(1, round(0.35 * px))
    d.line([(x, y), (x + size * 0.35, y + size * 0.45)], fill=PEN_RED, width=width)
    d.line([(x + size * 0.35, y + size * 0.45), (x + size, y - size * 0.7)], fill=PEN_RED, width=width)


def draw_highlighter_marked_rows(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The marked list; its truth is the list's (the marks add nothing to it)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    title = "患者费用清单"
    chunks = [stay.lines[i : i + ROWS_A_PAGE] for i in range(0, len(stay.lines), ROWS_A_PAGE)]
    pages = [FacedPage(210, 297, dpi=look.dpi, paper=(252, 252, 249), face=look.font) for _ in chunks]
    left, right = 14.0, 196.0
    cols = (
        (left, "项目名称", "l"),
        (82, "规格", "l"),
        (108, "单位", "l"),
        (128, "数量", "r"),
        (150, "单价", "r"),
        (172, "金额", "r"),
        (176, "类别", "l"),
    )
    colour = rng.choice(HIGHLIGHTERS)
    size, row_h = 9.0, 7.2
    adm, dis = stay.admission, stay.discharge
    for p, (s, chunk) in enumerate(zip(pages, chunks, strict=True)):
        s.text(105, 15, stay.hospital, 13.5, font_name="serif_bold", anchor="m")
        s.text(105, 23.5, title, 12.5, font_name="sans_bold", anchor="m")
        s.text(left, 32, f"患者：{person.name}", 9.5)
        s.text(left + 48, 32, f"住院号：{stay.inpatient_number}", 9.5)
        s.text(left + 100, 32, f"病区：{stay.department}", 9.5)
        s.text(left, 38.5, f"计费区间：{date_text(adm, 'dot')}～{date_text(dis, 'dot')}", 9.5)
        s.text(left + 100, 38.5, f"页码：{p + 1}/{len(pages)}", 9.5)
        y = 46.0
        s.line(left, y - 3.6, right, y - 3.6, width=0.4)
        for x, head, anchor in cols:
            s.text(x, y, head, 9, font_name="sans_bold", anchor=anchor)
        s.line(left, y + 3.6, right, y + 3.6, width=0.3)
        y += 3.6 + row_h / 2
        marks: list[tuple[float, float]] = []
        for i, line in enumerate(chunk, 1):
            values = (
                line.name,
                _spec(line),
                line.unit,
                str(line.quantity),
                _money(line.unit_price),
                _money(line.amount),
                line.category,
            )
            for (x, _, anchor), value in zip(cols, values, strict=True):
                if value:
                    s.text(x, y, value, size, anchor=anchor)
            if rng.random() < 0.3:
                marks.append((y, rng.uniform(0.1, 0.4)))
            if i % 5 == 0:
                s.line(left, y + row_h / 2, right, y + row_h / 2, width=0.12, color=(150, 150, 150))
            y += row_h
        s.line(left, y - row_h / 2 + 0.2, right, y - row_h / 2 + 0.2, width=0.35)
        if p == len(pages) - 1:
            y += 3
            s.text(cols[5][0], y, f"总金额：{fields['total_amount']}", 10, font_name="sans_bold", anchor="r")
            y += 8
            s.text(left, y, f"打印员：{make_name(rng)}", 9)
            s.text(left + 60, y, f"打印时间：{date_text(stay.discharge, 'dot')}", 9)
        # The marks, over the print: highlighter multiplied in, the ticks in red pen.
        arr = np.asarray(s.img).astype(np.float32)
        pxm = s.img.width / 210
        ink: np.ndarray = np.zeros(arr.shape[:2], np.float32)
        for my, _ in marks:
            start = left - rng.uniform(0, 3)
            end = right - rng.uniform(0, 6)
            stroke = _marker(arr.shape[:2], start * pxm, end * pxm, my * pxm, row_h * 0.9 * pxm, rng)
            ink = ink + stroke * rng.uniform(0.75, 1.0)
        ink = np.clip(ink, 0, 1.6)
        tone = 1 - (1 - np.array(colour, np.float32) / 255)[None, None, :] * (0.7 * ink[..., None])
        s.img = Image.fromarray(np.clip(arr * tone, 0, 255).astype(np.uint8))
        s.draw = ImageDraw.Draw(s.img)
        for my, _ in marks:
            _tick(s.draw, (cols[4][0] + 1.5) * pxm, (my + 0.6) * pxm, pxm, rng)
    return Rendered("expense_list", None, list(pages), fields, False, title)


FAMILIES = [
    Family(
        "two_row_merged_header",
        "expense_list",
        "报表工具打印的全格线住院费用明细表，列标题占两行并有合并单元格：“序号”跨两行，“收费项目”下分项目编码|项目名称|"
        "费用类别，“计费信息”下分单位|数量|单价|金额，“医保信息”下分等级|自付比例；数量两位小数（3.00），自付比例为百分数；"
        "表头为“键：值”格线表（姓名、住院号、科室、床号；入院日期、出院日期“2025-06-03”、结算类型）；每页至多 22 行，"
        "次页重复两行列标题，每页末“本页小计”，末页总计金额与收费专用章，页脚“第1页/共2页”",
        draw_two_row_merged_header,
        ("sans", "hei", "ming"),
        (170, 300),
        ("scan", "photo"),
    ),
    Family(
        "highlighter_marked_rows",
        "expense_list",
        "有人（核对费用的患者或要询问的经办人）用荧光笔在部分行上划过（黄、粉或绿；色带略宽于行、两端参差、略斜，两笔重叠处"
        "更深），并用红色圆珠笔在所划行的金额旁打勾，再扫描或拍照的患者费用清单：院名与标题，患者/住院号/病区一行，计费区间"
        "“2025.06.03～2025.06.15”，无竖线的明细（项目名称|规格|单位|数量|单价|金额|类别，类别在最后），每五行一条细线，"
        "末尾总金额与打印员，无章",
        draw_highlighter_marked_rows,
        ("sans", "microhei", "serif"),
        (160, 280),
        ("scan", "photo"),
    ),
]
