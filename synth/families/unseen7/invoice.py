"""Unseen 医疗收费票据 families (the seventh blind set, stop 40).

`wallet_ebill_screenshot`: a 住院 财政电子票据 as a phone's e-bill wallet (电子票夹) shows it, sent as one
phone screenshot: the status bar, a 票据详情 title bar, a white card with the hospital's name, the bill's
kind, the total in large type (¥) and an 未报销 tag; then cards of rows with grey labels at the left and
values right-aligned, in the wallet's own order (交款人 and 开票日期 with the time first, then 票据代码,
票据号码 and 校验码, then the 就诊信息 with 住院号 and the ISO admission and discharge dates, the fee classes,
and the 医保结算 rows), the 票据来源 under the cards and the wallet's buttons at the foot. No amount in
words, no seal: nothing is printed on paper.

`paper_portrait_paymodes`: a hospital's pre-printed portrait 住院收费票据 (A5 upright) filled in by the
cashier's printer: the title over a 住院 line, 票据代码 and 票号 at the top right, 结算日期 in Chinese,
the stay as 住院期间 2025.06.03—2025.06.15, the fee classes down one column of 收费项目 | 金额, the total
in figures (¥) and in words on lines of their own, a 2 × 2 box of the fund's split (统筹支付, 账户支付,
个人自付, 个人自费), then how the patient's share was paid (预交金, 微信, 支付宝, 现金 and the 应退 or 补缴
amount), the 收款单位 with the hospital's seal, and 第二联 报销联 printed down the right edge. No 校验码,
so none in its truth."""

from __future__ import annotations

import random
from decimal import Decimal

from synth.build import Context
from synth.canvas import PrintedLine, seal_image
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import HOSPITALS, make_name

SCREEN_W = 72.0  # mm a phone screenshot 1020-1130 pixels wide spans at the family's resolutions
WALLET_BG = (244, 245, 247)
WALLET_GREY = (136, 140, 146)
WALLET_ORANGE = (236, 110, 40)
WHITE = (255, 255, 255)


