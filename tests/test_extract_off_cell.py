"""Mechanisms for bills and lists whose values sit off their printed cells or away from any label: a short
label inside another field's longer one, a stamp's note after a label, a payee named only under 医疗机构, a
total whose label is two cells away, a serial number after a misread №, a thermal list's two lines an item,
a 日期 column, a list's dates under 入院/出院, splits printed 0.00 on a self-paying patient's bill. Each on
crafted OCR lines (not a sample)."""

from __future__ import annotations

import datetime as dt

from extractors.extract import extract_document
from intake.models import Check, DocType, Document, ExtractedField, OcrLine, Page
from intake.reasons import Code

CASE_DATE = dt.date(2025, 6, 20)
# The clerk threshold (INTAKE_THRESHOLDS__MIN_FIELD_CONFIDENCE's default): a guess must read below it.
MIN_FIELD_CONFIDENCE = 0.8


def line(text: str, x: float, y: float, w: float | None = None, h: float = 46, confidence: float = 0.99) -> OcrLine:
    w = w if w is not None else 30 * len(text)
    return OcrLine(text=text, confidence=confidence, polygon=[(x, y), (x + w, y), (x + w, y + h), (x, y + h)])


def read(doc_type: DocType, *lines: OcrLine) -> tuple[dict[str, ExtractedField], list[Check]]:
    page = Page(source="t.jpg", page=1, width=2000, height=1200, lines=list(lines))
    return extract_document(Document(source="t.jpg", pages=[1], doc_type=doc_type), [page], CASE_DATE)


def failed(checks: list[Check], code: Code) -> list[list[str]]:
    return [c.fields for c in checks if c.code == code and not c.ok]


# A red paper 住院收费专用票据 filled in by a pin-feed printer: values a little right of and below their
# printed labels, no label's colon, the payee's cell left to the stamp.
PINFEED_HEAD = [
    line("浙江省医疗机构住院收费专用票据", 660, 70, w=780, h=70),
    line("票据代码：41060125", 130, 160, w=300),
    line("姓名", 120, 230, w=90),
    line("龙娜", 245, 247, w=90),
    line("医疗机构", 120, 310, w=140),
    line("宁波市第二医院", 315, 328, w=230),
    line("住院日期", 120, 382, w=140),
    line("2025年4月16日至2025年4月19日", 312, 400, w=460),
]
PINFEED_FOOT = [
    line("合计人民币（大写）", 120, 710, w=270),
    line("叁仟肆佰肆拾柒元捌角", 463, 727, w=320),
    line("夫", 1451, 737, w=42, confidence=0.66),
    line("3447.80", 1512, 746, w=136),
    line("医保统筹支付：1241.21", 146, 816, w=340),
    line("个人账户支付：614.00", 754, 828, w=320),
    line("收款单位（盖章）", 112, 1040, w=250),
    line("收款人", 1218, 1059, w=116),
    line("金杰杰", 1364, 1060, w=145),
]


def test_a_date_label_inside_another_field_s_longer_label_is_not_taken_for_it() -> None:
    """GIVEN a bill printing 住院日期 with the stay's range and no 开票日期 WHEN read THEN 日期 inside 住院日期
    gives the bill no date: its date is missing and a failed field_missing check says so (not the stay's
    first day, silent); the stay's dates are still read from the range."""
    fields, checks = read(DocType.invoice, *PINFEED_HEAD, *PINFEED_FOOT)
    assert "issue_date" not in fields
    assert ["issue_date"] in failed(checks, Code.field_missing)
    assert fields["admission_date"].value == "2025-04-16"
    assert fields["discharge_date"].value == "2025-04-19"


def test_an_inpatient_bill_s_settlement_date_is_its_date() -> None:
    """GIVEN 结算日期 20250419 printed off its cell beside 住院日期's range WHEN read THEN the bill's date is
    the settlement date."""
    fields, _ = read(
        DocType.invoice,
        *PINFEED_HEAD,
        line("结算日期", 1229, 405, w=140),
        line("20250419", 1407, 421, w=154),
        *PINFEED_FOOT,
    )
    assert fields["issue_date"].value == "2025-04-19"


