"""Unseen 费用清单 families (the fifth blind set, stop 38).

`daily_subtotals`: a 住院费用日清单汇总 over two A4 pages: the charges grouped by the day they were
posted, each day opened by a shaded row with its date (2025-04-15 星期二) and closed by a 当日小计 line;
the particulars (患者姓名, 住院号, 科室, 床号, 结算日期, 入院 / 出院日期) only on the first page; the
columns 项目名称, 费用类别, 单位, 单价, 数量, 金额; no total at the foot of the first page; the grand total
(住院费用总计) in figures and words at the bottom of the second page, over the printing clerk's line.

`greenbar_pinfeed`: a 费用清单 a county hospital's dot-matrix printer strikes on continuous green-bar
paper (9.5 by 11 inches, sprocket holes down both edges, pale green bands every half inch, a perforation
at the top and the bottom): the ribbon's grey-blue ink a little faint and spread, labels spaced out to a
fixed width (住 院 号：, 科    室：), dates with dots (2025.04.15), the columns ruled by dashed lines, each
row 项目名称, 费别, 数量 with its unit attached (3支), 单价 and 金额; 合计金额 and 大写 after the last
dashed rule; no seal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PIL import ImageChops, ImageDraw, ImageFilter

from synth.build import Context
from synth.canvas import seal_image, text_width_mm
from synth.documents import Rendered, _money, expense_list_fields, to_upper_amount
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import ChargeLine, make_name

WEEKDAYS = "一二三四五六日"


def _posted_days(ctx: Context) -> list[tuple[dt.date, list[ChargeLine]]]:
    """Each charge on the day it was posted: a day's charges (bed, nursing) on the day of discharge, the
    others on a day of the stay; days in order, each day's charges in the order the stay lists them."""
    rng, stay = ctx.rng, ctx.stay
    by_day: dict[dt.date, list[ChargeLine]] = {}
    for line in stay.lines:
        offset = stay.days if line.unit == "日" else rng.randint(0, stay.days)
        by_day.setdefault(stay.admission + dt.timedelta(days=offset), []).append(line)
    return sorted(by_day.items())


