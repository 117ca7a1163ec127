"""Mechanisms that read layouts no family was tuned on, each on crafted OCR lines (not a sample): lists of
values under one label, dates as one end of a range, a HIS list's table, rows of boxes, an ID number a
digit a box."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from extractors.extract import extract_document
from extractors.layout import hit_at, located_lines, numbered_value
from extractors.normalize import to_upper_amount
from intake.models import Check, DocType, Document, ExtractedField, OcrLine, Page
from intake.reasons import Code

CASE_DATE = dt.date(2025, 6, 20)
# A check digit mod 11-2 bears out; the same number with its last digit changed does not.
ID_NUMBER = "330102199011264497"


def line(text: str, x: float, y: float, w: float | None = None, h: float = 30, confidence: float = 0.99) -> OcrLine:
    w = w if w is not None else 30 * len(text)
    return OcrLine(text=text, confidence=confidence, polygon=[(x, y), (x + w, y), (x + w, y + h), (x, y + h)])


def read(doc_type: DocType, *lines: OcrLine) -> tuple[dict[str, ExtractedField], list[Check]]:
    page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=list(lines))
    return extract_document(Document(source="t.jpg", pages=[1], doc_type=doc_type), [page], CASE_DATE)


def values(doc_type: DocType, *lines: OcrLine) -> dict[str, object]:
    return {name: found.value for name, found in read(doc_type, *lines)[0].items()}


# ---------------------------------------------------------------------------------------------
# 1. Lists of values under one label


def test_a_numbered_list_an_item_a_line_in_the_cell_beside_its_label_gives_the_first_item() -> None:
    """GIVEN 入院诊断 in a grid cell and its diagnoses numbered 1. 2. one a line in the next cell WHEN read THEN
    the value is the first (principal) diagnosis without its number, the second is no part of it, read as
    surely as its line; the whole list is the …_diagnoses field."""
    fields, _ = read(
        DocType.discharge_record,
        line("入院诊断", 100, 600, w=140),
        line("1. 冠状动脉粥样硬化性心脏病", 300, 600, w=400),
        line("2. 慢性肾功能不全", 310, 650, w=250),
        line("出院诊断", 100, 710, w=140),
        line("1. 2型糖尿病", 300, 710, w=200),
        line("入院情况：", 100, 820, w=150),
    )
    assert fields["admission_diagnosis"].value == "冠状动脉粥样硬化性心脏病"
    assert fields["admission_diagnosis"].confidence >= 0.8
    assert "慢性肾功能不全" in str(fields["admission_diagnoses"].value)
    assert str(fields["admission_diagnoses"].value).startswith("1.")
    # The principal diagnosis opens with a digit of its own: only the item's number goes.
    assert fields["discharge_diagnosis"].value == "2型糖尿病"
    assert fields["discharge_diagnosis"].confidence >= 0.8


@pytest.mark.parametrize(
    "printed",
    [
        "出院诊断：1.胆囊结石伴胆囊炎 2.高血压病2级",
        "出院诊断：(1)胆囊结石伴胆囊炎(2)高血压病2级",
        "出院诊断：①胆囊结石伴胆囊炎 ②高血压病2级",
        "出院诊断：1、胆囊结石伴胆囊炎 2、高血压病2级",
        "出院诊断：☑1.胆囊结石伴胆囊炎 2.高血压病2级",
    ],
)
def test_an_inline_list_in_any_numbering_style_gives_its_first_item(printed: str) -> None:
    got = values(DocType.discharge_record, line(printed, 100, 500, w=1200))
    assert got["discharge_diagnosis"] == "胆囊结石伴胆囊炎"


def test_a_first_item_wrapping_onto_the_next_line_is_read_whole_up_to_the_second() -> None:
    """GIVEN a first diagnosis that runs to the right margin and on over the next line, then 2. on that line
    WHEN read THEN the value is the whole first item (the stage kept), not the second."""
    got = values(
        DocType.discharge_record,
        line("出院诊断：1.左乳浸润性导管癌（T2N1M0）", 100, 500, w=1800),
        line("IIA期 2.高血压病", 100, 535, w=400),
        line("出院医嘱：注意休息", 100, 600, w=600),
    )
    assert got["discharge_diagnosis"] == "左乳浸润性导管癌(T2N1M0)IIA期"


def test_a_whole_list_keeps_every_item_and_an_unnumbered_value_is_no_list() -> None:
    """GIVEN the rules' other choice (`numbered: whole`) THEN the items below the first join it as printed;
    a value that opens with no first item's number is no list (None: read as before)."""
    lines = located_lines(
        [
            Page(
                source="t.jpg",
                page=1,
                width=2000,
                height=2800,
                lines=[
                    line("1.流感样病例", 300, 600, w=300),
                    line("2.轻度贫血", 300, 640, w=250),
                    line("主诉：头痛", 100, 700),
                ],
            )
        ]
    )
    whole = numbered_value(lines, hit_at(lines[0].text, lines[0]), [], "whole")
    assert whole is not None and whole.raw == "1.流感样病例2.轻度贫血"
    assert numbered_value(lines, hit_at("2型糖尿病", lines[0]), [], "first") is None


