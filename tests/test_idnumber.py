from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from extractors import checks
from intake import idnumber
from intake.models import ExtractedField
from tests.factories import fields, id_number

VALID = id_number("330106", "19800115", "123")


def test_constructed_numbers_are_valid_and_parse() -> None:
    info = idnumber.parse(VALID)
    assert info is not None and info.valid
    assert info.birth_date == dt.date(1980, 1, 15) and info.sex == "男" and info.region_code == "330106"
    assert idnumber.age_on(VALID, dt.date(2025, 1, 14)) == 44
    assert idnumber.age_on(VALID, dt.date(2025, 1, 15)) == 45


@pytest.mark.parametrize("pos", range(17))
def test_every_single_digit_corruption_is_detected(pos: int) -> None:
    digit = str((int(VALID[pos]) + 3) % 10)
    assert not idnumber.is_valid(VALID[:pos] + digit + VALID[pos + 1 :])


def test_repair_is_unique_or_refused() -> None:
    """A misread birth-date digit is anchored by the printed birth date: one candidate. A misread
    sequence digit can always be 'fixed' by changing the check digit instead: never repaired."""
    broken_birth = VALID[:9] + "1" + VALID[10:]
    assert idnumber.repair(broken_birth, dt.date(1980, 1, 15), "男") == VALID
    assert idnumber.repair(broken_birth, None, None) is None  # nothing to anchor the repair
    broken_sequence = VALID[:15] + str((int(VALID[15]) + 1) % 10) + VALID[16:]
    assert idnumber.repair(broken_sequence, dt.date(1980, 1, 15), "男") is None
    assert idnumber.repair(VALID, dt.date(1980, 1, 15), "男") is None


def test_mask() -> None:
    assert idnumber.mask_id("110101199003071234") == "110101********1234"


def test_id_card_checks_fail_on_crafted_cases_without_leaking_the_number() -> None:
    good = checks.id_card_checks(fields(id_number=VALID, birth_date="1980-01-15", sex="男"), dt.date(2025, 6, 1))
    assert [c.ok for c in good] == [True, True, True]
    wrong_sex = checks.id_card_checks(fields(id_number=VALID, birth_date="1980-01-15", sex="女"), dt.date(2025, 6, 1))
    assert [(c.code, c.ok) for c in wrong_sex][-1] == ("id_sex", False)
    wrong_birth = checks.id_card_checks(fields(id_number=VALID, birth_date="1981-01-15"), dt.date(2025, 6, 1))
    assert ("id_birth_date", False) in [(c.code, c.ok) for c in wrong_birth]
    bad = checks.id_card_checks(fields(id_number=VALID[:17] + "0"), dt.date(2025, 6, 1))
    assert [(c.code, c.ok) for c in bad] == [("id_check_digit", False)]
    assert all(VALID[:17] not in c.message for c in good + wrong_sex + wrong_birth + bad)


def test_id_validity_on_case_date() -> None:
    back = fields(valid_from="2010-01-01", valid_to="2020-01-01")
    assert checks.id_card_checks(back, dt.date(2025, 6, 1))[0].ok is False
    assert checks.id_card_checks(fields(valid_from="2010-01-01", valid_to="长期"), dt.date(2025, 6, 1))[0].ok


def test_invoice_checks() -> None:
    ok = fields(
        total_amount="100.00",
        total_amount_upper="壹佰元整",
        medical_insurance_paid="60.00",
        personal_account_paid="10.00",
        self_paid="20.00",
        self_expense="10.00",
    )
    assert [c.ok for c in checks.invoice_checks(ok)] == [True, True]
    bad = {**ok, **fields(total_amount_upper="壹佰零壹元整", self_expense="11.00")}
    assert [c.ok for c in checks.invoice_checks(bad)] == [False, False]
    assert checks.invoice_checks(fields(total_amount="100.00")) == []


def _read_total(raw: str, value: str, **others: str) -> dict[str, ExtractedField]:
    read = fields(total_amount_upper="玖仟零叁拾柒元陆角壹分", **others)
    read["total_amount"] = ExtractedField(value=value, raw=raw, confidence=0.9)
    return read


