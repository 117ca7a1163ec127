"""Unseen 医疗收费票据 families (the sixth blind set, stop 39).

`kiosk_ebill_slip`: the summary of a 住院 财政电子票据 as a hospital's self-service kiosk prints it on its
80 mm thermal roll once the patient has settled: the hospital's name and the slip's title centred, dashed
rules between blocks, every particular a short label：value line (票据代码, 票据号码, 校验码, 开票时间 with
slashes and the time, 交款人, 住院号, 入院 / 出院 dates), the fee classes as name … amount lines, 合计 in
figures and words, the fund's split as four lines, 收款单位, the kiosk's 终端编号 and 交易流水号, and a QR
code to look the e-bill up; the print grey, one band of the roll faded where the thermal head is worn,
the slip as long as its content, with no seal.

`paper_desk_photo`: a paper 住院收费票据 photographed with a phone on an office desk: the bill's title runs
down a band at its left edge, character under character; its particulars in label：value lines (票据代码,
票据号码, 校验码, 交款人（患者）, 住院号, 住院时间 as 2025年04月01日至2025年04月15日, 开票日期); the fee
classes in two groups of 项目 | 元 | 角 | 分, the amount's yuan, jiao and fen each in its own ruled box; the
total in words and in figures (¥), the fund's split as one line of 医保结算 labels, 收款单位（盖章） with the
hospital's seal; the photo turned and foreshortened on a wooden desk, one corner of the bill lifted and
curled, the phone's shadow over part of it."""

from __future__ import annotations

import math
import random
from decimal import Decimal

import cv2
import numpy as np
from PIL import Image

from synth.build import Context
from synth.canvas import PrintedLine, seal_image, text_width_mm
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text, moved_lines, qr_code
from synth.people import make_name

THERMAL = (52, 52, 56)  # a thermal roll's dark grey


