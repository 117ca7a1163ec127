"""An unseen 费用清单 family: a hospital information system's 住院费用明细清单 print-out. A header block
of 住院号 / 科室 / 床号 and the stay's dates on every page; columns 序号, 项目编码, 项目名称, 规格, 单位,
单价 (four decimals, as the system stores it), 数量, 金额, 医保类别 (甲/乙/丙) and 自付比例 as a
fraction; the rows grouped under a fee-class line; 本页小计 at the foot of each page and the grand total
with its amount in words on the last."""

from __future__ import annotations

import random
from decimal import Decimal

from extractors.normalize import to_upper_amount
from synth.build import Context
from synth.canvas import Surface, seal_image
from synth.documents import Rendered, _money, expense_list_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import ChargeLine

# (header, width mm, anchor); the columns in the order the system prints them.
COLUMNS = (
    ("序号", 8, "l"),
    ("项目编码", 25, "l"),
    ("项目名称", 44, "l"),
    ("规格", 20, "l"),
    ("单位", 9, "m"),
    ("单价", 18, "r"),
    ("数量", 10, "r"),
    ("金额", 20, "r"),
    ("医保类别", 14, "m"),
    ("自付比例", 14, "r"),
)
GRADE = {"西药费": "甲", "中成药费": "乙", "卫生材料费": "丙"}
RATIO = {"甲": "0.00", "乙": "0.10", "丙": "1.00"}
ROWS_PER_PAGE = 30
LEFT = 12.0


def _code(line: ChargeLine, rng: random.Random) -> str:
    """Drugs carry the national 医保药品 code, services the 医疗服务项目 number."""
    if line.category in ("西药费", "中成药费"):
        group, system, level = rng.choice("XZ"), rng.choice("ABCJN"), rng.randint(1, 9)
        return f"{group}{system}{level:02d}{rng.choice('ABCD')}{rng.randint(1000, 9999)}"
    return f"{rng.randint(11, 33)}{rng.randint(10, 99)}{rng.randint(0, 99):02d}{rng.randint(1, 999):03d}"


# The package sizes a drug or material is dispensed in, by its unit.
SPECS = {
    "盒": ("0.5g*24片", "5mg*28片", "20mg*7粒", "10mg*14片"),
    "支": ("1g", "2ml:10mg", "0.5g"),
    "袋": ("250ml", "100ml", "500ml"),
    "瓶": ("500ml", "250ml"),
}
MATERIAL_SPECS = ("22G", "1套", "7号", "10cm*10cm")


def _spec(line: ChargeLine, rng: random.Random) -> str:
    if line.category == "卫生材料费":
        return rng.choice(MATERIAL_SPECS)
    return rng.choice(SPECS[line.unit]) if line.unit in SPECS else ""


def _row(n: int, line: ChargeLine, rng: random.Random) -> list[str]:
    grade = GRADE.get(line.category, "甲")
    return [
        str(n),
        _code(line, rng),
        line.name,
        _spec(line, rng),
        line.unit,
        f"{line.unit_price:.4f}",
        str(line.quantity),
        _money(line.amount),
        grade,
        RATIO[grade],
    ]


def _places() -> list[tuple[float, str]]:
    x, placed = LEFT, []
    for _, width, anchor in COLUMNS:
        placed.append((x if anchor == "l" else x + width / 2 if anchor == "m" else x + width - 1, anchor))
        x += width
    return placed


def _head(s: Surface, ctx: Context, page: int, pages: int) -> float:
    """The letterhead and header block every page repeats; returns the y of the first row."""
    person, stay, w = ctx.person, ctx.stay, s.width_mm
    s.text(w / 2, 13, stay.hospital, 13, font_name="serif_bold", anchor="m")
    s.text(w / 2, 21, "住院费用明细清单", 13, font_name="serif_bold", anchor="m")
    s.text(w - LEFT, 21, f"第{page}页/共{pages}页", 8, anchor="r")
    rows = [
        [
            f"住院号：{stay.inpatient_number}",
            f"姓名：{person.name}",
            f"性别：{person.sex}",
            f"费别：{stay.insurance_type}",
        ],
        [
            f"科室：{stay.department}",
            f"床号：{stay.bed}",
            f"入院日期：{date_text(stay.admission, 'iso')}",
            f"出院日期：{date_text(stay.discharge, 'iso')}",
        ],
    ]
    for r, row in enumerate(rows):
        for x, text in zip((LEFT, 58, 92, 140), row, strict=True):
            s.text(x, 29 + r * 5.5, text, 8.5)
    s.line(LEFT, 37, w - LEFT, 37, width=0.4)
    for (at, anchor), (header, _, _) in zip(_places(), COLUMNS, strict=True):
        s.text(at, 40.5, header, 8, font_name="sans_bold", anchor=anchor)
    s.line(LEFT, 43.5, w - LEFT, 43.5, width=0.25)
    return 47.5


def draw_his_detail(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The list; rows in the printed order (grouped by fee class), so the truth lists them so."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    rows: list[tuple[str, ChargeLine | str]] = []
    for category in dict.fromkeys(ln.category for ln in stay.lines):
        rows.append(("class", category))
        rows += [("line", ln) for ln in stay.lines if ln.category == category]
    chunks = [rows[i : i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)]
    pages: list[Surface] = []
    ordered: list[ChargeLine] = []
    places = _places()
    for p, chunk in enumerate(chunks, 1):
        s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
        pages.append(s)
        y = _head(s, ctx, p, len(chunks))
        page_sum = Decimal("0.00")
        for kind, value in chunk:
            if isinstance(value, str):
                s.text(places[2][0], y, f"类别：{value}", 8, font_name="sans_bold")
            else:
                ordered.append(value)
                page_sum += value.amount
                for (at, anchor), cell in zip(places, _row(len(ordered), value, rng), strict=True):
                    if cell:
                        s.text(at, y, cell, 8, anchor=anchor)
            y += 6.0 if kind == "line" else 5.5
        s.line(LEFT, y - 2.5, s.width_mm - LEFT, y - 2.5, width=0.25)
        s.text(places[7][0], y + 1.5, f"本页小计：{_money(page_sum)}", 8.5, anchor="r")
        if p == len(chunks):
            y += 9
            total = stay.total
            s.text(LEFT, y, f"费用总额：{_money(total)}元", 10, font_name="sans_bold")
            s.text(70, y, f"大写：{to_upper_amount(total)}", 9.5)
            clock = f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
            s.text(LEFT, y + 7, f"打印时间：{date_text(stay.discharge, 'iso')} {clock}", 8.5)
            s.text(90, y + 7, f"操作员：{rng.randint(1000, 9999)}", 8.5)
            s.stamp(seal_image(rng, stay.hospital, "住院收费专用章"), 165, y + 10, 34)
    fields = expense_list_fields(person, stay, ordered)
    return Rendered("expense_list", None, pages, fields, True, "住院费用明细清单")


FAMILIES = [
    Family(
        "his_detail_ratio",
        "expense_list",
        "医院信息系统打印的住院费用明细清单：表头块（住院号、科室、床号）每页重复，编码、规格、四位小数单价、"
        "甲乙丙医保类别、小数自付比例列，按类别分组行，本页小计与大写总额",
        draw_his_detail,
        ("sans", "microhei", "serif"),
        (200, 300),
        ("scan", "scanned_grey"),
    )
]