def test_a_total_that_lost_its_point_is_repaired_when_upper_and_splits_agree() -> None:
    # a real invoice's 9037.61 read 903761 (the point lost); 大写 and the splits both say 9037.61
    splits = {"medical_insurance_paid": "2619.57", "personal_account_paid": "0.00", "self_paid": "0.00"}
    read = _read_total("903761", "903761.00", self_expense="6418.04", **splits)
    repaired = checks.repair_total(read)
    assert repaired is not None and repaired.value == "9037.61" and repaired.repaired
    assert repaired.confidence < 0.9
    assert [c.ok for c in checks.invoice_checks({**read, "total_amount": repaired})] == [True, True]
    assert checks.repair_total(_read_total("¥903761", "903761.00")) is not None, "no splits printed: 大写 alone"


@pytest.mark.parametrize(
    ("raw", "value", "others"),
    [
        ("9037.61", "9037.61", {}),  # nothing to repair
        ("903751", "903751.00", {}),  # a digit differs, not only the point
        (
            "90376.1",
            "90376.10",
            {
                "medical_insurance_paid": "9000.00",
                "personal_account_paid": "0.00",
                "self_paid": "0.00",
                "self_expense": "37.00",
            },
        ),  # the splits disagree
        ("93761", "93761.00", {}),  # a digit lost with the point
    ],
)
def test_a_total_is_not_repaired_unless_certain(raw: str, value: str, others: dict[str, str]) -> None:
    assert checks.repair_total(_read_total(raw, value, **others)) is None
    lost_zeros = {**fields(total_amount_upper="壹佰元整"), "total_amount": ExtractedField(value="1.00", raw="1.00")}
    assert checks.repair_total(lost_zeros) is None, "1.00 is not 100.00 with its point moved"


@pytest.mark.parametrize(
    ("payee", "seals", "verdict"),
    [
        ("河南省直第三人民医院", ["河南省直第三人民医院 电子票据专用章", "财政票据监制章"], True),
        ("河南省直第二人民医院", ["上资河南省直第三人民医院兼 电子票据专用章"], False),  # 三 read 二
        ("浙江大学医学院附属第二医院", ["浙江大学医学院附属第二院"], None),  # the ring's reading lost 医
        ("浙江大学医学院附属第二医院", ["浙江大学医学院附属第二医院住院收费专用章"], True),
        ("杭州市中医院", ["与原件核对无误 核对人"], None),  # another stamp says nothing
        ("杭州市中医院", ["杭州市第一人民医院收费专用章"], None),  # another unit, far from the payee
        ("杭州市中医院", [], None),
        ("中医院", ["二医院收费专用章"], None),  # too short to tell
    ],
)
def test_payee_against_its_seal(payee: str, seals: list[str], verdict: bool | None) -> None:
    found = checks.payee_seal_checks(fields(payee=payee), seals)
    assert [c.ok for c in found] == ([] if verdict is None else [verdict])
    assert all(c.fields == ["payee"] for c in found)


def test_expense_and_discharge_checks() -> None:
    items = [
        {"name": "床位费", "category": "床位费", "quantity": "3", "unit_price": "50.00", "amount": "150.00"},
        {"name": "血常规", "category": "化验费", "quantity": "1", "unit_price": "25.50", "amount": "25.50"},
    ]
    assert checks.expense_list_checks(
        {**fields(total_amount="175.50"), "items": ExtractedField(value=items, confidence=1)}
    )[0].ok
    assert not checks.expense_list_checks(
        {**fields(total_amount="170.00"), "items": ExtractedField(value=items, confidence=1)}
    )[0].ok
    stay = fields(admission_date="2025-03-01", discharge_date="2025-03-10", days_in_hospital="9")
    assert [c.ok for c in checks.discharge_checks(stay)] == [True, True]
    backwards = fields(admission_date="2025-03-10", discharge_date="2025-03-01", days_in_hospital="9")
    assert [c.ok for c in checks.discharge_checks(backwards)] == [False, False]


LIST_ITEMS = [
    {"name": "床位费", "category": "床位费", "quantity": "3", "unit_price": "50.00", "amount": "150.00"},
    {"name": "血常规", "category": "化验费", "quantity": "1", "unit_price": "25.50", "amount": "25.50"},
]


