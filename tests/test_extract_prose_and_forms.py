"""Fields a record or form states without the label the layout search looks for, on constructed OCR lines:
dates told in a 出院小结's sentences, a department beside 床号 or on a header line of its own, the
applicant's signature after 参保人签字, and a card's values whose lines all slant (issue 28)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from extractors.extract import extract_document
from extractors.prose import PROSE_FIT
from intake.models import Check, DocType, Document, ExtractedField, OcrLine, Page, Side

THRESHOLD = 0.8  # settings.min_field_confidence: below it a clerk looks


def line(text: str, x: float, y: float, conf: float = 0.99) -> OcrLine:
    w = 30 * len(text)
    return OcrLine(text=text, confidence=conf, polygon=[(x, y), (x + w, y), (x + w, y + 30), (x, y + 30)])


def extracted(
    doc_type: DocType, *lines: OcrLine, side: Side | None = None
) -> tuple[dict[str, ExtractedField], list[Check]]:
    page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=list(lines))
    doc = Document(source="t.jpg", pages=[1], doc_type=doc_type, side=side)
    return extract_document(doc, [page], dt.date(2025, 6, 20))


SUMMARY_HEAD = (
    line("杭州市第一人民医院", 500, 100),
    line("出院小结", 600, 160),
    line("姓名：邓强怡 性别：女 年龄：65岁 病区：泌尿外科 床号：40", 140, 230),
    line("出院诊断：1.输尿管结石2.高血压病2级", 140, 360),
)


def test_dates_told_in_the_sentences_borne_out_by_the_stay_are_taken_as_sure_as_their_lines() -> None:
    """GIVEN a summary with no 入院日期 / 出院日期 label, whose sentences say 于…因“…”入院 and 于…出院，共住院5天
    THEN both dates are read from the prose, and the stay's length bears them out (its check passes)."""
    fields, checks = extracted(
        DocType.discharge_record,
        *SUMMARY_HEAD,
        line("患者于2025年05月05日因“反复上腹痛15天”入院。入院查体：体温38.3℃，神志清，精神可，", 190, 480),
        line("双肺呼吸音清，心律齐，腹软，无压痛。", 190, 522),
        line("患者一般情况好，症状缓解，于2025年05月10日出院，共住院5天。", 190, 798),
        line("医师签名：谢兰婷", 790, 1050),
        line("2025年05月10日", 790, 1110),
    )
    assert fields["admission_date"].value == "2025-05-05"
    assert fields["discharge_date"].value == "2025-05-10"
    assert fields["admission_date"].confidence >= THRESHOLD and fields["discharge_date"].confidence >= THRESHOLD
    assert [c.ok for c in checks if c.code == "days_in_hospital"] == [True]
    assert not [c for c in checks if c.code == "field_missing"]


def test_a_date_from_prose_nothing_bears_out_goes_to_a_clerk() -> None:
    """GIVEN the same sentences without 共住院N天 THEN the dates are read, below the clerk threshold; and a
    date whose clause ends (。) before a verb comes is not the verb's: the signature's date is no discharge."""
    fields, _ = extracted(
        DocType.discharge_record,
        *SUMMARY_HEAD,
        line("患者于2025年05月05日因“反复上腹痛15天”入院。", 190, 480),
        line("于2025年05月10日复查。出院医嘱：注意休息", 190, 798),
    )
    assert fields["admission_date"].value == "2025-05-05"
    assert fields["admission_date"].confidence == round(0.99 * PROSE_FIT, 4) < THRESHOLD
    assert "discharge_date" not in fields


def test_a_sentence_running_onto_the_next_line_still_gives_its_date() -> None:
    """GIVEN 入院 printed on the line below the date it belongs to THEN the date is read (row by row)."""
    fields, _ = extracted(
        DocType.discharge_record,
        *SUMMARY_HEAD,
        line("患者因“胸闷、气促3天”于2025年04月08日", 190, 480),
        line("入院。入院查体：体温37.2℃", 190, 522),
    )
    assert fields["admission_date"].value == "2025-04-08"


def test_two_sentences_telling_different_admissions_are_flagged() -> None:
    """GIVEN two dates each followed by 入院 THEN the first is kept, far below the clerk threshold."""
    fields, _ = extracted(
        DocType.discharge_record,
        *SUMMARY_HEAD,
        line("患者于2025年04月08日入院，", 190, 480),
        line("因病情变化于2025年04月10日再次入院。", 190, 522),
    )
    assert fields["admission_date"].value == "2025-04-08"
    assert fields["admission_date"].confidence < 0.5


def test_a_labelled_date_wins_over_the_prose() -> None:
    fields, _ = extracted(
        DocType.discharge_record,
        *SUMMARY_HEAD,
        line("入院日期：2025-04-09", 140, 400),
        line("患者于2025年04月08日因“胸闷”入院。", 190, 480),
    )
    assert fields["admission_date"].value == "2025-04-09"


