"""An unseen 出院记录 family: a provincial hospital's electronic medical record print-out. The header a
ruled grid of two label–value pairs a row, admission and discharge with the hour (`2025年6月3日
09:30`), diagnoses as numbered lists with the principal one first, and the record signed by the
attending and the resident doctor side by side."""

from __future__ import annotations

import datetime as dt
import random

from synth.build import Context
from synth.canvas import Surface
from synth.documents import ADVICE, COURSE, Rendered, _paragraph, discharge_fields
from synth.families.common import FacedPage, Family, Look
from synth.people import make_name

# Diagnoses that accompany a principal one on older patients' records.
COMORBIDITIES = ("高血压病2级", "2型糖尿病", "高脂血症", "慢性支气管炎", "骨质疏松症", "脂肪肝", "慢性肾功能不全")


def _when(day: dt.date, rng: random.Random) -> str:
    """A date with the hour, as the record system stamps admission and discharge."""
    return f"{day.year}年{day.month}月{day.day}日 {rng.randint(7, 17):02d}:{rng.choice(range(0, 60, 5)):02d}"


def _grid(s: Surface, pairs: list[tuple[str, str]], top: float) -> float:
    """Two label–value pairs a row, labels in shaded cells; returns the bottom."""
    left, right, h = 18.0, s.width_mm - 18, 8.0
    half = (right - left) / 2
    label_w = 24.0
    for i, (label, value) in enumerate(pairs):
        x, y = left + (i % 2) * half, top + (i // 2) * h
        s.rect(x, y, x + label_w, y + h, width=0.25, fill=(236, 236, 236))
        s.rect(x + label_w, y, x + half, y + h, width=0.25)
        s.text(x + label_w / 2, y + h / 2, label, 9, anchor="m")
        s.text(x + label_w + 2.5, y + h / 2, value, 9.5)
    return top + -(-len(pairs) // 2) * h


def _numbered(s: Surface, y: float, label: str, diagnoses: list[str]) -> float:
    """`label：1. X` with further diagnoses numbered under the first; returns the y below."""
    s.text(20, y, f"{label}：", 10.5, font_name="sans_bold")
    for i, diagnosis in enumerate(diagnoses, 1):
        s.text(42, y, f"{i}. {diagnosis}", 10.5)
        y += 6.5
    return y + 1.5


def draw_record_grid_time(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The record; its truth is the base truth: the principal diagnosis (the first numbered one, the
    one 医保 settles on) and the attending doctor who signs it."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w = s.width_mm
    s.text(w / 2, 15, stay.hospital, 14, font_name="serif_bold", anchor="m")
    s.text(w / 2, 24, "出 院 记 录", 16, font_name="serif_bold", anchor="m")
    s.text(w - 18, 30, f"病案号：{rng.randint(100000, 999999)}", 8.5, anchor="r")
    s.line(18, 32.5, w - 18, 32.5, width=0.5)
    pairs = [
        ("姓名", fields["patient_name"]),
        ("性别", fields["sex"]),
        ("年龄", f"{fields['age']}岁"),
        ("科室", fields["department"]),
        ("床号", f"{stay.bed}床"),
        ("住院号", fields["inpatient_number"]),
        ("入院时间", _when(stay.admission, rng)),
        ("出院时间", _when(stay.discharge, rng)),
        ("住院天数", f"{stay.days}天"),
        ("联系电话", person.phone),
    ]
    y = _grid(s, pairs, 35) + 8
    extra = rng.sample([d for d in COMORBIDITIES if d != stay.diagnosis], rng.randint(0, 2))
    y = _numbered(s, y, "入院诊断", [stay.diagnosis, *extra])
    y = _numbered(s, y, "出院诊断", [stay.diagnosis, *extra])
    bodies = [
        ("入院情况", f"患者因“{stay.diagnosis}”{rng.randint(2, 20)}天入院。查体：神志清，精神可，心肺未见明显异常。"),
        ("诊疗经过", rng.choice(COURSE)),
        ("出院情况", "患者症状明显好转，生命体征平稳，饮食睡眠可，予以出院。"),
    ]
    for heading, body in bodies:
        s.text(20, y, f"{heading}：", 10.5, font_name="sans_bold")
        y = _paragraph(s, 20, y + 7, w - 40, body, 10.5, 6.5) + 2
    s.text(20, y, "出院医嘱：", 10.5, font_name="sans_bold")
    y += 7
    for i, advice in enumerate(rng.sample(ADVICE, 3), 1):
        s.text(26, y, f"{i}. {advice}", 10.5)
        y += 6.5
    y += 10
    s.text(60, y, f"主治医师：{stay.doctor}", 10.5)
    s.text(125, y, f"住院医师：{make_name(rng)}", 10.5)
    s.line(18, s.height_mm - 16, w - 18, s.height_mm - 16, width=0.3)
    s.text(w / 2, s.height_mm - 11, "第 1 页 / 共 1 页", 8.5, anchor="m")
    return Rendered("discharge_record", None, [s], fields, False, "出院记录")


FAMILIES = [
    Family(
        "record_grid_time",
        "discharge_record",
        "电子病历打印的出院记录：两对一行的底纹表头格，入出院时间带时分，编号诊断列表，主治医师与住院医师并列签名",
        draw_record_grid_time,
        ("serif", "microhei", "kai"),
        (150, 300),
        ("scan", "photo"),
    )
]
