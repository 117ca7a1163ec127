"""An unseen 备案表 family: a south-western city's 异地就医备案登记表. A ruled grid with two label–value
pairs a row, every choice (参保险种, 人员类别, 备案人员类型, 申请方式) a row of printed boxes with the
chosen one ticked (√) in pen or filled (■) by the form system, typed values, the validity as a range,
the applicant's signature by hand and the agency's unit seal over its opinion."""

from __future__ import annotations

import datetime as dt

from synth.build import Context
from synth.canvas import BLACK, Surface, seal_image
from synth.documents import DESTINATIONS, Rendered, filing_fields
from synth.families.common import INK_BLUE, FacedPage, Family, Look, date_text, written
from synth.people import make_name

TITLE = "成都市基本医疗保险参保人员异地就医备案登记表"
AGENCY = "成都市医疗保障事务中心"
INSURED_REGION = "四川省成都市"
FILING_TYPES = ("异地安置退休人员", "异地长期居住人员", "常驻异地工作人员", "异地转诊人员", "临时外出就医人员")


def _box(s: Surface, x: float, y: float, mark: str | None, size: float = 3.0) -> None:
    """A printed box at (x, y middle): "tick" a pen √, "fill" a solid ■ the form system prints."""
    top = y - size / 2
    if mark == "fill":
        s.rect(x, top, x + size, top + size, width=0.25, fill=BLACK)
        return
    s.rect(x, top, x + size, top + size, width=0.25)
    if mark == "tick":
        s.line(x + 0.4, y, x + size * 0.4, top + size - 0.3, width=0.4, color=INK_BLUE)
        s.line(x + size * 0.4, top + size - 0.3, x + size + 0.9, top - 0.9, width=0.4, color=INK_BLUE)


def _choices(s: Surface, x: float, y: float, options: tuple[str, ...], chosen: str, mark: str, per_row: int) -> None:
    """Options as boxes, `per_row` a line 5 mm apart, the chosen one marked."""
    x0 = x
    for i, option in enumerate(options):
        if i and i % per_row == 0:
            x, y = x0, y + 5.5
        _box(s, x, y, mark if option == chosen else None)
        x += s.text(x + 4, y, option, 9) + 8


def _row(s: Surface, top: float, h: float, cells: list[tuple[str, str | None]], widths: list[float]) -> None:
    """A ruled row of (label, value) cells: shaded label boxes, typed values (None: drawn by the caller)."""
    x = 16.0
    for (label, value), width in zip(cells, widths, strict=True):
        s.rect(x, top, x + 26, top + h, width=0.25, fill=(240, 240, 240))
        s.rect(x + 26, top, x + width, top + h, width=0.25)
        s.text(x + 13, top + h / 2, label, 9, anchor="m")
        if value is not None:
            s.text(x + 28, top + h / 2, value, 10)
        x += width


def draw_chengdu_boxes(ctx: Context, side: str | None, look: Look) -> Rendered:
    rng, person, on = ctx.rng, ctx.person, ctx.on
    mark = rng.choice(("tick", "fill"))
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith("四川")])
    filing_type = rng.choice(FILING_TYPES)
    start = on + dt.timedelta(days=rng.randint(0, 15))
    end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w = s.width_mm
    full, half = w - 32, (w - 32) / 2
    s.text(w / 2, 18, TITLE, 14, font_name="serif_bold", anchor="m")
    s.text(16, 27, f"编号：{rng.randint(10**9, 10**10 - 1)}", 8.5)
    s.text(w - 16, 27, f"申请日期：{date_text(on, 'cn')}", 9, anchor="r")
    top, h = 31.0, 10.0
    _row(s, top, h, [("姓名", person.name), ("性别", person.sex)], [half, half])
    _row(s, top + h, h, [("社会保障号码", person.id_number), ("联系电话", person.phone)], [half, half])
    _row(s, top + 2 * h, h, [("参保地", INSURED_REGION), ("参保险种", None)], [half, half])
    scheme = rng.choice(("职工医保", "居民医保"))
    _choices(s, 16 + half + 28, top + 2.5 * h, ("职工医保", "居民医保"), scheme, mark, 2)
    _row(s, top + 3 * h, h, [("人员类别", None)], [full])
    status = "城乡居民" if scheme == "居民医保" else rng.choice(("在职", "退休"))
    _choices(s, 44, top + 3.5 * h, ("在职", "退休", "城乡居民"), status, mark, 3)
    _row(s, top + 4 * h, 2 * h, [("备案人员类型", None)], [full])
    _choices(s, 44, top + 4.7 * h, FILING_TYPES, filing_type, mark, 3)
    division = f"{rng.randint(310000, 530000) // 100 * 100}"  # the destination's administrative code
    _row(s, top + 6 * h, h, [("就医地", destination), ("就医地区划", division)], [half, half])
    street = rng.choice(["人民路", "解放路", "建设路", "中山路"])
    _row(s, top + 7 * h, h, [("居住地址", f"{destination}{street}{rng.randint(1, 400)}号")], [full])
    _row(s, top + 8 * h, h, [("备案有效期", f"{date_text(start, 'cn')}至{date_text(end, 'cn')}")], [full])
    _row(s, top + 9 * h, h, [("申请方式", None)], [full])
    _choices(s, 44, top + 9.5 * h, ("本人申请", "委托代办"), "本人申请", mark, 2)
    y = top + 10 * h
    s.rect(16, y, w - 16, y + 30, width=0.25)
    s.text(19, y + 6, "申请人承诺：以上填报信息真实有效，如有虚假，本人承担由此产生的一切责任。", 9)
    s.text(110, y + 17, "申请人（签字）：", 9.5)
    written(s, 140, y + 17, person.name, 11, rng, by_hand=True)
    written(s, 130, y + 25, date_text(on, "cn_short"), 9.5, rng, by_hand=True)
    y += 30
    s.rect(16, y, w - 16, y + 38, width=0.25)
    s.text(19, y + 6, "参保地经办机构意见：", 9.5)
    s.text(40, y + 16, "符合异地就医备案条件，同意备案。", 10)
    s.text(19, y + 32, f"经办人：{make_name(rng)}", 9)
    s.text(70, y + 32, f"复核人：{make_name(rng)}", 9)
    s.text(w - 20, y + 32, date_text(on, "cn"), 9.5, anchor="r")
    s.stamp(seal_image(rng, AGENCY, "业务专用章"), w - 50, y + 20, 36)
    s.text(16, y + 46, "注：1.本表一式两份；2.备案有效期内可在备案地直接结算；3.请勾选相应选项。", 8)
    fields = filing_fields(TITLE, person, INSURED_REGION, destination, filing_type, start)
    return Rendered("filing_form", None, [s], fields, True, TITLE)


FAMILIES = [
    Family(
        "chengdu_boxes",
        "filing_form",
        "西南城市异地就医备案登记表：两对一行底纹格，各选项方框勾选（√）或涂黑（■），打印值，有效期区间，手写签字，单位章",
        draw_chengdu_boxes,
        ("ming", "sans", "droid"),
        (150, 300),
        ("scan", "photo"),
    )
]
