"""Dates in Chinese numerals, the 时间 twins of date labels, labels read in traditional characters, dates
after the case date, titles, and list rows that wrap or carry a sum forward, on constructed OCR lines
(issue 28)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from extractors.extract import _one_under_another, extract_document, table_items
from extractors.kinds import DATE
from extractors.layout import FieldRule, load_field_rules, located_lines
from extractors.normalize import numeral_dates_as_digits, parse_date, parse_date_range
from intake.models import Check, DocType, Document, ExtractedField, OcrLine
from tests.factories import line, page_of

CASE_DATE = dt.date(2025, 6, 20)
DIGITS = "〇一二三四五六七八九"


def _count(n: int, *, short_tens: bool) -> str:
    """A month or day as a clerk writes it in numerals: 十, 十二, 二十九; with `short_tens` 廿九, 卅一."""
    tens, units = divmod(n, 10)
    unit = DIGITS[units] if units else ""
    if tens == 0:
        return unit
    if tens == 1:
        return "十" + unit
    if short_tens:
        return {2: "廿", 3: "卅"}[tens] + unit
    return DIGITS[tens] + "十" + unit


def _numerals(day: dt.date, nought: str, short_tens: bool) -> str:
    year = "".join(nought if c == "0" else DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{_count(day.month, short_tens=short_tens)}月{_count(day.day, short_tens=short_tens)}日"


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from("〇零O0○"),
    st.booleans(),
)
def test_every_date_in_chinese_numerals_is_read_as_the_date_it_names(day: dt.date, nought: str, short: bool) -> None:
    """GIVEN any day of 1900–2099 written in Chinese numerals (nought as 〇, 零, or as the recogniser gives it:
    O, 0, ○; twenties and thirties as 二十/三十 or 廿/卅) THEN parse_date gives that day, the date pattern finds
    the whole date inside a sentence, and a range of two such dates gives both."""
    text = _numerals(day, nought, short)
    assert parse_date(text) == day
    sentence = f"患者于{text}入院。"
    match = DATE.search(sentence)
    assert match is not None and match.group() == text
    assert parse_date_range(f"{text}至{text}") == (day, day)


def test_numerals_that_name_no_date_are_not_one() -> None:
    """A month's 30th that does not exist is no date; a run of numerals that is no year (一二三四) is left as
    it is; and the text around a date is kept."""
    assert parse_date("二〇二五年二月三十日") is None
    assert parse_date("一二三四年五月六日") is None
    assert numeral_dates_as_digits("于二〇二五年四月十五日入院") == "于2025年4月15日入院"


def _extracted(doc_type: DocType, *lines: OcrLine) -> tuple[dict[str, ExtractedField], list[Check]]:
    doc = Document(source="t.jpg", pages=[1], doc_type=doc_type)
    return extract_document(doc, [page_of(list(lines))], CASE_DATE)


def test_a_record_printing_its_dates_in_numerals_in_label_cells_gives_iso_dates() -> None:
    """GIVEN a record whose 入院时间 / 出院时间 cells hold dates in numerals, and a particulars line whose
    科别 is followed by 床位 THEN both dates are read as ISO dates and the department ends before 床位."""
    fields, checks = _extracted(
        DocType.discharge_record,
        line("温州医科大学附属第一医院", 640, 120),
        line("出院记录", 800, 200),
        line("患者姓名：赵强建 性别：女 年龄：56岁 科别：骨科 床位：30", 150, 400),
        line("入院时间", 190, 530),
        line("二〇二五年五月二十五日", 370, 530),
        line("出院时间", 960, 530),
        line("二〇二五年六月六日", 1140, 530),
        line("住院天数", 190, 610),
        line("12天", 370, 610),
        line("出院诊断", 190, 690),
        line("腰椎间盘突出症", 370, 690),
    )
    assert fields["admission_date"].value == "2025-05-25"
    assert fields["discharge_date"].value == "2025-06-06"
    assert fields["department"].value == "骨科"
    assert [c.ok for c in checks if c.code == "days_in_hospital"] == [True]


def test_a_date_label_ending_in_riqi_also_matches_its_shijian_twin() -> None:
    """GIVEN the rules THEN each date label of two or more characters before 日期 is followed by its 时间 twin,
    and a bare 日期 gets none. GIVEN a bill printing 开具时间 and 入院时间 / 出院时间 THEN its issue date and
    stay are read from them."""
    rule = FieldRule(labels=["开票日期", "日期", "入院时间"], kind="date")
    assert rule.labels == ["开票日期", "开票时间", "日期", "入院时间"]
    assert FieldRule(labels=["开票日期"], kind="text").labels == ["开票日期"]
    fields, _ = _extracted(
        DocType.invoice,
        line("住院收费票据", 150, 220),
        line("开具时间：2025-04-3017:36", 1050, 380),
        line("患者姓名：徐欣桂", 176, 486),
        line("入院时间：2025-04-23", 182, 612),
        line("出院时间：2025-04-30", 1009, 600),
    )
    assert fields["issue_date"].value == "2025-04-30"
    assert fields["admission_date"].value == "2025-04-23"
    assert fields["discharge_date"].value == "2025-04-30"


def test_the_stay_number_printed_as_the_record_number_is_read() -> None:
    """GIVEN 住院病历号：9152735 in a two-column grid row THEN it is the inpatient number."""
    fields, _ = _extracted(
        DocType.discharge_record,
        line("杭州市中医院", 900, 130),
        line("出院记录", 940, 225),
        line("住院病历号：9152735", 210, 600),
        line("医疗付费方式：职工基本医疗保险", 1110, 600),
    )
    assert fields["inpatient_number"].value == "9152735"


def test_a_label_read_in_traditional_characters_is_still_the_label() -> None:
    """GIVEN 性別 (traditional) on the particulars line THEN the name ends before it and the sex is read."""
    fields, _ = _extracted(
        DocType.discharge_record,
        line("杭州市中医院", 1100, 500),
        line("出院小结", 1180, 600),
        line("姓名：陆超 性別：男 年龄：54岁", 460, 680),
    )
    assert fields["patient_name"].value == "陆超"
    assert fields["sex"].value == "男"
    assert fields["age"].value == "54"


def test_a_title_is_the_line_a_title_word_ends_not_a_heading_holding_it() -> None:
    """GIVEN a browser's page heading 异地就医备案申请-…服务大厅 above the printed form's title 异地就医备案申请表
    THEN the title is the form's own line."""
    fields, _ = _extracted(
        DocType.filing_form,
        line("异地就医备案申请-浙江省医疗保障局网上服务大厅", 680, 30),
        line("异地就医备案申请表", 720, 260),
        line("参保人姓名", 250, 480),
        line("邓强怡", 460, 480),
    )
    assert fields["form_title"].value == "异地就医备案申请表"


