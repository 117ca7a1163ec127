"""Unseen 出院记录 families (the ninth blind set, stop 42).

`certified_copy_stamped`: a 出院小结 as the hospital's 病案室 hands it out for a claim: not the original
but a photocopy of the filed record (grey, contrast pushed, toner specks, a dark band at the copier's edge,
a little skew), which the record room then certifies on the copy itself: a red rectangular 与原件核对无误
stamp with the room's name and the day, the round 病案复印专用章 beside it, and the checking clerk's name
signed in ballpoint across the printed text. The record's own print: the hospital and the title, 病案号 at
the right, the particulars as label：value runs (姓名, 性别, 年龄, 科室, 床位号), 入院日期 and 出院日期 with
dots and zeros (2025.06.03), 住院日数 as N天, the diagnoses, 入院情况 / 诊疗经过 / 出院情况 / 出院医嘱, and
经治医师 typed at the foot. A copy whatever the capture, so its truth says copy.

`binder_curl_two_column`: a 出院记录 filed in a ring binder (the patient's own folder, or an insurer's
agent's) and photographed open in it instead of taken out: the page lies on the binder's dark cover,
punched with two holes at its left edge through which the binder's metal rings rise; near the rings the
page curls up towards the lens (squeezed across, a little taller, in a shadow), the rest lies flat but seen
a little aslant. The record is laid out in two columns: a shaded sidebar at the left holds the particulars,
each label in small grey over its value (姓名, 性别, 年龄, 科室, 床号, 住院号, 入院日期, 出院日期 as
2025.06.03, 住院天数, 医保类型), the right column the diagnoses and the 入院情况 / 诊疗经过 / 出院情况 /
出院医嘱 prose, the doctor's signature by hand after 主治医师 and an 归档编号 at the foot."""

from __future__ import annotations

import datetime as dt
import random

import cv2
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from synth.build import Context
from synth.canvas import PrintedLine, font, seal_image, text_width_mm
from synth.documents import ADVICE, COURSE, Rendered, _paragraph, discharge_fields
from synth.families.common import HANGING, INK_BLUE, FacedPage, Family, Look
from synth.people import make_name

STAMP_RED = (200, 36, 44)


def _dot(day: dt.date) -> str:
    return f"{day:%Y.%m.%d}"


def _wrap(s: FacedPage, x: float, y: float, width: float, text: str, size: float, leading: float) -> float:
    return _paragraph(s, x, y, width, text, size, leading, face=s.face, hanging=HANGING)


def _admission(rng: random.Random, diagnosis: str) -> str:
    return (
        f"患者因“{diagnosis}”相关症状{rng.randint(2, 20)}天入院。入院查体："
        f"脉搏{rng.randint(64, 104)}次/分，血压{rng.randint(108, 150)}/{rng.randint(62, 92)}mmHg，神志清，精神可。"
    )


# ---------------------------------------------------------------------------------------------
# A photocopy certified by the record room


def _copied(page: FacedPage, rng: random.Random) -> Image.Image:
    """A photocopier's copy of the page: grey, contrast pushed, toner specks, a dark edge band, skew."""
    grey: np.ndarray = np.asarray(page.img.convert("L")).astype(np.float32)
    grey = np.clip((grey - 100) * 1.5 + 118, 0, 255)
    gen = np.random.default_rng(rng.randrange(2**32))
    h, w = grey.shape
    specks = gen.random((h, w)) < 0.0012
    grey[specks] = gen.uniform(30, 120, int(specks.sum()))
    band = max(6, w // 70)
    side = rng.choice(["left", "right"])
    ramp = np.linspace(0.55, 1.0, band, dtype=np.float32)
    if side == "left":
        grey[:, :band] *= ramp[None, :]
    else:
        grey[:, -band:] *= ramp[::-1][None, :]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-0.8, 0.8), 1.0)
    grey = cv2.warpAffine(grey, m, (w, h), borderValue=236)
    grey = cv2.GaussianBlur(grey, (0, 0), 0.7)
    return Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("RGB")


