"""Unseen 出院记录 families (the eleventh blind set, stop 44).

`tablet_dark_mode_photo`: a 出院小结 the patient opened in the hospital's app on a tablet set to dark mode
and photographed with a phone, as people do who cannot print: the tablet's black bezel and dark body on
a table, the screen seen a little aslant (turned a few degrees, its far edge shorter), the room's lamp
and a window reflected as soft bright patches on the dark glass. The screen: a status bar (time, battery),
an app bar with a back arrow and 出院小结, then dark-grey cards of light text: the hospital's name in the
app's accent colour; a grid of small grey labels each OVER its value (姓名, 性别, 年龄; 科室, 床号, 住院号;
入院时间, 出院时间 as 2025-06-03 09:12, 住院天数 as 12天); 入院诊断 and 出院诊断 the same way; the
入院情况 / 诊疗经过 / 出院情况 paragraphs under accent headings; the 出院医嘱 numbered; and the signing line
主治医师：… with 签署时间：….

`bilingual_discharge_summary`: the 出院小结 of a hospital's international medical department, printed
with every label in Chinese and English (姓名 Name：, 入院日期 Admission Date：2025/06/03, 住院天数 Length of
Stay：12天, 出院诊断 Discharge Diagnosis：…), the title 出院小结 over DISCHARGE SUMMARY, the department's
English name under the hospital's, the particulars as two columns of label：value lines between rules,
the sections under bilingual headings (诊疗经过 Hospital Course …), and 主治医师 Attending Physician：…
with 日期 Date：… at the foot."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.documents import ADVICE, COURSE, Rendered, _paragraph, discharge_fields
from synth.families.common import HANGING, FacedPage, Family, Look, broken_lines, date_text, moved_lines


def _admission(rng: random.Random, diagnosis: str) -> str:
    return (
        f"患者因“{diagnosis}”相关症状{rng.randint(2, 15)}天入院。查体：体温{rng.randint(362, 389) / 10}℃，"
        f"心率{rng.randint(62, 104)}次/分，神志清楚，精神尚可。"
    )


# ---------------------------------------------------------------------------------------------
# A tablet in dark mode, photographed

SCREEN_MM = (156.0, 222.0)
BEZEL_MM = 9.0
FRAME_MM = (214.0, 286.0)
BG = (28, 29, 33)
CARD = (44, 46, 52)
TEXT = (232, 233, 236)
GREY = (150, 154, 162)
ACCENTS = ((96, 170, 255), (80, 200, 170), (255, 170, 90))


def _screen(ctx: Context, fields: dict[str, str], look: Look, dpi: int) -> FacedPage:
    rng, stay = ctx.rng, ctx.stay
    w, h = SCREEN_MM
    s = FacedPage(w, h, dpi=dpi, paper=BG, face=look.font)
    accent = rng.choice(ACCENTS)
    s.text(6, 4, f"{rng.randint(8, 21)}:{rng.randint(0, 59):02d}", 6.5, color=TEXT)
    s.text(w - 6, 4, f"{rng.randint(20, 99)}%", 6.5, color=TEXT, anchor="r")
    s.text(7, 13, "‹", 16, color=TEXT, record=False)
    s.text(w / 2, 13, "出院小结", 11, font_name="sans_bold", color=TEXT, anchor="m")
    s.text(w - 7, 13, "分享", 8.5, color=accent, anchor="r")
    left, right = 6.0, w - 6
    y = 21.0
    s.rect(left, y, right, y + 14, width=0.01, color=CARD, fill=CARD)
    s.text(left + 4, y + 5, stay.hospital, 10.5, font_name="sans_bold", color=accent)
    s.text(left + 4, y + 10.5, f"住院号：{fields['inpatient_number']}", 7.5, color=GREY)
    y += 17
    cells = (
        (("姓名", fields["patient_name"]), ("性别", fields["sex"]), ("年龄", f"{fields['age']}岁")),
        (("科室", fields["department"]), ("床号", f"{stay.bed}床"), ("住院天数", f"{fields['days_in_hospital']}天")),
        (
            ("入院时间", f"{fields['admission_date']} {rng.randint(7, 20):02d}:{rng.randint(0, 59):02d}"),
            ("出院时间", f"{fields['discharge_date']} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"),
        ),
    )
    grid_h = len(cells) * 11 + 3
    s.rect(left, y, right, y + grid_h, width=0.01, color=CARD, fill=CARD)
    col = (right - left - 8) / 3
    for r, row in enumerate(cells):
        for k, (label, value) in enumerate(row):
            x = left + 4 + k * col * (1.5 if len(row) == 2 else 1)
            s.text(x, y + 4 + r * 11, label, 7, color=GREY)
            s.text(x, y + 8.5 + r * 11, value, 9, color=TEXT)
    y += grid_h + 3
    s.rect(left, y, right, y + 24, width=0.01, color=CARD, fill=CARD)
    for k, (label, key) in enumerate((("入院诊断", "admission_diagnosis"), ("出院诊断", "discharge_diagnosis"))):
        s.text(left + 4, y + 4 + k * 11, label, 7, color=GREY)
        s.text(left + 4, y + 8.5 + k * 11, fields[key], 9, color=TEXT)
    y += 27
    size, leading = 8.5, 5.2
    sections = (
        ("入院情况", _admission(rng, stay.diagnosis)),
        ("诊疗经过", rng.choice(COURSE) + "住院期间无不良反应，复查相关指标好转。"),
        ("出院情况", "患者一般情况可，无发热，饮食睡眠可，生命体征平稳，予以出院。"),
    )
    for heading, text in sections:
        rows = broken_lines(text, right - left - 8, size, look.font)
        bottom = y + 10 + len(rows) * leading
        s.rect(left, y, right, bottom, width=0.01, color=CARD, fill=CARD)
        s.text(left + 4, y + 4.5, heading, 8.5, font_name="sans_bold", color=accent)
        for i, text_row in enumerate(rows):
            s.text(left + 4, y + 10 + i * leading, text_row, size, color=TEXT)
        y = bottom + 3
    top = y
    advice = rng.sample(ADVICE, 3)
    s.rect(left, top, right, top + 9 + 5.2 * len(advice), width=0.01, color=CARD, fill=CARD)
    s.text(left + 4, top + 4.5, "出院医嘱", 8.5, font_name="sans_bold", color=accent)
    for i, item in enumerate(advice, 1):
        s.text(left + 4, top + 10 + (i - 1) * 5.2, f"{i}. {item}", size, color=TEXT)
    y = top + 9 + 5.2 * len(advice) + 4
    s.rect(left, y, right, y + 12, width=0.01, color=CARD, fill=CARD)
    s.text(left + 4, y + 4, f"主治医师：{fields['doctor']}", 8.5, color=TEXT)
    s.text(
        left + 4,
        y + 8.8,
        f"签署时间：{fields['discharge_date']} {rng.randint(14, 18)}:{rng.randint(0, 59):02d}",
        7.5,
        color=GREY,
    )
    return s


def _reflections(h: int, w: int, rng: random.Random) -> np.ndarray:
    """What the dark glass mirrors (0..1): a lamp's soft round patch and a window's pale rectangle."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    lamp = np.exp(
        -(((xs - rng.uniform(0.2, 0.8) * w) / (rng.uniform(0.08, 0.14) * w)) ** 2)
        - ((ys - rng.uniform(0.1, 0.5) * h) / (rng.uniform(0.06, 0.1) * h)) ** 2
    )
    window: np.ndarray = np.zeros((h, w), np.float32)
    x0, y0 = rng.uniform(0.0, 0.5) * w, rng.uniform(0.3, 0.7) * h
    cv2.rectangle(window, (int(x0), int(y0)), (int(x0 + 0.45 * w), int(y0 + 0.25 * h)), 1.0, -1)
    window = cv2.GaussianBlur(window, (0, 0), w / 40)
    out: np.ndarray = 0.55 * lamp + rng.uniform(0.12, 0.2) * window
    return out


