"""Unseen 备案表 families (the fourth blind set, stop 37).

`referral_signoff`: the 转诊转院备案表 a referring hospital fills in and the patient carries to the 医保
office before treatment in another province.

The referring hospital's 医保办 types the form: a ruled grid of label and value cells, four a row
(患者姓名, 性别; 公民身份号码 across; 参保地, 联系电话; 参保类别 and 备案类别 as printed boxes, the chosen one
filled with a heavy printed check; 临床诊断 across; 转出医院, 科室; 转入医院, 转往地区; 预计转诊日期 in
Chinese without leading zeros); the 转诊理由 in a tall cell. Under it a row of four signature boxes,
each titled at the top (经治医师, 科室主任, 医务科意见, 患者或家属), signed by hand with the date under the
signature; the hospital's 医务科 seal goes on its box and, to tie the form to the patient, over the
patient's name in the grid too. At the foot the agency's part: 经办机构意见, an 经办人 line and the
agency's 业务专用章.

`app_screenshot`: no paper at all: the applicant filed online in the national 医保 app and sends a
screenshot of the filing's detail page as the proof. A phone screen (about 1080 pixels wide): the status
bar (time, signal, battery), a title bar with a back arrow and 备案详情, a blue card saying 备案成功 under
the filing's name (跨省异地就医备案), then white cards of label–value rows, the label at the left in grey
and the value right-aligned in black: 参保人 (the name), 证件号码 masked by the app (so no ID number in
the truth), 参保地, 备案类型, 就医地, 开始日期 and 结束日期 (ISO), 备案渠道, 备案编号; a 撤销备案 button at
the foot. No signature and no phone number are shown, so the truth has neither."""

from __future__ import annotations

import datetime as dt

from synth.build import Context
from synth.canvas import BLACK, Surface, seal_image
from synth.documents import DESTINATIONS, Rendered, filing_fields
from synth.families.common import FacedPage, Family, Look, date_text, written
from synth.people import make_name, years_after

TITLE = "合肥市基本医疗保险参保人员转诊转院备案表"
AGENCY = "合肥市医疗保障基金管理中心"
INSURED_REGION = "安徽省合肥市"
FILING_TYPE = "异地转诊人员"
FILING_OPTIONS = (FILING_TYPE, "异地急诊抢救人员")
SCHEMES = ("职工医保", "居民医保")
# The hospital a destination's referrals most often go to.
RECEIVING = {
    "浙江省杭州市": "浙江大学医学院附属第一医院",
    "海南省三亚市": "解放军总医院海南医学中心",
    "广东省深圳市": "北京大学深圳医院",
    "江苏省苏州市": "苏州大学附属第一医院",
    "云南省昆明市": "昆明医科大学第一附属医院",
    "上海市": "复旦大学附属华山医院",
}
REASONS = (
    "病情复杂，本院诊疗技术条件受限，需转上级医院进一步诊治。",
    "需行特殊检查及手术治疗，本院不具备条件，建议转院。",
    "经院内会诊，建议转往专科医院继续治疗。",
)
LEFT, RIGHT = 15.0, 195.0


def _printed_check(s: Surface, x: float, y: float, chosen: bool, size: float = 3.4) -> None:
    """A printed box at (x, y middle); the chosen one filled with a heavy check the form system prints."""
    top = y - size / 2
    s.rect(x, top, x + size, top + size, width=0.3)
    if chosen:
        s.line(x + 0.5, y, x + size * 0.42, top + size - 0.5, width=0.7, color=BLACK)
        s.line(x + size * 0.42, top + size - 0.5, x + size - 0.3, top + 0.3, width=0.7, color=BLACK)


