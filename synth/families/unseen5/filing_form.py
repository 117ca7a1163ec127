"""Unseen 异地就医备案 family (the fifth blind set, stop 38).

`web_form_radio`: the provincial 医保网上服务大厅's application page for 异地就医备案, printed from the
browser and signed: the browser's own head (date and time at the left, the page's title in the middle)
and foot (the page's address, 1/1); the site's banner; the form in sections under blue bars (参保人信息,
备案信息, 承诺) as two-column rows 字段名 | 值 with the field names in grey cells and no colons; the
choices as the page shows them, radio buttons with the chosen one filled (◉ 异地长期居住人员
○ 常驻异地工作人员 …: drawn widgets, not text), dates in the inputs as 2025-06-20, the ID number
in full; the commitment a ticked checkbox line, and under the printout the applicant's signature and
date in ballpoint.

`agency_receipt_a5`: the 异地就医备案回执单 the insurance agency's window prints on A5 once a filing is
registered, which the applicant then brings with the claim: the agency's name over the title, a 1D
barcode of the filing number at the top right, the filing as label：value lines in one column
(备案编号, 参保人, 证件号码 in full, 参保地区, 备案地区, 备案类别, 备案生效日期 as 2025年6月20日, 联系方式
with the middle of the number masked), the agency's 业务专用章 over 经办机构 and the printed 经办人 and
打印日期, and numbered 办理须知 in small print; no applicant's signature (nor, masked, a phone number)
is on it, so neither is in its truth."""

from __future__ import annotations

import datetime as dt
import random

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import DESTINATIONS, Rendered, filing_fields
from synth.families.common import FacedPage, Family, Look, date_text, written
from synth.people import make_name

BAR_BLUE = (32, 110, 200)
FIELD_GREY = (242, 244, 247)
LINE_GREY = (200, 205, 212)
FILING_CHOICES = ("异地长期居住人员", "常驻异地工作人员", "异地转诊就医人员", "临时外出就医人员")
INSURANCE_CHOICES = ("职工基本医疗保险", "城乡居民基本医疗保险")


def _radios(s: FacedPage, x: float, y: float, options: tuple[str, ...], chosen: str, size: float) -> None:
    """Radio buttons as the browser draws them (widgets, not text): a grey ring, the chosen one a blue
    ring round a blue dot; each option's text after its button."""
    r = 1.5
    for option in options:
        box = [s.px(x), s.px(y - r), s.px(x + 2 * r), s.px(y + r)]
        if option == chosen:
            s.draw.ellipse(box, outline=BAR_BLUE, width=max(1, s.px(0.25)))
            inner = [s.px(x + 0.7), s.px(y - r + 0.7), s.px(x + 2 * r - 0.7), s.px(y + r - 0.7)]
            s.draw.ellipse(inner, fill=BAR_BLUE)
        else:
            s.draw.ellipse(box, outline=(140, 140, 140), width=max(1, s.px(0.2)))
        x += 2 * r + 1.5
        x += s.text(x, y, option, size) + 5


