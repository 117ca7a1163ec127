"""Unseen 费用清单 families (the eighth blind set, stop 41).

`bracket_grade_four_decimals`: a 住院患者费用明细单 printed by a specialist hospital's HIS: each item's
医保 grade in square brackets after its name ([甲], [乙], [丙]) rather than in a column of its own, unit
prices to four decimals (12.5000), a 规格 column, the 费用类别 last; the particulars as label：value lines
(患者, 住院号, 病区, 结算区间 as 2025-06-03 08:32—2025-06-15 10:05, 医保类别); under the items a 费用类别汇总
block (class：amount four to a line), the 甲类 / 乙类 / 丙类 sums, the 费用总额, the 打印人 and 打印时间 and
the cashier's seal; the column heads repeated on every page.

`folded_zebra_angle`: a one-page 住院费用清单 that was folded in half across the middle, then photographed
on a bed sheet at an angle without being flattened: the two halves lie at different slants (a kink along
the fold, the lower half nearer the lens, darker, and its own perspective), a shadow and a bright ridge
along the crease. Its print: the particulars as a head table with the labels in a shaded row and the
values in the row under them (姓名, 住院号, 科室, 入院日期, 出院日期, 医保类型; ISO dates), the items with
no ruled lines but every other row shaded (zebra stripes): 编号, 项目名称, 类别, 数量, 单位, 单价, 金额;
the 总计金额 with its amount in words, and the 清单打印人 and 打印日期 at the foot; no seal."""

from __future__ import annotations

import random
import zlib
from decimal import Decimal

import cv2
import numpy as np
from PIL import Image

from extractors.normalize import to_upper_amount
from synth.build import Context
from synth.canvas import PrintedLine, seal_image
from synth.documents import Rendered, _category_totals, _money, expense_list_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import ChargeLine, make_name

SPECS = {
    "头孢曲松钠注射液": "1.0g/支",
    "氯化钠注射液": "250ml:2.25g",
    "奥美拉唑肠溶胶囊": "20mg×14粒",
    "阿托伐他汀钙片": "10mg×7片",
    "连花清瘟胶囊": "0.35g×24粒",
    "一次性输液器": "带针",
    "医用留置针": "24G",
}
DRUGS = ("西药费", "中成药费")


def grade(line: ChargeLine) -> str:
    """The item's 医保 grade, drawn from its name (one item, one grade): drugs 甲 or 乙, materials 乙 or
    丙, services mostly 甲."""
    pick = zlib.crc32(line.name.encode("utf-8")) % 10
    if line.category in DRUGS:
        return "甲" if pick < 5 else "乙"
    if line.category == "卫生材料费":
        return "乙" if pick < 6 else "丙"
    return "甲" if pick < 8 else "乙"


