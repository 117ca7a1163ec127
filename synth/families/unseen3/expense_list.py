"""Unseen 费用清单 families.

`landscape_twin`: a 住院患者费用明细 printed on A4 in landscape to save paper: the charges in two tables
side by side, the left one filled first and the right one going on with the numbering; each table's
columns 序号, 项目名称, 费别, 数量, 单价, 金额 and 自付比例 (0 %, 10 %, 100 %); the header block across the
top holds the period as 统计区间 2025.06.03—2025.06.14; under both tables a line of totals (总费用, 医保
范围内, 医保范围外) and the 收费专用章.

`class_summary`: the 住院费用汇总清单 some hospitals give instead of the detailed list: no item lines at
all, one row per fee class (床位费, 西药费, 检查费 …) with its 金额, the part inside the insurance's
catalogue (医保内) and outside it (医保外); a 合计 row at the foot of the table, the amount in words
under it; the patient block as a ruled table of label and value cells. It prints no items, so its truth
has none."""

from __future__ import annotations

from decimal import Decimal

from extractors.normalize import to_upper_amount
from synth.build import Context
from synth.canvas import seal_image
from synth.documents import Rendered, _category_totals, _money, expense_list_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import ChargeLine, Stay

# The share the patient pays of a charge, by fee class: materials and some drugs fall outside the catalogue.
SELF_RATIO = {"卫生材料费": Decimal("1.00"), "中成药费": Decimal("0.10"), "检查费": Decimal("0.10")}


def _outside(line: ChargeLine) -> Decimal:
    """The part of a charge outside the insurance's catalogue (医保外)."""
    return (line.amount * SELF_RATIO.get(line.category, Decimal("0"))).quantize(Decimal("0.01"))


def _period(stay: Stay) -> str:
    return f"{date_text(stay.admission, 'dot')}—{date_text(stay.discharge, 'dot')}"


def draw_landscape_twin(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The list; the rows in the printed order (left table top to bottom, then the right one), which is
    the stay's order, so the truth keeps it."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    s = FacedPage(297, 210, dpi=look.dpi, face=look.font)
    w, left, right = s.width_mm, 10.0, s.width_mm - 10
    s.text(w / 2, 12, f"{stay.hospital}住院患者费用明细", 14, font_name="serif_bold", anchor="m")
    head = [
        (left, f"姓名：{person.name}"),
        (58, f"住院号：{stay.inpatient_number}"),
        (108, f"科室：{stay.department}"),
        (160, f"统计区间：{_period(stay)}"),
        (238, f"床号：{stay.bed}"),
    ]
    for x, text in head:
        s.text(x, 21, text, 9)
    s.line(left, 25, right, 25, width=0.4)
    gap = 6.0
    table_w = (right - left - gap) / 2
    # (header, offset in the table, anchor)
    cols = (
        ("序号", 1, "l"),
        ("项目名称", 10, "l"),
        ("费别", 52, "l"),
        ("数量", 80, "r"),
        ("单价", 97, "r"),
        ("金额", 116, "r"),
        ("自付比例", 133, "r"),
    )
    per_table = -(-len(stay.lines) // 2)
    row_h = min(6.0, 150 / max(per_table, 1))
    top = 28.0
    for t in range(2):
        x0 = left + t * (table_w + gap)
        s.rect(x0, top, x0 + table_w, top + 7 + per_table * row_h + 1, width=0.3)
        s.line(x0, top + 7, x0 + table_w, top + 7, width=0.25)
        for head_text, dx, anchor in cols:
            s.text(x0 + dx, top + 3.5, head_text, 8.5, font_name="sans_bold", anchor=anchor)
        for i, line in enumerate(stay.lines[t * per_table : (t + 1) * per_table]):
            y = top + 7 + row_h * (i + 0.6)
            ratio = SELF_RATIO.get(line.category, Decimal("0"))
            cells = [
                str(t * per_table + i + 1),
                line.name,
                line.category,
                str(line.quantity),
                _money(line.unit_price),
                _money(line.amount),
                f"{ratio * 100:.0f}%",
            ]
            for (_, dx, anchor), cell in zip(cols, cells, strict=True):
                s.text(x0 + dx, y, cell, 8, anchor=anchor)
    y = top + 7 + per_table * row_h + 8
    outside = sum((_outside(line) for line in stay.lines), Decimal("0.00"))
    totals = [
        f"总费用：{fields['total_amount']}",
        f"医保范围内：{_money(stay.total - outside)}",
        f"医保范围外：{_money(outside)}",
    ]
    for i, text in enumerate(totals):
        s.text(left + i * 62, y, text, 9.5, font_name="sans_bold" if i == 0 else "sans")
    s.text(left, y + 7, f"打印时间：{date_text(ctx.on, 'dot')}    操作员：{rng.randint(1000, 9999)}", 8.5)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), right - 40, min(y + 6, s.height_mm - 22), 32)
    return Rendered("expense_list", None, [s], fields, True, "住院患者费用明细")


