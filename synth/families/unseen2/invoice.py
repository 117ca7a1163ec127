"""Unseen 医疗收费票据 families.

`paper_red_pinfeed`: an older paper 住院收费专用票据 from before the 财政电子票据, a cut sheet
pre-printed in red (frame, labels, every fee class's name, the 票据代码, the 财政 oval seal) and filled
in on a pin-feed printer that never quite meets the form: every printed value sits a millimetre or more
off its cell, sometimes across the ruling. The serial number stamped in red by the numbering machine
(`№`), the fee classes in three pre-printed columns with only the classes charged filled in, the fund
split (医保统筹支付 / 个人账户支付 / 现金支付) printed as loose lines in the blank area, the clerk's
name written by hand and the hospital's 收费专用章 pressed off to the right.

`ebill_north`: a northern province's 医疗收费电子票据: 门诊 / 住院 as two boxes with one filled, 票据代码
and 号码 in two lines at the top left, 患者姓名, ISO dates, the items as a table with 数量 and 单位, the
payment information (统筹基金支付 … 个人现金支付, 个人自付, 个人自费) a column of its own at the right,
and the QR code with the 校验码 under it at the bottom left."""

from __future__ import annotations

from decimal import Decimal

from synth.build import Context
from synth.canvas import BLACK, seal_image
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text, qr_code, written
from synth.people import make_name

RED_PRINT = (190, 48, 56)  # the form's pre-printed ink
SERIAL_RED = (205, 30, 40)  # the numbering machine's ink
# Every class the form pre-prints, in its three columns (a class not charged stays blank).
FEE_GRID = (
    ("床位费", "护理费", "诊察费", "检查费"),
    ("化验费", "治疗费", "手术费", "卫生材料费"),
    ("西药费", "中成药费", "中草药费", "其他费"),
)


