"""Values a second reading on the same bill bears out: a cash part (个人现金支付) that the splits leave to the
patient to the cent, and a payee cut short at its label that the letterhead prints whole. Each on crafted
OCR lines (not a sample)."""

from __future__ import annotations

import datetime as dt

from extractors.checks import invoice_checks
from extractors.extract import extract_document
from intake.models import Check, DocType, Document, ExtractedField, OcrLine, Page
from intake.reasons import Code

CASE_DATE = dt.date(2025, 6, 20)
# The clerk threshold (INTAKE_THRESHOLDS__MIN_FIELD_CONFIDENCE's default): a guess must read below it.
MIN_FIELD_CONFIDENCE = 0.8


def line(
    text: str, x: float, y: float, w: float | None = None, h: float = 38, chars: list[float] | None = None
) -> OcrLine:
    w = w if w is not None else 30 * len(text)
    confidence = min(chars) if chars else 0.99
    return OcrLine(
        text=text,
        confidence=confidence,
        polygon=[(x, y), (x + w, y), (x + w, y + h), (x, y + h)],
        char_confidences=chars,
    )


def read(*lines: OcrLine) -> tuple[dict[str, ExtractedField], list[Check]]:
    page = Page(source="t.jpg", page=1, width=1800, height=1100, lines=list(lines))
    return extract_document(Document(source="t.jpg", pages=[1], doc_type=DocType.invoice), [page], CASE_DATE)


def amounts(**values: str) -> dict[str, ExtractedField]:
    return {name: ExtractedField(value=value, confidence=0.75) for name, value in values.items()}


def splits_named(checks: list[Check]) -> list[list[str]]:
    return [c.fields for c in checks if c.code == Code.invoice_splits_sum]


SPLITS = {
    "total_amount": "5045.42",
    "medical_insurance_paid": "2774.98",
    "personal_account_paid": "681.13",
    "self_paid": "1488.40",
    "self_expense": "100.91",
}


def test_a_cash_part_the_splits_leave_to_the_patient_is_borne_out_by_the_splits_check() -> None:
    """GIVEN a bill whose four splits sum to its total WHEN its 个人现金支付 is the total less the fund's and
    the account's parts THEN the passing splits check names it too; a cash part six cents off, or splits that
    do not sum, name no cash part (nor does a failing check)."""
    checks = invoice_checks(amounts(**SPLITS, cash_paid="1589.31"))
    assert splits_named(checks) == [[*SPLITS, "cash_paid"]] and all(c.ok for c in checks)
    checks = invoice_checks(amounts(**SPLITS, cash_paid="1589.37"))
    assert splits_named(checks) == [list(SPLITS)]
    wrong = {**SPLITS, "self_expense": "100.97"}
    checks = invoice_checks(amounts(**wrong, cash_paid="1589.31"))
    assert splits_named(checks) == [list(SPLITS)]
    assert [c.ok for c in checks if c.code == Code.invoice_splits_sum] == [False]


def box(text: str, x0: float, y0: float, x1: float, y1: float) -> OcrLine:
    return line(text, x0, y0, w=x1 - x0, h=y1 - y0)


