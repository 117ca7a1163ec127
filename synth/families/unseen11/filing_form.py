"""Unseen 异地就医备案 family (the eleventh blind set, stop 44).

`ward_label_sticker`: a 跨省异地急诊住院补办备案表 the treating hospital's 医保办 fills in for a patient from
another province admitted through its emergency department without a filing: the patient's particulars
not typed but stuck on, the ward's label printer's sticker (a small white thermal label with a barcode,
姓名 性别 年龄 on one line with no labels, 住院号, 科室 and 床号) pressed into the box 患者信息（粘贴病人标签）,
a few degrees askew, its edges casting a thin shadow and its gloss catching a little light. The rest typed
into a ruled table with a label column (身份证号码, 联系电话, 参保地, 参保类别 beside the sticker; 就医地,
急诊入院日期 as 2025年6月3日 without zeros, 入院诊断, 备案类别 under it), a 情况说明, the applicant's 承诺
with the name, 与患者关系 and the day written by hand, the 医保办's 核实意见 with the clerk's signature and
the hospital's seal, and the 参保地经办机构意见 box left empty (the form is handed in for filing)."""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import PrintedLine, seal_image
from synth.documents import DESTINATIONS, Rendered, _age, filing_fields
from synth.families.common import INK_BLUE, FacedPage, Family, Look
from synth.people import make_name

TARGETS = {
    "浙江省杭州市": "浙江大学医学院附属第一医院",
    "海南省三亚市": "三亚中心医院",
    "广东省深圳市": "北京大学深圳医院",
    "江苏省苏州市": "苏州大学附属第一医院",
    "云南省昆明市": "昆明医科大学第一附属医院",
    "上海市": "复旦大学附属中山医院",
}
LABEL_MM = (56.0, 32.0)


