"""Unseen 出院记录 families (the seventh blind set, stop 40).

`fax_record_two_page`: a two-page 出院记录 a hospital's 病案室 faxed to the insurance office, as the fax
server saved it: every page 215 mm wide, pure black and white (the sender's scanner thresholds, its glass
leaves thin streaks down the page), sampled at the fax's 8 pels a mm across and 3.85 or 7.7 lines a mm
down, and headed by the sending machine's line (date and time, FROM the record room, its fax number,
P.1/2). The record's labels stand in 【】 brackets with no colon (【姓名】, 【入院时间】, 【住院天数】);
admission and discharge carry the time, the dates written without leading zeros as 2025-6-3 10:20; the
diagnoses numbered with the principal one first; the doctor's signature in a brush hand; the 病案室's
seal, black in the fax, under a 传真说明 line. A fax is a copy, whatever reaches the office.

`county_boxed_icd_table`: a county-level hospital's 出院记录 whose header (the hospital, the spaced-out
title 出 院 记 录 and three lines of particulars: 姓名, 性别, 年龄, 职业; 科别, 病区, 床号, 住院号;
入院日期 and 出院日期 in Chinese with zeros, 实住天数) stands in a double-ruled box; long 入院情况 and
诊疗经过 paragraphs in running prose (history, vital signs, tests and treatment, with their numbers); the
出院诊断 as a ruled table of 诊断类别 (主要诊断 / 其他诊断) | 诊断名称 | ICD-10 编码 | 出院情况; a numbered
出院医嘱, and the 经治医师 and 记录日期 at the foot."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
from PIL import Image

from synth.build import Context
from synth.canvas import seal_image, text_width_mm
from synth.documents import ADVICE, Rendered, _paragraph, discharge_fields
from synth.families.common import HANGING, FacedPage, Family, Look
from synth.families.unseen3.discharge import ICD
from synth.people import Stay, make_name

SYMPTOMS = ("乏力、纳差", "恶心、腹胀", "头晕、胸闷", "咳嗽、咳痰")
COMORBIDITIES = ("高血压病2级", "高脂血症", "骨质疏松症")
OCCUPATIONS = ("退休", "职员", "农民", "个体", "教师", "工人")


def _wrap(s: FacedPage, x: float, y: float, width: float, text: str, size: float, leading: float) -> float:
    """Running prose in the page's own face, no line starting with a stop or a comma."""
    return _paragraph(s, x, y, width, text, size, leading, face=s.face, hanging=HANGING)


def _admission_prose(rng: random.Random, fields: dict[str, str], stay: Stay) -> str:
    """What the patient came in with: complaint, history, vital signs and first tests, with their numbers."""
    temperature = f"{rng.uniform(36.3, 38.6):.1f}"
    onset = rng.randint(2, 20)
    return (
        f"患者{fields['sex']}，{fields['age']}岁，因“{stay.diagnosis}”相关症状{onset}天入院。"
        f"患者于{onset}天前无明显诱因出现不适，伴{rng.choice(SYMPTOMS)}，"
        "曾于当地卫生院就诊，予对症处理后症状未见明显好转，遂来我院就诊，门诊拟上述诊断收住入院。"
        f"既往{rng.choice(['体健', '有高血压病史多年，规律服药', '有糖尿病史，血糖控制一般'])}，"
        "否认肝炎、结核等传染病史，否认重大手术、外伤及输血史，否认药物及食物过敏史。"
        f"入院查体：体温{temperature}℃，脉搏{rng.randint(66, 104)}次/分，呼吸{rng.randint(16, 22)}次/分，"
        f"血压{rng.randint(108, 152)}/{rng.randint(66, 96)}mmHg，神志清，精神可，双肺呼吸音清，心律齐，"
        "腹软，无压痛及反跳痛，双下肢无水肿。"
        f"辅助检查：血常规白细胞{rng.uniform(4.0, 13.5):.1f}×10^9/L，余未见明显异常。"
    )


COURSE_STEPS = (
    "入院后完善血常规、尿常规、肝肾功能、电解质、凝血功能、心电图及影像学等相关检查，",
    "予以二级护理，低盐低脂饮食，",
    "根据病情给予抗感染、护胃、补液、营养支持及对症治疗，",
    "治疗期间密切监测生命体征及病情变化，",
    "请相关科室会诊协助诊治，根据会诊意见调整治疗方案，",
    "经积极治疗后患者症状明显缓解，复查相关指标较前好转，",
    "住院期间未发生院内感染及药物不良反应，",
)


