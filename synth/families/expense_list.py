"""费用清单 families: other hospitals' detail lists. Other column sets and orders (编码, 规格, 单位,
医保等级 / 甲乙类, 自付比例), header blocks, subtotals per fee class with the class as a heading
instead of a column, and tables running onto a second page with or without the header repeated."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import partial
from typing import Any

from synth.build import Context
from synth.canvas import Surface, seal_image
from synth.documents import Rendered, _money, expense_list_fields
from synth.families.common import FacedPage, Look, date_text, styled_family
from synth.people import ChargeLine, Stay

# Column key → (header wording, width in mm, anchor). A style picks and orders them.
COLUMNS: dict[str, tuple[str, float, str]] = {
    "seq": ("序号", 10, "l"),
    "code": ("项目编码", 26, "l"),
    "name": ("项目名称", 40, "l"),
    "category": ("费用类别", 22, "l"),
    "spec": ("规格", 16, "l"),
    "unit": ("单位", 10, "m"),
    "grade": ("医保等级", 14, "m"),
    "class": ("甲乙类", 12, "m"),
    "quantity": ("数量", 12, "r"),
    "price": ("单价", 18, "r"),
    "amount": ("金额", 20, "r"),
    "ratio": ("自付比例", 16, "r"),
}
GRADE = {"西药费": "甲", "中成药费": "乙", "卫生材料费": "丙"}


@dataclass(frozen=True)
class ExpenseStyle:
    title: str
    columns: tuple[str, ...]
    labels: dict[str, str]  # patient_name, inpatient_number, period, total
    headers: dict[str, str]  # column key → the hospital's own header wording, where it differs
    subtotals: bool  # rows grouped under a fee-class heading with a 小计 each; no category column then
    repeat_header: bool  # a second page opens with the letterhead and column headers again
    date_style: str
    rows_per_page: int = 22


def _cell(key: str, n: int, line: ChargeLine, rng: random.Random) -> str:
    grade = GRADE.get(line.category, "甲")
    values = {
        "seq": str(n),
        "code": f"{rng.randint(10, 99)}0{rng.randint(1000000, 9999999)}",
        "name": line.name,
        "category": line.category,
        "spec": rng.choice(["0.5g", "250ml", "10mg*28", "/", "1套"]) if line.unit in ("支", "袋", "盒", "套") else "",
        "unit": line.unit,
        "grade": grade,
        "class": f"{grade}类" if grade != "丙" else "自费",
        "quantity": str(line.quantity),
        "price": _money(line.unit_price),
        "amount": _money(line.amount),
        "ratio": {"甲": "0%", "乙": "10%", "丙": "100%"}[grade],
    }
    return values[key]


def _letterhead(s: Surface, style: ExpenseStyle, ctx: Context, look: Look) -> float:
    person, stay = ctx.person, ctx.stay
    lab, w = style.labels, s.width_mm
    s.text(w / 2, 15, f"{stay.hospital}{style.title}", 13, font_name="serif_bold", anchor="m")
    period = (
        f"{lab['period']}：{date_text(stay.admission, style.date_style)}至{date_text(stay.discharge, style.date_style)}"
    )
    s.text(14, 25, f"{lab['patient_name']}：{person.name}", 9.5)
    s.text(62, 25, f"{lab['inpatient_number']}：{stay.inpatient_number}", 9.5)
    s.text(120, 25, f"科室：{stay.department}", 9.5)
    s.text(14, 31, period, 9.5)
    s.text(120, 31, f"费别：{stay.insurance_type}", 9.5)
    s.line(12, 35, w - 12, 35, width=0.4)
    return 40


def _column_heads(s: Surface, style: ExpenseStyle, y: float) -> list[tuple[float, str, str]]:
    placed = _column_places(style)
    for at, anchor, key in placed:
        s.text(at, y, style.headers.get(key, COLUMNS[key][0]), 8.5, font_name="sans_bold", anchor=anchor)
    s.line(12, y + 3.5, s.width_mm - 12, y + 3.5, width=0.25)
    return placed


def _rows(stay: Stay, style: ExpenseStyle) -> list[tuple[str, Any]]:
    """("line", ChargeLine), or with subtotals ("class", name) headings and ("subtotal", amount) after."""
    if not style.subtotals:
        return [("line", ln) for ln in stay.lines]
    rows: list[tuple[str, Any]] = []
    for category in dict.fromkeys(ln.category for ln in sorted(stay.lines, key=lambda ln: ln.category)):
        of = [ln for ln in stay.lines if ln.category == category]
        rows += [("class", category), *(("line", ln) for ln in of), ("subtotal", sum(ln.amount for ln in of))]
    return rows


def draw_expense_list(style: ExpenseStyle, ctx: Context, look: Look) -> Rendered:
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    rows = _rows(stay, style)
    chunks = [rows[i : i + style.rows_per_page] for i in range(0, len(rows), style.rows_per_page)]
    pages: list[Surface] = []
    n = 0
    lines_in_order: list[ChargeLine] = []
    for p, chunk in enumerate(chunks):
        s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
        pages.append(s)
        y = _letterhead(s, style, ctx, look) if p == 0 or style.repeat_header else 16.0
        placed = _column_heads(s, style, y) if p == 0 or style.repeat_header else _column_places(style)
        y += 9
        for kind, value in chunk:
            if kind == "class":
                s.text(14, y, f"【{value}】", 9, font_name="sans_bold")
            elif kind == "subtotal":
                s.text(placed[-1][0], y, f"小计：{_money(value)}", 9, anchor="r")
            else:
                n += 1
                lines_in_order.append(value)
                for at, anchor, key in placed:
                    s.text(at, y, _cell(key, n, value, rng), 8.5, anchor=anchor)
            y += 6.5
        if p == len(chunks) - 1:
            s.line(12, y - 2, s.width_mm - 12, y - 2, width=0.25)
            s.text(120, y + 5, f"{style.labels['total']}：{_money(stay.total)}", 10, font_name="sans_bold")
            s.text(14, y + 14, f"打印时间：{date_text(stay.discharge, style.date_style)}", 9)
            s.stamp(seal_image(rng, stay.hospital, "收费专用章"), 160, y + 14, 36)
        s.text(s.width_mm - 14, s.height_mm - 10, f"{p + 1}/{len(chunks)}", 8.5, anchor="r")
    fields = expense_list_fields(person, stay, lines_in_order)
    return Rendered("expense_list", None, pages, fields, True, style.title)


def _column_places(style: ExpenseStyle) -> list[tuple[float, str, str]]:
    """Where the columns stand on a page that does not print their headers again."""
    x, placed = 14.0, []
    for key in style.columns:
        _, width, anchor = COLUMNS[key]
        placed.append((x if anchor == "l" else x + width / 2 if anchor == "m" else x + width - 1, anchor, key))
        x += width
    return placed


STYLES: dict[str, tuple[str, ExpenseStyle]] = {
    "coded_grade": (
        "编码、医保等级、规格列；费用类别列；第二页重复表头；合计金额；标题“收费项目清单”",
        ExpenseStyle(
            title="住院收费项目清单",
            columns=("code", "name", "category", "spec", "unit", "grade", "quantity", "price", "amount"),
            labels={
                "patient_name": "患者姓名",
                "inpatient_number": "住院号",
                "period": "住院时间",
                "total": "合计金额",
            },
            headers={},
            subtotals=False,
            repeat_header=True,
            date_style="iso",
        ),
    ),
    "class_subtotals": (
        "按费用类别分组并小计（无类别列），甲乙类与自付比例列，第二页不重复表头，总金额",
        ExpenseStyle(
            title="住院患者费用清单",
            columns=("seq", "name", "class", "ratio", "unit", "quantity", "price", "amount"),
            labels={"patient_name": "姓名", "inpatient_number": "病案号", "period": "费用日期", "total": "总金额"},
            headers={"price": "单价(元)", "amount": "金额(元)"},
            subtotals=True,
            repeat_header=False,
            date_style="cn",
            rows_per_page=26,
        ),
    ),
    "amount_first": (
        "金额列靠前、数量单价在后，类别在名称前，第二页不重复表头，费用合计",
        ExpenseStyle(
            title="费用汇总清单",
            columns=("seq", "category", "name", "amount", "quantity", "unit", "price"),
            labels={"patient_name": "姓名", "inpatient_number": "住院号", "period": "费用期间", "total": "费用合计"},
            headers={"category": "类别", "name": "名称", "price": "单价"},
            subtotals=False,
            repeat_header=False,
            date_style="slash",
            rows_per_page=18,
        ),
    ),
    "grade_ratio": (
        "编码、规格、医保等级、自付比例列，按类别小计，第二页重复表头，合计",
        ExpenseStyle(
            title="住院费用清单",
            columns=("code", "name", "spec", "grade", "ratio", "quantity", "price", "amount"),
            labels={"patient_name": "患者姓名", "inpatient_number": "住院号", "period": "费用期间", "total": "合计"},
            headers={"code": "医保编码", "grade": "等级"},
            subtotals=True,
            repeat_header=True,
            date_style="dot",
            rows_per_page=20,
        ),
    ),
}


_family = partial(styled_family, doc_type="expense_list", styles=STYLES, draw=draw_expense_list)

FAMILIES = [
    _family("coded_grade", ("microhei", "sans"), (200, 300), ("scan", "scanned_grey")),
    _family("class_subtotals", ("ming", "droid"), (150, 250), ("scan", "photo")),
    _family("amount_first", ("droid", "serif"), (200, 300), ("scan", "photocopy")),
    _family("grade_ratio", ("hei", "kai"), (150, 300), ("scanned_grey", "photo")),
]
