"""Unseen 出院记录 families (the fifth blind set, stop 38).

`county_pair_grid`: a county hospital's 出院记录 typed into a ruled form of two columns: each row holds
two 标签：值 cells side by side (姓名 / 性别, 年龄 / 职业, 入院科别 / 床号, 住院病历号 / 医疗付费方式, 入院日期
/ 出院日期 on one line), the diagnoses in two full-width rows; the stay's length is never a field of its
own: it stands inside the 诊疗经过 prose (…共住院 12 天，病情好转出院); the 出院医嘱 numbered with
（1）（2）; the 管床医师 and 上级医师 sign at the foot, the record date printed beside them.

`record_numeral_dates`: a 出院记录 printed by a hospital whose record office writes every date in
Chinese numerals (二〇二五年四月十五日), as formal documents do: a centred title under the hospital's name
and the 就诊卡号 and 住院号 at the top right; the particulars one line of label：value runs; the
admission and discharge dates, the stay in days and the diagnoses in a short two-column table of
label cells (入院时间 | 二〇二五年四月十五日 …); the course and advice in paragraphs; the signatures
(主诊医师, 记录者) with a date again in Chinese numerals under them, and the hospital's 病案专用章."""

from __future__ import annotations

import datetime as dt

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import ADVICE, COURSE, Rendered, _paragraph, discharge_fields
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import make_name

OCCUPATIONS = ("农民", "退休", "个体", "职员", "工人", "教师", "无业")
NUMERALS = "〇一二三四五六七八九"


def _two_digit(n: int) -> str:
    """A month or day in Chinese numerals (十, 十二, 二十, 二十九)."""
    tens, units = divmod(n, 10)
    return ("" if tens < 2 else NUMERALS[tens]) + ("十" if tens else "") + (NUMERALS[units] if units else "")


def numeral_date(day: dt.date) -> str:
    """A date in Chinese numerals, as formal documents print it (二〇二五年四月十五日)."""
    year = "".join(NUMERALS[int(c)] for c in str(day.year))
    return f"{year}年{_two_digit(day.month)}月{_two_digit(day.day)}日"


