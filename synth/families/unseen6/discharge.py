"""Unseen 出院记录 families (the sixth blind set, stop 39).

`emr_band_six_cells`: a 出院小结 exported from a hospital's electronic medical record as a PDF-like page
and printed in colour: a coloured band across the top with the hospital's name and the document's title
in white, 病案号 and 打印时间 under it; the patient block a grid of six cells a row (label, value, label,
value, label, value; labels in tinted cells without colons): 姓名 / 性别 / 年龄, 科室 / 床号 / 住院号,
入院日期 / 出院日期 / 住院天数, the dates with slashes; then the body in two columns, the diagnoses and the
advice on the left, 入院情况, 诊疗经过 and 出院情况 on the right; 医师电子签名 and 签名时间 at the foot.

`certificate_half_a4`: a 出院证明书 on half an A4 sheet (A5 landscape), the hospital's pre-printed form
with blanks the doctor fills in by hand in blue ballpoint: 患者姓名, 性别, 年龄, 住院号, the stay as a
sentence (于 2025年4月15日 入院，于 2025年4月29日 出院，共住院 14 天) with the dates written out short,
the 科别, the 出院诊断 and a short advice, the doctor's signature and the date handwritten too, and the
hospital's 出院证明专用章 over them. It names no admission diagnosis, so its truth has none."""

from __future__ import annotations

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import ADVICE, COURSE, Rendered, _paragraph, discharge_fields
from synth.families.common import FacedPage, Family, Look, date_text, written

BAND = (0, 112, 122)  # the EMR's header band
CELL = (226, 240, 241)