def _grid_bill(cash: str) -> list[OcrLine]:
    """An e-bill whose particulars stand right of their labels, its fee classes in two column groups, and its
    payment split as a grid: three labels a row, each amount in the cell under its label (and over the next
    row's label, so no direction is unambiguous there)."""
    return [
        box("票据代码:41060125", 1204, 54, 1434, 88),
        box("浙江省医疗住院收费票据(电子)", 281, 80, 903, 127),
        box("票据号码:0044745561", 1202, 95, 1464, 131),
        box("校验码:f3b6cd", 1202, 140, 1387, 174),
        box("开票日期:2025/05/31", 1201, 181, 1454, 218),
        box("交款人:秦佳", 77, 269, 238, 311),
        box("住院号:65772763", 790, 273, 999, 307),
        box("住院时间:20250522-20250531", 82, 334, 428, 367),
        box("项目名称", 76, 401, 188, 445),
        box("金额", 826, 401, 889, 446),
        box("项目名称", 915, 403, 1022, 443),
        box("金额", 1663, 401, 1726, 446),
        box("西药费", 76, 449, 168, 494),
        box("1434.97", 784, 452, 885, 491),
        box("检查费", 76, 580, 166, 622),
        box("3610.45", 784, 583, 885, 619),
        box("医保统筹基金支付", 251, 654, 445, 692),
        box("个人账户支付", 830, 654, 980, 692),
        box("其他支付", 1408, 651, 1518, 695),
        box("2774.98", 291, 691, 402, 731),
        box("681.13", 857, 691, 953, 731),
        box("0.00", 1425, 691, 1498, 732),
        box("个人现金支付", 274, 741, 422, 779),
        box("个人自付", 850, 738, 960, 782),
        box("个人自费", 1411, 739, 1516, 780),
        box(cash, 294, 777, 402, 817),
        box("1488.40", 850, 777, 960, 817),
        box("100.91", 1415, 777, 1510, 818),
        box("合计(大写):伍仟零肆拾伍元肆角贰分", 82, 844, 558, 881),
        box("(小写)¥5045.42", 1046, 845, 1252, 879),
        box("收款单位(章):浙江省人民医院", 82, 899, 450, 932),
    ]


def test_a_cash_part_read_in_its_grid_cell_is_sure_where_the_splits_bear_it_out() -> None:
    """GIVEN a grid bill WHEN its cash cell holds what the splits leave the patient THEN it is read above the
    clerk threshold; WHEN it holds another amount THEN it is read as printed, no surer than its reading."""
    fields, _ = read(*_grid_bill("1589.31"))
    assert fields["cash_paid"].value == "1589.31"
    assert fields["cash_paid"].confidence >= MIN_FIELD_CONFIDENCE
    fields, checks = read(*_grid_bill("1580.31"))
    assert fields["cash_paid"].value == "1580.31"
    assert "cash_paid" not in [name for c in checks for name in c.fields]


HOSPITAL = "温州医科大学附属第一医院"


def _payee_bill(at_label: str, letterhead: str = HOSPITAL) -> list[OcrLine]:
    """A bill whose letterhead names the hospital and whose 收款单位 line reads `at_label` (its end under the
    seal's ink), the last character read there unsure."""
    label_line = "收款单位：" + at_label
    chars = [0.99] * (len(label_line) - 1) + [0.74]
    return [
        line(letterhead, 200, 40, w=630, h=60),
        line("票据号码：0080617240", 1266, 160, w=407),
        line("患者姓名：金涛霞", 223, 240, w=325),
        line(label_line, 200, 900, w=583, chars=chars),
        line("收款人：段超刚", 194, 960, w=283),
    ]


def test_a_payee_cut_short_at_its_label_is_finished_by_the_letterhead_naming_it_whole() -> None:
    """GIVEN a 收款单位 read 温州医科大学附属 (no unit's ending: cut short) and a letterhead 温州医科大学附属第一医院
    THEN the payee is the letterhead's whole name, as sure as the letterhead's reading."""
    fields, _ = read(*_payee_bill("温州医科大学附属"))
    assert fields["payee"].value == HOSPITAL
    assert fields["payee"].confidence >= MIN_FIELD_CONFIDENCE


def test_a_cut_payee_the_letterhead_does_not_open_with_stays_cut_and_flagged() -> None:
    """GIVEN a cut payee whose start the letterhead does not share, or one too short to tell THEN the payee
    stays as read, below the clerk threshold."""
    fields, _ = read(*_payee_bill("温州医科大学附属", letterhead="杭州市第一人民医院"))
    assert fields["payee"].value == "温州医科大学附属"
    assert fields["payee"].confidence < MIN_FIELD_CONFIDENCE
    fields, _ = read(*_payee_bill("温州医科", letterhead=HOSPITAL))
    assert fields["payee"].value != HOSPITAL
    assert fields["payee"].confidence < MIN_FIELD_CONFIDENCE