def draw_paper_red_pinfeed(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The bill; the truth holds what it prints: no 校验码 (paper), no 自付 / 自费 (it prints only
    统筹, 账户 and 现金)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    s = FacedPage(200, 118, dpi=look.dpi, paper=(250, 247, 239), face=look.font)
    w = s.width_mm
    province = person.province if stay.hospital.startswith(person.province[:2]) else "浙江省"
    title = f"{province}医疗机构住院收费专用票据"
    # The pre-printed form, in red.
    s.text(w / 2, 10, title, 14, font_name="serif_bold", anchor="m", color=RED_PRINT)
    s.stamp(seal_image(rng, f"{province}财政厅监制", oval=True, star=False, px=300), w / 2, 19, 20)
    s.text(12, 19, f"票据代码：{fields['invoice_code']}", 8.5, color=RED_PRINT)
    s.text(w - 50, 12, f"№ {fields['invoice_number']}", 12, font_name="hei", color=SERIAL_RED)
    left, right = 10.0, w - 10
    rows = (26.0, 33.0, 40.0)
    s.rect(left, 23, right, 98, width=0.35, color=RED_PRINT)
    for y in (*rows[1:], 47.0):
        s.line(left, y - 3.5, right, y - 3.5, width=0.2, color=RED_PRINT)
    heads = [
        [(left + 2, "姓名"), (62, "性别"), (100, "住院号"), (148, "科别")],
        [(left + 2, "医疗机构"), (118, "医保类型")],
        [(left + 2, "住院日期"), (118, "结算日期")],
    ]
    for y, row in zip(rows, heads, strict=True):
        for x, label in row:
            s.text(x, y + 0.5, label, 8, color=RED_PRINT)
    # The fee grid: three columns of pre-printed class names, amounts filled in.
    grid_top, cell_h = 47.0, 6.0
    col = (right - left) / 3
    for k in range(1, 3):
        s.line(left + k * col, grid_top - 3.5, left + k * col, grid_top - 3.5 + 4 * cell_h, width=0.2, color=RED_PRINT)
    for c, names in enumerate(FEE_GRID):
        for r, name in enumerate(names):
            s.text(left + c * col + 2, grid_top + 0.5 + r * cell_h, name, 8, color=RED_PRINT)
    total_y = grid_top - 3.5 + 4 * cell_h
    s.line(left, total_y, right, total_y, width=0.2, color=RED_PRINT)
    s.text(left + 2, total_y + 4, "合计人民币（大写）", 8, color=RED_PRINT)
    s.text(140, total_y + 4, "¥", 8.5, color=RED_PRINT)
    s.line(left, total_y + 8, right, total_y + 8, width=0.2, color=RED_PRINT)
    s.text(12, 103, "收款单位（盖章）", 8.5, color=RED_PRINT)
    s.text(118, 103, "收款人", 8.5, color=RED_PRINT)
    s.text(w / 2, 112, "（手写无效）", 7, anchor="m", color=RED_PRINT)
    # The pin-feed printer's values, all off the form by one offset.
    dx, dy = rng.uniform(-1.5, 3.0), rng.uniform(-1.2, 2.0)
    values = [
        (left + 13, rows[0], person.name),
        (72, rows[0], person.sex),
        (112, rows[0], stay.inpatient_number),
        (158, rows[0], stay.department),
        (left + 19, rows[1], stay.hospital),
        (134, rows[1], stay.insurance_type),
        (left + 19, rows[2], f"{date_text(stay.admission, 'cn_short')}至{date_text(stay.discharge, 'cn_short')}"),
        (134, rows[2], date_text(stay.discharge, "compact")),
    ]
    for x, y, value in values:
        s.text(x + dx, y + dy + 0.5, value, 8.5)
    charged = dict(_category_totals(stay))
    for c, names in enumerate(FEE_GRID):
        for r, name in enumerate(names):
            if name in charged:
                amount_x = left + (c + 1) * col - 4
                s.text(amount_x + dx, grid_top + 0.5 + r * cell_h + dy, _money(charged[name]), 8.5, anchor="r")
    s.text(left + 34 + dx, total_y + 4 + dy, fields["total_amount_upper"], 8.5)
    s.text(145 + dx, total_y + 4 + dy, fields["total_amount"], 8.5)
    total = Decimal(fields["total_amount"])
    fund, account = Decimal(fields["medical_insurance_paid"]), Decimal(fields["personal_account_paid"])
    serial = f"{rng.randint(10**7, 10**8 - 1)}"
    loose = [
        f"医保统筹支付：{fields['medical_insurance_paid']}",
        f"个人账户支付：{fields['personal_account_paid']}",
        f"现金支付：{_money(total - fund - account)}",
    ]
    split_y = total_y + 13
    for i, line in enumerate(loose):
        s.text(14 + i * 58 + dx, split_y + dy, line, 8.5)
    s.text(14 + dx, split_y + 6 + dy, f"流水号：{serial}    操作员：{rng.randint(100, 999)}", 7.5)
    written(s, 132, 103, make_name(rng), 10, rng, by_hand=True)
    # The seal lands off to the right, half over the frame, where the cashier pressed it.
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), w - 22 + rng.uniform(-4, 2), 92 + rng.uniform(-4, 4), 30)
    truth = {k: v for k, v in fields.items() if k not in ("check_code", "self_paid", "self_expense")}
    return Rendered("invoice", None, [s], truth, True, title)


# ---------------------------------------------------------------------------------------------
# A northern province's 医疗收费电子票据


def _visit_ticks(s: FacedPage, x: float, y: float, visit: str) -> None:
    """门诊 / 住院 as two printed boxes, the bill's own one filled (■), the other empty (□)."""
    for option in ("门诊", "住院"):
        s.rect(x, y - 1.6, x + 3.2, y + 1.6, width=0.25, fill=BLACK if option == visit else None)
        x += s.text(x + 4.2, y, option, 8.5) + 8