def draw_class_summary(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The summary; its truth is the header and the total, and no items (none are printed)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = {k: v for k, v in expense_list_fields(person, stay, stay.lines).items() if k != "items"}
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w, left, right = s.width_mm, 20.0, s.width_mm - 20
    s.text(w / 2, 20, stay.hospital, 15, font_name="serif_bold", anchor="m")
    s.text(w / 2, 30, "住院费用汇总清单", 14, font_name="sans_bold", anchor="m")
    cells = [
        [("患者姓名", person.name), ("住院号", stay.inpatient_number)],
        [("科室", stay.department), ("医疗类别", "普通住院")],
        [("入院日期", date_text(stay.admission, "cn")), ("出院日期", date_text(stay.discharge, "cn"))],
        [("参保类型", stay.insurance_type), ("结算日期", date_text(stay.discharge, "cn"))],
    ]
    top, h, label_w = 38.0, 9.0, 24.0
    half = (right - left) / 2
    for r, row in enumerate(cells):
        for c, (label, value) in enumerate(row):
            x0, y0 = left + c * half, top + r * h
            s.rect(x0, y0, x0 + label_w, y0 + h, width=0.3, fill=(238, 238, 238))
            s.rect(x0 + label_w, y0, x0 + half, y0 + h, width=0.3)
            s.text(x0 + label_w / 2, y0 + h / 2, label, 9.5, anchor="m")
            s.text(x0 + label_w + 3, y0 + h / 2, value, 9.5)
    # One row per fee class: 金额, 医保内, 医保外.
    by_class: dict[str, Decimal] = {}
    for line in stay.lines:
        by_class[line.category] = by_class.get(line.category, Decimal("0.00")) + _outside(line)
    table_top = top + len(cells) * h + 8
    xs = (left, left + 60, left + 100, left + 140, right)
    heads = ["费用类别", "金额（元）", "医保内（元）", "医保外（元）"]
    amounts = [(cat, amount, amount - by_class[cat], by_class[cat]) for cat, amount in _category_totals(stay)]
    outside = sum(by_class.values(), Decimal("0.00"))
    amounts.append(("合计", stay.total, stay.total - outside, outside))
    rows = [heads, *([name, *(_money(v) for v in values)] for name, *values in amounts)]
    for r, table_row in enumerate(rows):
        y0 = table_top + r * 8
        for c, cell in enumerate(table_row):
            s.rect(xs[c], y0, xs[c + 1], y0 + 8, width=0.3)
            bold = r == 0 or table_row[0] == "合计"
            s.text((xs[c] + xs[c + 1]) / 2, y0 + 4, cell, 9.5, anchor="m", font_name="sans_bold" if bold else "sans")
    y = table_top + len(rows) * 8 + 8
    s.text(left, y, f"合计金额（大写）：{to_upper_amount(stay.total)}", 10)
    s.text(left, y + 9, "说明：本清单为费用汇总，明细可至住院收费处查询打印。", 9)
    s.text(left, y + 18, f"打印日期：{date_text(ctx.on, 'cn')}", 9.5)
    s.text(right - 50, y + 18, f"经办人：{rng.randint(100, 999)}号", 9.5)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), right - 30, y + 4, 36)
    return Rendered("expense_list", None, [s], fields, True, "住院费用汇总清单")


FAMILIES = [
    Family(
        "landscape_twin",
        "expense_list",
        "A4 横向住院患者费用明细：两张表左右并排（左表先满，右表续号），序号/项目名称/费别/数量/单价/金额/自付比例，"
        "表头一行含统计区间（点分日期，破折号），表下总费用、医保范围内、医保范围外一行",
        draw_landscape_twin,
        ("ming", "sans", "microhei"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "class_summary",
        "expense_list",
        "住院费用汇总清单：无明细行，每个费用类别一行（金额、医保内、医保外），合计行与大写金额，"
        "表头为带底纹的标签格表格",
        draw_class_summary,
        ("hei", "serif", "kai"),
        (150, 300),
        ("scan", "photocopy"),
    ),
]
