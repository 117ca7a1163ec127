"""Unseen 异地就医备案 family (the twelfth blind set, stop 45).

`thermal_fax_agency_form`: a 异地就医备案代办申请表 a street office's social-security desk (社区代办) filled in for
an insured person and faxed to the insurance agency, received on a thermal fax and then scanned or
photographed there: the form sampled at the fax's 8 pels a mm across and 3.85 or 7.7 lines a mm down and
thresholded to black and white (the seal a black blot, the handwriting black), the sending machine's
header line in Latin capitals along the top (date and time, FROM the desk's name, its number, the page
count), one to three thin streaks down the whole page where the sender's glass was dirty, and the whole
printed in a thermal head's brown-black on grey-yellow thermal paper, fainter towards one side. The form:
a table of label | value | label | value cells (参保人姓名, 性别; 公民身份号码, 联系手机; 参保统筹区, 参保险种;
拟就医地), the 备案人员类别 as four □ options in two columns with one ticked, 备案开始日期 as 2025年07月01日,
the 申请事由, the applicant's signature by hand, the desk's 代办意见 with its seal, and the agency's
审核意见 box left empty. A fax is a copy, whatever reaches the office."""

from __future__ import annotations

import datetime as dt
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.build import Context
from synth.canvas import PrintedLine, seal_image
from synth.documents import DESTINATIONS, Rendered, filing_fields
from synth.families.common import INK_BLUE, FacedPage, Family, Look, date_text, tick_box

PELS_PER_MM = 8.0
LINES_PER_MM = (3.85, 7.7)
FAX_MM = (216.0, 305.0)
FORM_AT = (3.0, 9.0)  # where the A4 form lies on the received page
KINDS = ("异地安置退休人员", "异地长期居住人员", "常驻异地工作人员", "异地转诊人员")
DESKS = ("拱宸桥街道社保服务站", "湖滨街道社保服务站", "南星街道社保服务站", "朝晖街道社保服务站")
DESK_LATIN = {
    "拱宸桥街道社保服务站": "GONGCHENQIAO SBZ",
    "湖滨街道社保服务站": "HUBIN SBZ",
    "南星街道社保服务站": "NANXING SBZ",
    "朝晖街道社保服务站": "ZHAOHUI SBZ",
}
THERMAL_PAPER = np.array([236, 232, 216], np.float32)
THERMAL_INK = np.array([52, 42, 36], np.float32)


