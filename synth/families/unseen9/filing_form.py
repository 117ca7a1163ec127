"""Unseen 异地就医登记 family (the ninth blind set, stop 42).

`circled_options_barcode`: a city agency's 基本医疗保险异地就医登记申请表 handed out blank at the window and
filled in by the applicant in black gel pen: the header carries the agency's 1D barcode of the form's serial
(登记流水号 printed under it) at the left and a QR code to follow the application (扫码查进度) at the right;
the form is a ruled table of label cells and value cells without colons; every choice is a row of printed
words (性别 男 女, 参保险种 职工医保 居民医保, 人员类别 with four kinds) and the applicant CIRCLES the one
that applies with a loose pen loop instead of ticking a box; the entries are handwritten (姓名, 公民身份号码,
联系电话, 参保地, 就医地 with its 省 市, 开始日期 written short with dots: 2025.6.3), the signature and the day
too; the agency's part at the foot (受理意见, 受理人, the agency's 业务专用章) is printed and stamped. A
受理窗口 line names the window it was handed in at."""

from __future__ import annotations

import datetime as dt
import random

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import DESTINATIONS, Rendered, filing_fields
from synth.families.common import FacedPage, Family, Look, qr_code

GEL = (22, 24, 34)
KINDS = ("异地长期居住人员", "常驻异地工作人员", "异地转诊人员", "临时外出就医人员")
SCHEMES = ("职工医保", "居民医保")


def _barcode(s: FacedPage, x: float, y: float, w: float, h: float, rng: random.Random) -> None:
    """A 1D barcode's look: bars and gaps of random widths (never decodable, never data)."""
    at = x
    while at < x + w:
        bar = rng.choice((0.3, 0.3, 0.6, 0.9))
        if rng.random() < 0.55:
            s.rect(at, y, min(at + bar, x + w), y + h, width=0.05, fill=(15, 15, 15))
        at += bar


def _loop(s: FacedPage, x0: float, y: float, x1: float, rng: random.Random) -> None:
    """A pen loop round a printed word from x0 to x1 (y its middle): an ellipse drawn in one stroke that
    overshoots where it started, a little aslant and off centre."""
    pad_x, pad_y = rng.uniform(1.2, 2.4), rng.uniform(2.6, 3.4)
    dx, dy = rng.uniform(-0.6, 0.6), rng.uniform(-0.5, 0.5)
    box = [s.px(x0 - pad_x + dx), s.px(y - pad_y + dy), s.px(x1 + pad_x + dx), s.px(y + pad_y + dy)]
    start = rng.uniform(0, 360)
    width = max(2, s.px(0.38))
    s.draw.arc(box, start, start + rng.uniform(370, 395), fill=GEL, width=width)


def _choices(s: FacedPage, x: float, y: float, options: tuple[str, ...], chosen: str, rng: random.Random) -> None:
    """Printed options in a row; the chosen one circled by hand."""
    for option in options:
        w = s.text(x, y, option, 9.5)
        if option == chosen:
            _loop(s, x, y, x + w, rng)
        x += w + 7


