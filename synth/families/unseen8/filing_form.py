"""Unseen 异地就医备案 family (the eighth blind set, stop 41).

`referral_stub_approved`: a city agency's 转外就医备案表 printed on A4 landscape as a two-part form, the
way receipt books are: a narrow 存根 at the left (编号, 姓名, the ID number, 参保地, 转往, 转往医院, 有效期限,
the clerk's name and the day, written in by the agency) and the form proper at the right, a dashed tear
line between them with the agency's seal stamped across it (骑缝章, half on each part). The form is a ruled
table of label cells and value cells without colons (姓名 / 性别 / 出生日期, 公民身份号码 / 联系电话, 参保地 /
参保类别, 人员类别, 临床诊断, 转出医院 / 转往地区, 转往医院, 有效期限 as 自2025年6月20日至2025年9月19日),
then three tall boxes: the referring hospital's opinion with the department head's signature, the
applicant's 承诺 with a handwritten signature and date, and the agency's 审核意见 box with a red rectangular
同意 stamp (the day in it) pressed across it beside the round business seal."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from synth.build import Context
from synth.canvas import font, seal_image
from synth.documents import DESTINATIONS, Rendered, filing_fields
from synth.families.common import INK_BLUE, FacedPage, Family, Look, date_text
from synth.people import make_name

STAMP_RED = (206, 34, 40)
TO_HOSPITAL = {
    "浙江省杭州市": "浙江大学医学院附属第一医院",
    "海南省三亚市": "三亚中心医院",
    "广东省深圳市": "深圳市人民医院",
    "江苏省苏州市": "苏州大学附属第一医院",
    "云南省昆明市": "昆明医科大学第一附属医院",
    "上海市": "复旦大学附属华山医院",
}
FILING_TYPE = "异地转诊就医人员"


def approval_stamp(rng: random.Random, day: dt.date, px: int = 420) -> Image.Image:
    """A red rectangular approval stamp as RGBA: a double frame, 同 意 large, the day under it, with
    uneven ink, pressed a little aslant."""
    w, h = px, round(px * 0.56)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    colour = (*STAMP_RED, 255)
    edge = max(4, px // 45)
    d.rectangle([edge, edge, w - edge, h - edge], outline=colour, width=edge)
    d.rectangle([edge * 3, edge * 3, w - edge * 3, h - edge * 3], outline=colour, width=max(2, edge // 2))
    d.text((w / 2, h * 0.42), "同 意", font=font("hei", round(h * 0.38)), fill=colour, anchor="mm")
    d.text((w / 2, h * 0.77), f"{day:%Y.%m.%d}", font=font("hei", round(h * 0.15)), fill=colour, anchor="mm")
    alpha = img.getchannel("A")
    speckle = np.random.default_rng(rng.randrange(2**32)).normal(128, 60, (h, w))
    noise = Image.fromarray(np.where(speckle > 60, 255, 110).astype(np.uint8), mode="L")
    alpha = ImageChops.multiply(alpha, noise).filter(ImageFilter.GaussianBlur(0.8))
    img.putalpha(alpha.point(lambda v: round(v * rng.uniform(0.8, 0.92))))
    return img.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC, expand=True)


def draw_referral_stub_approved(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The two-part form; it prints every filing field (the phone in full, the applicant's signature)."""
    rng, person, on = ctx.rng, ctx.person, ctx.on
    s = FacedPage(297, 210, dpi=look.dpi, paper=(252, 251, 247), face=look.font)
    insured = f"{person.province}{person.city}"
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith(person.province[:2])])
    to_hospital = TO_HOSPITAL[destination]
    start = on + dt.timedelta(days=rng.randint(0, 10))
    end = start + dt.timedelta(days=rng.choice([90, 180]))
    number = f"ZW{start:%Y}{rng.randint(100000, 999999)}"
    agency = f"{person.city}医疗保障事务服务中心"
    clerk = make_name(rng)
    term = f"自{date_text(start, 'cn_short')}至{date_text(end, 'cn_short')}"

    def hand(x: float, y: float, value: str, size: float = 11.0) -> float:
        return s.text(
            x + rng.uniform(-0.3, 0.8), y - 0.6 + rng.uniform(-0.5, 0.4), value, size, font_name="kai", color=INK_BLUE
        )

    # The stub.
    sx, sw = 9.0, 70.0
    s.text(sx + sw / 2, 16, "转外就医备案（存根）", 11, font_name="sans_bold", anchor="m")
    y = 27.0
    for label, value, by_hand in (
        ("编号", number, False),
        ("姓名", person.name, True),
        ("身份证号", person.id_number, True),
        ("参保地", insured, True),
        ("转往", destination, True),
        ("转往医院", to_hospital, True),
        ("有效期限", term, False),
        ("经办人", clerk, True),
        ("日期", date_text(on, "dot"), True),
    ):
        lw = s.text(sx, y, f"{label}：", 8.5)
        if by_hand and label not in ("身份证号", "转往医院", "参保地"):
            hand(sx + lw + 0.5, y, value, 10)
        else:
            s.text(sx + lw + 0.5, y, value, 8.5 if len(value) < 16 else 7.2)
        s.line(sx + lw, y + 2.6, sx + sw, y + 2.6, width=0.15)
        y += 10.5 if label != "有效期限" else 12.0
    # The tear line, with the agency's seal across it.
    tear = sx + sw + 5
    for k in range(0, 200, 4):
        s.line(tear, 5 + k, tear, 7 + k, width=0.25)
    s.stamp(seal_image(rng, agency, "业务专用章"), tear, rng.uniform(95, 150), 32)
    # The form proper.
    left, right = tear + 7, 289.0
    title = "基本医疗保险参保人员转外就医备案表"
    s.text((left + right) / 2, 14, title, 15, font_name="serif_bold", anchor="m")
    s.text(right, 22.5, f"编号：{number}", 9, anchor="r")
    s.text(left, 22.5, f"填表日期：{date_text(on, 'cn')}", 9)
    label_w, row_h, size = 26.0, 8.6, 9.5
    col = (right - left) / 3
    rows: list[list[tuple[str, str]]] = [
        [("姓名", person.name), ("性别", person.sex), ("出生日期", date_text(person.birth, "cn_short"))],
        [("公民身份号码", person.id_number), ("联系电话", person.phone)],
        [("参保地", insured), ("参保类别", rng.choice(["职工基本医疗保险", "城乡居民基本医疗保险"]))],
        [("人员类别", FILING_TYPE)],
        [("临床诊断", ctx.stay.diagnosis)],
        [("转出医院", ctx.stay.hospital), ("转往地区", destination)],
        [("转往医院", to_hospital)],
        [("有效期限", term)],
    ]
    top = 27.0
    for r, row in enumerate(rows):
        y0 = top + r * row_h
        if len(row) == 3:
            starts = [left, left + col, left + 2 * col]
        elif len(row) == 2:
            starts = [left, left + 1.5 * col]
        else:
            starts = [left]
        ends = [*starts[1:], right]
        for x0, x1, (label, value) in zip(starts, ends, row, strict=True):
            s.rect(x0, y0, x0 + label_w, y0 + row_h, width=0.3)
            s.rect(x0 + label_w, y0, x1, y0 + row_h, width=0.3)
            s.text(x0 + label_w / 2, y0 + row_h / 2, label, 9, anchor="m")
            s.text(x0 + label_w + 2.5, y0 + row_h / 2, value, size)
    y = top + len(rows) * row_h
    boxes = (("转出医院意见", 22.0), ("参保人承诺", 22.0), ("医保经办机构审核意见", 210 - 8 - (y + 44)))
    for k, (label, height) in enumerate(boxes):
        s.rect(left, y, left + label_w, y + height, width=0.3)
        s.rect(left + label_w, y, right, y + height, width=0.3)
        parts = [label] if len(label) <= 6 else [label[:6], label[6:]]
        for n, part in enumerate(parts):
            s.text(left + label_w / 2, y + height / 2 + (n - (len(parts) - 1) / 2) * 5, part, 9, anchor="m")
        x = left + label_w + 3
        if k == 0:
            s.text(x, y + 5.5, "经我院会诊，因病情需要，建议转往上级医院进一步诊治。", size)
            lw = s.text(x + 95, y + 15, "科主任签字：", 9)
            hand(x + 95 + lw + 1, y + 15, ctx.stay.doctor)
            s.text(right - 3, y + 15, date_text(on - dt.timedelta(days=1), "cn_short"), 9, anchor="r")
        elif k == 1:
            s.text(x, y + 5.5, "本人承诺以上信息及所附材料真实有效，转外就医期间遵守医保相关规定。", size)
            lw = s.text(x + 95, y + 15, "申请人签字：", 9)
            hand(x + 95 + lw + 1, y + 15, person.name, 12)
            hand(right - 26, y + 15, date_text(on, "dot"), 10)
        else:
            s.text(x, y + 5.5, "经审核，符合转外就医备案条件。", size)
            s.text(x + 95, y + height - 5, f"经办人：{clerk}", 9)
            s.text(right - 3, y + height - 5, "（盖章）", 9, anchor="r")
            s.stamp(approval_stamp(rng, on), x + rng.uniform(45, 65), y + height / 2 + 1, 34)
            s.stamp(seal_image(rng, agency, "业务专用章"), right - 30, y + height / 2, 32)
        y += height
    fields = filing_fields(title, person, insured, destination, FILING_TYPE, start)
    return Rendered("filing_form", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "referral_stub_approved",
        "filing_form",
        "市医保经办机构 A4 横向两联式转外就医备案表：左侧窄存根（编号、姓名、身份证号、参保地、转往、转往医院、"
        "有效期限、经办人与日期，部分手填），虚线撕线上骑缝盖业务章；右侧正表为无冒号的标签格/数值格格线表（姓名/"
        "性别/出生日期、公民身份号码/联系电话、参保地/参保类别、人员类别、临床诊断、转出医院/转往地区、转往医院、"
        "有效期限“自2025年6月20日至2025年9月19日”），其下三个高格：转出医院意见与科主任签字、参保人承诺与手写签名"
        "日期、经办机构审核意见格内斜压红色长方形“同意”日期章与圆形业务章",
        draw_referral_stub_approved,
        ("sans", "ming", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
]
