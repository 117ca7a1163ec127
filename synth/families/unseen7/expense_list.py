"""Unseen 费用清单 families (the seventh blind set, stop 40).

`excel_grid_pages`: a 住院费用明细表 kept in a spreadsheet and printed from it: the sheet's grey gridlines
print on every cell, the title a merged row over the table, the particulars in cells of their own (label
cell, value cell, no colons: 姓名, 住院号, 科室, 入院日期 and 出院日期 as the spreadsheet shows dates,
2025/6/3, 医保类型), the column heads on a tinted row repeated at the top of every page (序号, 记账日期,
项目名称, 类别, 单位, 数量, 单价, 金额), the rows tall as the sheet was set, a 合计 row under the last item,
the sheet's name in the page header and 第 1 页，共 2 页 in its footer; the cashier's seal on the last page.

`refund_coded_rows`: a HIS 住院病人费用明细清单 that keeps its refunds: a charge given back (a drug or
material returned, a test not done) is a row of its own further down, with the quantity and amount
negative (-2, -25.00) and 退费 in the 备注 column, while the row it refunds keeps the quantity first
charged; the first column is the national 医保编码 (20 to 23 characters, wrapped onto two lines in its
narrow column), then 项目名称, 规格 (1g, 20mg*14粒), 单位, 数量, 单价, 金额, 类别; particulars as
label：value lines with ISO dates; the column heads again on a second page; at the end 费用合计 and
其中退费, the printing clerk and time, and the hospital's seal."""

from __future__ import annotations

import datetime as dt
import random
import string
from decimal import Decimal

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import Rendered, _money, expense_list_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import ChargeLine, Stay, make_name

GRID = (185, 185, 185)  # a spreadsheet's printed gridlines
HEAD_TINT = (221, 230, 244)


def _posting_days(rng: random.Random, stay: Stay) -> list[tuple[dt.date, ChargeLine]]:
    """Each charge with the day it was posted (a day rate on the day of discharge), in posting order."""
    posted = []
    for line in stay.lines:
        offset = stay.days if line.unit == "日" else rng.randint(0, stay.days - 1)
        posted.append((stay.admission + dt.timedelta(days=offset), line))
    return sorted(posted, key=lambda p: p[0])


def _sheet_date(day: dt.date) -> str:
    """A date as a spreadsheet shows it by default: 2025/6/3."""
    return f"{day.year}/{day.month}/{day.day}"


