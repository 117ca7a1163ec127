"""A bill's and a list's stay: read under the names a range goes by (结算期间, 在院期间, 入出院日期), never a
one-day label's date taken from inside a range's label, a range at a one-day label flagged, a printed stay
label with no date read flagged, the two ends in order; and a list's band of rows read twice where two
shots of it overlap, read once when its total vouches; a card address opening with no province flagged.
Each on crafted OCR lines or fields (not a sample)."""

from __future__ import annotations

import datetime as dt

from extractors.checks import expense_list_checks, invoice_checks, repeated_run_dropped
from extractors.extract import extract_document, range_at_day_label
from intake.models import Check, DocType, Document, ExtractedField, OcrLine, Page, Side
from intake.reasons import Code

CASE_DATE = dt.date(2025, 6, 20)
# The clerk threshold (INTAKE_THRESHOLDS__MIN_FIELD_CONFIDENCE's default).
MIN_FIELD_CONFIDENCE = 0.8


def line(text: str, x: float, y: float, h: float = 38) -> OcrLine:
    w = 30 * len(text)
    return OcrLine(text=text, confidence=0.99, polygon=[(x, y), (x + w, y), (x + w, y + h), (x, y + h)])


def read(doc_type: DocType, *lines: OcrLine) -> tuple[dict[str, ExtractedField], list[Check]]:
    page = Page(source="t.jpg", page=1, width=1800, height=1400, lines=list(lines))
    return extract_document(Document(source="t.jpg", pages=[1], doc_type=doc_type), [page], CASE_DATE)


def flagged(name: str, fields: dict[str, ExtractedField], checks: list[Check]) -> bool:
    failed = any(not c.ok and name in c.fields for c in checks)
    return failed or (name in fields and fields[name].confidence < MIN_FIELD_CONFIDENCE)


def bill(*stay: OcrLine) -> list[OcrLine]:
    """A paper inpatient bill's lines with the stay's lines given."""
    return [
        line("住院收费票据", 600, 40),
        line("票据代码：33060121", 1100, 40),
        line("票据号码：0068013775", 1100, 90),
        line("开票日期：2025年06月15日", 1100, 140),
        line("患者：向国晨", 60, 200),
        line("住院号：31002614", 600, 200),
        *stay,
        line("合计（大写）：陆仟叁佰捌拾叁元伍角", 60, 400),
        line("¥6383.50", 1300, 400),
        line("收款单位（章）：浙江省人民医院", 60, 600),
    ]


def test_a_stay_named_by_both_its_ends_is_a_range_not_its_last_day() -> None:
    """GIVEN 入出院日期：2025.6.3-2025.6.15 (its 出院日期 inside the range's label)
    THEN the stay's two ends, not the first day taken for the discharge."""
    fields, _ = read(DocType.invoice, *bill(line("入出院日期：2025.6.3-2025.6.15", 60, 250)))
    assert fields["admission_date"].value == "2025-06-03"
    assert fields["discharge_date"].value == "2025-06-15"


def test_a_settlement_period_is_an_inpatient_bills_stay() -> None:
    fields, checks = read(DocType.invoice, *bill(line("结算期间：2025-06-03—2025-06-15", 60, 250)))
    assert (fields["admission_date"].value, fields["discharge_date"].value) == ("2025-06-03", "2025-06-15")
    assert not any(not c.ok and "discharge_date" in c.fields for c in checks)


def test_a_hospital_bill_names_its_payer_the_patient() -> None:
    fields, _ = read(DocType.invoice, *bill())
    assert fields["payer_name"].value == "向国晨"


def test_a_range_at_a_one_day_label_is_flagged() -> None:
    """GIVEN a label of one day followed by two dates (the range's own label unknown or lost)
    THEN the date taken is below the clerk threshold: which end it is, is not known."""
    fields, checks = read(DocType.invoice, *bill(line("出院日期：2025.6.3-2025.6.15", 60, 250)))
    assert flagged("discharge_date", fields, checks)


def test_one_date_at_its_label_is_not_doubted() -> None:
    fields, checks = read(
        DocType.invoice, *bill(line("入院日期：2025-06-03", 60, 250), line("出院日期：2025-06-15", 700, 250))
    )
    assert fields["discharge_date"].value == "2025-06-15"
    assert not flagged("discharge_date", fields, checks)
    assert not flagged("admission_date", fields, checks)


def test_range_at_day_label() -> None:
    assert range_at_day_label("2025.6.3-2025.6.15")
    assert range_at_day_label("2025年6月3日至6月15日")
    assert range_at_day_label("2025-06-03 08:12—2025-06-12 10:55")
    assert not range_at_day_label("2025年6月3日")
    assert not range_at_day_label("2025-06-03 14:30")
    assert not range_at_day_label("2025年6月3日 14时30分")


def test_a_printed_stay_label_with_no_date_read_is_flagged() -> None:
    """GIVEN a bill printing its stay's label, the dates after it unreadable
    THEN both dates are named by a failed check, never silently absent."""
    fields, checks = read(DocType.invoice, *bill(line("住院期间：ホ1…崇6", 60, 250)))
    assert "admission_date" not in fields and "discharge_date" not in fields
    assert flagged("admission_date", fields, checks)
    assert flagged("discharge_date", fields, checks)


def test_a_bill_printing_no_stay_is_not_asked_for_one() -> None:
    _, checks = read(DocType.invoice, *bill())
    assert not any(not c.ok and {"admission_date", "discharge_date"} & set(c.fields) for c in checks)


