"""Unseen 出院记录 families (the eighth blind set, stop 41).

`certificate_stay_one_line`: a short 出院证明书 a ward prints on 16K paper (184 × 260 mm) for the patient
to take away: the hospital and title centred with a 编号 under them, the particulars in two label：value
lines (姓名, 性别, 年龄, 科别, 床号, 住院号), the stay on ONE line as 住院时间：2025/6/3至2025/6/15，共住院
12天 (slashes, no leading zeros), 入院诊断 and 出院诊断 on lines of their own, a 治疗结果 word, the
出院医嘱 as one run-on paragraph, a 休息建议 line, the doctor's signature by hand, the 开具日期 with
slashes, the 出院证明专用章, and a 注 line at the foot.

`record_struck_corrections`: an electronic-record 出院记录 printed, then corrected by hand before it was
handed over: the header sits in a right-hand column beside the hospital's round logo (the hospital's
name, the title and a 病案号 / 科室 line, a heavy rule under both); the particulars in label：value
lines with Chinese dates without leading zeros (2025年6月3日); the discharge had been typed with the planned
date, so the typed 出院日期 and 住院天数 are struck through in ballpoint (two strokes) and the real ones
written above them, each correction initialled with the doctor's name and the day (a wrong age struck
and corrected the same way on some); then the usual 入院情况 / 诊疗经过 / 出院情况 / 出院医嘱 prose and the
doctor's signature. The truth is what the record says once corrected: the written date and days (the
struck ones stay printed, as on the paper)."""

from __future__ import annotations

import datetime as dt
import random

from synth.build import Context
from synth.canvas import PrintedLine, seal_image, text_width_mm
from synth.documents import ADVICE, COURSE, Rendered, _paragraph, discharge_fields
from synth.families.common import HANGING, INK_BLUE, FacedPage, Family, Look
from synth.people import Stay

OUTCOMES = ("好转", "治愈", "好转", "好转")


def _slash(day: dt.date) -> str:
    """A date as the ward's system prints it: slashes, no leading zeros (2025/6/3)."""
    return f"{day.year}/{day.month}/{day.day}"


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _wrap(s: FacedPage, x: float, y: float, width: float, text: str, size: float, leading: float) -> float:
    return _paragraph(s, x, y, width, text, size, leading, face=s.face, hanging=HANGING)