def draw_web_form_radio(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The browser printout; it prints every filing field (the ID number in full, the phone)."""
    rng, person = ctx.rng, ctx.person
    s = FacedPage(210, 297, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    left, right, w = 12.0, 198.0, 210.0
    printed_at = ctx.on - dt.timedelta(days=rng.randint(0, 3))
    page_title = "异地就医备案申请"
    s.text(8, 6, f"{printed_at:%Y/%m/%d} {rng.randint(8, 17)}:{rng.randint(0, 59):02d}", 7)
    s.text(w / 2, 6, f"{page_title} - {person.province}医疗保障局网上服务大厅", 7, anchor="m")
    s.rect(left, 11, right, 24, width=0.1, color=BAR_BLUE, fill=BAR_BLUE)
    s.text(
        left + 5, 17.5, f"{person.province}医疗保障局 网上服务大厅", 12, font_name="sans_bold", color=(255, 255, 255)
    )
    title = "异地就医备案申请表"
    s.text(w / 2, 33, title, 15, font_name="sans_bold", anchor="m")
    s.text(right, 40, f"申请编号：YD{printed_at:%Y%m%d}{rng.randint(100000, 999999)}", 8, anchor="r")
    insured = f"{person.province}{person.city}" if person.city != person.province else person.province
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith(person.province[:2])])
    filing_type = rng.choice(FILING_CHOICES[:2] + FILING_CHOICES[3:])
    insurance = rng.choice(INSURANCE_CHOICES)
    start = ctx.on + dt.timedelta(days=rng.randint(0, 15))
    end = start + dt.timedelta(days=180 if filing_type == "临时外出就医人员" else 364)
    address = f"{destination}{rng.choice(['人民路', '长江路', '解放路', '中山路'])}{rng.randint(1, 300)}号"
    sections: list[tuple[str, list[tuple[str, str | tuple[tuple[str, ...], str]]]]] = [
        (
            "参保人信息",
            [
                ("参保人姓名", person.name),
                ("公民身份号码", person.id_number),
                ("参保地", insured),
                ("参保险种", (INSURANCE_CHOICES, insurance)),
                ("联系电话", person.phone),
            ],
        ),
        (
            "备案信息",
            [
                ("备案类型", (FILING_CHOICES, filing_type)),
                ("就医地", destination),
                ("异地居住地址", address),
                ("备案开始日期", date_text(start, "iso")),
                ("备案结束日期", date_text(end, "iso")),
            ],
        ),
    ]
    y, row_h, name_w = 46.0, 9.0, 36.0
    for heading, rows in sections:
        s.rect(left, y, left + 1.2, y + 6, width=0.1, color=BAR_BLUE, fill=BAR_BLUE)
        s.text(left + 4, y + 3, heading, 10.5, font_name="sans_bold")
        y += 8
        for name, value in rows:
            s.rect(left, y, left + name_w, y + row_h, width=0.2, color=LINE_GREY, fill=FIELD_GREY)
            s.rect(left + name_w, y, right, y + row_h, width=0.2, color=LINE_GREY)
            s.text(left + name_w - 3, y + row_h / 2, name, 9, anchor="r", color=(90, 90, 90))
            if isinstance(value, tuple):
                _radios(s, left + name_w + 4, y + row_h / 2, *value, 9)
            else:
                s.rect(left + name_w + 3, y + 1.6, right - 30, y + row_h - 1.6, width=0.15, color=LINE_GREY)
                s.text(left + name_w + 5, y + row_h / 2, value, 9.5)
            y += row_h
        y += 6
    s.rect(left, y, left + 1.2, y + 6, width=0.1, color=BAR_BLUE, fill=BAR_BLUE)
    s.text(left + 4, y + 3, "承诺", 10.5, font_name="sans_bold")
    y += 10
    # The page's ticked checkbox: a blue square with a white tick.
    s.rect(left + 4, y - 1.8, left + 7.6, y + 1.8, width=0.1, color=BAR_BLUE, fill=BAR_BLUE)
    s.line(left + 4.6, y, left + 5.6, y + 1.1, width=0.35, color=(255, 255, 255))
    s.line(left + 5.6, y + 1.1, left + 7.1, y - 1.1, width=0.35, color=(255, 255, 255))
    s.text(
        left + 10,
        y,
        "本人承诺所填信息真实有效，如有虚假愿承担相应法律责任，并退还违规享受的医保待遇。",
        9,
    )
    y += 9
    s.rect(w / 2 - 18, y, w / 2 + 18, y + 9, width=0.1, color=BAR_BLUE, fill=BAR_BLUE)
    s.text(w / 2, y + 4.5, "提交申请", 10, anchor="m", color=(255, 255, 255))
    y += 26
    s.text(110, y, "申请人签字：", 10.5)
    written(s, 134, y, person.name, 13, rng, by_hand=True)
    s.text(110, y + 10, "日期：", 10.5)
    written(s, 122, y + 10, f"{ctx.on.year}.{ctx.on.month}.{ctx.on.day}", 11, rng, by_hand=True)
    s.text(8, 291, f"https://ggfw.ybj.{rng.choice(['gov', 'org'])}.cn/ydjy/apply/print", 7, color=(60, 60, 60))
    s.text(w - 8, 291, "1/1", 7, anchor="r")
    fields = filing_fields(title, person, insured, destination, filing_type, start)
    return Rendered("filing_form", None, [s], fields, False, title)


# ---------------------------------------------------------------------------------------------
# The agency's A5 receipt of a registered filing

RECEIPT_TYPES = ("异地长期居住人员", "常驻异地工作人员", "异地安置退休人员")
TIPS = (
    "备案成功后可在备案地所有跨省联网定点医疗机构直接结算。",
    "备案信息变更或取消，请通过线上渠道或到参保地经办机构办理。",
    "请妥善保管本回执，报销时请一并提交。",
)


def _barcode(s: FacedPage, x: float, y: float, w: float, h: float, rng: random.Random) -> None:
    """A 1D barcode's look: bars and gaps of random widths (never decodable, never data)."""
    at = x
    while at < x + w:
        bar = rng.choice((0.25, 0.25, 0.5, 0.75))
        if rng.random() < 0.55:
            s.rect(at, y, min(at + bar, x + w), y + h, width=0.05, fill=(20, 20, 20))
        at += bar


def draw_agency_receipt_a5(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The receipt; its truth leaves out the signature (none) and the phone (masked)."""
    rng, person = ctx.rng, ctx.person
    s = FacedPage(148, 210, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    w, left = s.width_mm, 14.0
    insured = f"{person.province}{person.city}" if person.city != person.province else person.province
    agency = f"{person.city}医疗保障事业管理中心"
    title = "异地就医备案回执单"
    number = f"{person.id_number[:6]}{ctx.on:%Y%m%d}{rng.randint(1000, 9999)}"
    s.text(left, 14, agency, 10)
    s.text(w / 2, 26, title, 15, font_name="sans_bold", anchor="m")
    _barcode(s, w - 54, 6, 40, 8, rng)
    s.text(w - 34, 16.5, number, 7, anchor="m")
    s.line(left, 32, w - left, 32, width=0.5)
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith(person.province[:2])])
    filing_type = rng.choice(RECEIPT_TYPES)
    start = ctx.on - dt.timedelta(days=rng.randint(1, 20))
    phone = f"{person.phone[:3]}****{person.phone[-4:]}"
    rows = [
        ("备案编号", number),
        ("参保人", person.name),
        ("证件号码", person.id_number),
        ("参保地区", insured),
        ("备案地区", destination),
        ("备案类别", filing_type),
        ("备案生效日期", date_text(start, "cn_short")),
        ("联系方式", phone),
        ("办理渠道", "窗口办理"),
    ]
    y = 40.0
    for label, value in rows:
        s.text(left + 2, y, f"{label}：{value}", 10)
        y += 8
    y += 4
    s.text(left + 2, y, f"经办机构：{agency}", 9.5)
    s.text(left + 2, y + 7, f"经办人：{make_name(rng)}", 9.5)
    s.text(left + 2, y + 14, f"打印日期：{date_text(ctx.on, 'cn_short')}", 9.5)
    s.stamp(seal_image(rng, agency, "业务专用章"), w - 42, y + 8, 34)
    y += 26
    s.line(left, y, w - left, y, width=0.2)
    s.text(left, y + 5, "办理须知：", 8, font_name="sans_bold")
    for i, tip in enumerate(TIPS, 1):
        s.text(left + 2, y + 5 + 5 * i, f"{i}. {tip}", 7)
    fields = filing_fields(title, person, insured, destination, filing_type, start, phone=False, signed=False)
    return Rendered("filing_form", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "web_form_radio",
        "filing_form",
        "医保网上服务大厅“异地就医备案申请”页面由浏览器打印后签字：浏览器页眉（日期时间、页面标题）与页脚（网址、1/1），"
        "蓝色站点横幅，蓝色竖条小节标题，“字段名 | 值”两栏行（灰底字段名、无冒号、输入框），单选按钮（◉ 选中、○ 未选）"
        "列出参保险种与备案类型，ISO 日期，完整身份证号码，勾选的承诺行与“提交申请”按钮，"
        "纸面下方圆珠笔签名与日期，无章",
        draw_web_form_radio,
        ("sans", "microhei", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "agency_receipt_a5",
        "filing_form",
        "经办机构窗口打印的 A5 异地就医备案回执单：机构名在标题上方，右上一维条码与备案编号，单栏“标签：值”行"
        "（备案编号、参保人、完整证件号码、参保地区、备案地区、备案类别、备案生效日期 2025年6月20日、"
        "中间打码的联系方式、办理渠道），"
        "经办机构/经办人/打印日期与业务专用章，小字编号办理须知；无申请人签名",
        draw_agency_receipt_a5,
        ("sans", "serif", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
]