def draw_emr_band_six_cells(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The EMR export; it prints every discharge field."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    left, right = 12.0, 198.0
    title = "出院小结"
    s.rect(0, 0, 210, 24, width=0.01, color=BAND, fill=BAND)
    white = (255, 255, 255)
    s.text(left, 12, stay.hospital, 15, font_name="sans_bold", color=white)
    s.text(right, 12, title, 17, font_name="sans_bold", anchor="r", color=white)
    printed_at = f"{date_text(stay.discharge, 'slash')} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
    s.text(left, 29, f"病案号：{rng.randint(100000, 999999)}", 8.5, color=(80, 80, 80))
    s.text(right, 29, f"打印时间：{printed_at}", 8.5, anchor="r", color=(80, 80, 80))
    grid = [
        ("姓名", fields["patient_name"], "性别", fields["sex"], "年龄", f"{fields['age']}岁"),
        ("科室", fields["department"], "床号", stay.bed, "住院号", fields["inpatient_number"]),
        (
            "入院日期",
            date_text(stay.admission, "slash"),
            "出院日期",
            date_text(stay.discharge, "slash"),
            "住院天数",
            f"{fields['days_in_hospital']}天",
        ),
    ]
    top, row_h = 33.0, 8.0
    label_w, value_w = 20.0, (right - left) / 3 - 20.0
    for r, row in enumerate(grid):
        y0 = top + r * row_h
        for k in range(3):
            x0 = left + k * (label_w + value_w)
            s.rect(x0, y0, x0 + label_w, y0 + row_h, width=0.2, color=(150, 170, 172), fill=CELL)
            s.rect(x0 + label_w, y0, x0 + label_w + value_w, y0 + row_h, width=0.2, color=(150, 170, 172))
            s.text(x0 + label_w / 2, y0 + row_h / 2, row[2 * k], 9, anchor="m", color=(40, 70, 72))
            s.text(x0 + label_w + 2.5, y0 + row_h / 2, row[2 * k + 1], 9.5)
    y0 = top + 3 * row_h + 7
    col_w, gap = 84.0, 18.0
    mid = left + col_w + gap / 2
    s.line(mid, y0 - 2, mid, 262, width=0.2, color=(180, 190, 190))
    size, leading = 9.5, 6.0

    def heading(x: float, y: float, text: str) -> float:
        s.rect(x, y - 2.5, x + 1.2, y + 2.5, width=0.01, color=BAND, fill=BAND)
        s.text(x + 3, y, text, 10, font_name="sans_bold", color=BAND)
        return y + 7

    y = heading(left, y0, "入院诊断：")
    y = _paragraph(s, left + 3, y, col_w - 3, f"1. {fields['admission_diagnosis']}", size, leading) + 3
    y = heading(left, y, "出院诊断：")
    y = _paragraph(s, left + 3, y, col_w - 3, f"1. {fields['discharge_diagnosis']}", size, leading) + 3
    y = heading(left, y, "出院医嘱：")
    for k, advice in enumerate(rng.sample(ADVICE, 3), 1):
        y = _paragraph(s, left + 3, y, col_w - 3, f"{k}. {advice}", size, leading)
    x = mid + gap / 2
    y = heading(x, y0, "入院情况：")
    admit = f"患者因“{stay.diagnosis}”相关症状{rng.randint(2, 20)}天入院。查体：神志清，精神可，心肺听诊未见明显异常。"
    y = _paragraph(s, x + 3, y, col_w - 3, admit, size, leading) + 3
    y = heading(x, y, "诊疗经过：")
    y = _paragraph(s, x + 3, y, col_w - 3, rng.choice(COURSE), size, leading) + 3
    y = heading(x, y, "出院情况：")
    _paragraph(s, x + 3, y, col_w - 3, "患者一般情况可，生命体征平稳，无明显不适，准予出院。", size, leading)
    s.line(left, 266, right, 266, width=0.3, color=BAND)
    s.text(left, 272, f"医师电子签名：{fields['doctor']}", 10)
    s.text(right, 272, f"签名时间：{printed_at}", 9, anchor="r")
    s.text(105, 288, "第 1 页/共 1 页", 8, anchor="m", color=(110, 110, 110))
    return Rendered("discharge_record", None, [s], fields, False, title)


# ---------------------------------------------------------------------------------------------
# A half-A4 出院证明书 filled in by hand


def draw_certificate_half_a4(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The filled certificate; its truth leaves out the admission diagnosis it does not name."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    del fields["admission_diagnosis"]
    s = FacedPage(210, 148, dpi=look.dpi, paper=(251, 250, 244), face=look.font)
    left, right = 16.0, 194.0
    title = "出院证明书"
    s.text(105, 13, stay.hospital, 14, font_name="serif_bold", anchor="m")
    s.text(105, 23, title, 16, font_name="serif_bold", anchor="m")
    s.text(right, 31, f"No.{rng.randint(100000, 999999)}", 8.5, anchor="r", color=(170, 40, 40))
    size = 10.5

    def blank(x: float, y: float, width: float, value: str) -> float:
        """An underlined blank with its value written in by hand; returns the x after it."""
        s.line(x, y + 3, x + width, y + 3, width=0.2)
        written(s, x + 2, y - 0.5, value, size, rng, by_hand=True)
        return x + width + 1.5

    def printed(x: float, y: float, text: str) -> float:
        return x + s.text(x, y, text, size) + 1.5

    y = 42.0
    x = printed(left, y, "患者姓名")
    x = blank(x, y, 30, fields["patient_name"])
    x = printed(x, y, "性别")
    x = blank(x, y, 12, fields["sex"])
    x = printed(x, y, "年龄")
    x = blank(x, y, 12, fields["age"])
    x = printed(x, y, "岁  住院号")
    blank(x, y, 34, fields["inpatient_number"])
    y += 12
    x = printed(left, y, "于")
    x = blank(x, y, 36, date_text(stay.admission, "cn_short"))
    x = printed(x, y, "入院，于")
    x = blank(x, y, 36, date_text(stay.discharge, "cn_short"))
    x = printed(x, y, "出院，共住院")
    x = blank(x, y, 12, fields["days_in_hospital"])
    printed(x, y, "天。")
    y += 12
    x = printed(left, y, "科别")
    blank(x, y, 40, fields["department"])
    y += 12
    x = printed(left, y, "出院诊断：")
    blank(x, y, right - x, fields["discharge_diagnosis"])
    y += 12
    x = printed(left, y, "出院医嘱：")
    blank(x, y, right - x, rng.choice(["注意休息，定期复查。", "按时服药，门诊随诊。", "清淡饮食，一月后复查。"]))
    y += 18
    x = printed(106, y, "经治医师（签名）：")
    blank(x, y, right - x, fields["doctor"])
    y += 11
    x = printed(106, y, "日期：")
    blank(x, y, right - x, date_text(stay.discharge, "cn_short"))
    s.stamp(seal_image(rng, stay.hospital, "出院证明专用章"), 150, y - 8, 30)
    s.text(left, 141, "注：本证明仅证明住院事实，涂改无效。", 8, color=(90, 90, 90))
    s.text(right, 141, f"科室电话：0574-{rng.randint(8000_0000, 8999_9999)}", 8, anchor="r", color=(90, 90, 90))
    return Rendered("discharge_record", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "emr_band_six_cells",
        "discharge_record",
        "电子病历导出的 PDF 式出院小结（彩色打印）：顶部色带内白字院名与标题，其下病案号与打印时间，"
        "患者信息为每行六格的网格（标签格底纹无冒号：姓名/性别/年龄、科室/床号/住院号、入院日期/出院日期/住院天数，"
        "斜线日期），正文左右两栏（左：入出院诊断与出院医嘱；右：入院情况、诊疗经过、出院情况），页脚医师电子签名与签名时间",
        draw_emr_band_six_cells,
        ("sans", "microhei", "serif"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "certificate_half_a4",
        "discharge_record",
        "半张 A4（A5 横向）预印出院证明书，医师蓝色圆珠笔手填：患者姓名/性别/年龄/住院号横线，"
        "“于…入院，于…出院，共住院…天”句中手写短中文日期，科别、出院诊断与医嘱，经治医师签名与日期手写，"
        "红色 No. 编号，出院证明专用章压在签名上；无入院诊断",
        draw_certificate_half_a4,
        ("serif", "ming", "sans"),
        (150, 300),
        ("scan", "photo"),
    ),
]