def draw_excel_grid_pages(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The printed sheet; the truth lists the items in posting order."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    posted = _posting_days(rng, stay)
    fields = expense_list_fields(person, stay, [line for _, line in posted])
    left = 20.0
    widths = (10.0, 22.0, 48.0, 22.0, 12.0, 14.0, 20.0, 22.0)
    edges = [left]
    for width in widths:
        edges.append(edges[-1] + width)
    right = edges[-1]
    heads = ("序号", "记账日期", "项目名称", "类别", "单位", "数量", "单价", "金额")
    anchors = ("m", "m", "l", "m", "m", "r", "r", "r")
    row_h, size = 9.0, 9.5
    first_top, later_top, bottom_limit = 56.0, 20.0, 268.0
    per_first = int((bottom_limit - first_top - row_h) // row_h) - 1  # a row kept for 合计
    per_later = int((bottom_limit - later_top - row_h) // row_h) - 1
    chunks = [posted[:per_first]]
    rest = posted[per_first:]
    while rest:
        chunks.append(rest[:per_later])
        rest = rest[per_later:]
    title = "住院费用明细表"
    pages = [FacedPage(210, 297, dpi=look.dpi, paper=(255, 255, 255), face=look.font) for _ in chunks]

    def cell_text(s: FacedPage, k: int, y: float, text: str, bold: bool = False) -> None:
        x0, x1 = edges[k], edges[k + 1]
        x = {"l": x0 + 1.5, "m": (x0 + x1) / 2, "r": x1 - 1.5}[anchors[k]]
        s.text(x, y, text, size, anchor=anchors[k], font_name="sans_bold" if bold else "sans")

    def grid_row(s: FacedPage, top: float, cuts: list[float], fill: tuple[int, int, int] | None = None) -> None:
        s.rect(cuts[0], top, cuts[-1], top + row_h, width=0.15, color=GRID, fill=fill)
        for x in cuts[1:-1]:
            s.line(x, top, x, top + row_h, width=0.15, color=GRID)

    seq = 0
    for p, (s, chunk) in enumerate(zip(pages, chunks, strict=True)):
        s.text(105, 9, "费用明细", 8, anchor="m", color=(90, 90, 90))
        top = later_top
        if p == 0:
            grid_row(s, 20.0, [left, right])
            s.text(105, 20.0 + row_h / 2, f"{stay.hospital}{title}", 14, font_name="sans_bold", anchor="m")
            cuts = [left, left + 20, left + 56, left + 76, left + 116, left + 136, right]
            for r, row in enumerate(
                (
                    ("姓名", person.name, "住院号", stay.inpatient_number, "科室", stay.department),
                    (
                        "入院日期",
                        _sheet_date(stay.admission),
                        "出院日期",
                        _sheet_date(stay.discharge),
                        "医保类型",
                        stay.insurance_type,
                    ),
                )
            ):
                y0 = 20.0 + row_h * (r + 1)
                grid_row(s, y0, cuts)
                for k, text in enumerate(row):
                    s.text(cuts[k] + 1.5, y0 + row_h / 2, text, 9 if k == 5 else size)
            top = first_top
        grid_row(s, top, edges, HEAD_TINT)
        for k, head in enumerate(heads):
            x0, x1 = edges[k], edges[k + 1]
            s.text((x0 + x1) / 2, top + row_h / 2, head, size, anchor="m", font_name="sans_bold")
        y = top + row_h
        for day, line in chunk:
            seq += 1
            grid_row(s, y, edges)
            values = (
                str(seq),
                _sheet_date(day),
                line.name,
                line.category,
                line.unit,
                str(line.quantity),
                _money(line.unit_price),
                _money(line.amount),
            )
            for k, text in enumerate(values):
                cell_text(s, k, y + row_h / 2, text)
            y += row_h
        if p == len(pages) - 1:
            grid_row(s, y, edges)
            cell_text(s, 2, y + row_h / 2, "合计", bold=True)
            cell_text(s, 7, y + row_h / 2, fields["total_amount"], bold=True)
            y += row_h + 8
            s.text(left, y, f"制表：{make_name(rng)}", size)
            s.text(left + 60, y, f"打印日期：{_sheet_date(stay.discharge)}", size)
            s.stamp(seal_image(rng, stay.hospital, "住院收费专用章"), 160, min(y, 276), 30)
        s.text(105, 287, f"第 {p + 1} 页，共 {len(pages)} 页", 8.5, anchor="m")
    return Rendered("expense_list", None, list(pages), fields, True, title)


# ---------------------------------------------------------------------------------------------
# A HIS list that keeps its refunds, with the national codes

SPECS = {
    "头孢曲松钠注射液": "1g",
    "氯化钠注射液": "0.9%:250ml",
    "奥美拉唑肠溶胶囊": "20mg*14粒",
    "阿托伐他汀钙片": "20mg*7片",
    "连花清瘟胶囊": "0.35g*24粒",
    "一次性输液器": "0.55mm",
    "医用留置针": "22G",
}
DRUG_CLASSES = ("西药费", "中成药费")


def national_code(name: str, category: str) -> str:
    """The item's national 医保编码, drawn from its name (the same item always has the same code): a
    western drug X + ATC-like letters and digits (23 characters), a patent drug Z… (20), a material C + 19
    digits (20), a service its 15-digit code with the local sub-item after a hyphen (21)."""
    rng = random.Random(f"code-{name}")

    def digits(n: int) -> str:
        return "".join(rng.choice(string.digits) for _ in range(n))

    def letters(n: int) -> str:
        return "".join(rng.choice("ABCDEFGHJKLMN") for _ in range(n))

    if category == "西药费":
        return f"X{letters(1)}{digits(2)}{letters(3)}{digits(3)}A{digits(12)}"
    if category == "中成药费":
        return f"Z{letters(1)}{digits(2)}{letters(3)}{digits(4)}{digits(9)}"
    if category == "卫生材料费":
        return f"C{digits(19)}"
    return f"00{digits(13)}-{digits(5)}"


def _with_refunds(rng: random.Random, stay: Stay) -> tuple[list[ChargeLine], Decimal]:
    """The rows as the HIS keeps them: one or two charges (not a day rate) made for more than was used
    and the surplus given back in a row of its own further down (negative quantity and amount), so the rows
    still add up to the stay's total; returns the rows and the refunded sum (negative)."""
    returnable = [k for k, line in enumerate(stay.lines) if line.unit != "日"]
    chosen = set(rng.sample(returnable, min(len(returnable), rng.randint(1, 2))))
    rows: list[ChargeLine] = []
    refunds: list[tuple[int, ChargeLine]] = []
    for k, line in enumerate(stay.lines):
        if k in chosen:
            back = rng.randint(1, 3)
            rows.append(ChargeLine(line.name, line.category, line.unit, line.quantity + back, line.unit_price))
            refund = ChargeLine(line.name, line.category, line.unit, -back, line.unit_price)
            refunds.append((rng.randint(k + 1, len(stay.lines)), refund))
        else:
            rows.append(line)
    # Each refund goes in before the row it was drawn to precede (the last position first, so that no
    # insertion moves a position still to come).
    for at, refund in sorted(refunds, key=lambda r: r[0], reverse=True):
        rows.insert(at, refund)
    return rows, sum((r.amount for _, r in refunds), Decimal("0.00"))


def draw_refund_coded_rows(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The HIS list; the truth lists every row printed, refunds included, and the stay's total."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    rows, refunded = _with_refunds(rng, stay)
    fields = expense_list_fields(person, stay, rows)
    assert sum((r.amount for r in rows), Decimal("0.00")) == stay.total
    left = 12.0
    widths = (27.0, 40.0, 22.0, 9.0, 12.0, 17.0, 18.0, 20.0, 21.0)
    edges = [left]
    for width in widths:
        edges.append(edges[-1] + width)
    right = edges[-1]
    heads = ("医保编码", "项目名称", "规格", "单位", "数量", "单价", "金额", "类别", "备注")
    anchors = ("l", "l", "l", "m", "r", "r", "r", "m", "m")
    row_h, size = 8.4, 8.0
    head_top, first_top, bottom_limit = 49.0, 49.0, 270.0
    per_page = int((bottom_limit - first_top - 7) // row_h)
    chunks = [rows[i : i + per_page] for i in range(0, len(rows), per_page)]
    if len(chunks) > 1 and len(chunks[-1]) * row_h > bottom_limit - first_top - 7 - 30:
        chunks.append([])  # the totals need room of their own
    title = "住院病人费用明细清单"
    pages = [FacedPage(210, 297, dpi=look.dpi, paper=(252, 252, 250), face=look.font) for _ in chunks]
    printed_at = f"{date_text(stay.discharge, 'iso')} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
    for p, (s, chunk) in enumerate(zip(pages, chunks, strict=True)):
        s.text(105, 13, stay.hospital, 13, font_name="serif_bold", anchor="m")
        s.text(105, 21, title, 12, font_name="sans_bold", anchor="m")
        if p == 0:
            for hx, hy, text in (
                (left, 30, f"患者姓名：{person.name}"),
                (left + 52, 30, f"住院号：{stay.inpatient_number}"),
                (left + 104, 30, f"科室：{stay.department}"),
                (left + 150, 30, f"床号：{stay.bed}"),
                (left, 36, f"入院日期：{date_text(stay.admission, 'iso')}"),
                (left + 52, 36, f"出院日期：{date_text(stay.discharge, 'iso')}"),
                (left + 104, 36, f"费别：{stay.insurance_type}"),
            ):
                s.text(hx, hy, text, 8.5)
        else:
            s.text(left, 30, f"患者姓名：{person.name}    住院号：{stay.inpatient_number}（续）", 8.5)
        s.line(left, 41, right, 41, width=0.4)
        for k, head in enumerate(heads):
            x0, x1 = edges[k], edges[k + 1]
            x = {"l": x0 + 1, "m": (x0 + x1) / 2, "r": x1 - 1}[anchors[k]]
            s.text(x, 45, head, 8.5, anchor=anchors[k], font_name="sans_bold")
        s.line(left, head_top, right, head_top, width=0.25)
        y = first_top
        for row in chunk:
            code = national_code(row.name, row.category)
            s.text(edges[0] + 1, y + 2.5, code[:13], 7)
            s.text(edges[0] + 1, y + 5.7, code[13:], 7)
            mid = y + row_h / 2
            values = (
                row.name,
                SPECS.get(row.name, ""),
                row.unit,
                str(row.quantity),
                _money(row.unit_price),
                _money(row.amount),
                row.category,
                "退费" if row.quantity < 0 else "",
            )
            for k, text in enumerate(values, start=1):
                if not text:
                    continue
                x0, x1 = edges[k], edges[k + 1]
                x = {"l": x0 + 1, "m": (x0 + x1) / 2, "r": x1 - 1}[anchors[k]]
                s.text(x, mid, text, size, anchor=anchors[k])
            y += row_h
            s.line(left, y, right, y, width=0.1, color=(170, 170, 170))
        if p == len(pages) - 1:
            y += 7
            s.text(left, y, f"费用合计：{fields['total_amount']}", 10, font_name="sans_bold")
            s.text(left + 70, y, f"其中退费：{_money(refunded)}", 9.5)
            y += 8
            s.text(left, y, f"打印人：{make_name(rng)}", 9)
            s.text(left + 70, y, f"打印时间：{printed_at}", 9)
            s.stamp(seal_image(rng, stay.hospital, "住院收费专用章"), 165, y - 4, 30)
        s.text(105, 288, f"第{p + 1}页 共{len(pages)}页", 8, anchor="m")
    return Rendered("expense_list", None, list(pages), fields, True, title)


FAMILIES = [
    Family(
        "excel_grid_pages",
        "expense_list",
        "电子表格打印的住院费用明细表：灰色网格线印在每格，标题为合并单元格行，信息为标签格与数值格（无冒号：姓名、"
        "住院号、科室、表格默认格式入出院日期 2025/6/3、医保类型），浅蓝底表头行每页顶端重复（序号/记账日期/项目名称/"
        "类别/单位/数量/单价/金额），行高较大，末项下合计行，页眉工作表名，页脚“第 1 页，共 2 页”，末页收费章",
        draw_excel_grid_pages,
        ("sans", "hei", "microhei"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "refund_coded_rows",
        "expense_list",
        "保留退费记录的 HIS 住院病人费用明细清单：退药、退材料或未做检查的退费另起一行在后，"
        "数量与金额为负（-2、-25.00），备注列“退费”，原行保留最初计费数量；首列国家医保编码（20–23 位，"
        "窄列内折成两行），项目名称、规格（1g、20mg*14粒）、单位、数量、单价、金额、类别；标签：值表头 ISO 日期，"
        "第二页重复列头，末尾费用合计与其中退费、打印人与打印时间、收费章",
        draw_refund_coded_rows,
        ("sans", "ming", "microhei"),
        (200, 300),
        ("scan", "photo"),
    ),
]