def _read_list(raw: str, value: str, items: list[dict[str, str]] = LIST_ITEMS) -> dict[str, ExtractedField]:
    return {
        "total_amount": ExtractedField(value=value, raw=raw, confidence=0.9),
        "items": ExtractedField(value=items, confidence=1),
    }


def test_a_list_total_that_lost_its_point_is_repaired_when_its_items_agree() -> None:
    """An eval-set grey scan's 4422.16 read 442216, its items adding up to 4422.16."""
    read = _read_list("17550", "17550.00")
    repaired = checks.repair_list_total(read)
    assert repaired is not None and repaired.value == "175.50" and repaired.repaired
    assert repaired.confidence < 0.9
    assert checks.expense_list_checks({**read, "total_amount": repaired})[0].ok


@pytest.mark.parametrize(
    ("raw", "value", "items"),
    [
        ("175.50", "175.50", LIST_ITEMS),  # nothing to repair
        ("17560", "17560.00", LIST_ITEMS),  # a digit differs, not only the point
        ("1755", "1755.00", LIST_ITEMS),  # a digit lost with the point
        ("17550", "17550.00", [{**LIST_ITEMS[0], "quantity": "4"}, LIST_ITEMS[1]]),  # a row disagrees with itself
        ("17550", "17550.00", []),  # no items read
    ],
)
def test_a_list_total_is_not_repaired_unless_certain(raw: str, value: str, items: list[dict[str, str]]) -> None:
    assert checks.repair_list_total(_read_list(raw, value, items)) is None


def test_repair_id_field_marks_repairs() -> None:
    broken = VALID[:9] + "1" + VALID[10:]
    field = ExtractedField(value=broken, confidence=0.95)
    repaired = checks.repair_id_field(field, dt.date(1980, 1, 15), "男")
    assert repaired.value == VALID and repaired.repaired and repaired.confidence < 0.95


SPLITS = {
    "medical_insurance_paid": "6000.00",
    "personal_account_paid": "1000.00",
    "self_paid": "1893.90",
    "self_expense": "143.71",
}


def _read_splits(upper: str = "玖仟零叁拾柒元陆角壹分", **read: tuple[str, str]) -> dict[str, ExtractedField]:
    """An invoice totalling 9037.61 whose splits are SPLITS but for `read` (name: (raw, value))."""
    out = fields(total_amount="9037.61", total_amount_upper=upper, **SPLITS)
    for name, (raw, value) in read.items():
        out[name] = ExtractedField(value=value, raw=raw, confidence=0.95)
    return out


def test_a_split_that_lost_its_point_is_repaired_when_the_total_is_borne_out() -> None:
    """An eval-set photocopy's 个人自付 1893.90 read 189390 (found on eval, not on tune: not evidence)."""
    read = _read_splits(self_paid=("189390", "189390.00"))
    assert not checks.invoice_checks(read)[1].ok
    repaired = checks.repair_split(read)
    assert repaired is not None
    name, field = repaired
    assert (name, field.value, field.repaired) == ("self_paid", "1893.90", True)
    assert field.confidence < 0.95
    assert [c.ok for c in checks.invoice_checks({**read, name: field})] == [True, True]


@pytest.mark.parametrize(
    ("upper", "read"),
    [
        ("玖仟零叁拾柒元陆角壹分", {}),  # nothing to repair
        ("玖仟零叁拾柒元陆角贰分", {"self_paid": ("189390", "189390.00")}),  # the total is not borne out
        ("玖仟零叁拾柒元陆角壹分", {"self_paid": ("189380", "189380.00")}),  # a digit differs, not only the point
        ("玖仟零叁拾柒元陆角壹分", {"self_paid": ("18939", "18939.00")}),  # a digit lost with the point
    ],
)
def test_a_split_is_not_repaired_unless_certain(upper: str, read: dict[str, tuple[str, str]]) -> None:
    assert checks.repair_split(_read_splits(upper, **read)) is None


