"""Unseen 医疗收费票据 families (the eleventh blind set, stop 44).

`narrow_carriage_wrap`: a county hospital's HIS prints its 住院收费票据 in the printer's text mode, laid
out for a 136-column wide-carriage dot-matrix printer, but the cashier's window has an 80-column
narrow-carriage one: every line longer than the carriage goes on at the left margin of the next line,
where the printer wraps it, and pushes everything after it down. So the 校验码 and the 开票日期 land on a
line of their own under the 票据代码 and 票据号码, long departments break in the middle, the fee classes (four
groups of 项目 and 金额 a line) come apart with an amount at the start of the next line, the dashed rules
break into a long and a short one, the fund's split breaks inside the 个人自费 label (个 at the end of one
line, 人自费：… at the start of the next) and the 复核 / 收款人 go under the 收款单位. Every character
sits in the printer's fixed cells (a Chinese character two columns, a digit one), in a ribbon's tired
black, on plain white continuous paper, with the 收费专用章 stamped over the 收款单位. The stay as
住院时间：2025-06-03至2025-06-15, the total as 合计（大写）and （小写）：¥.

`torn_corner_taped`: a blue-framed pre-printed paper 住院收费票据 whose top-right corner was torn off (the
bill caught in a bag's zip) and taped back with clear tape before it was handed in: a ragged tear from
the top edge down to the right edge, through the 票据号码, 校验码 and 开票日期 block, the corner piece put
back a little off (shifted a millimetre or so and turned a degree or two, a thin gap of the backing
showing along the tear, its torn fibres white), two or three strips of slightly yellow tape across the
tear with glossy edges. Its print: 票据代码 at the top left, 票据号码 / 校验码 / 开票日期 stacked at the top
right, 交款人 / 住院号 / 住院科室 on one line, the stay as 住院日期：2025年06月03日起至2025年06月15日止, the
fee classes in two groups of 收费项目 | 金额, 合计人民币（大写）with ¥ figures, the fund's split on one
line (医保基金支付, 个人账户支付, 自付金额, 自费金额), 收款单位（盖章）with the seal, 收款人."""

from __future__ import annotations

import math
import random
import re

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import PrintedLine, seal_image
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import HOSPITALS, make_name


def _province(hospital: str) -> str:
    return next((p for h, p in HOSPITALS if h == hospital), "浙江省")


# ---------------------------------------------------------------------------------------------
# A 136-column text-mode bill wrapped by an 80-column printer

CARRIAGE = 80  # columns the narrow carriage prints
LAYOUT = 136  # columns the HIS lays its lines out for
CELL_MM = 25.4 / 10  # 10 characters an inch
PITCH_MM = 5.2  # line feed
PAPER_W = 216.0  # 8.5 inch continuous paper
LEFT_MM = 6.5
RIBBON = (44, 44, 52)


def _cols(ch: str) -> int:
    """Columns one character takes in the printer's text mode: a Chinese character (or full-width
    punctuation) two, anything else one."""
    return 2 if ord(ch) >= 0x2E80 else 1


def _width(text: str) -> int:
    return sum(_cols(ch) for ch in text)


