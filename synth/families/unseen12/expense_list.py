"""Unseen 费用清单 families (the twelfth blind set, stop 45).

`class_code_legend`: a 住院病人费用明细 from a HIS that prints its codes, not its words: each row's fee class
as the hospital's two-digit 费用类别 code (07 for 西药费) and its 医保类别 as a digit (1 甲类, 2 乙类, 3 丙类),
with the legend of both code tables in a ruled box at the foot of every page (费用类别：01 床位费 02 护理费 …
and 医保类别：1 甲类 2 乙类 3 丙类). The particulars on two lines (患者姓名, 住院号, 科室; 入院日期：2025/06/03,
出院日期, 医保类型), at most 24 rows a page, the 合计 and the hospital's 收费专用章 on the last.

`price_times_quantity`: a 费用结算明细单 whose pricing column holds the unit price and the count in one cell
as the charge is worked out (计价（单价×数量）：12.50×3), the amount in the next column; the 费别 (the fee
class) first in each row, then 项目名称, 计价, 单位, 金额; a 页次：1/2 at the top right, the stay as
结算期间：2025年6月3日—2025年6月15日, the 费用总额 with 元 after it at the end, a note that the list is only for
checking, and no seal."""

from __future__ import annotations

import zlib

from synth.build import Context
from synth.canvas import seal_image, text_width_mm
from synth.documents import Rendered, _money, expense_list_fields
from synth.families.common import LATIN_FALLBACK, FacedPage, Family, Look, date_text
from synth.people import ChargeLine, make_name

# ---------------------------------------------------------------------------------------------
# Codes in the rows, their legend at the foot

CLASS_CODES = {
    "床位费": "01",
    "护理费": "02",
    "诊察费": "03",
    "检查费": "04",
    "化验费": "05",
    "治疗费": "06",
    "西药费": "07",
    "中成药费": "08",
    "卫生材料费": "09",
    "其他费": "10",
}
GRADE_NAMES = (("1", "甲类"), ("2", "乙类"), ("3", "丙类"))
ROWS_A_PAGE = 24


def _grade(line: ChargeLine) -> str:
    """The item's 医保类别 code, fixed per item name: drugs and materials may be 乙类 or 丙类."""
    if line.category in ("西药费", "中成药费", "卫生材料费"):
        return "123"[zlib.crc32(line.name.encode("utf-8")) % 3]
    return "1"


