"""备案表 / 登记表 families: other regions' forms. The filing type as a row of boxes ticked or crossed,
values typed or written by hand, other label wordings (申请人姓名, 证件号码, 手机号码, 长期居住地,
人员类型, 开始时间), ruled grids or underlined lines, the agency's unit seal in other places."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from synth.build import Context
from synth.canvas import Surface, seal_image
from synth.documents import DESTINATIONS, Rendered
from synth.families.common import FacedPage, Family, Look, date_text, styled_family, tick_box, written
from synth.people import make_name

FILING_TYPES = ("异地长期居住人员", "常驻异地工作人员", "异地转诊人员", "异地安置退休人员")


@dataclass(frozen=True)
class FormStyle:
    title: str
    agency: str
    insured_region: str
    labels: dict[str, str]  # truth field → printed label
    layout: str  # "grid": ruled label/value cells; "lines": label then an underlined value
    ticks: str | None  # "tick" or "cross": the filing type as boxes; None: typed in its cell
    by_hand: bool  # values written by the applicant, not typed
    date_style: str


def _values(style: FormStyle, ctx: Context) -> dict[str, Any]:
    rng, person = ctx.rng, ctx.person
    return {
        "applicant_name": person.name,
        "id_number": person.id_number,
        "phone": person.phone,
        "insured_region": style.insured_region,
        "destination": rng.choice([d for d in DESTINATIONS if not d.startswith(style.insured_region[:3])]),
        "filing_type": rng.choice(FILING_TYPES),
        "start_date": ctx.on + dt.timedelta(days=rng.randint(0, 20)),
    }


def _entry(s: Surface, style: FormStyle, ctx: Context, x: float, y: float, width: float, value: str) -> None:
    if style.layout == "lines":
        s.line(x, y + 3, x + width, y + 3, width=0.2)
    written(s, x + 2, y, value, 10, ctx.rng, by_hand=style.by_hand)


def _ticks(s: Surface, style: FormStyle, x: float, y: float, chosen: str) -> None:
    """The filing types as boxes in a row, the applicant's one marked."""
    for option in FILING_TYPES:
        tick_box(s, x, y, style.ticks if option == chosen else None)
        x += s.text(x + 4.5, y, option, 9) + 9


def _agency_opinion(
    s: Surface,
    ctx: Context,
    style: FormStyle,
    values: dict[str, Any],
    left: float,
    right: float,
    y: float,
    heading: str,
) -> Rendered:
    """The agency's boxed opinion at the foot (its officer, date and seal) and the form's truth."""
    s.rect(left, y, right, y + 36, width=0.3)
    s.text(left + 3, y + 6, heading, 10)
    s.text(left + 20, y + 17, "经审核，同意备案。", 10)
    s.text(left + 3, y + 31, f"经办人：{make_name(ctx.rng)}", 9.5)
    s.text(right - 45, y + 31, date_text(ctx.on, style.date_style), 10)
    s.stamp(seal_image(ctx.rng, style.agency, "业务专用章"), right - 40, y + 20, 36)
    fields = {
        "form_title": style.title,
        **{k: v for k, v in values.items() if k != "start_date"},
        "start_date": values["start_date"].isoformat(),
        "signature_present": True,
    }
    return Rendered("filing_form", None, [s], fields, True, style.title)


