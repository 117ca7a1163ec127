"""Unseen 费用清单 families.

`daily_no_repeat`: a 住院病人费用明细清单 as a smaller hospital's system prints it, one row per charge in
date order (a charge by the day one row a day). The columns 日期, 项目名称, 医保等级 (甲类 / 乙类 /
自费), 单价, 金额, 数量 and the fee class last; the letterhead, patient block and column headings on the
first page only: later pages start straight with rows (no header, no page number); the 合计 with its
amount in words only at the very end, under the last row.

`kiosk_thermal`: the 住院费用清单 a self-service kiosk prints on an 80 mm thermal strip, in grey: short
header lines, each charge on two lines (name and amount; unit price × quantity with the unit, and the
class at the right), the total and its amount in words at the end, and the 收费专用章 pressed on askew
at the cashier's window when the patient brings it for reimbursement."""

from __future__ import annotations

import datetime as dt

from extractors.normalize import to_upper_amount
from synth.build import Context
from synth.canvas import Surface, seal_image
from synth.documents import Rendered, _money, expense_list_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import ChargeLine

# (header, x of its anchor in mm, anchor); the columns in the order the system prints them.
COLUMNS = (
    ("日期", 14, "l"),
    ("项目名称", 36, "l"),
    ("医保等级", 92, "m"),
    ("单价", 120, "r"),
    ("金额", 144, "r"),
    ("数量", 158, "r"),
    ("费用类别", 164, "l"),
)
GRADE = {"西药费": "甲类", "中成药费": "乙类", "卫生材料费": "自费"}
LAST_ROW_Y = 276.0  # the printer runs rows to the foot of the sheet, then goes on at the top of the next
ROW_H = 6.2


def _dated(ctx: Context) -> list[tuple[dt.date, ChargeLine]]:
    """The charges as a daily list prints them, in date order: a charge by the day (bed, nursing,
    consultation) one row a day with quantity 1, every other charge on the day it was made."""
    rng, stay = ctx.rng, ctx.stay
    dated = []
    for line in stay.lines:
        if line.unit == "日":
            daily = ChargeLine(line.name, line.category, line.unit, 1, line.unit_price)
            dated += [(stay.admission + dt.timedelta(days=d), daily) for d in range(line.quantity)]
        else:
            dated.append((stay.admission + dt.timedelta(days=rng.randint(0, stay.days)), line))
    return sorted(dated, key=lambda pair: pair[0])


def _first_page(s: Surface, ctx: Context) -> float:
    """Letterhead, patient block and column headings; returns the y of the first row."""
    person, stay, w = ctx.person, ctx.stay, s.width_mm
    s.text(w / 2, 15, stay.hospital, 14, font_name="serif_bold", anchor="m")
    s.text(w / 2, 23, "住院病人费用明细清单", 12, anchor="m")
    s.rect(12, 28, w - 12, 44, width=0.3)
    entries = [
        (15, 32.5, f"病人姓名：{person.name}"),
        (70, 32.5, f"住院号：{stay.inpatient_number}"),
        (125, 32.5, f"科室：{stay.department}"),
        (15, 39.5, f"入院日期：{date_text(stay.admission, 'cn')}"),
        (70, 39.5, f"出院日期：{date_text(stay.discharge, 'cn')}"),
        (125, 39.5, f"结算类别：{stay.insurance_type}"),
    ]
    for x, y, text in entries:
        s.text(x, y, text, 9)
    for header, x, anchor in COLUMNS:
        s.text(x, 50, header, 9, font_name="sans_bold", anchor=anchor)
    s.line(12, 53.5, w - 12, 53.5, width=0.3)
    return 58.0


def draw_daily_no_repeat(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The list; rows in the printed (date) order, so the truth lists them so."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    dated = _dated(ctx)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    pages: list[Surface] = [s]
    y = _first_page(s, ctx)
    for day, line in dated:
        if y > LAST_ROW_Y:
            s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
            pages.append(s)
            y = 14.0
        cells = [
            date_text(day, "iso"),
            line.name,
            GRADE.get(line.category, "甲类"),
            _money(line.unit_price),
            _money(line.amount),
            str(line.quantity),
            line.category,
        ]
        for (_, x, anchor), cell in zip(COLUMNS, cells, strict=True):
            s.text(x, y, cell, 8.5, anchor=anchor)
        y += ROW_H
    if y > LAST_ROW_Y - 20:
        s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
        pages.append(s)
        y = 14.0
    s.line(12, y - 3, s.width_mm - 12, y - 3, width=0.3)
    total = stay.total
    fields = expense_list_fields(person, stay, [line for _, line in dated])
    s.text(14, y + 3, f"合计：{_money(total)}", 10, font_name="sans_bold")
    s.text(70, y + 3, f"（人民币大写：{to_upper_amount(total)}）", 9)
    s.text(14, y + 11, f"打印日期：{date_text(ctx.on, 'iso')}", 8.5)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), 165, y + 9, 30)
    return Rendered("expense_list", None, pages, fields, True, "住院病人费用明细清单")


