"""Mechanisms on crafted OCR lines (not a sample): names joined by an interpunct, a bracketed word
between a label and its colon, a numbered list under its label beside a two-column page, a word off its
table column, a list printed as cards, and the gaps of a bill a clerk is told of (an e-bill's check code,
one end of a stay, splits whose labels were lost, an ID number's box read empty)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from extractors.extract import extract_document, table_items
from extractors.kinds import parse_name
from extractors.layout import load_field_rules, located_lines
from extractors.normalize import normalize_name, to_upper_amount
from intake import idnumber
from intake.models import Check, DocType, Document, ExtractedField, OcrLine, Page, Side

CASE_DATE = dt.date(2025, 6, 20)


def line(text: str, x: float, y: float, w: float | None = None, h: float = 30, confidence: float = 0.99) -> OcrLine:
    w = w if w is not None else 30 * len(text)
    return OcrLine(text=text, confidence=confidence, polygon=[(x, y), (x + w, y), (x + w, y + h), (x, y + h)])


def read(doc_type: DocType, *lines: OcrLine, side: Side | None = None) -> tuple[dict[str, ExtractedField], list[Check]]:
    page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=list(lines))
    doc = Document(source="t.jpg", pages=[1], doc_type=doc_type, side=side)
    return extract_document(doc, [page], CASE_DATE)


def failed(checks: list[Check], code: str) -> list[list[str]]:
    return [c.fields for c in checks if c.code == code and not c.ok]


# ---------------------------------------------------------------------------------------------
# Names joined by an interpunct


@pytest.mark.parametrize("joiner", ["·", "・", "•", ".", "．", "-", " · "])
def test_a_joined_name_s_interpunct_in_any_form_is_one_dot(joiner: str) -> None:
    assert parse_name(f"艾合买提江{joiner}买买提明", None, {}) == ("艾合买提江·买买提明", 1.0)  # type: ignore[arg-type]
    assert normalize_name(f"买买提{joiner}艾力") == "买买提·艾力"


def test_a_name_longer_than_any_han_name_without_a_joiner_goes_to_a_clerk_whole() -> None:
    """GIVEN a joined name whose · was not read WHEN parsed THEN it is kept whole, not cut at eight
    characters, and below any clerk threshold; a plain name and a trailing full stop are as before."""
    name, fit = parse_name("艾合买提江买买提明", None, {})  # type: ignore[arg-type]
    assert name == "艾合买提江买买提明" and fit < 0.8
    assert parse_name("张三。", None, {}) == ("张三", 1.0)  # type: ignore[arg-type]


def test_a_card_s_joined_name_wrapped_at_its_interpunct_is_read_whole() -> None:
    """GIVEN a card's 姓名 whose value ends with · on its line and goes on under it WHEN read THEN the name is
    both lines; a name without a joiner does not take the line under it."""
    card = [
        line("姓名", 100, 100, w=60),
        line("阿不都热合曼·", 200, 100, w=210),
        line("吐尔逊", 200, 135, w=90),
        line("性别", 100, 200, w=60),
        line("男", 200, 200, w=30),
        line("民族", 300, 200, w=60),
        line("维吾尔", 380, 200, w=90),
    ]
    fields, _ = read(DocType.id_card, *card, side=Side.front)
    assert fields["name"].value == "阿不都热合曼·吐尔逊"
    card[1] = line("王小明", 200, 100, w=90)
    fields, _ = read(DocType.id_card, *card, side=Side.front)
    assert fields["name"].value == "王小明"


def test_a_bracketed_word_between_a_label_and_its_colon_is_part_of_the_label() -> None:
    fields, _ = read(DocType.invoice, line("交款人（患者）：徐欣桂", 100, 100))
    assert fields["payer_name"].value == "徐欣桂"


# ---------------------------------------------------------------------------------------------
# A numbered list under its label on a two-column page


def test_a_numbered_list_under_its_label_beats_the_other_column_s_sentence_on_its_row() -> None:
    """GIVEN a grid of label | value cells (values right of labels), then a left column whose 出院诊断：
    stands alone with 1. … under it, while the right column's sentence runs on to that label's row WHEN read
    THEN the diagnosis is the list's first item, read surely, not the other column's words."""
    fields, _ = read(
        DocType.discharge_record,
        line("姓名", 100, 100, w=60),
        line("王小明", 250, 100, w=90),
        line("性别", 700, 100, w=60),
        line("男", 850, 100, w=30),
        line("住院号", 1300, 100, w=90),
        line("12345678", 1450, 100, w=160),
        line("入院情况：", 1100, 220, w=150),
        line("患者因腹痛3天入院。查体：神志", 1100, 260, w=600),
        line("出院诊断：", 100, 300, w=150),
        line("清，精神可，心肺听诊未见明显异常。", 1100, 305, w=600),
        line("1. 输尿管结石", 110, 345, w=200),
    )
    assert fields["discharge_diagnosis"].value == "输尿管结石"
    assert fields["discharge_diagnosis"].confidence >= 0.8


# ---------------------------------------------------------------------------------------------
# Tables: a word off its column; a list printed as cards


def _table(*lines: OcrLine) -> list[dict[str, str]]:
    page = Page(source="t.jpg", page=1, width=2400, height=2800, lines=list(lines))
    found = table_items(located_lines([page]), load_field_rules().tables["expense_list"])
    assert found is not None and isinstance(found.value, list)
    return found.value


def test_a_name_nearer_a_merged_date_column_s_header_is_the_row_s_name() -> None:
    """GIVEN a daily list whose 日期 cell is merged down a day's rows (the day printed once) and whose names
    are typed from their cell's left edge, nearer 日期's centred header than 项目名称's WHEN read THEN each
    name is its row's, on the row holding the day and on the rows without it."""
    items = _table(
        line("日期", 250, 300, w=100),
        line("项目名称", 700, 300, w=170),
        line("数量", 1440, 300, w=100),
        line("单价", 1640, 300, w=100),
        line("金额", 1880, 300, w=100),
        line("2025-04-16", 200, 400, w=200),
        line("心电图检查", 445, 400, w=190),
        line("6", 1530, 400, w=30),
        line("26.72", 1690, 400, w=110),
        line("160.32", 1920, 400, w=130),
        line("雾化吸入", 445, 460, w=160),
        line("2", 1530, 460, w=30),
        line("12.36", 1690, 460, w=110),
        line("24.72", 1940, 460, w=110),
    )
    assert [(i["name"], i["date"], i["amount"]) for i in items] == [
        ("心电图检查", "2025-04-16", "160.32"),
        ("雾化吸入", "2025-04-16", "24.72"),
    ]


