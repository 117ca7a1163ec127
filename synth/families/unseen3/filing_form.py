"""An unseen 备案表 family: `nj_long_stay_boxes`, a city's 异地长期居住人员备案表 printed from the agency's
online service after the applicant filled it in there, then signed by hand. The choices listed one under
another, each with its box, the chosen one printed checked (☑: a box with ✓ in it) and the others empty
(☐); dates printed short with dots (2025.6.1); the applicant's 本人承诺 as a ruled table of numbered
promises with the signature and date; a QR code at the top right to look the filing up; the agency's
part at the foot with a 经办人 and a 审核人 line each signed by hand, and its 业务专用章."""

from __future__ import annotations

import datetime as dt

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import DESTINATIONS, Rendered, filing_fields
from synth.families.common import FacedPage, Family, Look, qr_code, written
from synth.people import make_name

TITLE = "南京市异地长期居住人员备案表"
AGENCY = "南京市医疗保险管理中心"
INSURED_REGION = "江苏省南京市"
PERSON_TYPES = ("异地长期居住人员", "异地安置退休人员", "常驻异地工作人员")
SCHEMES = ("职工基本医疗保险", "城乡居民基本医疗保险")
PROMISES = (
    "本人所填信息及提交材料真实、有效，如有虚假，愿承担相应法律责任。",
    "备案后在就医地定点医疗机构就医，按规定直接结算。",
    "备案信息变更时，及时到参保地经办机构办理变更或取消手续。",
)
LEFT, RIGHT = 16.0, 194.0


def short_dot(d: dt.date) -> str:
    """A date as the service prints it: dots, no leading zeros (2025.6.1)."""
    return f"{d.year}.{d.month}.{d.day}"


def _choices(s: FacedPage, x: float, y: float, options: tuple[str, ...], chosen: str) -> float:
    """Options one under another, each after its box; the chosen box printed with ✓. Returns the y below."""
    for option in options:
        s.rect(x, y - 1.8, x + 3.6, y + 1.8, width=0.25)
        if option == chosen:
            s.text(x + 1.8, y, "✓", 9, font_name="serif_bold", anchor="m", record=False)
        s.text(x + 5.5, y, option, 9.5)
        y += 6
    return y