def draw_daily_subtotals(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The two pages; the truth lists the items in the printed (posting) order."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    days = _posted_days(ctx)
    ordered = [line for _, lines in days for line in lines]
    fields = expense_list_fields(person, stay, ordered)
    pages = [FacedPage(210, 297, dpi=look.dpi, face=look.font) for _ in range(2)]
    left, right, w = 15.0, 195.0, 210.0
    title = "住院费用日清单汇总"
    first = pages[0]
    first.text(w / 2, 15, stay.hospital, 13, font_name="serif_bold", anchor="m")
    first.text(w / 2, 24, title, 15, font_name="sans_bold", anchor="m")
    head = [
        (left, 33, f"患者姓名：{person.name}"),
        (75, 33, f"住院号：{stay.inpatient_number}"),
        (135, 33, f"科室：{stay.department}"),
        (left, 39, f"床号：{stay.bed}"),
        (75, 39, f"入院日期：{date_text(stay.admission, 'iso')}"),
        (135, 39, f"出院日期：{date_text(stay.discharge, 'iso')}"),
        (left, 45, f"结算日期：{date_text(stay.discharge, 'iso')}"),
    ]
    for hx, hy, text in head:
        first.text(hx, hy, text, 9.5)
    cols: list[tuple[float, str, str]] = [(left + 2, "项目名称", "l"), (92, "费用类别", "l"), (122, "单位", "m")]
    cols += [(148, "单价", "r"), (166, "数量", "r"), (right - 2, "金额", "r")]
    # The days split over the two pages by the rows they take (a day never split).
    rows = [len(lines) + 2 for _, lines in days]
    half, taken, cut = sum(rows) / 2, 0, len(days)
    for k, n in enumerate(rows):
        if taken + n / 2 > half:
            cut = k
            break
        taken += n
    cut = max(1, min(cut, len(days) - 1)) if len(days) > 1 else 1
    row_h = 5.6
    for p, (s, chunk) in enumerate(zip(pages, (days[:cut], days[cut:]), strict=True)):
        y = 52.0 if p == 0 else 18.0
        s.rect(left, y, right, y + 7, width=0.3)
        for x, text, anchor in cols:
            s.text(x, y + 3.5, text, 9, font_name="sans_bold", anchor=anchor)
        y += 7
        for day, lines in chunk:
            s.rect(left, y, right, y + row_h, width=0.15, fill=(232, 232, 232))
            s.text(left + 2, y + row_h / 2, f"{date_text(day, 'iso')} 星期{WEEKDAYS[day.weekday()]}", 8.5)
            y += row_h
            for line in lines:
                values = (line.name, line.category, line.unit, _money(line.unit_price), str(line.quantity))
                for (x, _, anchor), value in zip(cols, (*values, _money(line.amount)), strict=True):
                    s.text(x, y + row_h / 2, value, 8.5, anchor=anchor)
                y += row_h
            subtotal = sum((line.amount for line in lines), Decimal("0.00"))
            s.line(left + 120, y + 0.3, right, y + 0.3, width=0.15)
            s.text(right - 2, y + row_h / 2, f"当日小计：{_money(subtotal)}", 8.5, anchor="r")
            y += row_h
        s.text(w / 2, 287, f"第{p + 1}页/共2页", 8, anchor="m")
    last = pages[1]
    foot = 262.0
    last.line(left, foot - 5, right, foot - 5, width=0.4)
    last.text(left, foot, f"住院费用总计：{fields['total_amount']}", 10.5, font_name="sans_bold")
    last.text(90, foot, f"大写：{to_upper_amount(stay.total)}", 10)
    last.text(left, foot + 8, f"打印人：{make_name(rng)}", 9)
    last.text(90, foot + 8, f"打印时间：{date_text(stay.discharge, 'iso')}", 9)
    last.stamp(seal_image(rng, stay.hospital, "收费专用章"), 165, foot + 4, 30)
    return Rendered("expense_list", None, list(pages), fields, True, title)


# ---------------------------------------------------------------------------------------------
# Dot-matrix on continuous green-bar paper

INCH = 25.4
RIBBON = (55, 60, 95)  # a worn ribbon's grey-blue
GREEN_BAND = (214, 236, 214)


def _greenbar(s: FacedPage) -> None:
    """The paper: green bands every half inch between the sprocket strips, holes and perforations."""
    d = ImageDraw.Draw(s.img)
    strip = 0.5 * INCH
    band = 0.5 * INCH
    y = 0.5 * INCH
    while y < s.height_mm:
        d.rectangle([s.px(strip), s.px(y), s.px(s.width_mm - strip), s.px(y + band)], fill=GREEN_BAND)
        y += 2 * band
    for x in (strip / 2, s.width_mm - strip / 2):
        d.line([(s.px(x + strip / 2 - 0.6), 0), (s.px(x + strip / 2 - 0.6), s.img.height)], fill=(200, 200, 200))
        hole = 0.5 * INCH
        y = hole / 2
        while y < s.height_mm:
            r = s.px(2.0)
            d.ellipse([s.px(x) - r, s.px(y) - r, s.px(x) + r, s.px(y) + r], fill=(70, 70, 70))
            y += hole
    for y in (1.0, s.height_mm - 1.0):
        for x in range(0, round(s.width_mm), 2):
            d.line([(s.px(x), s.px(y)), (s.px(x + 1), s.px(y))], fill=(150, 150, 150))


def _dashes(s: FacedPage, x0: float, x1: float, y: float) -> None:
    """A rule the printer strikes with hyphens."""
    s.text(x0, y, "-" * int((x1 - x0) / text_width_mm("-", 9, s.face)), 9, color=RIBBON, record=False)


def draw_greenbar_pinfeed(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The struck list; the truth is the base list's (items in the stay's order)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    paper = FacedPage(9.5 * INCH, 11 * INCH, dpi=look.dpi, paper=(250, 251, 246), face=look.font)
    ink = FacedPage(9.5 * INCH, 11 * INCH, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    _greenbar(paper)
    left, right = 22.0, 9.5 * INCH - 22
    title = "住院病人费用清单"
    dx, dy = rng.uniform(-1.0, 1.0), rng.uniform(-0.8, 0.8)

    def strike(x: float, y: float, text: str, size: float = 9, anchor: str = "l") -> None:
        ink.text(x + dx, y + dy, text, size, anchor=anchor, color=RIBBON)

    strike((left + right) / 2, 14, stay.hospital, 12, "m")
    strike((left + right) / 2, 21, title, 12, "m")
    strike(left, 30, f"病人姓名：{person.name}")
    strike(left + 70, 30, f"住 院 号：{stay.inpatient_number}")
    strike(left + 140, 30, f"科    室：{stay.department}")
    strike(left, 35.5, f"入院日期：{date_text(stay.admission, 'dot')}")
    strike(left + 70, 35.5, f"出院日期：{date_text(stay.discharge, 'dot')}")
    strike(left + 140, 35.5, f"费    别：{stay.insurance_type[:2]}医保")
    _dashes(ink, left, right, 40)
    cols: list[tuple[float, str, str]] = [(left, "项目名称", "l"), (left + 72, "费别", "l"), (left + 118, "数量", "r")]
    cols += [(left + 150, "单价", "r"), (right, "金额", "r")]
    for x, text, anchor in cols:
        strike(x, 44, text, 9, anchor)
    _dashes(ink, left, right, 48)
    y = 52.5
    row = INCH / 6  # six lines an inch, as the printer feeds
    for line in stay.lines:
        cells = (line.name, line.category, f"{line.quantity}{line.unit}", _money(line.unit_price), _money(line.amount))
        for (x, _, anchor), cell in zip(cols, cells, strict=True):
            strike(x, y, cell, 9, anchor)
        y += row
    _dashes(ink, left, right, y)
    y += row + 1
    strike(left, y, f"合计金额：{fields['total_amount']}元", 9.5)
    strike(left + 70, y, f"大写：{to_upper_amount(stay.total)}", 9.5)
    y += row + 2
    strike(left, y, f"制单：{make_name(rng)}")
    strike(left + 70, y, f"打印日期：{date_text(stay.discharge, 'dot')}")
    # The pins' strikes: each dot spread a little by the ribbon's cloth.
    struck = ink.img.filter(ImageFilter.GaussianBlur(max(0.6, look.dpi / INCH * 0.08)))
    paper.img = ImageChops.multiply(paper.img, struck)
    paper.lines.extend(ink.lines)
    return Rendered("expense_list", None, [paper], fields, False, title)


FAMILIES = [
    Family(
        "daily_subtotals",
        "expense_list",
        "两页 A4 住院费用日清单汇总：费用按记账日期分组，每日一行底纹日期（带星期），每日末“当日小计”，"
        "表头信息仅首页（患者姓名、住院号、科室、床号、入出院日期、结算日期），项目名称/费用类别/单位/单价/数量/金额，"
        "首页页尾无合计，第二页底部“住院费用总计”与大写、打印人与收费章",
        draw_daily_subtotals,
        ("sans", "microhei", "serif"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "greenbar_pinfeed",
        "expense_list",
        "县医院针式打印机在绿白相间连续打印纸（9.5×11 英寸，两侧输纸孔，顶底撕线）上打印的住院病人费用清单："
        "色带灰蓝字发虚，标签等宽空格（住 院 号：、科    室：），点分日期，短横线分隔表头与合计，"
        "项目名称/费别/数量（带单位，如 3支）/单价/金额，合计金额与大写，无章",
        draw_greenbar_pinfeed,
        ("hei", "ming", "sans"),
        (150, 250),
        ("scan", "photo"),
    ),
]
