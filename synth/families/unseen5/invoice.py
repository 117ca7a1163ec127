"""Unseen 医疗收费票据 families (the fifth blind set, stop 38).

`paper_2019_three_groups`: the paper 医疗住院收费票据 of the 2019 national format, a pre-printed sheet in
the frame's blue the hospital's laser printer fills in black. Under the title the bill's particulars in
two pre-printed rows (票据代码, 交款人统一社会信用代码, 票据号码 / 交款人, 校验码, 开票日期); then one wide
table of three column groups, each 项目名称 | 金额（元） | 备注, the fee classes running down the first
group, then the second, then the third; a row with 金额合计 in words and figures; a 其他信息 band where the
stay is printed as loose text (业务流水号, 住院号, 住院科别, 住院时间 as two compact dates, 医保类型);
under it a ruled row of the 预缴 / 补缴 / 退费 amounts and, at the bottom, the fund's split as one ruled
row of six label cells over six amount cells (医保统筹基金支付, 其他支付, 个人账户支付, 个人现金支付,
个人自付, 个人自费); 收款单位（章）, 复核人 and 收款人 under the frame.

`ebill_grey_thousands`: a hospital's 住院收费票据 as its accounts office prints it from the 财政 platform
on an office laser printer set to grayscale, on A4 portrait: a large QR code at the top right beside the
bill's numbers, the title with a grey rule, the patient's particulars as label: value lines in two
columns (患者姓名, 住院科室, 在院天数 …); every amount right-aligned with a ¥ and thousand separators
(¥1,234.50), in a 收费项目 | 金额 table, the total in figures and words, and a 医保结算 box of five
right-aligned lines; the seal printed grey like the rest; the toner a little uneven."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from PIL import Image, ImageFilter

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text, qr_code
from synth.people import make_name

FORM_BLUE = (40, 70, 150)  # the ink the 2019 paper bill's frame and labels are pre-printed in


def _province(ctx: Context) -> str:
    person, stay = ctx.person, ctx.stay
    return person.province if stay.hospital.startswith(person.province[:2]) else "浙江省"


def _credit_code(ctx: Context) -> str:
    """The payer's 统一社会信用代码 field: an individual payer's is their masked ID number."""
    number = ctx.person.id_number
    return f"{number[:6]}********{number[-4:]}"


def draw_paper_2019_three_groups(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The filled 2019 paper bill; it prints every invoice field."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    width, height = 210.0, 127.0
    s = FacedPage(width, height, dpi=look.dpi, paper=(250, 250, 246), face=look.font)
    left, right = 8.0, width - 8

    def label(x: float, y: float, text: str, size: float = 7.5, anchor: str = "l") -> float:
        return s.text(x, y, text, size, anchor=anchor, color=FORM_BLUE)

    province = _province(ctx)
    title = f"{province}医疗住院收费票据"
    s.text(width / 2, 9, title, 15, font_name="serif_bold", anchor="m", color=FORM_BLUE)
    s.line(width / 2 - 42, 13.5, width / 2 + 42, 13.5, width=0.4, color=FORM_BLUE)
    s.line(width / 2 - 42, 14.5, width / 2 + 42, 14.5, width=0.4, color=FORM_BLUE)
    s.stamp(
        seal_image(rng, f"{province}财政厅", "票据监制章", oval=True, star=False, color=(200, 40, 40), px=300),
        width / 2,
        10,
        20,
    )
    s.text(width / 2, 18.5, "（纸质）", 8, anchor="m", color=FORM_BLUE)
    rows = [
        (22.5, [(left, "票据代码：", fields["invoice_code"]), (62, "交款人统一社会信用代码：", _credit_code(ctx))]),
        (28.5, [(left, "交款人：", fields["payer_name"]), (62, "校验码：", fields["check_code"])]),
    ]
    for y, cells in rows:
        for x, text, value in cells:
            value_x = x + label(x, y, text)
            s.text(value_x + 1, y, value, 8.5)
    label(150, 22.5, "票据号码：")
    s.text(165, 22.5, fields["invoice_number"], 9)
    label(150, 28.5, "开票日期：")
    s.text(165, 28.5, date_text(stay.discharge, "cn"), 8.5)
    # Three column groups of 项目名称 | 金额 | 备注, the fee classes running down each group in turn.
    top, head_h, row_h, rows_n = 32.0, 6.0, 5.5, 5
    group_w = (right - left) / 3
    s.rect(left, top, right, top + head_h + rows_n * row_h, width=0.35, color=FORM_BLUE)
    s.line(left, top + head_h, right, top + head_h, width=0.25, color=FORM_BLUE)
    for g in range(3):
        x0 = left + g * group_w
        if g:
            s.line(x0, top, x0, top + head_h + rows_n * row_h, width=0.35, color=FORM_BLUE)
        for dx in (group_w * 0.45, group_w * 0.8):
            s.line(x0 + dx, top, x0 + dx, top + head_h + rows_n * row_h, width=0.2, color=FORM_BLUE)
        label(x0 + group_w * 0.225, top + head_h / 2, "项目名称", 7.5, "m")
        label(x0 + group_w * 0.625, top + head_h / 2, "金额（元）", 7.5, "m")
        label(x0 + group_w * 0.9, top + head_h / 2, "备注", 7.5, "m")
    for k, (cat, amount) in enumerate(_category_totals(stay)[: 3 * rows_n]):
        g, r = divmod(k, rows_n)
        x0, y = left + g * group_w, top + head_h + r * row_h + row_h / 2
        s.text(x0 + 2, y, cat, 8)
        s.text(x0 + group_w * 0.8 - 1.5, y, _money(amount), 8, anchor="r")
    y = top + head_h + rows_n * row_h
    s.rect(left, y, right, y + 7, width=0.35, color=FORM_BLUE)
    label(left + 2, y + 3.5, "金额合计（大写）")
    s.text(left + 28, y + 3.5, fields["total_amount_upper"], 8.5)
    label(140, y + 3.5, "（小写）")
    s.text(153, y + 3.5, fields["total_amount"], 8.5)
    # 其他信息: the stay as loose text.
    y += 7
    s.rect(left, y, right, y + 12, width=0.35, color=FORM_BLUE)
    label(left + 2, y + 6, "其他信息")
    s.line(left + 16, y, left + 16, y + 12, width=0.25, color=FORM_BLUE)
    info = [
        f"业务流水号：{rng.randint(10**11, 10**12 - 1)}",
        f"住院号：{stay.inpatient_number}",
        f"住院科别：{stay.department}",
    ]
    s.text(left + 19, y + 3.5, "    ".join(info), 7.5)
    stay_text = (
        f"住院时间：{date_text(stay.admission, 'compact')}-{date_text(stay.discharge, 'compact')}    "
        f"医保类型：{stay.insurance_type}"
    )
    s.text(left + 19, y + 8.5, stay_text, 7.5)
    # 预缴 / 补缴 / 退费, then the split: six label cells over six amount cells.
    y += 12
    total = Decimal(fields["total_amount"])
    deposit = Decimal(rng.randint(10, 60) * 100)
    cash = total - Decimal(fields["medical_insurance_paid"]) - Decimal(fields["personal_account_paid"])
    settle = max(Decimal(0), cash - deposit)
    refund = max(Decimal(0), deposit - cash)
    s.rect(left, y, right, y + 6, width=0.35, color=FORM_BLUE)
    for k, (text, value) in enumerate((("预缴金额：", deposit), ("补缴金额：", settle), ("退费金额：", refund))):
        x = left + 2 + k * (right - left) / 3
        s.text(x + label(x, y + 3, text), y + 3, _money(value), 8)
    y += 6
    split = [
        ("医保统筹基金支付", fields["medical_insurance_paid"]),
        ("其他支付", "0.00"),
        ("个人账户支付", fields["personal_account_paid"]),
        ("个人现金支付", _money(cash)),
        ("个人自付", fields["self_paid"]),
        ("个人自费", fields["self_expense"]),
    ]
    cell_w = (right - left) / 6
    s.rect(left, y, right, y + 11, width=0.35, color=FORM_BLUE)
    s.line(left, y + 5, right, y + 5, width=0.2, color=FORM_BLUE)
    for k, (text, value) in enumerate(split):
        x0 = left + k * cell_w
        if k:
            s.line(x0, y, x0, y + 11, width=0.2, color=FORM_BLUE)
        label(x0 + cell_w / 2, y + 2.5, text, 7, "m")
        s.text(x0 + cell_w / 2, y + 8, value, 8, anchor="m")
    y += 17
    label(left, y, "收款单位（章）：")
    s.text(left + 22, y, stay.hospital, 8.5)
    label(120, y, "复核人：")
    s.text(132, y, make_name(rng), 8.5)
    label(160, y, "收款人：")
    s.text(172, y, make_name(rng), 8.5)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), left + 45, y - 5, 26)
    return Rendered("invoice", None, [s], fields, True, title)


# ---------------------------------------------------------------------------------------------
# A grayscale office print with ¥ and thousand separators


def _yuan(value: str | Decimal) -> str:
    """An amount as this print shows it: ¥, thousand separators, two decimals (¥1,234.50)."""
    return f"¥{Decimal(value):,.2f}"


def _toner(img: Image.Image, seed: int) -> Image.Image:
    """Grayscale laser toner: every colour grey, the black a little uneven and soft."""
    grey = np.asarray(img.convert("L")).astype(np.float32)
    gen = np.random.default_rng(seed)
    h, w = grey.shape
    # Toner density drifts slowly across the sheet (a worn drum).
    drift = np.asarray(
        Image.fromarray(gen.uniform(0, 255, (6, 4)).astype(np.uint8)).resize((w, h), Image.Resampling.BICUBIC)
    ).astype(np.float32)
    ink = 255 - grey
    grey = (255 - ink * (0.8 + 0.2 * drift / 255)).astype(np.float32)
    out = Image.fromarray(np.clip(grey + gen.normal(0, 2.5, grey.shape), 0, 255).astype(np.uint8))
    return out.filter(ImageFilter.GaussianBlur(0.5)).convert("RGB")


def draw_ebill_grey_thousands(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The grayscale print; it prints every invoice field, amounts with ¥ and thousand separators."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    left, right = 18.0, 192.0
    title = "住院收费票据"
    s.text(left, 16, stay.hospital, 13, font_name="serif_bold")
    s.text(left, 26, title, 18, font_name="sans_bold")
    s.line(left, 31, 150, 31, width=0.8, color=(120, 120, 120))
    s.image(qr_code(rng, modules=29), 158, 8, 34, 34)
    numbers = [
        ("票据代码：", fields["invoice_code"]),
        ("票据号码：", fields["invoice_number"]),
        ("校验码：", fields["check_code"]),
        ("开具时间：", f"{date_text(stay.discharge, 'iso')} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"),
    ]
    for k, (text, value) in enumerate(numbers):
        s.text(left + 95 * (k % 2), 37 + 6 * (k // 2), f"{text}{value}", 9)
    pairs = [
        ("患者姓名：", fields["payer_name"], "住院科室：", stay.department),
        ("性别：", person.sex, "住院号：", stay.inpatient_number),
        ("入院时间：", date_text(stay.admission, "iso"), "出院时间：", date_text(stay.discharge, "iso")),
        ("在院天数：", f"{stay.days}", "医保类型：", stay.insurance_type),
    ]
    y = 53.0
    s.rect(left, y - 4, right, y + 4 * 6.5 - 2, width=0.3, color=(90, 90, 90))
    for a, va, b, vb in pairs:
        s.text(left + 3, y, f"{a}{va}", 9.5)
        s.text(left + 90, y, f"{b}{vb}", 9.5)
        y += 6.5
    # 收费项目 | 金额: a fee class a row, its amount right-aligned with ¥ and separators.
    y += 4
    s.rect(left, y, right, y + 7, width=0.3, fill=(215, 215, 215))
    s.text(left + 4, y + 3.5, "收费项目", 9.5, font_name="sans_bold")
    s.text(right - 4, y + 3.5, "金额", 9.5, font_name="sans_bold", anchor="r")
    y += 7
    for cat, amount in _category_totals(stay):
        y += 6
        s.text(left + 4, y - 3, cat, 9.5)
        s.text(right - 4, y - 3, _yuan(amount), 9.5, anchor="r")
        s.line(left, y, right, y, width=0.15, color=(160, 160, 160))
    y += 7
    s.text(left + 4, y, "费用总额", 10.5, font_name="sans_bold")
    s.text(right - 4, y, _yuan(fields["total_amount"]), 10.5, font_name="sans_bold", anchor="r")
    y += 6.5
    s.text(left + 4, y, f"人民币（大写）：{fields['total_amount_upper']}", 9.5)
    # 医保结算: five right-aligned lines in a box.
    y += 8
    total = Decimal(fields["total_amount"])
    cash = total - Decimal(fields["medical_insurance_paid"]) - Decimal(fields["personal_account_paid"])
    settle = [
        ("基本医疗保险统筹支付", fields["medical_insurance_paid"]),
        ("个人账户支付", fields["personal_account_paid"]),
        ("个人自付", fields["self_paid"]),
        ("个人自费", fields["self_expense"]),
        ("个人现金支付", _money(cash)),
    ]
    s.rect(left + 80, y, right, y + 8 + 6 * len(settle), width=0.3, color=(90, 90, 90))
    s.text(left + 84, y + 4.5, "医保结算", 10, font_name="sans_bold")
    for k, (text, value) in enumerate(settle):
        yy = y + 11 + 6 * k
        s.text(left + 84, yy, text, 9)
        s.text(right - 4, yy, _yuan(value), 9, anchor="r")
    y += 8 + 6 * len(settle) + 10
    s.text(left, y, f"收款单位：{stay.hospital}", 9.5)
    s.text(left, y + 7, f"收款人：{make_name(rng)}", 9.5)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), left + 60, y + 2, 32)
    s.text(105, 285, "本票据为财政电子票据的纸质打印件，与电子票据具有同等效力。", 8, anchor="m")
    s.img = _toner(s.img, rng.randrange(2**32))
    return Rendered("invoice", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "paper_2019_three_groups",
        "invoice",
        "2019 年全国统一式样纸质医疗住院收费票据：蓝色预印框与标签、激光打印黑字，票据代码/交款人统一社会信用代码/"
        "票据号码与交款人/校验码/开票日期两行，项目名称/金额/备注三组并排的宽表，大写小写合计，其他信息栏散行"
        "（业务流水号、住院号、住院科别、紧凑日期住院时间、医保类型），预缴/补缴/退费一行，底部六格分项支付（标签格在上、金额格在下）",
        draw_paper_2019_three_groups,
        ("sans", "ming", "microhei"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "ebill_grey_thousands",
        "invoice",
        "财务室用办公激光打印机灰度打印的住院收费票据（A4 纵向）：大二维码在右上、代码号码校验码开具时间两两一行，"
        "患者信息“标签：值”两栏加框，收费项目/金额两列表，所有金额右对齐带 ¥ 与千分位（¥1,234.50），费用总额与大写，"
        "医保结算框五行右对齐金额，收费章灰色，碳粉浓淡不均",
        draw_ebill_grey_thousands,
        ("sans", "hei", "serif"),
        (150, 300),
        ("scan", "photo"),
    ),
]