def test_the_stays_ends_in_order() -> None:
    def dates(start: str, end: str) -> dict[str, ExtractedField]:
        return {
            "admission_date": ExtractedField(value=start, confidence=0.99),
            "discharge_date": ExtractedField(value=end, confidence=0.99),
        }

    wrong = [c for c in invoice_checks(dates("2025-06-15", "2025-06-03")) if c.code == Code.discharge_after_admission]
    assert len(wrong) == 1 and not wrong[0].ok and set(wrong[0].fields) == {"admission_date", "discharge_date"}
    right = [c for c in invoice_checks(dates("2025-06-03", "2025-06-03")) if c.code == Code.discharge_after_admission]
    assert len(right) == 1 and right[0].ok
    period = {
        "period_start": ExtractedField(value="2025-06-15", confidence=0.99),
        "period_end": ExtractedField(value="2025-06-03", confidence=0.99),
    }
    assert any(c.code == Code.discharge_after_admission and not c.ok for c in expense_list_checks(period))


def item(name: str, quantity: str, price: str, amount: str, category: str = "西药费") -> dict[str, str]:
    return {"name": name, "category": category, "quantity": quantity, "unit_price": price, "amount": amount}


A = item("胸部CT平扫", "2", "290.16", "580.32", "检查费")
B = item("心电图检查", "4", "33.59", "134.36", "检查费")
C = item("氯化钠注射液", "1", "3.79", "3.79")
D = item("阿托伐他汀钙片", "3", "47.86", "143.58")
E = item("连花清瘟胶囊", "3", "24.10", "72.30", "中成药费")


def listed(items: list[dict[str, str]], total: str) -> dict[str, ExtractedField]:
    return {
        "items": ExtractedField(value=items, confidence=0.95),
        "total_amount": ExtractedField(value=total, confidence=0.99),
    }


def test_a_band_read_twice_at_a_seam_is_read_once() -> None:
    """GIVEN rows A B C D, then C D again (the overlap of two shots), and the list's total A+B+C+D
    THEN the repeated run is one, and the total then vouches for the rows."""
    fields = listed([A, B, C, D, C, D, E], "934.35")
    once = repeated_run_dropped(fields)
    assert once is not None and once.value == [A, B, C, D, E]
    assert once.repaired


def test_the_fuller_reading_of_a_row_cut_at_a_shots_edge_is_kept() -> None:
    """GIVEN the run D E read twice, its first E cut at the upper shot's foot (no name, its class and
    price half read) THEN the run is one, each row the fuller of its two readings."""
    cut = {**E, "name": "", "category": "曲", "unit_price": ""}
    fields = listed([A, B, C, D, cut, D, E], "934.35")
    once = repeated_run_dropped(fields)
    assert once is not None and once.value == [A, B, C, D, E]


def test_rows_charged_alike_that_add_up_stand() -> None:
    """GIVEN the same item on two rows and a total that counts both THEN nothing is dropped."""
    assert repeated_run_dropped(listed([A, C, C, B], "722.26")) is None


def test_a_repeat_the_total_does_not_vouch_for_stands() -> None:
    assert repeated_run_dropped(listed([A, C, D, C, D, B], "1000.00")) is None


def test_rows_differently_named_are_no_repeat() -> None:
    other = {**D, "name": "奥美拉唑肠溶胶囊"}
    assert repeated_run_dropped(listed([A, B, C, D, C, other], "862.05")) is None


def test_a_lists_stay_in_hospital_is_its_period() -> None:
    fields, _ = read(
        DocType.expense_list,
        line("浙江省人民医院", 600, 20),
        line("住院费用清单", 600, 70),
        line("患者姓名：郑桂峰", 60, 130),
        line("住院号：48061354", 600, 130),
        line("在院期间：2025/04/28至2025/05/09", 60, 180),
        line("序号", 60, 240),
        line("项目名称", 160, 240),
        line("费用类别", 700, 240),
        line("单价", 1000, 240),
        line("数量", 1150, 240),
        line("金额", 1350, 240),
        line("1", 60, 300),
        line("胸部CT平扫", 160, 300),
        line("检查费", 700, 300),
        line("290.16", 1000, 300),
        line("2", 1150, 300),
        line("580.32", 1350, 300),
        line("合计金额：580.32", 1200, 380),
    )
    assert (fields["period_start"].value, fields["period_end"].value) == ("2025-04-28", "2025-05-09")


def card(*address: OcrLine) -> tuple[dict[str, ExtractedField], list[Check]]:
    return read_card(
        line("姓名 邓超秀", 560, 780),
        line("性别 女", 560, 820),
        line("民族 汉", 700, 820),
        line("出生 1979年11月3日", 560, 866),
        *address,
        line("公民身份号码 330102197911030902", 560, 1028),
    )


def read_card(*lines: OcrLine) -> tuple[dict[str, ExtractedField], list[Check]]:
    page = Page(source="t.jpg", page=1, width=1200, height=1200, lines=list(lines))
    doc = Document(source="t.jpg", pages=[1], doc_type=DocType.id_card, side=Side.front)
    return extract_document(doc, [page], CASE_DATE)


def test_a_card_address_without_its_province_is_flagged() -> None:
    """GIVEN a card address read from its second row on (the first hidden under a watermark)
    THEN it is below the clerk threshold; read whole from its province, it is not."""
    fields, checks = card(line("住址 街107号23幢3单元", 560, 911))
    assert flagged("address", fields, checks)
    fields, checks = card(line("住址 浙江省宁波市海曙区药行", 560, 911), line("街107号23幢3单元", 625, 943))
    assert fields["address"].value.startswith("浙江省宁波市")
    assert not flagged("address", fields, checks)