def draw_circled_options_barcode(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The filled-in form; it prints every filing field (the phone written in full, the signature)."""
    rng, person, on = ctx.rng, ctx.person, ctx.on
    s = FacedPage(210, 297, dpi=look.dpi, paper=(253, 253, 250), face=look.font)
    title = "基本医疗保险异地就医登记申请表"
    insured = f"{person.province}{person.city}"
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith(person.province[:2])])
    kind = rng.choice(KINDS)
    start = on + dt.timedelta(days=rng.randint(0, 12))
    agency = f"{person.city}医疗保障局"
    left, right = 18.0, 192.0
    _barcode(s, left, 8, 46, 11, rng)
    s.text(left, 22.5, f"登记流水号：{on:%Y%m%d}{rng.randint(100000, 999999)}", 8)
    s.image(qr_code(rng), right - 19, 6, 19, 19)
    s.text(right - 9.5, 27.5, "扫码查进度", 7, anchor="m")
    s.text(105, 35, title, 15.5, font_name="serif_bold", anchor="m")
    s.text(left, 43, f"受理窗口：{person.city}医保服务大厅{rng.randint(1, 12)}号窗口", 8.5)

    def hand(x: float, y: float, value: str, size: float = 11.5) -> float:
        return s.text(x + rng.uniform(-0.3, 0.9), y + rng.uniform(-0.9, 0.3), value, size, font_name="kai", color=GEL)

    label_w, row_h = 30.0, 11.0
    top = 47.0
    rows: list[tuple[str, str]] = [
        ("姓名", "name"),
        ("性别", "sex"),
        ("公民身份号码", "id"),
        ("联系电话", "phone"),
        ("参保地", "insured"),
        ("参保险种", "scheme"),
        ("人员类别", "kind"),
        ("就医地", "destination"),
        ("开始日期", "start"),
    ]
    for r, (label, key) in enumerate(rows):
        y0 = top + r * row_h
        mid = y0 + row_h / 2
        s.rect(left, y0, left + label_w, y0 + row_h, width=0.3)
        s.rect(left + label_w, y0, right, y0 + row_h, width=0.3)
        s.text(left + label_w / 2, mid, label, 9.5, anchor="m")
        x = left + label_w + 4
        if key == "name":
            hand(x, mid, person.name, 13)
        elif key == "sex":
            _choices(s, x, mid, ("男", "女"), person.sex, rng)
        elif key == "id":
            hand(x, mid, person.id_number, 12)
        elif key == "phone":
            hand(x, mid, person.phone, 12)
        elif key == "insured":
            hand(x, mid, insured)
        elif key == "scheme":
            _choices(s, x, mid, SCHEMES, rng.choice(SCHEMES), rng)
        elif key == "kind":
            _choices(s, x, mid, KINDS, kind, rng)
        elif key == "destination":
            hand(x, mid, destination)
            s.text(right - 30, mid, "（填至省 市）", 8, color=(90, 90, 90))
        else:
            hand(x, mid, f"{start.year}.{start.month}.{start.day}")
    y = top + len(rows) * row_h
    s.rect(left, y, right, y + 30, width=0.3)
    s.text(left + 3, y + 6, "本人承诺所填信息真实有效，异地就医期间遵守就医地医保管理规定。", 9.5)
    lw = s.text(left + 88, y + 19, "申请人签字：", 9.5)
    hand(left + 88 + lw + 1, y + 19, person.name, 13)
    hand(left + 140, y + 26, f"{on.year}.{on.month}.{on.day}", 11)
    y += 30
    s.rect(left, y, right, y + 40, width=0.3)
    s.text(left + 3, y + 6, "受理意见：", 9.5)
    s.text(left + 20, y + 16, "资料齐全，予以登记。", 10)
    s.text(left + 100, y + 32, "受理人：", 9.5)
    s.stamp(seal_image(rng, agency, "业务专用章"), left + 140, y + 22, 34)
    s.text(left, y + 50, "注：1.请在所选项目上画圈；2.本表由参保人填写，经办机构留存。", 8.5)
    fields = filing_fields(title, person, insured, destination, kind, start)
    return Rendered("filing_form", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "circled_options_barcode",
        "filing_form",
        "市医保局窗口发放、参保人用黑色中性笔手填的基本医疗保险异地就医登记申请表：表头左侧一维条码与其下打印的登记流水号、"
        "右侧二维码“扫码查进度”，受理窗口一行；无冒号的标签格/值格"
        "格线表，选项为一行印刷文字（性别 男 女、参保险种 职工医保 "
        "居民医保、人员类别四种），参保人用笔圈选而非打勾；姓名、公民身份号码、联系电话、参保地、就医地手写，开始日期手写点分"
        "无前导零（2025.6.3），申请人签字与日期；底部受理意见、受理人与业务专用章",
        draw_circled_options_barcode,
        ("sans", "serif", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
]
