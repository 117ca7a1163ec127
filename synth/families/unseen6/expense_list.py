"""Unseen 费用清单 families (the sixth blind set, stop 39).

`merged_date_cells`: a 住院费用明细清单 a hospital's reporting tool prints as a fully ruled grid on A4, the
charges grouped by the day they were posted and the 日期 cell merged down all of a day's rows (the date
once, in the middle of the merged cell, no rule across it); the columns 日期, 项目名称, 类别, 数量, 单价,
金额, 甲乙类; the particulars above as label：value lines with dates in Chinese (2025年04月15日); a 合计
row closing the grid; under it 费用总额（元） in figures and words, the printing clerk and date, and the
hospital's seal.

`wechat_long_screenshot`: the 住院费用清单 page of a hospital's WeChat service account as the patient
sends it, one long phone screenshot (about 1080 pixels wide, as tall as the list): the phone's status
bar, the page's title bar with the mini-program capsule, a blue card with the hospital, 就诊人, 住院号 and
the ISO admission and discharge dates and the total in large type (¥), then one white card per charge:
its name and its amount (¥) on a line, under it in grey its class, 单价 (¥) and 数量 with the unit
(3支); a grey footnote at the end. No seal, nothing printed on paper."""

from __future__ import annotations

import datetime as dt

from synth.build import Context
from synth.canvas import seal_image
from synth.documents import Rendered, _money, expense_list_fields, to_upper_amount
from synth.families.common import FacedPage, Family, Look, date_text
from synth.people import ChargeLine, make_name

GRADES = {"西药费": "甲", "中成药费": "乙", "卫生材料费": "丙", "检查费": "乙", "治疗费": "甲"}


def _posted(ctx: Context) -> list[tuple[dt.date, list[ChargeLine]]]:
    """Each charge on the day it was posted: a day rate (bed, nursing) on the day of discharge, the rest
    on a day of the stay; the days in order."""
    rng, stay = ctx.rng, ctx.stay
    by_day: dict[dt.date, list[ChargeLine]] = {}
    for line in stay.lines:
        offset = stay.days if line.unit == "日" else rng.randint(0, stay.days - 1)
        by_day.setdefault(stay.admission + dt.timedelta(days=offset), []).append(line)
    return sorted(by_day.items())