# ---------------------------------------------------------------------------------------------
# 2. Date ranges as one value


@pytest.mark.parametrize(
    "printed",
    [
        "备案有效期：2025年6月1日至2026年5月31日",
        "备案有效期 自2025年6月1日起至2026年5月31日止",
        "有效期：2025.06.01-2026.05.31",
    ],
)
def test_a_start_date_without_its_own_label_is_the_start_of_the_printed_range(printed: str) -> None:
    assert values(DocType.filing_form, line(printed, 100, 500, w=900))["start_date"] == "2025-06-01"


def test_a_start_date_under_its_own_label_wins_over_the_range() -> None:
    got = values(
        DocType.filing_form,
        line("备案开始日期：2025年06月03日", 100, 400, w=600),
        line("备案有效期：2025年6月1日至2026年5月31日", 100, 500, w=900),
    )
    assert got["start_date"] == "2025-06-03"


def test_a_stay_printed_as_a_range_or_as_two_dates_gives_both_ends() -> None:
    """GIVEN a bill's 住院期间 range, and an expense list's 入院日期 and 出院日期 on one row THEN each gives the
    start and the end (an end date under its own label was not read before: the range kind wants two)."""
    bill = values(DocType.invoice, line("住院期间：2025.06.01-2025.06.12", 100, 500, w=700))
    assert (bill["admission_date"], bill["discharge_date"]) == ("2025-06-01", "2025-06-12")
    listed = values(
        DocType.expense_list,
        line("入院日期：2025-04-08", 100, 300, w=400),
        line("出院日期：2025-04-18", 700, 300, w=400),
    )
    assert (listed["period_start"], listed["period_end"]) == ("2025-04-08", "2025-04-18")


# ---------------------------------------------------------------------------------------------
# 3. A HIS list's table: many columns, page subtotals, the total in words

HEADER = [
    ("序号", 40),
    ("项目编码", 120),
    ("项目名称", 350),
    ("规格", 650),
    ("单位", 800),
    ("单价", 900),
    ("数量", 1050),
    ("金额", 1150),
    ("医保类别", 1300),
    ("自付比例", 1450),
]


def _his_list(upper_total: str) -> tuple[dict[str, ExtractedField], list[Check]]:
    rows = [
        [("类别：化验费", 350)],
        [
            ("1", 40),
            ("250301001", 120),
            ("肝功能常规检查", 350),
            ("项", 800),
            ("87.2400", 900),
            ("4", 1060),
            ("348.96", 1150),
            ("甲", 1320),
            ("0.00", 1460),
        ],
        [("类别：西药费", 350)],
        [
            ("2", 40),
            ("XA02BCA0123", 120),
            ("奥美拉唑肠溶胶囊", 350),
            ("20mg*7粒", 650),
            ("盒", 800),
            ("26.3200", 900),
            ("3", 1060),
            ("78.96", 1150),
            ("乙", 1320),
            ("0.10", 1460),
        ],
        [("本页小计：427.92", 1000)],
    ]
    lines = [line("住院费用明细清单", 700, 60), line("住院号：20250408", 40, 120), line("姓名：张三", 600, 120)]
    lines += [line(text, x, 200, w=24 * len(text)) for text, x in HEADER]
    lines += [line(text, x, 260 + 50 * i, w=24 * len(text)) for i, row in enumerate(rows) for text, x in row]
    lines += [line("费用总额：427.92元", 40, 560, w=400), line(f"大写：{upper_total}", 600, 560, w=500)]
    return read(DocType.expense_list, *lines)