def _sticker(ctx: Context, dpi: int, face: str) -> FacedPage:
    """The ward's patient label: thermal print on white, a barcode over three short lines."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    w, h = LABEL_MM
    s = FacedPage(w, h, dpi=dpi, paper=(250, 250, 248), face=face)
    ink = (48, 48, 52)
    x = 3.0
    while x < w - 3:
        bar = rng.choice([0.25, 0.25, 0.5, 0.75])
        s.rect(x, 2.5, x + bar, 10, width=0.01, color=ink, fill=ink)
        x += bar + rng.choice([0.25, 0.5, 0.5, 0.75])
    s.text(3, 15, f"{person.name}  {person.sex}  {_age(person.birth, stay.admission)}岁", 10, color=ink)
    s.text(3, 21.5, f"住院号：{stay.inpatient_number}", 8, color=ink)
    s.text(3, 27, f"{stay.department}  {stay.bed}床", 8, color=ink)
    return s


def _stick(
    s: FacedPage, label: FacedPage, at: tuple[float, float], angle: float, rng: random.Random
) -> list[PrintedLine]:
    """Press the label onto the page at `at` (mm, its top-left before turning) turned `angle` degrees; a
    thin shadow round its edge and a faint sheen. Returns its lines where they now lie on the page."""
    pxm = s.img.width / s.width_mm
    lw, lh = round(LABEL_MM[0] * pxm), round(LABEL_MM[1] * pxm)
    img = np.asarray(label.img.resize((lw, lh))).astype(np.float32)
    xs = np.linspace(0, 1, lw, dtype=np.float32)[None, :]
    sheen = np.exp(-(((xs - rng.uniform(0.2, 0.8)) / 0.12) ** 2)) * rng.uniform(6, 14)
    img = img + np.broadcast_to(sheen[..., None], img.shape)
    m = cv2.getRotationMatrix2D((lw / 2, lh / 2), angle, 1.0)
    m[:, 2] += np.array([at[0] * pxm, at[1] * pxm])
    page = np.asarray(s.img).astype(np.float32)
    ph, pw = page.shape[:2]
    mask = Image.new("L", (lw, lh), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, lw - 1, lh - 1], radius=round(1.5 * pxm), fill=255)
    alpha = cv2.warpAffine(np.asarray(mask, np.float32) / 255, m, (pw, ph), flags=cv2.INTER_LINEAR)
    shadow = np.roll(cv2.GaussianBlur(alpha, (0, 0), 0.4 * pxm), (round(0.35 * pxm), round(0.3 * pxm)), (0, 1))
    page = page * (1 - 0.3 * np.clip(shadow - alpha, 0, 1)[..., None])
    warped = cv2.warpAffine(img, m, (pw, ph), flags=cv2.INTER_LINEAR)
    page = page * (1 - alpha[..., None]) + warped * alpha[..., None]
    s.img = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8))
    s.draw = ImageDraw.Draw(s.img)
    full = np.vstack([m, [0, 0, 1]]).astype(np.float32)
    lines = []
    for line in label.lines:
        x0, y0, x1, y1 = (v * pxm for v in line.box)
        pts = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], np.float32)
        moved = cv2.perspectiveTransform(pts, full)[0] / pxm
        lines.append(
            PrintedLine(
                line.text,
                (
                    float(moved[:, 0].min()),
                    float(moved[:, 1].min()),
                    float(moved[:, 0].max()),
                    float(moved[:, 1].max()),
                ),
            )
        )
    return lines


def draw_ward_label_sticker(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The form with the sticker on it; it prints every filing field (the name on the sticker, and again
    in the applicant's hand when the patient signs)."""
    rng, person, stay, on = ctx.rng, ctx.person, ctx.stay, ctx.on
    s = FacedPage(210, 297, dpi=look.dpi, paper=(253, 253, 251), face=look.font)
    title = "跨省异地急诊住院补办备案表"
    insured = f"{person.province}{person.city}"
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith(person.province[:2])])
    hospital = TARGETS[destination]
    start = stay.admission
    kind = "临时外出就医人员"
    left, right = 16.0, 194.0
    s.text(105, 18, title, 16, font_name="serif_bold", anchor="m")
    s.text(left, 28, f"就医医院：{hospital}", 9.5)
    s.text(right, 28, "受理号：", 9.5, anchor="r")
    # The sticker's box beside the first rows of the table.
    top = 33.0
    box_w = 66.0
    s.rect(left, top, left + box_w, top + 44, width=0.35)
    s.text(left + box_w / 2, top + 4.5, "患者信息（粘贴病人标签）", 8.5, anchor="m")
    label_col = 26.0
    rows = (
        ("身份证号码", person.id_number),
        ("联系电话", person.phone),
        ("参保地", insured),
        ("参保类别", stay.insurance_type),
    )
    x0 = left + box_w
    row_h = 11.0
    for i, (label, value) in enumerate(rows):
        y0 = top + i * row_h
        s.rect(x0, y0, right, y0 + row_h, width=0.35)
        s.line(x0 + label_col, y0, x0 + label_col, y0 + row_h, width=0.3)
        s.text(x0 + label_col / 2, y0 + row_h / 2, label, 9.5, anchor="m")
        s.text(x0 + label_col + 2.5, y0 + row_h / 2, value, 10.5)
    table = (
        ("就医地", destination),
        ("急诊入院日期", f"{start.year}年{start.month}月{start.day}日"),
        ("入院诊断", stay.diagnosis),
        ("备案类别", kind),
    )
    y = top + 44
    wide_label = 30.0
    for label, value in table:
        s.rect(left, y, right, y + row_h, width=0.35)
        s.line(left + wide_label, y, left + wide_label, y + row_h, width=0.3)
        s.text(left + wide_label / 2, y + row_h / 2, label, 9.5, anchor="m")
        s.text(left + wide_label + 3, y + row_h / 2, value, 10.5)
        y += row_h
    s.rect(left, y, right, y + 24, width=0.35)
    s.line(left + wide_label, y, left + wide_label, y + 24, width=0.3)
    s.text(left + wide_label / 2, y + 12, "情况说明", 9.5, anchor="m")
    s.text(left + wide_label + 3, y + 7, "患者在外地期间突发疾病，经本院急诊收治入院，入院时未办理", 10)
    s.text(left + wide_label + 3, y + 14, "异地就医备案，现申请补办跨省临时外出就医备案。", 10)
    y += 24
    s.rect(left, y, right, y + 30, width=0.35)
    s.text(left + 3, y + 6, "本人承诺以上情况属实，如有不实愿承担相应责任。", 10)
    lw = s.text(left + 3, y + 17, "申请人（患者或家属）签字：", 10)
    s.text(
        left + 3 + lw + 2 + rng.uniform(0, 3),
        y + 16.5 + rng.uniform(-0.8, 0.5),
        person.name,
        14,
        font_name="kai",
        color=INK_BLUE,
    )
    lw = s.text(left + 110, y + 17, "与患者关系：", 10)
    s.text(left + 110 + lw + 2, y + 16.5, "本人", 12, font_name="kai", color=INK_BLUE)
    lw = s.text(left + 110, y + 25, "日期：", 10)
    s.text(left + 110 + lw + 2, y + 24.5, f"{on.year}.{on.month}.{on.day}", 11, font_name="kai", color=INK_BLUE)
    y += 30
    s.rect(left, y, right, y + 30, width=0.35)
    s.text(left + 3, y + 5, "就医医院医保办核实意见：", 9.5)
    s.text(left + 20, y + 15, "情况属实，患者经本院急诊收治住院。", 10.5)
    lw = s.text(left + 3, y + 25, "经办人：", 9.5)
    s.text(left + 3 + lw + 2, y + 24.5, make_name(rng), 12, font_name="kai", color=INK_BLUE)
    s.text(left + 110, y + 25, f"{on.year}年{on.month}月{on.day}日", 9.5)
    s.stamp(seal_image(rng, hospital, "医疗保险办公室"), left + 118, y + 15, 30)
    y += 30
    s.rect(left, y, right, y + 26, width=0.35)
    s.text(left + 3, y + 5, "参保地经办机构意见：", 9.5)
    s.text(left + 110, y + 21, "年    月    日", 9.5)
    s.text(left, y + 33, "注：补办备案须在出院结算前或出院后三个月内提出；本表由就医医院医保办留存复印件。", 8.5)
    sticker = _sticker(ctx, look.dpi, look.font)
    angle = rng.uniform(2, 6) * rng.choice([-1, 1])
    at = (left + 5 + rng.uniform(-1, 1.5), top + 9 + rng.uniform(-0.5, 1.5))
    s.lines.extend(_stick(s, sticker, at, angle, rng))
    fields = filing_fields(title, person, insured, destination, kind, start)
    return Rendered("filing_form", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "ward_label_sticker",
        "filing_form",
        "就医医院医保办为未备案、经急诊收治入院的外省患者填写的跨省异地急诊住院补办备案表，患者信息不打字而贴标签：病区"
        "标签打印机打出的白色热敏小标签（条码；姓名 性别 年龄一行、无标签字；住院号；科室与床号）贴在“患者信息（粘贴"
        "病人"
        "标签）”框内，歪几度，边缘有细阴影、略反光；其余打印在带标签列的格线表中（标签旁：身份证号码、联系电话、参保"
        "地、参保"
        "类别；其下：就医地、急诊入院日期“2025年6月3日”无前导零、入院诊断、备案类别），情况说明，申请人承诺与手写签名、"
        "与患者关系、日期，医保办核实意见与经办人签名、医院章，参保地经办机构意见框空白（交来备案）",
        draw_ward_label_sticker,
        ("sans", "serif", "microhei"),
        (160, 300),
        ("scan", "photo"),
    ),
]
