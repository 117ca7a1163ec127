"""Unseen 出院记录 families (the tenth blind set, stop 43).

`letterhead_logo_watermark`: a 出院记录 a city hospital prints on its own letterhead paper (the sheets its
print room orders pre-printed in the hospital's colour): at the top the hospital's round emblem at the left
and its name large in that colour with its own rule under it, at the foot a coloured rule over the
hospital's address, postcode, switchboard and web address; behind the whole text, in the middle of the
sheet, the same emblem very large and very faint (the paper's watermark print). The record printed on it
in black: the title, the particulars as label：value runs on two lines (姓名, 性别, 年龄, 科室, 床号,
住院号), 入院时间 and 出院时间 with the hour in Chinese, the date without zeros (2025年6月3日 14时30分),
住院天数 as N天, the diagnoses, 入院情况 / 诊疗经过 / 出院情况 / 出院医嘱 and 主管医师 with 记录日期 at the
foot.

`carbon_grid_short_years`: a county hospital's 出院小结 struck by the ward's dot-matrix printer on two-part
carbonless continuous paper, of which the patient's copy (the second part, pale yellow, 第二联 病人存查 down
its edge) reaches the office: every character made of dots, in the faint blue of the copy's coating,
stronger where the head struck harder, the sprocket strips torn off along ragged perforations. The
particulars in a ruled grid of two rows, each cell a key：value (姓名 | 性别 | 年龄 | 住院号; 科别 | 床号 |
入院/出院日期 | 住院天数), admission and discharge in ONE cell separated by a slash and with two-digit years
(入院/出院日期：25-6-3/25-6-15), then 入院诊断 and 出院诊断, the short 入院情况 / 诊疗经过 / 出院情况 / 出院医嘱
paragraphs, the doctor's signature written on the original and come through in blue, and 记录日期 with the
two-digit year too."""

from __future__ import annotations

import datetime as dt
import random
import zlib

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import font
from synth.documents import ADVICE, COURSE, Rendered, _paragraph, discharge_fields
from synth.families.common import HANGING, FacedPage, Family, Look


def _wrap(s: FacedPage, x: float, y: float, width: float, text: str, size: float, leading: float) -> float:
    return _paragraph(s, x, y, width, text, size, leading, face=s.face, hanging=HANGING)


def _admission(rng: random.Random, diagnosis: str) -> str:
    return (
        f"患者因“{diagnosis}”相关症状{rng.randint(2, 15)}天入院。入院查体：脉搏{rng.randint(62, 102)}次/分，"
        f"血压{rng.randint(110, 150)}/{rng.randint(64, 92)}mmHg，神志清，精神可。"
    )


# ---------------------------------------------------------------------------------------------
# On the hospital's letterhead, its emblem faint behind the text

COLOURS = ((22, 74, 150), (0, 110, 96), (150, 30, 50))