def test_a_stamp_note_after_the_payee_label_is_no_payee_and_the_institution_is_a_flagged_guess() -> None:
    """GIVEN 收款单位（盖章） with nothing written after it but the stamp, and the hospital named under 医疗机构
    WHEN read THEN the payee is never "(盖章)"; it is the hospital under 医疗机构, read below the clerk
    threshold (a guess: a clerk looks)."""
    fields, _ = read(DocType.invoice, *PINFEED_HEAD, *PINFEED_FOOT)
    assert fields["payee"].value == "宁波市第二医院"
    assert fields["payee"].confidence < MIN_FIELD_CONFIDENCE


def test_a_payee_printed_after_its_label_is_not_a_guess() -> None:
    fields, _ = read(
        DocType.invoice,
        *PINFEED_HEAD,
        *PINFEED_FOOT[:-3],
        line("收款单位（盖章）：宁波市第二医院", 112, 1040, w=500),
    )
    assert fields["payee"].value == "宁波市第二医院"
    assert fields["payee"].confidence >= MIN_FIELD_CONFIDENCE


def test_a_total_two_cells_from_its_label_is_the_amount_its_upper_case_says() -> None:
    """GIVEN 合计（大写） then its 大写, a ¥ read as 夫 and the amount in cells of their own WHEN read THEN the
    total is the lone amount that equals the 大写 (the check chose a printed reading), and the check
    passes; with a lone amount that differs from the 大写, no total is made up: it is missing, flagged."""
    fields, checks = read(DocType.invoice, *PINFEED_HEAD, *PINFEED_FOOT)
    assert fields["total_amount"].value == "3447.80"
    assert not failed(checks, Code.amount_upper_matches)
    other = [ln if ln.text != "3447.80" else line("3447.60", 1512, 746, w=136) for ln in PINFEED_FOOT]
    fields, checks = read(DocType.invoice, *PINFEED_HEAD, *other)
    assert "total_amount" not in fields
    assert ["total_amount"] in failed(checks, Code.field_missing)


def test_a_serial_number_after_a_no_mark_read_as_n_is_the_bill_s_number() -> None:
    fields, _ = read(DocType.invoice, line("N 0072117983", 1576, 112, w=330), *PINFEED_HEAD, *PINFEED_FOOT)
    assert fields["invoice_number"].value == "0072117983"


# A kiosk's thermal strip: 项目 | 金额(元); each item on two lines, name and amount, then price × count and
# the class.
THERMAL = [
    line("宁波市第二医院", 335, 61, w=288),
    line("住院费用清单", 350, 128, w=252),
    line("姓名：邵婷佳", 63, 279, w=204),
    line("入院：2025/04/11", 59, 449, w=271),
    line("出院:2025/04/18", 60, 503, w=269),
    line("项目", 52, 671, w=82),
    line("金额(元)", 743, 684, w=126),
    line("医用留置针", 50, 769, w=174),
    line("20.26", 776, 789, w=94),
    line("20.26×1支", 80, 819, w=163),
    line("卫生材料费", 713, 830, w=158),
    line("连花清瘟胶囊", 50, 870, w=202),
    line("156.78", 754, 886, w=116),
    line("26.13×6盒", 78, 918, w=163),
    line("中成药费", 743, 934, w=124),
    line("费用合计：177.04", 14, 1032, w=315),
]


def test_a_thermal_list_s_item_on_two_lines_is_one_item_with_its_price_count_and_class() -> None:
    """GIVEN a narrow list printing each item's name and amount on one line and its unit price × count and
    class on the next WHEN read THEN each item has all five, borne out by price × count = amount, and the
    list's period comes from 入院： and 出院：."""
    fields, checks = read(DocType.expense_list, *THERMAL)
    items = [{k: v for k, v in item.items() if k != "date"} for item in fields["items"].value]
    assert items == [
        {"name": "医用留置针", "category": "卫生材料费", "quantity": "1", "unit_price": "20.26", "amount": "20.26"},
        {"name": "连花清瘟胶囊", "category": "中成药费", "quantity": "6", "unit_price": "26.13", "amount": "156.78"},
    ]
    assert fields["items"].confidence >= MIN_FIELD_CONFIDENCE
    assert not failed(checks, Code.expense_items_sum)
    assert fields["period_start"].value == "2025-04-11"
    assert fields["period_end"].value == "2025-04-18"