def _form(ctx: Context, look: Look, desk: str, kind: str, destination: str, start: dt.date) -> FacedPage:
    rng, person, stay, on = ctx.rng, ctx.person, ctx.stay, ctx.on
    s = FacedPage(210, 297, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    left, right = 16.0, 194.0
    s.text(105, 20, "异地就医备案代办申请表", 17, font_name="serif_bold", anchor="m")
    s.text(left, 31, f"代办单位：{desk}", 10.5)
    s.text(right, 31, f"受理编号：{on:%Y%m%d}{rng.randint(100, 999)}", 10.5, anchor="r")
    size, row_h = 11.0, 12.0
    lw, vw = 32.0, 57.0
    rows = (
        (("参保人姓名", person.name), ("性别", person.sex)),
        (("公民身份号码", person.id_number), ("联系手机", person.phone)),
        (("参保统筹区", f"{person.province}{person.city}"), ("参保险种", stay.insurance_type)),
    )
    y = 36.0
    for row in rows:
        x = left
        for label, value in row:
            s.rect(x, y, x + lw, y + row_h, width=0.4)
            s.rect(x + lw, y, x + lw + vw, y + row_h, width=0.4)
            s.text(x + lw / 2, y + row_h / 2, label, 10, anchor="m")
            s.text(x + lw + 2.5, y + row_h / 2, value, size if len(value) < 16 else 10)
            x += lw + vw
        y += row_h
    s.rect(left, y, left + lw, y + row_h, width=0.4)
    s.rect(left + lw, y, right, y + row_h, width=0.4)
    s.text(left + lw / 2, y + row_h / 2, "拟就医地", 10, anchor="m")
    s.text(left + lw + 2.5, y + row_h / 2, destination, size)
    y += row_h
    kind_h = 2 * row_h
    s.rect(left, y, left + lw, y + kind_h, width=0.4)
    s.rect(left + lw, y, right, y + kind_h, width=0.4)
    s.text(left + lw / 2, y + kind_h / 2, "备案人员类别", 10, anchor="m")
    for i, option in enumerate(KINDS):
        r, c = divmod(i, 2)
        ox, oy = left + lw + 5 + c * 70, y + row_h / 2 + r * row_h
        tick_box(s, ox, oy, "tick" if option == kind else None, size=3.6)
        s.text(ox + 5.5, oy, option, 10.5)
    y += kind_h
    s.rect(left, y, left + lw, y + row_h, width=0.4)
    s.rect(left + lw, y, right, y + row_h, width=0.4)
    s.text(left + lw / 2, y + row_h / 2, "备案开始日期", 10, anchor="m")
    s.text(left + lw + 2.5, y + row_h / 2, date_text(start, "cn"), size)
    y += row_h
    s.rect(left, y, left + lw, y + 2 * row_h, width=0.4)
    s.rect(left + lw, y, right, y + 2 * row_h, width=0.4)
    s.text(left + lw / 2, y + row_h, "申请事由", 10, anchor="m")
    s.text(left + lw + 2.5, y + 7, f"参保人拟长期在{destination}居住生活，需在当地就医，", 10.5)
    s.text(left + lw + 2.5, y + 16, "由本站代为申请办理异地就医备案。", 10.5)
    y += 2 * row_h
    s.rect(left, y, right, y + 30, width=0.4)
    s.text(left + 3, y + 7, "本人承诺所填信息真实有效，并已知晓异地就医有关待遇政策。", 10.5)
    sign = s.text(left + 3, y + 19, "参保人签字：", 10.5)
    s.text(left + 5 + sign, y + 18.5 + rng.uniform(-0.8, 0.8), person.name, 15, font_name="kai", color=INK_BLUE)
    s.text(left + 105, y + 19, f"日期：{on.year}年{on.month}月{on.day}日", 10.5)
    y += 30
    s.rect(left, y, right, y + 32, width=0.4)
    s.text(left + 3, y + 6, "代办单位意见：", 10.5)
    s.text(left + 25, y + 16, "经核实，情况属实，同意代为申报。", 10.5)
    s.text(left + 100, y + 26, f"{on.year}年{on.month}月{on.day}日", 10.5)
    s.stamp(seal_image(rng, desk.replace("社保服务站", "社会保障服务站"), "业务专用章"), left + 160, y + 16, 30)
    y += 32
    s.rect(left, y, right, y + 28, width=0.4)
    s.text(left + 3, y + 6, "医保经办机构审核意见：", 10.5)
    s.text(left + 105, y + 23, "年    月    日", 10.5)
    s.text(left, y + 36, "注：本表一式两份，传真件与原件具有同等效力，原件由代办单位留存备查。", 9)
    return s


def _fax(img: Image.Image, rng: random.Random) -> np.ndarray:
    """The page as the fax carried and the thermal head printed it, at the image's size: black where the
    sampled pel was dark, thermal paper elsewhere, streaks down the page, the print fainter to one side."""
    w, h = img.size
    grey = np.asarray(img.convert("L"), np.float32)
    width_mm, height_mm = FAX_MM
    lines = rng.choice(LINES_PER_MM)
    small = cv2.resize(grey, (round(width_mm * PELS_PER_MM), round(height_mm * lines)), interpolation=cv2.INTER_AREA)
    black = (small < rng.uniform(140, 165)).astype(np.float32)
    for _ in range(rng.randint(1, 3)):
        x = rng.randrange(small.shape[1])
        black[:, x : x + rng.choice([1, 1, 2])] = 1.0
    full = cv2.resize(black, (w, h), interpolation=cv2.INTER_NEAREST)
    strength = np.linspace(rng.uniform(0.7, 0.85), 1.0, w, dtype=np.float32)[None, :]
    if rng.random() < 0.5:
        strength = strength[:, ::-1]
    cover = (full * strength)[..., None]
    out: np.ndarray = THERMAL_PAPER * (1 - cover) + THERMAL_INK * cover
    return out


def draw_thermal_fax_agency_form(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The received fax; it prints every filing field, the header line above the form."""
    rng, person, on = ctx.rng, ctx.person, ctx.on
    desk = rng.choice(DESKS)
    kind = rng.choice(KINDS[:3])
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith(person.province[:2])])
    start = dt.date(on.year + on.month // 12, on.month % 12 + 1, 1)
    form = _form(ctx, look, desk, kind, destination, start)
    page = FacedPage(*FAX_MM, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    page.image(form.img, FORM_AT[0], FORM_AT[1], 210, 297)
    sent = f"{on:%b-%d-%Y}".upper() + f" {rng.randint(8, 16):02d}:{rng.randint(0, 59):02d}"
    header = f"{sent}  FROM:{DESK_LATIN[desk]}  0571{rng.randint(81000000, 89999999)}  P.001/001"
    page.text(6, 5, header, 8, font_name="sans")
    page.img = Image.fromarray(np.clip(_fax(page.img, rng), 0, 255).astype(np.uint8))
    page.draw = ImageDraw.Draw(page.img)
    for line in form.lines:
        x0, y0, x1, y1 = line.box
        page.lines.append(PrintedLine(line.text, (x0 + FORM_AT[0], y0 + FORM_AT[1], x1 + FORM_AT[0], y1 + FORM_AT[1])))
    title = "异地就医备案代办申请表"
    insured = f"{person.province}{person.city}"
    fields = filing_fields(title, person, insured, destination, kind, start)
    return Rendered("filing_form", None, [page], fields, True, title)


FAMILIES = [
    Family(
        "thermal_fax_agency_form",
        "filing_form",
        "街道社保服务站为参保人代办、传真给医保经办机构的异地就"
        "医备案代办申请表，经办机构热敏传真机收到后再扫描或拍照："
        "按传真横向每毫米 8 点、纵向 3.85 或 7.7 线采样并二值"
        "化（公章成黑块、手写变黑），顶部是发送机的拉丁字母页眉（日期时间、"
        "FROM 站名、号码、页数），发送方玻璃脏留下一至三条贯穿全"
        "页的细竖纹，热敏头的棕黑色印在灰黄热敏纸上、一侧偏淡；表格："
        "“标签|值|标签|值”格（参保人姓名、性别；公民身份号码、联"
        "系手机；参保统筹区、参保险种；拟就医地），备案人员类别为两列"
        "四个□选项勾一项，备案开始日期“2025年07月01日”，申请"
        "事由，参保人手写签名，代办意见与站章，经办机构审核意见框空白；"
        "传真件即复印件",
        draw_thermal_fax_agency_form,
        ("sans", "serif", "hei"),
        (200, 260),
        ("scan", "photo"),
        draws_copy=True,
    ),
]
