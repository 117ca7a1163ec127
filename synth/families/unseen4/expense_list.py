"""Unseen 费用清单 families (the fourth blind set, stop 37).

`his_landscape_13col`: a 住院病人费用明细表 exported from a hospital information system and printed
on A4 in landscape in a tiny face (6.5 pt), one row per charge in the order the charges were posted,
thirteen columns: 序号, 费用日期 (20250416), 项目编码 (the national catalogue's codes), 项目名称, 规格,
单位, 数量, 单价 (three decimals), 金额, 费用类别, 医保类别 (甲类 / 乙类 / 丙类), 自付比例 (10%) and
执行科室; the header two lines of particulars with 入院日期 and 出院日期 apart; under the table the total
as one sentence (本次住院费用总计：…元) and the 甲 / 乙 / 丙 sums; printed by and when at the foot.

`carried_forward_grid`: a smaller hospital's 费用清单 as a fully ruled grid on A4 portrait whose
项目名称 column is too narrow, so longer names wrap inside their cell onto a second line (the row grows);
columns 序号, 项目名称, 费用类别, 规格, 单位, 单价, 数量, 金额; the particulars in a bordered table over
it (住院日期 2025年4月15日至2025年4月29日); when the list runs onto a second page the first ends with a
过次页 row carrying the page's sum and the second starts with 承前页 and the same sum, as account books
do; the last page ends with 合计 and the 收费专用章."""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal

from synth.build import Context
from synth.canvas import seal_image, text_width_mm
from synth.documents import Rendered, _money, expense_list_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import ChargeLine

# The 医保 class a charge of a fee class usually falls in, and the share the patient pays of it.
GRADES = {
    "西药费": ("甲类", "0%"),
    "中成药费": ("乙类", "10%"),
    "卫生材料费": ("丙类", "100%"),
    "检查费": ("乙类", "10%"),
}
SPECS = {
    "头孢曲松钠注射液": "1g",
    "氯化钠注射液": "250ml",
    "奥美拉唑肠溶胶囊": "20mg*14粒",
    "阿托伐他汀钙片": "20mg*7片",
    "连花清瘟胶囊": "0.35g*24粒",
    "一次性输液器": "带针",
    "医用留置针": "22G",
}
DEPARTMENTS = {"检查费": "影像科", "化验费": "检验科", "西药费": "住院药房", "中成药费": "住院药房"}


def _code(line: ChargeLine) -> str:
    """A catalogue code of the charge's kind: drugs by the national drug code's shape, services by the
    national service catalogue's nine digits (drawn from the name, so one item keeps its code)."""
    digits = f"{zlib.crc32(line.name.encode()):010d}"
    if line.category in ("西药费", "中成药费"):
        return f"X{'A' if line.category == '西药费' else 'Z'}{digits[:2]}BA{digits[2:8]}"
    return f"{digits[1:4]}{digits[4:7]}{digits[7:]}"


