"""Document layouts after the real national formats. Each `draw_*` lays one document out on a
surface (raster or PDF) and returns its ground-truth fields, normalised the way the extractors
report them (ISO dates, decimal strings, upper-case X)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from extractors.normalize import to_upper_amount
from synth.canvas import BLACK, RasterPage, Surface, portrait_placeholder, seal_image, text_width_mm
from synth.people import Person, Stay, invoice_split, make_name

FRAME = (70, 95, 150)  # the printed frame colour of 医疗收费票据 paper
# Share of paper bills whose number is printed after No in the frame colour, as on old pin-feed bills,
# not after 票据号码. Drawn from the number itself, so that no other draw of a document moves.
NUMBERED_AFTER_NO = 0.4
GREYBLUE = (60, 80, 110)
Colour = tuple[int, int, int]


@dataclass
class Rendered:
    doc_type: str
    side: str | None
    pages: list[Surface]
    fields: dict[str, Any]
    has_seal: bool
    title: str


def _money(v: Decimal) -> str:
    return f"{v:.2f}"


def _category_totals(stay: Stay) -> list[tuple[str, Decimal]]:
    totals: dict[str, Decimal] = {}
    for line in stay.lines:
        totals[line.category] = totals.get(line.category, Decimal("0.00")) + line.amount
    return sorted(totals.items(), key=lambda kv: kv[0])


def invoice_fields(rng: random.Random, person: Person, stay: Stay, *, visit: str, issue: dt.date) -> dict[str, Any]:
    total = stay.total
    split = invoice_split(rng, total, stay.insurance_type)
    fields: dict[str, Any] = {
        "invoice_code": f"{rng.choice(['33', '21', '41'])}0601{rng.randint(20, 25)}",
        "invoice_number": f"{rng.randint(0, 99999999):010d}",
        "check_code": "".join(rng.choice("0123456789abcdef") for _ in range(6)),
        "payer_name": person.name,
        "issue_date": issue.isoformat(),
        "payee": stay.hospital,
        "total_amount": _money(total),
        "total_amount_upper": to_upper_amount(total),
        "visit_type": visit,
        **{k: _money(v) for k, v in split.items()},
    }
    if visit == "住院":
        fields["admission_date"] = stay.admission.isoformat()
        fields["discharge_date"] = stay.discharge.isoformat()
    return fields


def draw_invoice(
    s: Surface, rng: random.Random, person: Person, stay: Stay, fields: dict[str, Any], *, electronic: bool
) -> Rendered:
    """医疗门诊/住院收费票据 (财政部 2019 统一样式): header numbers, payer, item table, totals, 备注
    block with the fund split, 收款单位（章）with the hospital's 收费专用章."""
    visit = fields["visit_type"]
    province = person.province if stay.hospital.startswith(person.province[:2]) else "浙江省"
    title = f"{province}医疗{visit}收费{'电子' if electronic else ''}票据"
    w = s.width_mm
    s.text(w / 2, 12, title, 17, font_name="serif_bold", anchor="m", color=(150, 40, 40) if not electronic else BLACK)
    if not electronic:
        s.stamp(
            seal_image(rng, f"{province}财政厅", "监制", oval=True, star=False, color=(200, 50, 50), px=300),
            w / 2,
            23,
            28,
        )
    y = 30
    s.text(12, y, f"票据代码：{fields['invoice_code']}", 9)
    if not electronic and random.Random(fields["invoice_number"]).random() < NUMBERED_AFTER_NO:
        s.text(w - 70, y, f"No {fields['invoice_number']}", 10, font_name="serif_bold", color=FRAME)
    else:
        s.text(w - 70, y, f"票据号码：{fields['invoice_number']}", 9)
    y += 6
    s.text(12, y, f"交款人统一社会信用代码：{person.id_number}", 9)
    s.text(w - 70, y, f"校验码：{fields['check_code']}", 9)
    y += 6
    s.text(12, y, f"交款人：{person.name}", 9)
    s.text(w - 70, y, f"开票日期：{fields['issue_date']}", 9)
    top = y + 4
    s.rect(10, top, w - 10, top + 62, color=FRAME, width=0.35)
    col = (w - 20) / 2
    for k in range(2):
        x = 10 + k * col
        s.text(x + 4, top + 5, "项目名称", 8.5)
        s.text(x + col * 0.55, top + 5, "金额（元）", 8.5, anchor="m")
        s.text(x + col * 0.84, top + 5, "备注", 8.5, anchor="m")
    s.line(10, top + 9, w - 10, top + 9, color=FRAME)
    s.line(10 + col, top, 10 + col, top + 44, color=FRAME)
    cats = _category_totals(stay)
    half = (len(cats) + 1) // 2
    for k, group in enumerate((cats[:half], cats[half:])):
        x = 10 + k * col
        for i, (cat, amount) in enumerate(group):
            yy = top + 13 + i * 5.2
            s.text(x + 4, yy, cat, 8.5)
            s.text(x + col * 0.55, yy, _money(amount), 8.5, anchor="m")
    s.line(10, top + 44, w - 10, top + 44, color=FRAME)
    s.text(13, top + 49, f"金额合计（大写）{fields['total_amount_upper']}", 9)
    s.text(w - 75, top + 49, f"（小写）{fields['total_amount']}", 9)
    s.line(10, top + 53, w - 10, top + 53, color=FRAME)
    s.text(13, top + 57.5, f"医保类型：{stay.insurance_type}", 7.5)
    if visit == "住院":
        s.text(80, top + 57.5, f"住院号：{stay.inpatient_number}", 7.5)
        s.text(125, top + 57.5, f"住院时间：{stay.admission:%Y%m%d}-{stay.discharge:%Y%m%d}", 7.5)
    remarks = top + 66
    s.rect(10, top + 62, w - 10, remarks + 16, color=FRAME, width=0.35)
    s.text(13, remarks, f"医保统筹基金支付：{fields['medical_insurance_paid']}", 7.5)
    s.text(75, remarks, "其他支付：0.00", 7.5)
    s.text(120, remarks, f"个人账户支付：{fields['personal_account_paid']}", 7.5)
    s.text(13, remarks + 6, f"个人自付：{fields['self_paid']}", 7.5)
    s.text(75, remarks + 6, f"个人自费：{fields['self_expense']}", 7.5)
    s.text(
        120, remarks + 6, f"个人现金支付：{_money(Decimal(fields['self_paid']) + Decimal(fields['self_expense']))}", 7.5
    )
    foot = remarks + 24
    s.text(12, foot, f"收款单位（章）：{stay.hospital}", 9)
    s.text(w - 95, foot, f"复核人：{make_name(rng)}", 9)
    s.text(w - 50, foot, f"收款人：{make_name(rng)}", 9)
    s.stamp(seal_image(rng, stay.hospital, "收费专用章"), 62, foot - 13, 32)
    return Rendered("invoice", None, [s], fields, True, title)