def test_a_his_list_reads_its_items_under_their_classes_and_no_subtotal_as_an_item() -> None:
    """GIVEN a ten-column HIS list (codes, specifications, four-decimal unit prices, 甲/乙, fractional 自付比例),
    its rows under 类别：… lines, a 本页小计 and the total with its amount in words WHEN read THEN the items are
    the two rows with their classes, the total is 费用总额's and the words bear it out."""
    fields, checks = _his_list(to_upper_amount(Decimal("427.92")))
    items = fields["items"].value
    assert isinstance(items, list)
    assert [(i["name"], i["category"], i["quantity"], i["amount"]) for i in items] == [
        ("肝功能常规检查", "化验费", "4", "348.96"),
        ("奥美拉唑肠溶胶囊", "西药费", "3", "78.96"),
    ]
    assert fields["total_amount"].value == "427.92"
    assert {c.code: c.ok for c in checks}[Code.amount_upper_matches] is True
    assert {c.code: c.ok for c in checks}[Code.expense_items_sum] is True


def test_a_total_row_printed_in_the_table_s_columns_is_no_item() -> None:
    """GIVEN 费用总额 under 项目名称 with its figures under 金额, and a row in words (大写) WHEN read THEN neither is
    an item: only the priced row is."""
    rows = [
        [("1", 40), ("肝功能常规检查", 350), ("87.2400", 900), ("4", 1060), ("348.96", 1150)],
        [("费用总额", 350), ("348.96", 1150)],
        [("大写：叁佰肆拾捌元玖角陆分", 350)],
    ]
    lines = [line(text, x, 200, w=24 * len(text)) for text, x in HEADER]
    lines += [line(text, x, 260 + 50 * i, w=24 * len(text)) for i, row in enumerate(rows) for text, x in row]
    items = read(DocType.expense_list, *lines)[0]["items"].value
    assert isinstance(items, list) and [i["name"] for i in items] == ["肝功能常规检查"]


def test_a_total_in_words_that_disagrees_fails_its_check() -> None:
    _, checks = _his_list("肆佰贰拾柒元玖角叁分")
    assert {c.code: c.ok for c in checks}[Code.amount_upper_matches] is False


# ---------------------------------------------------------------------------------------------
# 4. Rows of boxes


def _filing_type(*option_lines: OcrLine) -> ExtractedField | None:
    return read(DocType.filing_form, line("备案人员类型", 100, 700, w=180, h=45), *option_lines)[0].get("filing_type")


@pytest.mark.parametrize("mark", ["☑", "■", "█", "√", "团"])
def test_the_marked_option_of_a_row_wrapped_round_its_label_is_taken(mark: str) -> None:
    """GIVEN the options of 备案人员类型 in two lines of one cell, the label at its middle, and one box marked
    (its mark or what OCR reads it as) WHEN read THEN that option is the value, trusted."""
    found = _filing_type(
        line(f"□异地安置退休人员 {mark}异地长期居住人员 □常驻异地工作人员", 390, 673, w=870, h=43),
        line("□异地转诊人员 □临时外出就医人员", 390, 724, w=520, h=42),
    )
    assert found is not None and found.value == "异地长期居住人员" and found.confidence >= 0.8


def test_a_row_of_boxes_with_no_mark_read_is_flagged() -> None:
    """GIVEN the same row with every mark lost in reading WHEN read THEN a guess is kept below any clerk
    threshold (a clerk looks at the boxes), never a trusted option."""
    found = _filing_type(
        line("口异地安置退休人员 口异地长期居住人员 口常驻异地工作人员", 390, 673, w=870, h=43),
        line("异地转诊人员临时外出就医人员", 390, 724, w=520, h=42),
    )
    assert found is not None and found.confidence < 0.8
    assert found.value in ("异地转诊人员", "临时外出就医人员")