def test_a_thermal_item_whose_price_times_count_does_not_make_its_amount_goes_to_a_clerk() -> None:
    """GIVEN the second line of an item read 26.18×6 (not 156.78) WHEN read THEN the item is not given a
    count and price that do not bear it out, and the items are below the clerk threshold."""
    misread = [ln if ln.text != "26.13×6盒" else line("26.18×6盒", 78, 918, w=163) for ln in THERMAL]
    fields, _ = read(DocType.expense_list, *misread)
    assert fields["items"].value[1]["quantity"] == ""
    assert fields["items"].confidence < MIN_FIELD_CONFIDENCE


def daily_row(y: float, day: str, name: str, price: str, amount: str, count: str, category: str) -> list[OcrLine]:
    return [
        line(day, 167, y, w=190),
        line(name, 411, y, w=30 * len(name)),
        line("甲类", 1012, y, w=90),
        line(price, 1271, y, w=114),
        line(amount, 1526, y, w=130),
        line(count, 1768, y, w=44),
        line(category, 1851, y, w=130),
    ]


DAILY_HEADER = [
    line("温州医科大学附属第一医院", 868, 130, w=687),
    line("住院病人费用明细清单", 962, 224, w=492),
    line("病人姓名：黄丽俊", 182, 317, w=312),
    line("日期", 165, 508, w=104),
    line("项目名称", 412, 516, w=174),
    line("医保等级", 972, 527, w=172),
    line("单价", 1284, 530, w=106),
    line("金额", 1550, 529, w=113),
    line("数量", 1710, 538, w=108),
    line("费用类别", 1853, 544, w=170),
]


def test_a_daily_list_s_date_column_is_its_own_and_gives_a_guessed_period() -> None:
    """GIVEN a daily list with a 日期 column before the names (one a C反应蛋白测定, opening with a letter) and no
    入院/出院 labels WHEN read THEN each name is whole (the date is no code glued to it), each item keeps its
    day, and the list's period is the first and last day, below the clerk threshold (a guess)."""
    fields, _ = read(
        DocType.expense_list,
        *DAILY_HEADER,
        *daily_row(606, "2025-05-01", "血常规", "20.76", "124.56", "6", "化验费"),
        *daily_row(678, "2025-05-03", "C反应蛋白测定", "32.23", "32.23", "1", "化验费"),
        line("合计：156.79", 131, 760, w=300),
    )
    items = fields["items"].value
    assert [item["name"] for item in items] == ["血常规", "C反应蛋白测定"]
    assert [item["date"] for item in items] == ["2025-05-01", "2025-05-03"]
    assert fields["period_start"].value == "2025-05-01"
    assert fields["period_end"].value == "2025-05-03"
    assert fields["period_start"].confidence < MIN_FIELD_CONFIDENCE
    assert fields["period_end"].confidence < MIN_FIELD_CONFIDENCE


def splits_bill(*splits: str, total: str = "370.00", upper: str = "叁佰柒拾元整") -> list[OcrLine]:
    labels = ["医保统筹基金支付", "个人账户支付", "个人自付", "个人自费"]
    return [
        line("票据代码：33010125", 100, 100, w=300),
        line("票据号码：0012345678", 900, 100, w=330),
        line("交款人：王芳", 100, 160, w=200),
        line("开票日期：2025-05-06", 900, 160, w=330),
        line(f"金额合计（大写）{upper}", 100, 400, w=500),
        line(f"（小写）{total}", 900, 400, w=250),
        *(
            line(f"{label}：{amount}", 100, 460 + 50 * i, w=400)
            for i, (label, amount) in enumerate(zip(labels, splits, strict=True))
        ),
        line("个人现金支付：370.00", 900, 460, w=330),
        line("收款单位（章）：杭州市第一人民医院", 100, 700, w=560),
    ]


def test_splits_all_printed_zero_say_nothing_of_a_total_paid_otherwise() -> None:
    """GIVEN a self-paying patient's bill: 370.00 paid in cash, the four splits printed 0.00 WHEN read THEN the
    splits check is not made (it would fail on a right bill); the total is still checked against its 大写."""
    fields, checks = read(DocType.invoice, *splits_bill("0.00", "0.00", "0.00", "0.00"))
    assert fields["total_amount"].value == "370.00"
    assert not [c for c in checks if c.code == Code.invoice_splits_sum]
    assert [c.ok for c in checks if c.code == Code.amount_upper_matches] == [True]