def draw_bracket_grade_four_decimals(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The HIS list; its truth is the base truth (names without the bracketed grade)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    left, right = 12.0, 198.0
    edges = [left, left + 10, left + 66, left + 92, left + 103, left + 116, left + 138, left + 160, right]
    heads = ("序号", "项目名称", "规格", "单位", "数量", "单价", "金额", "费用类别")
    anchors = ("m", "l", "l", "m", "r", "r", "r", "m")
    row_h, size = 6.6, 8.5
    first_top, limit = 54.0, 268.0
    per_page = int((limit - first_top) // row_h)
    chunks = [stay.lines[i : i + per_page] for i in range(0, len(stay.lines), per_page)]
    if (first_top + row_h * len(chunks[-1])) > limit - 52:
        chunks.append([])  # the summary needs a page of its own
    title = "住院患者费用明细单"
    pages = [FacedPage(210, 297, dpi=look.dpi, paper=(253, 253, 251), face=look.font) for _ in chunks]
    clock_in = f"{rng.randint(7, 20):02d}:{rng.randint(0, 59):02d}"
    clock_out = f"{rng.randint(8, 11):02d}:{rng.randint(0, 59):02d}"
    span = f"{date_text(stay.admission, 'iso')} {clock_in}—{date_text(stay.discharge, 'iso')} {clock_out}"
    seq = 0
    for p, (s, chunk) in enumerate(zip(pages, chunks, strict=True)):
        s.text(105, 14, stay.hospital, 13, font_name="serif_bold", anchor="m")
        s.text(105, 22, title, 12.5, font_name="sans_bold", anchor="m")
        s.text(left, 31, f"患者：{person.name}", 9)
        s.text(left + 46, 31, f"住院号：{stay.inpatient_number}", 9)
        s.text(left + 100, 31, f"病区：{stay.department}", 9)
        s.text(left + 146, 31, f"第{p + 1}页/共{len(pages)}页", 9)
        s.text(left, 37, f"结算区间：{span}", 9)
        s.text(left + 100, 37, f"医保类别：{stay.insurance_type}", 9)
        s.line(left, 42, right, 42, width=0.45)
        for k, head in enumerate(heads):
            x0, x1 = edges[k], edges[k + 1]
            x = {"l": x0 + 1, "m": (x0 + x1) / 2, "r": x1 - 1}[anchors[k]]
            s.text(x, 46.5, head, 8.5, anchor=anchors[k], font_name="sans_bold")
        s.line(left, 50.5, right, 50.5, width=0.25)
        y = first_top
        for line in chunk:
            seq += 1
            values = (
                str(seq),
                f"{line.name}[{grade(line)}]",
                SPECS.get(line.name, ""),
                line.unit,
                str(line.quantity),
                f"{line.unit_price:.4f}",
                _money(line.amount),
                line.category,
            )
            for k, text in enumerate(values):
                if not text:
                    continue
                x0, x1 = edges[k], edges[k + 1]
                x = {"l": x0 + 1, "m": (x0 + x1) / 2, "r": x1 - 1}[anchors[k]]
                s.text(x, y + row_h / 2, text, size, anchor=anchors[k])
            y += row_h
        s.line(left, y + 0.5, right, y + 0.5, width=0.25)
        if p < len(pages) - 1:
            continue
        y += 6
        s.text(left, y, "费用类别汇总", 9, font_name="sans_bold")
        y += 5.5
        for k, (name, amount) in enumerate(_category_totals(stay)):
            r, c = divmod(k, 4)
            s.text(left + c * 47, y + r * 5.5, f"{name}：{_money(amount)}", 8.5)
        y += 5.5 * ((len(_category_totals(stay)) + 3) // 4) + 2
        sums = {g: Decimal("0.00") for g in "甲乙丙"}
        for line in stay.lines:
            sums[grade(line)] += line.amount
        s.text(left, y, "    ".join(f"{g}类：{_money(v)}" for g, v in sums.items()), 8.5)
        y += 7
        s.text(left, y, f"费用总额：{fields['total_amount']}", 10.5, font_name="sans_bold")
        y += 7.5
        s.text(left, y, f"打印人：{make_name(rng)}", 9)
        printed = f"{date_text(stay.discharge, 'iso')} {rng.randint(9, 17):02d}:{rng.randint(0, 59):02d}"
        s.text(left + 60, y, f"打印时间：{printed}", 9)
        s.stamp(seal_image(rng, stay.hospital, "住院收费专用章"), 168, y - 9, 30)
    return Rendered("expense_list", None, list(pages), fields, True, title)


# ---------------------------------------------------------------------------------------------
# A list folded in half and photographed aslant

SHADE = (232, 234, 238)
FRAME_MM = (250.0, 320.0)


def _list_page(ctx: Context, look: Look) -> tuple[FacedPage, dict[str, object], str]:
    """The list as printed: the head table, the zebra rows, the total and the foot."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    s = FacedPage(210, 297, dpi=look.dpi, paper=(251, 251, 249), face=look.font)
    left, right = 14.0, 196.0
    title = "住院费用清单"
    s.text(105, 15, stay.hospital, 13.5, font_name="serif_bold", anchor="m")
    s.text(105, 23.5, title, 13, font_name="sans_bold", anchor="m")
    cells = (
        ("姓名", person.name),
        ("住院号", stay.inpatient_number),
        ("科室", stay.department),
        ("入院日期", date_text(stay.admission, "iso")),
        ("出院日期", date_text(stay.discharge, "iso")),
        ("医保类型", stay.insurance_type),
    )
    widths = (24.0, 26.0, 27.0, 29.0, 29.0, 47.0)
    x, top = left, 30.0
    for (label, value), width in zip(cells, widths, strict=True):
        s.rect(x, top, x + width, top + 6, width=0.25, fill=SHADE)
        s.rect(x, top + 6, x + width, top + 13, width=0.25)
        s.text(x + width / 2, top + 3, label, 8.5, anchor="m")
        s.text(x + width / 2, top + 9.5, value, 8.5 if len(value) < 10 else 7.8, anchor="m")
        x += width
    edges = [left, left + 12, left + 78, left + 104, left + 118, left + 130, left + 154, right]
    heads = ("编号", "项目名称", "类别", "数量", "单位", "单价", "金额")
    anchors = ("m", "l", "l", "r", "m", "r", "r")
    row_h, size = 6.3, 8.5
    y = 50.0
    s.rect(left, y, right, y + row_h, width=0.01, color=(60, 60, 60), fill=(70, 74, 82))
    for k, head in enumerate(heads):
        x0, x1 = edges[k], edges[k + 1]
        hx = {"l": x0 + 1.2, "m": (x0 + x1) / 2, "r": x1 - 1.2}[anchors[k]]
        s.text(hx, y + row_h / 2, head, 8.5, anchor=anchors[k], font_name="sans_bold", color=(255, 255, 255))
    y += row_h
    for n, line in enumerate(stay.lines, 1):
        if n % 2 == 0:
            s.rect(left, y, right, y + row_h, width=0.01, color=SHADE, fill=SHADE)
        values = (
            f"{n:02d}",
            line.name,
            line.category,
            str(line.quantity),
            line.unit,
            _money(line.unit_price),
            _money(line.amount),
        )
        for k, text in enumerate(values):
            x0, x1 = edges[k], edges[k + 1]
            hx = {"l": x0 + 1.2, "m": (x0 + x1) / 2, "r": x1 - 1.2}[anchors[k]]
            s.text(hx, y + row_h / 2, text, size, anchor=anchors[k])
        y += row_h
    s.line(left, y, right, y, width=0.4)
    y += 6
    total = fields["total_amount"]
    assert isinstance(total, str)
    s.text(left, y, f"总计金额：{total}元", 10, font_name="sans_bold")
    s.text(left + 70, y, f"（大写：{to_upper_amount(Decimal(total))}）", 9)
    y += 8
    s.text(left, y, f"清单打印人：{make_name(rng)}", 8.5)
    s.text(left + 70, y, f"打印日期：{date_text(stay.discharge, 'iso')}", 8.5)
    return s, fields, title


def _sheet(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A bed sheet: a pale coloured cotton with soft folds of shade across it."""
    w, h = size
    colour = np.array(rng.choice([(196, 208, 226), (226, 214, 196), (210, 222, 206), (228, 228, 232)]), np.float32)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    a, b = rng.uniform(0.002, 0.006), rng.uniform(0, 6.28)
    folds = 0.9 + 0.08 * np.sin(xs * a + ys * a * 0.6 + b) + 0.04 * np.sin(ys * a * 2.3 + b * 2)
    weave = 4 * np.sin(xs * 2.1) * np.sin(ys * 2.1)
    return colour * folds[..., None] + weave[..., None]


def draw_folded_zebra_angle(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The folded list photographed aslant; the truth is the base truth, its lines where each half lies."""
    rng = ctx.rng
    page, fields, title = _list_page(ctx, look)
    photo = FacedPage(*FRAME_MM, dpi=look.dpi, face=look.font)
    fw, fh = photo.img.size
    pw, ph = page.img.size
    fold_mm = rng.uniform(140, 157)
    fold = round(fold_mm / 297 * ph)
    # The page aslant (its far, top edge narrower), and the lower half lifted towards the lens: a map that
    # leaves every point of the fold where the upper half puts it (the halves meet along the crease) and
    # enlarges, widens and shifts the lower half the further it is from the fold.
    scale = rng.uniform(0.68, 0.74) * fw / pw
    cx, top = fw / 2 + rng.uniform(-0.03, 0.03) * fw, fh * rng.uniform(0.04, 0.07)
    half_w, height = pw * scale / 2, ph * scale
    narrow = rng.uniform(0.03, 0.07) * pw * scale
    lean = rng.uniform(-0.03, 0.03) * fw
    quad = np.array(
        [
            [cx - half_w + narrow + lean, top],
            [cx + half_w - narrow + lean, top + rng.uniform(-0.015, 0.015) * fh],
            [cx + half_w, top + height],
            [cx - half_w, top + height],
        ],
        np.float32,
    )
    upper = cv2.getPerspectiveTransform(np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32), quad)
    rest = ph - fold
    lift = np.array(
        [rng.uniform(-0.03, 0.03) * pw / rest, rng.uniform(0.0, 0.06), -rng.uniform(0.05, 0.15) / rest], np.float64
    )
    while True:
        homology = np.eye(3) + np.outer(lift, [0.0, 1.0, -fold])
        lower = upper @ homology
        corners = cv2.perspectiveTransform(np.array([[[0, ph], [pw, ph]]], np.float32), lower)[0]
        if corners[:, 0].min() > 0.02 * fw and corners[:, 0].max() < 0.98 * fw and corners[:, 1].max() < 0.98 * fh:
            break
        lift = lift / 2
    ends = cv2.perspectiveTransform(np.array([[[0, fold], [pw, fold]]], np.float32), upper)[0]
    fl, fr = (float(ends[0][0]), float(ends[0][1])), (float(ends[1][0]), float(ends[1][1]))
    halves = ((0, fold, upper, 1.0), (fold, ph, lower, rng.uniform(0.8, 0.9)))
    out = _sheet((fw, fh), rng)
    src_img = np.asarray(page.img).astype(np.float32)
    matrices = []
    for y0, y1, m, light in halves:
        matrices.append(m)
        mask = np.zeros((ph, pw), np.float32)
        mask[y0:y1] = 1
        warped = cv2.warpPerspective(src_img, m, (fw, fh), flags=cv2.INTER_AREA)
        alpha = cv2.warpPerspective(mask, m, (fw, fh), flags=cv2.INTER_LINEAR)[..., None]
        out = out * (1 - alpha) + warped * light * alpha
    # The crease: a dark line with a bright ridge beside it, along the fold.
    crease = np.zeros((fh, fw), np.float32)
    p0, p1 = (round(fl[0]), round(fl[1])), (round(fr[0]), round(fr[1]))
    cv2.line(crease, p0, p1, 1.0, max(2, fw // 700))
    ridge = np.zeros((fh, fw), np.float32)
    above = max(3, fw // 400)
    cv2.line(ridge, (p0[0], p0[1] - above), (p1[0], p1[1] - above), 1.0, max(2, fw // 500))
    out = out * (1 - 0.35 * cv2.GaussianBlur(crease, (0, 0), 1.5)[..., None])
    out = out + 30 * cv2.GaussianBlur(ridge, (0, 0), 2.0)[..., None]
    # The lamp from one side, the phone's noise and softness.
    gx = np.linspace(0, 1, fw, dtype=np.float32)[None, :, None]
    side_light = rng.uniform(0.85, 0.95) + rng.uniform(0.05, 0.12) * (gx if rng.random() < 0.5 else 1 - gx)
    out = out * side_light * np.array([1.0, 0.98, 0.94], np.float32)
    gen = np.random.default_rng(rng.randrange(2**32))
    out = cv2.GaussianBlur(out + gen.normal(0, 3, out.shape), (0, 0), rng.uniform(0.6, 0.9))
    photo.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    px_page, px_photo = pw / 210, fw / FRAME_MM[0]
    lines: list[PrintedLine] = []
    for line in page.lines:
        middle = (line.box[1] + line.box[3]) / 2
        lines.extend(_moved(line, matrices[0 if middle < fold_mm else 1], px_page, px_photo))
    photo.lines = lines
    return Rendered("expense_list", None, [photo], fields, False, title)


def _moved(line: PrintedLine, m: np.ndarray, from_px: float, to_px: float) -> list[PrintedLine]:
    x0, y0, x1, y1 = line.box
    pts = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], np.float32) * from_px
    moved = cv2.perspectiveTransform(pts, m)[0] / to_px
    box = (float(moved[:, 0].min()), float(moved[:, 1].min()), float(moved[:, 0].max()), float(moved[:, 1].max()))
    return [PrintedLine(line.text, box)]


FAMILIES = [
    Family(
        "bracket_grade_four_decimals",
        "expense_list",
        "专科医院 HIS 打印的住院患者费用明细单：医保等级以方括号附在项目名称后（[甲]、[乙]、[丙]）而非单列，单价四位"
        "小数（12.5000），规格列，费用类别在最后；“标签：值”表头（患者、住院号、病区、结算区间“2025-06-03 08:32—"
        "2025-06-15 10:05”、医保类别、第N页/共M页），每页重复列头；明细后费用类别汇总（每行四个“类别：金额”）、"
        "甲类/乙类/丙类合计、费用总额、打印人与打印时间、收费章",
        draw_bracket_grade_four_decimals,
        ("sans", "microhei", "ming"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "folded_zebra_angle",
        "expense_list",
        "对折后未压平、放在床单上斜拍的单页住院费用清单：上下两半倾角不同（折线处转折，下半更近镜头、更暗、另有透视），"
        "折线一道暗影与亮脊；表头为底纹标签行下接数值行的表格（姓名、住院号、科室、ISO 入出院日期、医保类型），"
        "明细无格线、隔行底纹（编号、项目名称、类别、数量、单位、单价、金额），总计金额与大写，清单打印人与打印日期；无章",
        draw_folded_zebra_angle,
        ("sans", "hei", "serif"),
        (150, 250),
        ("clean",),
    ),
]