def test_a_list_printed_as_cards_is_read_by_the_titles_under_each_charge() -> None:
    """GIVEN a phone page with no header row: each charge's name and ¥amount on a row, under it its class
    and 单价 / 数量 titled inline WHEN read THEN each card is an item; a card whose count × price is not its
    amount goes to a clerk; headings and the total are no items."""
    lines = [
        line("费用合计（元）", 90, 100, w=260),
        line("¥176.04", 90, 150, w=200),
        line("医用留置针", 90, 300, w=250),
        line("¥20.26", 860, 300, w=190),
        line("卫生材料费 单价 ¥20.26 数量 1支", 90, 340, w=560),
        line("连花清瘟胶囊", 90, 420, w=300),
        line("¥156.78", 840, 420, w=210),
        line("中成药费 单价 ¥26.13 数量 6盒", 90, 460, w=520),
    ]
    page = Page(source="t.jpg", page=1, width=1080, height=2800, lines=lines)
    found = table_items(located_lines([page]), load_field_rules().tables["expense_list"])
    assert found is not None and found.confidence >= 0.8
    assert found.value == [
        {"name": "医用留置针", "category": "卫生材料费", "quantity": "1", "unit_price": "20.26", "amount": "20.26"},
        {"name": "连花清瘟胶囊", "category": "中成药费", "quantity": "6", "unit_price": "26.13", "amount": "156.78"},
    ]
    lines[-1] = line("中成药费 单价 ¥26.13 数量 5盒", 90, 460, w=520)
    page = Page(source="t.jpg", page=1, width=1080, height=2800, lines=lines)
    found = table_items(located_lines([page]), load_field_rules().tables["expense_list"])
    assert found is not None and found.confidence < 0.8


# ---------------------------------------------------------------------------------------------
# The gaps of a bill a clerk is told of


