"""Unseen 出院记录 families (the fourth blind set, stop 37).

`summary_ehr_two_page`: a 出院小结 an electronic medical record system prints over two A4 pages. Each
page starts with the system's running head: the hospital's name and mark at the left, the document's name
at the right, and one line of the patient's particulars with half-width colons (姓名:… 性别:… 年龄:…岁
科室:… 床号:… 住院号:…) over a double rule; each page ends with 第 N 页 共 2 页. Admission and discharge
stamped with the hour in Chinese (2025年04月15日10时20分); the diagnoses numbered one a line; a long
course of treatment with test results pushes the 出院情况, 出院诊断, 出院医嘱, a 出院带药 table and the
signatures onto the second page, where the doctor and the senior doctor sign by hand and the system stamps
the 记录时间.

`county_handwritten`: a county hospital's 出院记录 on a pre-printed form filled in by hand: the form's
headings and labels printed, every value written in ballpoint on the ruled lines after them (name, sex,
age, ward and bed on one line; admission and discharge dates written 2025.4.15; the stay as 住院 N 天 with
the number filled into the gap), the diagnoses and the course in a doctor's hand, and the ward's
出院专用章 over the doctor's signature."""

from __future__ import annotations

import datetime as dt
import random

from synth.build import Context
from synth.canvas import Surface, seal_image, text_width_mm
from synth.documents import ADVICE, COURSE, Rendered, _paragraph, discharge_fields
from synth.families.common import FacedPage, Family, Look, date_text, written
from synth.people import make_name

# Diagnoses that accompany a principal one on older patients' records.
COMORBIDITIES = ("高血压病1级", "2型糖尿病", "高脂血症", "慢性支气管炎", "甲状腺结节", "脂肪肝", "前列腺增生")
RESULTS = (
    "血常规：白细胞计数{wbc}×10^9/L，中性粒细胞百分比{neu}%。",
    "生化：谷丙转氨酶{alt}U/L，肌酐{cr}μmol/L，血钾{k}mmol/L。",
    "C反应蛋白{crp}mg/L，降钙素原0.{pct}ng/ml。",
    "心电图：窦性心律，未见明显ST-T改变。",
    "腹部彩超：肝胆胰脾未见明显异常。",
)
TAKE_HOME = (
    ("阿托伐他汀钙片", "20mg*7片", "20mg 每晚一次 口服"),
    ("奥美拉唑肠溶胶囊", "20mg*14粒", "20mg 每日一次 口服"),
    ("头孢克肟分散片", "0.1g*6片", "0.1g 每日两次 口服"),
    ("二甲双胍缓释片", "0.5g*30片", "0.5g 每日两次 口服"),
    ("氨氯地平片", "5mg*28片", "5mg 每日一次 口服"),
)


def _stamped(day: dt.date, rng: random.Random) -> str:
    """A date with the hour as the record system stamps it (2025年04月15日10时20分)."""
    return f"{date_text(day, 'cn')}{rng.randint(7, 21):02d}时{rng.randint(0, 59):02d}分"


def _running_head(s: Surface, hospital: str, particulars: str, page: int, pages: int) -> float:
    """The system's head and foot on a page; returns the y where the body starts."""
    w = s.width_mm
    s.rect(16, 11, 24, 19, width=0.4, color=(20, 90, 150))
    s.text(20, 15, "医", 9, font_name="sans_bold", anchor="m", color=(20, 90, 150), record=False)
    s.text(27, 15, hospital, 13, font_name="serif_bold")
    s.text(w - 16, 15, "出院小结", 14, font_name="sans_bold", anchor="r")
    s.text(16, 25, particulars, 8.5)
    s.line(16, 28.5, w - 16, 28.5, width=0.5)
    s.line(16, 29.4, w - 16, 29.4, width=0.2)
    s.text(w / 2, s.height_mm - 10, f"第 {page} 页 共 {pages} 页", 8.5, anchor="m")
    return 37.0