def draw_referral_signoff(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The form; the truth holds the patient's entries, the filing type checked and the referral date."""
    rng, person, stay, on = ctx.rng, ctx.person, ctx.stay, ctx.on
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith("安徽")])
    start = on + dt.timedelta(days=rng.randint(1, 12))
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    w = s.width_mm
    s.text(w / 2, 18, TITLE, 14.5, font_name="serif_bold", anchor="m")
    s.text(w / 2, 25, "（转出医院填写，一式三份）", 9, anchor="m")
    s.text(RIGHT, 31, f"编号：ZZ{on:%Y%m}{rng.randint(100, 999)}", 8.5, anchor="r")
    label_w, h = 26.0, 9.0
    half = (RIGHT - LEFT) / 2
    y = 34.0

    def pair_row(pairs: list[tuple[str, str]]) -> None:
        nonlocal y
        span = (RIGHT - LEFT) / len(pairs)
        for k, (label, value) in enumerate(pairs):
            x0 = LEFT + k * span
            s.rect(x0, y, x0 + label_w, y + h, width=0.3)
            s.rect(x0 + label_w, y, x0 + span, y + h, width=0.3)
            s.text(x0 + label_w / 2, y + h / 2, label, 9.5, anchor="m")
            if value:
                s.text(x0 + label_w + 2.5, y + h / 2, value, 10)
        y += h

    def choice_row(pairs: list[tuple[str, tuple[str, ...], str]]) -> None:
        nonlocal y
        for k, (label, options, chosen) in enumerate(pairs):
            x0 = LEFT + k * half
            s.rect(x0, y, x0 + label_w, y + h, width=0.3)
            s.rect(x0 + label_w, y, x0 + half, y + h, width=0.3)
            s.text(x0 + label_w / 2, y + h / 2, label, 9.5, anchor="m")
            x = x0 + label_w + 2.5
            for option in options:
                _printed_check(s, x, y + h / 2, option == chosen)
                x += 4.5 + s.text(x + 4.5, y + h / 2, option, 9) + 3
        y += h

    name_row = y
    pair_row([("患者姓名", person.name), ("性别", person.sex)])
    pair_row([("公民身份号码", person.id_number)])
    pair_row([("参保地", INSURED_REGION), ("联系电话", person.phone)])
    choice_row([("参保类别", SCHEMES, rng.choice(SCHEMES)), ("备案类别", FILING_OPTIONS, FILING_TYPE)])
    pair_row([("临床诊断", stay.diagnosis)])
    pair_row([("转出医院", stay.hospital), ("科室", stay.department)])
    pair_row([("转入医院", RECEIVING[destination]), ("转往地区", destination)])
    pair_row([("预计转诊日期", date_text(start, "cn_short")), ("住院号", stay.inpatient_number)])
    s.rect(LEFT, y, LEFT + label_w, y + 22, width=0.3)
    s.rect(LEFT + label_w, y, RIGHT, y + 22, width=0.3)
    s.text(LEFT + label_w / 2, y + 11, "转诊理由", 9.5, anchor="m")
    s.text(LEFT + label_w + 2.5, y + 7, rng.choice(REASONS), 10)
    y += 22
    # The signature boxes: a title at the top, the signature, the date under it.
    box_w, box_h = (RIGHT - LEFT) / 4, 34.0
    signers = [
        ("经治医师", stay.doctor),
        ("科室主任", make_name(rng)),
        ("医务科意见", make_name(rng)),
        ("患者或家属", person.name),
    ]
    for k, (title, signer) in enumerate(signers):
        x0 = LEFT + k * box_w
        s.rect(x0, y, x0 + box_w, y + box_h, width=0.3)
        s.text(x0 + box_w / 2, y + 5, title, 9.5, font_name="sans_bold", anchor="m")
        if title == "医务科意见":
            s.text(x0 + 3, y + 12, "同意转诊。", 9.5)
        s.text(x0 + 3, y + 21, "签字：", 9)
        written(s, x0 + 14, y + 21, signer, 11, rng, by_hand=True)
        s.text(x0 + 3, y + 29, date_text(on, "cn_short"), 8.5)
    medical_office = seal_image(rng, stay.hospital, "医务科")
    s.stamp(medical_office, LEFT + 2.5 * box_w + 8, y + 20, 30)
    # The same seal over the patient's name, tying the form to the patient.
    s.stamp(seal_image(rng, stay.hospital, "医务科"), LEFT + label_w + 22, name_row + h / 2 + 2, 26)
    y += box_h
    s.rect(LEFT, y, RIGHT, y + 30, width=0.3)
    s.text(LEFT + 3, y + 6, "参保地经办机构意见：", 9.5, font_name="sans_bold")
    s.text(LEFT + 12, y + 14, "经审核，同意备案。", 10)
    s.text(LEFT + 3, y + 24, "经办人：", 9.5)
    s.line(LEFT + 17, y + 26, LEFT + 50, y + 26, width=0.25)
    written(s, LEFT + 19, y + 23, make_name(rng), 10.5, rng, by_hand=True)
    s.text(RIGHT - 4, y + 24, date_text(on, "cn_short"), 9.5, anchor="r")
    s.stamp(seal_image(rng, AGENCY, "业务专用章"), RIGHT - 40, y + 14, 32)
    y += 36
    s.text(LEFT, y, "说明：1.本表由转出医院医保办填写，转出医院、参保人、经办机构各留存一份。", 8.5)
    s.text(LEFT + 9, y + 5, "2.备案后在转入医院就医可直接结算，未备案的按规定降低报销比例。", 8.5)
    fields = filing_fields(TITLE, person, INSURED_REGION, destination, FILING_TYPE, start)
    return Rendered("filing_form", None, [s], fields, True, TITLE)


# ---------------------------------------------------------------------------------------------
# A screenshot of the app's filing detail page

APP_TITLE = "跨省异地就医备案"
APP_BLUE = (38, 110, 235)
APP_GREY = (128, 132, 140)
APP_REGIONS = ("浙江省杭州市", "浙江省宁波市", "江苏省苏州市", "安徽省合肥市")
APP_TYPES = ("异地长期居住人员", "常驻异地工作人员", "异地安置退休人员")