def draw_nj_long_stay_boxes(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The form; the truth holds the applicant's entries, the person type checked and the start date."""
    rng, person, on = ctx.rng, ctx.person, ctx.on
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith("江苏")])
    filing_type = rng.choice(PERSON_TYPES)
    start = on + dt.timedelta(days=rng.randint(1, 15))
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w = s.width_mm
    s.text(w / 2, 20, TITLE, 15, font_name="serif_bold", anchor="m")
    s.image(qr_code(rng), RIGHT - 18, 8, 18, 18)
    s.text(RIGHT - 9, 28, "扫码查询", 7, anchor="m")
    s.text(LEFT, 31, f"申请编号：BA{on:%Y%m%d}{rng.randint(1000, 9999)}", 8.5)
    s.text(120, 31, f"申请日期：{short_dot(on)}", 8.5)
    # The applicant's block: label cells at the left, one entry a row.
    top, h, label_w = 35.0, 9.0, 34.0
    rows = [
        ("姓名", person.name),
        ("性别", person.sex),
        ("身份证号码", person.id_number),
        ("联系电话", person.phone),
        ("参保地", INSURED_REGION),
        ("备案就医地", destination),
        ("居住地址", f"{destination}{rng.choice(('和平路', '海滨大道', '南湖路'))}{rng.randint(1, 400)}号"),
        ("备案生效日期", short_dot(start)),
    ]
    for i, (label, value) in enumerate(rows):
        y0 = top + i * h
        s.rect(LEFT, y0, LEFT + label_w, y0 + h, width=0.3)
        s.rect(LEFT + label_w, y0, RIGHT, y0 + h, width=0.3)
        s.text(LEFT + label_w / 2, y0 + h / 2, label, 9.5, anchor="m")
        s.text(LEFT + label_w + 3, y0 + h / 2, value, 10)
    y = top + len(rows) * h
    # The choices: each a cell of options listed vertically.
    for label, options, chosen in (
        ("人员类别", PERSON_TYPES, filing_type),
        ("参保险种", SCHEMES, rng.choice(SCHEMES)),
    ):
        cell_h = 6 * len(options) + 3
        s.rect(LEFT, y, LEFT + label_w, y + cell_h, width=0.3)
        s.rect(LEFT + label_w, y, RIGHT, y + cell_h, width=0.3)
        s.text(LEFT + label_w / 2, y + cell_h / 2, label, 9.5, anchor="m")
        _choices(s, LEFT + label_w + 3, y + 4.5, options, chosen)
        y += cell_h
    # 本人承诺: numbered promises in a ruled table, signed and dated under them.
    y += 4
    s.rect(LEFT, y, RIGHT, y + 8, width=0.3, fill=(235, 235, 235))
    s.text(w / 2, y + 4, "本人承诺", 10.5, font_name="sans_bold", anchor="m")
    y += 8
    for i, promise in enumerate(PROMISES, 1):
        s.rect(LEFT, y, LEFT + 10, y + 8, width=0.3)
        s.rect(LEFT + 10, y, RIGHT, y + 8, width=0.3)
        s.text(LEFT + 5, y + 4, str(i), 9.5, anchor="m")
        s.text(LEFT + 13, y + 4, promise, 9)
        y += 8
    s.rect(LEFT, y, RIGHT, y + 14, width=0.3)
    s.text(LEFT + 70, y + 7, "承诺人签字：", 9.5)
    written(s, LEFT + 92, y + 7, person.name, 11, rng, by_hand=True)
    s.text(LEFT + 125, y + 7, f"日期：{short_dot(on)}", 9.5)
    y += 20
    # The agency's part.
    s.rect(LEFT, y, RIGHT, y + 36, width=0.3)
    s.text(LEFT + 3, y + 6, "经办机构审核意见：", 9.5, font_name="sans_bold")
    s.text(LEFT + 12, y + 15, "符合异地就医备案条件，准予备案。", 10)
    s.text(LEFT + 3, y + 29, "经办人：", 9.5)
    s.line(LEFT + 17, y + 31, LEFT + 47, y + 31, width=0.25)
    written(s, LEFT + 19, y + 28, make_name(rng), 10, rng, by_hand=True)
    s.text(LEFT + 55, y + 29, "审核人：", 9.5)
    s.line(LEFT + 69, y + 31, LEFT + 99, y + 31, width=0.25)
    written(s, LEFT + 71, y + 28, make_name(rng), 10, rng, by_hand=True)
    s.text(RIGHT - 3, y + 29, short_dot(on), 9.5, anchor="r")
    s.stamp(seal_image(rng, AGENCY, "业务专用章"), RIGHT - 30, y + 18, 34)
    s.text(LEFT, y + 44, "注：本表由参保人在线填报后打印签字，一式两份，经办机构与参保人各执一份。", 8.5)
    fields = filing_fields(TITLE, person, INSURED_REGION, destination, filing_type, start)
    return Rendered("filing_form", None, [s], fields, True, TITLE)


FAMILIES = [
    Family(
        "nj_long_stay_boxes",
        "filing_form",
        "网上填报后打印签字的异地长期居住人员备案表：左标签格逐行，人员类别与参保险种选项竖排（☑ 方框内√、☐ 空框），"
        "点分无零日期（2025.6.1），本人承诺编号表格与手写签字，右上二维码，经办人/审核人横线手签，业务专用章",
        draw_nj_long_stay_boxes,
        ("sans", "ming", "microhei"),
        (150, 300),
        ("scan", "photo"),
    )
]