def test_a_date_after_the_case_date_fails_a_check_naming_it_but_a_filings_start_may_follow() -> None:
    """GIVEN a bill dated after the day the case is handled THEN a failed date_after_case_date check names its
    issue date (the stay's dates before it pass). GIVEN a filing form starting after that day THEN nothing
    fails: a filing may be made ahead."""
    _, checks = _extracted(
        DocType.invoice,
        line("开票日期：2025年08月14日", 840, 440),
        line("住院时间：2025-06-06至2025-06-14", 320, 1150),
    )
    failed = [c for c in checks if c.code == "date_after_case_date"]
    assert [(c.ok, c.fields) for c in failed] == [(False, ["issue_date"])]
    fields, checks = _extracted(
        DocType.filing_form,
        line("异地就医登记备案表", 600, 100),
        line("备案开始日期：2025-07-04", 200, 600),
    )
    assert fields["start_date"].value == "2025-07-04"
    assert not [c for c in checks if c.code == "date_after_case_date"]


HEADER = [line("序号", 157, 508), line("项目名称", 254, 508), line("单价", 1329, 508), line("数量", 1474, 508)]
HEADER.append(line("金额", 1918, 508))


def _row(y: float, seq: str, name: str, price: str, count: str, amount: str) -> list[OcrLine]:
    return [line(seq, 175, y), line(name, 257, y), line(price, 1315, y), line(count, 1523, y), line(amount, 1905, y)]