def discharge_fields(person: Person, stay: Stay, on: dt.date) -> dict[str, Any]:
    return {
        "patient_name": person.name,
        "sex": person.sex,
        "age": str(_age(person.birth, stay.admission)),
        "hospital": stay.hospital,
        "department": stay.department,
        "inpatient_number": stay.inpatient_number,
        "admission_date": stay.admission.isoformat(),
        "discharge_date": stay.discharge.isoformat(),
        "days_in_hospital": str(stay.days),
        "admission_diagnosis": stay.diagnosis,
        "discharge_diagnosis": stay.diagnosis,
        "doctor": stay.doctor,
    }


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def _paragraph(
    s: Surface,
    x: float,
    y: float,
    width: float,
    text: str,
    size: float,
    leading: float,
    *,
    face: str = "sans",
    hanging: str = "",
) -> float:
    """Wrap Chinese text to `width` mm measured in `face`; a character of `hanging` (stops, commas) never
    starts a line, it hangs at the end of the line before, as typesetters do. Returns the y below it."""
    line = ""
    for ch in text:
        if ch not in hanging and text_width_mm(line + ch, size, face) > width:
            s.text(x, y, line, size)
            y += leading
            line = ""
        line += ch
    if line:
        s.text(x, y, line, size)
        y += leading
    return y


