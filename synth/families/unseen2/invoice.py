"""An unseen 医疗收费票据 family: an older paper 住院收费专用票据 from before the 财政电子票据, a cut sheet
pre-printed in red (frame, labels, every fee class's name, the 票据代码 and the 财政 oval seal) and
filled in on a pin-feed printer that never quite meets the form: every printed value sits a millimetre
or more off its cell, sometimes across the ruling. The serial number is stamped in red by the numbering
machine (`№`), the fee classes stand in three pre-printed columns with only the classes charged filled
in, the fund split (医保统筹支付 / 个人账户支付 / 现金支付) printed as loose lines in the blank area,
the clerk's name written by hand and the hospital's 收费专用章 pressed off to the right."""

from __future__ import annotations

from decimal import Decimal

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Family, Look, date_text, written
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
    )
]
