"""Unseen 医疗收费票据 families.

`ebill_a5_grid`: a provincial e-bill platform's 医疗住院收费票据（电子）
as a hospital's cashier prints it on an A5 sheet in landscape. The bill's numbers stacked at the top
right beside the title (票据代码, 票据号码, 校验码, 开票日期 as 2025/06/03); the patient block as a ruled
strip (交款人, 性别, 住院号, 住院时间 printed compact as 20250603-20250615); the charges in two side-by-side
groups of 项目名称 / 数量 / 单位 / 金额 columns; the payment split as a ruled grid of two rows and three
columns (医保统筹基金支付 | 个人账户支付 | 其他支付 / 个人现金支付 | 个人自付 | 个人自费), each cell its label
above its amount; the totals under it; the QR code at the bottom right under the 收费专用章.

`receipt_vat_style`: a hospital's 住院收费票据 laid out after the 增值税普通发票 its finance office also
issues: the supervising seal in the middle of a double-ruled title, the 票据代码 at the top left, the
machine-printed 票据号码 in a box at the top right with the 开票日期 as 20250429 and the 校验码 under it;
the payer block with its label printed down a narrow column at the left (交款方), the payer's name
written into it by hand at the window; the charges as 项目名称 / 规格 / 单位 / 数量 / 单价 / 金额 with the
fee classes; the total row (价税合计 style: ⓧ and the amount in words, ¥ and figures); the payee block
with its vertical label and the fund split in the 备注 cell beside it; 收款人 / 复核 / 开票人 at the foot and
an oval 收费专用章."""

from __future__ import annotations

from decimal import Decimal

from synth.build import Context
from synth.canvas import Surface, seal_image
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text, qr_code, written
from synth.people import make_name

FRAME_GREEN = (40, 110, 90)  # the platform prints its bill frame in green


def draw_ebill_a5_grid(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The bill; everything the platform's bill carries is printed, so the truth is the full invoice truth."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    s = FacedPage(210, 148, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    left, right = 8.0, s.width_mm - 8
    province = person.province if stay.hospital.startswith(person.province[:2]) else "浙江省"
    title = f"{province}医疗住院收费票据（电子）"
    s.text(70, 12, title, 14, font_name="serif_bold", anchor="m", color=FRAME_GREEN)
    s.stamp(seal_image(rng, f"{province}财政厅", "票据监制章", oval=True, star=False, px=300), 70, 22, 20)
    numbers = [
        ("票据代码", fields["invoice_code"]),
        ("票据号码", fields["invoice_number"]),
        ("校验码", fields["check_code"]),
        ("开票日期", date_text(stay.discharge, "slash")),
    ]
    for i, (label, value) in enumerate(numbers):
        s.text(140, 8 + i * 5, f"{label}：{value}", 8)
    # The patient strip: two ruled rows, label and value side by side in each cell.
    top = 30.0
    s.rect(left, top, right, top + 14, width=0.3, color=FRAME_GREEN)
    s.line(left, top + 7, right, top + 7, width=0.2, color=FRAME_GREEN)
    strip = [
        [
            (left + 2, f"交款人：{fields['payer_name']}"),
            (62, f"性别：{person.sex}"),
            (92, f"住院号：{stay.inpatient_number}"),
        ],
        [
            (left + 2, f"住院时间：{date_text(stay.admission, 'compact')}-{date_text(stay.discharge, 'compact')}"),
            (92, f"医保类型：{stay.insurance_type}"),
            (150, f"科室：{stay.department}"),
        ],
    ]
    for r, row in enumerate(strip):
        for x, text in row:
            s.text(x, top + 3.5 + r * 7, text, 8)
    # The charges: two groups of four columns side by side, filled left group first.
    cats = _category_totals(stay)
    half = (right - left) / 2
    per_group = -(-len(cats) // 2)
    items_top = top + 16
    rows_h = 6 + per_group * 5 + 1
    s.rect(left, items_top, right, items_top + rows_h, width=0.3, color=FRAME_GREEN)
    s.line(left + half, items_top, left + half, items_top + rows_h, width=0.3, color=FRAME_GREEN)
    s.line(left, items_top + 5.5, right, items_top + 5.5, width=0.2, color=FRAME_GREEN)
    for g in range(2):
        x0 = left + g * half
        heads = (
            (x0 + 2, "项目名称", "l"),
            (x0 + 50, "数量", "r"),
            (x0 + 60, "单位", "m"),
            (x0 + half - 3, "金额", "r"),
        )
        for x, head, anchor in heads:
            s.text(x, items_top + 3, head, 7.5, anchor=anchor, color=FRAME_GREEN)
        for i, (cat, amount) in enumerate(cats[g * per_group : (g + 1) * per_group]):
            y = items_top + 8.5 + i * 5
            s.text(x0 + 2, y, cat, 8)
            s.text(x0 + 50, y, "1", 8, anchor="r")
            s.text(x0 + 60, y, "项", 8, anchor="m")
            s.text(x0 + half - 3, y, _money(amount), 8, anchor="r")
    # The payment grid: two rows of three cells, the label on top, the amount under it.
    total = Decimal(fields["total_amount"])
    fund, account = Decimal(fields["medical_insurance_paid"]), Decimal(fields["personal_account_paid"])
    grid = [
        [
            ("医保统筹基金支付", fields["medical_insurance_paid"]),
            ("个人账户支付", fields["personal_account_paid"]),
            ("其他支付", "0.00"),
        ],
        [
            ("个人现金支付", _money(total - fund - account)),
            ("个人自付", fields["self_paid"]),
            ("个人自费", fields["self_expense"]),
        ],
    ]
    grid_top, cell_w, cell_h = items_top + rows_h + 2, (right - left) / 3, 10.0
    for r, cells in enumerate(grid):
        for c, (label, value) in enumerate(cells):
            x0, y0 = left + c * cell_w, grid_top + r * cell_h
            s.rect(x0, y0, x0 + cell_w, y0 + cell_h, width=0.25, color=FRAME_GREEN)
            s.text(x0 + cell_w / 2, y0 + 3, label, 7.5, anchor="m", color=FRAME_GREEN)
            s.text(x0 + cell_w / 2, y0 + 7.3, value, 8.5, anchor="m")
    y = grid_top + 2 * cell_h + 5
    s.text(left + 2, y, f"合计（大写）：{fields['total_amount_upper']}", 8.5)
    s.text(120, y, f"（小写）¥{fields['total_amount']}", 8.5)
    s.text(left + 2, y + 6, f"收款单位（章）：{stay.hospital}", 8)
    s.text(left + 2, y + 11, f"复核人：{make_name(rng)}    收款人：{make_name(rng)}", 8)
    s.image(qr_code(rng), right - 20, s.height_mm - 24, 18, 18)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), right - 48, y + 4, 28)
    return Rendered("invoice", None, [s], fields, True, title)


