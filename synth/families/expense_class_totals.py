"""A 费用清单 that prints no item lines: one row per fee class, its amount split by insurance grade.

Some hospitals hand the patient a summary sheet with one row per fee class (床位费, 西药费, 检查费 ...)
instead of the item lines; those words are what a 医疗收费票据 prints too, and its foot carries the
fund split (统筹支付 / 个人自付) and the total in words as a bill does. What makes it a list is its
shape, a table with a header row and a row of amounts per class, and what it lacks: none of a bill's
identifiers (票据代码, 票据号码, 交款人, 校验码). Drawn as a tune family to develop the classifier's
structure evidence on; its truth has no items."""

from __future__ import annotations

from decimal import Decimal

from extractors.normalize import to_upper_amount
from synth.build import Context
from synth.canvas import seal_image
from synth.documents import Rendered, _category_totals, _money, expense_list_fields
from synth.families.common import FacedPage, Family, Look, date_text

GRADE = {"西药费": "乙", "中成药费": "乙", "卫生材料费": "自费"}
HEADS = (("序号", 16, "l"), ("费用类别", 30, "l"), ("金额", 70, "r"), ("甲类", 100, "r"), ("乙类", 130, "r"))
SELF = ("自费", 160, "r")
# Share of a class's amount the fund pays, by grade: an 乙类 class leaves a tenth to the patient.
FUND_SHARE = {"甲": Decimal("1"), "乙": Decimal("0.9"), "自费": Decimal("0")}


def draw_class_totals(ctx: Context, side: str | None, look: Look) -> Rendered:
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w = s.width_mm
    s.text(w / 2, 16, stay.hospital, 12, font_name="serif_bold", anchor="m")
    s.text(w / 2, 24, "住院病人费用分类汇总单", 13, font_name="serif_bold", anchor="m")
    s.text(16, 34, f"姓名：{person.name}", 9.5)
    s.text(70, 34, f"住院号：{stay.inpatient_number}", 9.5)
    s.text(130, 34, f"科室：{stay.department}", 9.5)
    s.text(16, 40, f"入院日期：{date_text(stay.admission, 'cn')}", 9.5)
    s.text(70, 40, f"出院日期：{date_text(stay.discharge, 'cn')}", 9.5)
    s.text(130, 40, f"医保类型：{stay.insurance_type}", 9.5)
    top = 48
    s.rect(14, top, w - 14, top + 10, width=0.3)
    for head, at, anchor in (*HEADS, SELF):
        s.text(at if anchor == "l" else at + 12, top + 6.5, head, 9, font_name="sans_bold", anchor=anchor)
    y = top + 17
    fund = Decimal("0")
    by_grade = {"甲": Decimal("0"), "乙": Decimal("0"), "自费": Decimal("0")}
    for n, (category, amount) in enumerate(_category_totals(stay), 1):
        grade = GRADE.get(category, "甲")
        by_grade[grade] += amount
        fund += (amount * FUND_SHARE[grade]).quantize(Decimal("0.01"))
        cells = [str(n), category, _money(amount)] + [
            _money(amount) if g == grade else "0.00" for g in ("甲", "乙", "自费")
        ]
        for value, (_, at, anchor) in zip(cells, (*HEADS, SELF), strict=True):
            s.text(at if anchor == "l" else at + 12, y, value, 9, anchor=anchor)
        y += 7
    s.line(14, y - 3, w - 14, y - 3, width=0.3)
    s.text(30, y + 3, "合计", 9.5, font_name="sans_bold")
    totals = [stay.total, by_grade["甲"], by_grade["乙"], by_grade["自费"]]
    for total, (_, at, anchor) in zip(totals, (*HEADS, SELF)[2:], strict=True):
        s.text(at + 12, y + 3, _money(total), 9.5, anchor=anchor)
    y += 13
    s.text(16, y, f"合计（大写）：{to_upper_amount(stay.total)}", 9.5)
    s.text(16, y + 7, f"统筹基金支付：{_money(fund)}", 9.5)
    s.text(90, y + 7, f"个人自付：{_money(stay.total - fund)}", 9.5)
    s.text(16, y + 17, f"打印日期：{date_text(stay.discharge, 'cn')}", 9)
    s.text(120, y + 17, "经办人：", 9)
    s.stamp(seal_image(rng, stay.hospital, "住院结算专用章"), 150, y + 8, 34)
    return Rendered("expense_list", None, [s], expense_list_fields(person, stay, []), True, "住院病人费用分类汇总单")


FAMILIES = [
    Family(
        "class_totals",
        "expense_list",
        "费用分类汇总单：无明细行，每个费用类别一行（金额、甲类、乙类、自费），合计、大写与统筹/自付，无票据标识",
        draw_class_totals,
        fonts=("sans", "serif", "microhei"),
        dpi=(150, 300),
        variants=("scan", "photo"),
    )
]