def draw_certificate_stay_one_line(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The certificate; it prints every discharge field."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    w, h = 184.0, 260.0
    s = FacedPage(w, h, dpi=look.dpi, paper=(252, 252, 249), face=look.font)
    left, right, size, leading = 18.0, 166.0, 10.5, 7.0
    title = "出院证明书"
    s.text(w / 2, 17, stay.hospital, 15, font_name="serif_bold", anchor="m")
    s.text(w / 2, 27, title, 17, font_name="serif_bold", anchor="m")
    s.text(right, 35, f"编号：CY{stay.discharge:%Y}{rng.randint(10000, 99999)}", 9, anchor="r")
    s.line(left, 38.5, right, 38.5, width=0.5)
    y = 46.0
    for x, text in (
        (left, f"姓名：{fields['patient_name']}"),
        (left + 50, f"性别：{fields['sex']}"),
        (left + 80, f"年龄：{fields['age']}岁"),
        (left + 110, f"床号：{stay.bed}"),
    ):
        s.text(x, y, text, size)
    y += leading + 1
    s.text(left, y, f"科别：{fields['department']}", size)
    s.text(left + 80, y, f"住院号：{fields['inpatient_number']}", size)
    y += leading + 3
    s.text(left, y, f"住院时间：{_slash(stay.admission)}至{_slash(stay.discharge)}，共住院{stay.days}天", size)
    y += leading + 1
    s.text(left, y, f"入院诊断：{fields['admission_diagnosis']}", size)
    y += leading + 1
    s.text(left, y, f"出院诊断：{fields['discharge_diagnosis']}", size)
    y += leading + 1
    s.text(left, y, f"治疗结果：{rng.choice(OUTCOMES)}", size)
    y += leading + 1
    advice = "".join(f"{i}.{a}" for i, a in enumerate(rng.sample(ADVICE, 3), 1))
    label = "出院医嘱："
    s.text(left, y, label, size)
    indent = left + text_width_mm(label, size, "sans")
    y = _wrap(s, indent, y, right - indent, advice, size, leading) + 1
    s.text(left, y, f"休息建议：建议出院后休息{rng.choice([7, 14, 14, 30])}天。", size)
    y += leading + 14
    lw = s.text(left + 78, y, "医师签名：", size)
    s.text(left + 78 + lw + 1, y - 0.8, fields["doctor"], 15, font_name="kai", color=INK_BLUE)
    y += leading + 3
    s.text(left + 78, y, f"开具日期：{_slash(stay.discharge)}", size)
    s.stamp(seal_image(rng, stay.hospital, "出院证明专用章"), left + 122, y - 8, 34)
    s.line(left, h - 24, right, h - 24, width=0.25)
    s.text(left, h - 19, "注：本证明仅证明住院事实，供医保报销及请假使用，涂改无效。", 8.5)
    return Rendered("discharge_record", None, [s], fields, True, title)


# ---------------------------------------------------------------------------------------------
# A printed record corrected by hand

LOGO_BLUE = (26, 88, 160)


def _logo(s: FacedPage, cx: float, cy: float, r: float) -> None:
    """The hospital's round emblem: a blue ring, a white cross on a blue disc."""
    box = [s.px(cx - r), s.px(cy - r), s.px(cx + r), s.px(cy + r)]
    s.draw.ellipse(box, outline=LOGO_BLUE, width=max(2, s.px(1.2)))
    inner = r * 0.68
    s.draw.ellipse([s.px(cx - inner), s.px(cy - inner), s.px(cx + inner), s.px(cy + inner)], fill=LOGO_BLUE)
    arm, bar = inner * 0.62, inner * 0.22
    s.rect(cx - bar, cy - arm, cx + bar, cy + arm, width=0.01, color=(255, 255, 255), fill=(255, 255, 255))
    s.rect(cx - arm, cy - bar, cx + arm, cy + bar, width=0.01, color=(255, 255, 255), fill=(255, 255, 255))


def _struck(s: FacedPage, x: float, y: float, width: float, rng: random.Random) -> None:
    """Two ballpoint strokes through a typed value, a little aslant."""
    for dy in (-0.5, 0.6):
        s.line(
            x - 0.8,
            y + dy + rng.uniform(-0.2, 0.2),
            x + width + 0.8,
            y + dy + rng.uniform(-0.4, 0.4),
            width=0.3,
            color=INK_BLUE,
        )


def _corrected(
    s: FacedPage, x: float, y: float, label: str, typed: str, real: str, initials: str, rng: random.Random
) -> None:
    """A typed label：value whose value is struck through, the right one written above it, initialled."""
    lw = s.text(x, y, f"{label}：", 10.5, record=False)
    vw = s.text(x + lw, y, typed, 10.5, record=False)
    s.lines.append(PrintedLine(f"{label}：{typed}", (x, y - 1.85, x + lw + vw, y + 1.85)))
    _struck(s, x + lw, y, vw, rng)
    hx = x + lw + rng.uniform(0, 3)
    hw = s.text(hx, y - 5.2 + rng.uniform(-0.3, 0.3), real, 11.5, font_name="kai", color=INK_BLUE)
    s.text(hx + hw + 1.5, y - 4.6, initials, 8.5, font_name="kai", color=INK_BLUE)


def _planned(stay: Stay, rng: random.Random) -> dt.date:
    """The discharge first planned (and typed): one or two days before the patient actually left."""
    return stay.discharge - dt.timedelta(days=min(rng.randint(1, 2), stay.days - 1))


def draw_record_struck_corrections(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The corrected record; its truth holds the corrected discharge date, days and age."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, paper=(253, 253, 251), face=look.font)
    left, right, size, leading = 20.0, 190.0, 10.5, 6.8
    title = "出院记录"
    _logo(s, 33, 24, 13)
    s.text(right, 15, stay.hospital, 16, font_name="serif_bold", anchor="r")
    s.text(right, 25, title, 14, font_name="sans_bold", anchor="r")
    s.text(right, 32.5, f"病案号：{stay.inpatient_number}    科室：{stay.department}", 9.5, anchor="r")
    s.line(left, 40, right, 40, width=0.9)
    s.line(left, 41.2, right, 41.2, width=0.25)
    planned = _planned(stay, rng)
    initials = f"{stay.doctor} {stay.discharge.month}.{stay.discharge.day}"
    age_wrong = rng.random() < 0.5
    y = 52.0
    s.text(left, y, f"姓名：{fields['patient_name']}", size)
    s.text(left + 48, y, f"性别：{fields['sex']}", size)
    if age_wrong:
        typed_age = f"{int(fields['age']) + rng.choice([-1, 1])}岁"
        _corrected(s, left + 78, y, "年龄", typed_age, f"{fields['age']}岁", stay.doctor, rng)
    else:
        s.text(left + 78, y, f"年龄：{fields['age']}岁", size)
    s.text(left + 118, y, f"床号：{stay.bed}", size)
    y += leading + 6
    s.text(left, y, f"入院日期：{_cn(stay.admission)}", size)
    real_discharge = f"{stay.discharge.year}.{stay.discharge.month}.{stay.discharge.day}"
    _corrected(s, left + 78, y, "出院日期", _cn(planned), real_discharge, initials, rng)
    y += leading + 6
    _corrected(s, left, y, "住院天数", f"{(planned - stay.admission).days}天", f"{stay.days}天", initials, rng)
    y += leading + 2
    s.text(left, y, f"入院诊断：{fields['admission_diagnosis']}", size)
    y += leading
    s.text(left, y, f"出院诊断：{fields['discharge_diagnosis']}", size)
    y += leading + 3
    blocks = (
        (
            "入院情况",
            f"患者因“{stay.diagnosis}”相关症状{rng.randint(2, 20)}天入院。入院时神志清，精神尚可，"
            f"体温{rng.uniform(36.4, 38.4):.1f}℃，心肺听诊未见明显异常，腹软，无压痛。",
        ),
        ("诊疗经过", rng.choice(COURSE) + "住院期间病情平稳，未诉特殊不适。"),
        ("出院情况", "患者一般情况良好，生命体征平稳，无明显不适，经上级医师查房同意出院。"),
    )
    for heading, text in blocks:
        s.text(left, y, f"{heading}：", size, font_name="sans_bold")
        y = _wrap(s, left + 4, y + leading, right - left - 4, text, size, leading) + 2.5
    s.text(left, y, "出院医嘱：", size, font_name="sans_bold")
    y += leading
    for i, advice in enumerate(rng.sample(ADVICE, 3), 1):
        s.text(left + 4, y, f"{i}、{advice}", size)
        y += leading
    y += 12
    lw = s.text(left + 98, y, "医师签名：", size)
    s.text(left + 98 + lw + 1, y - 0.8, fields["doctor"], 15, font_name="kai", color=INK_BLUE)
    y += leading + 2
    s.text(left + 98, y, f"记录时间：{_cn(planned)}", size)
    s.text(105, 285, "第1页/共1页", 8.5, anchor="m")
    return Rendered("discharge_record", None, [s], fields, False, title)


FAMILIES = [
    Family(
        "certificate_stay_one_line",
        "discharge_record",
        "病区打印的 16K（184×260 mm）出院证明书：院名与标题居中、其下编号，两行“标签：值”信息（姓名、性别、年龄、"
        "床号；科别、住院号），住院时间一行写完“2025/6/3至2025/6/15，共住院12天”（斜线无前导零），入院诊断与出院"
        "诊断各占一行，治疗结果，出院医嘱为一段连写编号，休息建议，医师手写签名，斜线开具日期，出院证明专用章，页脚注",
        draw_certificate_stay_one_line,
        ("serif", "sans", "microhei"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "record_struck_corrections",
        "discharge_record",
        "电子病历打印后手工更正的出院记录：表头在院徽右侧一栏（右对齐院名、标题、病案号/科室一行，下有粗细双线），"
        "信息为“标签：值”行、中文日期无前导零（2025年6月3日）；原按计划日期打印的出院日期与住院天数被圆珠笔两道"
        "划掉，正确值手写在上方并签医师名与日期（部分年龄亦划改），入院情况/诊疗经过/出院情况/出院医嘱正文，"
        "医师手写签名与记录时间",
        draw_record_struck_corrections,
        ("sans", "ming", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
]