def draw_wallet_ebill_screenshot(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The wallet's page; its truth leaves out the amount in words it does not show."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    del fields["total_amount_upper"]
    classes = _category_totals(stay)
    split = (
        ("医保统筹基金支付", fields["medical_insurance_paid"]),
        ("个人账户支付", fields["personal_account_paid"]),
        ("个人自付", fields["self_paid"]),
        ("个人自费", fields["self_expense"]),
    )
    kind = "医疗住院收费电子票据"
    row_h = 6.6
    blocks: list[tuple[str, list[tuple[str, str]]]] = [
        (
            "票据信息",
            [
                ("交款人", fields["payer_name"]),
                ("开票日期", f"{fields['issue_date']} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"),
                ("票据代码", fields["invoice_code"]),
                ("票据号码", fields["invoice_number"]),
                ("校验码", fields["check_code"]),
            ],
        ),
        (
            "就诊信息",
            [
                ("就诊类型", "住院"),
                ("住院号", stay.inpatient_number),
                ("入院日期", date_text(stay.admission, "iso")),
                ("出院日期", date_text(stay.discharge, "iso")),
            ],
        ),
        ("费用明细", [(name, _money(amount)) for name, amount in classes]),
        ("医保结算", list(split)),
    ]
    height = 62 + sum(12 + row_h * len(rows) for _, rows in blocks) + 30
    s = FacedPage(SCREEN_W, height, dpi=look.dpi, paper=WALLET_BG, face=look.font)
    w, left, right = SCREEN_W, 3.5, SCREEN_W - 3.5
    s.rect(0, 0, w, 15, width=0.01, color=WHITE, fill=WHITE)
    s.text(left + 1, 3, f"{rng.randint(8, 22)}:{rng.randint(0, 59):02d}", 6.5, font_name="sans_bold")
    s.text(right, 3, f"4G  {rng.randint(15, 99)}%", 6, anchor="r")
    s.line(left + 2, 8.6, left + 0.6, 10.2, width=0.3)  # the back arrow
    s.line(left + 0.6, 10.2, left + 2, 11.8, width=0.3)
    s.text(w / 2, 10.2, "票据详情", 8.5, font_name="sans_bold", anchor="m")
    s.text(right, 10.2, "···", 8, anchor="r", record=False)
    # The head card.
    s.rect(left, 18, right, 55, width=0.01, color=WHITE, fill=WHITE)
    s.text(w / 2, 24, stay.hospital, 8.5, font_name="sans_bold", anchor="m")
    s.text(w / 2, 30, kind, 7, anchor="m", color=WALLET_GREY)
    s.text(w / 2, 40, f"¥{fields['total_amount']}", 16, font_name="sans_bold", anchor="m")
    s.text(w / 2, 47, "票面金额（元）", 6.5, anchor="m", color=WALLET_GREY)
    s.rect(w / 2 - 6, 49.6, w / 2 + 6, 53.4, width=0.2, color=WALLET_ORANGE)
    s.text(w / 2, 51.5, "未报销", 6, anchor="m", color=WALLET_ORANGE)
    y = 59.0
    for heading, rows in blocks:
        bottom = y + 9 + row_h * len(rows)
        s.rect(left, y, right, bottom, width=0.01, color=WHITE, fill=WHITE)
        s.text(left + 3, y + 4.5, heading, 7.5, font_name="sans_bold")
        for k, (label, value) in enumerate(rows):
            ry = y + 10.5 + k * row_h
            s.text(left + 3, ry, label, 6.6, color=WALLET_GREY)
            s.text(right - 3, ry, value, 6.6, anchor="r")
        y = bottom + 3
    s.text(left + 1, y + 2, "票据来源：财政电子票据公共服务平台", 5.8, color=WALLET_GREY)
    s.text(left + 1, y + 6, "已通过财政部门查验，票据真实有效", 5.8, color=WALLET_GREY)
    y += 11
    third = (right - left) / 3
    for k, label in enumerate(("下载PDF", "发送邮箱", "去报销")):
        x0 = left + k * third + 1
        fill = WALLET_ORANGE if k == 2 else WHITE
        s.rect(x0, y, x0 + third - 2, y + 7, width=0.2, color=WALLET_ORANGE, fill=fill)
        s.text(x0 + (third - 2) / 2, y + 3.5, label, 7, anchor="m", color=WHITE if k == 2 else WALLET_ORANGE)
    bar = s.height_mm - 2
    s.rect(w / 2 - 12, bar - 0.35, w / 2 + 12, bar + 0.35, width=0.01, color=(20, 20, 20), fill=(20, 20, 20))
    return Rendered("invoice", None, [s], fields, False, kind)


# ---------------------------------------------------------------------------------------------
# A portrait paper bill with the patient's ways of paying

FRAME_VIOLET = (78, 62, 128)  # the pre-printed frame, labels and title


def _payments(rng: random.Random, share: Decimal) -> list[tuple[str, Decimal]]:
    """How the patient's own share was paid: the deposit (预交金) on admission, then either a refund of
    what it exceeded (应退) or the rest paid at discharge by 微信, 支付宝 or 现金 (补缴)."""
    if rng.random() < 0.5:
        deposit = Decimal((int(share) // 500 + rng.randint(1, 4)) * 500)
        return [
            ("预交金", deposit),
            ("微信", Decimal(0)),
            ("支付宝", Decimal(0)),
            ("现金", Decimal(0)),
            ("应退", deposit - share),
        ]
    deposit = Decimal(int(share * Decimal("0.6")) // 100 * 100)
    rest = share - deposit
    channel = rng.choice(["微信", "支付宝", "现金"])
    paid = [("预交金", deposit)] + [(c, rest if c == channel else Decimal(0)) for c in ("微信", "支付宝", "现金")]
    return [*paid, ("补缴", rest)]


def draw_paper_portrait_paymodes(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The filled portrait bill; its truth leaves out the check code it does not print."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    del fields["check_code"]
    w, h = 148.0, 210.0
    s = FacedPage(w, h, dpi=look.dpi, paper=(250, 249, 243), face=look.font)
    left, right = 10.0, 134.0
    # The bill is the hospital's province's, whoever the patient is.
    province = next((p for h, p in HOSPITALS if h == stay.hospital), "浙江省")
    title = f"{province}医疗收费票据"
    s.rect(6, 6, 138, 204, width=0.5, color=FRAME_VIOLET)
    s.text(w / 2 - 4, 15, title, 15, font_name="serif_bold", anchor="m", color=FRAME_VIOLET)
    s.text(w / 2 - 4, 22.5, "（住  院）", 10, anchor="m", color=FRAME_VIOLET)
    s.stamp(
        seal_image(rng, f"{province}财政厅", "监制", oval=True, star=False, color=(200, 60, 60), px=260),
        w / 2 - 4,
        30,
        20,
    )

    def pair(x: float, y: float, label: str, value: str, size: float = 8.5) -> float:
        x1 = x + s.text(x, y, label, 7.5, color=FRAME_VIOLET)
        return x1 + s.text(x1 + 0.6, y, value, size)

    pair(92, 37, "票据代码：", fields["invoice_code"])
    s.text(92, 42.5, "票号：", 7.5, color=FRAME_VIOLET)
    s.text(right, 42.5, fields["invoice_number"], 9.5, anchor="r", color=(180, 30, 30))
    pair(left, 37, "结算日期：", date_text(stay.discharge, "cn"))
    pair(left, 42.5, "医保类别：", stay.insurance_type)
    y = 49.0
    pair(left, y, "患者姓名：", fields["payer_name"], 9.5)
    pair(78, y, "住院号：", stay.inpatient_number)
    y += 6
    stay_range = f"{date_text(stay.admission, 'dot')}—{date_text(stay.discharge, 'dot')}"
    pair(left, y, "住院期间：", stay_range)
    pair(98, y, "科室：", stay.department)
    # The fee classes down one column.
    classes = _category_totals(stay)
    top, row = y + 4.5, 5.4
    split_col = 96.0
    bottom = top + 6 + row * max(len(classes), 8)
    s.rect(left, top, right, bottom, width=0.35, color=FRAME_VIOLET)
    s.line(left, top + 6, right, top + 6, width=0.25, color=FRAME_VIOLET)
    s.line(split_col, top, split_col, bottom, width=0.25, color=FRAME_VIOLET)
    s.text((left + split_col) / 2, top + 3, "收费项目", 8, anchor="m", color=FRAME_VIOLET)
    s.text((split_col + right) / 2, top + 3, "金额（元）", 8, anchor="m", color=FRAME_VIOLET)
    for k, (name, amount) in enumerate(classes):
        ry = top + 6 + row * k + row / 2
        s.text(left + 4, ry, name, 8.5)
        s.text(right - 4, ry, _money(amount), 8.5, anchor="r")
    y = bottom + 5.5
    pair(left, y, "合计（小写）：", f"¥{fields['total_amount']}", 9.5)
    y += 6
    pair(left, y, "合计（大写）：", fields["total_amount_upper"], 9.5)
    # The fund's split in a 2 x 2 box.
    y += 5
    box_top = y
    s.rect(left, box_top, right, box_top + 13, width=0.3, color=FRAME_VIOLET)
    s.line(left, box_top + 6.5, right, box_top + 6.5, width=0.2, color=FRAME_VIOLET)
    s.line((left + right) / 2, box_top, (left + right) / 2, box_top + 13, width=0.2, color=FRAME_VIOLET)
    for k, (label, key) in enumerate(
        (
            ("统筹支付：", "medical_insurance_paid"),
            ("账户支付：", "personal_account_paid"),
            ("个人自付：", "self_paid"),
            ("个人自费：", "self_expense"),
        )
    ):
        r, c = divmod(k, 2)
        pair(left + 3 + c * (right - left) / 2, box_top + 3.25 + r * 6.5, label, fields[key])
    # How the patient's share was paid.
    y = box_top + 19
    share = Decimal(fields["self_paid"]) + Decimal(fields["self_expense"])
    s.text(left, y, "支付方式", 8, font_name="sans_bold", color=FRAME_VIOLET)
    x = left + 16
    for k, (label, amount) in enumerate(_payments(rng, share)):
        if k == 3:
            y += 5.5
            x = left + 16
        x = pair(x, y, f"{label}：", _money(amount), 8) + 5
    y += 11
    pair(left, y, "收款单位（章）：", fields["payee"], 9)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章", oval=True), left + 44, y - 2, 26)
    y += 7
    pair(left, y, "收款人：", make_name(rng))
    pair(78, y, "打印时间：", f"{date_text(stay.discharge, 'iso')} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}")
    # 第二联 down the right edge, one character under another.
    edge = "第二联 报销联"
    top = 70.0
    for k, char in enumerate(edge):
        s.text(141.5, top + k * 4.2, char, 8, anchor="m", color=FRAME_VIOLET, record=False)
    s.lines.append(PrintedLine(edge, (139.7, top - 1.4, 143.3, top + 4.2 * (len(edge) - 1) + 1.4)))
    return Rendered("invoice", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "wallet_ebill_screenshot",
        "invoice",
        "手机电子票夹中住院财政电子票据“票据详情”页截图（约 1080 像素宽）：状态栏与标题栏，白色头卡（院名、"
        "票据种类、大号¥票面金额、未报销标签），卡片内灰色标签居左、数值右对齐，按票夹顺序（交款人、带时分的"
        "开票日期、票据代码、票据号码、校验码；就诊类型、住院号、ISO 入出院日期；费用明细；医保结算四行），"
        "票据来源说明与底部按钮；无大写、无章",
        draw_wallet_ebill_screenshot,
        ("sans", "microhei", "droid"),
        (360, 400),
        ("clean",),
    ),
    Family(
        "paper_portrait_paymodes",
        "invoice",
        "医院预印竖版（A5 竖放）住院收费票据，收费员打印机套打：标题下“（住院）”，右上票据代码与红色票号，"
        "中文结算日期，"
        "住院期间 2025.06.03—2025.06.15，费用类别单列“收费项目|金额”，小写¥与大写合计各占一行，2×2 医保分项框"
        "（统筹支付、账户支付、个人自付、个人自费），支付方式行（预交金、微信、支付宝、现金、应退或补缴），"
        "收款单位（章）与椭圆收费章，右缘竖印“第二联 报销联”；无校验码",
        draw_paper_portrait_paymodes,
        ("ming", "serif", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
]
