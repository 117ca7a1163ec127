"""Unseen 出院记录 families.

`certificate_columns`: the 出院证明书 a ward hands the patient at discharge
(the 患者留存联 of a two-part form). Across the top a bordered table whose first row holds the labels
(姓名 | 性别 | 年龄 | 住院号 | 床号 | 科别 | 病区) and whose second row holds the values under them; the
admission and discharge as date and time (2025-06-03 09:12), the stay as 住院天数 "11天"; each diagnosis
followed by its ICD-10 code in brackets; at the foot the doctor's signature and the date written above
ruled lines with their labels printed under the lines, and the ward's 出院证明专用章.

`record_under_labels`: a 出院记录 on a form whose header is rows of ruled blanks with a small label
printed under each line and the value typed above it (姓名, 性别, 年龄, 科室, 床号, 住院号; 入院日期, 出院
日期, 住院天数 as a bare number over its line); the diagnoses in the 中西医 way, a 中医诊断 (disease and
pattern) above the 西医诊断 for admission and discharge; the sections as bracketed headings
（入院情况）…; the doctor signs by hand."""

from __future__ import annotations

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import ADVICE, COURSE, Rendered, _paragraph, discharge_fields
from synth.families.common import FacedPage, Family, Look, date_text, written

# ICD-10 (national clinical version) codes a ward prints after the diagnoses it writes.
ICD = {
    "社区获得性肺炎": "J18.900",
    "2型糖尿病": "E11.900",
    "急性阑尾炎": "K35.800",
    "冠状动脉粥样硬化性心脏病": "I25.103",
    "腰椎间盘突出症": "M51.202",
    "脑梗死": "I63.900",
    "胆囊结石伴慢性胆囊炎": "K80.100",
    "输尿管结石": "N20.100",
    "慢性胃炎": "K29.500",
    "左乳腺癌（T2N1M0）IIA期": "C50.900",
    "右肺腺癌（T1bN0M0）IA2期": "C34.900",
    "胃窦癌（T3N1M0）IIIA期": "C16.300",
    "直肠癌术后（pT3N0M0）IIA期": "Z85.002",
    "宫颈鳞癌IB1期": "C53.900",
    "鼻咽癌（T2N2M0）III期": "C11.900",
    "弥漫大B细胞淋巴瘤IVB期": "C83.300",
    "原发性高血压3级（极高危）": "I10.x00",
    "冠心病 心功能III级（NYHA）": "I25.103",
    "右肺腺癌（T2aN2M1b）IVA期": "C34.900",
    "乙状结肠癌（pT4aN1bM0）IIIB期": "C18.700",
    "慢性肾脏病5期": "N18.500",
    "右股骨颈骨折（Garden IV型）": "S72.000",
    "2型糖尿病伴周围神经病变": "E11.401",
    "高血压病2级": "I10.x00",
    "高脂血症": "E78.500",
    "骨质疏松症": "M81.900",
}
SECONDARY = ("高血压病2级", "高脂血症", "骨质疏松症")
STATES = ("治愈", "好转", "好转", "好转", "未愈")
TONGUES = ("红，苔黄腻，脉滑数", "淡，苔白，脉细弱", "暗红，苔薄白，脉弦", "淡红，苔薄黄，脉细数")


def _coded(diagnosis: str) -> str:
    """A diagnosis as the ward prints it: its ICD-10 code in brackets after it."""
    code = ICD.get(diagnosis)
    return f"{diagnosis}({code})" if code else diagnosis