COURSE = [
    "入院后完善相关检查，予以抗感染、补液及对症支持治疗，病情逐渐好转。",
    "入院后予监测生命体征，规范用药，患者症状明显缓解，复查指标较前改善。",
    "完善术前检查后行手术治疗，术后予抗感染、止痛及营养支持，切口愈合良好。",
]
ADVICE = ["注意休息，清淡饮食，避免劳累。", "按时服药，定期门诊复查。", "如有不适及时就诊。", "出院带药遵医嘱服用。"]


def draw_discharge(s: Surface, rng: random.Random, person: Person, stay: Stay) -> Rendered:
    """出院记录: hospital name, title, patient header row, dates, diagnoses, course, advice, signature."""
    fields = discharge_fields(person, stay, stay.discharge)
    w = s.width_mm
    s.text(w / 2, 18, stay.hospital, 16, font_name="serif_bold", anchor="m")
    s.text(w / 2, 28, "出院记录", 15, font_name="serif_bold", anchor="m")
    y = 40.0
    s.text(20, y, f"姓名：{person.name}", 10.5)
    s.text(62, y, f"性别：{person.sex}", 10.5)
    s.text(92, y, f"年龄：{fields['age']}岁", 10.5)
    s.text(125, y, f"住院号：{stay.inpatient_number}", 10.5)
    y += 7
    s.text(20, y, f"科室：{stay.department}", 10.5)
    s.text(92, y, f"床号：{stay.bed}床", 10.5)
    s.line(18, y + 4, w - 18, y + 4, width=0.4)
    y += 11.0
    s.text(20, y, f"入院日期：{_cn_date(stay.admission)}", 10.5)
    s.text(110, y, f"出院日期：{_cn_date(stay.discharge)}", 10.5)
    y += 7
    s.text(20, y, f"住院天数：{stay.days}天", 10.5)
    y += 9
    s.text(20, y, f"入院诊断：{stay.diagnosis}", 10.5)
    y += 7
    s.text(20, y, f"出院诊断：{stay.diagnosis}", 10.5)
    y += 9
    s.text(20, y, "入院情况：", 10.5, font_name="sans_bold")
    y = _paragraph(
        s,
        20,
        y + 7,
        w - 40,
        f"患者因“{stay.diagnosis}”相关症状{rng.randint(2, 20)}天入院。查体：神志清，精神可，心肺听诊未见明显异常。",
        10.5,
        6.5,
    )
    s.text(20, y + 2, "诊疗经过：", 10.5, font_name="sans_bold")
    y = _paragraph(s, 20, y + 9, w - 40, rng.choice(COURSE), 10.5, 6.5)
    s.text(20, y + 2, "出院情况：", 10.5, font_name="sans_bold")
    y = _paragraph(s, 20, y + 9, w - 40, "患者一般情况可，生命体征平稳，无明显不适，准予出院。", 10.5, 6.5)
    s.text(20, y + 2, "出院医嘱：", 10.5, font_name="sans_bold")
    y += 9
    for i, advice in enumerate(rng.sample(ADVICE, 3), 1):
        s.text(26, y, f"{i}. {advice}", 10.5)
        y += 6.5
    s.text(110, y + 10, f"医师签名：{stay.doctor}", 10.5)
    s.text(110, y + 18, _cn_date(stay.discharge), 10.5)
    s.text(w / 2, s.height_mm - 12, "第1页 共1页", 9, anchor="m")
    return Rendered("discharge_record", None, [s], fields, False, "出院记录")


def expense_list_fields(person: Person, stay: Stay, lines: list[Any]) -> dict[str, Any]:
    """The truth of an expense list: its header fields, the item rows in the order printed, the total."""
    return {
        "patient_name": person.name,
        "hospital": stay.hospital,
        "inpatient_number": stay.inpatient_number,
        "period_start": stay.admission.isoformat(),
        "period_end": stay.discharge.isoformat(),
        "items": [
            {
                "name": ln.name,
                "category": ln.category,
                "quantity": str(ln.quantity),
                "unit_price": _money(ln.unit_price),
                "amount": _money(ln.amount),
            }
            for ln in lines
        ],
        "total_amount": _money(stay.total),
    }


