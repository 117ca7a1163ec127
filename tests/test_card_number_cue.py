"""A card's front is made around its ID number: an issued number (GB 11643 check digit and birth date
hold) on a page of a card's few rows is evidence of the card even where its small labels were lost (a
fax, a copy of a copy), and no evidence of a card on a form of many rows that prints one."""

from __future__ import annotations

import pytest

from classifiers.doc_type import PatternRule, classify_page, load_rules, resident_id_number, score_page
from intake.models import DocType, Page, Side
from tests.factories import id_number, line, page_of

NUMBER = id_number("210411", "19740814", "808")
WRONG_CHECK = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")


def faxed_front(number: str) -> Page:
    """A card front as a fax brings it: the values read, the labels gone to specks or misread."""
    rows = [
        "48 谭娟",
        "博别女",
        "汉",
        "出年",
        "1974年8月14日",
        "亿加",
        "辽宁省抚顺市顺城区新华",
        "大街321号28幢4单",
        number,
    ]
    return page_of([line(text, 300, 200 + 60 * i) for i, text in enumerate(rows)])


def test_a_faxed_card_front_whose_labels_were_lost_is_an_id_card_by_its_number() -> None:
    """GIVEN a faxed card front where no label but the values was read WHEN it is classified THEN it is
    an ID card's front, surely enough not to hold the case, by its issued number."""
    result = classify_page(faxed_front(NUMBER), load_rules())
    assert (result.doc_type, result.side) == (DocType.id_card, Side.front)
    assert not result.unsure and result.confidence >= 0.6


def test_a_number_whose_check_digit_fails_does_not_make_a_card() -> None:
    """GIVEN the same page with the number's check digit misread THEN it is not typed a card on the digits'
    shape alone: a clerk looks at it."""
    assert classify_page(faxed_front(WRONG_CHECK), load_rules()).doc_type is DocType.other


def _id_front_score(page: Page) -> float:
    return next(t.candidate.score for t in score_page(page, load_rules()) if t.candidate.side is Side.front)


def test_a_form_of_many_rows_gains_nothing_from_the_number_it_prints() -> None:
    """GIVEN a filing form of twenty rows printing the applicant's number WHEN its types are scored THEN
    the card's score is the same whether the number's check digit holds or not."""
    labels = [f"第{i}栏：内容{i}" for i in range(18)]

    def form(number: str) -> Page:
        rows = ["异地就医登记备案表", f"公民身份号码：{number}", *labels]
        return page_of([line(text, 200, 150 + 60 * i) for i, text in enumerate(rows)])

    assert _id_front_score(form(NUMBER)) == _id_front_score(form(WRONG_CHECK))


@pytest.mark.parametrize(
    ("number", "issued"),
    [
        (NUMBER, True),
        (WRONG_CHECK, False),
        (id_number("110101", "19900307", "002").lower(), True),  # a lower-case x where the check is 10
        (id_number("110101", "19900230", "002"), False),  # no 30 February
    ],
)
def test_an_issued_number_is_checked_by_its_check_digit_and_birth_date(number: str, issued: bool) -> None:
    assert resident_id_number(number) is issued


def test_a_checked_pattern_counts_only_a_match_that_passes_and_only_on_few_rows() -> None:
    rule = PatternRule(regex=r"\d{17}[\dXx]", weight=2, check="resident_id_number", max_rows=3)
    assert rule.found(f"号码{NUMBER}", ["a", "b"])
    assert not rule.found(f"号码{WRONG_CHECK}", ["a", "b"])
    assert not rule.found(f"号码{NUMBER}", ["a", "b", "c", "d"])
