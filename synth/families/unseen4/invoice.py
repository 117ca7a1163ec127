"""Unseen 医疗收费票据 families (the fourth blind set, stop 37).

`ebill_a4_settlement`: a provincial platform's 医疗住院收费电子票据 as the patient prints its PDF at home
on an A4 sheet in portrait: the bill fills the upper part of the page, the rest stays blank but for the
platform's line on how to verify it. The 财政 supervising seal at the right of the title; the bill's
numbers in two stacked pairs (票据代码 / 票据号码 at the left, 校验码 / 开票日期 at the right) with the
platform's 业务流水号; the patient block a ruled table of three label–value pairs a row (交款人, 性别,
医保类型; 住院号, 科室, 床号; 入院日期, 出院日期, 住院天数); the charges one table with 项目编码, 项目名称,
单位, 数量, 金额 and 备注; under the total a 医保结算信息 table at the foot of the bill: a vertical label
cell, then two rows of four label–value cell pairs (统筹基金支付, 大病保险支付, 医疗救助支付, 个人账户支付 /
个人现金支付, 个人自付, 个人自费, 其他支付); the QR code at the bottom left, the 收费专用章 over the payee.

`paper_carbon_classes`: the second part (报销凭证联) of a pre-printed paper 住院收费票据 set, filled by a
dot-matrix printer through carbon paper: the form's frame, its labels and a grid of sixteen fee classes
(床位费, 诊察费 … 其他) pre-printed in green, the bill's serial number pre-printed in red after No; what
the printer struck (the values, the amounts of the classes the stay used) comes through in the violet
of the carbon, soft and a little off the form's boxes; the fund split a loose line in the 备注 band with
half-width colons (医保统筹:…); the copy's part named down the right edge; the hospital's 收费专用章
pressed on the copy itself."""

from __future__ import annotations

from decimal import Decimal

from PIL import ImageChops, ImageFilter

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text, qr_code
from synth.people import make_name

# The national fee-item code the platform prints before each fee class.
CLASS_CODES = {
    "床位费": "A0101",
    "诊察费": "A0102",
    "检查费": "A0103",
    "化验费": "A0104",
    "治疗费": "A0105",
    "手术费": "A0106",
    "护理费": "A0107",
    "卫生材料费": "A0108",
    "西药费": "A0109",
    "中成药费": "A0110",
}


def _province(ctx: Context) -> str:
    person, stay = ctx.person, ctx.stay
    return person.province if stay.hospital.startswith(person.province[:2]) else "浙江省"