def _course_prose(rng: random.Random) -> str:
    steps = [COURSE_STEPS[0], *rng.sample(COURSE_STEPS[1:-1], rng.randint(3, 5)), COURSE_STEPS[-1]]
    return "".join(steps) + "患者及家属对治疗效果满意。"


DISCHARGE_STATE = (
    "患者神志清，精神可，饮食睡眠可，二便正常，生命体征平稳，查体无特殊阳性体征，经上级医师同意，准予今日出院。"
)


# ---------------------------------------------------------------------------------------------
# A record received by fax

FAX_W, FAX_H = 215.0, 297.0
PELS_PER_MM = 8.0
LINES_PER_MM = (3.85, 7.7)  # standard and fine mode


def _when(day: dt.date, rng: random.Random) -> str:
    """A date and time as the record system writes them: no leading zeros in the date."""
    return f"{day.year}-{day.month}-{day.day} {rng.randint(7, 17):02d}:{rng.choice(range(0, 60, 5)):02d}"


def _faxed(page: FacedPage, rng: random.Random, lines_per_mm: float) -> Image.Image:
    """The page as the fax carried it: sampled at the fax's pels and lines, thresholded to black and white
    with the sensor's noise on the edges, a streak or two from the sender's glass, and brought back to the
    page's resolution."""
    grey = np.asarray(page.img.convert("L"), np.float32)
    pels = (round(FAX_W * PELS_PER_MM), round(FAX_H * lines_per_mm))
    sampled = np.asarray(Image.fromarray(grey.astype(np.uint8)).resize(pels, Image.Resampling.BILINEAR), np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 14, sampled.shape)
    bw = np.where(sampled + noise < rng.uniform(145, 170), 0, 255).astype(np.uint8)
    for _ in range(rng.randint(1, 3)):
        x = rng.randrange(pels[0])
        bw[:, x : x + rng.randint(1, 2)] = 0
    return Image.fromarray(bw).resize(page.img.size, Image.Resampling.NEAREST).convert("RGB")


