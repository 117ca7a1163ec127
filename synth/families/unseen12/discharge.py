"""Unseen 出院记录 families (the twelfth blind set, stop 45).

`barcode_footer_two_pages`: a city hospital's EMR prints its 出院记录 on two A4 pages, each with a footer
of its own: a barcode of the 住院号 with the number under it, the 病案号 (another number, the record
room's) and 第1页/共2页. The particulars are a ruled grid of key：value cells, two rows of four (姓名, 性别,
年龄, 科别; 病区, 床号, 住院号, 住院天数 as 12天), and under the grid the times to the minute the Chinese
way, 入院时间：2025年06月03日14时30分 and 出院时间：2025年06月15日09时10分. The text runs on from the first
page to the second wherever the page ends (入院情况, 入院诊断, 辅助检查, 诊疗经过, 出院诊断, 出院情况, 出院医嘱,
a small 出院带药 table, a 随访计划; a record short enough for one page breaks before its 出院医嘱), and the
record ends with 主治医师：… and 记录时间.

`spaced_title_hand_signed`: a county hospital's one-page 出院记录 under a letter-spaced title (出 院 记 录),
with the hospital's QR code at the top right over 扫码查看电子病历; the particulars as free lines
(姓名：… 性别：… 年龄：…岁 科别：… 床号：…床, then 住院号：…, then 入院日期：2025年6月3日 出院日期：2025年6月15日
共住院12天: dates without zeros, the stay as a phrase and no label), the diagnoses numbered (1.…), and at the
foot a ruled 医师签名 box in which the doctor signed by hand in blue ballpoint, the day written under it by
hand too."""

from __future__ import annotations

import datetime as dt
import random

from synth.build import Context
from synth.documents import ADVICE, COURSE, Rendered, discharge_fields
from synth.families.common import INK_BLUE, FacedPage, Family, Look, broken_lines, date_text, qr_code


def _admission(rng: random.Random, diagnosis: str) -> str:
    return (
        f"患者因“{diagnosis}”相关症状{rng.randint(2, 20)}天来院就诊，门诊拟“{diagnosis}”收住入院。入院时神志清，"
        f"精神软，体温{rng.randint(362, 392) / 10}℃，脉搏{rng.randint(64, 108)}次/分，血压{rng.randint(110, 150)}/"
        f"{rng.randint(64, 94)}mmHg。"
    )


def _tests(rng: random.Random) -> str:
    return (
        f"血常规：白细胞{rng.randint(40, 160) / 10}×10^9/L，中性粒细胞{rng.randint(50, 88)}%，血红蛋白"
        f"{rng.randint(105, 160)}g/L；C反应蛋白{rng.randint(2, 90)}mg/L；肝肾功能、电解质未见明显异常。"
    )


def _clock(rng: random.Random, lo: int, hi: int) -> str:
    return f"{rng.randint(lo, hi):02d}时{rng.randint(0, 59):02d}分"


def _barcode(s: FacedPage, x: float, y: float, width: float, height: float, rng: random.Random) -> None:
    """A linear barcode's look (bars of one to three modules), never decodable, never data."""
    at = x
    while at < x + width:
        bar = rng.choice([0.25, 0.25, 0.5, 0.75])
        s.rect(at, y, at + bar, y + height, width=0.01, fill=(20, 20, 24), color=(20, 20, 24))
        at += bar + rng.choice([0.25, 0.5, 0.5, 0.75])


# ---------------------------------------------------------------------------------------------
# Two EMR pages with a barcode footer

TOP_NEXT = 22.0  # where the text resumes on the second page
BOTTOM = 262.0


