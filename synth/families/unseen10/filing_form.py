"""Unseen 异地就医备案 family (the tenth blind set, stop 43).

`tick_after_yes_no_struck`: a county agency's 参保人员异地就医备案申请表 the applicant fills in in blue
ballpoint at the window: the form in numbered sections under bold headings (一、基本信息 … 四、承诺); the
particulars in a ruled table whose cells each hold a printed label with its colon and the value written
after it (申请人, 性别, 身份证号, 联系手机, 参保统筹区, 拟就医地, 备案起始日期 written 2025-6-20 without
zeros); the 备案类型 as six printed options in a two-column grid with no boxes, the chosen one marked by a
handwritten √ AFTER the word; three questions (是否…) each with a printed 是 / 否 pair, the answer that does
not apply struck through by hand; the printed 承诺 paragraph with the signature and the day by hand; the
agency's part at the foot (审核意见 typed 同意, 经办人 signed, the agency's 业务专用章)."""

from __future__ import annotations

import datetime as dt
import random

from synth.build import Context
from synth.canvas import PrintedLine, seal_image
from synth.documents import DESTINATIONS, Rendered, filing_fields
from synth.families.common import INK_BLUE, FacedPage, Family, Look
from synth.people import make_name

KINDS = (
    "异地长期居住人员",
    "常驻异地工作人员",
    "异地安置退休人员",
    "异地转诊人员",
    "临时外出就医人员",
    "其他人员",
)
QUESTIONS = (
    "是否已在就医地连续居住满6个月",
    "是否已在就医地办理居住证",
    "是否同意经办机构核查相关信息",
)


def _tick(s: FacedPage, x: float, y: float, rng: random.Random) -> None:
    """A handwritten √ beginning at x, its foot a little under the line's middle y."""
    size = rng.uniform(3.2, 4.2)
    x0, y0 = x + rng.uniform(0, 0.8), y + rng.uniform(-0.6, 0.2)
    s.line(x0, y0, x0 + size * 0.35, y0 + size * 0.45, width=0.42, color=INK_BLUE)
    s.line(x0 + size * 0.35, y0 + size * 0.45, x0 + size, y0 - size * 0.75, width=0.42, color=INK_BLUE)


def _strike(s: FacedPage, x0: float, x1: float, y: float, rng: random.Random) -> None:
    """A pen stroke through a printed word, a little aslant, overshooting both ends."""
    s.line(
        x0 - rng.uniform(0.8, 1.6),
        y + rng.uniform(-0.5, 0.5),
        x1 + rng.uniform(0.8, 1.6),
        y + rng.uniform(-0.5, 0.5),
        width=0.4,
        color=INK_BLUE,
    )