def _legend(s: FacedPage, y: float, left: float, right: float) -> None:
    s.rect(left, y, right, y + 15, width=0.3)
    codes = list(CLASS_CODES.items())
    half = -(-len(codes) // 2)
    head = "费用类别："
    indent = text_width_mm(head, 7.5, s.face if s.face not in LATIN_FALLBACK else "sans")
    for r, chunk in enumerate((codes[:half], codes[half:])):
        text = "  ".join(f"{code} {name}" for name, code in chunk)
        if r == 0:
            s.text(left + 2, y + 3.8, head + text, 7.5)
        else:
            s.text(left + 2 + indent, y + 3.8 + r * 4.6, text, 7.5)
    s.text(left + 2, y + 12.2, "医保类别：" + "  ".join(f"{c} {n}" for c, n in GRADE_NAMES), 7.5)


def draw_class_code_legend(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The coded list; its truth gives each row's class by name, as the legend reads its code."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    title = "住院病人费用明细"
    chunks = [stay.lines[i : i + ROWS_A_PAGE] for i in range(0, len(stay.lines), ROWS_A_PAGE)]
    pages = [FacedPage(210, 297, dpi=look.dpi, paper=(252, 252, 250), face=look.font) for _ in chunks]
    left, right = 14.0, 196.0
    cols = (
        (left + 1, "序号", "l"),
        (left + 12, "项目名称", "l"),
        (86, "类别", "m"),
        (100, "医保", "m"),
        (116, "单位", "m"),
        (138, "数量", "r"),
        (163, "单价", "r"),
        (193, "金额", "r"),
    )
    size, row_h = 9.0, 7.0
    n = 0
    for p, (s, chunk) in enumerate(zip(pages, chunks, strict=True)):
        s.text(105, 14, stay.hospital, 14, font_name="serif_bold", anchor="m")
        s.text(105, 22.5, title, 12.5, font_name="sans_bold", anchor="m")
        s.text(left, 31, f"患者姓名：{person.name}", 9.5)
        s.text(left + 52, 31, f"住院号：{stay.inpatient_number}", 9.5)
        s.text(left + 108, 31, f"科室：{stay.department}", 9.5)
        s.text(left, 37.5, f"入院日期：{date_text(stay.admission, 'slash')}", 9.5)
        s.text(left + 52, 37.5, f"出院日期：{date_text(stay.discharge, 'slash')}", 9.5)
        s.text(left + 108, 37.5, f"医保类型：{stay.insurance_type}", 9.5)
        y = 45.0
        s.line(left, y - 3.5, right, y - 3.5, width=0.45)
        for x, head, anchor in cols:
            s.text(x, y, head, 9, font_name="sans_bold", anchor=anchor)
        s.line(left, y + 3.5, right, y + 3.5, width=0.3)
        y += 3.5 + row_h / 2
        for line in chunk:
            n += 1
            values = (
                str(n),
                line.name,
                CLASS_CODES.get(line.category, "10"),
                _grade(line),
                line.unit,
                str(line.quantity),
                _money(line.unit_price),
                _money(line.amount),
            )
            for (x, _, anchor), value in zip(cols, values, strict=True):
                s.text(x, y, value, size, anchor=anchor)
            y += row_h
        s.line(left, y - row_h / 2 + 0.5, right, y - row_h / 2 + 0.5, width=0.3)
        if p == len(pages) - 1:
            y += 3
            s.text(right, y, f"合计：{fields['total_amount']}", 10.5, font_name="sans_bold", anchor="r")
            y += 8
            s.text(left, y, f"打印人：{make_name(rng)}", 9)
            s.text(left + 60, y, f"打印日期：{date_text(stay.discharge, 'slash')}", 9)
            s.stamp(seal_image(rng, stay.hospital, "收费专用章"), 150, y - 2, 34)
        _legend(s, 262, left, right)
        s.text(105, 284, f"- {p + 1} -", 8.5, anchor="m")
    return Rendered("expense_list", None, list(pages), fields, True, title)


# ---------------------------------------------------------------------------------------------
# Unit price and count in one cell

ROWS_PER_PAGE = 30


def draw_price_times_quantity(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The list with 12.50×3 cells; its truth is the list's."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    title = "费用结算明细单"
    chunks = [stay.lines[i : i + ROWS_PER_PAGE] for i in range(0, len(stay.lines), ROWS_PER_PAGE)]
    pages = [FacedPage(210, 297, dpi=look.dpi, paper=(253, 253, 250), face=look.font) for _ in chunks]
    left, right = 16.0, 194.0
    cols = (
        (left, "费别", "l"),
        (44, "项目名称", "l"),
        (128, "计价（单价×数量）", "r"),
        (142, "单位", "m"),
        (right, "金额", "r"),
    )
    size, row_h = 9.5, 7.0
    adm, dis = stay.admission, stay.discharge
    for p, (s, chunk) in enumerate(zip(pages, chunks, strict=True)):
        s.text(105, 16, stay.hospital, 13.5, font_name="sans_bold", anchor="m")
        s.text(105, 25, title, 13, font_name="serif_bold", anchor="m")
        s.text(right, 25, f"页次：{p + 1}/{len(pages)}", 8.5, anchor="r")
        s.text(left, 34, f"病人姓名：{person.name}", 9.5)
        s.text(left + 50, 34, f"住院号：{stay.inpatient_number}", 9.5)
        s.text(left + 100, 34, f"病区：{stay.department}", 9.5)
        s.text(left, 40.5, f"结算期间：{date_text(adm, 'cn_short')}—{date_text(dis, 'cn_short')}", 9.5)
        y = 49.0
        s.rect(left - 1, y - 3.6, right + 1, y + 3.6, width=0.3, fill=(232, 232, 232))
        for x, head, anchor in cols:
            s.text(x, y, head, 9, font_name="sans_bold", anchor=anchor)
        y += 3.6 + row_h / 2 + 0.5
        for line in chunk:
            values = (
                line.category,
                line.name,
                f"{_money(line.unit_price)}×{line.quantity}",
                line.unit,
                _money(line.amount),
            )
            for (x, _, anchor), value in zip(cols, values, strict=True):
                s.text(x, y, value, size, anchor=anchor)
            y += row_h
        s.line(left - 1, y - row_h / 2 + 0.5, right + 1, y - row_h / 2 + 0.5, width=0.35)
        if p == len(pages) - 1:
            y += 3
            s.text(right, y, f"费用总额：{fields['total_amount']}元", 10.5, font_name="sans_bold", anchor="r")
            y += 8
            s.text(left, y, "（本单仅供核对费用，不作报销凭证，以正式票据为准）", 8.5)
            s.text(right, y, f"收费员：{make_name(rng)}", 9, anchor="r")
    return Rendered("expense_list", None, list(pages), fields, False, title)


FAMILIES = [
    Family(
        "class_code_legend",
        "expense_list",
        "只打代码不打文字的 HIS 住院病人费用明细：每行费用类别为"
        "医院两位代码（07 即西药费）、医保类别为一位数字（1 甲类、"
        "2 乙类、3 丙类），两张代码表的图例印在每页页脚格线框内（费用"
        "类别：01 床位费 02 护理费…；医保类别：1 甲类 2 乙类 "
        "3 丙类）；基本信息两行（患者姓名、住院号、科室；入院日期“2025/06/03”、出院日期、医保类型），每页至多 24 行，"
        "末页合计与收费专用章",
        draw_class_code_legend,
        ("sans", "hei", "microhei"),
        (170, 300),
        ("scan", "photo"),
    ),
    Family(
        "price_times_quantity",
        "expense_list",
        "计价列把单价与数量写在同一格（计价（单价×数量）：12.50×"
        "3）、下一列为金额的费用结算明细单：每行先印费别（费用类别），"
        "再项目名称、计价、单位、金额；右上角“页次：1/2”，结算期间“2025年6月3日—2025年6月15日”，末尾“费用总额：…元”，"
        "附“仅供核对”说明，无章",
        draw_price_times_quantity,
        ("serif", "sans", "ming"),
        (160, 300),
        ("scan", "scanned_grey", "photo"),
    ),
]