def draw_barcode_footer_two_pages(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The record on two pages; it prints every discharge field."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    pages = [FacedPage(210, 297, dpi=look.dpi, paper=(253, 253, 252), face=look.font) for _ in range(2)]
    s = pages[0]
    left, right = 20.0, 190.0
    s.text(105, 16, stay.hospital, 15, font_name="serif_bold", anchor="m")
    s.text(105, 25, "出院记录", 15, font_name="sans_bold", anchor="m")
    cells = (
        (
            ("姓名", fields["patient_name"]),
            ("性别", fields["sex"]),
            ("年龄", f"{fields['age']}岁"),
            ("科别", stay.department),
        ),
        (
            ("病区", f"{rng.choice('一二三四五六七八九')}病区"),
            ("床号", stay.bed),
            ("住院号", fields["inpatient_number"]),
            ("住院天数", f"{fields['days_in_hospital']}天"),
        ),
    )
    top, row_h = 32.0, 8.0
    widths = (40, 28, 46, 56)
    for r, row in enumerate(cells):
        y0 = top + r * row_h
        x = left
        for (label, value), wd in zip(row, widths, strict=True):
            s.rect(x, y0, x + wd, y0 + row_h, width=0.3)
            s.text(x + 1.8, y0 + row_h / 2, f"{label}：{value}", 9.5)
            x += wd
    y = top + 2 * row_h + 7
    size, leading = 10.5, 7.8
    s.text(left, y, f"入院时间：{date_text(stay.admission, 'cn')}{_clock(rng, 7, 22)}", size)
    s.text(left + 88, y, f"出院时间：{date_text(stay.discharge, 'cn')}{_clock(rng, 8, 16)}", size)
    y += 4
    s.line(left, y, right, y, width=0.5)
    # The text as lines (x, text, size, face, space before), laid on page after page.
    flow: list[tuple[float, str, float, str, float]] = []

    def section(head: str, text: str) -> None:
        rows = broken_lines(text, right - left - len(head) * 3.8 - 2, size, look.font)
        flow.append((left, f"{head}：{rows[0]}", size, "sans", 3.0))
        for row in rows[1:]:
            flow.append((left + len(head) * 3.8 + 2, row, size, "sans", 0.0))

    section("入院情况", _admission(rng, stay.diagnosis))
    section("入院诊断", f"1.{fields['admission_diagnosis']}")
    section("辅助检查", _tests(rng))
    section(
        "特殊检查",
        f"心电图：窦性心律，{rng.choice(['大致正常心电图', 'ST-T改变', '偶发房性早搏'])}；"
        f"腹部彩超：{rng.choice(['肝胆胰脾未见明显异常', '脂肪肝', '胆囊壁毛糙'])}；"
        f"胸部CT：{rng.choice(['两肺纹理增多', '右下肺少许炎症', '未见明显异常'])}。",
    )
    first, then = rng.sample(COURSE, 2)
    course = first + "住院期间每日查房，根据病情调整治疗方案，" + then
    section("诊疗经过", course + "患者症状逐渐缓解，一般情况好转，经上级医师同意，准予出院。")
    section("出院诊断", f"1.{fields['discharge_diagnosis']}")
    section("出院情况", "患者神志清，精神可，无发热，饮食睡眠正常，二便无殊，生命体征平稳。")
    flow.append((left, "出院医嘱：", size, "sans", 3.0))
    for i, item in enumerate(rng.sample(ADVICE, 3), 1):
        flow.append((left + 8, f"{i}.{item}", size, "sans", 0.0))
    flow.append((left, "出院带药：", size, "sans", 3.0))
    for drug, spec, use in rng.sample(
        [
            ("阿托伐他汀钙片", "20mg*7片", "口服 每晚一次 一次一片"),
            ("奥美拉唑肠溶胶囊", "20mg*14粒", "口服 每日一次 一次一粒"),
            ("头孢克肟分散片", "0.1g*6片", "口服 每日两次 一次一片"),
            ("复方甘草片", "100片", "口服 每日三次 一次两片"),
        ],
        3,
    ):
        flow.append((left + 8, f"{drug}  {spec}  {use}", size, "sans", 0.0))
    section(
        "随访计划",
        f"出院后{rng.choice(['一周', '两周', '一个月'])}于{stay.department}门诊复诊，复查血常规、肝肾功能；如出现发热、"
        "腹痛、胸闷等不适，及时就近就诊。",
    )
    flow.append((left + 95, f"主治医师：{fields['doctor']}", size, "sans", 9.0))
    recorded = stay.discharge
    flow.append((left + 95, f"记录时间：{date_text(recorded, 'cn')}{_clock(rng, 9, 17)}", size, "sans", 0.0))
    # The text runs on to the second page where the first ends; a record short enough for one page is
    # broken before its 出院医嘱, as the template starts them on a page of their own.
    start = y
    fits = start + sum(gap + leading for _, _, _, _, gap in flow) <= BOTTOM
    advice = next(i for i, item in enumerate(flow) if item[1] == "出院医嘱：")
    page = 0
    for i, (x, text, sz, face, gap) in enumerate(flow):
        y += gap + leading
        if y > BOTTOM or (fits and i == advice):
            page += 1
            y = TOP_NEXT + leading
        pages[page].text(x, y, text, sz, font_name=face)
    chart = f"{rng.randint(100000, 999999)}"
    for p, s in enumerate(pages):
        s.line(left, 270, right, 270, width=0.3)
        _barcode(s, left, 273, 40, 8, rng)
        s.text(left, 284, fields["inpatient_number"], 8)
        s.text(left + 62, 278, f"病案号：{chart}", 9)
        s.text(right, 278, f"第{p + 1}页/共{len(pages)}页", 9, anchor="r")
    return Rendered("discharge_record", None, list(pages), fields, False, "出院记录")


# ---------------------------------------------------------------------------------------------
# A spaced title, a QR code and a signature by hand


def draw_spaced_title_hand_signed(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The one-page record; it prints every discharge field (the doctor's name only by hand)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, paper=(252, 252, 249), face=look.font)
    left, right = 18.0, 192.0
    s.text(92, 17, stay.hospital, 14, font_name="serif_bold", anchor="m")
    s.text(92, 28, "出  院  记  录", 17, font_name="serif_bold", anchor="m")
    s.image(qr_code(rng), right - 22, 8, 20, 20)
    s.text(right - 12, 31, "扫码查看电子病历", 6.5, anchor="m")
    size, leading = 10.5, 7.2
    y = 42.0
    s.text(left, y, f"姓名：{fields['patient_name']}", size)
    s.text(left + 36, y, f"性别：{fields['sex']}", size)
    s.text(left + 62, y, f"年龄：{fields['age']}岁", size)
    s.text(left + 92, y, f"科别：{stay.department}", size)
    s.text(left + 140, y, f"床号：{stay.bed}床", size)
    y += leading
    s.text(left, y, f"住院号：{fields['inpatient_number']}", size)
    y += leading
    adm, dis = date_text(stay.admission, "cn_short"), date_text(stay.discharge, "cn_short")
    s.text(left, y, f"入院日期：{adm}", size)
    s.text(left + 62, y, f"出院日期：{dis}", size)
    s.text(left + 124, y, f"共住院{fields['days_in_hospital']}天", size)
    y += 4
    s.line(left, y, right, y, width=0.6)
    s.line(left, y + 1, right, y + 1, width=0.2)
    width = right - left - 4

    def block(head: str, text: str) -> None:
        nonlocal y
        y += leading + 1.5
        s.text(left, y, f"{head}：", size, font_name="sans_bold")
        for row in broken_lines(text, width, size, look.font):
            y += leading
            s.text(left + 4, y, row, size)

    block("入院情况", _admission(rng, stay.diagnosis))
    y += leading + 1.5
    s.text(left, y, f"入院诊断：1.{fields['admission_diagnosis']}", size)
    block("诊疗经过", rng.choice(COURSE) + "住院期间病情平稳，无不良反应。")
    y += leading + 1.5
    s.text(left, y, f"出院诊断：1.{fields['discharge_diagnosis']}", size)
    block("出院情况", "患者无发热，无明显不适，饮食睡眠可，查体未见明显异常，予以出院。")
    y += leading + 1.5
    s.text(left, y, "出院医嘱：", size, font_name="sans_bold")
    for i, item in enumerate(rng.sample(ADVICE, 3), 1):
        y += leading
        s.text(left + 4, y, f"{i}.{item}", size)
    # The signature box at the foot, signed and dated by hand.
    box_top = max(y + 14, 232.0)
    bx0, bx1 = right - 78, right
    s.rect(bx0, box_top, bx1, box_top + 24, width=0.35)
    s.line(bx0 + 22, box_top, bx0 + 22, box_top + 24, width=0.3)
    s.text(bx0 + 11, box_top + 12, "医师签名", 10, anchor="m")
    s.text(
        bx0 + 28 + rng.uniform(0, 6),
        box_top + 9 + rng.uniform(-1, 1),
        fields["doctor"],
        17,
        font_name="kai",
        color=INK_BLUE,
    )
    signed = stay.discharge + dt.timedelta(days=rng.choice([0, 0, 1]))
    s.text(
        bx0 + 30 + rng.uniform(0, 4),
        box_top + 18.5 + rng.uniform(-0.6, 0.6),
        f"{signed.year}.{signed.month}.{signed.day}",
        11,
        font_name="kai",
        color=INK_BLUE,
    )
    s.text(left, box_top + 34, "注：本记录为电子病历打印件，经医师手签后有效。", 8, color=(90, 90, 90))
    return Rendered("discharge_record", None, [s], fields, False, "出院记录")


FAMILIES = [
    Family(
        "barcode_footer_two_pages",
        "discharge_record",
        "市级医院电子病历打印在两张 A4 上的出院记录，每页页脚自带住院号条码（下印号码）、病案号（病案室的另一号码）与"
        "“第1页/共2页”；基本信息为“键：值”格线表两行各四格（姓名"
        "、性别、年龄、科别；病区、床号、住院号、住院天数“12天”），"
        "其下入院/出院时间精确到分、按中文写“2025年06月03日14"
        "时30分”；正文在第一页末尾处接续到第二页（入院情况、入院诊断、"
        "辅助检查、诊疗经过、出院诊断、出院情况、出院医嘱、出院带药小表），末尾“主治医师：…”与记录时间",
        draw_barcode_footer_two_pages,
        ("sans", "serif", "hei"),
        (170, 300),
        ("scan", "photocopy"),
    ),
    Family(
        "spaced_title_hand_signed",
        "discharge_record",
        "县级医院一页出院记录，标题字距拉开（出 院 记 录），右上角"
        "医院二维码下印“扫码查看电子病历”；基本信息为自由行（姓名、"
        "性别、年龄…岁、科别、床号…床；住院号；入院日期“2025年6月3日”、出院日期无前导零，“共住院12天”为短语无标签），"
        "诊断编号（1.…），页脚格线“医师签名”框内医师用蓝色圆珠笔手签，下面手写日期",
        draw_spaced_title_hand_signed,
        ("serif", "sans", "microhei"),
        (160, 300),
        ("scan", "photo"),
    ),
]
