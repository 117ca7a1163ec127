"""An unseen 出院记录 family: a county hospital's 出院小结 written as free paragraphs. One header line of
name, sex, age, ward, bed and 住院号 separated by spaces; the diagnoses inline on one line each
(`入院诊断：1.社区获得性肺炎 2.高血压病2级`); the dates not in a header but in the prose (`患者于2025年05月03日因…
入院`, `于2025年05月15日出院，共住院12天`); numbered section headings (一、入院情况 …); the doctor signs by
hand over a printed label at the foot."""

from __future__ import annotations

from synth.build import Context
from synth.documents import ADVICE, COURSE, Rendered, _paragraph, discharge_fields
from synth.families.common import FacedPage, Family, Look, date_text, written

# Diagnoses that accompany a principal one on older patients' records.
COMORBIDITIES = ("高血压病2级", "2型糖尿病", "高脂血症", "慢性阻塞性肺疾病", "骨质疏松症", "脂肪肝", "冠心病")
SYMPTOMS = ("咳嗽、咳痰", "反复上腹痛", "胸闷、气促", "腰痛伴左下肢麻木", "右下腹痛", "头晕、乏力", "发热")


def draw_summary_prose(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The summary; its truth is the base truth: the principal diagnosis (the first numbered one, the
    one 医保 settles on) and the doctor who signs it."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w, x, width = s.width_mm, 22.0, s.width_mm - 44
    s.text(w / 2, 18, stay.hospital, 16, font_name="serif_bold", anchor="m")
    s.text(w / 2, 28, "出院小结", 14, font_name="sans_bold", anchor="m")
    header = [
        f"姓名：{fields['patient_name']}",
        f"性别：{fields['sex']}",
        f"年龄：{fields['age']}岁",
        f"病区：{fields['department']}",
        f"床号：{stay.bed}",
        f"住院号：{fields['inpatient_number']}",
    ]
    hx = x
    for entry in header:
        hx += s.text(hx, 38, entry, 9.5) + 5
    s.line(x - 2, 42, w - x + 2, 42, width=0.6)
    s.line(x - 2, 43, w - x + 2, 43, width=0.2)
    extra = rng.sample([d for d in COMORBIDITIES if d != stay.diagnosis], rng.randint(1, 2))
    listed = " ".join(f"{i}.{d}" for i, d in enumerate([stay.diagnosis, *extra], 1))
    y = 51.0
    s.text(x, y, f"入院诊断：{listed}", 10.5)
    s.text(x, y + 7, f"出院诊断：{listed}", 10.5)
    y += 17
    admitted, discharged = date_text(stay.admission, "cn"), date_text(stay.discharge, "cn")
    symptom = rng.choice(SYMPTOMS)
    sections = [
        (
            "一、入院情况",
            f"患者于{admitted}因“{symptom}{rng.randint(2, 20)}天”入院。入院查体：体温{rng.randint(362, 385) / 10}℃，"
            "神志清，精神可，双肺呼吸音清，心律齐，腹软，无压痛。",
        ),
        ("二、诊疗经过", rng.choice(COURSE) + "住院期间病情平稳，未诉特殊不适。"),
        ("三、出院情况", f"患者一般情况好，症状缓解，于{discharged}出院，共住院{stay.days}天。"),
    ]
    for heading, body in sections:
        s.text(x, y, heading, 11, font_name="sans_bold")
        y = _paragraph(s, x + 7, y + 7.5, width - 7, body, 10.5, 6.8) + 3
    s.text(x, y, "四、出院医嘱", 11, font_name="sans_bold")
    y += 7.5
    advice = rng.sample(ADVICE, 3)
    y = _paragraph(s, x + 7, y, width - 7, "".join(f"（{i}）{a}" for i, a in enumerate(advice, 1)), 10.5, 6.8)
    y += 14
    s.text(120, y, "医师签名：", 10.5)
    written(s, 140, y, stay.doctor, 12, rng, by_hand=True)
    s.text(120, y + 9, date_text(stay.discharge, "cn"), 10.5)
    s.text(w / 2, s.height_mm - 12, "— 1 —", 9, anchor="m")
    return Rendered("discharge_record", None, [s], fields, False, "出院小结")


FAMILIES = [
    Family(
        "summary_prose",
        "discharge_record",
        "县级医院段落式出院小结：一行空格分隔的表头，诊断同行编号，入出院日期写在正文里（共住院N天），"
        "一、二、三、四编号小标题，医师手写签名",
        draw_summary_prose,
        ("sans", "ming", "hei"),
        (150, 300),
        ("scan", "photo"),
    )
]