def draw_fax_record_two_page(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The two faxed pages; the truth is the base truth (the principal diagnosis first in both lists)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    pages = [FacedPage(FAX_W, FAX_H, dpi=look.dpi, paper=(255, 255, 255), face=look.font) for _ in range(2)]
    sent = ctx.on - dt.timedelta(days=rng.randint(0, 2))
    clock = f"{rng.randint(8, 16):02d}:{rng.randint(0, 59):02d}"
    number = f"0{rng.choice(['571', '574', '577', '575'])}-{rng.randint(8100_0000, 8899_9999)}"
    for k, page in enumerate(pages, 1):
        header = f"{sent:%Y-%m-%d} {clock}  FROM:{stay.hospital}病案室  FAX:{number}  P.{k}/2"
        page.text(8, 5, header, 8.5, font_name="hei")
    left, right, size, leading = 22.0, 195.0, 10.5, 6.6
    title = "出院记录"
    s = pages[0]
    s.text(FAX_W / 2, 17, stay.hospital, 16, font_name="serif_bold", anchor="m")
    s.text(FAX_W / 2, 27, title, 16, font_name="serif_bold", anchor="m")
    s.line(left, 32, right, 32, width=0.5)

    def bracketed(x: float, y: float, label: str, value: str, page: FacedPage = s) -> None:
        page.text(x, y, f"【{label}】{value}", size)

    y = 39.0
    for x, label, value in (
        (left, "姓名", fields["patient_name"]),
        (left + 52, "性别", fields["sex"]),
        (left + 86, "年龄", f"{fields['age']}岁"),
        (left + 124, "床号", f"{stay.bed}床"),
    ):
        bracketed(x, y, label, value)
    y += 7.5
    bracketed(left, y, "科室", fields["department"])
    bracketed(left + 86, y, "住院号", fields["inpatient_number"])
    y += 7.5
    bracketed(left, y, "入院时间", _when(stay.admission, rng))
    bracketed(left + 86, y, "出院时间", _when(stay.discharge, rng))
    y += 7.5
    bracketed(left, y, "住院天数", f"{fields['days_in_hospital']}天")
    y += 10
    others = rng.sample([d for d in COMORBIDITIES if d != stay.diagnosis], rng.randint(0, 2))
    diagnoses = [stay.diagnosis, *others]

    def numbered(page: FacedPage, y: float, label: str) -> float:
        page.text(left, y, f"【{label}】", size, font_name="sans_bold")
        for i, diagnosis in enumerate(diagnoses, 1):
            page.text(left + 26, y, f"{i}.{diagnosis}", size)
            y += leading
        return y + 3

    y = numbered(s, y, "入院诊断")
    s.text(left, y, "【入院情况】", size, font_name="sans_bold")
    y = _wrap(s, left + 4, y + leading, right - left - 4, _admission_prose(rng, fields, stay), size, leading) + 3
    s.text(left, y, "【诊疗经过】", size, font_name="sans_bold")
    y = _wrap(s, left + 4, y + leading, right - left - 4, _course_prose(rng), size, leading) + 3
    y = numbered(s, y, "出院诊断")
    s.text(left, y, "【出院情况】", size, font_name="sans_bold")
    _wrap(s, left + 4, y + leading, right - left - 4, DISCHARGE_STATE, size, leading)
    s = pages[1]
    s.text(left, 15, f"出院记录（续）  {fields['patient_name']}  住院号 {fields['inpatient_number']}", 9)
    s.line(left, 19, right, 19, width=0.3)
    y = 27.0
    s.text(left, y, "【出院医嘱】", size, font_name="sans_bold")
    y += leading
    for i, advice in enumerate(rng.sample(ADVICE, 4), 1):
        s.text(left + 4, y, f"{i}. {advice}", size)
        y += leading
    y += 10
    s.text(118, y, "【医师签名】", size)
    s.text(146, y, fields["doctor"], 15, font_name="kai")
    y += 9
    s.text(118, y, f"【日期】{stay.discharge.year}-{stay.discharge.month}-{stay.discharge.day}", size)
    y += 22
    s.text(left, y, "传真说明：本件由病案室传真发送，与原件核对一致。", 9.5)
    s.text(left, y + 7, f"经办人：{make_name(rng)}", 9.5)
    s.stamp(seal_image(rng, stay.hospital, "病案管理专用章"), 150, y + 6, 34)
    lines_per_mm = rng.choice(LINES_PER_MM)
    for page in pages:
        page.img = _faxed(page, rng, lines_per_mm)
    return Rendered("discharge_record", None, list(pages), fields, True, title)


# ---------------------------------------------------------------------------------------------
# A county hospital's record, the header in a box and a table of coded diagnoses


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def draw_county_boxed_icd_table(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The record; its truth is the base truth (the principal diagnosis the 主要诊断 row)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, paper=(253, 252, 248), face=look.font)
    left, right, size, leading = 16.0, 194.0, 10.0, 6.1
    title = "出院记录"
    # The header in a double-ruled box.
    s.rect(left, 10, right, 61, width=0.6)
    s.rect(left + 1.2, 11.2, right - 1.2, 59.8, width=0.25)
    s.text(105, 19, stay.hospital, 15, font_name="serif_bold", anchor="m")
    s.text(105, 29, "出 院 记 录", 16, font_name="serif_bold", anchor="m")
    s.line(left + 1.2, 34, right - 1.2, 34, width=0.25)
    head = [
        [
            ("姓名", fields["patient_name"]),
            ("性别", fields["sex"]),
            ("年龄", f"{fields['age']}岁"),
            ("职业", rng.choice(OCCUPATIONS)),
        ],
        [
            ("科别", fields["department"]),
            ("病区", f"{rng.randint(1, 12)}病区"),
            ("床号", stay.bed),
            ("住院号", fields["inpatient_number"]),
        ],
        [
            ("入院日期", _cn(stay.admission)),
            ("出院日期", _cn(stay.discharge)),
            ("实住天数", f"{fields['days_in_hospital']}天"),
        ],
    ]
    columns = {4: (left + 4, left + 50, left + 86, left + 124), 3: (left + 4, left + 62, left + 124)}
    for r, row in enumerate(head):
        for x, (label, value) in zip(columns[len(row)], row, strict=True):
            s.text(x, 40 + r * 7.5, f"{label}：{value}", 9.5)
    y = 69.0
    s.text(left, y, f"入院诊断：{stay.diagnosis}", size)
    y += leading + 3
    s.text(left, y, "入院情况：", size, font_name="sans_bold")
    indent = left + text_width_mm("入院情况：", size, "sans_bold")
    body = _admission_prose(rng, fields, stay)
    y = _wrap(s, indent, y, right - indent, body, size, leading) + 2.5
    s.text(left, y, "诊疗经过：", size, font_name="sans_bold")
    y = _wrap(s, indent, y, right - indent, _course_prose(rng), size, leading) + 3
    # The discharge diagnoses as a ruled table with their codes.
    s.text(left, y, "出院诊断：", size, font_name="sans_bold")
    y += 4
    others = rng.sample([d for d in COMORBIDITIES if d != stay.diagnosis], rng.randint(1, 2))
    rows = [("主要诊断", stay.diagnosis, ICD[stay.diagnosis], rng.choice(["好转", "好转", "治愈"]))]
    rows += [("其他诊断", d, ICD[d], "好转") for d in others]
    edges = (left, left + 26, left + 110, left + 150, right)
    heads = ("诊断类别", "诊断名称", "ICD-10编码", "出院情况")
    row_h = 7.0
    bottom = y + row_h * (len(rows) + 1)
    s.rect(left, y, right, bottom, width=0.35)
    for x in edges[1:-1]:
        s.line(x, y, x, bottom, width=0.25)
    for k in range(1, len(rows) + 1):
        s.line(left, y + k * row_h, right, y + k * row_h, width=0.25)
    for x0, x1, text in zip(edges, edges[1:], heads, strict=False):
        s.text((x0 + x1) / 2, y + row_h / 2, text, 9, font_name="sans_bold", anchor="m")
    for k, cells in enumerate(rows, 1):
        mid = y + k * row_h + row_h / 2
        for c, cell in enumerate(cells):
            if c == 1:
                s.text(edges[1] + 2, mid, cell, 9.5)
            else:
                s.text((edges[c] + edges[c + 1]) / 2, mid, cell, 9.5, anchor="m")
    y = bottom + 7
    s.text(left, y, "出院情况：", size, font_name="sans_bold")
    y = _wrap(s, indent, y, right - indent, DISCHARGE_STATE, size, leading) + 2.5
    s.text(left, y, "出院医嘱：", size, font_name="sans_bold")
    for i, advice in enumerate(rng.sample(ADVICE, 4), 1):
        s.text(indent, y, f"{i}.{advice}", size)
        y += leading
    y += 8
    s.text(118, y, f"经治医师：{fields['doctor']}", size)
    s.text(118, y + 7.5, f"记录日期：{_cn(stay.discharge)}", size)
    return Rendered("discharge_record", None, [s], fields, False, title)


FAMILIES = [
    Family(
        "fax_record_two_page",
        "discharge_record",
        "病案室传真给医保经办机构的两页出院记录（传真服务器保存）：215 mm 宽页，纯黑白，横向 8 点/mm、纵向 3.85 或 "
        "7.7 行/mm 采样，发送机顶部标识行（日期时间、FROM 病案室、传真号、P.1/2），玻璃污迹竖线；【】括号标签无冒号"
        "（【姓名】【入院时间】【住院天数】），入出院带时分、日期无前导零（2025-6-3 10:20），编号诊断主诊断在前，"
        "毛笔体医师签名，传真说明行下病案室章（传真中为黑色）；传真件即复印件",
        draw_fax_record_two_page,
        ("ming", "sans", "hei"),
        (200, 300),
        ("clean",),
        draws_copy=True,
    ),
    Family(
        "county_boxed_icd_table",
        "discharge_record",
        "县级医院出院记录：表头在双线框内（院名、字间留空的“出 院 记 录”、三行信息：姓名/性别/年龄/职业，"
        "科别/病区/床号/住院号，带前导零中文入出院日期与实住天数），入院情况与诊疗经过为长段落（病史、生命体征、"
        "检查与治疗，含数值），出院诊断为格线表（诊断类别 主要诊断/其他诊断 | 诊断名称 | ICD-10编码 | 出院情况），"
        "编号出院医嘱，页脚经治医师与记录日期",
        draw_county_boxed_icd_table,
        ("serif", "ming", "sans", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
]