def _slip(*, labelled_splits: bool, with_admission: bool = True, title: str = "住院收费电子票据") -> list[OcrLine]:
    total = "1000.00"
    lines = [
        line(title, 300, 50, w=400),
        line("票据代码：33060122", 100, 120),
        line("票据号码：0030523147", 100, 160),
        line("交款人：王小明", 100, 200),
        line("开票日期：2025-05-12", 100, 240),
        line("出院：2025/05/12", 100, 320),
        line("化验费", 100, 400, w=90),
        line("600.00", 700, 400, w=120),
        line("检查费", 100, 440, w=90),
        line("400.00", 700, 440, w=120),
        line(f"合计：{total}", 100, 500, w=260),
        line(f"大写：{to_upper_amount(Decimal(1000))}", 100, 540, w=300),
    ]
    if with_admission:
        lines.append(line("入院：2025/05/02", 100, 280))
    splits = [
        ("统筹基金支付：", "600.00"),
        ("个人账户支付：", "100.00"),
        ("个人自付：", "250.00"),
        ("个人自费：", "50.00"),
    ]
    for k, (label, amount) in enumerate(splits):
        y = 600 + 40 * k
        if labelled_splits:
            lines.append(line(label, 100, y, w=30 * len(label)))
        lines.append(line(amount, 700, y, w=120))
    return lines


def test_an_e_bill_s_check_code_not_read_is_a_gap_a_paper_bill_s_is_not() -> None:
    _, checks = read(DocType.invoice, *_slip(labelled_splits=True))
    assert ["check_code"] in failed(checks, "field_missing")
    _, checks = read(DocType.invoice, *_slip(labelled_splits=True, title="住院收费票据"))
    assert ["check_code"] not in failed(checks, "field_missing")


def test_a_bill_printing_one_end_of_the_stay_with_the_other_unread_tells_a_clerk() -> None:
    """GIVEN a slip's 出院： date read and its 入院： line not read at all WHEN read THEN the discharge date is
    the slip's and the admission date, not read, fails field_unread naming it."""
    fields, checks = read(DocType.invoice, *_slip(labelled_splits=True))
    assert (fields["admission_date"].value, fields["discharge_date"].value) == ("2025-05-02", "2025-05-12")
    fields, checks = read(DocType.invoice, *_slip(labelled_splits=True, with_admission=False))
    assert "admission_date" not in fields
    assert ["admission_date"] in failed(checks, "field_unread")


def test_split_amounts_under_the_total_whose_labels_were_lost_tell_a_clerk() -> None:
    """GIVEN a bill whose split labels were not read, their amounts standing alone under the total (borne out
    by its 大写) and summing to it WHEN read THEN no split is made up, and a failed field_unread check names
    the four; with the labels read the splits are read and nothing is flagged."""
    fields, checks = read(DocType.invoice, *_slip(labelled_splits=False))
    splits = ["medical_insurance_paid", "personal_account_paid", "self_paid", "self_expense"]
    assert not set(splits) & fields.keys()
    assert splits in failed(checks, "field_unread")
    fields, checks = read(DocType.invoice, *_slip(labelled_splits=True))
    assert [fields[name].value for name in splits] == ["600.00", "100.00", "250.00", "50.00"]
    assert splits not in failed(checks, "field_unread")


def test_an_id_number_s_box_read_empty_is_filled_by_its_check_digit_for_a_clerk() -> None:
    """GIVEN an ID number written a digit a box, one box's digit not read (two pitches between its
    neighbours) WHEN read THEN the number is the one the check digit allows there, repaired and below the
    clerk threshold; with a second box empty nothing is made up."""
    number = "330302198407088158"
    assert idnumber.is_valid(number)
    boxes = [line("公民身份号码", 100, 300, w=180)]
    boxes += [line(digit, 320 + 60 * k, 300, w=30) for k, digit in enumerate(number) if k != 6]
    fields, _ = read(DocType.filing_form, *boxes)
    assert fields["id_number"].value == number
    assert fields["id_number"].repaired and fields["id_number"].confidence < 0.8
    fields, checks = read(DocType.filing_form, *[b for k, b in enumerate(boxes) if k != 10])
    assert "id_number" not in fields
    assert ["id_number"] in failed(checks, "field_missing")