def draw_form(style: FormStyle, ctx: Context, look: Look) -> Rendered:
    values = _values(style, ctx)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w, lab = s.width_mm, style.labels
    s.text(w / 2, 20, style.title, 15, font_name="serif_bold", anchor="m")
    s.text(18, 31, f"{lab['insured_region']}：{style.insured_region}", 10)
    s.text(w - 18, 31, f"申请日期：{date_text(ctx.on, style.date_style)}", 10, anchor="r")
    start = date_text(values["start_date"], style.date_style)
    rows: list[tuple[str, str]] = [
        (lab["applicant_name"], values["applicant_name"]),
        (lab["id_number"], values["id_number"]),
        (lab["phone"], values["phone"]),
        (lab["destination"], values["destination"]),
        (lab["start_date"], start),
    ]
    top, h, left, right = 38.0, 12.0, 18.0, w - 18
    label_w = 34.0
    for i, (label, value) in enumerate(rows):
        y = top + i * h
        if style.layout == "grid":
            s.rect(left, y, right, y + h, width=0.3)
            s.line(left + label_w, y, left + label_w, y + h, width=0.3)
        s.text(left + 2, y + h / 2, label if style.layout == "grid" else f"{label}：", 9.5)
        _entry(s, style, ctx, left + label_w + 1, y + h / 2, right - left - label_w - 4, value)
    y = top + len(rows) * h
    if style.layout == "grid":
        s.rect(left, y, right, y + h, width=0.3)
        s.line(left + label_w, y, left + label_w, y + h, width=0.3)
    s.text(left + 2, y + h / 2, lab["filing_type"] if style.layout == "grid" else f"{lab['filing_type']}：", 9.5)
    if style.ticks:
        _ticks(s, style, left + label_w + 2, y + h / 2, values["filing_type"])
    else:
        _entry(s, style, ctx, left + label_w + 1, y + h / 2, right - left - label_w - 4, values["filing_type"])
    y += h + 8
    s.text(left, y, "本人承诺所填信息真实，如有不实，自愿承担相应责任。", 10)
    s.text(left + 90, y + 12, f"{lab['signature']}：", 10)
    written(s, left + 118, y + 12, ctx.person.name, 11, ctx.rng, by_hand=True)
    s.text(left + 90, y + 20, date_text(ctx.on, style.date_style), 10)
    y += 34
    return _agency_opinion(s, ctx, style, values, left, right, y, "经办机构审核意见：")


STYLES: dict[str, tuple[str, FormStyle]] = {
    "cross_province_ticks": (
        "跨省异地就医备案登记表：格子表，人员类型勾选（√），打印值，证件号码",
        FormStyle(
            title="跨省异地就医备案登记表",
            agency="宁波市医疗保障局",
            insured_region="浙江省宁波市",
            labels={
                "insured_region": "参保地",
                "applicant_name": "参保人姓名",
                "id_number": "证件号码",
                "phone": "联系电话",
                "destination": "就医地",
                "start_date": "开始日期",
                "filing_type": "人员类型",
                "signature": "申请人（签名）",
            },
            layout="grid",
            ticks="tick",
            by_hand=False,
            date_style="cn",
        ),
    ),
    "handwritten_lines": (
        "异地就医登记表：下划线行式，手写填写，备案类型手写，身份证号码",
        FormStyle(
            title="南阳市参保人员异地就医登记表",
            agency="南阳市医疗保障事务中心",
            insured_region="河南省南阳市",
            labels={
                "insured_region": "参保统筹区",
                "applicant_name": "姓名",
                "id_number": "身份证号码",
                "phone": "手机号码",
                "destination": "长期居住地",
                "start_date": "备案开始时间",
                "filing_type": "备案类型",
                "signature": "本人签名",
            },
            layout="lines",
            ticks=None,
            by_hand=True,
            date_style="cn_short",
        ),
    ),
    "crossed_handwritten": (
        "异地安置备案表：格子表，手写，人员类型打叉（×），申请人姓名，备案地",
        FormStyle(
            title="抚顺市异地安置人员就医备案表",
            agency="抚顺市医疗保障事务服务中心",
            insured_region="辽宁省抚顺市",
            labels={
                "insured_region": "参保地区",
                "applicant_name": "申请人姓名",
                "id_number": "公民身份号码",
                "phone": "电话",
                "destination": "备案地",
                "start_date": "开始时间",
                "filing_type": "人员类型",
                "signature": "申请人签字",
            },
            layout="grid",
            ticks="cross",
            by_hand=True,
            date_style="dot",
        ),
    ),
    "typed_lines_ticks": (
        "长期居住登记表：下划线行式，打印值，备案类型勾选（√），长住地",
        FormStyle(
            title="上海市异地长期居住人员登记表",
            agency="上海市医疗保险事业管理中心",
            insured_region="上海市",
            labels={
                "insured_region": "参保地",
                "applicant_name": "参保人姓名",
                "id_number": "身份证号",
                "phone": "联系电话",
                "destination": "长住地",
                "start_date": "备案开始日期",
                "filing_type": "备案类型",
                "signature": "申请人签名",
            },
            layout="lines",
            ticks="tick",
            by_hand=False,
            date_style="iso",
        ),
    ),
}