def _items(lines: list[OcrLine]) -> list[dict[str, str]]:
    found = table_items(located_lines([page_of(lines)]), load_field_rules().tables["expense_list"])
    assert found is not None and isinstance(found.value, list)
    return found.value


def test_a_name_wrapped_to_a_second_line_in_its_cell_joins_its_item() -> None:
    """GIVEN an item whose name runs on to a line of its own just under it, starting where the name starts
    THEN the item's name is whole and no item is lost or added; a note further down at the table's left
    edge is no part of an item."""
    items = _items(
        [
            *HEADER,
            *_row(575, "1", "胸部CT平", "290.86", "5", "1454.30"),
            line("扫", 256, 610),
            *_row(700, "2", "静脉输液", "11.25", "1", "11.25"),
            line("注：自费项目", 100, 900),
        ]
    )
    assert [(i["name"], i["amount"]) for i in items] == [("胸部CT平扫", "1454.30"), ("静脉输液", "11.25")]


def test_carry_forward_rows_of_a_list_over_pages_are_no_items() -> None:
    """GIVEN 过次页 and 承前页 rows carrying the running sum between pages THEN they are not items."""
    items = _items(
        [
            *HEADER,
            *_row(575, "1", "静脉输液", "11.25", "1", "11.25"),
            line("过次页", 257, 650),
            line("11.25", 1905, 650),
            line("承前页", 257, 720),
            line("11.25", 1905, 720),
            *_row(790, "2", "血常规", "22.50", "4", "90.00"),
        ]
    )
    assert [i["name"] for i in items] == ["静脉输液", "血常规"]


def test_a_class_column_headed_feibie_keeps_its_cells_out_of_the_count() -> None:
    """GIVEN a list whose class column is headed 费别 and whose counts carry their unit (4日) THEN each item
    has its class and its count."""
    items = _items(
        [
            line("项目名称", 120, 259),
            line("费别", 559, 254),
            line("数量", 801, 250),
            line("单价", 997, 249),
            line("金额", 1286, 246),
            line("一级护理", 120, 312),
            line("护理费", 559, 309),
            line("4日", 813, 308),
            line("24.59", 988, 304),
            line("98.36", 1276, 301),
        ]
    )
    assert [(i["category"], i["quantity"]) for i in items] == [("护理费", "4")]


def test_two_tables_side_by_side_are_read_as_one_list_the_left_first() -> None:
    """GIVEN a landscape page whose header row names 序号 项目名称 数量 单价 金额 twice, items 1–2 in the left
    table and 3–4 in the right THEN the list is items 1–4 in that order, each with its own figures."""

    def twin(y: float, left: tuple[str, ...], right: tuple[str, ...]) -> list[OcrLine]:
        xs = (75, 144, 667, 757, 901)
        return [line(t, x, y) for x, t in zip(xs, left, strict=True)] + [
            line(t, x + 1085, y) for x, t in zip(xs, right, strict=True)
        ]

    items = _items(
        [
            *twin(225, ("序号", "项目名称", "数量", "单价", "金额"), ("序号", "项目名称", "数量", "单价", "金额")),
            *twin(280, ("1", "医用留置针", "2", "34.89", "69.78"), ("3", "彩色多普勒超声", "5", "225.01", "1125.05")),
            *twin(330, ("2", "胸部CT平扫", "1", "244.58", "244.58"), ("4", "血常规", "6", "22.71", "136.26")),
        ]
    )
    assert [(i["name"], i["amount"]) for i in items] == [
        ("医用留置针", "69.78"),
        ("胸部CT平扫", "244.58"),
        ("彩色多普勒超声", "1125.05"),
        ("血常规", "136.26"),
    ]