def draw_his_landscape_13col(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The table; the rows in posting order (by date), which the truth keeps."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    days = max(stay.days, 1)
    posted = sorted(
        (
            (stay.admission + dt.timedelta(days=0 if line.unit == "日" else rng.randrange(days)), line)
            for line in stay.lines
        ),
        key=lambda pair: pair[0],
    )
    lines = [line for _, line in posted]
    fields = expense_list_fields(person, stay, lines)
    s = FacedPage(297, 210, dpi=look.dpi, face=look.font)
    w, left, right = s.width_mm, 10.0, s.width_mm - 10
    s.text(w / 2, 10, stay.hospital, 12, font_name="serif_bold", anchor="m")
    s.text(w / 2, 17, "住院病人费用明细表", 11, font_name="sans_bold", anchor="m")
    head = [
        [
            f"病人姓名：{person.name}",
            f"性别：{person.sex}",
            f"住院号：{stay.inpatient_number}",
            f"科室：{stay.department}",
            f"床号：{stay.bed}",
        ],
        [
            f"入院日期：{date_text(stay.admission, 'iso')}",
            f"出院日期：{date_text(stay.discharge, 'iso')}",
            f"结算类别：{stay.insurance_type}",
            f"打印人：{rng.randint(1000, 9999)}",
        ],
    ]
    for r, row in enumerate(head):
        for c, text in enumerate(row):
            s.text(left + c * 55, 24 + r * 4.5, text, 7)
    # (header, x of its anchor, anchor)
    cols = (
        ("序号", left + 1, "l"),
        ("费用日期", left + 9, "l"),
        ("项目编码", left + 25, "l"),
        ("项目名称", left + 52, "l"),
        ("规格", left + 92, "l"),
        ("单位", left + 114, "m"),
        ("数量", left + 127, "r"),
        ("单价", left + 145, "r"),
        ("金额", left + 165, "r"),
        ("费用类别", left + 170, "l"),
        ("医保类别", left + 196, "m"),
        ("自付比例", left + 217, "r"),
        ("执行科室", left + 224, "l"),
    )
    top = 32.0
    s.line(left, top, right, top, width=0.3)
    for head_text, x, anchor in cols:
        s.text(x, top + 2.5, head_text, 6.5, font_name="sans_bold", anchor=anchor)
    s.line(left, top + 5, right, top + 5, width=0.2)
    row_h = 4.0
    sums = {"甲类": Decimal("0.00"), "乙类": Decimal("0.00"), "丙类": Decimal("0.00")}
    for i, (day, line) in enumerate(posted):
        grade, ratio = GRADES.get(line.category, ("甲类", "0%"))
        sums[grade] += line.amount
        cells = (
            str(i + 1),
            date_text(day, "compact"),
            _code(line),
            line.name,
            SPECS.get(line.name, ""),
            line.unit,
            str(line.quantity),
            f"{line.unit_price:.3f}",
            _money(line.amount),
            line.category,
            grade,
            ratio,
            DEPARTMENTS.get(line.category, stay.department),
        )
        y = top + 5 + row_h * (i + 0.55)
        for (_, x, anchor), cell in zip(cols, cells, strict=True):
            if cell:
                s.text(x, y, cell, 6.5, anchor=anchor)
    y = top + 5 + row_h * len(posted) + 1
    s.line(left, y, right, y, width=0.3)
    s.text(left, y + 4, f"本次住院费用总计：{fields['total_amount']}元", 7.5, font_name="sans_bold")
    s.text(left + 70, y + 4, "    ".join(f"{grade}：{_money(v)}" for grade, v in sums.items()), 7)
    s.text(left, y + 9, f"打印时间：{date_text(ctx.on, 'iso')} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}", 6.5)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), right - 30, min(y + 4, s.height_mm - 18), 26)
    return Rendered("expense_list", None, [s], fields, True, "住院病人费用明细表")


# ---------------------------------------------------------------------------------------------
# A ruled grid whose narrow name column wraps, carried forward from page to page

NAME_W = 16.0  # the 项目名称 column, narrower than many names
ROWS_A_PAGE = 18


def _wrap(text: str, width: float, size: float, face: str) -> list[str]:
    """A cell's text broken where it meets the cell's edge, character by character, as report tools do."""
    parts, line = [], ""
    for ch in text:
        if line and text_width_mm(line + ch, size, face) > width:
            parts.append(line)
            line = ""
        line += ch
    return [*parts, line]