def _laid(fields: list[tuple[int, str]], centre: bool = False) -> str:
    """One logical line: each text starting at its column (a wide character never split), spaces between."""
    out, at = "", 0
    for col, text in fields:
        if centre:
            col = max(0, (LAYOUT - _width(text)) // 2)
        if col > at:
            out += " " * (col - at)
            at = col
        out += text
        at += _width(text)
    return out


def _wrapped(line: str) -> list[str]:
    """The physical lines one logical line comes out as: cut where the carriage ends, a wide character
    that would straddle the last column going on to the next line whole."""
    rows, row, at = [], "", 0
    for ch in line:
        w = _cols(ch)
        if at + w > CARRIAGE:
            rows.append(row)
            row, at = "", 0
        row += ch
        at += w
    rows.append(row)
    return [r.rstrip() for r in rows]


def _print_row(s: FacedPage, y: float, row: str, size: float) -> None:
    """Strike one physical line in fixed cells; each run of text between gaps of two or more spaces is
    recorded as one printed line."""
    at = 0
    cells: list[tuple[int, str]] = []
    for ch in row:
        cells.append((at, ch))
        at += _cols(ch)
    for m in re.finditer(r"\S+(?: \S+)*", row):
        start = _width(row[: m.start()])
        x0 = LEFT_MM + start * CELL_MM
        x1 = x0 + _width(m.group()) * CELL_MM
        half = size / 72 * 25.4 / 2
        s.lines.append(PrintedLine(m.group(), (x0, y - half, x1, y + half)))
    for col, ch in cells:
        if ch == " ":
            continue
        x = LEFT_MM + (col + _cols(ch) / 2) * CELL_MM
        s.text(x, y, ch, size, anchor="m", color=RIBBON, record=False)


def _ribbon(img: Image.Image, rng: random.Random) -> Image.Image:
    """A tired ribbon: the print lighter in bands across the page and a little soft."""
    arr = np.asarray(img).astype(np.float32)
    h = arr.shape[0]
    ys = np.arange(h, dtype=np.float32)[:, None, None]
    period = h / rng.uniform(2.5, 5)
    fade = 0.78 + 0.2 * (0.5 + 0.5 * np.sin(ys / period * 2 * math.pi + rng.uniform(0, 6)))
    paper = np.array([253, 253, 250], np.float32)
    ink = (paper - arr) * fade
    out = cv2.GaussianBlur(paper - ink, (0, 0), 0.55)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def draw_narrow_carriage_wrap(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The wrapped text-mode bill; every field printed (some broken over two physical lines)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    title = f"{_province(stay.hospital)}医疗住院收费票据"
    classes = _category_totals(stay)
    logical: list[str] = [
        _laid([(0, title)], centre=True),
        _laid([(0, "（机打票据）")], centre=True),
        "",
        _laid(
            [
                (0, f"票据代码：{fields['invoice_code']}"),
                (44, f"票据号码：{fields['invoice_number']}"),
                (84, f"校验码：{fields['check_code']}"),
                (108, f"开票日期：{fields['issue_date']}"),
            ]
        ),
        _laid(
            [
                (0, f"交款人：{fields['payer_name']}"),
                (24, f"性别：{person.sex}"),
                (38, f"住院号：{stay.inpatient_number}"),
                (62, f"住院科室：{stay.department}"),
                (96, f"医保类型：{stay.insurance_type}"),
            ]
        ),
        _laid(
            [
                (0, f"住院时间：{date_text(stay.admission, 'iso')}至{date_text(stay.discharge, 'iso')}"),
                (40, f"住院天数：{stay.days}"),
            ]
        ),
        "-" * LAYOUT,
        _laid([(k * 34, "项目名称        金额") for k in range(4)]),
    ]
    for i in range(0, len(classes), 4):
        group = []
        for k, (name, amount) in enumerate(classes[i : i + 4]):
            money = _money(amount)
            group.append((k * 34, name))
            group.append((k * 34 + 22 - len(money), money))
        logical.append(_laid(group))
    logical += [
        "-" * LAYOUT,
        _laid([(0, f"合计（大写）：{fields['total_amount_upper']}"), (82, f"（小写）：¥{fields['total_amount']}")]),
        _laid(
            [
                (0, f"医保统筹基金支付：{fields['medical_insurance_paid']}"),
                (30, f"个人账户支付：{fields['personal_account_paid']}"),
                (56, f"个人自付：{fields['self_paid']}"),
                (78, f"个人自费：{fields['self_expense']}"),
            ]
        ),
        "",
        _laid(
            [
                (0, f"收款单位（章）：{fields['payee']}"),
                (62, f"复核：{make_name(rng)}"),
                (86, f"收款人：{make_name(rng)}"),
            ]
        ),
    ]
    rows = [row for line in logical for row in _wrapped(line)]
    top = 12.0
    height = top + len(rows) * PITCH_MM + 14
    s = FacedPage(PAPER_W, height, dpi=look.dpi, paper=(253, 253, 250), face=look.font)
    size = 11.5
    seal_at = None
    for i, row in enumerate(rows):
        y = top + i * PITCH_MM
        _print_row(s, y, row, size)
        if row.startswith("收款单位（章）："):
            seal_at = (LEFT_MM + 34 * CELL_MM, y)
    s.img = _ribbon(s.img, rng)
    s.draw = ImageDraw.Draw(s.img)
    if seal_at is not None:
        s.stamp(seal_image(rng, stay.hospital, "收费专用章"), seal_at[0], seal_at[1] + 2, 32)
    return Rendered("invoice", None, [s], fields, True, title)


# ---------------------------------------------------------------------------------------------
# A paper bill torn at the corner and taped back

BLUE_FRAME = (36, 72, 150)
BILL_MM = (206.0, 100.0)
BACKING_MM = (222.0, 116.0)  # the scanner's lid (or the desk) round the bill
PAPER = (247, 245, 236)


def _bill(ctx: Context, fields: dict[str, str], look: Look) -> FacedPage:
    rng, stay = ctx.rng, ctx.stay
    w, h = BILL_MM
    s = FacedPage(w, h, dpi=look.dpi, paper=PAPER, face=look.font)
    province = _province(stay.hospital)
    s.text(w / 2, 10, f"{province}医疗住院收费票据", 16, font_name="serif_bold", anchor="m", color=BLUE_FRAME)
    s.stamp(seal_image(rng, f"{province}财政厅", "监制", oval=True, star=False, px=300), w / 2, 21, 22)
    size = 8.5
    s.text(8, 19, f"票据代码：{fields['invoice_code']}", size)
    right = w - 8
    s.text(right - 52, 9, f"票据号码：{fields['invoice_number']}", size)
    s.text(right - 52, 15, f"校验码：{fields['check_code']}", size)
    s.text(right - 52, 21, f"开票日期：{date_text(stay.discharge, 'cn')}", size)
    left, frame_r = 6.0, w - 6
    top = 27.0
    s.rect(left, top, frame_r, h - 16, width=0.4, color=BLUE_FRAME)
    y = top + 5
    s.text(left + 3, y, f"交款人：{fields['payer_name']}", size)
    s.text(left + 52, y, f"住院号：{stay.inpatient_number}", size)
    s.text(left + 104, y, f"住院科室：{stay.department}", size)
    y += 5.5
    adm, dis = date_text(stay.admission, "cn"), date_text(stay.discharge, "cn")
    s.text(left + 3, y, f"住院日期：{adm}起至{dis}止", size)
    s.text(left + 120, y, f"医保类型：{stay.insurance_type}", size)
    y += 3.5
    s.line(left, y, frame_r, y, width=0.3, color=BLUE_FRAME)
    classes = _category_totals(stay)
    half = -(-len(classes) // 2)
    col = (frame_r - left) / 2
    y += 4
    for k in range(2):
        s.text(left + k * col + 4, y, "收费项目", 7.5, color=BLUE_FRAME)
        s.text(left + (k + 1) * col - 4, y, "金额", 7.5, color=BLUE_FRAME, anchor="r")
    body_top = y - 3.5
    for k in range(2):
        for i, (name, amount) in enumerate(classes[k * half : (k + 1) * half]):
            ry = y + 5 + i * 4.6
            s.text(left + k * col + 4, ry, name, size)
            s.text(left + (k + 1) * col - 4, ry, _money(amount), size, anchor="r")
    y += 2.5 + half * 4.6
    s.line(left + col, body_top, left + col, y, width=0.25, color=BLUE_FRAME)
    s.line(left, y, frame_r, y, width=0.3, color=BLUE_FRAME)
    y += 4.5
    s.text(left + 3, y, f"合计人民币（大写）：{fields['total_amount_upper']}", size)
    s.text(frame_r - 4, y, f"¥{fields['total_amount']}", 9.5, anchor="r", font_name="sans_bold")
    y += 3.5
    s.line(left, y, frame_r, y, width=0.3, color=BLUE_FRAME)
    y += 4.5
    split = (
        ("医保基金支付", fields["medical_insurance_paid"]),
        ("个人账户支付", fields["personal_account_paid"]),
        ("自付金额", fields["self_paid"]),
        ("自费金额", fields["self_expense"]),
    )
    step = (frame_r - left - 6) / 4
    for k, (label, value) in enumerate(split):
        s.text(left + 3 + k * step, y, f"{label}：{value}", 8)
    foot = h - 9
    s.text(left + 2, foot, f"收款单位（盖章）：{fields['payee']}", size)
    s.text(frame_r - 2, foot, f"收款人：{make_name(rng)}", size, anchor="r")
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), left + 70, foot - 6, 26)
    return s


def _tear(rng: random.Random, w: int, h: int, pxm: float) -> np.ndarray:
    """A ragged tear from the top edge down to the right edge: the points of its line (pixels)."""
    start = (w * rng.uniform(0.58, 0.66), -2.0)
    end = (w + 2.0, h * rng.uniform(0.3, 0.42))
    n = 60
    pts = []
    for k in range(n + 1):
        t = k / n
        x = start[0] + (end[0] - start[0]) * t
        y = start[1] + (end[1] - start[1]) * t
        # Bowed a little towards the bill's middle, jagged along the way.
        bow = math.sin(t * math.pi) * 6 * pxm
        jag = rng.uniform(-0.6, 0.6) * pxm
        pts.append((x - bow * 0.6 + jag, y + bow * 0.8 + jag))
    return np.array(pts, np.float32)


def draw_torn_corner_taped(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The bill with its corner put back a little off and taped; its lines where the print now lies."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    bill = _bill(ctx, fields, look)
    arr = np.asarray(bill.img).astype(np.float32)
    h, w = arr.shape[:2]
    pxm = w / BILL_MM[0]
    tear = _tear(rng, w, h, pxm)
    corner_poly = np.vstack([tear, [[w + 5, -5]]]).astype(np.int32)
    corner = np.zeros((h, w), np.uint8)
    cv2.fillPoly(corner, [corner_poly], 255)
    corner_f = corner.astype(np.float32) / 255
    # The piece put back: turned about the middle of the tear and shifted a little.
    pivot = tear[len(tear) // 2]
    angle = rng.uniform(0.8, 2.2) * rng.choice([-1, 1])
    m = cv2.getRotationMatrix2D((float(pivot[0]), float(pivot[1])), angle, 1.0)
    m[:, 2] += np.array([rng.uniform(0.4, 1.2), rng.uniform(0.3, 1.0)]) * pxm * np.array([rng.choice([-1, 1]), 1])
    piece = cv2.warpAffine(arr, m, (w, h), flags=cv2.INTER_LINEAR)
    piece_mask = cv2.warpAffine(corner_f, m, (w, h), flags=cv2.INTER_LINEAR)
    # The backing a bill lies on: what shows through the gap and round the bill.
    pw, ph = round(BACKING_MM[0] * pxm), round(BACKING_MM[1] * pxm)
    backing = np.array(rng.choice([(232, 232, 228), (210, 212, 214), (60, 60, 64)]), np.float32)
    page = np.broadcast_to(backing, (ph, pw, 3)).copy()
    ox, oy = round((BACKING_MM[0] - BILL_MM[0]) / 2 * pxm), round((BACKING_MM[1] - BILL_MM[1]) / 2 * pxm)
    region = page[oy : oy + h, ox : ox + w]
    body = 1 - corner_f
    out = region * (1 - body[..., None]) + arr * body[..., None]
    out = out * (1 - piece_mask[..., None]) + piece * piece_mask[..., None]
    # Torn fibres: a white fuzz along both torn edges (the paper's inner layer laid bare), and the piece's
    # edge standing a little proud of the sheet, so a thin shadow runs beside it.
    fibre = np.zeros((h, w), np.uint8)
    cv2.polylines(fibre, [tear.astype(np.int32)], False, 255, max(1, round(0.35 * pxm)))
    moved_tear = cv2.transform(tear[None], m)[0]
    cv2.polylines(fibre, [moved_tear.astype(np.int32)], False, 255, max(1, round(0.3 * pxm)))
    fuzz = cv2.GaussianBlur(fibre.astype(np.float32) / 255, (0, 0), 0.2 * pxm)
    edge = np.zeros((h, w), np.uint8)
    proud = (moved_tear + np.array([0.5, 0.6]) * pxm).astype(np.int32)
    cv2.polylines(edge, [proud], False, 255, max(1, round(0.25 * pxm)))
    shade = cv2.GaussianBlur(edge.astype(np.float32) / 255, (0, 0), 0.3 * pxm) * piece_mask.clip(0, 1)
    out = out * (1 - 0.35 * shade[..., None])
    out = out * (1 - 0.8 * fuzz[..., None]) + 255 * 0.8 * fuzz[..., None]
    # Clear tape across the tear: a faint yellow cast, a glossy line along each edge.
    tape_all = np.zeros((h, w), np.float32)
    edges = np.zeros((h, w), np.float32)
    for k in range(rng.randint(2, 3)):
        at = tear[round((k + 0.5) / 3 * (len(tear) - 1))]
        tangent = tear[-1] - tear[0]
        across = math.degrees(math.atan2(float(tangent[1]), float(tangent[0]))) + 90 + rng.uniform(-25, 25)
        length, width = rng.uniform(24, 34) * pxm, rng.uniform(11, 15) * pxm
        quad = cv2.boxPoints(((float(at[0]), float(at[1])), (length, width), across)).astype(np.int32)
        strip = np.zeros((h, w), np.uint8)
        cv2.fillPoly(strip, [quad], 255)
        tape_all = np.maximum(tape_all, strip.astype(np.float32) / 255)
        rim = np.zeros((h, w), np.uint8)
        cv2.polylines(rim, [quad], True, 255, max(1, round(0.2 * pxm)))
        edges = np.maximum(edges, rim.astype(np.float32) / 255)
    tint = np.array([1.0, 0.985, 0.93], np.float32)
    out = out * (1 - tape_all[..., None]) + (out * tint * 0.97 + 6) * tape_all[..., None]
    out = out * (1 - 0.5 * edges[..., None]) + 255 * 0.5 * edges[..., None]
    page[oy : oy + h, ox : ox + w] = out
    # The bill's outline on the backing: the torn-off part's place shows the backing unless the piece covers it.
    final = FacedPage(*BACKING_MM, dpi=look.dpi, paper=PAPER, face=look.font)
    final.img = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8)).resize(final.img.size)
    final.draw = ImageDraw.Draw(final.img)
    dx, dy = ox / pxm, oy / pxm
    lines = []
    full = np.vstack([m, [0, 0, 1]]).astype(np.float32)
    for line in bill.lines:
        x0, y0, x1, y1 = line.box
        cx, cy = (x0 + x1) / 2 * pxm, (y0 + y1) / 2 * pxm
        inside = 0 <= cx < w and 0 <= cy < h and corner[int(min(cy, h - 1)), int(min(cx, w - 1))] > 0
        if inside:
            pts = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], np.float32) * pxm
            moved = cv2.perspectiveTransform(pts, full)[0] / pxm
            box = (
                float(moved[:, 0].min()),
                float(moved[:, 1].min()),
                float(moved[:, 0].max()),
                float(moved[:, 1].max()),
            )
        else:
            box = line.box
        lines.append(PrintedLine(line.text, (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)))
    final.lines = lines
    return Rendered("invoice", None, [final], fields, True, f"{_province(stay.hospital)}医疗住院收费票据")