def draw_ebill_a4_settlement(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The printed e-bill; it prints every invoice field, so the truth is the full invoice truth."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    left, right = 14.0, s.width_mm - 14
    province = _province(ctx)
    title = "医疗住院收费电子票据"
    s.text(s.width_mm / 2, 16, title, 16, font_name="serif_bold", anchor="m", color=(150, 30, 30))
    s.text(s.width_mm / 2, 23, f"（{province}）", 9, anchor="m")
    s.stamp(seal_image(rng, f"{province}财政厅", "票据监制章", oval=True, star=False, px=300), 160, 18, 24)
    pairs = [
        (left, 31, f"票据代码：{fields['invoice_code']}"),
        (left, 36.5, f"票据号码：{fields['invoice_number']}"),
        (120, 31, f"校验码：{fields['check_code']}"),
        (120, 36.5, f"开票日期：{date_text(stay.discharge, 'cn')}"),
        (left, 42, f"业务流水号：{rng.randint(10**15, 10**16 - 1)}"),
    ]
    for x, y, text in pairs:
        s.text(x, y, text, 8.5)
    # The patient block: three label-value pairs a row, each label in a shaded cell.
    block = [
        [("交款人", fields["payer_name"]), ("性别", person.sex), ("医保类型", stay.insurance_type)],
        [("住院号", stay.inpatient_number), ("科室", stay.department), ("床号", f"{stay.bed}床")],
        [
            ("入院日期", date_text(stay.admission, "iso")),
            ("出院日期", date_text(stay.discharge, "iso")),
            ("住院天数", f"{stay.days}天"),
        ],
    ]
    top, h, third, label_w = 46.0, 7.0, (right - left) / 3, 18.0
    for r, row in enumerate(block):
        for c, (label, value) in enumerate(row):
            x0, y0 = left + c * third, top + r * h
            s.rect(x0, y0, x0 + label_w, y0 + h, width=0.25, fill=(240, 236, 230))
            s.rect(x0 + label_w, y0, x0 + third, y0 + h, width=0.25)
            s.text(x0 + label_w / 2, y0 + h / 2, label, 8, anchor="m")
            s.text(x0 + label_w + 2, y0 + h / 2, value, 8.5)
    # The charges: one table, a fee class a row.
    cats = _category_totals(stay)
    items_top = top + 3 * h + 3
    cols = (
        (left + 2, "项目编码", "l"),
        (left + 24, "项目名称", "l"),
        (104, "单位", "m"),
        (120, "数量", "r"),
        (150, "金额（元）", "r"),
        (168, "备注", "l"),
    )
    rows_h = 6 + len(cats) * 5 + 1
    s.rect(left, items_top, right, items_top + rows_h, width=0.3)
    s.line(left, items_top + 6, right, items_top + 6, width=0.25)
    for x, head, anchor in cols:
        s.text(x, items_top + 3, head, 8, font_name="sans_bold", anchor=anchor)
    for i, (cat, amount) in enumerate(cats):
        y = items_top + 9 + i * 5
        cells = (CLASS_CODES.get(cat, "A0199"), cat, "项", "1", _money(amount), "")
        for (x, _, anchor), cell in zip(cols, cells, strict=True):
            if cell:
                s.text(x, y, cell, 8, anchor=anchor)
    y = items_top + rows_h
    s.rect(left, y, right, y + 8, width=0.3)
    s.text(left + 2, y + 4, f"合计金额（大写）：{fields['total_amount_upper']}", 8.5)
    s.text(right - 2, y + 4, f"（小写）：¥{fields['total_amount']}", 8.5, anchor="r")
    # The settlement table at the foot: a vertical label cell, then two rows of label-value pairs.
    total = Decimal(fields["total_amount"])
    fund, account = Decimal(fields["medical_insurance_paid"]), Decimal(fields["personal_account_paid"])
    settle = [
        [
            ("统筹基金支付", fields["medical_insurance_paid"]),
            ("大病保险支付", "0.00"),
            ("医疗救助支付", "0.00"),
            ("个人账户支付", fields["personal_account_paid"]),
        ],
        [
            ("个人现金支付", _money(total - fund - account)),
            ("个人自付", fields["self_paid"]),
            ("个人自费", fields["self_expense"]),
            ("其他支付", "0.00"),
        ],
    ]
    settle_top, cell_h = y + 8, 7.0
    band = 8.0
    s.rect(left, settle_top, left + band, settle_top + 2 * cell_h, width=0.3)
    for i, char in enumerate("医保结算"):
        s.text(left + band / 2, settle_top + 2 + i * 3.2, char, 7, anchor="m", record=False)
    pair_w = (right - left - band) / 4
    for r, row in enumerate(settle):
        for c, (label, value) in enumerate(row):
            x0, y0 = left + band + c * pair_w, settle_top + r * cell_h
            s.rect(x0, y0, x0 + pair_w * 0.55, y0 + cell_h, width=0.25)
            s.rect(x0 + pair_w * 0.55, y0, x0 + pair_w, y0 + cell_h, width=0.25)
            s.text(x0 + pair_w * 0.275, y0 + cell_h / 2, label, 7, anchor="m")
            s.text(x0 + pair_w - 1.5, y0 + cell_h / 2, value, 8, anchor="r")
    foot = settle_top + 2 * cell_h + 7
    s.text(left + 30, foot, f"收款单位（章）：{stay.hospital}", 8.5)
    s.text(left + 30, foot + 6, f"收款人：{make_name(rng)}", 8.5)
    s.text(left + 80, foot + 6, f"复核人：{make_name(rng)}", 8.5)
    s.image(qr_code(rng), left, foot - 3, 22, 22)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), left + 70, foot + 1, 30)
    s.text(
        s.width_mm / 2,
        foot + 26,
        f"本票据由{province}财政电子票据公共服务平台开具，可扫描二维码查验真伪。",
        7.5,
        anchor="m",
    )
    return Rendered("invoice", None, [s], fields, True, title)