def _fade(img: Image.Image, rng: random.Random) -> Image.Image:
    """A worn thermal head: the print fades over one band of the roll's width, a little over the rest."""
    arr = np.asarray(img).astype(np.float32)
    paper = np.array([248, 247, 242], np.float32)
    ink = paper - arr
    w = arr.shape[1]
    x = np.arange(w, dtype=np.float32)
    centre, spread = rng.uniform(0.25, 0.75) * w, rng.uniform(0.05, 0.12) * w
    keep = rng.uniform(0.82, 0.95) - rng.uniform(0.3, 0.45) * np.exp(-(((x - centre) / spread) ** 2))
    arr = paper - ink * keep[None, :, None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def draw_kiosk_ebill_slip(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The kiosk's slip; it prints every invoice field."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    width = 80.0
    classes = _category_totals(stay)
    s = FacedPage(width, 200 + 5.0 * len(classes), dpi=look.dpi, paper=(248, 247, 242), face=look.font)
    left, right = 5.0, width - 5.0
    size = 8.5
    title = "住院收费电子票据（摘要）"
    y = 7.0

    def put(text: str, anchor: str = "l", pt: float = size, face: str = "sans") -> None:
        nonlocal y
        s.text(
            {"l": left, "m": width / 2, "r": right}[anchor], y, text, pt, anchor=anchor, color=THERMAL, font_name=face
        )
        y += pt * 0.55

    def rule() -> None:
        nonlocal y
        dash = text_width_mm("-", 7, s.face)
        s.text(left, y, "-" * int((right - left) / dash), 7, color=THERMAL, record=False)
        y += 4.0

    put(stay.hospital, "m", 10, "sans_bold")
    put(title, "m", 9.5)
    y += 1
    rule()
    issued = f"{date_text(stay.discharge, 'slash')} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
    for text in (
        f"票据代码：{fields['invoice_code']}",
        f"票据号码：{fields['invoice_number']}",
        f"校验码：{fields['check_code']}",
        f"开票时间：{issued}",
        f"交款人：{fields['payer_name']}",
        f"住院号：{stay.inpatient_number}",
        f"入院：{date_text(stay.admission, 'slash')}",
        f"出院：{date_text(stay.discharge, 'slash')}",
    ):
        put(text)
    rule()
    s.text(left, y, "项目", size, color=THERMAL)
    put("金额(元)", "r")
    for name, amount in classes:
        s.text(left, y, name, size, color=THERMAL)
        put(_money(amount), "r")
    rule()
    put(f"合计：{fields['total_amount']}", pt=9.5, face="sans_bold")
    put(f"大写：{fields['total_amount_upper']}")
    rule()
    for text, key in (
        ("统筹基金支付", "medical_insurance_paid"),
        ("个人账户支付", "personal_account_paid"),
        ("个人自付", "self_paid"),
        ("个人自费", "self_expense"),
    ):
        s.text(left, y, f"{text}：", size, color=THERMAL)
        put(fields[key], "r")
    rule()
    put(f"收款单位：{fields['payee']}")
    put(f"终端编号：ZZJ{rng.randint(1, 40):03d}")
    put(f"交易流水号：{rng.randint(10**13, 10**14 - 1)}")
    y += 2
    s.image(qr_code(rng, modules=25, px=6), width / 2 - 14, y, 28, 28)
    y += 32
    put("扫码查验电子票据 请妥善保管", "m", 7.5)
    put("本凭条不作报销凭证使用", "m", 7.5)
    height = y + 8
    s.img = _fade(s.img.crop((0, 0, s.img.width, s.px(height))), rng)
    s.height_mm = height
    return Rendered("invoice", None, [s], fields, False, title)


# ---------------------------------------------------------------------------------------------
# A paper bill photographed on a desk

FRAME_GREEN = (40, 110, 90)  # the bill's pre-printed frame and labels
BILL_MM = (190.0, 112.0)
PHOTO_MM = (240.0, 180.0)


def _yuan_jiao_fen(amount: Decimal) -> tuple[str, str, str]:
    """An amount as the boxes print it: yuan, jiao and fen apart."""
    text = _money(amount)
    whole, cents = text.split(".")
    return whole, cents[0], cents[1]


def _bill(ctx: Context, fields: dict[str, str], look: Look) -> tuple[FacedPage, str]:
    """The bill itself, flat."""
    rng, stay = ctx.rng, ctx.stay
    w, h = BILL_MM
    s = FacedPage(w, h, dpi=look.dpi, paper=(246, 244, 236), face=look.font)
    title = f"{ctx.person.province}医疗住院收费票据"
    # The title down a band at the left edge, one character under another.
    band = 14.0
    s.rect(3, 3, 3 + band, h - 3, width=0.4, color=FRAME_GREEN, fill=(226, 238, 230))
    step = min(7.0, (h - 16) / len(title))
    top = h / 2 - step * len(title) / 2 + step / 2
    for k, char in enumerate(title):
        s.text(
            3 + band / 2, top + k * step, char, 12, font_name="serif_bold", anchor="m", color=FRAME_GREEN, record=False
        )
    column = (3 + band / 2 - 2.3, top - step / 2, 3 + band / 2 + 2.3, top + step * (len(title) - 0.5))
    s.lines.append(PrintedLine(title, column))
    left, right = 3 + band + 4, w - 4

    def label(x: float, y: float, text: str, value: str, pt: float = 8.5) -> None:
        x1 = x + s.text(x, y, text, 8, color=FRAME_GREEN)
        s.text(x1 + 0.8, y, value, pt)

    label(left, 8, "票据代码：", fields["invoice_code"])
    label(left + 60, 8, "校验码：", fields["check_code"])
    s.text(right - 34, 8, "票据号码：", 8, color=FRAME_GREEN)
    s.text(right, 8, fields["invoice_number"], 9.5, anchor="r", color=(170, 30, 30))
    label(left, 15, "交款人（患者）：", fields["payer_name"], 9.5)
    label(left + 60, 15, "住院号：", stay.inpatient_number)
    label(left + 110, 15, "开票日期：", date_text(stay.discharge, "cn"))
    label(left, 21.5, "住院时间：", f"{date_text(stay.admission, 'cn')}至{date_text(stay.discharge, 'cn')}")
    label(left + 110, 21.5, "科别：", stay.department)
    # Two groups of 项目 | 元 | 角 | 分.
    top, head, row, rows = 26.0, 6.0, 5.2, 6
    group = (right - left) / 2
    bottom = top + head + rows * row
    s.rect(left, top, right, bottom, width=0.4, color=FRAME_GREEN)
    s.line(left, top + head, right, top + head, width=0.25, color=FRAME_GREEN)
    cols = (0.0, 0.5, 0.78, 0.89, 1.0)
    for g in range(2):
        x0 = left + g * group
        for k, frac in enumerate(cols[:-1]):
            if k or g:
                s.line(
                    x0 + frac * group, top, x0 + frac * group, bottom, width=0.4 if not k else 0.3, color=FRAME_GREEN
                )
        for text, a, b in (("项目", 0, 1), ("元", 1, 2), ("角", 2, 3), ("分", 3, 4)):
            s.text(x0 + (cols[a] + cols[b]) / 2 * group, top + head / 2, text, 8, anchor="m", color=FRAME_GREEN)
    for k, (name, amount) in enumerate(_category_totals(stay)[: 2 * rows]):
        g, r = divmod(k, rows)
        x0, y = left + g * group, top + head + r * row + row / 2
        s.text(x0 + 2, y, name, 8.5)
        for text, a, b in zip(_yuan_jiao_fen(amount), (1, 2, 3), (2, 3, 4), strict=True):
            anchor = "r" if a == 1 else "m"
            x = x0 + cols[b] * group - 1.5 if a == 1 else x0 + (cols[a] + cols[b]) / 2 * group
            s.text(x, y, text, 8.5, anchor=anchor)
    y = bottom + 6
    label(left, y, "合计（大写）：", fields["total_amount_upper"], 9)
    label(left + 110, y, "（小写）：", f"¥{fields['total_amount']}", 9.5)
    y += 7
    s.text(left, y, "医保结算", 8, color=FRAME_GREEN)
    split = (
        f"统筹基金：{fields['medical_insurance_paid']}  个人账户：{fields['personal_account_paid']}  "
        f"自付：{fields['self_paid']}  自费：{fields['self_expense']}"
    )
    s.text(left + 16, y, split, 8.5)
    s.line(left, y + 4, right, y + 4, width=0.25, color=FRAME_GREEN)
    y += 10
    label(left, y, "收款单位（盖章）：", fields["payee"], 9)
    label(left + 110, y, "收款员：", make_name(rng), 9)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章", oval=True), left + 40, y - 3, 30)
    return s, title


def _desk(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A wooden desk top: warm brown with a grain running along it."""
    h, w = size[1], size[0]
    gen = np.random.default_rng(rng.randrange(2**32))
    y = np.arange(h, dtype=np.float32)[:, None]
    x = np.arange(w, dtype=np.float32)[None, :]
    grain = np.sin(y / h * rng.uniform(40, 70) + 3 * np.sin(x / w * rng.uniform(2, 5))) * 10
    base = np.array([150, 108, 72], np.float32) + grain[..., None] * np.array([1.0, 0.8, 0.6], np.float32)
    return np.clip(base + gen.normal(0, 4, (h, w, 1)), 0, 255)


def draw_paper_desk_photo(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The photo; it prints every invoice field on the bill."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    bill, title = _bill(ctx, fields, look)
    photo = FacedPage(*PHOTO_MM, dpi=look.dpi, face=look.font)
    px = photo.img.width / PHOTO_MM[0]
    bw, bh = bill.img.size
    # The bill turned and foreshortened: its far (top) edge a little shorter than its near one.
    cx, cy = photo.img.width / 2 + rng.uniform(-8, 8) * px, photo.img.height / 2 + rng.uniform(-6, 6) * px
    half_w, half_h = BILL_MM[0] / 2 * px * 0.95, BILL_MM[1] / 2 * px * 0.95
    shrink = rng.uniform(0.05, 0.1) * half_w
    local = np.array(
        [[-half_w + shrink, -half_h], [half_w - shrink, -half_h], [half_w, half_h], [-half_w, half_h]], np.float32
    )
    angle = math.radians(rng.uniform(-6, 6))
    turn = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], np.float32)
    corners = (local @ turn.T + np.array([cx, cy], np.float32)).astype(np.float32)
    src = np.array([[0, 0], [bw, 0], [bw, bh], [0, bh]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners)
    size = photo.img.size
    sheet = np.asarray(bill.img).astype(np.float32)
    # One corner of the bill lifted and curled: the paper near it bends away, the light falls off.
    corner = rng.choice([(bw, 0), (bw, bh), (0, bh)])
    ys, xs = np.mgrid[0:bh, 0:bw].astype(np.float32)
    reach = 0.35 * bw
    dist = np.hypot(xs - corner[0], ys - corner[1])
    lift = np.clip(1 - dist / reach, 0, 1) ** 2
    pull = 0.05 * bw * lift
    dx = np.sign(bw / 2 - corner[0]) * pull
    dy = np.sign(bh / 2 - corner[1]) * pull * 0.6
    map_x, map_y = (xs - dx).astype(np.float32), (ys - dy).astype(np.float32)
    curled = cv2.remap(sheet, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    curled = curled * (1 - 0.25 * lift[..., None])
    warped = cv2.warpPerspective(curled, m, size, flags=cv2.INTER_AREA)
    mask = cv2.remap(
        np.ones((bh, bw), np.float32), map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0
    )
    alpha = cv2.warpPerspective(mask, m, size, flags=cv2.INTER_LINEAR)[..., None]
    desk = _desk(size, rng)
    drop = cv2.GaussianBlur(alpha, (0, 0), 2.5 * px)[..., None]
    out = desk * (1 - 0.35 * drop) * (1 - alpha) + warped * alpha
    # The phone's shadow: a soft dark shape over one side of the frame; the light warmer on the other.
    gx = np.linspace(0, 1, size[0], dtype=np.float32)[None, :]
    gy = np.linspace(0, 1, size[1], dtype=np.float32)[:, None]
    edge = rng.uniform(0.2, 0.4)
    shade = 1 / (1 + np.exp(-((gx * 0.7 + gy * 0.3) - edge) / 0.04))
    if rng.random() < 0.5:
        shade = shade[:, ::-1]
    out = out * (0.68 + 0.32 * shade)[..., None]
    out = cv2.GaussianBlur(out, (0, 0), 0.5 * px / 8)
    photo.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    bill_px = bill.img.width / BILL_MM[0]
    photo.lines = moved_lines(bill.lines, m, bill_px, px)
    return Rendered("invoice", None, [photo], fields, True, title)


FAMILIES = [
    Family(
        "kiosk_ebill_slip",
        "invoice",
        "医院自助机 80 mm 热敏纸打印的住院收费电子票据摘要凭条：院名与标题居中，虚线分隔，标签：值短行（票据代码、"
        "票据号码、校验码、斜线日期带时分的开票时间、交款人、住院号、入院/出院），费用类别名称与金额分列两端，"
        "合计与大写，统筹基金/个人账户/自付/自费四行，收款单位、终端编号与交易流水号，查验二维码，灰色热敏字一条带褪色，无章",
        draw_kiosk_ebill_slip,
        ("hei", "microhei", "sans"),
        (200, 300),
        ("photo", "scan"),
    ),
    Family(
        "paper_desk_photo",
        "invoice",
        "手机在木纹办公桌上拍摄的纸质住院收费票据：标题竖排在左缘色带内，标签：值行（票据代码、红色票据号码、校验码、"
        "交款人（患者）、住院号、中文日期开票日期、住院时间“…至…”），两组“项目|元|角|分”费用格（元角分分格），"
        "大写与¥小写合计，医保结算一行（统筹基金、个人账户、自付、自费），收款单位（盖章）与椭圆收费章；"
        "照片转角、远边缩短，一角翘起卷曲，手机阴影压住一侧",
        draw_paper_desk_photo,
        ("serif", "ming", "sans"),
        (150, 250),
        ("clean",),
    ),
]