FAMILIES = [
    Family(
        "narrow_carriage_wrap",
        "invoice",
        "县医院 HIS 按 136 列宽行针式打印机排版、却由收费窗口 80 列窄行针式打印机以文本模式打印的住院收费票据："
        "超出行宽的部分从下一行左边距接着打并把后文下推——校验码与开票日期落到票据代码/票据号码下面单独一行，较长科室名"
        "被拆开，费用类别每行四组“项目|金额”被拆散、有金额落在下一行行首，虚线分成一长一短两段，分项支付在“个人自费”"
        "标签中间断开（行尾“个”、下一行“人自费：…”），复核/收款人落到收款单位下一行；每个字占打印机固定字格（汉字两列、"
        "数字一列），色带发旧的黑色，白色连续纸，收费专用章盖在收款单位上；住院时间“2025-06-03至2025-06-15”，"
        "合计（大写）与（小写）：¥",
        draw_narrow_carriage_wrap,
        ("hei", "sans", "ming"),
        (200, 300),
        ("scan", "scanned_grey"),
    ),
    Family(
        "torn_corner_taped",
        "invoice",
        "右上角被撕掉（票据夹在包的拉链里）又用透明胶带粘回再交来的蓝框预印纸质住院收费票据：从上边到右边一道参差撕口，"
        "穿过票据号码/校验码/开票日期一块，角片粘回时略错位（移一毫米左右、转一两度，撕口处露出一线底色，撕开的纸纤维发白），"
        "两三条略黄的透明胶带横跨撕口、胶带边反光；票面：左上票据代码，右上票据号码/校验码/中文开票日期叠放，交款人/住院号/"
        "住院科室一行，住院日期“2025年06月03日起至2025年06月15日止”，费用两组“收费项目|金额”，合计人民币（大写）与¥小写，"
        "分项支付一行（医保基金支付、个人账户支付、自付金额、自费金额），收款单位（盖章）与章、收款人",
        draw_torn_corner_taped,
        ("sans", "microhei", "serif"),
        (200, 300),
        ("scan", "photo"),
    ),
]
