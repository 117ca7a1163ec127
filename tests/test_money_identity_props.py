"""Money and identity edge cases, drawn by hypothesis over everything a bill or a card can print:
signed amounts both ways (小写 ↔ 大写), every amount from 0.00 to 999,999,999,999.99 at 0.01 steps in
the printed variants the payment rules allow, amounts outside that range refused with a stable code, and
first-generation 15-digit ID numbers converted to 18 digits per GB 11643."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from extractors.extract import extract_document
from extractors.normalize import (
    MAX_AMOUNT,
    AmountOutOfRange,
    normalize_id_number,
    parse_amount,
    parse_upper_amount,
    to_upper_amount,
)
from intake import idnumber
from intake.models import DocType, Document, OcrLine, Page
from intake.reasons import MESSAGES, Code

CENT = Decimal("0.01")
amounts = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False)
signed_amounts = st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2)
beyond = st.decimals(min_value=MAX_AMOUNT + CENT, max_value=Decimal("1e18"), places=2) | st.decimals(
    max_value=-MAX_AMOUNT - CENT, min_value=Decimal("-1e18"), places=2
)


@given(signed_amounts)
@example(Decimal("0.00"))
@example(Decimal("0.50"))  # 角 without 分 or 元
@example(Decimal("0.05"))  # 分 without 角
@example(Decimal("1.05"))  # 元零伍分
@example(Decimal("100000001.00"))  # 壹亿零壹元整
@example(MAX_AMOUNT)
@example(-MAX_AMOUNT)
def test_upper_amount_round_trips_over_every_printable_amount(amount: Decimal) -> None:
    upper = to_upper_amount(amount)
    assert parse_upper_amount(upper) == amount
    assert upper.startswith("负") == (amount < 0)
    # 整 closes an amount without 角 and 分 (and only then: 分 is never followed by 整).
    assert upper.endswith("整") == (amount == amount.to_integral_value())


@st.composite
def printed_upper(draw: st.DrawFn) -> tuple[Decimal, str]:
    """An amount and one way the payment rules let a bill print it in 大写."""
    amount = draw(amounts)
    text = to_upper_amount(amount)
    yuan, jiao = int(amount), int(amount * 10) % 10
    if draw(st.booleans()):
        text = text.replace("整", "正")
    if draw(st.booleans()):
        text = text.replace("元", "圆")
    if jiao and not text.endswith("分") and draw(st.booleans()):
        text += "整"  # 角 may be followed by 整
    if yuan and yuan % 10 == 0 and jiao and draw(st.booleans()):
        text = re.sub("([元圆])", r"\1零", text, count=1)  # 壹仟陆佰捌拾元零叁角贰分
    if text.startswith("壹拾") and draw(st.booleans()):
        text = text[1:]  # 拾伍元 for 壹拾伍元
    prefix = draw(st.sampled_from(["", "人民币", "⊗", "人民币（大写）"]))
    return amount, prefix + text


@given(printed_upper())
def test_every_printed_variant_of_an_upper_amount_reads_back(case: tuple[Decimal, str]) -> None:
    amount, text = case
    assert parse_upper_amount(text) == amount


@given(signed_amounts, st.sampled_from(["{}", "{:,}", "¥{}", "￥{:,}", "{}元"]))
def test_a_printed_amount_reads_back_with_its_sign(amount: Decimal, form: str) -> None:
    text = form.format(abs(amount))
    minus = ["-", "−", "－", "负"] if amount < 0 else [""]
    for sign in minus:
        assert parse_amount(sign + text) == amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-123.45", "-123.45"),
        ("−123.45", "-123.45"),
        ("－123.45", "-123.45"),
        ("负123.45", "-123.45"),
        ("（负数）123.45", "-123.45"),
        ("123.45（负数）", "-123.45"),
        ("¥-123.45", "-123.45"),
        ("-0.00", "0.00"),
    ],
)
def test_red_letter_and_refund_amounts_keep_their_sign(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)
    assert str(parse_amount(text)) == value


def test_a_negative_upper_amount() -> None:
    assert to_upper_amount(Decimal("-123.45")) == "负壹佰贰拾叁元肆角伍分"
    assert parse_upper_amount("负壹佰贰拾叁元肆角伍分") == Decimal("-123.45")
    assert parse_upper_amount("人民币负壹佰元整") == Decimal("-100.00")
    assert parse_upper_amount("负零元整") == Decimal("0.00")


@given(beyond)
def test_an_amount_no_bill_prints_is_refused_with_a_code_never_cut(amount: Decimal) -> None:
    with pytest.raises(AmountOutOfRange) as refused:
        to_upper_amount(amount)
    assert refused.value.code is Code.amount_out_of_range
    assert str(refused.value) == MESSAGES[Code.amount_out_of_range]
    assert parse_amount(str(amount)) is None


@pytest.mark.parametrize("text", ["壹万亿元整", "壹亿亿元整", "拾万亿元整"])
def test_an_upper_amount_beyond_the_range_is_no_amount(text: str) -> None:
    assert parse_upper_amount(text) is None


def _legacy_numbers() -> st.SearchStrategy[tuple[str, dt.date]]:
    born = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31))
    region = st.sampled_from(["110101", "330106", "440305", "510104"])
    sequence = st.integers(min_value=0, max_value=995).map(lambda n: f"{n:03d}")
    return st.tuples(region, born, sequence).map(lambda t: (t[0] + t[1].strftime("%y%m%d") + t[2], t[1]))


@given(_legacy_numbers())
def test_a_15_digit_number_converts_to_a_valid_18_digit_one(case: tuple[str, dt.date]) -> None:
    old, born = case
    new = idnumber.from_legacy(old)
    assert new is not None and idnumber.is_valid(new)
    assert new[:6] == old[:6] and new[6:8] == "19" and new[8:17] == old[6:15]
    assert idnumber.birth_date(new) == born
    assert idnumber.sex(new) == ("男" if int(old[14]) % 2 else "女")


@pytest.mark.parametrize("old", ["11010180023012", "1101018002301234", "110101800230A23", "110101801332123"])
def test_what_is_no_15_digit_number_is_not_converted(old: str) -> None:
    assert idnumber.from_legacy(old) is None


@given(st.integers(min_value=10**15, max_value=10**16 - 1))
def test_a_lower_case_check_x_is_the_upper_case_one(first16: int) -> None:
    head = str(first16)
    # The 17th digit whose weighted sum leaves 2 (mod 11), the remainder whose check character is X.
    partial = sum(int(c) * w for c, w in zip(head, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4), strict=True))
    last = (2 - partial) * 6 % 11
    assume(last < 10)
    first17 = head + str(last)
    assert idnumber.check_digit(first17) == "X"
    assert normalize_id_number(first17 + "x") == first17 + "X"
    assert normalize_id_number(f"身份证号：{first17}x ") == f"身份证号:{first17}X"


def _card(number_line: str) -> tuple[dict[str, object], list[tuple[str, bool]], float | None]:
    lines = [("姓名：张三", 300), ("性别：男", 400), ("出生：1980年1月15日", 500), (number_line, 700)]
    page = Page(
        source="t.jpg",
        page=1,
        width=2000,
        height=2800,
        lines=[
            OcrLine(
                text=t,
                confidence=0.99,
                polygon=[(100, y), (100 + 40 * len(t), y), (100 + 40 * len(t), y + 30), (100, y + 30)],
            )
            for t, y in lines
        ],
    )
    doc = Document(source="t.jpg", pages=[1], doc_type=DocType.id_card)
    fields, checks = extract_document(doc, [page], dt.date(2025, 6, 1))
    found = fields.get("id_number")
    values = {k: v.value for k, v in fields.items()}
    # A one-line card prints none of the other fields: their field_missing checks are not what this is about.
    shown = [(c.code, c.ok) for c in checks if c.code != "field_missing"]
    return values, shown, found.confidence if found else None


def test_a_card_with_a_15_digit_number_is_converted_and_flagged_for_a_clerk() -> None:
    """GIVEN a card printing a first-generation number 330106800115123 WHEN extracted THEN the number is
    its 18-digit form (19 inserted, check digit computed), flagged id_legacy_15 (a clerk compares it
    with the card), and its birth date and sex still checked against the card."""
    values, checks, confidence = _card("公民身份号码 330106800115123")
    assert values["id_number"] == idnumber.from_legacy("330106800115123") == "330106198001151238"
    assert ("id_legacy_15", False) in checks
    assert ("id_birth_date", True) in checks and ("id_sex", True) in checks
    assert confidence is not None and confidence < 0.99


def test_an_18_digit_number_with_a_lower_case_x_is_read_upper_case_and_not_flagged() -> None:
    values, checks, _ = _card("公民身份号码 33010619800115069x")
    assert values["id_number"] == "33010619800115069X"
    assert all(ok for _, ok in checks)


def test_a_longer_run_of_digits_is_not_taken_for_a_15_digit_number() -> None:
    """A number read with 17 digits whose first 15 would make an old number is not cut and 'converted'."""
    values, checks, _ = _card("公民身份号码 33010680011512345")
    assert "id_legacy_15" not in [code for code, _ in checks]
    assert values.get("id_number") != idnumber.from_legacy("330106800115123")


@pytest.mark.parametrize(
    ("small", "upper"),
    [
        ("-123.45", "负壹佰贰拾叁元肆角伍分"),
        ("−123.45", "负壹佰贰拾叁元肆角伍分"),
        ("（负数）123.45", "负壹佰贰拾叁元肆角伍分"),
    ],
)
def test_a_red_letter_invoice_keeps_its_sign_and_its_two_totals_agree(small: str, upper: str) -> None:
    """GIVEN a red-letter (红冲) invoice printing its total negative in 小写 and 负… in 大写 WHEN extracted
    THEN the total is negative, the 大写 is kept with its 负, and the two agree."""
    texts = [f"合计（小写）：{small}", f"合计（大写）：{upper}"]
    page = Page(
        source="t.jpg",
        page=1,
        width=2000,
        height=2800,
        lines=[
            OcrLine(text=t, confidence=0.99, polygon=[(100, y), (900, y), (900, y + 30), (100, y + 30)])
            for t, y in zip(texts, (300, 400), strict=True)
        ],
    )
    doc = Document(source="t.jpg", pages=[1], doc_type=DocType.invoice)
    fields, checks = extract_document(doc, [page], dt.date(2025, 6, 1))
    assert fields["total_amount"].value == "-123.45"
    assert fields["total_amount_upper"].value == upper
    assert [(c.code, c.ok) for c in checks if c.code != "field_missing"] == [("amount_upper_matches", True)]
