from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.extract import _plain
from extractors.normalize import (
    normalize_id_number,
    parse_amount,
    parse_date,
    parse_date_range,
    parse_upper_amount,
    parse_year_month,
    roman_to_latin,
    single_brackets,
    tnm_digits,
    to_halfwidth,
    to_simplified,
    to_upper_amount,
)


@pytest.mark.parametrize(
    "text",
    [
        "2025年3月4日",
        "2025年03月04日",
        "2025 年 3 月 4 日",
        "2025-03-04",
        "2025/3/4",
        "2025.03.04",
        "20250304",
        "２０２５．０３．０４",
        "开票日期：2025-03-04",
    ],
)
def test_dates(text: str) -> None:
    assert parse_date(text) == dt.date(2025, 3, 4)


@pytest.mark.parametrize("text", ["2025-02-30", "2025年13月1日", "no date", "1850-01-01"])
def test_impossible_dates(text: str) -> None:
    assert parse_date(text) is None


def test_date_ranges() -> None:
    assert parse_date_range("2016.03.04-2036.03.04") == (dt.date(2016, 3, 4), dt.date(2036, 3, 4))
    assert parse_date_range("2016.03.04-长期") == (dt.date(2016, 3, 4), "长期")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("¥12,345.67", "12345.67"),
        ("￥12345.6", "12345.60"),
        ("1 234.50元", "1234.50"),
        ("１２３.４", "123.40"),
        ("-5.00", "-5.00"),
        ("88", "88.00"),
    ],
)
def test_amounts(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("壹万贰仟叁佰肆拾伍元陆角柒分", "12345.67"),
        ("壹佰元整", "100"),
        ("壹仟零伍元伍角", "1005.5"),
        ("人民币壹万零伍元整", "10005"),
        ("⊗壹仟零伍拾元整", "1050"),
        ("伍角", "0.5"),
        ("壹元零伍分", "1.05"),
        ("拾伍元整", "15"),
        ("贰亿零壹万元整", "200010000"),
        ("叁佰圆正", "300"),
    ],
)
def test_upper_amounts(text: str, value: str) -> None:
    assert parse_upper_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "整", "壹贰元", "abc", "壹元伍"])
def test_malformed_upper_amounts(text: str) -> None:
    assert parse_upper_amount(text) is None


@given(st.integers(min_value=1, max_value=9_999_999_999))
def test_upper_amount_round_trip(cents: int) -> None:
    amount = Decimal(cents) / 100
    assert parse_upper_amount(to_upper_amount(amount)) == amount


def test_upper_amount_rendering() -> None:
    assert to_upper_amount(Decimal("12345.67")) == "壹万贰仟叁佰肆拾伍元陆角柒分"
    assert to_upper_amount(Decimal("100")) == "壹佰元整"
    assert to_upper_amount(Decimal("1005.5")) == "壹仟零伍元伍角"


def test_widths_and_id_numbers() -> None:
    assert to_halfwidth("ＡＢ１２：") == "AB12:"
    assert normalize_id_number("33010619800115123x") == "33010619800115123X"
    assert normalize_id_number("3301O6198OO115I23X") == "33010619800115123X"


@pytest.mark.parametrize(("value", "printed"), [("10", "10"), ("10.00", "10"), ("2.5", "2.5"), ("100", "100")])
def test_quantities_keep_their_plain_form(value: str, printed: str) -> None:
    assert _plain(Decimal(value)) == printed


@pytest.mark.parametrize(
    ("read", "printed"),
    [("奧美拉唑肠溶胶囊", "奥美拉唑肠溶胶囊"), ("頭孢克肟分散片", "头孢克肟分散片"), ("乾燥綜合征", "干燥综合征")],
)
def test_traditional_forms_read_back_as_printed(read: str, printed: str) -> None:
    assert to_simplified(read) == printed


@pytest.mark.parametrize(
    "text", ["杭州市第一人民医院", "复方甘草片", "浙江省杭州市西湖区文三路1号", "皇后", "著名", "于某"]
)
def test_simplified_text_is_left_alone(text: str) -> None:
    assert to_simplified(text) == text


@pytest.mark.parametrize(
    ("text", "month"),
    [("2019年11月", "2019-11"), ("入院日期：2019年 3 月", "2019-03"), ("2019-11", "2019-11"), ("2019.7", "2019-07")],
)
def test_year_and_month_without_a_day(text: str, month: str) -> None:
    assert parse_year_month(text) == month


@pytest.mark.parametrize("text", ["2019年11月3日", "2019-11-03", "2019年13月", "共2页", "1234.56"])
def test_not_a_year_and_month(text: str) -> None:
    assert parse_year_month(text) is None


def test_roman_numerals_read_as_one_character_become_letters() -> None:
    assert roman_to_latin("鼻咽癌Ⅲ期 Ⅳ型 ⅱ") == "鼻咽癌III期 IV型 ii"
    assert roman_to_latin("左乳腺癌IIA期") == "左乳腺癌IIA期"


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("直肠癌术后(pT3NOM0)IIA期", "直肠癌术后(pT3N0M0)IIA期"),
        ("(pT3N0MO)", "(pT3N0M0)"),
        ("(T1bNOMO)IA2期", "(T1bN0M0)IA2期"),
        ("(TON0M0)", "(T0N0M0)"),
        ("NYHA心功能III级", "NYHA心功能III级"),  # no TNM: left alone
        ("COPD急性加重", "COPD急性加重"),
    ],
)
def test_an_o_in_a_tnm_classification_is_the_digit(read: str, printed: str) -> None:
    assert tnm_digits(read) == printed


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("胃窦癌(T3N1M0))IIIA期", "胃窦癌(T3N1M0)IIIA期"),  # the tuning set's (tune-dx2) two misreads
        ("右股骨颈骨折((Garden IV型)", "右股骨颈骨折(Garden IV型)"),
        ("高血压(3级(极高危))", "高血压(3级(极高危))"),  # nested as printed: balanced, left alone
        ("肺炎)", "肺炎)"),  # one unmatched bracket, not doubled: nothing to undo
    ],
)
def test_a_bracket_read_twice_is_one(read: str, printed: str) -> None:
    assert single_brackets(read) == printed