def draw_carried_forward_grid(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The list; the rows as printed (the stay's order), each name whole in the truth though wrapped."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    chunks = [stay.lines[i : i + ROWS_A_PAGE] for i in range(0, len(stay.lines), ROWS_A_PAGE)]
    pages = [FacedPage(210, 297, dpi=look.dpi, face=look.font) for _ in chunks]
    left, right, size = 15.0, 195.0, 9.0
    face = look.font
    # (header, left edge of the cell, its width, anchor)
    cols = (
        ("序号", left, 10.0, "m"),
        ("项目名称", left + 10, NAME_W + 3, "l"),
        ("费用类别", left + 29, 26.0, "m"),
        ("规格", left + 55, 30.0, "m"),
        ("单位", left + 85, 12.0, "m"),
        ("单价", left + 97, 26.0, "r"),
        ("数量", left + 123, 14.0, "r"),
        ("金额", left + 137, right - left - 137, "r"),
    )

    def cell_x(x0: float, width: float, anchor: str) -> float:
        return x0 + width / 2 if anchor == "m" else x0 + width - 1.5 if anchor == "r" else x0 + 1.5

    def grid_row(s: FacedPage, y: float, cells: list[list[str]], bold: bool = False) -> float:
        height = 6.5 + 4.2 * (max(len(c) for c in cells) - 1)
        for (_, x0, width, anchor), parts in zip(cols, cells, strict=True):
            s.rect(x0, y, x0 + width, y + height, width=0.25)
            for k, part in enumerate(parts):
                if part:
                    s.text(
                        cell_x(x0, width, anchor),
                        y + 3.25 + k * 4.2,
                        part,
                        size,
                        anchor=anchor,
                        font_name="sans_bold" if bold else "sans",
                    )
        return y + height

    def banner(s: FacedPage, y: float, label: str, amount: Decimal) -> float:
        s.rect(left, y, right, y + 6.5, width=0.25)
        s.text(left + 12, y + 3.25, label, size, font_name="sans_bold")
        s.text(right - 1.5, y + 3.25, _money(amount), size, anchor="r", font_name="sans_bold")
        return y + 6.5

    carried = Decimal("0.00")
    seq = 0
    for p, (s, chunk) in enumerate(zip(pages, chunks, strict=True)):
        w = s.width_mm
        s.text(w / 2, 16, stay.hospital, 14, font_name="serif_bold", anchor="m")
        s.text(w / 2, 25, "费 用 清 单", 13, font_name="sans_bold", anchor="m")
        particulars = [
            [("姓名", person.name), ("住院号", stay.inpatient_number), ("科室", stay.department)],
            [
                ("住院日期", f"{date_text(stay.admission, 'cn_short')}至{date_text(stay.discharge, 'cn_short')}"),
                ("费别", stay.insurance_type),
            ],
        ]
        y = 31.0
        for row in particulars:
            x = left
            span = (right - left) / 3
            for label, value in row:
                width = span * (2 if label == "住院日期" else 1)
                s.rect(x, y, x + width, y + 7, width=0.25)
                s.text(x + 1.5, y + 3.5, f"{label}：{value}", 8.5)
                x += width
            y += 7
        y += 3
        y = grid_row(s, y, [[head] for head, *_ in cols], bold=True)
        if p > 0:
            y = banner(s, y, "承前页", carried)
        for line in chunk:
            seq += 1
            cells = [
                [str(seq)],
                _wrap(line.name, NAME_W, size, face),
                [line.category],
                [SPECS.get(line.name, "")],
                [line.unit],
                [_money(line.unit_price)],
                [str(line.quantity)],
                [_money(line.amount)],
            ]
            y = grid_row(s, y, cells)
            carried += line.amount
        if p < len(pages) - 1:
            banner(s, y, "过次页", carried)
        else:
            y = banner(s, y, "合计", carried)
            s.text(left, y + 8, f"打印日期：{date_text(ctx.on, 'cn_short')}", 8.5)
            s.text(left + 70, y + 8, f"收费员：{rng.randint(100, 999)}", 8.5)
            s.stamp(seal_image(rng, stay.hospital, "收费专用章"), right - 35, y + 10, 34)
        s.text(w / 2, s.height_mm - 10, f"第{p + 1}页/共{len(pages)}页", 8, anchor="m")
    return Rendered("expense_list", None, list(pages), fields, True, "费用清单")


FAMILIES = [
    Family(
        "his_landscape_13col",
        "expense_list",
        "信息系统导出的住院病人费用明细表：A4 横向 6.5 磅小字，按记账日期逐行，十三列（序号、费用日期、项目编码、"
        "项目名称、规格、单位、数量、三位小数单价、金额、费用类别、医保类别、自付比例、执行科室），入院日期与出院日期分开，"
        "表下一句“本次住院费用总计：…元”及甲乙丙类合计",
        draw_his_landscape_13col,
        ("sans", "microhei", "hei"),
        (200, 300),
        ("scan", "photo"),
    ),
    Family(
        "carried_forward_grid",
        "expense_list",
        "小医院全格线费用清单：项目名称列过窄、长名称在格内折成两行，序号/项目名称/费用类别/规格/单位/单价/数量/金额，"
        "表头信息为边框格（住院日期 2025年4月15日至…），跨页时页末“过次页”、次页首“承前页”带本页累计，末页合计与收费章",
        draw_carried_forward_grid,
        ("serif", "sans", "kai"),
        (150, 300),
        ("scan", "photo"),
    ),
]