def check_stamp(rng: random.Random, room: str, day: dt.date, px: int = 480) -> Image.Image:
    """The record room's red rectangular stamp: 与原件核对无误 large, the room and the day under it."""
    w, h = px, round(px * 0.42)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    colour = (*STAMP_RED, 255)
    edge = max(3, px // 60)
    d.rectangle([edge, edge, w - edge, h - edge], outline=colour, width=edge)
    d.text((w / 2, h * 0.36), "与原件核对无误", font=font("hei", round(h * 0.27)), fill=colour, anchor="mm")
    d.text((w / 2, h * 0.72), f"{room}  {day:%Y.%m.%d}", font=font("hei", round(h * 0.14)), fill=colour, anchor="mm")
    alpha = img.getchannel("A")
    speckle = np.random.default_rng(rng.randrange(2**32)).normal(128, 60, (h, w))
    noise = Image.fromarray(np.where(speckle > 65, 255, 110).astype(np.uint8), mode="L")
    alpha = ImageChops.multiply(alpha, noise).filter(ImageFilter.GaussianBlur(0.8))
    img.putalpha(alpha.point(lambda v: round(v * rng.uniform(0.8, 0.92))))
    return img.rotate(rng.uniform(-6, 6), resample=Image.Resampling.BICUBIC, expand=True)


def draw_certified_copy_stamped(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The certified copy; it prints every discharge field."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    left, right, size, leading = 22.0, 188.0, 10.5, 6.9
    title = "出院小结"
    s.text(105, 18, stay.hospital, 16, font_name="serif_bold", anchor="m")
    s.text(105, 28, title, 15, font_name="serif_bold", anchor="m")
    s.text(right, 36, f"病案号：{stay.inpatient_number}", 9.5, anchor="r")
    s.line(left, 39.5, right, 39.5, width=0.45)
    y = 47.0
    for x, text in (
        (left, f"姓名：{fields['patient_name']}"),
        (left + 42, f"性别：{fields['sex']}"),
        (left + 70, f"年龄：{fields['age']}岁"),
        (left + 100, f"科室：{fields['department']}"),
    ):
        s.text(x, y, text, size)
    y += leading
    s.text(left, y, f"住院号：{fields['inpatient_number']}", size)
    s.text(left + 70, y, f"床位号：{stay.bed}", size)
    y += leading
    s.text(left, y, f"入院日期：{_dot(stay.admission)}", size)
    s.text(left + 70, y, f"出院日期：{_dot(stay.discharge)}", size)
    s.text(left + 130, y, f"住院日数：{stay.days}天", size)
    y += leading + 2
    s.text(left, y, f"入院诊断：{fields['admission_diagnosis']}", size)
    y += leading
    s.text(left, y, f"出院诊断：{fields['discharge_diagnosis']}", size)
    y += leading + 2
    blocks = (
        ("入院情况", _admission(rng, stay.diagnosis)),
        ("诊疗经过", rng.choice(COURSE) + "住院期间未诉特殊不适，复查相关指标较前好转。"),
        ("出院情况", "患者一般情况可，饮食睡眠可，生命体征平稳，予以出院。"),
    )
    prose_top = y
    for heading, text in blocks:
        lw = s.text(left, y, f"{heading}：", size, font_name="sans_bold")
        y = _wrap(s, left + lw, y, right - left - lw, text, size, leading) + 1.5
    prose_bottom = y
    s.text(left, y, "出院医嘱：", size, font_name="sans_bold")
    y += leading
    for i, advice in enumerate(rng.sample(ADVICE, 3), 1):
        s.text(left + 6, y, f"{i}）{advice}", size)
        y += leading
    y += 8
    s.text(left + 100, y, f"经治医师：{fields['doctor']}", size)
    record_y = y
    copy = FacedPage(210, 297, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    copy.img = _copied(s, rng)
    copy.draw = ImageDraw.Draw(copy.img)
    copy.lines = list(s.lines)
    # The record room's certification on the copy: the red check stamp, its round seal, the clerk's name.
    room = "病案管理科"
    day = stay.discharge + dt.timedelta(days=rng.randint(2, 20))
    sy = min(record_y + rng.uniform(12, 22), 262)
    copy.stamp(check_stamp(rng, room, day), rng.uniform(62, 80), sy, 58)
    copy.stamp(seal_image(rng, stay.hospital, "病案复印专用章"), rng.uniform(140, 158), sy - rng.uniform(0, 10), 36)
    clerk = make_name(rng)
    cy = rng.uniform(prose_top + 2, prose_bottom - 4)
    copy.text(rng.uniform(90, 130), cy, f"核对人 {clerk}", 17, font_name="kai", color=INK_BLUE, record=False)
    return Rendered("discharge_record", None, [copy], fields, True, title)


# ---------------------------------------------------------------------------------------------
# A two-column record photographed open in a ring binder

SIDEBAR = (238, 242, 246)
COVER = (34, 46, 78)
FRAME_MM = (232.0, 300.0)
HOLES = (0.36, 0.64)  # the punched holes' heights on the page, as fractions


def _record(ctx: Context, look: Look) -> tuple[FacedPage, dict[str, str], str]:
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = discharge_fields(person, stay, stay.discharge)
    s = FacedPage(210, 297, dpi=look.dpi, paper=(252, 252, 250), face=look.font)
    title = "出院记录"
    s.text(118, 17, stay.hospital, 15, font_name="serif_bold", anchor="m")
    s.text(118, 27, title, 14, font_name="sans_bold", anchor="m")
    s.line(22, 33, 196, 33, width=0.6)
    bar_l, bar_r = 22.0, 72.0
    s.rect(bar_l, 37, bar_r, 262, width=0.01, color=SIDEBAR, fill=SIDEBAR)
    y = 44.0
    for label, value in (
        ("姓名", fields["patient_name"]),
        ("性别", fields["sex"]),
        ("年龄", f"{fields['age']}岁"),
        ("科室", fields["department"]),
        ("床号", stay.bed),
        ("住院号", fields["inpatient_number"]),
        ("入院日期", _dot(stay.admission)),
        ("出院日期", _dot(stay.discharge)),
        ("住院天数", f"{stay.days}天"),
        ("医保类型", stay.insurance_type),
    ):
        s.text(bar_l + 3, y, label, 8, color=(110, 116, 124))
        s.text(bar_l + 3, y + 5.2, value, 10 if text_width_mm(value, 10) < bar_r - bar_l - 5 else 8.5)
        y += 14.5
    x, right, size, leading = 78.0, 196.0, 10, 6.4
    y = 44.0
    for label, value in (("入院诊断", fields["admission_diagnosis"]), ("出院诊断", fields["discharge_diagnosis"])):
        s.text(x, y, f"{label}：{value}", size)
        y += leading + 1
    y += 2
    blocks = (
        ("入院情况", _admission(rng, stay.diagnosis)),
        ("诊疗经过", rng.choice(COURSE) + "住院期间病情平稳。"),
        ("出院情况", "患者神志清，精神可，无明显不适，生命体征平稳，准予出院。"),
    )
    for heading, text in blocks:
        s.text(x, y, heading, size, font_name="sans_bold")
        y = _wrap(s, x, y + leading, right - x, text, size, leading) + 3
    s.text(x, y, "出院医嘱", size, font_name="sans_bold")
    y += leading
    for i, advice in enumerate(rng.sample(ADVICE, 3), 1):
        s.text(x, y, f"{i}. {advice}", size)
        y += leading
    y += 10
    lw = s.text(x + 40, y, "主治医师：", size)
    s.text(x + 40 + lw + 1, y - 0.8, fields["doctor"], 14, font_name="kai", color=INK_BLUE)
    s.text(x, 272, f"归档编号：GD{stay.discharge:%Y%m}{rng.randint(1000, 9999)}", 8.5)
    return s, fields, title


def _forward(u: np.ndarray, v: np.ndarray, p: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Where a page point (u, v in page pixels) lands in the photo: the strip by the rings squeezed
    across and raised (taller, nearer the lens), the whole page a little aslant."""
    w, h, wc = p["w"], p["h"], p["wc"]
    t = np.clip(1 - u / wc, 0, None)
    x = u + p["k"] * wc * t**2
    scale_y = 1 + p["e"] * t**2 + p["g"] * (u / w - 0.5)
    y = h / 2 + (v - h / 2) * scale_y + p["sag"] * t**2
    return p["ox"] + p["s"] * x, p["oy"] + p["s"] * y


def draw_binder_curl_two_column(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The record in its binder; its truth is the record's, each line where the curled page puts it."""
    rng = ctx.rng
    page, fields, title = _record(ctx, look)
    ph, pw = page.img.height, page.img.width
    pmm = pw / 210
    # The punched holes show the cover through them.
    for frac in HOLES:
        cy, cx, r = frac * ph, 9.0 * pmm, 3.0 * pmm
        page.draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=COVER)
    photo = FacedPage(*FRAME_MM, dpi=look.dpi, paper=COVER, face=look.font)
    fw, fh = photo.img.size
    fpx = fw / FRAME_MM[0]
    s = rng.uniform(0.84, 0.9) * fw / pw
    params = {
        "w": float(pw),
        "h": float(ph),
        "wc": rng.uniform(0.2, 0.3) * pw,
        "k": rng.uniform(0.12, 0.22),
        "e": rng.uniform(0.03, 0.06),
        "g": rng.uniform(-0.04, 0.04),
        "sag": rng.uniform(-0.01, 0.01) * ph,
        "s": s,
        "ox": fw - pw * s - rng.uniform(0.02, 0.04) * fw,
        "oy": (fh - ph * s) / 2 + rng.uniform(-0.01, 0.01) * fh,
    }
    # Invert the map: u from x (monotone), then v from y.
    us = np.linspace(0, pw, 4000, dtype=np.float64)
    xs_of_u, _ = _forward(us, np.zeros_like(us), params)
    xs = np.arange(fw, dtype=np.float64)
    u_of_x = np.interp(xs, xs_of_u, us, left=-1, right=pw + 1)
    t = np.clip(1 - u_of_x / params["wc"], 0, None)
    scale_y = 1 + params["e"] * t**2 + params["g"] * (u_of_x / pw - 0.5)
    ys = np.arange(fh, dtype=np.float64)[:, None]
    v_of_y = ph / 2 + ((ys - params["oy"]) / s - ph / 2 - params["sag"] * t[None, :] ** 2) / scale_y[None, :]
    map_x = np.broadcast_to(u_of_x[None, :], (fh, fw)).astype(np.float32)
    map_y = v_of_y.astype(np.float32)
    src = np.asarray(page.img).astype(np.float32)
    warped = cv2.remap(src, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    inside = cv2.remap(np.ones((ph, pw), np.float32), map_x, map_y, cv2.INTER_LINEAR, borderValue=0)[..., None]
    # The curl's shadow, deepest by the rings; the cover's own soft light.
    shade = (1 - rng.uniform(0.25, 0.4) * t**1.5)[None, :, None]
    cover = np.broadcast_to(np.array(COVER, np.float32), (fh, fw, 3)) * (
        0.85 + 0.3 * np.linspace(0, 1, fw, dtype=np.float32)[None, :, None]
    )
    out = cover * (1 - inside) + warped * shade * inside
    img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    # The rings: metal arcs rising through each hole and over the page's edge to the binder's spine.
    for frac in HOLES:
        hx, hy = _forward(np.array([9.0 * pmm]), np.array([frac * ph]), params)
        cx, cy = float(hx[0]), float(hy[0])
        rx, ry = (cx - params["ox"] + 18 * fpx) / 2, 6 * fpx
        box = [cx - 2 * rx, cy - ry, cx, cy + ry]
        d.arc(box, 180, 360, fill=(150, 152, 158), width=max(3, round(1.6 * fpx)))
        d.arc(box, 180, 360, fill=(215, 218, 224), width=max(1, round(0.5 * fpx)))
    gen = np.random.default_rng(rng.randrange(2**32))
    arr: np.ndarray = np.asarray(img).astype(np.float32) * np.array([1.0, 0.98, 0.95], np.float32)
    arr = cv2.GaussianBlur(arr + gen.normal(0, 2.5, arr.shape), (0, 0), rng.uniform(0.5, 0.8))
    photo.img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    photo.draw = ImageDraw.Draw(photo.img)
    lines = []
    for line in page.lines:
        x0, y0, x1, y1 = (v * pmm for v in line.box)
        us_ = np.array([x0, (x0 + x1) / 2, x1, x0, (x0 + x1) / 2, x1])
        vs_ = np.array([y0, y0, y0, y1, y1, y1])
        fx, fy = _forward(us_, vs_, params)
        lines.append(
            PrintedLine(
                line.text,
                (float(fx.min()) / fpx, float(fy.min()) / fpx, float(fx.max()) / fpx, float(fy.max()) / fpx),
            )
        )
    photo.lines = lines
    return Rendered("discharge_record", None, [photo], fields, False, title)


FAMILIES = [
    Family(
        "certified_copy_stamped",
        "discharge_record",
        "病案室为报销提供的出院小结复印件：整页为复印效果（灰度、对比度高、墨粉斑点、复印机边缘暗带、略歪），复印件上"
        "再盖红色长方形“与原件核对无误”章（科室名与日期）、圆形病案复印专用章，核对人用圆珠笔签名压在正文上；原件版式："
        "院名与标题、右侧病案号，“标签：值”信息（姓名、性别、年龄、科室、床位号），入院/出院日期为点分带零（2025.06.03），"
        "住院日数“N天”，诊断、入院情况/诊疗经过/出院情况/出院医嘱，页脚打印经治医师；无论采集方式都是复印件",
        draw_certified_copy_stamped,
        ("sans", "serif", "microhei"),
        (150, 300),
        ("scan", "photo"),
        draws_copy=True,
    ),
    Family(
        "binder_curl_two_column",
        "discharge_record",
        "夹在活页夹里、未取出直接摊开拍摄的出院记录：纸页放在深色夹板封面上，左缘两个打孔、金属环穿孔而出；靠近夹环处"
        "纸页向镜头翻卷（横向压缩、略变高、有阴影），其余部分平放但略斜；版式为两栏：左侧底纹侧栏为小号灰色标签在上、"
        "值在下（姓名、性别、年龄、科室、床号、住院号、入院/出院日期“2025.06.03”、住院天数、医保类型），右栏为诊断与"
        "入院情况/诊疗经过/出院情况/出院医嘱正文，主治医师手写签名，页脚归档编号",
        draw_binder_curl_two_column,
        ("sans", "hei", "ming"),
        (170, 260),
        ("clean",),
    ),
]