def draw_county_pair_grid(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The county record; the stay's length only in the prose (the truth keeps it: it is printed)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w, left, right = s.width_mm, 18.0, 192.0
    s.text(w / 2, 16, stay.hospital, 15, font_name="serif_bold", anchor="m")
    s.text(w / 2, 25, "出 院 记 录", 15, font_name="serif_bold", anchor="m")
    pairs = [
        (("姓名", fields["patient_name"]), ("性别", fields["sex"])),
        (("年龄", f"{fields['age']}岁"), ("职业", rng.choice(OCCUPATIONS))),
        (("入院科别", fields["department"]), ("床号", f"{stay.bed}床")),
        (("住院病历号", fields["inpatient_number"]), ("医疗付费方式", stay.insurance_type)),
        (("入院日期", date_text(stay.admission, "cn")), ("出院日期", date_text(stay.discharge, "cn"))),
    ]
    top, h, mid = 32.0, 8.0, (left + right) / 2
    for r, row in enumerate(pairs):
        y0 = top + r * h
        s.rect(left, y0, right, y0 + h, width=0.3)
        s.line(mid, y0, mid, y0 + h, width=0.3)
        for x, (label, value) in zip((left, mid), row, strict=True):
            s.text(x + 3, y0 + h / 2, f"{label}：{value}", 10)
    y = top + len(pairs) * h
    for label, value in (("入院诊断", fields["admission_diagnosis"]), ("出院诊断", fields["discharge_diagnosis"])):
        s.rect(left, y, right, y + h, width=0.3)
        s.text(left + 3, y + h / 2, f"{label}：{value}", 10)
        y += h
    size, lead, width = 10.5, 6.8, right - left - 4
    y += 8
    sections = [
        (
            "入院情况",
            f"患者因“{stay.diagnosis}”相关症状{rng.randint(2, 30)}天来我院就诊，门诊拟“{stay.diagnosis}”收住入院。"
            f"入院查体：体温{rng.uniform(36.2, 38.6):.1f}℃，神志清，精神软，心肺未闻及明显异常。",
        ),
        (
            "诊疗经过",
            f"{rng.choice(COURSE)}经治疗后患者症状缓解，一般情况可，共住院 {stay.days} 天，病情好转出院。",
        ),
        ("出院情况", "患者神志清，精神可，饮食睡眠正常，二便无殊，查体未见明显阳性体征。"),
    ]
    for title, body in sections:
        s.text(left, y, f"{title}：", size, font_name="sans_bold")
        y = _paragraph(s, left + 4, y + lead, width, body, size, lead) + 3
    s.text(left, y, "出院医嘱：", size, font_name="sans_bold")
    y += lead
    for i, advice in enumerate(rng.sample(ADVICE, 3), 1):
        s.text(left + 4, y, f"（{i}）{advice}", size)
        y += lead
    y += 12
    s.text(left, y, f"管床医师：{fields['doctor']}", size)
    s.text(left + 62, y, f"上级医师：{make_name(rng)}", size)
    s.text(left + 124, y, f"记录日期：{date_text(stay.discharge, 'cn')}", size)
    return Rendered("discharge_record", None, [s], fields, False, "出院记录")


def draw_record_numeral_dates(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The record with Chinese-numeral dates; the truth keeps ISO dates, as every record's truth does."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w, left, right = s.width_mm, 20.0, 190.0
    s.text(w / 2, 17, stay.hospital, 14, font_name="serif_bold", anchor="m")
    s.text(w / 2, 27, "出院记录", 17, font_name="serif_bold", anchor="m")
    s.text(right, 35, f"就诊卡号：{rng.randint(10**9, 10**10 - 1)}", 9, anchor="r")
    s.text(right, 40.5, f"住院号：{fields['inpatient_number']}", 9, anchor="r")
    particulars = (
        f"患者姓名：{fields['patient_name']}   性别：{fields['sex']}   年龄：{fields['age']}岁   "
        f"科别：{fields['department']}   床位：{stay.bed}"
    )
    s.text(left, 48, particulars, 10)
    s.line(left, 52, right, 52, width=0.5)
    table = [
        ("入院时间", numeral_date(stay.admission), "出院时间", numeral_date(stay.discharge)),
        ("住院天数", f"{fields['days_in_hospital']}天", "主诊医师", fields["doctor"]),
        ("入院诊断", fields["admission_diagnosis"], "出院诊断", fields["discharge_diagnosis"]),
    ]
    top, h, label_w, half = 56.0, 9.0, 22.0, (right - left) / 2
    for r, (la, va, lb, vb) in enumerate(table):
        y0 = top + r * h
        for c, (label, value) in enumerate(((la, va), (lb, vb))):
            x0 = left + c * half
            s.rect(x0, y0, x0 + label_w, y0 + h, width=0.3, fill=(238, 238, 238))
            s.rect(x0 + label_w, y0, x0 + half, y0 + h, width=0.3)
            s.text(x0 + label_w / 2, y0 + h / 2, label, 9.5, anchor="m")
            s.text(x0 + label_w + 2.5, y0 + h / 2, value, 10)
    y = top + len(table) * h + 9
    size, lead, width = 10.5, 6.8, right - left
    paragraphs = [
        (
            "入院时情况",
            f"患者{fields['sex']}，{fields['age']}岁，因“{stay.diagnosis}”于{numeral_date(stay.admission)}入院。"
            "既往体健，否认药物过敏史。",
        ),
        ("诊治经过", f"{rng.choice(COURSE)}住院期间病情平稳，未发生不良事件。"),
        ("出院时情况", "患者一般情况良好，无特殊不适，准予出院。"),
        ("出院医嘱", "".join(rng.sample(ADVICE, 2))),
    ]
    for title, body in paragraphs:
        s.text(left, y, f"{title}：", size, font_name="sans_bold")
        y = _paragraph(s, left, y + lead, width, body, size, lead) + 4
    y += 10
    s.text(left + 90, y, f"主诊医师（签名）：{fields['doctor']}", size)
    s.text(left + 90, y + 8, f"记录者：{make_name(rng)}", size)
    s.text(left + 90, y + 16, numeral_date(stay.discharge), size)
    s.stamp(seal_image(rng, stay.hospital, "病案专用章"), left + 125, y + 8, 34)
    return Rendered("discharge_record", None, [s], fields, True, "出院记录")


FAMILIES = [
    Family(
        "county_pair_grid",
        "discharge_record",
        "县医院两栏格子式出院记录：每行两个“标签：值”格并排（姓名/性别、年龄/职业、入院科别/床号、住院病历号/医疗付费方式、"
        "入院日期/出院日期同一行），入出院诊断各占整行，住院天数只写在诊疗经过正文里（共住院 N 天），"
        "（1）（2）编号医嘱，"
        "管床医师、上级医师与记录日期并列于页尾",
        draw_county_pair_grid,
        ("sans", "ming", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "record_numeral_dates",
        "discharge_record",
        "所有日期用中文数字书写的出院记录（二〇二五年四月十五日）：院名与标题居中，右上就诊卡号与住院号，"
        "患者信息一行“标签：值”，入出院时间、住院天数、主诊医师与入出院诊断为两栏底纹标签格表，正文段落（入院时情况、"
        "诊治经过…），主诊医师签名与中文数字日期，病案专用章",
        draw_record_numeral_dates,
        ("serif", "ming", "microhei"),
        (150, 300),
        ("scan", "photo"),
    ),
]
