"""医疗收费票据 families: provinces' 财政电子票据 printed out and hospitals' paper bills of several
designs. They differ where real issuers differ: the order and place of the header numbers, label
wordings (交款人 / 患者姓名 / 姓名, 统筹支付 / 基金支付, 自付, 收款单位（章）), the fund split as a 备注
block, a table or loose lines, fee classes in one, two or three columns, the QR code and the seals in
other places, a seal over the values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from synth.build import Context
from synth.canvas import BLACK, Surface, seal_image
from synth.documents import FRAME, Rendered, _category_totals, _money, invoice_fields
from synth.families.common import FacedPage, Look, date_text, qr_code, styled_family
from synth.people import make_name

# The fund split's fields in the order bills print them.
SPLIT_FIELDS = ("medical_insurance_paid", "personal_account_paid", "self_paid", "self_expense")


@dataclass(frozen=True)
class InvoiceStyle:
    """One issuer's bill: its wordings, where things sit and how the split is laid out."""

    title: str  # with {province} and {visit}
    labels: dict[str, str]  # truth field → printed label
    header: str  # "right_block": numbers in a column at the right; "rows": two per row; "top_line": one line
    split: str  # "remarks", "table" or "loose"
    fee_columns: int
    qr: str | None  # "top_left", "top_right", "bottom_right" or None
    seal_over: str  # "payee" or "total": where the hospital's 收费专用章 lands
    date_style: str
    check_code: bool = True
    electronic: bool = True
    number_prefix: str = ""  # e.g. "No." printed before the number instead of a label
    size: tuple[float, float] = (210.0, 140.0)
    frame: tuple[int, int, int] = BLACK


def _header(s: Surface, style: InvoiceStyle, fields: dict[str, Any], person_id: str) -> float:
    """The numbers, payer and date in the issuer's order; returns the y below them."""
    lab = style.labels
    number = (
        f"{style.number_prefix}{fields['invoice_number']}"
        if style.number_prefix
        else f"{lab['invoice_number']}：{fields['invoice_number']}"
    )
    entries = [
        f"{lab['invoice_code']}：{fields['invoice_code']}",
        number,
        f"{lab['issue_date']}：{fields['issue_date_printed']}",
    ]
    if style.check_code:
        entries.append(f"{lab['check_code']}：{fields['check_code']}")
    w = s.width_mm
    if style.header == "right_block":
        for i, entry in enumerate(entries):
            s.text(w - 62, 22 + i * 5, entry, 8.5)
        y = 22.0 + len(entries) * 5 + 2
        s.text(12, y, f"{lab['payer_name']}：{fields['payer_name']}", 9)
        s.text(90, y, f"统一社会信用代码（身份证号）：{person_id}", 8)
        return y + 5
    if style.header == "top_line":
        x = 10.0
        for entry in entries:
            x += s.text(x, 24, entry, 8) + 6
        s.text(10, 30, f"{lab['payer_name']}：{fields['payer_name']}", 9)
        s.text(80, 30, f"住院号：{fields['inpatient_number']}", 8.5)
        return 35
    y = 24.0
    for i in range(0, len(entries), 2):
        for k, entry in enumerate(entries[i : i + 2]):
            s.text(12 + k * (w / 2 - 6), y, entry, 8.5)
        y += 5.5
    s.text(12, y, f"{lab['payer_name']}：{fields['payer_name']}", 9)
    return y + 5


