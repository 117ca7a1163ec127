"""An unseen 备案表 family: a northern province's 跨省异地就医登记备案表 for employees posted away
(常驻异地工作人员) and others, filled in by hand. A ruled grid of four cells a row (label, value,
label, value); every choice (参保险种, 备案人员类别, 就医地) written into its cell in ballpoint, not
ticked; a 单位意见 box the employer signs and seals with its company seal; the agency's opinion with
its 业务专用章; and the validity the agency grants (备案有效期) typed into a box at the foot."""

from __future__ import annotations

import datetime as dt

from synth.build import Context
from synth.canvas import Surface, seal_image
from synth.documents import DESTINATIONS, Rendered, filing_fields
from synth.families.common import FacedPage, Family, Look, date_text, written
from synth.people import make_name, years_after

TITLE = "山东省跨省异地就医登记备案表"
AGENCY = "济南市医疗保障事业中心"
INSURED_REGION = "山东省济南市"
# Each kind of filing with the reason an applicant writes for it.
FILING_TYPES = {
    "常驻异地工作人员": "因工作需要长期在外地，申请办理异地就医备案。",
    "异地长期居住人员": "本人长期在外地居住，申请办理异地就医备案。",
    "异地安置退休人员": "退休后随子女在外地定居，申请办理异地安置备案。",
    "异地转诊人员": "经参保地医院诊断需转外地治疗，申请转诊备案。",
}
EMPLOYERS = ("济南鲁信电子有限公司", "山东华源建设工程有限公司", "济南泉城物流有限公司", "山东齐鲁食品股份有限公司")
LEFT, LABEL_W = 14.0, 28.0


def _cell_row(s: Surface, top: float, h: float, labels: list[str], widths: list[float]) -> list[float]:
    """A ruled row of label cells each followed by a value cell; returns the x where each value starts."""
    x, starts = LEFT, []
    for label, width in zip(labels, widths, strict=True):
        s.rect(x, top, x + LABEL_W, top + h, width=0.3)
        s.rect(x + LABEL_W, top, x + width, top + h, width=0.3)
        s.text(x + LABEL_W / 2, top + h / 2, label, 9, anchor="m")
        starts.append(x + LABEL_W + 2)
        x += width
    return starts


def draw_sd_written_in(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The form; the truth holds the applicant's entries and the start of the validity granted."""
    rng, person, on = ctx.rng, ctx.person, ctx.on
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith("山东")])
    filing_type = rng.choice(list(FILING_TYPES))
    start = on + dt.timedelta(days=rng.randint(1, 10))
    end = years_after(start, 2) - dt.timedelta(days=1)
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w = s.width_mm
    full, half = w - 2 * LEFT, (w - 2 * LEFT) / 2
    s.text(w / 2, 18, TITLE, 15, font_name="serif_bold", anchor="m")
    s.text(LEFT, 27, "填表日期：", 9)
    written(s, LEFT + 17, 27, date_text(on, "cn_short"), 9.5, rng, by_hand=True)
    s.text(w - LEFT, 27, "（此表由参保人填写，一式两份）", 8.5, anchor="r")
    top, h = 31.0, 11.0
    hand = [
        (["姓名", "性别"], [half, half], [person.name, person.sex]),
        (["身份证号码", "联系电话"], [half + 12, half - 12], [person.id_number, person.phone]),
        (
            ["参保地", "参保险种"],
            [half, half],
            [INSURED_REGION, rng.choice(("职工基本医疗保险", "城乡居民基本医疗保险"))],
        ),
        (["工作单位", "备案人员类别"], [half, half], [rng.choice(EMPLOYERS), filing_type]),
        (
            ["就医地", "就医地址"],
            [half, half],
            [destination, f"{rng.choice(('新华路', '滨江路', '光明街'))}{rng.randint(1, 300)}号"],
        ),
    ]
    employer = hand[3][2][0]
    for r, (labels, widths, values) in enumerate(hand):
        starts = _cell_row(s, top + r * h, h, labels, widths)
        for x, value in zip(starts, values, strict=True):
            written(s, x, top + r * h + h / 2, value, 10, rng, by_hand=True)
    y = top + len(hand) * h
    _cell_row(s, y, 2 * h, ["申请理由"], [full])
    written(s, LEFT + LABEL_W + 2, y + h * 0.7, FILING_TYPES[filing_type], 9.5, rng, by_hand=True)
    y += 2 * h
    s.rect(LEFT, y, w - LEFT, y + 26, width=0.3)
    s.text(LEFT + 3, y + 6, "参保人承诺：所填信息及提供材料真实有效，如有虚假愿承担相应法律责任。", 9)
    s.text(120, y + 17, "参保人签字：", 9.5)
    written(s, 142, y + 17, person.name, 11, rng, by_hand=True)
    y += 26
    s.rect(LEFT, y, LEFT + half, y + 40, width=0.3)
    s.rect(LEFT + half, y, w - LEFT, y + 40, width=0.3)
    s.text(LEFT + 3, y + 6, "单位意见：", 9.5)
    written(s, LEFT + 10, y + 17, "情况属实，同意申请。", 10, rng, by_hand=True)
    s.text(LEFT + 3, y + 34, "（单位盖章）", 8.5)
    s.stamp(seal_image(rng, employer, "", star=True), LEFT + half - 28, y + 21, 34)
    s.text(LEFT + half + 3, y + 6, "参保地经办机构意见：", 9.5)
    s.text(LEFT + half + 10, y + 17, "经审核，同意备案。", 10)
    s.text(LEFT + half + 3, y + 34, f"经办人：{make_name(rng)}", 8.5)
    s.text(w - LEFT - 3, y + 34, date_text(on, "cn"), 8.5, anchor="r")
    s.stamp(seal_image(rng, AGENCY, "业务专用章"), w - LEFT - 28, y + 20, 34)
    y += 40
    s.rect(LEFT, y, w - LEFT, y + 12, width=0.45)
    s.text(
        LEFT + 3,
        y + 6,
        f"备案有效期：自{date_text(start, 'cn')}起至{date_text(end, 'cn')}止",
        10,
        font_name="sans_bold",
    )
    s.text(
        LEFT, y + 20, "说明：1.备案有效期内在就医地定点医疗机构直接结算；2.变更或取消备案请到参保地经办机构办理。", 8
    )
    fields = filing_fields(TITLE, person, INSURED_REGION, destination, filing_type, start)
    return Rendered("filing_form", None, [s], fields, True, TITLE)


FAMILIES = [
    Family(
        "sd_written_in",
        "filing_form",
        "北方省份跨省异地就医登记备案表：四格一行表格，全部手写填入（选项写入而非勾选），工作单位与单位意见盖公章，"
        "经办机构业务章，底部方框打印备案有效期",
        draw_sd_written_in,
        ("serif", "microhei", "hei"),
        (150, 300),
        ("scan", "photo"),
    )
]
