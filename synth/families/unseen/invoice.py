"""An unseen 医疗收费票据 family: a 财政电子票据 in the western provinces' design (Sichuan style). The QR
code at the top left, 票据代码 and 票据号码 stacked at the right, a row for the payer's 统一社会信用代码,
the fee classes in two side-by-side halves with their item codes, the fund split as a three-column table
under the items (with the 其他支付 and 个人现金支付 cells real bills also print), and the hospital's
收费专用章 over the amount in words."""

from __future__ import annotations

from decimal import Decimal

from synth.build import Context
from synth.canvas import Surface, seal_image
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text, qr_code
from synth.people import make_name

# The fee classes' codes as the provinces' 非税收入 item catalogue numbers them.
FEE_CODES = {
    "床位费": "0101",
    "护理费": "0102",
    "化验费": "0103",
    "检查费": "0104",
    "治疗费": "0105",
    "手术费": "0106",
    "诊察费": "0107",
    "西药费": "0201",
    "中成药费": "0202",
    "中草药费": "0203",
    "卫生材料费": "0301",
}
ORG_KINDS = ("综合医院", "中医医院", "专科医院")


def _fee_halves(s: Surface, cats: list[tuple[str, Decimal]], top: float) -> float:
    """项目编码 / 项目名称 / 金额（元） twice across the page, the classes filling the left half first."""
    left, right = 10.0, s.width_mm - 10
    half = (right - left) / 2
    rows = max(3, -(-len(cats) // 2))
    bottom = top + 6 + rows * 5
    s.rect(left, top, right, bottom, width=0.3)
    s.line(left + half, top, left + half, bottom, width=0.3)
    s.line(left, top + 6, right, top + 6, width=0.2)
    for k in range(2):
        x = left + k * half
        s.text(x + 3, top + 3, "项目编码", 7.5)
        s.text(x + 22, top + 3, "项目名称", 7.5)
        s.text(x + half - 3, top + 3, "金额（元）", 7.5, anchor="r")
    for i, (cat, amount) in enumerate(cats):
        x = left + (i // rows) * half
        y = top + 8.5 + (i % rows) * 5
        s.text(x + 3, y, FEE_CODES.get(cat, "0999"), 8)
        s.text(x + 22, y, cat, 8)
        s.text(x + half - 3, y, _money(amount), 8, anchor="r")
    return bottom


def _split_table(s: Surface, cells: list[tuple[str, str]], top: float) -> float:
    """Three label–value cells a row in a ruled table; returns its bottom."""
    left, right, h = 10.0, s.width_mm - 10, 6.0
    col = (right - left) / 3
    rows = -(-len(cells) // 3)
    s.rect(left, top, right, top + rows * h, width=0.3)
    for r in range(1, rows):
        s.line(left, top + r * h, right, top + r * h, width=0.2)
    for k in (1, 2):
        s.line(left + k * col, top, left + k * col, top + rows * h, width=0.2)
    for i, (label, value) in enumerate(cells):
        x, y = left + (i % 3) * col, top + (i // 3) * h + h / 2
        s.text(x + 2, y, f"{label}：{value}", 7.5)
    return top + rows * h


def draw_ebill_west(ctx: Context, side: str | None, look: Look) -> Rendered:
    """A 住院 财政电子票据 printed from the province's platform; the truth holds what it prints."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    s = FacedPage(210, 124, dpi=look.dpi, paper=(254, 254, 252), face=look.font)
    w = s.width_mm
    province = person.province if stay.hospital.startswith(person.province[:2]) else "浙江省"
    title = f"{province}医疗收费电子票据"
    s.image(qr_code(rng), 10, 6, 22, 22)
    s.text(w / 2, 12, title, 15, font_name="serif_bold", anchor="m")
    s.text(w / 2, 19, "（住院）", 10, anchor="m")
    s.stamp(seal_image(rng, f"{province}财政厅", "监制", oval=True, star=False, px=300), w / 2, 25, 22)
    s.text(w - 58, 10, f"票据代码：{fields['invoice_code']}", 8.5)
    s.text(w - 58, 15.5, f"票据号码：{fields['invoice_number']}", 8.5)
    s.text(w - 58, 21, f"校验码：{fields['check_code']}", 8.5)
    s.text(w - 58, 26.5, f"开票日期：{date_text(stay.discharge, 'cn_short')}", 8.5)
    s.text(10, 34, f"交款人统一社会信用代码：{person.id_number}", 8.5)
    s.text(120, 34, f"交款人：{fields['payer_name']}", 8.5)
    serial = f"{rng.randint(10**11, 10**12 - 1)}"
    s.text(10, 39.5, f"业务流水号：{serial}", 8)
    s.text(64, 39.5, f"住院号：{stay.inpatient_number}", 8)
    s.text(104, 39.5, f"医疗机构类型：{rng.choice(ORG_KINDS)}", 8)
    s.text(152, 39.5, f"性别：{person.sex}", 8)
    s.text(10, 45, f"医保类型：{stay.insurance_type}", 8)
    s.text(82, 45, f"住院时间：{date_text(stay.admission, 'iso')}至{date_text(stay.discharge, 'iso')}", 8)
    bottom = _fee_halves(s, _category_totals(stay), 49)
    total = Decimal(fields["total_amount"])
    fund, account = Decimal(fields["medical_insurance_paid"]), Decimal(fields["personal_account_paid"])
    y = bottom + 5
    s.text(12, y, f"金额合计（大写）：{fields['total_amount_upper']}", 8.5)
    s.text(w - 58, y, f"（小写）：{fields['total_amount']}", 8.5)
    cells = [
        ("医保统筹基金支付", fields["medical_insurance_paid"]),
        ("其他支付", "0.00"),
        ("个人账户支付", fields["personal_account_paid"]),
        ("个人现金支付", _money(total - fund - account)),
        ("个人自付", fields["self_paid"]),
        ("个人自费", fields["self_expense"]),
    ]
    bottom = _split_table(s, cells, y + 4)
    foot = bottom + 8
    s.text(12, foot, f"收款单位（章）：{stay.hospital}", 8.5)
    s.text(w - 80, foot, f"复核人：{make_name(rng)}", 8.5)
    s.text(w - 40, foot, f"收款人：{make_name(rng)}", 8.5)
    # The seal lands where the clerk's stamp falls on real print-outs: over the amount in words.
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), 62, y - 1, 30)
    return Rendered("invoice", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "ebill_west",
        "invoice",
        "西部省份式财政电子票据：二维码左上，代码号码右侧叠放，交款人统一社会信用代码行，"
        "两半栏费用带项目编码，三栏分项支付表，章压大写金额",
        draw_ebill_west,
        ("sans", "ming", "hei"),
        (150, 300),
        ("scan", "photo"),
    )
]