def emblem(px: int, colour: tuple[int, int, int], alpha: int = 255) -> Image.Image:
    """A hospital's round emblem (never a real one): a double ring, a cross in the middle, two leaves."""
    img = Image.new("RGBA", (px, px), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c = (*colour, alpha)
    ring = max(2, px // 22)
    d.ellipse([ring, ring, px - ring, px - ring], outline=c, width=ring)
    d.ellipse([px * 0.12, px * 0.12, px * 0.88, px * 0.88], outline=c, width=max(1, ring // 2))
    arm, half = px * 0.36, px * 0.08
    d.rectangle([px / 2 - half, px / 2 - arm, px / 2 + half, px / 2 + arm], fill=c)
    d.rectangle([px / 2 - arm, px / 2 - half, px / 2 + arm, px / 2 + half], fill=c)
    d.chord([px * 0.18, px * 0.55, px * 0.5, px * 0.85], 200, 20, fill=c)
    d.chord([px * 0.5, px * 0.55, px * 0.82, px * 0.85], 160, 340, fill=c)
    return img


def _hour(rng: random.Random, day: dt.date, lo: int, hi: int) -> str:
    return f"{day.year}年{day.month}月{day.day}日 {rng.randint(lo, hi)}时{rng.randint(0, 59):02d}分"


def draw_letterhead_logo_watermark(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The record on letterhead; it prints every discharge field."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    colour = rng.choice(COLOURS)
    s = FacedPage(210, 297, dpi=look.dpi, paper=(254, 254, 252), face=look.font)
    # The paper's faint emblem first, so the print lies over it.
    big = emblem(s.px(130), colour, alpha=round(rng.uniform(16, 26)))
    s.img.paste(big, (s.px(40), s.px(95)), big)
    s.image(emblem(400, colour), 20, 10, 19, 19)
    s.text(44, 16, stay.hospital, 18, font_name="serif_bold", color=colour)
    key = zlib.crc32(stay.hospital.encode("utf-8"))
    s.text(44, 25, f"医院代码：{key % 900000 + 100000}", 8, color=colour)
    s.line(20, 32, 190, 32, width=0.9, color=colour)
    s.line(20, 33.4, 190, 33.4, width=0.25, color=colour)
    title = "出院记录"
    s.text(105, 44, title, 16, font_name="sans_bold", anchor="m")
    left, right, size, leading = 24.0, 186.0, 10.5, 7.0
    y = 55.0
    for x, text in (
        (left, f"姓名：{fields['patient_name']}"),
        (left + 45, f"性别：{fields['sex']}"),
        (left + 75, f"年龄：{fields['age']}岁"),
        (left + 110, f"床号：{stay.bed}"),
    ):
        s.text(x, y, text, size)
    y += leading
    s.text(left, y, f"科室：{fields['department']}", size)
    s.text(left + 75, y, f"住院号：{fields['inpatient_number']}", size)
    y += leading
    s.text(left, y, f"入院时间：{_hour(rng, stay.admission, 8, 20)}", size)
    s.text(left + 88, y, f"出院时间：{_hour(rng, stay.discharge, 8, 16)}", size)
    y += leading
    s.text(left, y, f"住院天数：{stay.days}天", size)
    y += leading + 2
    s.text(left, y, f"入院诊断：{fields['admission_diagnosis']}", size)
    y += leading
    s.text(left, y, f"出院诊断：{fields['discharge_diagnosis']}", size)
    y += leading + 2
    for heading, text in (
        ("入院情况", _admission(rng, stay.diagnosis)),
        ("诊疗经过", rng.choice(COURSE) + "住院期间病情平稳，复查结果较前好转。"),
        ("出院情况", "患者一般情况良好，无发热，饮食睡眠可，生命体征平稳，予今日出院。"),
    ):
        s.text(left, y, f"{heading}：", size, font_name="sans_bold")
        y = _wrap(s, left, y + leading, right - left, text, size, leading) + 2
    s.text(left, y, "出院医嘱：", size, font_name="sans_bold")
    y += leading
    for i, advice in enumerate(rng.sample(ADVICE, 3), 1):
        s.text(left + 4, y, f"（{i}）{advice}", size)
        y += leading
    y += 8
    s.text(left + 92, y, f"主管医师：{fields['doctor']}", size)
    y += leading
    s.text(left + 92, y, f"记录日期：{stay.discharge.year}年{stay.discharge.month}月{stay.discharge.day}日", size)
    s.line(20, 276, 190, 276, width=0.5, color=colour)
    street = rng.choice(["解放路", "中山路", "环城西路", "人民大道"])
    s.text(
        105,
        281,
        f"地址：{street}{rng.randint(1, 300)}号  邮编：{rng.randint(310000, 319999)}  "
        f"总机：0571-{rng.randint(80000000, 89999999)}  网址：www.h{key % 10000:04d}.org.cn",
        7.5,
        anchor="m",
        color=colour,
    )
    return Rendered("discharge_record", None, [s], fields, False, title)


# ---------------------------------------------------------------------------------------------
# The blue carbonless copy of a dot-matrix print

PAPER_YELLOW = (250, 245, 218)


def _short(day: dt.date) -> str:
    """A date with a two-digit year and no zeros, as the ward's system prints it: 25-6-3."""
    return f"{day:%y}-{day.month}-{day.day}"


def _dots(ink: np.ndarray, pitch: float) -> np.ndarray:
    """The print struck as dots: the ink sampled on the head's grid, each struck cell a round dot."""
    h, w = ink.shape
    gw, gh = max(1, round(w / pitch)), max(1, round(h / pitch))
    grid = cv2.resize(ink, (gw, gh), interpolation=cv2.INTER_AREA)
    struck = (grid > 0.28).astype(np.float32)
    seeds = np.zeros((h, w), np.float32)
    ys = np.clip((np.arange(gh) + 0.5) * h / gh, 0, h - 1).astype(int)
    xs = np.clip((np.arange(gw) + 0.5) * w / gw, 0, w - 1).astype(int)
    seeds[np.ix_(ys, xs)] = struck
    r = max(1, round(pitch * 0.45))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    dots = cv2.dilate(seeds, kernel)
    return np.asarray(cv2.GaussianBlur(dots, (0, 0), max(0.5, pitch * 0.25)), np.float32)


def _carbon_copy(page: FacedPage, rng: random.Random) -> Image.Image:
    """What comes through on the second part: the print's dots in faint blue on pale yellow, the strike
    stronger in some bands than others, a little soft."""
    grey = np.asarray(page.img.convert("L")).astype(np.float32)
    ink = np.clip((250 - grey) / 220, 0, 1)
    pitch = 0.3 / 25.4 * page.dpi
    dots = _dots(ink, pitch)
    h, w = dots.shape
    ys = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    xs = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    pressure = rng.uniform(0.6, 0.75) + 0.15 * np.sin(ys * rng.uniform(6, 14) + rng.uniform(0, 6)) * (0.7 + 0.3 * xs)
    gen = np.random.default_rng(rng.randrange(2**32))
    mottle = cv2.GaussianBlur(gen.normal(0, 0.12, (h, w)).astype(np.float32), (0, 0), max(1.0, pitch))
    strength = np.clip(dots * (pressure + mottle), 0, 1)[..., None]
    paper = np.broadcast_to(np.array(PAPER_YELLOW, np.float32), (h, w, 3))
    blue = np.array([52, 70, 168], np.float32)
    out = paper * (1 - strength) + blue * strength
    return Image.fromarray(np.clip(cv2.GaussianBlur(out, (0, 0), 0.5), 0, 255).astype(np.uint8))


def _perforations(s: FacedPage, rng: random.Random) -> None:
    """The sprocket strips torn off: a ragged edge of half-torn perforations down both sides."""
    d = s.draw
    w, h = s.img.size
    step = s.px(2.0)
    for x in (s.px(3.0), w - s.px(3.0)):
        for y in range(0, h, step):
            jag = rng.randint(-s.px(0.6), s.px(0.6))
            d.line([(x + jag, y), (x + jag, y + step // 2)], fill=(222, 214, 180), width=max(1, s.px(0.3)))
    bg = (236, 236, 232)
    d.rectangle([0, 0, s.px(3.0) - s.px(0.4), h], fill=bg)
    d.rectangle([w - s.px(3.0) + s.px(0.4), 0, w, h], fill=bg)


def draw_carbon_grid_short_years(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The copy; its truth is the record's (dates ISO, though printed 25-6-3)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(216, 280, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    title = "出院小结"
    left, right, size, leading = 16.0, 200.0, 10.5, 6.8
    s.text(108, 14, stay.hospital, 14, anchor="m")
    s.text(108, 23, title, 15, font_name="sans_bold", anchor="m")
    top, row_h = 30.0, 9.0
    rows = (
        (
            f"姓名：{fields['patient_name']}",
            f"性别：{fields['sex']}",
            f"年龄：{fields['age']}岁",
            f"住院号：{fields['inpatient_number']}",
        ),
        (
            f"科别：{fields['department']}",
            f"床号：{stay.bed}",
            f"入院/出院日期：{_short(stay.admission)}/{_short(stay.discharge)}",
            f"住院天数：{stay.days}",
        ),
    )
    first = (left, left + 44, left + 72, left + 134)
    for r, cells in enumerate(rows):
        y0 = top + r * row_h
        s.rect(left, y0, right, y0 + row_h, width=0.3)
        for k, (x, text) in enumerate(zip(first, cells, strict=True)):
            if k:
                s.line(x, y0, x, y0 + row_h, width=0.3)
            s.text(x + 2, y0 + row_h / 2, text, 10)
    y = top + 2 * row_h + 7
    s.text(left, y, f"入院诊断：{fields['admission_diagnosis']}", size)
    y += leading
    s.text(left, y, f"出院诊断：{fields['discharge_diagnosis']}", size)
    y += leading + 2
    for heading, text in (
        ("入院情况", _admission(rng, stay.diagnosis)),
        ("诊疗经过", rng.choice(COURSE)),
        ("出院情况", "一般情况可，生命体征平稳，准予出院。"),
    ):
        lw = s.text(left, y, f"{heading}：", size)
        y = _wrap(s, left + lw, y, right - left - lw, text, size, leading) + 1.5
    s.text(left, y, "出院医嘱：", size)
    y += leading
    for i, advice in enumerate(rng.sample(ADVICE, 2), 1):
        s.text(left + 4, y, f"{i}.{advice}", size)
        y += leading
    y += 8
    lw = s.text(left + 100, y, "医师签名：", size)
    # The doctor signs the original; the pen's pressure comes through on the copy.
    s.text(left + 100 + lw + 1, y - 0.8, fields["doctor"], 15, font_name="kai")
    y += leading + 2
    s.text(left + 100, y, f"记录日期：{_short(stay.discharge)}", size)
    copy = FacedPage(216, 280, dpi=look.dpi, paper=PAPER_YELLOW, face=look.font)
    copy.img = _carbon_copy(s, rng)
    copy.draw = ImageDraw.Draw(copy.img)
    copy.lines = list(s.lines)
    # The form's own print on the copy: its part, down the right edge, in the form maker's red.
    label = Image.new("RGBA", (copy.px(60), copy.px(6)), (0, 0, 0, 0))
    ImageDraw.Draw(label).text(
        (0, copy.px(3)), "第二联  病人存查", font=font("sans", copy.px(4)), fill=(190, 60, 60, 230), anchor="lm"
    )
    label = label.rotate(-90, expand=True)
    copy.img.paste(label, (copy.px(205), copy.px(120)), label)
    _perforations(copy, rng)
    return Rendered("discharge_record", None, [copy], fields, False, title)


FAMILIES = [
    Family(
        "letterhead_logo_watermark",
        "discharge_record",
        "打印在医院信笺纸上的出院记录：顶部左侧院徽、院名用医院主色大字并有色线，页脚色线下为地址、邮编、总机、网址；"
        "正文背后页面中央为很大很淡的院徽底纹；黑色正文：标题，“标签：值”两行（姓名、性别、年龄、科室、床号、住院号），"
        "入院时间/出院时间带中文时分、日期无前导零（2025年6月3日 14时30分），住院天数“N天”，诊断，入院情况/诊疗经过/"
        "出院情况/出院医嘱，页脚主管医师与记录日期",
        draw_letterhead_logo_watermark,
        ("sans", "serif", "microhei"),
        (160, 280),
        ("scan", "photo"),
    ),
    Family(
        "carbon_grid_short_years",
        "discharge_record",
        "县医院病房针式打印机在两联无碳复写连续纸上打出的出院小结，交来的是第二联（淡黄纸、边上“第二联 病人存查”）："
        "字由点阵组成、复写层的淡蓝色，击打力度不匀，撕掉链轮孔边留下参差的齿孔；表头为两行格子、每格“键：值”"
        "（姓名|性别|年龄|住院号；科别|床号|入院/出院日期|住院天数），入院与出院日期同一格用斜线分开且两位年份"
        "（入院/出院日期：25-6-3/25-6-15），入院诊断、出院诊断，简短入院情况/诊疗经过/出院情况/出院医嘱，医师在原件上"
        "的签名复写成蓝色，记录日期也是两位年份",
        draw_carbon_grid_short_years,
        ("sans", "hei", "microhei"),
        (200, 300),
        ("scan", "photo"),
    ),
]
