"""Unseen 异地就医备案 family (the seventh blind set, stop 40).

`platform_voucher_print`: the 跨省异地就医备案凭证 the national 医保服务平台 lets an insured person download as
a PDF once a filing is approved, printed in colour on A4 and brought with the claim: the platform's
emblem and name at the top left and a QR code to verify it at the top right (扫码验真), the title, the
备案编号 and 打印时间 under it; the filing in a ruled table of tinted label cells and value cells, two
pairs a row (参保人姓名 / 性别, 证件类型 / 证件号码 in full, 参保地 / 参保险种, 备案类型 and 就医地 each
across the row, 备案开始日期 / 备案结束日期 in Chinese with zeros or 长期, 备案状态 / 申请渠道, 联系电话 with
its middle masked, 经办机构); a 注意事项 box of numbered notes, the insured place's agency's red
electronic seal over the table's foot, and a generated-by line. No signature and no whole phone number
are on it, so neither is in its truth."""

from __future__ import annotations

import datetime as dt

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import DESTINATIONS, Rendered, filing_fields
from synth.families.common import FacedPage, Family, Look, date_text, qr_code
from synth.people import years_after

PLATFORM_BLUE = (22, 92, 178)
LABEL_TINT = (236, 241, 248)
RULE = (176, 186, 200)
FILING_CHOICES = ("异地长期居住人员", "常驻异地工作人员", "临时外出就医人员", "异地转诊就医人员")
INSURANCE_CHOICES = ("职工基本医疗保险", "城乡居民基本医疗保险")
NOTES = (
    "1. 备案成功后，可在就医地开通跨省直接结算的定点医药机构直接结算。",
    "2. 就医时请出示医保电子凭证或社会保障卡，并主动告知已办理异地就医备案。",
    "3. 备案信息发生变化的，请及时通过原渠道办理变更或取消备案。",
    "4. 本凭证可通过扫描右上角二维码核验真伪。",
)


def draw_platform_voucher_print(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The printed voucher; its truth leaves out the phone (masked) and any signature (none)."""
    rng, person, on = ctx.rng, ctx.person, ctx.on
    s = FacedPage(210, 297, dpi=look.dpi, paper=(255, 255, 255), face=look.font)
    left, right = 18.0, 192.0
    # The platform's emblem: a blue disc with a white cross, and its name.
    s.rect(left, 12, left + 11, 23, width=0.01, color=PLATFORM_BLUE, fill=PLATFORM_BLUE)
    s.rect(left + 4.4, 14, left + 6.6, 21, width=0.01, color=(255, 255, 255), fill=(255, 255, 255))
    s.rect(left + 2, 16.4, left + 9, 18.6, width=0.01, color=(255, 255, 255), fill=(255, 255, 255))
    s.text(left + 14, 15.5, "国家医保服务平台", 12, font_name="sans_bold", color=PLATFORM_BLUE)
    s.text(left + 14, 20.5, "National Healthcare Security Service Platform", 6.5, color=PLATFORM_BLUE)
    s.image(qr_code(rng, modules=25, px=6), right - 24, 8, 24, 24)
    s.text(right - 12, 34.5, "扫码验真", 7.5, anchor="m", color=(90, 90, 90))
    title = "跨省异地就医备案凭证"
    s.text(105, 45, title, 18, font_name="sans_bold", anchor="m")
    start = on - dt.timedelta(days=rng.randint(0, 10))
    printed = f"{date_text(on, 'iso')} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    s.text(left, 55, f"备案编号：BA{start:%Y%m%d}{rng.randint(10**9, 10**10 - 1)}", 9)
    s.text(right, 55, f"打印时间：{printed}", 9, anchor="r")
    insured = f"{person.province}{person.city}" if person.city != person.province else person.province
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith(person.province[:2])])
    filing_type = rng.choice(FILING_CHOICES)
    insurance = rng.choice(INSURANCE_CHOICES)
    if filing_type == "临时外出就医人员":
        end = date_text(start + dt.timedelta(days=180), "cn")
    elif filing_type == "异地转诊就医人员":
        end = date_text(years_after(start, 1), "cn")
    else:
        end = "长期"
    phone = f"{person.phone[:3]}****{person.phone[-4:]}"
    agency = f"{person.city}医疗保障事务服务中心"
    rows: list[list[tuple[str, str]]] = [
        [("参保人姓名", person.name), ("性别", person.sex)],
        [("证件类型", "居民身份证"), ("证件号码", person.id_number)],
        [("参保地", insured), ("参保险种", insurance)],
        [("备案类型", filing_type)],
        [("就医地", destination)],
        [("备案开始日期", date_text(start, "cn")), ("备案结束日期", end)],
        [("备案状态", "备案成功"), ("申请渠道", "国家医保服务平台APP")],
        [("联系电话", phone), ("经办机构", agency)],
    ]
    top, row_h, label_w = 62.0, 11.0, 30.0
    mid = (left + right) / 2
    for r, row in enumerate(rows):
        y0 = top + r * row_h
        starts = [left, mid] if len(row) == 2 else [left]
        ends = [mid, right] if len(row) == 2 else [right]
        for x0, x1, (label, value) in zip(starts, ends, row, strict=True):
            s.rect(x0, y0, x0 + label_w, y0 + row_h, width=0.2, color=RULE, fill=LABEL_TINT)
            s.rect(x0 + label_w, y0, x1, y0 + row_h, width=0.2, color=RULE)
            s.text(x0 + label_w / 2, y0 + row_h / 2, label, 9, anchor="m", color=(60, 70, 84))
            s.text(x0 + label_w + 2.5, y0 + row_h / 2, value, 9.5 if len(value) < 16 else 8.5)
    y = top + len(rows) * row_h
    s.stamp(seal_image(rng, agency, "业务专用章"), right - 30, y - 4, 38)
    y += 10
    s.rect(left, y, right, y + 8 + 6.5 * len(NOTES), width=0.2, color=RULE, fill=(250, 250, 252))
    s.text(left + 3, y + 5, "注意事项：", 9, font_name="sans_bold", color=PLATFORM_BLUE)
    for k, note in enumerate(NOTES):
        s.text(left + 5, y + 11 + k * 6.5, note, 8.5)
    s.line(left, 280, right, 280, width=0.2, color=RULE)
    s.text(left, 285, "本凭证由国家医保服务平台生成，打印件与电子凭证具有同等效力。", 7.5, color=(110, 110, 110))
    s.text(right, 285, "第1页/共1页", 7.5, anchor="r", color=(110, 110, 110))
    fields = filing_fields(title, person, insured, destination, filing_type, start, phone=False, signed=False)
    return Rendered("filing_form", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "platform_voucher_print",
        "filing_form",
        "国家医保服务平台下载的跨省异地就医备案凭证 PDF 彩色打印（A4）：左上平台标志与名称、右上扫码验真二维码，"
        "标题下备案编号与打印时间；浅蓝标签格与数值格的格线表、每行两对（参保人姓名/性别、证件类型/完整证件号码、"
        "参保地/参保险种、备案类型与就医地各占一行、带前导零中文备案开始/结束日期或长期、备案状态/申请渠道、"
        "中间打码的联系电话/经办机构），注意事项框，经办机构红色电子章压在表尾，页脚生成说明；无签名、无完整电话",
        draw_platform_voucher_print,
        ("sans", "microhei", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
]
