"""Unseen 费用清单 families (the tenth blind set, stop 43).

`stitched_two_shots`: a one-page 住院费用清单 too long for one sharp phone photo, so the patient took two
(the upper part of the sheet, then the lower part, the second starting a few rows above where the first
ended) and joined them with the phone's collage app into one tall picture, the two shots one above the
other with a white gap between: each shot with its own slight turn, scale and light (one warmer, one
cooler), a strip of the desk at its sides, and the rows where the shots overlap shown twice, once at the
foot of the upper shot and again at the head of the lower one. The list: the hospital and title, the
particulars as label：value runs (患者姓名, 住院号, 科室, 医保类型; 在院期间 as 2025/06/03 至 2025/06/15),
the columns 序号 | 项目名称 | 费用类别 | 单价 | 数量 | 金额, ruled by thin lines; 合计金额 and 打印时间 under
the rows, no seal. The truth is the list's: each item once.

`dotted_leader_columns`: a 患者费用明细单 a small hospital's system prints as a text report, with no
ruling at all: each row's cells stand apart and the gaps between them are filled with dotted leaders
(头孢曲松钠注射液 ········ 西药费 ····· 支 ···· 3 ····· 12.50 ····· 37.50), the column heads the same way
over the first row, the particulars as two spaced lines (姓名, 住院号, 科室; 费用日期 as 2025年6月3日至
2025年6月15日, written without zeros), a page of at most 24 rows and the rest on a second page headed (续)
with the heads again, 共 2 页 第 1 页 at the foot, and the total as a leader line too (费用总额 ···· 1234.56)
with the printing clerk and the day; no seal."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import PrintedLine, text_width_mm
from synth.documents import Rendered, _money, expense_list_fields
from synth.families.common import LATIN_FALLBACK, FacedPage, Family, Look, date_text
from synth.people import make_name

# ---------------------------------------------------------------------------------------------
# Two phone shots joined in a collage


def _list_page(ctx: Context, look: Look, dpi: int) -> tuple[FacedPage, str]:
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    s = FacedPage(210, 297, dpi=dpi, paper=(252, 252, 249), face=look.font)
    title = "住院费用清单"
    s.text(105, 15, stay.hospital, 14, font_name="serif_bold", anchor="m")
    s.text(105, 24, title, 13.5, font_name="sans_bold", anchor="m")
    left, right = 14.0, 196.0
    s.text(left, 33, f"患者姓名：{person.name}", 9.5)
    s.text(left + 55, 33, f"住院号：{stay.inpatient_number}", 9.5)
    s.text(left + 110, 33, f"科室：{stay.department}", 9.5)
    span = f"{date_text(stay.admission, 'slash')} 至 {date_text(stay.discharge, 'slash')}"
    s.text(left, 39.5, f"在院期间：{span}", 9.5)
    s.text(left + 110, 39.5, f"医保类型：{stay.insurance_type}", 9.5)
    edges = [left, left + 12, left + 80, left + 108, left + 134, left + 152, right]
    heads = ("序号", "项目名称", "费用类别", "单价", "数量", "金额")
    anchors = ("m", "l", "l", "r", "r", "r")
    n = len(stay.lines)
    row_h = min(7.0, 196.0 / n)
    size = min(9.0, row_h * 1.35)
    y = 48.0
    s.line(left, y - 3.5, right, y - 3.5, width=0.35)

    def row(values: tuple[str, ...], y: float, bold: bool = False) -> None:
        for k, text in enumerate(values):
            x0, x1 = edges[k], edges[k + 1]
            hx = {"l": x0 + 1.2, "m": (x0 + x1) / 2, "r": x1 - 1.2}[anchors[k]]
            s.text(hx, y, text, size, anchor=anchors[k], font_name="sans_bold" if bold else "sans")

    row(heads, y, bold=True)
    s.line(left, y + 3.5, right, y + 3.5, width=0.3)
    y += 3.5 + row_h / 2
    for i, line in enumerate(stay.lines, 1):
        row((str(i), line.name, line.category, _money(line.unit_price), str(line.quantity), _money(line.amount)), y)
        s.line(left, y + row_h / 2, right, y + row_h / 2, width=0.12, color=(150, 150, 150))
        y += row_h
    top, bottom = 44.5, y - row_h / 2
    for x in edges:
        s.line(x, top, x, bottom, width=0.15, color=(120, 120, 120))
    y += 4
    s.text(right, y, f"合计金额：{_money(stay.total)}", 10, anchor="r", font_name="sans_bold")
    y += 7
    s.text(left, y, f"打印人：{make_name(rng)}", 9)
    s.text(
        left + 70,
        y,
        f"打印时间：{date_text(stay.discharge, 'slash')} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}",
        9,
    )
    return s, title


def _desk(h: int, w: int, rng: random.Random) -> np.ndarray:
    colour = np.array(rng.choice([(150, 120, 92), (120, 122, 128), (176, 168, 150)]), np.float32)
    gen = np.random.default_rng(rng.randrange(2**32))
    grain = cv2.GaussianBlur(gen.normal(0, 6, (h, w)).astype(np.float32), (0, 0), 3)
    return np.clip(colour[None, None, :] + grain[..., None], 0, 255)


def draw_stitched_two_shots(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The collage of the two shots; the truth is the list's, the lines where each shot shows them."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    page, title = _list_page(ctx, look, look.dpi)
    pxm = look.dpi / 25.4
    ph, pw = page.img.height, page.img.width
    # Where each shot starts and ends on the sheet (mm): the lower one starts a few rows above the upper's end.
    cut = rng.uniform(0.5, 0.58) * 250
    overlap = rng.uniform(14, 24)
    content_end = min(297.0, max(line.box[3] for line in page.lines) + rng.uniform(10, 18))
    shots = ((0.0, cut + overlap / 2), (cut - overlap / 2, content_end))
    side_mm, gap_mm = 9.0, 3.0
    panel_w = 210 + 2 * side_mm
    heights = [b - a + 8 for a, b in shots]
    canvas_mm = (panel_w, sum(heights) + gap_mm)
    collage = FacedPage(*canvas_mm, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    cw, ch = collage.img.size
    out = np.full((ch, cw, 3), 255, np.float32)
    src = np.asarray(page.img).astype(np.float32)
    lines: list[PrintedLine] = []
    panel_top = 0.0
    for (start, _end), height in zip(shots, heights, strict=True):
        a = math.radians(rng.uniform(-1.8, 1.8))
        scale = rng.uniform(0.97, 1.02)
        # Page px → canvas px: the shot's start to the panel's top, turned and scaled about the panel's middle.
        cx, cy = cw / 2, (panel_top + height / 2) * pxm
        page_cx, page_cy = pw / 2, (start + height / 2 - 4) * pxm
        rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32) * scale
        shift = np.array([cx, cy], np.float32) - rot @ np.array([page_cx, page_cy], np.float32)
        m = np.hstack([rot, shift[:, None]]).astype(np.float32)
        y0, y1 = round(panel_top * pxm), round((panel_top + height) * pxm)
        warped = cv2.warpAffine(src, m, (cw, ch), flags=cv2.INTER_AREA)
        alpha = cv2.warpAffine(np.ones((ph, pw), np.float32), m, (cw, ch), flags=cv2.INTER_LINEAR)[..., None]
        desk = _desk(ch, cw, rng)
        shot = desk * (1 - alpha) + warped * alpha
        # Each shot's own light: a tint and a fall-off from one side.
        tint = np.array(rng.choice([(1.03, 1.0, 0.93), (0.95, 0.99, 1.05), (1.0, 1.0, 0.98)]), np.float32)
        xs = np.linspace(0, 1, cw, dtype=np.float32)[None, :, None]
        ramp = xs if rng.random() < 0.5 else 1 - xs
        shade = 1 - rng.uniform(0.06, 0.16) * ramp
        shot = shot * tint * shade
        out[y0:y1] = shot[y0:y1]
        full = np.vstack([m, [0, 0, 1]]).astype(np.float32)
        for line in page.lines:
            x0, ly0, x1, ly1 = (v * pxm for v in line.box)
            pts = np.array([[[x0, ly0], [x1, ly0], [x1, ly1], [x0, ly1]]], np.float32)
            moved = cv2.perspectiveTransform(pts, full)[0]
            if moved[:, 1].min() >= y0 + 1 and moved[:, 1].max() <= y1 - 1:
                box = (
                    float(moved[:, 0].min()) / pxm,
                    float(moved[:, 1].min()) / pxm,
                    float(moved[:, 0].max()) / pxm,
                    float(moved[:, 1].max()) / pxm,
                )
                lines.append(PrintedLine(line.text, box))
        panel_top += height + gap_mm
    gen = np.random.default_rng(rng.randrange(2**32))
    final = cv2.GaussianBlur(out + gen.normal(0, 2.2, out.shape), (0, 0), rng.uniform(0.45, 0.7))
    collage.img = Image.fromarray(np.clip(final, 0, 255).astype(np.uint8))
    collage.draw = ImageDraw.Draw(collage.img)
    collage.lines = lines
    return Rendered("expense_list", None, [collage], fields, False, title)


# ---------------------------------------------------------------------------------------------
# A text report whose columns are joined by dotted leaders

ROWS_PER_PAGE = 24
LEADER = (95, 95, 95)


def _leaders(s: FacedPage, x0: float, x1: float, y: float, size: float) -> None:
    """Dots from x0 to x1 on the line at y (never a recorded line)."""
    if x1 - x0 < 2:
        return
    face = LATIN_FALLBACK.get(s.face, s.face)
    dot = text_width_mm("·", size, face)
    count = int((x1 - x0 - 1.5) / dot)
    if count > 0:
        s.text(x0 + 0.75, y, "·" * count, size, font_name=face, record=False, color=LEADER)


def _cells(s: FacedPage, y: float, cells: tuple[str, ...], stops: tuple[float, ...], size: float) -> None:
    """A row: the first cell from its stop, the rest right-aligned at theirs, leaders in every gap."""
    end = stops[0] + s.text(stops[0], y, cells[0], size)
    for text, stop in zip(cells[1:], stops[1:], strict=True):
        width = s.text(stop, y, text, size, anchor="r")
        _leaders(s, end, stop - width, y, size)
        end = stop


def draw_dotted_leader_columns(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The report; its truth is the list's."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    title = "患者费用明细单"
    chunks = [stay.lines[i : i + ROWS_PER_PAGE] for i in range(0, len(stay.lines), ROWS_PER_PAGE)]
    pages = [FacedPage(210, 297, dpi=look.dpi, paper=(253, 253, 251), face=look.font) for _ in chunks]
    left = 20.0
    stops = (left, 120.0, 134.0, 148.0, 170.0, 192.0)
    heads = ("序号  项目名称", "类别", "单位", "数量", "单价", "金额")
    size, row_h = 9.5, 8.0
    adm, dis = stay.admission, stay.discharge
    n = 0
    y = 0.0
    for p, (s, chunk) in enumerate(zip(pages, chunks, strict=True)):
        s.text(105, 16, stay.hospital, 13, anchor="m")
        s.text(105, 25, title if p == 0 else f"{title}（续）", 13, font_name="sans_bold", anchor="m")
        s.text(left, 35, f"姓名：{person.name}    住院号：{stay.inpatient_number}    科室：{stay.department}", 9.5)
        s.text(
            left,
            41.5,
            f"费用日期：{adm.year}年{adm.month}月{adm.day}日至{dis.year}年{dis.month}月{dis.day}日    "
            f"医保类型：{stay.insurance_type}",
            9.5,
        )
        y = 52.0
        _cells(s, y, heads, stops, size)
        y += row_h + 1
        for line in chunk:
            n += 1
            cells = (
                f"{n:>2}  {line.name}",
                line.category,
                line.unit,
                str(line.quantity),
                _money(line.unit_price),
                _money(line.amount),
            )
            _cells(s, y, cells, stops, size)
            y += row_h
        s.text(105, 284, f"共{len(pages)}页 第{p + 1}页", 9, anchor="m")
    last = pages[-1]
    y += 4
    _cells(last, y, ("费用总额", fields["total_amount"]), (left, stops[-1]), 10.5)
    y += 10
    last.text(left, y, f"打印：{make_name(rng)}    日期：{date_text(stay.discharge, 'iso')}", 9)
    return Rendered("expense_list", None, list(pages), fields, False, title)


FAMILIES = [
    Family(
        "stitched_two_shots",
        "expense_list",
        "一页住院费用清单太长，患者分上下两次拍照（第二张从第一张末尾往上几行开始），"
        "再用手机拼图 App 上下拼成一张长图、中间留白缝：两张各自略转、略缩放、"
        "光线不同（一暖一冷），两侧露出桌面，重叠的几行出现两次（上图底部与下图顶部）；"
        "清单：院名与标题，“标签：值”（患者姓名、住院号、科室、医保类型；"
        "在院期间“2025/06/03 至 2025/06/15”），列为序号|项目名称|费用类别|单价|数量|金额，"
        "细线分隔；末行下合计金额与打印时间，无章；真值中每项只算一次",
        draw_stitched_two_shots,
        ("sans", "microhei", "ming"),
        (180, 260),
        ("clean",),
    ),
    Family(
        "dotted_leader_columns",
        "expense_list",
        "小医院系统按文本报表打印的患者费用明细单，完全无表格线：每行各格分开，格与格之间用点状引导线填满"
        "（头孢曲松钠注射液 ········ 西药费 ····· 支 ···· 3 ····· 12.50 ····· 37.50），列标题同样方式；信息为两行"
        "空格分隔（姓名、住院号、科室；费用日期“2025年6月3日至2025年6月15日”无前导零），每页至多 24 行，余下在"
        "第二页并标“（续）”、重复列标题，页脚“共2页 第1页”，费用总额也是引导线一行，打印人与日期；无章",
        draw_dotted_leader_columns,
        ("sans", "hei", "serif"),
        (160, 300),
        ("scan", "scanned_grey"),
    ),
]