def draw_tick_after_yes_no_struck(ctx: Context, side: str | None, look: Look) -> Rendered:
    """The filled-in form; it prints every filing field (the phone in full, the signature)."""
    rng, person, on = ctx.rng, ctx.person, ctx.on
    s = FacedPage(210, 297, dpi=look.dpi, paper=(253, 253, 251), face=look.font)
    title = "参保人员异地就医备案申请表"
    insured = f"{person.province}{person.city}"
    destination = rng.choice([d for d in DESTINATIONS if not d.startswith(person.province[:2])])
    kind = rng.choice(KINDS[:5])
    start = on + dt.timedelta(days=rng.randint(0, 15))
    agency = f"{person.city}医疗保障事业管理服务中心"
    left, right = 18.0, 192.0

    def hand(x: float, y: float, value: str, size: float = 11.5) -> float:
        return s.text(
            x + rng.uniform(-0.3, 0.8), y + rng.uniform(-0.8, 0.3), value, size, font_name="kai", color=INK_BLUE
        )

    def labelled(x: float, y: float, label: str, value: str, size: float = 11.5) -> None:
        """A printed label and colon, the value written after it; recorded as the one line it reads as."""
        lw = s.text(x, y, f"{label}：", 9.5, record=False)
        vw = hand(x + lw + 1, y, value, size)
        s.lines.append(PrintedLine(f"{label}：{value}", (x, y - 2.2, x + lw + 1 + vw, y + 2.2)))

    s.text(105, 20, title, 15.5, font_name="serif_bold", anchor="m")
    s.text(right, 29, "编号：", 9, anchor="r")
    s.text(left, 29, f"受理机构：{agency}", 9)
    y = 38.0
    s.text(left, y, "一、基本信息", 10.5, font_name="sans_bold")
    top, row_h, mid = y + 4, 10.0, (left + right) / 2 + 6
    cells = (
        (("申请人", person.name), ("性别", person.sex)),
        (("身份证号", person.id_number), ("联系手机", person.phone)),
        (("参保统筹区", insured), ("拟就医地", destination)),
    )
    for r, row in enumerate(cells):
        y0 = top + r * row_h
        s.rect(left, y0, right, y0 + row_h, width=0.3)
        s.line(mid, y0, mid, y0 + row_h, width=0.3)
        for x, (label, value) in zip((left + 2, mid + 2), row, strict=True):
            labelled(x, y0 + row_h / 2, label, value, 11 if len(value) > 12 else 12)
    y = top + len(cells) * row_h + 9
    s.text(left, y, "二、备案类型（请在所选类型后打“√”）", 10.5, font_name="sans_bold")
    grid_top = y + 4
    half = (right - left) / 2
    for k, option in enumerate(KINDS):
        x = left + 6 + (k % 2) * half
        oy = grid_top + 5 + (k // 2) * 8
        w = s.text(x, oy, f"{k + 1}. {option}", 10)
        if option == kind:
            _tick(s, x + w + 2, oy, rng)
    s.rect(left, grid_top, right, grid_top + 3 * 8 + 2, width=0.3)
    s.line(left + half, grid_top, left + half, grid_top + 26, width=0.2)
    y = grid_top + 26 + 9
    s.text(left, y, "三、情况说明（不适用的请划去）", 10.5, font_name="sans_bold")
    y += 8
    for i, question in enumerate(QUESTIONS, 1):
        s.text(left + 6, y, f"{i}. {question}", 10)
        yes_x = right - 40
        yw = s.text(yes_x, y, "是", 10)
        s.text(yes_x + yw + 2, y, "/", 10, record=False)
        no_x = yes_x + yw + 6
        nw = s.text(no_x, y, "否", 10)
        answer_yes = i == 3 or rng.random() < 0.6
        if answer_yes:
            _strike(s, no_x, no_x + nw, y, rng)
        else:
            _strike(s, yes_x, yes_x + yw, y, rng)
        y += 8
    y += 3
    labelled(left, y, "备案起始日期", f"{start.year}-{start.month}-{start.day}")
    y += 11
    s.text(left, y, "四、承诺", 10.5, font_name="sans_bold")
    y += 7
    s.text(left + 6, y, "本人承诺以上填写内容及所附材料真实有效，如有虚假，愿承担相应法律责任。", 10)
    y += 12
    lw = s.text(left + 86, y, "申请人签名：", 10)
    hand(left + 86 + lw + 1, y, person.name, 14)
    y += 8
    lw = s.text(left + 86, y, "日期：", 10)
    hand(left + 86 + lw + 1, y, f"{on.year}-{on.month}-{on.day}", 11)
    y += 8
    s.rect(left, y, right, y + 38, width=0.3)
    s.text(left + 3, y + 6, "经办机构审核意见：", 10)
    s.text(left + 22, y + 16, "同意", 11)
    lw = s.text(left + 3, y + 30, "经办人：", 10)
    hand(left + 3 + lw + 1, y + 30, make_name(rng), 12)
    s.stamp(seal_image(rng, agency, "业务专用章"), left + 120, y + 20, 34)
    s.text(left, y + 46, "注：本表一式一份，由参保地经办机构留存；所选类型只能选一项。", 8.5)
    fields = filing_fields(title, person, insured, destination, kind, start)
    return Rendered("filing_form", None, [s], fields, True, title)


FAMILIES = [
    Family(
        "tick_after_yes_no_struck",
        "filing_form",
        "县级经办机构窗口发放、参保人用蓝色圆珠笔填写的参保人员异地就医备案申请表：分节粗体标题（一、基本信息…四、承诺）；"
        "基本信息为格线表，每格印“标签：”其后手写值（申请人、性别、身份证号、联系手机、参保统筹区、拟就医地；备案起始"
        "日期手写“2025-6-20”无前导零）；备案类型为两栏六个印刷选项、无方框，在所选项文字后手写“√”；三个“是否…”问题"
        "各印“是 / 否”，不适用的一个用笔划去；印刷承诺与手写签名、日期；底部经办机构审核意见“同意”、经办人签名与业务"
        "专用章",
        draw_tick_after_yes_no_struck,
        ("sans", "ming", "microhei"),
        (150, 300),
        ("scan", "photo"),
    ),
]
