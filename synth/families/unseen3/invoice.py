"""An unseen 医疗收费票据 family: `ebill_a5_grid`, a provincial e-bill platform's 医疗住院收费票据（电子）
as a hospital's cashier prints it on an A5 sheet in landscape. The bill's numbers stacked at the top
right beside the title (票据代码, 票据号码, 校验码, 开票日期 as 2025/06/03); the patient block as a ruled
strip (交款人, 性别, 住院号, 住院时间 printed compact as 20250603-20250615); the charges in two side-by-side
groups of 项目名称 / 数量 / 单位 / 金额 columns; the payment split as a ruled grid of two rows and three
columns (医保统筹基金支付 | 个人账户支付 | 其他支付 / 个人现金支付 | 个人自付 | 个人自费), each cell its label
above its amount; the totals under it; the QR code at the bottom right under the 收费专用章."""

from __future__ import annotations

from decimal import Decimal

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text, qr_code
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
    )
]
