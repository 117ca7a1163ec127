"""Unseen 异地就医备案 family (the sixth blind set, stop 39).

`commitment_fingerprint`: the 跨省异地就医备案个人承诺书 an applicant fills in by hand where a filing is
made on the 告知承诺 basis (no proof of residence attached): a ruled table with its printed labels in the
left column and the values written in blue ballpoint (姓名, 性别, the 公民身份号码 one digit a printed box,
参保地, 联系电话, 就医地, 备案开始日期 written out short as 2025年6月20日, 异地居住地址); 参保险种 and
备案类型 as printed boxes with the chosen one ticked by hand; the printed 承诺 paragraph with its numbered
commitments; 承诺人（签字并按手印） with the signature and a red fingerprint pressed over its end, and the
date by hand; an empty 经办机构 block at the foot. No seal: the agency has not handled it yet."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random

from PIL import Image, ImageDraw

from synth.build import Context
from synth.documents import DESTINATIONS, Rendered, filing_fields
from synth.families.common import FacedPage, Family, Look, date_text, tick_box, written

FILING_CHOICES = ("异地长期居住人员", "常驻异地工作人员", "临时外出就医人员")
INSURANCE_CHOICES = ("职工基本医疗保险", "城乡居民基本医疗保险")
PROMISES = (
    "（一）本人所填信息真实、准确、完整，符合跨省异地就医备案条件；",
    "（二）本人已知晓备案地和参保地的医保政策，按规定享受相应待遇；",
    "（三）如有虚假承诺，本人愿承担相应法律责任，退还违规享受的医保待遇；",
    "（四）备案信息发生变化时，本人将及时办理变更或取消备案。",
)


def _fingerprint(rng: random.Random, px: int = 300) -> Image.Image:
    """A red fingerprint (手印): an oval of wavering ridges, the ink uneven and broken."""
    w, h = px, round(px * 1.3)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    cx, cy = w / 2 + rng.uniform(-8, 8), h / 2 + rng.uniform(-10, 10)
    for k in range(1, 16):
        rx, ry = k * w / 34, k * h / 34
        points = []
        for step in range(0, 361, 4):
            t = math.radians(step)
            wobble = 1 + 0.04 * math.sin(5 * t + k)
            points.append((cx + rx * wobble * math.cos(t), cy + ry * wobble * math.sin(t)))
        for a, b in itertools.pairwise(points):
            if rng.random() < 0.85:
                d.line([a, b], fill=(200, 30, 45, rng.randint(120, 220)), width=max(2, px // 60))
    return img


def draw_commitment_fingerprint(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The filled 承诺书; it prints every filing field."""
    rng, person = ctx.rng, ctx.person
    s = FacedPage(210, 297, dpi=look.dpi, paper=(252, 252, 249), face=look.font)
    left, right = 18.0, 192.0
    title = "跨省异地就医备案个人承诺书"
    s.text(105, 20, title, 16, font_name="serif_bold", anchor="m")
    insured = f"{person.province}{person.city}" if person.city != person.province else person.province
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith(person.province[:2])])
    filing_type = rng.choice(FILING_CHOICES)
    insurance = rng.choice(INSURANCE_CHOICES)
    start = ctx.on + dt.timedelta(days=rng.randint(0, 15))
    address = f"{destination}{rng.choice(['人民路', '长江路', '解放路', '中山路'])}{rng.randint(1, 300)}号"
    label_w, row_h, size = 32.0, 11.0, 10.5
    y = 30.0

    def row(label: str, height: float = row_h) -> float:
        """A ruled row with its printed label; returns the row's middle."""
        nonlocal y
        s.rect(left, y, right, y + height, width=0.3)
        s.line(left + label_w, y, left + label_w, y + height, width=0.3)
        s.text(left + label_w / 2, y + height / 2, label, 10, anchor="m")
        mid = y + height / 2
        y += height
        return mid

    def hand(x: float, mid: float, value: str) -> None:
        written(s, x, mid, value, size, rng, by_hand=True)

    mid = row("姓名")
    hand(left + label_w + 4, mid, person.name)
    sex_x = left + label_w + 62
    s.line(sex_x, mid - row_h / 2, sex_x, mid + row_h / 2, width=0.3)
    s.line(sex_x + 20, mid - row_h / 2, sex_x + 20, mid + row_h / 2, width=0.3)
    s.text(sex_x + 10, mid, "性别", 10, anchor="m")
    hand(sex_x + 25, mid, person.sex)
    mid = row("公民身份号码")
    box = (right - left - label_w - 8) / 18
    for k, digit in enumerate(person.id_number):
        x0 = left + label_w + 4 + k * box
        s.rect(x0, mid - 3.5, x0 + box, mid + 3.5, width=0.2)
        hand(x0 + box / 2 - 1.2, mid, digit)
    mid = row("参保地")
    hand(left + label_w + 4, mid, insured)
    s.line(sex_x, mid - row_h / 2, sex_x, mid + row_h / 2, width=0.3)
    s.line(sex_x + 20, mid - row_h / 2, sex_x + 20, mid + row_h / 2, width=0.3)
    s.text(sex_x + 10, mid, "联系电话", 10, anchor="m")
    hand(sex_x + 23, mid, person.phone)
    choice_rows = (("参保险种", INSURANCE_CHOICES, insurance), ("备案类型", FILING_CHOICES, filing_type))
    for label, choices, chosen in choice_rows:
        mid = row(label)
        x = left + label_w + 4
        for choice in choices:
            tick_box(s, x, mid, "tick" if choice == chosen else None)
            x += 5 + s.text(x + 5, mid, choice, 9.5) + 6
    mid = row("就医地")
    hand(left + label_w + 4, mid, destination)
    mid = row("备案开始日期")
    hand(left + label_w + 4, mid, date_text(start, "cn_short"))
    mid = row("异地居住地址")
    hand(left + label_w + 4, mid, address)
    y += 8
    s.text(left, y, "本人自愿申请办理跨省异地就医备案，现郑重承诺：", 10.5, font_name="sans_bold")
    y += 8
    for promise in PROMISES:
        s.text(left + 4, y, promise, 10)
        y += 7
    y += 14
    s.text(100, y, "承诺人（签字并按手印）：", 10.5)
    written(s, 150, y, person.name, 14, rng, by_hand=True)
    s.stamp(_fingerprint(rng), 166 + rng.uniform(-3, 3), y + rng.uniform(-2, 2), 11)
    y += 12
    s.text(100, y, "承诺日期：", 10.5)
    written(s, 122, y, date_text(ctx.on, "cn_short"), 11, rng, by_hand=True)
    y += 16
    s.rect(left, y, right, y + 30, width=0.3)
    s.text(left + 3, y + 6, "以下由参保地经办机构填写", 9.5, color=(90, 90, 90))
    s.text(left + 3, y + 16, "受理意见：", 10)
    s.text(left + 3, y + 25, "经办人：", 10)
    s.text(110, y + 25, "受理日期：      年    月    日", 10)
    fields = filing_fields(title, person, insured, destination, filing_type, start)
    return Rendered("filing_form", None, [s], fields, False, title)


FAMILIES = [
    Family(
        "commitment_fingerprint",
        "filing_form",
        "告知承诺制的跨省异地就医备案个人承诺书，申请人蓝色圆珠笔手填：左栏印刷标签的格子表（姓名、性别、"
        "公民身份号码每位一格、参保地、联系电话、就医地、短中文日期备案开始日期、异地居住地址），参保险种与备案类型为印刷方框"
        "手写打勾，印刷承诺段落（一）至（四），“承诺人（签字并按手印）”手写签名压红色指印，手写承诺日期，底部空白经办机构栏；无章",
        draw_commitment_fingerprint,
        ("sans", "serif", "ming"),
        (150, 300),
        ("scan", "photo"),
    ),
]