# A bordered grid whose rows alternate: a header row of labels, centred in their cells, and the row of
# values beneath it, typed from each cell's left edge (a short label and its value need not overlap).
# Each cell as (truth field, label, width in mm); a row's cells fill the page's 174 mm.
HEADER_GRID = (
    (
        ("applicant_name", "参保人姓名", 36),
        ("sex", "性别", 18),
        ("id_number", "身份证号码", 60),
        ("phone", "联系电话", 60),
    ),
    (
        ("insured_region", "参保地", 40),
        ("destination", "长期居住地", 44),
        ("filing_type", "备案类型", 46),
        ("start_date", "备案开始日期", 44),
    ),
)


def draw_header_grid(ctx: Context, side: str | None, look: Look) -> Rendered:
    """备案表 as a grid of header rows: each row of labels has its values in the row beneath, typed."""
    style = FormStyle(
        title="苏州市参保人员异地就医备案表",
        agency="苏州市医疗保障局",
        insured_region="江苏省苏州市",
        labels={},
        layout="grid",
        ticks=None,
        by_hand=False,
        date_style="slash",
    )
    values = _values(style, ctx)
    shown = {**values, "sex": ctx.person.sex, "start_date": date_text(values["start_date"], style.date_style)}
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w = s.width_mm
    s.text(w / 2, 20, style.title, 15, font_name="serif_bold", anchor="m")
    s.text(w - 18, 31, f"填表日期：{date_text(ctx.on, style.date_style)}", 10, anchor="r")
    left, right, y = 18.0, w - 18, 38.0
    for row in HEADER_GRID:
        x = left
        for name, label, width in row:
            s.rect(x, y, x + width, y + 9, width=0.3)
            s.rect(x, y + 9, x + width, y + 20, width=0.3)
            s.text(x + width / 2, y + 4.5, label, 9, anchor="m")
            s.text(x + 1.5, y + 14.5, shown[name], 10)
            x += width
        y += 20
    y += 10
    s.text(left, y, "本人承诺所填信息真实，如有不实，自愿承担相应责任。", 10)
    s.text(left + 90, y + 12, "申请人签字：", 10)
    written(s, left + 114, y + 12, ctx.person.name, 11, ctx.rng, by_hand=True)
    y += 26
    return _agency_opinion(s, ctx, style, values, left, right, y, "经办机构意见：")


_family = partial(styled_family, doc_type="filing_form", styles=STYLES, draw=draw_form)

FAMILIES = [
    _family("cross_province_ticks", ("microhei", "serif"), (150, 300), ("scan", "photo")),
    _family("handwritten_lines", ("sans", "ming"), (200, 300), ("scan", "photocopy")),
    _family("crossed_handwritten", ("droid", "hei"), (150, 250), ("scanned_grey", "photo")),
    _family("typed_lines_ticks", ("ming", "microhei"), (200, 400), ("scan", "rotated180")),
    Family(
        "header_grid",
        "filing_form",
        "异地就医备案表：格子表，表头行印标签、下一行填值（值在标签下方的格内，左对齐），打印值",
        draw_header_grid,
        ("hei", "sans"),
        (180, 300),
        ("scan", "photo"),
    ),
]