def draw_app_screenshot(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The screenshot; its truth is what the page shows (the name, regions, type and start date)."""
    rng, person, on = ctx.rng, ctx.person, ctx.on
    insured = rng.choice(APP_REGIONS)
    destination = rng.choice([d for d in DESTINATIONS if d[:2] != insured[:2]])
    filing_type = rng.choice(APP_TYPES)
    start = on - dt.timedelta(days=rng.randint(0, 10))
    s = FacedPage(68.58, 156.0, dpi=look.dpi, paper=(244, 245, 247), face=look.font)
    w = s.width_mm
    s.text(4, 3, f"{rng.randint(8, 21)}:{rng.randint(0, 59):02d}", 6.5, font_name="sans_bold")
    s.text(w - 4, 3, f"5G  {rng.randint(20, 99)}%", 6, anchor="r")
    s.rect(0, 6, w, 15, width=0.01, color=(255, 255, 255), fill=(255, 255, 255))
    s.text(4, 10.5, "<", 9, record=False)
    s.text(w / 2, 10.5, "备案详情", 8.5, font_name="sans_bold", anchor="m")
    s.rect(3, 18, w - 3, 36, width=0.01, color=APP_BLUE, fill=APP_BLUE)
    s.text(w / 2, 23.5, APP_TITLE, 7.5, anchor="m", color=(255, 255, 255))
    s.text(w / 2, 30.5, "✓ 备案成功", 10, font_name="sans_bold", anchor="m", color=(255, 255, 255))
    masked = f"{person.id_number[:4]}**********{person.id_number[-4:]}"
    end = "长期有效" if filing_type != "常驻异地工作人员" else date_text(years_after(start, 1), "iso")
    cards = [
        ("参保人信息", [("参保人", person.name), ("证件号码", masked), ("参保地", insured)]),
        (
            "备案信息",
            [
                ("备案类型", filing_type),
                ("就医地", destination),
                ("开始日期", date_text(start, "iso")),
                ("结束日期", end),
                ("备案渠道", "国家医保服务平台APP"),
                ("备案编号", f"{rng.randint(10**17, 10**18 - 1)}"),
            ],
        ),
    ]
    y = 40.0
    for heading, rows in cards:
        height = 9 + 7 * len(rows)
        s.rect(3, y, w - 3, y + height, width=0.01, color=(255, 255, 255), fill=(255, 255, 255))
        s.rect(5, y + 3, 5.8, y + 6, width=0.01, color=APP_BLUE, fill=APP_BLUE)
        s.text(7.5, y + 4.5, heading, 7.5, font_name="sans_bold")
        for i, (label, value) in enumerate(rows):
            ry = y + 12 + i * 7
            s.text(6, ry, label, 6.8, color=APP_GREY)
            s.text(w - 6, ry, value, 6.8, anchor="r")
            if i < len(rows) - 1:
                s.line(6, ry + 3.5, w - 6, ry + 3.5, width=0.1, color=(230, 230, 232))
        y += height + 4
    s.text(4, y + 1, "温馨提示：备案成功后，可在就医地联网", 6, color=APP_GREY)
    s.text(4, y + 4.5, "定点医疗机构直接结算。", 6, color=APP_GREY)
    y += 6
    s.rect(10, y + 4, w - 10, y + 12, width=0.25, color=APP_BLUE)
    s.text(w / 2, y + 8, "撤销备案", 7.5, anchor="m", color=APP_BLUE)
    bar = s.height_mm - 2.2  # the phone's home indicator
    s.rect(w / 2 - 12, bar - 0.35, w / 2 + 12, bar + 0.35, width=0.01, color=(20, 20, 20), fill=(20, 20, 20))
    fields = filing_fields(
        APP_TITLE, person, insured, destination, filing_type, start, id_number=False, phone=False, signed=False
    )
    return Rendered("filing_form", None, [s], fields, False, APP_TITLE)


FAMILIES = [
    Family(
        "referral_signoff",
        "filing_form",
        "转出医院医保办填写的转诊转院备案表：四格一行的格子表，参保类别与备案类别为打印方框（选中者打印粗勾），"
        "转入医院与转往地区，预计转诊日期（中文无前导零），转诊理由高格，经治医师/科室主任/医务科/患者四个签字框"
        "（框顶标题、手写签字、日期），医务科章盖在签字框并压在患者姓名上，参保地经办机构意见与业务专用章",
        draw_referral_signoff,
        ("sans", "serif", "microhei"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "app_screenshot",
        "filing_form",
        "国家医保服务平台 App 备案详情页截图（约 1080 像素宽）：状态栏、返回箭头与“备案详情”标题栏，"
        "蓝色“备案成功”卡片，白色卡片内左侧灰色标签、右对齐数值（参保人、打码证件号码、参保地、备案类型、"
        "就医地、ISO 开始/结束日期、备案渠道、备案编号），底部撤销备案按钮；无签名、无电话",
        draw_app_screenshot,
        ("sans", "droid", "microhei"),
        (330, 400),
        ("clean", "photo"),
    ),
]
