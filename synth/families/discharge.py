"""出院记录 / 出院小结 families: other hospitals' templates. A header as a ruled table or as free
lines, other label wordings (患者姓名, 病区, 病案号, 入院时间, 经治医师), dates in several formats and the
record signed off with year and month only."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from synth.build import Context
from synth.canvas import Surface
from synth.documents import ADVICE, COURSE, Rendered, _paragraph, discharge_fields
from synth.families.common import FacedPage, Family, Look, date_text, styled_family, year_month


@dataclass(frozen=True)
class DischargeStyle:
    title: str  # 出院记录 or 出院小结
    labels: dict[str, str]  # truth field → printed label
    sections: tuple[str, str, str, str]  # 入院情况, 诊疗经过, 出院情况, 出院医嘱 in the hospital's words
    header: str  # "table": a ruled grid of label and value cells; "lines": free lines
    date_style: str
    hospital_left: bool  # the hospital's name at the top left beside the title, not centred above it
    days_phrase: bool  # "共住院N天" after the dates, not a labelled 住院天数


def _header_entries(style: DischargeStyle, fields: dict[str, str], bed: str) -> list[tuple[str, str]]:
    lab = style.labels
    return [
        (lab["patient_name"], fields["patient_name"]),
        ("性别", fields["sex"]),
        ("年龄", f"{fields['age']}岁"),
        (lab["department"], fields["department"]),
        ("床号", bed),
        (lab["inpatient_number"], fields["inpatient_number"]),
    ]


def _table_header(s: Surface, entries: list[tuple[str, str]], top: float) -> float:
    """Three label/value pairs a row, in ruled cells."""
    left, right, h = 18.0, s.width_mm - 18, 9.0
    cell = (right - left) / 3
    for i, (label, value) in enumerate(entries):
        x, y = left + (i % 3) * cell, top + (i // 3) * h
        s.rect(x, y, x + cell, y + h, width=0.25)
        s.line(x + 18, y, x + 18, y + h, width=0.25)
        s.text(x + 9, y + h / 2, label, 9.5, anchor="m")
        s.text(x + 20, y + h / 2, value, 10)
    return top + -(-len(entries) // 3) * h + 6


def _line_header(s: Surface, entries: list[tuple[str, str]], top: float) -> float:
    """Free lines: label and value with a colon, spaced along two lines, a rule below."""
    xs = (20, 70, 110, 20, 70, 110)
    for i, (label, value) in enumerate(entries):
        s.text(xs[i], top + (i // 3) * 7, f"{label}：{value}", 10.5)
    s.line(18, top + 11, s.width_mm - 18, top + 11, width=0.4)
    return top + 17


def draw_discharge(style: DischargeStyle, ctx: Context, look: Look) -> Rendered:
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w = s.width_mm
    if style.hospital_left:
        s.text(18, 16, stay.hospital, 13, font_name="serif_bold")
        s.text(w - 18, 16, style.title, 15, font_name="serif_bold", anchor="r")
        s.line(18, 21, w - 18, 21, width=0.6)
    else:
        s.text(w / 2, 16, stay.hospital, 15, font_name="serif_bold", anchor="m")
        s.text(w / 2, 26, style.title, 15, font_name="serif_bold", anchor="m")
    entries = _header_entries(style, fields, f"{stay.bed}床")
    table = style.header == "table"
    y = _table_header(s, entries, 32) if table else _line_header(s, entries, 36)
    lab = style.labels
    admitted = f"{lab['admission_date']}：{date_text(stay.admission, style.date_style)}"
    discharged = f"{lab['discharge_date']}：{date_text(stay.discharge, style.date_style)}"
    if style.days_phrase:
        s.text(20, y, f"{admitted}  {discharged}  共住院{stay.days}天", 10.5)
        y += 8
    else:
        s.text(20, y, admitted, 10.5)
        s.text(110, y, discharged, 10.5)
        s.text(20, y + 7, f"{lab['days_in_hospital']}：{stay.days}天", 10.5)
        y += 15
    s.text(20, y, f"{lab['admission_diagnosis']}：{stay.diagnosis}", 10.5)
    s.text(20, y + 7, f"{lab['discharge_diagnosis']}：{stay.diagnosis}", 10.5)
    y += 16
    bodies = [
        f"患者因“{stay.diagnosis}”{rng.randint(2, 20)}天入院。入院时神志清，精神可，生命体征平稳。",
        rng.choice(COURSE),
        "病情稳定，一般情况良好，准予出院。",
    ]
    for heading, body in zip(style.sections, bodies, strict=False):
        s.text(20, y, f"{heading}：", 10.5, font_name="sans_bold")
        y = _paragraph(s, 20, y + 7, w - 40, body, 10.5, 6.5) + 2
    s.text(20, y, f"{style.sections[3]}：", 10.5, font_name="sans_bold")
    y += 7
    for i, advice in enumerate(rng.sample(ADVICE, 2), 1):
        s.text(26, y, f"{i}、{advice}", 10.5)
        y += 6.5
    s.text(110, y + 10, f"{lab['doctor']}：{stay.doctor}", 10.5)
    s.text(110, y + 18, year_month(stay.discharge), 10.5)
    return Rendered("discharge_record", None, [s], fields, False, style.title)


STYLES: dict[str, tuple[str, DischargeStyle]] = {
    "summary_table": (
        "出院小结，表格式表头（患者姓名、病区、病案号），中文日期，医师签名",
        DischargeStyle(
            title="出院小结",
            labels={
                "patient_name": "患者姓名",
                "department": "病区",
                "inpatient_number": "病案号",
                "admission_date": "入院日期",
                "discharge_date": "出院日期",
                "days_in_hospital": "住院天数",
                "admission_diagnosis": "入院诊断",
                "discharge_diagnosis": "出院诊断",
                "doctor": "医师签名",
            },
            sections=("入院时情况", "住院经过", "出院时情况", "出院建议"),
            header="table",
            date_style="cn_short",
            hospital_left=False,
            days_phrase=False,
        ),
    ),
    "record_left_head": (
        "出院记录，院名居左，自由行表头（姓名、科别），入院时间/出院时间，斜线日期，共住院N天，经治医师",
        DischargeStyle(
            title="出院记录",
            labels={
                "patient_name": "姓名",
                "department": "科别",
                "inpatient_number": "住院号",
                "admission_date": "入院时间",
                "discharge_date": "出院时间",
                "days_in_hospital": "住院天数",
                "admission_diagnosis": "入院诊断",
                "discharge_diagnosis": "出院诊断",
                "doctor": "经治医师",
            },
            sections=("入院情况", "诊疗经过", "出院情况", "出院医嘱"),
            header="lines",
            date_style="slash",
            hospital_left=True,
            days_phrase=True,
        ),
    ),
    "summary_lines": (
        "出院小结，自由行表头（患者姓名、科室、病案号），点分日期，实际住院，主治医师",
        DischargeStyle(
            title="出院小结",
            labels={
                "patient_name": "患者姓名",
                "department": "科室",
                "inpatient_number": "病案号",
                "admission_date": "入院日期",
                "discharge_date": "出院日期",
                "days_in_hospital": "实际住院",
                "admission_diagnosis": "入院诊断",
                "discharge_diagnosis": "出院诊断",
                "doctor": "主治医师",
            },
            sections=("病史摘要", "治疗经过", "出院时情况", "出院医嘱"),
            header="lines",
            date_style="dot",
            hospital_left=False,
            days_phrase=False,
        ),
    ),
    "record_table_iso": (
        "出院记录，院名居左，表格式表头（姓名、科室），ISO 日期，共住院N天，医师",
        DischargeStyle(
            title="出院记录",
            labels={
                "patient_name": "姓名",
                "department": "科室",
                "inpatient_number": "住院号",
                "admission_date": "入院日期",
                "discharge_date": "出院日期",
                "days_in_hospital": "住院天数",
                "admission_diagnosis": "入院诊断",
                "discharge_diagnosis": "出院诊断",
                "doctor": "医师",
            },
            sections=("入院情况", "诊疗经过", "出院情况", "出院医嘱"),
            header="table",
            date_style="iso",
            hospital_left=True,
            days_phrase=True,
        ),
    ),
}


# The header of a record typed onto ruled blanks: each value on its rule, its label printed small under
# the rule, two rows of four (the second row's values stand under the first row's labels).
RULED_BLANKS = (
    (("patient_name", "姓名"), ("sex", "性别"), ("age", "年龄"), ("department", "科别")),
    (
        ("inpatient_number", "住院号"),
        ("admission_date", "入院日期"),
        ("discharge_date", "出院日期"),
        ("days_in_hospital", "住院天数"),
    ),
)


def draw_ruled_blanks(ctx: Context, side: str | None, look: Look) -> Rendered:
    """出院记录 whose header values are typed on ruled blanks with their labels printed under the rules
    (value above label), the diagnoses after "label：", the doctor's name above the rule 经治医师 signs."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w = s.width_mm
    s.text(w / 2, 16, stay.hospital, 15, font_name="serif_bold", anchor="m")
    s.text(w / 2, 26, "出院记录", 15, font_name="serif_bold", anchor="m")
    shown = {**fields, "age": f"{fields['age']}岁", "days_in_hospital": f"{fields['days_in_hospital']}天"}
    shown["admission_date"] = date_text(stay.admission, "cn_short")
    shown["discharge_date"] = date_text(stay.discharge, "cn_short")
    left, col, y = 18.0, (w - 36) / 4, 40.0
    for row in RULED_BLANKS:
        for i, (name, label) in enumerate(row):
            middle = left + i * col + col / 2
            s.text(middle, y, shown[name], 10.5, anchor="m")
            s.line(middle - col / 2 + 3, y + 3.2, middle + col / 2 - 3, y + 3.2, width=0.25)
            s.text(middle, y + 7, label, 8.5, anchor="m")
        y += 17
    y += 2
    s.text(20, y, f"入院诊断：{stay.diagnosis}", 10.5)
    s.text(20, y + 7, f"出院诊断：{stay.diagnosis}", 10.5)
    y += 16
    bodies = [
        f"患者因“{stay.diagnosis}”{rng.randint(2, 20)}天入院。入院时神志清，精神可，生命体征平稳。",
        rng.choice(COURSE),
        "病情稳定，一般情况良好，准予出院。",
    ]
    for heading, body in zip(("入院时情况", "诊治经过", "出院时情况"), bodies, strict=True):
        s.text(20, y, f"{heading}：", 10.5, font_name="sans_bold")
        y = _paragraph(s, 20, y + 7, w - 40, body, 10.5, 6.5) + 2
    s.text(20, y, "出院后注意事项：", 10.5, font_name="sans_bold")
    y += 7
    for i, advice in enumerate(rng.sample(ADVICE, 2), 1):
        s.text(26, y, f"{i}、{advice}", 10.5)
        y += 6.5
    y += 12
    s.text(150, y, stay.doctor, 11, anchor="m")
    s.line(130, y + 3.2, 170, y + 3.2, width=0.25)
    s.text(150, y + 7, "经治医师", 8.5, anchor="m")
    s.text(40, y + 7, year_month(stay.discharge), 10.5, anchor="m")
    return Rendered("discharge_record", None, [s], fields, False, "出院记录")


_family = partial(styled_family, doc_type="discharge_record", styles=STYLES, draw=draw_discharge)

FAMILIES = [
    _family("summary_table", ("ming", "sans"), (150, 250), ("scan", "photo")),
    _family("record_left_head", ("microhei", "serif"), (200, 300), ("scanned_grey", "photo")),
    _family("summary_lines", ("kai", "droid"), (200, 400), ("scan", "photocopy")),
    _family("record_table_iso", ("droid", "hei"), (150, 300), ("scan", "rotated90")),
    Family(
        "record_ruled_blanks",
        "discharge_record",
        "出院记录，表头值打在横线上、标签印在横线下（值在标签上方），经治医师签在横线上",
        draw_ruled_blanks,
        ("serif", "hei"),
        (180, 300),
        ("scan", "photo"),
    ),
]