# ---------------------------------------------------------------------------------------------
# A self-service kiosk's 住院费用清单 on thermal paper

THERMAL_GREY = (70, 70, 74)  # a thermal head's print: grey, never black
RECEIPT_W = 80.0


def draw_kiosk_thermal(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The receipt: one long strip; each charge two lines (name and amount; price × quantity and unit,
    class at the right), in the stay's order, which the truth keeps; stamped at the cashier's window."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    length = 72 + len(stay.lines) * 9.0 + 40
    s = FacedPage(RECEIPT_W, length, dpi=look.dpi, paper=(246, 245, 241), face=look.font)
    w, left, right = RECEIPT_W, 4.0, RECEIPT_W - 4

    def line(y: float, text: str, size: float = 8, anchor: str = "l", x: float | None = None) -> None:
        at = x if x is not None else (left if anchor == "l" else right if anchor == "r" else w / 2)
        s.text(at, y, text, size, anchor=anchor, color=THERMAL_GREY)

    def dashes(y: float) -> None:
        line(y, "-" * 44, 7, anchor="m")

    line(8, stay.hospital, 10, anchor="m")
    line(14, "住院费用清单", 10, anchor="m")
    line(19, "（自助机打印）", 7, anchor="m")
    dashes(23)
    header = [
        f"姓名：{person.name}",
        f"住院号：{stay.inpatient_number}",
        f"科室：{stay.department}",
        f"入院：{date_text(stay.admission, 'slash')}",
        f"出院：{date_text(stay.discharge, 'slash')}",
        f"费别：{stay.insurance_type}",
    ]
    y = 28.0
    for text in header:
        line(y, text)
        y += 5
    dashes(y)
    y += 5
    line(y, "项目", 8)
    line(y, "金额(元)", 8, anchor="r")
    y += 4
    dashes(y)
    y += 5
    for charge in stay.lines:
        line(y, charge.name, 8)
        line(y, _money(charge.amount), 8, anchor="r")
        line(y + 4.2, f"{_money(charge.unit_price)}×{charge.quantity}{charge.unit}", 7, x=left + 3)
        line(y + 4.2, charge.category, 7, anchor="r")
        y += 9
    dashes(y)
    y += 5
    line(y, f"费用合计：{_money(stay.total)}", 9)
    y += 5
    line(y, f"大写：{to_upper_amount(stay.total)}", 7.5)
    y += 6
    dashes(y)
    y += 5
    line(y, f"打印时间：{date_text(ctx.on, 'slash')} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}", 7)
    line(y + 4.5, f"终端号：ZZJ{rng.randint(1, 40):03d}", 7)
    line(y + 9, "请妥善保管，遗失不补", 7)
    # Brought to the cashier's window for reimbursement, the strip gets the 收费章 pressed on askew,
    # over its last lines and partly off the paper.
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), w - 22 + rng.uniform(-4, 6), y - 4 + rng.uniform(-4, 4), 34)
    fields = expense_list_fields(person, stay, stay.lines)
    return Rendered("expense_list", None, [s], fields, True, "住院费用清单")


FAMILIES = [
    Family(
        "daily_no_repeat",
        "expense_list",
        "按日期逐行的住院病人费用明细清单：日期列，医保等级（甲类/乙类/自费），单价、金额在数量前，类别列在最后；"
        "表头仅首页，续页无表头无页码，合计与大写只在末尾",
        draw_daily_no_repeat,
        ("microhei", "kai", "ming"),
        (150, 300),
        ("scan", "photocopy"),
    ),
    Family(
        "kiosk_thermal",
        "expense_list",
        "自助机热敏纸住院费用清单：80 mm 长条，灰色热敏字，每项两行（名称与金额；单价×数量单位与类别），"
        "表头为短行，合计与大写在末尾，窗口补盖收费章（歪斜、出纸边）",
        draw_kiosk_thermal,
        ("sans", "microhei", "hei"),
        (200, 300),
        ("photo", "scan"),
    ),
]