def draw_tablet_dark_mode_photo(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The photo of the tablet; the truth is the record's, its lines where the screen shows them."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    screen = _screen(ctx, fields, look, look.dpi)
    photo = FacedPage(*FRAME_MM, dpi=look.dpi, face=look.font)
    fw, fh = photo.img.size
    pxm = fw / FRAME_MM[0]
    # The device: the screen inside a black bezel.
    sw, sh = screen.img.size
    bz = round(BEZEL_MM * pxm)
    device = np.full((sh + 2 * bz, sw + 2 * bz, 3), (16, 16, 18), np.float32)
    device[bz : bz + sh, bz : bz + sw] = np.asarray(screen.img).astype(np.float32)
    dh, dw = device.shape[:2]
    glare = _reflections(sh, sw, rng)
    device[bz : bz + sh, bz : bz + sw] += 200 * glare[..., None]
    # Seen a little aslant: turned, the far (top) edge shorter.
    cx, cy = fw / 2 + rng.uniform(-0.03, 0.03) * fw, fh / 2 + rng.uniform(-0.02, 0.03) * fh
    scale = min(fw / dw, fh / dh) * rng.uniform(0.86, 0.92)
    hw, hh = dw * scale / 2, dh * scale / 2
    narrow = rng.uniform(0.03, 0.07) * hw
    local = np.array([[-hw + narrow, -hh], [hw - narrow, -hh], [hw, hh], [-hw, hh]], np.float32)
    a = math.radians(rng.uniform(-6, 6))
    turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    corners = (local @ turn.T + np.array([cx, cy], np.float32)).astype(np.float32)
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float32), corners)
    table = np.array(rng.choice([(176, 150, 118), (196, 196, 190), (120, 98, 80)]), np.float32)
    gen = np.random.default_rng(rng.randrange(2**32))
    grain = cv2.GaussianBlur(gen.normal(0, 5, (fh, fw)).astype(np.float32), (0, 0), 2)
    out: np.ndarray = table[None, None, :] + grain[..., None]
    mask = Image.new("L", (dw, dh), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, dw - 1, dh - 1], radius=round(7 * pxm), fill=255)
    alpha = cv2.warpPerspective(np.asarray(mask, np.float32) / 255, m, (fw, fh), flags=cv2.INTER_LINEAR)
    shadow = np.roll(cv2.GaussianBlur(alpha, (0, 0), 3 * pxm), (round(2 * pxm), round(1.5 * pxm)), (0, 1))
    out = out * (1 - 0.35 * shadow[..., None])
    warped = cv2.warpPerspective(device, m, (fw, fh), flags=cv2.INTER_AREA)
    out = out * (1 - alpha[..., None]) + warped * alpha[..., None]
    out = out * np.array(rng.choice([(1.04, 1.0, 0.92), (0.96, 1.0, 1.05)]), np.float32)
    out = cv2.GaussianBlur(out + gen.normal(0, 2.5, out.shape), (0, 0), rng.uniform(0.5, 0.8))
    photo.img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    photo.draw = ImageDraw.Draw(photo.img)
    # Screen lines (mm on the screen) to device pixels, then through the warp.
    shifted = [
        type(ln)(ln.text, (ln.box[0] + BEZEL_MM, ln.box[1] + BEZEL_MM, ln.box[2] + BEZEL_MM, ln.box[3] + BEZEL_MM))
        for ln in screen.lines
    ]
    photo.lines = moved_lines(shifted, m, pxm, pxm)
    return Rendered("discharge_record", None, [photo], fields, False, "出院小结")