def test_the_department_ends_at_the_bed_number_beside_it() -> None:
    """GIVEN 病区：泌尿外科床号：51 read as one box (no space between them) THEN the department is 泌尿外科."""
    fields, _ = extracted(DocType.discharge_record, line("病区：泌尿外科床号：51", 100, 300))
    assert fields["department"].value == "泌尿外科"


def test_a_header_line_naming_only_a_department_gives_it() -> None:
    """GIVEN no 科室 / 科别 / 病区 label, and a line 心血管内科 under the hospital at the page's head THEN that
    is the department; a line in the body naming a 科 is not."""
    head = extracted(
        DocType.discharge_record,
        line("杭州市第一人民医院", 500, 100),
        line("心血管内科", 560, 150),
        line("出院记录", 600, 200),
        line("姓名：张三", 100, 300),
        line("医师签名：李四", 100, 2600),
    )[0]
    body = extracted(
        DocType.discharge_record,
        line("杭州市第一人民医院", 500, 100),
        line("出院记录", 600, 200),
        line("姓名：张三", 100, 300),
        line("心血管内科", 560, 2000),
        line("医师签名：李四", 100, 2600),
    )[0]
    assert head["department"].value == "心血管内科"
    assert "department" not in body


def test_the_insured_persons_signature_after_canbaoren_qianzi() -> None:
    """GIVEN 参保人签字：闫春 THEN a signature is present; GIVEN the label and only a date after it THEN none."""
    signed = extracted(DocType.filing_form, line("参保人签字：闫春", 1280, 1310))[0]
    blank = extracted(DocType.filing_form, line("参保人签字：", 1280, 1310), line("年 月 日", 1700, 1310))[0]
    assert signed["signature_present"].value is True and signed["signature_present"].confidence >= THRESHOLD
    assert blank["signature_present"].value is False


def test_a_scrawl_read_as_no_name_is_a_signature_a_clerk_confirms() -> None:
    """GIVEN something written after 申请人签名 that reads as no name (strokes read as letters) THEN the
    signature is present but below the clerk threshold: never a confident unsigned."""
    fields, _ = extracted(DocType.filing_form, line("申请人签名：", 100, 500), line("~Lz/", 330, 500, conf=0.42))
    found = fields["signature_present"]
    assert found.value is True and found.confidence < THRESHOLD


def slanted(text: str, x: float, y: float, degrees: float, conf: float = 0.99) -> OcrLine:
    """A line whose box rises `degrees` to the right (a card lying aslant in the photo)."""
    w, h = 30 * len(text), 30
    dx, dy = np.cos(np.radians(degrees)), -np.sin(np.radians(degrees))
    corners = [(x, y), (x + w * dx, y + w * dy), (x + w * dx - h * dy, y + w * dy + h * dx), (x - h * dy, y + h * dx)]
    return OcrLine(text=text, confidence=conf, polygon=corners)


def test_a_card_lying_aslant_reads_its_values_beside_their_labels() -> None:
    """GIVEN an ID card's back whose lines all rise 15° to the right (the photo's levelling took the sheet
    under the card for the page), each value starting right of its label and so standing higher THEN the
    lines are turned level for layout and each value is read at its label."""
    degrees = 15.0
    rise = np.tan(np.radians(degrees))
    fields, _ = extracted(
        DocType.id_card,
        slanted("中华人民共和国", 600, 250, degrees),
        slanted("签发机关", 400, 600, degrees),
        slanted("杭州市公安局余杭分局", 560, 600 - 160 * rise, degrees),
        slanted("有效期限", 420, 680, degrees),
        slanted("2023.07.21-2033.07.21", 580, 680 - 160 * rise, degrees),
        side=Side.back,
    )
    assert fields["issuing_authority"].value == "杭州市公安局余杭分局"
    assert (fields["valid_from"].value, fields["valid_to"].value) == ("2023-07-21", "2033-07-21")


def test_an_inline_item_opening_with_a_digit_ends_the_principal_diagnosis() -> None:
    """GIVEN 1.慢性胃炎2.2型糖尿病3.脂肪肝 on one line THEN the principal is 慢性胃炎 (2. before 2型 is item 2,
    item 3 following it); GIVEN 1.低钾血症2.5级 with no item 3 THEN 2.5 stays a number of item 1."""
    listed = extracted(DocType.discharge_record, line("出院诊断：1.慢性胃炎2.2型糖尿病3.脂肪肝", 140, 360))[0]
    decimal = extracted(DocType.discharge_record, line("出院诊断：1.低钾血症2.5级", 140, 360))[0]
    assert listed["discharge_diagnosis"].value == "慢性胃炎"
    assert decimal["discharge_diagnosis"].value == "低钾血症2.5级"