# ---------------------------------------------------------------------------------------------
# A pre-printed paper bill's carbon copy

FORM_GREEN = (40, 120, 70)  # the ink the form is pre-printed in
SERIAL_RED = (200, 40, 40)  # the serial number the printer of forms numbers each set with
CARBON = (80, 60, 160)  # what a carbon sheet leaves on the copy
CLASSES = (
    "床位费",
    "诊察费",
    "检查费",
    "化验费",
    "治疗费",
    "手术费",
    "护理费",
    "卫生材料费",
    "西药费",
    "中成药费",
    "中草药费",
    "输血费",
    "输氧费",
    "麻醉费",
    "一般诊疗费",
    "其他",
)


def draw_paper_carbon_classes(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The carbon copy; it prints every invoice field (no 校验码 on paper: left out of the truth)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    del fields["check_code"]
    width, height = 200.0, 122.0
    form = FacedPage(width, height, dpi=look.dpi, paper=(250, 249, 240), face=look.font)
    ink = FacedPage(width, height, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    left, right = 10.0, width - 14
    province = _province(ctx)
    title = f"{province}医疗收费票据（住院）"
    form.text(width / 2, 10, title, 15, font_name="serif_bold", anchor="m", color=FORM_GREEN)
    form.stamp(
        seal_image(rng, f"{province}财政厅", "监制", oval=True, star=False, color=SERIAL_RED, px=300), 40, 10, 18
    )
    form.text(150, 9, "No", 10, font_name="serif_bold", color=FORM_GREEN, record=False)
    form.text(158, 9, fields["invoice_number"], 11, font_name="serif_bold", color=SERIAL_RED)
    for i, char in enumerate("第二联报销凭证"):
        form.text(width - 7, 28 + i * 9, char, 8.5, anchor="m", color=FORM_GREEN, record=False)
    # The printer's strikes: a little off the form everywhere by the same offset (the paper's feed).
    dx, dy = rng.uniform(-1.5, 2.5), rng.uniform(-1.2, 1.6)

    def struck(x: float, y: float, text: str, size: float = 9, anchor: str = "l") -> None:
        ink.text(x + dx, y + dy, text, size, anchor=anchor, color=CARBON)

    def label(x: float, y: float, text: str, size: float = 8.5) -> float:
        return form.text(x, y, text, size, color=FORM_GREEN)

    label(left, 19, "票据代码：")
    struck(left + 16, 19, fields["invoice_code"])
    label(120, 19, "开票日期：")
    struck(136, 19, date_text(stay.discharge, "dot"))
    form.rect(left, 23, right, 41, width=0.35, color=FORM_GREEN)
    form.line(left, 32, right, 32, width=0.2, color=FORM_GREEN)
    head = [
        (left + 2, 27.5, "姓名：", fields["payer_name"], 12),
        (60, 27.5, "性别：", person.sex, 12),
        (84, 27.5, "住院号：", stay.inpatient_number, 14),
        (128, 27.5, "住院科别：", stay.department, 17),
        (left + 2, 36.5, "入院日期：", date_text(stay.admission, "dot"), 16),
        (60, 36.5, "出院日期：", date_text(stay.discharge, "dot"), 16),
        (128, 36.5, "医保类型：", stay.insurance_type, 17),
    ]
    for x, y, text, value, offset in head:
        label(x, y, text, 8)
        struck(x + offset, y, value)
    # The fee classes: four columns of pre-printed names, the used classes' amounts struck beside them.
    amounts = dict(_category_totals(stay))
    grid_top, cell_h, col_w = 41.0, 7.0, (right - left) / 4
    for k, cls in enumerate(CLASSES):
        r, c = divmod(k, 4)
        x0, y0 = left + c * col_w, grid_top + r * cell_h
        form.rect(x0, y0, x0 + col_w, y0 + cell_h, width=0.25, color=FORM_GREEN)
        form.text(x0 + 2, y0 + cell_h / 2, cls, 8, color=FORM_GREEN)
        if cls in amounts:
            struck(x0 + col_w - 3, y0 + cell_h / 2, _money(amounts.pop(cls)), 9, "r")
    if amounts:  # a class the form does not pre-print goes under 其他
        struck(left + 4 * col_w - 3, grid_top + 3.5 * cell_h, _money(sum(amounts.values(), Decimal(0))), 9, "r")
    y = grid_top + 4 * cell_h
    form.rect(left, y, right, y + 8, width=0.35, color=FORM_GREEN)
    label(left + 2, y + 4, "合计人民币（大写）")
    struck(left + 32, y + 4, fields["total_amount_upper"])
    label(130, y + 4, "¥")
    struck(134, y + 4, fields["total_amount"])
    y += 8
    form.rect(left, y, right, y + 10, width=0.35, color=FORM_GREEN)
    label(left + 2, y + 5, "备注")
    total = Decimal(fields["total_amount"])
    cash = total - Decimal(fields["medical_insurance_paid"]) - Decimal(fields["personal_account_paid"])
    split = (
        f"医保统筹:{fields['medical_insurance_paid']} 个人账户:{fields['personal_account_paid']} "
        f"个人自付:{fields['self_paid']} 个人自费:{fields['self_expense']} 现金:{_money(cash)}"
    )
    struck(left + 12, y + 5, split, 8.5)
    y += 16
    label(left, y, "收款单位（盖章）：")
    struck(left + 28, y, stay.hospital)
    label(130, y, "收款员：")
    struck(143, y, f"{rng.randint(1001, 1099)}")
    # The carbon's transfer: soft and uneven; it darkens the form where it falls.
    blur = max(0.7, look.dpi / 25.4 * 0.15)
    carbon = ink.img.filter(ImageFilter.GaussianBlur(blur))
    form.img = ImageChops.multiply(form.img, carbon)
    form.lines.extend(ink.lines)
    form.stamp(seal_image(rng, stay.hospital, "收费专用章"), 75, y - 6, 30)
    return Rendered("invoice", None, [form], fields, True, title)


FAMILIES = [
    Family(
        "ebill_a4_settlement",
        "invoice",
        "患者自行 A4 纵向打印的医疗住院收费电子票据：票据占上半页，监制章在标题右，代码/号码与校验码/开票日期两两叠放、"
        "业务流水号，交款人等三对一行的底纹标签表，项目编码/项目名称/单位/数量/金额/备注单表，"
        "票尾“医保结算”竖标签表（统筹基金、大病保险、医疗救助、个人账户 / 现金、自付、自费、其他），二维码左下",
        draw_ebill_a4_settlement,
        ("sans", "serif", "microhei"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "paper_carbon_classes",
        "invoice",
        "预印纸质住院收费票据的第二联（报销凭证联）复写件：绿色预印框、标签与十六格费用类别，红色预印 No 号码，"
        "针式打印内容经复写纸呈紫色、发虚且整体偏离格子，备注栏半角冒号散行分项支付，右缘竖排联次，收费章直接盖在本联",
        draw_paper_carbon_classes,
        ("hei", "ming", "sans"),
        (150, 300),
        ("scan", "photo"),
    ),
]