def draw_merged_date_cells(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The ruled grid; the truth lists the items in the printed (posting) order."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    days = _posted(ctx)
    fields = expense_list_fields(person, stay, [line for _, lines in days for line in lines])
    s = FacedPage(210, 297, dpi=look.dpi, face=look.font)
    left, right = 14.0, 196.0
    title = "住院费用明细清单"
    s.text(105, 14, stay.hospital, 14, font_name="serif_bold", anchor="m")
    s.text(105, 23, title, 13, font_name="sans_bold", anchor="m")
    for hx, hy, text in (
        (left, 32, f"姓名：{person.name}"),
        (64, 32, f"住院号：{stay.inpatient_number}"),
        (118, 32, f"科别：{stay.department}"),
        (166, 32, f"床位：{stay.bed}"),
        (left, 38, f"入院时间：{date_text(stay.admission, 'cn')}"),
        (84, 38, f"出院时间：{date_text(stay.discharge, 'cn')}"),
        (150, 38, f"费别：{stay.insurance_type[:2]}"),
    ):
        s.text(hx, hy, text, 9)
    edges = [left, 38.0, 98.0, 122.0, 136.0, 156.0, 178.0, right]
    heads = ["日期", "项目名称", "类别", "数量", "单价", "金额", "甲乙类"]
    anchors = ["m", "l", "m", "r", "r", "r", "m"]
    top, head_h = 43.0, 7.0
    n_rows = sum(len(lines) for _, lines in days)
    row_h = min(6.5, 212.0 / (n_rows + 1))
    bottom = top + head_h + (n_rows + 1) * row_h
    s.rect(left, top, right, bottom, width=0.4)
    s.rect(left, top, right, top + head_h, width=0.4, fill=(236, 236, 236))
    for x0, x1, text in zip(edges, edges[1:], heads, strict=False):
        s.text((x0 + x1) / 2, top + head_h / 2, text, 9, font_name="sans_bold", anchor="m")
    for x in edges[1:-1]:
        s.line(x, top, x, bottom - row_h, width=0.25)

    def cell(k: int, y: float, text: str) -> None:
        x0, x1 = edges[k], edges[k + 1]
        x = {"l": x0 + 1.5, "m": (x0 + x1) / 2, "r": x1 - 1.5}[anchors[k]]
        s.text(x, y, text, 8.5, anchor=anchors[k])

    y = top + head_h
    for day, lines in days:
        first = y
        for k, line in enumerate(lines):
            mid = y + row_h / 2
            for col, text in enumerate(
                (line.name, line.category, str(line.quantity), _money(line.unit_price), _money(line.amount)), start=1
            ):
                cell(col, mid, text)
            cell(6, mid, GRADES.get(line.category, "甲"))
            y += row_h
            # A rule under each row, but not across the merged 日期 cell until the day ends.
            s.line(edges[1] if k < len(lines) - 1 else left, y, right, y, width=0.2)
        cell(0, (first + y) / 2, date_text(day, "iso"))
    s.line(edges[1], y, edges[1], bottom, width=0.25)
    s.line(edges[5], y, edges[5], bottom, width=0.25)
    s.line(edges[6], y, edges[6], bottom, width=0.25)
    s.text((left + edges[1]) / 2, y + row_h / 2, "合计", 9, font_name="sans_bold", anchor="m")
    s.text(edges[6] - 1.5, y + row_h / 2, fields["total_amount"], 8.5, font_name="sans_bold", anchor="r")
    y = bottom + 7
    s.text(left, y, f"费用总额（元）：{fields['total_amount']}", 10)
    s.text(84, y, f"人民币大写：{to_upper_amount(stay.total)}", 10)
    y += 8
    s.text(left, y, f"打印人：{make_name(rng)}", 9)
    s.text(84, y, f"打印日期：{date_text(stay.discharge, 'cn')}", 9)
    s.stamp(seal_image(rng, stay.hospital, "住院收费专用章"), 160, min(y + 2, 280), 30)
    return Rendered("expense_list", None, [s], fields, True, title)


# ---------------------------------------------------------------------------------------------
# A WeChat service account's page, one long screenshot

SCREEN_W = 76.0  # mm a 1080-pixel-wide screenshot spans at the family's resolutions
APP_BLUE = (38, 110, 230)
PAGE_GREY = (242, 243, 246)
TEXT_GREY = (130, 134, 140)
ITEM_H = 14.0


def draw_wechat_long_screenshot(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The long screenshot; the truth is the base list's (items in the stay's order)."""
    rng, person, stay = ctx.rng, ctx.person, ctx.stay
    fields = expense_list_fields(person, stay, stay.lines)
    height = 78 + ITEM_H * len(stay.lines) + 22
    s = FacedPage(SCREEN_W, height, dpi=look.dpi, paper=PAGE_GREY, face=look.font)
    w, left, right = SCREEN_W, 4.0, SCREEN_W - 4.0
    # Status bar and title bar.
    s.rect(0, 0, w, 16, width=0.01, color=(255, 255, 255), fill=(255, 255, 255))
    s.text(left + 1, 3.2, f"{rng.randint(8, 22)}:{rng.randint(0, 59):02d}", 7, font_name="sans_bold")
    s.text(right, 3.2, f"{rng.randint(20, 99)}%", 6.5, anchor="r")
    s.rect(right - 12, 2.2, right - 8, 4.2, width=0.15, fill=(30, 30, 30))
    s.line(left + 2.2, 9.2, left + 0.6, 11, width=0.35)  # the back arrow
    s.line(left + 0.6, 11, left + 2.2, 12.8, width=0.35)
    title = "住院费用清单"
    s.text(w / 2, 11, title, 9.5, font_name="sans_bold", anchor="m")
    s.rect(right - 15, 8.6, right, 13.4, width=0.15, color=(210, 210, 210), fill=(255, 255, 255))
    s.text(right - 11, 11, "···", 7, anchor="m", record=False)
    s.text(right - 3.8, 11, "◎", 7, anchor="m", record=False)
    # The blue card.
    s.rect(left, 19, right, 62, width=0.01, color=APP_BLUE, fill=APP_BLUE)
    white = (255, 255, 255)
    s.text(left + 3, 24, stay.hospital, 9, font_name="sans_bold", color=white)
    s.text(left + 3, 30, f"就诊人：{person.name}", 7.5, color=white)
    s.text(left + 38, 30, f"住院号：{stay.inpatient_number}", 7.5, color=white)
    s.text(left + 3, 35, f"入院日期：{date_text(stay.admission, 'iso')}", 7.5, color=white)
    s.text(left + 3, 40, f"出院日期：{date_text(stay.discharge, 'iso')}", 7.5, color=white)
    s.text(left + 3, 47, "费用合计（元）", 7, color=(210, 225, 250))
    s.text(left + 3, 55, f"¥{fields['total_amount']}", 15, font_name="sans_bold", color=white)
    s.text(left + 3, 69, "费用明细", 9, font_name="sans_bold")
    s.text(right, 69, f"共{len(stay.lines)}项", 7, anchor="r", color=TEXT_GREY)
    s.rect(left + 3, 72, left + 9, 72.6, width=0.01, color=APP_BLUE, fill=APP_BLUE)
    y = 75.0
    for line in stay.lines:
        s.rect(left, y, right, y + ITEM_H - 2, width=0.01, color=(255, 255, 255), fill=(255, 255, 255))
        s.text(left + 3, y + 4, line.name, 8.5)
        s.text(right - 3, y + 4, f"¥{_money(line.amount)}", 8.5, font_name="sans_bold", anchor="r")
        detail = f"{line.category}  单价 ¥{_money(line.unit_price)}  数量 {line.quantity}{line.unit}"
        s.text(left + 3, y + 9, detail, 6.8, color=TEXT_GREY)
        y += ITEM_H
    s.text(w / 2, y + 5, "以上费用仅供参考，以医院最终结算为准", 6.5, anchor="m", color=TEXT_GREY)
    s.text(w / 2, y + 10, "— 已经到底了 —", 6.5, anchor="m", color=TEXT_GREY, record=False)
    return Rendered("expense_list", None, [s], fields, False, title)


FAMILIES = [
    Family(
        "merged_date_cells",
        "expense_list",
        "报表工具打印的全格线住院费用明细清单（A4）：按记账日期分组，“日期”格向下合并覆盖当日所有行（日期只印一次、"
        "居中、格内无横线），日期/项目名称/类别/数量/单价/金额/甲乙类，表头信息为标签：值行（中文日期），表尾合计行，"
        "下方费用总额（元）与人民币大写、打印人与打印日期、住院收费专用章",
        draw_merged_date_cells,
        ("sans", "ming", "hei"),
        (150, 300),
        ("scan", "photo"),
    ),
    Family(
        "wechat_long_screenshot",
        "expense_list",
        "医院微信服务号“住院费用清单”页面的手机长截图（约 1080 像素宽、随清单变长）：状态栏、标题栏与小程序胶囊，"
        "蓝色卡片（院名、就诊人、住院号、ISO 入出院日期、大号¥费用合计），每项一张白卡片（名称与¥金额一行，"
        "灰色小字类别、单价¥与带单位数量），末尾灰色提示；无章、无纸面",
        draw_wechat_long_screenshot,
        ("sans", "microhei", "hei"),
        (330, 400),
        ("clean",),
    ),
]