def draw_ebill_north(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The e-bill; the truth holds what it prints (the visit type is the box filled in)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    s = FacedPage(210, 132, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    w = s.width_mm
    province = person.province if stay.hospital.startswith(person.province[:2]) else "浙江省"
    title = f"{province}医疗收费电子票据"
    s.text(w / 2, 11, title, 16, font_name="sans_bold", anchor="m")
    s.stamp(seal_image(rng, f"{province}财政厅", "监制章", oval=True, star=False, px=300), w / 2, 21, 22)
    _visit_ticks(s, w / 2 - 16, 28, "住院")
    # The numbers as a two-by-two block at the top left, the date at the right.
    s.text(12, 18, f"票据代码：{fields['invoice_code']}", 8.5)
    s.text(12, 23.5, f"票据号码：{fields['invoice_number']}", 8.5)
    s.text(w - 12, 18, f"开票日期：{date_text(stay.discharge, 'iso')}", 8.5, anchor="r")
    s.text(w - 12, 23.5, f"医保类型：{stay.insurance_type}", 8.5, anchor="r")
    s.line(10, 32, w - 10, 32, width=0.4)
    s.text(12, 36.5, f"患者姓名：{fields['payer_name']}", 9)
    s.text(62, 36.5, f"性别：{person.sex}", 8.5)
    s.text(88, 36.5, f"住院号：{stay.inpatient_number}", 8.5)
    s.text(140, 36.5, f"科室：{stay.department}", 8.5)
    s.text(12, 42, f"住院日期：{date_text(stay.admission, 'iso')} 至 {date_text(stay.discharge, 'iso')}", 8.5)
    s.text(112, 42, f"住院天数：{stay.days}", 8.5)
    # Items on the left two thirds; the payment information as a column of its own on the right.
    top, split_x = 46.0, 136.0
    cats = _category_totals(stay)
    bottom = top + 7 + len(cats) * 4.8 + 2
    s.rect(10, top, w - 10, bottom, width=0.3)
    s.line(split_x, top, split_x, bottom, width=0.3)
    s.line(10, top + 6, split_x, top + 6, width=0.2)
    for x, head, anchor in ((13, "项目名称", "l"), (70, "数量", "r"), (84, "单位", "m"), (132, "金额（元）", "r")):
        s.text(x, top + 3, head, 8, anchor=anchor)
    for i, (cat, amount) in enumerate(cats):
        y = top + 9 + i * 4.8
        s.text(13, y, cat, 8)
        s.text(70, y, "1", 8, anchor="r")
        s.text(84, y, "项", 8, anchor="m")
        s.text(132, y, _money(amount), 8, anchor="r")
    total = Decimal(fields["total_amount"])
    fund, account = Decimal(fields["medical_insurance_paid"]), Decimal(fields["personal_account_paid"])
    pay = [
        ("统筹基金支付", fields["medical_insurance_paid"]),
        ("其他支付", "0.00"),
        ("个人账户支付", fields["personal_account_paid"]),
        ("个人现金支付", _money(total - fund - account)),
        ("个人自付", fields["self_paid"]),
        ("个人自费", fields["self_expense"]),
    ]
    s.text(split_x + 3, top + 3, "支付信息", 8, font_name="sans_bold")
    for i, (label, value) in enumerate(pay):
        s.text(split_x + 3, top + 9 + i * 5, f"{label}：{value}", 8)
    y = bottom + 5
    s.text(12, y, f"金额（大写）：{fields['total_amount_upper']}", 9)
    s.text(w - 60, y, f"金额（小写）：{fields['total_amount']}", 9)
    s.line(10, y + 4, w - 10, y + 4, width=0.4)
    foot = y + 10
    s.text(12, foot, f"收款单位：{stay.hospital}", 8.5)
    s.text(112, foot, f"复核人：{make_name(rng)}", 8.5)
    s.text(150, foot, f"收款人：{make_name(rng)}", 8.5)
    # The QR code at the bottom left with the 校验码 printed beneath it.
    qr_y = foot + 3
    s.image(qr_code(rng), 12, qr_y, 18, 18)
    s.text(33, qr_y + 15, f"校验码：{fields['check_code']}", 8)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), w - 40, foot - 2, 30)
    return Rendered("invoice", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "paper_red_pinfeed",
        "invoice",
        "旧式纸质住院收费专用票据：红色套印表格与全部费用类别名称，针式打印错位压线，红色号码机№号码，"
        "三栏预印费用类别只填已收费项，医保统筹支付/个人账户支付/现金支付散行，手写收款人，章盖在右侧",
        draw_paper_red_pinfeed,
        ("ming", "hei", "droid"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "ebill_north",
        "invoice",
        "北方省份医疗收费电子票据：门诊/住院方框涂选，代码号码左上两行，患者姓名，ISO 日期，项目表带数量单位，"
        "右侧支付信息栏（统筹基金支付、个人现金支付），二维码与校验码在左下",
        draw_ebill_north,
        ("microhei", "serif", "sans"),
        (200, 350),
        ("scan", "photo"),
    ),
]