def draw_expense_list(
    pages: list[Surface], rng: random.Random, person: Person, stay: Stay, *, title: str = "住院费用汇总明细清单"
) -> Rendered:
    """住院费用汇总明细清单: header on every page, a table that continues onto the next page, totals
    and the hospital's 收费专用章 on the last page."""
    w = pages[0].width_mm
    per_page = -(-len(stay.lines) // len(pages))
    fields = expense_list_fields(person, stay, stay.lines)
    cols = [
        (18, "序号", "l"),
        (32, "项目名称", "l"),
        (92, "类别", "l"),
        (122, "单位", "m"),
        (140, "数量", "r"),
        (164, "单价", "r"),
        (192, "金额", "r"),
    ]
    seq = 0
    for p, s in enumerate(pages):
        s.text(w / 2, 16, stay.hospital, 14, font_name="serif_bold", anchor="m")
        s.text(w / 2, 25, title, 14, font_name="serif_bold", anchor="m")
        s.text(18, 35, f"姓名：{person.name}", 10)
        s.text(65, 35, f"住院号：{stay.inpatient_number}", 10)
        s.text(120, 35, f"科室：{stay.department}", 10)
        s.text(18, 42, f"费用期间：{stay.admission:%Y-%m-%d}至{stay.discharge:%Y-%m-%d}", 10)
        s.text(120, 42, f"医保类型：{stay.insurance_type}", 10)
        s.line(16, 47, w - 16, 47, width=0.4)
        for x, head, anchor in cols:
            s.text(x, 52, head, 10, font_name="sans_bold", anchor=anchor)
        s.line(16, 56, w - 16, 56, width=0.25)
        y = 61
        for line in stay.lines[p * per_page : (p + 1) * per_page]:
            seq += 1
            values = [
                str(seq),
                line.name,
                line.category,
                line.unit,
                str(line.quantity),
                _money(line.unit_price),
                _money(line.amount),
            ]
            for (x, _, anchor), value in zip(cols, values, strict=True):
                s.text(x, y, value, 9.5, anchor=anchor)
            y += 7
        s.line(16, y - 3, w - 16, y - 3, width=0.25)
        if p == len(pages) - 1:
            s.text(120, y + 4, f"费用合计：{fields['total_amount']}", 10.5, font_name="sans_bold")
            s.text(18, y + 14, f"打印日期：{stay.discharge:%Y-%m-%d}", 9.5)
            s.stamp(seal_image(rng, stay.hospital, "收费专用章"), 150, y + 18, 40)
        s.text(w / 2, s.height_mm - 12, f"第{p + 1}页 共{len(pages)}页", 9, anchor="m")
    return Rendered("expense_list", None, pages, fields, True, title)


CARD_W, CARD_H = 85.6, 54.0


def _card_background(s: RasterPage, rng: random.Random, tints: list[Colour], pattern: Colour) -> None:
    """Rainbow-printed card stock (彩虹印刷): the tint drifts across the card, under a fine guilloche in a
    stronger ink. Real cards measure a colourfulness of 25–38; a photocopy of one has none."""
    d = ImageDraw.Draw(s.img)
    w, h = s.img.size
    stops = np.linspace(0, w, len(tints))
    for x in range(0, w, 2):
        colour = tuple(round(float(np.interp(x, stops, [t[c] for t in tints]))) for c in range(3))
        d.line([(x, 0), (x, h)], fill=colour, width=2)
    for _ in range(40):
        x0, y0 = rng.randint(0, w), rng.randint(0, h)
        d.arc([x0 - 300, y0 - 300, x0 + 300, y0 + 300], 0, 360, fill=pattern, width=2)


def draw_id_front(rng: random.Random, person: Person, *, dpi: int = 400, value_font: str = "hei") -> Rendered:
    """居民身份证 front (GB 21067 layout): labels in blue-grey, values black, portrait at the right.
    `dpi` and `value_font` are the capture and face a template family varies (synth/families)."""
    s = RasterPage(CARD_W, CARD_H, dpi=dpi, paper=(236, 240, 238))
    _card_background(s, rng, [(226, 234, 250), (250, 228, 234), (246, 244, 214)], (160, 196, 228))
    s.text(7, 8, "姓名", 7, color=GREYBLUE)
    s.text(16, 8, person.name, 9.5, font_name=value_font)
    s.text(7, 15, "性别", 7, color=GREYBLUE)
    s.text(16, 15, person.sex, 8.5, font_name=value_font)
    s.text(27, 15, "民族", 7, color=GREYBLUE)
    s.text(36, 15, person.ethnicity, 8.5, font_name=value_font)
    s.text(7, 22, "出生", 7, color=GREYBLUE)
    s.text(16, 22, f"{person.birth.year}年{person.birth.month}月{person.birth.day}日", 8.5, font_name=value_font)
    s.text(7, 29, "住址", 7, color=GREYBLUE)
    address = person.address
    chunk = 11
    for i in range(0, len(address), chunk):
        s.text(16, 29 + (i // chunk) * 5, address[i : i + chunk], 8.5, font_name=value_font)
    s.text(7, 47, "公民身份号码", 7, color=GREYBLUE)
    s.text(27, 47, person.id_number, 10, font_name=value_font)
    s.image(portrait_placeholder(260, 320), 58, 6, 22, 28)
    fields = {
        "name": person.name,
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "birth_date": person.birth.isoformat(),
        "address": person.address,
        "id_number": person.id_number,
    }
    return Rendered("id_card", "front", [s], fields, False, "居民身份证")


def draw_id_back(rng: random.Random, person: Person, *, dpi: int = 400, value_font: str = "hei") -> Rendered:
    """居民身份证 back: emblem, the card's title, issuing authority and validity."""
    s = RasterPage(CARD_W, CARD_H, dpi=dpi, paper=(238, 238, 232))
    _card_background(s, rng, [(222, 234, 250), (250, 236, 214)], (196, 206, 232))
    emblem = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    d = ImageDraw.Draw(emblem)
    d.ellipse([10, 10, 190, 190], outline=(200, 160, 40, 255), width=12)
    d.ellipse([45, 45, 155, 155], fill=(205, 60, 50, 255))
    s.image(emblem, 6, 5, 15, 15)
    s.text(52, 10, "中华人民共和国", 11, font_name="serif_bold", anchor="m")
    s.text(52, 20, "居民身份证", 15, font_name="serif_bold", anchor="m")
    valid_to = f"{person.valid_to:%Y.%m.%d}" if person.valid_to else "长期"
    s.text(14, 38, "签发机关", 7, color=GREYBLUE)
    s.text(29, 38, person.authority, 8.5, font_name=value_font)
    s.text(14, 45, "有效期限", 7, color=GREYBLUE)
    s.text(29, 45, f"{person.valid_from:%Y.%m.%d}-{valid_to}", 8.5, font_name=value_font)
    fields = {
        "issuing_authority": person.authority,
        "valid_from": person.valid_from.isoformat(),
        "valid_to": person.valid_to.isoformat() if person.valid_to else "长期",
    }
    return Rendered("id_card", "back", [s], fields, False, "居民身份证")


def draw_social_security_card(rng: random.Random, person: Person) -> Rendered:
    s = RasterPage(CARD_W, CARD_H, dpi=400, paper=(222, 232, 245))
    _card_background(s, rng, [(200, 220, 248), (232, 240, 252)], (150, 182, 228))
    s.text(CARD_W / 2, 8, "中华人民共和国社会保障卡", 10, font_name="sans_bold", anchor="m", color=(30, 60, 140))
    s.text(6, 22, f"姓名 {person.name}", 8)
    s.text(6, 30, f"社会保障号码 {person.id_number}", 8)
    card_no = person.province[:1] + "".join(str(rng.randint(0, 9)) for _ in range(8))
    s.text(6, 38, f"卡号 {card_no}", 8)
    s.text(6, 46, f"发卡日期 {person.valid_from:%Y年%m月}", 8)
    s.image(portrait_placeholder(260, 320), 62, 16, 18, 23)
    fields = {"name": person.name, "id_number": person.id_number}
    return Rendered("social_security_card", None, [s], fields, False, "社会保障卡")


def paste_card_on_page(card: RasterPage, *, at: tuple[float, float] = (62, 40), dpi: int = 200) -> RasterPage:
    """How a card reaches the office when scanned: on an A4 page, at true size."""
    page = RasterPage(210, 297, dpi=dpi)
    page.image(card.img, at[0], at[1], CARD_W, CARD_H)
    for line in card.lines:
        x0, y0, x1, y1 = line.box
        page.lines.append(type(line)(line.text, (x0 + at[0], y0 + at[1], x1 + at[0], y1 + at[1])))
    return page


# The filing forms named in the seeds, each with the agency that seals it and its own layout cues.
FORMS = {
    "fushun": ("抚顺市异地就医登记备案表", "抚顺市医疗保障事务服务中心", "辽宁省抚顺市"),
    "hz_long_stay": ("杭州市基本医疗保险参保人员长住外地就医备案表", "杭州市医疗保障局", "浙江省杭州市"),
    "zj_referral": ("基本医疗保险参保人员异地转诊备案表", "", "浙江省"),
}
FILING_TYPES = {"fushun": "异地长期居住人员", "hz_long_stay": "长住外地", "zj_referral": "异地转诊人员"}
DESTINATIONS = ["浙江省杭州市", "海南省三亚市", "广东省深圳市", "江苏省苏州市", "云南省昆明市", "上海市"]


def filing_fields(
    title: str,
    person: Person,
    insured: str,
    destination: str,
    filing_type: str,
    start: dt.date,
    *,
    id_number: bool = True,
    phone: bool = True,
    signed: bool = True,
) -> dict[str, Any]:
    """A filing form's truth: its title, the applicant, where insured and where going, the filing's kind
    and start; the ID number, the phone and a signature only where the form prints them."""
    fields: dict[str, Any] = {"form_title": title, "applicant_name": person.name}
    if id_number:
        fields["id_number"] = person.id_number
    fields |= {
        "insured_region": insured,
        "destination": destination,
        "filing_type": filing_type,
        "start_date": start.isoformat(),
    }
    if phone:
        fields["phone"] = person.phone
    if signed:
        fields["signature_present"] = True
    return fields


def draw_filing_form(
    s: Surface, rng: random.Random, person: Person, kind: str, on: dt.date, hospital: str = ""
) -> Rendered:
    """A 备案表 as a ruled grid: applicant block, filing block, signature and the agency's (or, for
    异地转诊, the referring hospital's) opinion with a seal."""
    title, agency, insured = FORMS[kind]
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith(insured[:3])])
    start = on + dt.timedelta(days=rng.randint(0, 20))
    filing_type = FILING_TYPES[kind]
    w = s.width_mm
    s.text(w / 2, 22, title, 15, font_name="serif_bold", anchor="m")
    s.text(20, 33, f"参保地：{insured}", 10)
    s.text(w - 20, 33, f"填表日期：{_cn_date(on)}", 10, anchor="r")
    rows = [
        [("参保人姓名", person.name), ("性别", person.sex)],
        [("公民身份号码", person.id_number), ("联系电话", person.phone)],
        [("备案类型", filing_type), ("参保险种", "职工基本医疗保险" if rng.random() < 0.7 else "城乡居民基本医疗保险")],
        [("就医地", destination), ("备案开始日期", _cn_date(start))],
        [("异地居住地址", f"{destination}{rng.choice(['人民路', '滨江路', '建设路'])}{rng.randint(1, 300)}号")],
    ]
    top, h = 40, 13
    left, right = 18, w - 18
    mid = (left + right) / 2 + 8
    for i, row in enumerate(rows):
        y0 = top + i * h
        s.rect(left, y0, right, y0 + h, width=0.3)
        starts = [left, mid] if len(row) == 2 else [left]
        for cx0, (label, value) in zip(starts, row, strict=True):
            label_w = 30
            s.line(cx0 + label_w, y0, cx0 + label_w, y0 + h, width=0.3)
            s.text(cx0 + label_w / 2, y0 + h / 2, label, 9.5, anchor="m")
            s.text(cx0 + label_w + 3, y0 + h / 2, value, 10)
        if len(row) == 2:
            s.line(mid, y0, mid, y0 + h, width=0.3)
    y = top + len(rows) * h
    s.rect(left, y, right, y + 34, width=0.3)
    s.text(left + 3, y + 6, "本人承诺以上信息真实有效，如有虚假愿承担相应责任。", 10)
    s.text(left + 80, y + 20, "申请人签名：", 10)
    s.text(left + 104, y + 20, person.name, 12, font_name="serif")
    s.text(left + 80, y + 28, _cn_date(on), 10)
    y += 34
    s.rect(left, y, right, y + 40, width=0.3)
    sealer = hospital if kind == "zj_referral" else agency
    opinion = "转出医院意见：" if kind == "zj_referral" else "经办机构意见："
    s.text(left + 3, y + 6, opinion, 10)
    s.text(left + 20, y + 18, "同意备案。" if kind != "zj_referral" else "因病情需要，同意转诊。", 10)
    s.text(left + 100, y + 32, _cn_date(on), 10)
    s.stamp(seal_image(rng, sealer, "业务专用章" if kind != "zj_referral" else ""), left + 110, y + 22, 38)
    s.text(20, y + 50, "注：本表一式两份，参保地经办机构和参保人各留存一份。", 9)
    fields = filing_fields(title, person, insured, destination, filing_type, start)
    return Rendered("filing_form", None, [s], fields, True, title)


def draw_commitment(s: Surface, rng: random.Random, person: Person, on: dt.date, destination: str) -> Rendered:
    """个人承诺书 for 长期居住 (the alternative to a 居住证 in the Fushun guide)."""
    w = s.width_mm
    s.text(w / 2, 30, "个人承诺书", 18, font_name="serif_bold", anchor="m")
    body = (
        f"本人{person.name}（公民身份号码：{person.id_number}），参保地为{person.city}，"
        f"现因退休后随子女生活，在{destination}长期居住，居住时间已满六个月。本人承诺上述信息真实、准确，"
        "如有虚假，愿承担由此产生的一切法律责任，并退还违规享受的医保待遇。"
    )
    y = _paragraph(s, 25, 50, w - 50, body, 12, 9)
    street = rng.choice(["湖滨路", "解放大道", "港湾路"])
    s.text(25, y + 6, f"居住地址：{destination}{street}{rng.randint(1, 200)}号", 12)
    s.text(115, y + 30, "承诺人（签名）：", 12)
    s.text(150, y + 30, person.name, 13, font_name="serif")
    s.text(115, y + 40, _cn_date(on), 12)
    fields = {"name": person.name, "id_number": person.id_number}
    return Rendered("residence_proof", None, [s], fields, False, "个人承诺书")


def draw_outpatient_record(s: Surface, rng: random.Random, person: Person, stay: Stay) -> Rendered:
    """门诊病历: what clerks most often receive in place of a missing invoice."""
    w = s.width_mm
    s.text(w / 2, 18, stay.hospital, 15, font_name="serif_bold", anchor="m")
    s.text(w / 2, 28, "门诊病历", 15, font_name="serif_bold", anchor="m")
    s.text(20, 40, f"姓名：{person.name}", 10.5)
    s.text(70, 40, f"性别：{person.sex}", 10.5)
    s.text(100, 40, f"就诊日期：{_cn_date(stay.admission - dt.timedelta(days=1))}", 10.5)
    s.text(20, 47, f"科别：{stay.department}", 10.5)
    s.line(18, 51, w - 18, 51, width=0.4)
    y = 58.0
    for label, text in (
        ("主诉", f"不适{rng.randint(2, 10)}天。"),
        ("现病史", "患者近日症状加重，自服药物效果欠佳。"),
        ("既往史", "否认高血压、糖尿病史，否认药物过敏史。"),
        ("初步诊断", stay.diagnosis),
        ("处理", "建议住院进一步治疗。"),
    ):
        y = _paragraph(s, 20, y, w - 40, f"{label}：{text}", 10.5, 7) + 2
    s.text(120, y + 10, f"医师：{stay.doctor}", 10.5)
    return Rendered("medical_record", None, [s], {"patient_name": person.name}, False, "门诊病历")