def draw_certificate_columns(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The certificate; it prints every base field (the age with 岁, the stay with 天)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w, left, right = s.width_mm, 18.0, s.width_mm - 18
    s.text(w / 2, 20, stay.hospital, 16, font_name="serif_bold", anchor="m")
    s.text(w / 2, 31, "出 院 证 明 书", 16, font_name="sans_bold", anchor="m")
    s.text(right, 38, "（患者留存联）", 9, anchor="r")
    # The head table: labels in the first row, values in the row under them.
    heads = ["姓名", "性别", "年龄", "住院号", "床号", "科别", "病区"]
    values = [
        fields["patient_name"],
        fields["sex"],
        f"{fields['age']}岁",
        fields["inpatient_number"],
        f"{stay.bed}床",
        fields["department"],
        f"{rng.randint(1, 16)}病区",
    ]
    widths = [22, 14, 16, 28, 16, 36, 42]
    top = 42.0
    x = left
    for head, value, width in zip(heads, values, widths, strict=True):
        s.rect(x, top, x + width, top + 8, width=0.3)
        s.rect(x, top + 8, x + width, top + 17, width=0.3)
        s.text(x + width / 2, top + 4, head, 9, anchor="m")
        s.text(x + width / 2, top + 12.5, value, 10, anchor="m")
        x += width
    admitted = f"{date_text(stay.admission, 'iso')} {rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}"
    discharged = f"{date_text(stay.discharge, 'iso')} {rng.randint(8, 11):02d}:{rng.randint(0, 59):02d}"
    y = top + 26
    s.text(left, y, f"入院时间：{admitted}", 10.5)
    s.text(left + 88, y, f"出院时间：{discharged}", 10.5)
    s.text(left, y + 8, f"住院天数：{stay.days}天", 10.5)
    s.text(left + 88, y + 8, f"出院情况：{rng.choice(STATES)}", 10.5)
    others = rng.sample([d for d in SECONDARY if d != stay.diagnosis], rng.randint(0, 2))
    y += 19
    for label in ("入院诊断", "出院诊断"):
        s.text(left, y, f"{label}：", 10.5, font_name="sans_bold")
        for i, diagnosis in enumerate([stay.diagnosis, *others]):
            s.text(left + 22, y + i * 7, _coded(diagnosis), 10.5)
        y += 7 * (1 + len(others)) + 3
    s.text(left, y, "出院医嘱：", 10.5, font_name="sans_bold")
    advice = "".join(f"{i}.{a}" for i, a in enumerate(rng.sample(ADVICE, 3), 1))
    y = _paragraph(s, left + 22, y, right - left - 22, advice, 10.5, 7) + 4
    s.text(left, y, "备注：本证明仅用于办理医保报销、休假等手续，涂改无效。", 9)
    # Entries written above ruled lines, the labels printed under the lines.
    foot = y + 30
    written(s, 108, foot - 4, stay.doctor, 12, rng, by_hand=True)
    s.line(100, foot, 140, foot, width=0.3)
    s.text(120, foot + 4.5, "主治医师（签名）", 8.5, anchor="m")
    s.text(158, foot - 4, date_text(stay.discharge, "iso"), 10.5, anchor="m")
    s.line(146, foot, 172, foot, width=0.3)
    s.text(159, foot + 4.5, "日期", 8.5, anchor="m")
    s.stamp(seal_image(rng, stay.hospital, "出院证明专用章"), 70, foot - 4, 34)
    return Rendered("discharge_record", None, [s], fields, True, "出院证明书")


# ---------------------------------------------------------------------------------------------
# A 出院记录 with its header's labels under the lines and 中医 / 西医 diagnoses

# The 中医诊断 (disease and pattern) a record gives beside a 西医诊断, and the complaint it was admitted with.
TCM = {
    "社区获得性肺炎": ("风温肺热病 痰热壅肺证", "发热、咳嗽咳痰5天"),
    "2型糖尿病": ("消渴病 气阴两虚证", "口干多饮、乏力1月"),
    "急性阑尾炎": ("肠痈 湿热瘀滞证", "转移性右下腹痛1天"),
    "冠状动脉粥样硬化性心脏病": ("胸痹心痛病 气虚血瘀证", "反复胸闷1年，加重3天"),
    "腰椎间盘突出症": ("腰痛病 气滞血瘀证", "腰痛伴右下肢麻木2周"),
    "脑梗死": ("中风病 风痰阻络证", "左侧肢体无力6小时"),
    "胆囊结石伴慢性胆囊炎": ("胆胀病 肝胆湿热证", "反复右上腹胀痛半年"),
    "输尿管结石": ("石淋 下焦湿热证", "左侧腰腹绞痛1天"),
    "慢性胃炎": ("胃脘痛 脾胃虚弱证", "反复上腹隐痛3月"),
}


def _blanks(s: FacedPage, y: float, entries: list[tuple[str, str, float]], x: float) -> None:
    """Ruled blanks side by side: each value typed centred above its line, its label small under it."""
    for label, value, width in entries:
        s.text(x + width / 2, y - 2.5, value, 10.5, anchor="m")
        s.line(x + 1, y, x + width - 3, y, width=0.25)
        s.text(x + width / 2, y + 3.2, label, 7.5, anchor="m")
        x += width


def draw_record_under_labels(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The record; its truth is the base truth, the 西医诊断 as the diagnosis (the one 医保 settles on)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w, left, right = s.width_mm, 18.0, s.width_mm - 18
    s.text(w / 2, 18, stay.hospital, 15, font_name="serif_bold", anchor="m")
    s.text(w / 2, 27, "出  院  记  录", 15, font_name="serif_bold", anchor="m")
    _blanks(
        s,
        42,
        [
            ("姓名", fields["patient_name"], 28),
            ("性别", fields["sex"], 16),
            ("年龄", fields["age"], 16),
            ("科室", fields["department"], 36),
            ("床号", stay.bed, 16),
            ("住院号", fields["inpatient_number"], 32),
        ],
        left,
    )
    _blanks(
        s,
        56,
        [
            ("入院日期", date_text(stay.admission, "cn_short"), 46),
            ("出院日期", date_text(stay.discharge, "cn_short"), 46),
            ("住院天数", fields["days_in_hospital"], 24),
        ],
        left,
    )
    s.line(left, 63, right, 63, width=0.5)
    tcm, complaint = TCM.get(stay.diagnosis, (None, ""))
    admitted = f"因“{complaint}”入院" if complaint else f"门诊以“{stay.diagnosis}”收住入院"
    y = 71.0

    def heading(text: str) -> None:
        nonlocal y
        s.text(left, y, f"（{text}）", 10.5, font_name="sans_bold")
        y += 7

    def diagnoses() -> None:
        nonlocal y
        if tcm:
            s.text(left + 6, y, f"中医诊断：{tcm}", 10.5)
            y += 6.5
        s.text(left + 6, y, f"西医诊断：{stay.diagnosis}", 10.5)
        y += 9

    heading("入院情况")
    y = _paragraph(s, left + 6, y, right - left - 6, f"{admitted}，舌{rng.choice(TONGUES)}。", 10.5, 6.5)
    y += 3
    heading("入院诊断")
    diagnoses()
    heading("诊疗经过")
    y = _paragraph(s, left + 6, y, right - left - 6, rng.choice(COURSE) + "辅以中药汤剂辨证施治。", 10.5, 6.5) + 3
    heading("出院诊断")
    diagnoses()
    heading("出院医嘱")
    advice = "".join(rng.sample(ADVICE, 2))
    y = _paragraph(s, left + 6, y, right - left - 6, advice, 10.5, 6.5) + 12
    s.text(120, y, "医师签名：", 10.5)
    written(s, 141, y, stay.doctor, 12, rng, by_hand=True)
    return Rendered("discharge_record", None, [s], fields, False, "出院记录")


FAMILIES = [
    Family(
        "certificate_columns",
        "discharge_record",
        "病区出院证明书（患者留存联）：表头为上标签下数值的两行边框表（姓名…住院号、床号、科别、病区），入出院时间带时分，"
        "住院天数“N天”，诊断后括号 ICD-10 编码，签名与日期写在横线上、标签印在线下，出院证明专用章",
        draw_certificate_columns,
        ("serif", "hei", "droid"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "record_under_labels",
        "discharge_record",
        "中西医出院记录：表头为横线填空，数值在线上、小号标签在线下（姓名…住院号；入院日期、出院日期、住院天数为裸数字），"
        "入出院诊断分中医诊断（病名+证型）与西医诊断，括号小标题（入院情况）…，医师手写签名",
        draw_record_under_labels,
        ("ming", "sans", "microhei"),
        (150, 300),
        ("scan", "photocopy"),
    ),
]