# ---------------------------------------------------------------------------------------------
# A hospital receipt after the 增值税普通发票's layout

VAT_BROWN = (135, 80, 40)  # the ink VAT-style forms are pre-printed in


def _band(s: Surface, x: float, top: float, bottom: float, label: str) -> None:
    """A block's label printed down a narrow column at its left, one character under another."""
    s.rect(x, top, x + 7, bottom, width=0.3, color=VAT_BROWN)
    step = (bottom - top) / (len(label) + 1)
    for i, char in enumerate(label):
        s.text(x + 3.5, top + step * (i + 1), char, 8.5, anchor="m", color=VAT_BROWN, record=False)


def draw_receipt_vat_style(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The receipt; it prints every invoice field (the payer's name by hand), so the truth is full."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    s = FacedPage(220, 140, dpi=look.dpi, paper=(253, 252, 248), face=look.font)
    w, left, right = s.width_mm, 10.0, s.width_mm - 10
    province = person.province if stay.hospital.startswith(person.province[:2]) else "浙江省"
    title = f"{province}住院收费票据"
    s.text(w / 2, 11, title, 16, font_name="serif_bold", anchor="m", color=VAT_BROWN)
    s.line(w / 2 - 36, 16, w / 2 + 36, 16, width=0.3, color=VAT_BROWN)
    s.line(w / 2 - 36, 17, w / 2 + 36, 17, width=0.3, color=VAT_BROWN)
    s.stamp(seal_image(rng, f"{province}财政厅监制", oval=True, star=False, px=300), w / 2, 24, 18)
    s.text(left, 10, f"票据代码：{fields['invoice_code']}", 8.5)
    s.rect(right - 46, 5, right, 13, width=0.35, color=VAT_BROWN)
    s.text(right - 44, 9, "No", 9, color=VAT_BROWN, record=False)
    s.text(right - 2, 9, fields["invoice_number"], 12, font_name="hei", anchor="r", color=(30, 40, 120))
    s.text(right - 46, 18, f"开票日期：{date_text(stay.discharge, 'compact')}", 8.5)
    s.text(right - 46, 23, f"校 验 码：{fields['check_code']}", 8.5)
    # The payer block: its label down a column, the name written in by hand.
    top = 30.0
    s.rect(left, top, right, top + 17, width=0.35, color=VAT_BROWN)
    _band(s, left, top, top + 17, "交款方")
    s.text(left + 10, top + 4.5, "名　　称：", 8.5, color=VAT_BROWN)
    written(s, left + 28, top + 4.5, fields["payer_name"], 10, rng, by_hand=True)
    s.text(left + 10, top + 10, f"住 院 号：{stay.inpatient_number}", 8.5)
    s.text(100, top + 10, f"科　　室：{stay.department}", 8.5)
    stay_text = f"{date_text(stay.admission, 'cn_short')}—{date_text(stay.discharge, 'cn_short')}"
    s.text(left + 10, top + 14.5, f"住院期间：{stay_text}", 8.5)
    s.text(100, top + 14.5, f"医保类型：{stay.insurance_type}", 8.5)
    # The charges.
    cats = _category_totals(stay)
    items_top = top + 17
    rows_h = 5.5 + len(cats) * 4.3 + 1
    s.rect(left, items_top, right, items_top + rows_h, width=0.35, color=VAT_BROWN)
    cols = (
        (left + 3, "项目名称", "l"),
        (80, "规格", "m"),
        (100, "单位", "m"),
        (120, "数量", "r"),
        (150, "单价", "r"),
        (right - 3, "金额", "r"),
    )
    for x, head, anchor in cols:
        s.text(x, items_top + 3, head, 8, anchor=anchor, color=VAT_BROWN)
    for i, (cat, amount) in enumerate(cats):
        y = items_top + 8 + i * 4.3
        for (x, _, anchor), cell in zip(cols, (cat, "", "项", "1", _money(amount), _money(amount)), strict=True):
            s.text(x, y, cell, 8, anchor=anchor)
    total_top = items_top + rows_h
    s.rect(left, total_top, right, total_top + 7, width=0.35, color=VAT_BROWN)
    s.text(left + 3, total_top + 3.5, "合计（大写）", 8.5, color=VAT_BROWN)
    s.text(left + 26, total_top + 3.5, f"ⓧ{fields['total_amount_upper']}", 9)
    s.text(140, total_top + 3.5, f"（小写）¥{fields['total_amount']}", 9)
    # The payee block with the fund split in its 备注 cell.
    payee_top = total_top + 7
    s.rect(left, payee_top, right, payee_top + 20, width=0.35, color=VAT_BROWN)
    _band(s, left, payee_top, payee_top + 20, "收款方")
    s.line(118, payee_top, 118, payee_top + 20, width=0.3, color=VAT_BROWN)
    s.text(left + 10, payee_top + 5, f"名　　称：{stay.hospital}", 8.5)
    s.text(left + 10, payee_top + 11, f"医疗机构类型：{rng.choice(('综合医院', '中医医院', '专科医院'))}", 8.5)
    _band(s, 118, payee_top, payee_top + 20, "备注")
    total = Decimal(fields["total_amount"])
    fund, account = Decimal(fields["medical_insurance_paid"]), Decimal(fields["personal_account_paid"])
    remarks = [
        f"医保统筹支付：{fields['medical_insurance_paid']}  个人账户：{fields['personal_account_paid']}",
        f"个人自付：{fields['self_paid']}  个人自费：{fields['self_expense']}",
        f"现金支付：{_money(total - fund - account)}",
    ]
    for i, remark in enumerate(remarks):
        s.text(128, payee_top + 4.5 + i * 5.5, remark, 7.5)
    foot = payee_top + 26
    s.text(left + 2, foot, f"收款人：{make_name(rng)}", 8.5)
    s.text(80, foot, f"复核：{make_name(rng)}", 8.5)
    s.text(140, foot, f"开票人：{make_name(rng)}", 8.5)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章", oval=True), 92, payee_top + 13, 30)
    return Rendered("invoice", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "ebill_a5_grid",
        "invoice",
        "省级电子票据平台医疗住院收费票据（电子）A5 横向打印：代码/号码/校验码/开票日期右上叠放（斜线日期），"
        "住院时间紧凑数字，费用两组并排（项目名称/数量/单位/金额），二行三列支付格（标签在上金额在下），二维码右下",
        draw_ebill_a5_grid,
        ("serif", "kai", "microhei"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "receipt_vat_style",
        "invoice",
        "仿增值税普通发票版式的医院住院收费票据：双线标题中央监制章，右上方框机打票据号码、紧凑日期与校验码，"
        "交款方/收款方竖排标签栏，交款人名称手写，项目名称/规格/单位/数量/单价/金额，ⓧ大写合计，备注栏内分项支付，椭圆收费章",
        draw_receipt_vat_style,
        ("sans", "ming", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
]