# ---------------------------------------------------------------------------------------------
# 5. An ID number a digit a box


def _boxes(number: str, x0: float = 300) -> list[OcrLine]:
    return [line(digit, x0 + 45 * i, 500, w=30, h=40) for i, digit in enumerate(number)]


def test_an_id_number_a_digit_a_box_is_joined_and_its_check_digit_checked() -> None:
    fields, checks = read(DocType.filing_form, line("身份证号码", 100, 500, w=150, h=40), *_boxes(ID_NUMBER))
    assert fields["id_number"].value == ID_NUMBER
    assert {c.code: c.ok for c in checks}[Code.id_check_digit] is True


def test_boxes_read_in_groups_are_joined_and_a_wrong_digit_fails_the_check() -> None:
    wrong = ID_NUMBER[:-1] + "5"
    groups = [wrong[:6], wrong[6:14], wrong[14:]]
    lines = [line(g, 300 + 300 * i, 500, w=260, h=40) for i, g in enumerate(groups)]
    fields, checks = read(DocType.filing_form, line("身份证号码：", 100, 500, w=170, h=40), *lines)
    assert fields["id_number"].value == wrong
    assert {c.code: c.ok for c in checks}[Code.id_check_digit] is False


def test_the_social_security_number_label_gives_the_id_number() -> None:
    fields, _ = read(DocType.filing_form, line("社会保障号码", 100, 500, w=180), line(ID_NUMBER, 320, 500, w=400))
    assert fields["id_number"].value == ID_NUMBER


@pytest.mark.parametrize(
    ("printed", "ends"),
    [
        ("住院期间：2025.06.01-06.12", ("2025-06-01", "2025-06-12")),
        ("住院期间：2025年6月1日至6月12日", ("2025-06-01", "2025-06-12")),
        ("住院期间：2025.12.28-01.05", ("2025-12-28", "2026-01-05")),
    ],
)
def test_a_range_whose_end_is_printed_without_its_year_takes_the_start_s(printed: str, ends: tuple[str, str]) -> None:
    got = values(DocType.invoice, line(printed, 100, 500, w=700))
    assert (got["admission_date"], got["discharge_date"]) == ends


# ---------------------------------------------------------------------------------------------
# A check code no check bears out


def test_a_check_code_with_a_character_read_unsure_is_flagged_and_a_sure_one_is_not() -> None:
    """GIVEN 校验码 d2ef whose e was read at 0.81 (a c it may be) in a line read at 0.96 overall WHEN read THEN
    the code goes to a clerk (below 0.8); the same code read sure throughout does not, nor one whose least
    sure character is read at 0.88 (a right code in a reading without fp32 re-reads)."""
    unsure = line("校验码：d2ef", 100, 500, w=300, confidence=0.96)
    unsure = unsure.model_copy(update={"char_confidences": [1.0, 1.0, 1.0, 0.88, 1.0, 0.99, 0.81, 1.0]})
    sure = unsure.model_copy(update={"char_confidences": [1.0, 1.0, 1.0, 0.99, 1.0, 0.99, 0.88, 1.0]})
    flagged = read(DocType.invoice, unsure)[0]["check_code"]
    trusted = read(DocType.invoice, sure)[0]["check_code"]
    assert flagged.value == trusted.value == "d2ef"
    assert flagged.confidence < 0.8 <= trusted.confidence


def test_an_id_number_no_label_gives_is_the_one_its_check_digit_bears_out() -> None:
    """GIVEN a card photographed aslant, its number standing above and right of 公民身份号码 (no label gives it)
    WHEN read THEN the one number on the card whose check digit passes is the ID number; with a second valid
    number printed (whose is which?) none is taken, and a missing one is a failed check."""
    label = line("公民身份号码", 237, 606, w=155, h=66)
    number = line(ID_NUMBER, 419, 533, w=338, h=104)
    assert values(DocType.id_card, label, number)["id_number"] == ID_NUMBER
    other = line("11010519491231002X", 419, 300, w=338, h=60)
    fields, checks = read(DocType.id_card, label, number, other)
    assert "id_number" not in fields
    assert any(c.code == Code.field_missing and not c.ok and "id_number" in c.fields for c in checks), checks