def test_a_split_misread_as_zero_beside_others_still_fails_the_splits_check() -> None:
    _, checks = read(DocType.invoice, *splits_bill("200.00", "0.00", "0.00", "0.00"))
    assert [c.ok for c in checks if c.code == Code.invoice_splits_sum] == [False]
    _, checks = read(DocType.invoice, *splits_bill("200.00", "0.00", "100.00", "70.00"))
    assert [c.ok for c in checks if c.code == Code.invoice_splits_sum] == [True]


def test_a_value_drifted_below_its_label_s_row_is_its_label_s_as_a_flagged_guess() -> None:
    """GIVEN a pin-feed bill whose settlement date printed a whole line lower than its label, beside no label
    of its own WHEN read THEN the date is the label's (the nearest label to it), below the clerk threshold;
    a drifted value nearer another label is never taken for this one."""
    fields, _ = read(
        DocType.invoice,
        *PINFEED_HEAD,
        line("结算日期", 1229, 405, w=140),
        line("20250419", 1407, 452, w=154),
        *PINFEED_FOOT,
    )
    assert fields["issue_date"].value == "2025-04-19"
    assert fields["issue_date"].confidence < MIN_FIELD_CONFIDENCE
    fields, _ = read(
        DocType.invoice,
        *PINFEED_HEAD,
        line("结算日期", 1229, 405, w=140),
        line("入院日期", 1229, 450, w=140),
        line("20250416", 1407, 455, w=154),
        *PINFEED_FOOT,
    )
    assert "issue_date" not in fields


def test_an_item_whose_name_was_not_read_is_kept_nameless_and_flagged_not_dropped() -> None:
    """GIVEN a daily list row whose name cell OCR read nothing in, its count × price making its amount WHEN read
    THEN the row is an item with an empty name (the list's sum still holds), and the items go to a clerk."""
    row = [ln for ln in daily_row(678, "2025-05-03", "床位费", "56.09", "56.09", "1", "床位费") if ln.text != "床位费"]
    row.append(line("床位费", 1851, 678, w=130))
    fields, checks = read(
        DocType.expense_list,
        *DAILY_HEADER,
        *daily_row(606, "2025-05-01", "血常规", "20.76", "124.56", "6", "化验费"),
        *row,
        line("合计：180.65", 131, 760, w=300),
    )
    assert [item["name"] for item in fields["items"].value] == ["血常规", ""]
    assert not failed(checks, Code.expense_items_sum)
    assert fields["items"].confidence < MIN_FIELD_CONFIDENCE


def test_a_payee_named_only_by_the_seal_is_a_flagged_guess() -> None:
    """GIVEN a bill whose payee cell is left to its stamp, with no 医疗机构 row and no hospital letterhead, and a
    seal reading 宁波市第二医院 (ring) and 收费专用章 (centre) WHEN read THEN the payee is the seal's unit, below
    the clerk threshold."""
    head = [ln for ln in PINFEED_HEAD if ln.text not in ("医疗机构", "宁波市第二医院")]
    page = Page(source="t.jpg", page=1, width=2000, height=1200, lines=[*head, *PINFEED_FOOT])
    doc = Document(
        source="t.jpg",
        pages=[1],
        doc_type=DocType.invoice,
        has_seal=True,
        seal_boxes=[(1690, 980, 1880, 1120)],
        seal_texts=["宁波市第二医院 收费专用章"],
    )
    fields, checks = extract_document(doc, [page], CASE_DATE)
    assert fields["payee"].value == "宁波市第二医院"
    assert fields["payee"].confidence < MIN_FIELD_CONFIDENCE
    assert not [c for c in checks if c.code == Code.payee_matches_seal]
    fields, _ = extract_document(doc.model_copy(update={"seal_texts": ["宁波市第二医院收费专用章"]}), [page], CASE_DATE)
    assert fields["payee"].value == "宁波市第二医院"
    fields, _ = extract_document(doc.model_copy(update={"seal_texts": []}), [page], CASE_DATE)
    assert "payee" not in fields
