"""Unseen 异地就医备案 family (the fifth blind set, stop 38).

`web_form_radio`: the provincial 医保网上服务大厅's application page for 异地就医备案, printed from the
browser and signed: the browser's own head (date and time at the left, the page's title in the middle)
and foot (the page's address, 1/1); the site's banner; the form in sections under blue bars (参保人信息,
备案信息, 承诺) as two-column rows 字段名 | 值 with the field names in grey cells and no colons; the
choices as the page shows them, radio buttons with the chosen one filled (◉ 异地长期居住人员
○ 常驻异地工作人员 …: drawn widgets, not text), dates in the inputs as 2025-06-20, the ID number
in full; the commitment a ticked checkbox line, and under the printout the applicant's signature and
date in ballpoint."""

from __future__ import annotations

import datetime as dt

from synth.build import Context
from synth.documents import DESTINATIONS, Rendered
from synth.families.common import FacedPage, Family, Look, date_text, written

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
    fields = {
        "form_title": title,
        "applicant_name": person.name,
        "id_number": person.id_number,
        "insured_region": insured,
        "destination": destination,
        "filing_type": filing_type,
        "start_date": start.isoformat(),
        "phone": person.phone,
        "signature_present": True,
    }
    return Rendered("filing_form", None, [s], fields, False, title)


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
]