def test_a_header_naming_figure_columns_twice_is_still_one_table() -> None:
    """GIVEN a header whose 数量 and 金额 are printed twice (this stay, and so far) after one 项目名称 THEN it
    heads one table: the right part names no item name, so it opens no table of its own, and no line is
    moved."""
    lines = [
        line("项目名称", 120, 250),
        line("数量", 800, 250),
        line("金额", 1000, 250),
        line("数量", 1300, 250),
        line("金额", 1500, 250),
        line("静脉输液", 120, 310),
        line("11.25", 1000, 310),
    ]
    located = located_lines([page_of(lines)])
    table = load_field_rules().tables["expense_list"]
    assert [ln.bbox for ln in _one_under_another(located, table)] == [ln.bbox for ln in located]


def _payee_line(conf_of_di: float) -> OcrLine:
    text = "收款单位（盖章）：浙江大学医学院附第二医院"
    chars = [0.99] * len(text)
    chars[text.index("第")] = conf_of_di
    return OcrLine(
        text=text,
        confidence=0.99,
        polygon=[(170, 1840), (770, 1840), (770, 1890), (170, 1890)],
        char_confidences=chars,
    )


def test_a_payee_with_a_character_read_unsure_goes_to_a_clerk_unless_its_seal_bears_it_out() -> None:
    """GIVEN a payee whose 第 was read at 0.78 (its neighbour 属 lost) THEN it is below the clerk threshold;
    GIVEN the bill's seal reading the same name THEN the seal bears it out and it is as sure as its line."""
    fields, _ = _extracted(DocType.invoice, _payee_line(0.78))
    assert fields["payee"].confidence < 0.8
    fields, _ = _extracted(DocType.invoice, _payee_line(0.99))
    assert fields["payee"].confidence >= 0.8
    doc = Document(
        source="t.jpg", pages=[1], doc_type=DocType.invoice, seal_texts=["浙江大学医学院附第二医院 收费专用章"]
    )
    fields, checks = extract_document(doc, [page_of([_payee_line(0.78)])], CASE_DATE)
    assert [c.ok for c in checks if c.code == "payee_matches_seal"] == [True]
    assert fields["payee"].confidence >= 0.8


def test_a_range_printed_whose_end_is_misread_past_parsing_tells_a_clerk_the_end_is_unread() -> None:
    """GIVEN a bill whose 住院时间 reads 2025-05-08至202S-1011 (its end garbled) THEN the admission date is
    read and the discharge date, not read, fails field_unread naming it, instead of passing unseen; a bill
    printing no stay says nothing of it."""
    fields, checks = _extracted(DocType.invoice, line("住院时间：2025-05-08至202S-1011", 73, 597))
    assert fields["admission_date"].value == "2025-05-08"
    assert "discharge_date" not in fields
    assert [c.fields for c in checks if c.code == "field_unread"] == [["discharge_date"]]
    _, checks = _extracted(DocType.invoice, line("开票日期：2025-05-11", 76, 169))
    assert not [c for c in checks if c.code == "field_unread"]


def test_a_split_whose_label_lost_its_start_is_taken_where_the_sum_bears_it_out() -> None:
    """GIVEN a bill whose 统筹基金支付 label was read only as 付： (a seal over its start), the other splits and
    the total (borne out by its 大写) read THEN the amount after 付： is the fund's split when it is exactly
    what the total less the others leaves, marked repaired; an amount that is not is left unread."""

    def bill(fund: str) -> tuple[dict[str, ExtractedField], list[Check]]:
        return _extracted(
            DocType.invoice,
            line("付：" + fund, 1660, 572),
            line("个人账户支付：98.00", 1506, 684),
            line("个人自付：1203.26", 1508, 793),
            line("个人自费：78.86", 1508, 847),
            line("金额（大写）：叁仟玖佰肆拾叁元贰角", 127, 1000),
            line("金额（小写）：3943.20", 1626, 993),
        )

    fields, checks = bill("2563.08")
    assert fields["medical_insurance_paid"].value == "2563.08" and fields["medical_insurance_paid"].repaired
    assert [c.ok for c in checks if c.code == "invoice_splits_sum"] == [True]
    fields, _ = bill("2563.00")
    assert "medical_insurance_paid" not in fields