def draw_summary_ehr_two_page(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The two pages; the truth is the base truth (the principal diagnosis first in both lists)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    pages = [FacedPage(210, 297, dpi=look.dpi, face=look.font) for _ in range(2)]
    particulars = "  ".join(
        [
            f"姓名:{fields['patient_name']}",
            f"性别:{fields['sex']}",
            f"年龄:{fields['age']}岁",
            f"科室:{fields['department']}",
            f"床号:{stay.bed}",
            f"住院号:{fields['inpatient_number']}",
        ]
    )
    left, width, size, lead = 20.0, 170.0, 10.5, 6.6
    others = rng.sample([d for d in COMORBIDITIES if d != stay.diagnosis], rng.randint(1, 2))
    s = pages[0]
    y = _running_head(s, stay.hospital, particulars, 1, 2)
    s.text(left, y, f"入院时间：{_stamped(stay.admission, rng)}", size)
    s.text(left + 88, y, f"出院时间：{_stamped(stay.discharge, rng)}", size)
    y += 7.5
    s.text(left, y, f"住院天数：{stay.days}天", size)
    y += 9

    def numbered(page: Surface, y: float, label: str) -> float:
        page.text(left, y, f"{label}：", size, font_name="sans_bold")
        for i, diagnosis in enumerate([stay.diagnosis, *others], 1):
            page.text(left + 24, y, f"{i}.{diagnosis}", size)
            y += lead
        return y + 3

    y = numbered(s, y, "入院诊断")
    s.text(left, y, "入院情况：", size, font_name="sans_bold")
    history = (
        f"患者{fields['sex']}，{fields['age']}岁，因“{stay.diagnosis}”相关症状{rng.randint(2, 20)}天入院。"
        "既往体健，否认肝炎、结核等传染病史，否认药物过敏史。查体：脉搏82次/分，呼吸18次/分，"
        f"血压{rng.randint(110, 150)}/{rng.randint(65, 95)}mmHg，神志清，精神可，心肺听诊未闻及明显异常。"
    )
    y = _paragraph(s, left, y + lead, width, history, size, lead) + 3
    s.text(left, y, "诊疗经过：", size, font_name="sans_bold")
    results = "".join(
        r.format(
            wbc=f"{rng.uniform(4, 14):.1f}",
            neu=f"{rng.uniform(50, 88):.1f}",
            alt=rng.randint(10, 60),
            cr=rng.randint(50, 110),
            k=f"{rng.uniform(3.5, 5.0):.2f}",
            crp=f"{rng.uniform(1, 80):.1f}",
            pct=rng.randint(1, 9),
        )
        for r in RESULTS
    )
    course = f"入院后完善相关检查。{results}{rng.choice(COURSE)}住院期间监测生命体征平稳，未发生院内感染及不良事件。"
    y = _paragraph(s, left, y + lead, width, course, size, lead)
    # The rest goes on the second page, under the same head.
    s = pages[1]
    y = _running_head(s, stay.hospital, particulars, 2, 2)
    s.text(left, y, "出院情况：", size, font_name="sans_bold")
    y = _paragraph(s, left, y + lead, width, "患者一般情况良好，无发热，饮食睡眠可，查体无特殊，准予出院。", size, lead)
    y = numbered(s, y + 3, "出院诊断")
    s.text(left, y, "出院医嘱：", size, font_name="sans_bold")
    y += lead
    for i, advice in enumerate(rng.sample(ADVICE, 3), 1):
        s.text(left + 6, y, f"{i}、{advice}", size)
        y += lead
    y += 3
    s.text(left, y, "出院带药：", size, font_name="sans_bold")
    y += lead
    cols = (left + 6, left + 60, left + 95)
    for x, head in zip(cols, ("药品名称", "规格", "用法用量"), strict=True):
        s.text(x, y, head, 9.5, font_name="sans_bold")
    s.line(left + 4, y + 3, left + width, y + 3, width=0.25)
    y += lead + 1
    for drug in rng.sample(TAKE_HOME, rng.randint(1, 3)):
        for x, cell in zip(cols, drug, strict=True):
            s.text(x, y, cell, 9.5)
        y += lead
    y += 14
    s.text(left + 80, y, "医师签名：", size)
    written(s, left + 101, y, stay.doctor, 12, rng, by_hand=True)
    s.text(left + 80, y + 9, "上级医师签名：", size)
    written(s, left + 109, y + 9, make_name(rng), 12, rng, by_hand=True)
    s.text(
        left + 80,
        y + 18,
        f"记录时间：{date_text(stay.discharge, 'iso')} {rng.randint(9, 17):02d}:{rng.randint(0, 59):02d}",
        9.5,
    )
    return Rendered("discharge_record", None, list(pages), fields, False, "出院小结")


# ---------------------------------------------------------------------------------------------
# A county hospital's pre-printed form, filled in by hand


def _short_dot(day: dt.date) -> str:
    """A date as a hand writes it on the form: dots, no leading zeros (2025.4.15)."""
    return f"{day.year}.{day.month}.{day.day}"


def _filled(s: FacedPage, x: float, y: float, label: str, value: str, gap: float, rng: random.Random) -> float:
    """A printed label, a ruled gap after it and the value written on the line; returns the x after it."""
    x += s.text(x, y, label, 10.5)
    s.line(x + 0.5, y + 2.6, x + gap, y + 2.6, width=0.2)
    written(s, x + 2, y - 0.6, value, 10.5, rng, by_hand=True)
    return x + gap + 2


def _hand_paragraph(s: FacedPage, x: float, y: float, width: float, text: str, rng: random.Random) -> float:
    """Text written by hand over the form's ruled lines, wrapped to `width`; returns the y below it."""
    size, lead = 11.5, 8.0
    line = ""
    for ch in text:
        if text_width_mm(line + ch, size * 1.1, "kai") > width:
            written(s, x, y, line, size, rng, by_hand=True)
            y += lead
            line = ""
        line += ch
    if line:
        written(s, x, y, line, size, rng, by_hand=True)
        y += lead
    return y


def draw_county_handwritten(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The filled form; the truth is the base truth, every value as the hand wrote it."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, paper=(250, 248, 240), face=look.font)
    w, left, right = s.width_mm, 20.0, s.width_mm - 20
    s.text(w / 2, 20, stay.hospital, 15, font_name="serif_bold", anchor="m")
    s.text(w / 2, 30, "出 院 记 录", 15, font_name="serif_bold", anchor="m")
    s.text(right, 37, "病案号：", 9, anchor="r")
    y = 45.0
    x = _filled(s, left, y, "姓名", fields["patient_name"], 24, rng)
    x = _filled(s, x, y, "性别", fields["sex"], 9, rng)
    x = _filled(s, x, y, "年龄", fields["age"], 10, rng)
    x += s.text(x, y, "岁", 10.5) + 2
    x = _filled(s, x, y, "病区", fields["department"], 26, rng)
    _filled(s, x, y, "床号", stay.bed, 10, rng)
    y += 10
    _filled(s, left, y, "住院号", fields["inpatient_number"], 30, rng)
    y += 10
    x = _filled(s, left, y, "入院日期", _short_dot(stay.admission), 30, rng)
    x = _filled(s, x + 4, y, "出院日期", _short_dot(stay.discharge), 30, rng)
    x = _filled(s, x + 4, y, "住院", fields["days_in_hospital"], 10, rng)
    s.text(x, y, "天", 10.5)
    s.line(left - 2, y + 6, right + 2, y + 6, width=0.5)
    y += 14
    for label, text in (
        ("入院诊断：", stay.diagnosis),
        ("入院时情况：", f"因{stay.diagnosis}相关症状{rng.randint(2, 20)}天入院，神清，精神可。"),
        ("诊疗经过：", rng.choice(COURSE)),
        ("出院诊断：", stay.diagnosis),
        ("出院时情况：", "症状好转，生命体征平稳。"),
        ("出院医嘱：", "".join(rng.sample(ADVICE, 2))),
    ):
        s.text(left, y, label, 10.5, font_name="sans_bold")
        indent = text_width_mm(label, 10.5, "sans_bold") + 2
        bottom = _hand_paragraph(s, left + indent, y, right - left - indent, text, rng)
        for ruled in range(round((bottom - y) / 8.0)):
            s.line(left + indent, y + 3.2 + ruled * 8, right, y + 3.2 + ruled * 8, width=0.15, color=(150, 150, 150))
        y = bottom + 5
    y += 8
    s.text(110, y, "医师签名：", 10.5)
    written(s, 132, y, stay.doctor, 13, rng, by_hand=True)
    s.stamp(seal_image(rng, stay.hospital, "出院专用章"), 140, y - 2, 34)
    s.text(110, y + 10, "日期：", 10.5)
    written(s, 123, y + 10, date_text(stay.discharge, "cn_short"), 11, rng, by_hand=True)
    s.text(w / 2, s.height_mm - 14, "（本记录一式两份，一份归档，一份交患者）", 8.5, anchor="m", color=(90, 90, 90))
    return Rendered("discharge_record", None, [s], fields, True, "出院记录")


FAMILIES = [
    Family(
        "summary_ehr_two_page",
        "discharge_record",
        "电子病历系统打印的两页出院小结：每页页眉（院名与院徽居左、文书名居右、半角冒号的患者信息一行、双线），"
        "每页页脚“第 N 页 共 2 页”，入出院时间带“时分”，诊断逐行编号，长诊疗经过把出院情况、出院诊断、医嘱、"
        "出院带药表与手写签名推到第二页，记录时间",
        draw_summary_ehr_two_page,
        ("sans", "serif", "microhei", "droid"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "county_handwritten",
        "discharge_record",
        "县级医院预印出院记录手工填写：印刷标签与横线，所有数值圆珠笔手写（姓名、性别、年龄、病区、床号一行；"
        "入出院日期写作 2025.4.15；住院__天填空），诊断与经过手写在横线上，出院专用章压在医师签名上",
        draw_county_handwritten,
        ("ming", "sans", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
]