def test_the_one_missing_split_is_what_the_total_less_the_others_leaves() -> None:
    """GIVEN an invoice totalling 9037.61 (borne out by its 大写) with one split not read WHEN asked what it
    must be THEN the total less the others (143.71); not with two missing, nor when the total is not
    borne out, nor when the others exceed it."""
    read = _read_splits()
    del read["self_expense"]
    assert checks.missing_split(read) == ("self_expense", Decimal("143.71"))
    assert checks.missing_split(_read_splits()) is None
    two = dict(read)
    del two["self_paid"]
    assert checks.missing_split(two) is None
    assert (
        checks.missing_split(
            {**read, "total_amount_upper": fields(total_amount_upper="玖仟零叁拾柒元陆角贰分")["total_amount_upper"]}
        )
        is None
    )
    assert (
        checks.missing_split({**read, "self_paid": ExtractedField(value="9000.00", raw="9000.00", confidence=0.9)})
        is None
    )


def test_a_split_is_not_repaired_when_two_could_be() -> None:
    # Two splits read 10.0, the total 11.00: one of them is 1.00 with its point moved, either could be.
    read = fields(
        total_amount="11.00", total_amount_upper="壹拾壹元整", personal_account_paid="0.00", self_expense="0.00"
    )
    for name in ("medical_insurance_paid", "self_paid"):
        read[name] = ExtractedField(value="10.00", raw="10.0", confidence=0.9)
    assert checks.repair_split(read) is None
    read["self_paid"] = ExtractedField(value="10.00", raw="10.00", confidence=0.9)
    repaired = checks.repair_split(read)  # 10.00 printed with both decimals: only the other could be
    assert repaired is not None and (repaired[0], repaired[1].value) == ("medical_insurance_paid", "1.00")


def _list_rows(total: str, *rows: tuple[str, str, str]) -> dict[str, ExtractedField]:
    """An expense list read with this total and these (quantity, unit_price, amount) rows."""
    items = [
        {"name": f"项目{i}", "category": "西药费", "quantity": q, "unit_price": p, "amount": a}
        for i, (q, p, a) in enumerate(rows, 1)
    ]
    return {**fields(total_amount=total), "items": ExtractedField(value=items, confidence=0.95)}


@pytest.mark.parametrize(
    ("total", "row", "repaired_row"),
    [
        # tune 101518, a photocopied list: 头孢曲松钠注射液 2 × 25.90 = 51.80 read with the price 2590.00; the
        # amounts as read add up to the total, so the price is the one misread
        ("77.30", ("2", "2590.00", "51.80"), ("2", "25.90", "51.80")),
        # 30.00 read 3000.00: the amounts do not add up until it is 3 × 10.00
        ("55.50", ("3", "10.00", "3000.00"), ("3", "10.00", "30.00")),
    ],
)
def test_a_row_whose_price_or_amount_lost_its_point_is_repaired(
    total: str, row: tuple[str, str, str], repaired_row: tuple[str, str, str]
) -> None:
    read = _list_rows(total, row, ("1", "25.50", "25.50"))
    assert not checks.expense_list_checks(read)[0].ok
    repaired = checks.repair_items(read)
    assert repaired is not None and repaired.repaired and repaired.confidence < 0.95
    assert [(i["quantity"], i["unit_price"], i["amount"]) for i in repaired.value] == [
        repaired_row,
        ("1", "25.50", "25.50"),
    ]
    assert read["items"].value[0]["unit_price"] == row[1], "the reading itself is left as read"
    assert checks.expense_list_checks({**read, "items": repaired})[0].ok


@pytest.mark.parametrize(
    ("total", "row"),
    [
        ("51.80", ("2", "25.90", "51.80")),  # nothing to repair
        ("51.80", ("2", "2580.00", "51.80")),  # a digit differs, not only the point
        ("60.00", ("3", "10.00", "3000.00")),  # 30.00 would not make the total either
        ("51.80", ("0", "25.90", "51.80")),  # no quantity to work from
        ("100.00", ("3", "333.00", "100.00")),  # 100.00 ÷ 3 is no price to the cent
    ],
)
def test_a_row_is_not_repaired_unless_certain(total: str, row: tuple[str, str, str]) -> None:
    assert checks.repair_items(_list_rows(total, row)) is None
    assert checks.repair_items({"items": _list_rows(total, row)["items"]}) is None, "no total: nothing decides"