def _fees(s: Surface, style: InvoiceStyle, cats: list[tuple[str, Decimal]], top: float) -> float:
    """Fee classes in the issuer's number of columns, each a name and an amount; returns the bottom."""
    w = s.width_mm
    cols = style.fee_columns
    col = (w - 20) / cols
    rows = -(-len(cats) // cols)
    for k in range(cols):
        x = 10 + k * col
        s.text(x + 3, top + 4, "项目", 8)
        s.text(x + col - 4, top + 4, "金额", 8, anchor="r")
        if k:
            s.line(x, top, x, top + 8 + rows * 5, color=style.frame)
    s.line(10, top + 7, w - 10, top + 7, color=style.frame)
    for i, (cat, amount) in enumerate(cats):
        x = 10 + (i // rows) * col
        yy = top + 11 + (i % rows) * 5
        s.text(x + 3, yy, cat, 8)
        s.text(x + col - 4, yy, _money(amount), 8, anchor="r")
    bottom = top + 9 + rows * 5
    s.rect(10, top, w - 10, bottom, color=style.frame, width=0.3)
    return bottom


def _split(s: Surface, style: InvoiceStyle, fields: dict[str, Any], top: float) -> float:
    """The fund split as the issuer prints it; returns the bottom."""
    lab = style.labels
    pairs = [(lab[k], fields[k]) for k in SPLIT_FIELDS]
    w = s.width_mm
    if style.split == "table":
        col = (w - 20) / len(pairs)
        s.rect(10, top, w - 10, top + 12, color=style.frame, width=0.3)
        s.line(10, top + 6, w - 10, top + 6, color=style.frame)
        for i, (label, value) in enumerate(pairs):
            x = 10 + i * col
            if i:
                s.line(x, top, x, top + 12, color=style.frame)
            s.text(x + col / 2, top + 3, label, 7.5, anchor="m")
            s.text(x + col / 2, top + 9, value, 8, anchor="m")
        return top + 12
    if style.split == "loose":
        for i, (label, value) in enumerate(pairs):
            s.text(14 + (i % 2) * 70, top + 4 + (i // 2) * 5, f"{label} {value}", 8)
        return top + 12
    s.rect(10, top, w - 10, top + 14, color=style.frame, width=0.3)
    s.text(12, top + 4, "备注：", 8)
    x = 24.0
    for i, (label, value) in enumerate(pairs):
        x += s.text(x, top + 4 + (i // 2) * 5.5, f"{label}：{value}", 7.5) + 5
        if i % 2:
            x = 24.0
    return top + 14


def draw_invoice(style: InvoiceStyle, ctx: Context, look: Look) -> Rendered:
    """A 住院 bill in the style's layout; the truth holds only the fields it prints."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = invoice_fields(rng, person, stay, visit="住院", issue=stay.discharge)
    printed = {**fields, "issue_date_printed": date_text(stay.discharge, style.date_style)}
    printed["inpatient_number"] = stay.inpatient_number
    paper = (253, 253, 251) if style.electronic else (250, 248, 240)
    s = FacedPage(*style.size, dpi=look.dpi, paper=paper, face=look.font)
    w = s.width_mm
    province = person.province if stay.hospital.startswith(person.province[:2]) else "浙江省"
    title = style.title.format(province=province, visit="住院")
    s.text(w / 2, 11, title, 15, font_name="serif_bold", anchor="m")
    s.stamp(seal_image(rng, f"{province}财政厅", "监制", oval=True, star=False, px=300), w / 2, 20, 24)
    if style.qr:
        x = 12 if style.qr == "top_left" else w - 34 if style.qr == "top_right" else w - 32
        y = 6 if style.qr != "bottom_right" else s.height_mm - 30
        s.image(qr_code(rng), x, y, 20, 20)
    y = _header(s, style, printed, person.id_number)
    bottom = _fees(s, style, _category_totals(stay), y + 1)
    lab = style.labels
    s.text(12, bottom + 5, f"{lab['total_amount_upper']}：{fields['total_amount_upper']}", 8.5)
    total_x = w - 60
    s.text(total_x, bottom + 5, f"{lab['total_amount']}：{fields['total_amount']}", 8.5)
    bottom = _split(s, style, fields, bottom + 9)
    s.text(12, bottom + 5, f"住院时间：{stay.admission:%Y-%m-%d}至{stay.discharge:%Y-%m-%d}", 8)
    foot = bottom + 13
    s.text(12, foot, f"{lab['payee']}：{stay.hospital}", 8.5)
    s.text(w - 48, foot, f"收款人：{make_name(rng)}", 8.5)
    seal_x, seal_y = (40.0, foot - 4) if style.seal_over == "payee" else (total_x + 20, bottom - 14)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), seal_x, seal_y, 30)
    truth = {k: v for k, v in fields.items() if style.check_code or k != "check_code"}
    return Rendered("invoice", None, [s], truth, True, title)


STYLES: dict[str, tuple[str, InvoiceStyle]] = {
    "ebill_zj": (
        "浙江式财政电子票据：号码在右侧一栏，交款人，备注栏内的统筹基金支付，三栏费用，二维码左上",
        InvoiceStyle(
            title="{province}医疗{visit}收费电子票据",
            labels={
                "invoice_code": "票据代码",
                "invoice_number": "票据号码",
                "issue_date": "开票日期",
                "check_code": "校验码",
                "payer_name": "交款人",
                "total_amount_upper": "合计（大写）",
                "total_amount": "合计（小写）",
                "medical_insurance_paid": "统筹基金支付",
                "personal_account_paid": "个人账户支付",
                "self_paid": "自付",
                "self_expense": "自费",
                "payee": "收款单位（章）",
            },
            header="right_block",
            split="remarks",
            fee_columns=3,
            qr="top_left",
            seal_over="payee",
            date_style="iso",
        ),
    ),
    "ebill_gd": (
        "广东式财政电子票据：号码一行排开，患者姓名，表格式分项支付，单栏费用，二维码右下，章压合计",
        InvoiceStyle(
            title="{province}医疗收费电子票据（{visit}）",
            labels={
                "invoice_code": "票据代码",
                "invoice_number": "票据号码",
                "issue_date": "开票日期",
                "check_code": "校验码",
                "payer_name": "患者姓名",
                "total_amount_upper": "金额合计（大写）",
                "total_amount": "（小写）",
                "medical_insurance_paid": "基金支付",
                "personal_account_paid": "个人账户",
                "self_paid": "个人自付",
                "self_expense": "个人自费",
                "payee": "收款单位",
            },
            header="top_line",
            split="table",
            fee_columns=1,
            qr="bottom_right",
            seal_over="total",
            date_style="cn",
            size=(210.0, 170.0),
        ),
    ),
    "paper_pinfeed": (
        "针式打印纸质住院票据：发票代码，No. 号码无校验码，姓名，散行统筹支付，两栏费用，无二维码",
        InvoiceStyle(
            title="{province}医疗{visit}收费票据",
            labels={
                "invoice_code": "发票代码",
                "invoice_number": "票据号码",
                "issue_date": "收费日期",
                "check_code": "校验码",
                "payer_name": "姓名",
                "total_amount_upper": "合计大写",
                "total_amount": "合计",
                "medical_insurance_paid": "统筹支付",
                "personal_account_paid": "账户支付",
                "self_paid": "自付",
                "self_expense": "自费",
                "payee": "收款单位（盖章）",
            },
            header="rows",
            split="loose",
            fee_columns=2,
            qr=None,
            seal_over="payee",
            date_style="dot",
            check_code=False,
            electronic=False,
            number_prefix="No.",
            frame=FRAME,
        ),
    ),
    "paper_hospital": (
        "医院自印收费收据：号码两两成行，交款人，表格式医保统筹基金支付，三栏费用，二维码右上，章压合计",
        InvoiceStyle(
            title="{province}医疗机构{visit}收费收据",
            labels={
                "invoice_code": "收据代码",
                "invoice_number": "收据号码",
                "issue_date": "日期",
                "check_code": "校验码",
                "payer_name": "交款人",
                "total_amount_upper": "合计金额（大写）",
                "total_amount": "小写",
                "medical_insurance_paid": "医保统筹基金支付",
                "personal_account_paid": "个人账户支付",
                "self_paid": "个人自付",
                "self_expense": "个人自费",
                "payee": "收款单位",
            },
            header="rows",
            split="table",
            fee_columns=3,
            qr="top_right",
            seal_over="total",
            date_style="slash",
            electronic=False,
            frame=FRAME,
        ),
    ),
}


_family = partial(styled_family, doc_type="invoice", styles=STYLES, draw=draw_invoice)

FAMILIES = [
    _family("ebill_zj", ("droid", "microhei"), (150, 300), ("scan", "photo")),
    _family("ebill_gd", ("ming", "serif"), (200, 400), ("scan", "photo")),
    _family("paper_pinfeed", ("ming", "droid"), (150, 250), ("scan", "photo")),
    _family("paper_hospital", ("microhei", "sans"), (200, 300), ("scan", "photo")),
]