# ---------------------------------------------------------------------------------------------
# Chinese and English labels

RULE = (40, 70, 120)


def draw_bilingual_discharge_summary(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The bilingual summary; it prints every discharge field."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, paper=(253, 253, 252), face=look.font)
    left, right = 20.0, 190.0
    s.text(105, 16, stay.hospital, 15, font_name="serif_bold", anchor="m")
    s.text(105, 23, "国际医疗部  International Medical Center", 9, anchor="m", color=RULE)
    s.text(105, 33, "出院小结", 15, font_name="sans_bold", anchor="m")
    s.text(105, 40, "DISCHARGE SUMMARY", 10, anchor="m")
    s.line(left, 45, right, 45, width=0.6, color=RULE)
    size, leading = 9.5, 6.6
    pairs = (
        ((f"姓名 Name：{fields['patient_name']}"), (f"性别 Sex：{fields['sex']}")),
        ((f"年龄 Age：{fields['age']}岁"), (f"科室 Department：{fields['department']}")),
        ((f"床号 Bed No.：{stay.bed}"), (f"住院号 Inpatient No.：{fields['inpatient_number']}")),
        (
            (f"入院日期 Admission Date：{date_text(stay.admission, 'slash')}"),
            (f"出院日期 Discharge Date：{date_text(stay.discharge, 'slash')}"),
        ),
    )
    y = 51.0
    for a, b in pairs:
        s.text(left, y, a, size)
        s.text(left + 88, y, b, size)
        y += leading
    s.text(left, y, f"住院天数 Length of Stay：{fields['days_in_hospital']}天", size)
    y += leading - 2
    s.line(left, y, right, y, width=0.3, color=RULE)
    y += 6
    s.text(left, y, f"入院诊断 Admitting Diagnosis：{fields['admission_diagnosis']}", size)
    y += leading
    s.text(left, y, f"出院诊断 Discharge Diagnosis：{fields['discharge_diagnosis']}", size)
    y += leading + 2
    sections = (
        ("入院情况 Condition on Admission", _admission(rng, stay.diagnosis)),
        ("诊疗经过 Hospital Course", rng.choice(COURSE) + "住院期间病情平稳。"),
        ("出院情况 Condition at Discharge", "患者一般情况良好，生命体征平稳，准予出院。"),
    )
    for heading, text in sections:
        s.text(left, y, heading, size, font_name="sans_bold")
        y = _paragraph(s, left + 3, y + leading, right - left - 3, text, size, leading, face=s.face, hanging=HANGING)
        y += 2
    s.text(left, y, "出院医嘱 Discharge Instructions", size, font_name="sans_bold")
    y += leading
    for i, item in enumerate(rng.sample(ADVICE, 3), 1):
        s.text(left + 3, y, f"{i}. {item}", size)
        y += leading
    y += 10
    s.line(left, y - 5, right, y - 5, width=0.3, color=RULE)
    s.text(left + 80, y, f"主治医师 Attending Physician：{fields['doctor']}", size)
    y += leading
    s.text(left + 80, y, f"日期 Date：{date_text(stay.discharge, 'slash')}", size)
    s.text(105, 284, "Page 1 of 1", 8, anchor="m", color=(110, 110, 110))
    return Rendered("discharge_record", None, [s], fields, False, "出院小结")


FAMILIES = [
    Family(
        "tablet_dark_mode_photo",
        "discharge_record",
        "患者在医院 App 里用平板（深色模式）打开出院小结、再用手机对着平板拍下：黑色边框的平板放在桌上，屏幕略斜（转"
        "几度、"
        "远边略短），台灯与窗户在深色玻璃上映出柔和亮斑；屏幕内容：状态栏（时间、电量）、带返回箭头的“出院小结”标题栏，"
        "深灰卡片上浅色字：主题色院名，小号灰色标签在上、数值在下的格子（姓名、性别、年龄；科室、床号、住院天数“12天”；"
        "入院时间/出院时间“2025-06-03 09:12”），入院诊断与出院诊断同样上下排，主题色小标题下入院情况/诊疗经过/出院情"
        "况段落，"
        "编号出院医嘱，“主治医师：…”与“签署时间：…”",
        draw_tablet_dark_mode_photo,
        ("sans", "microhei", "hei"),
        (150, 220),
        ("clean",),
    ),
    Family(
        "bilingual_discharge_summary",
        "discharge_record",
        "医院国际医疗部打印的中英双语出院小结：每个标签中英并列（姓名 Name：、入院日期 Admission Date：2025/06/03、"
        "住院天数 Length of Stay：12天、出院诊断 Discharge Diagnosis：…），标题“出院小结”下有 DISCHARGE SUMMARY，院名"
        "下为"
        "部门英文名，信息为两栏“标签：值”行、上下有色线，各节双语小标题（诊疗经过 Hospital Course…），页脚“主治医师 "
        "Attending Physician：…”与“日期 Date：…”",
        draw_bilingual_discharge_summary,
        ("serif", "sans", "microhei"),
        (160, 300),
        ("scan", "photo"),
    ),
]
