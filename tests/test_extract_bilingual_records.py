"""Mechanisms for discharge records printed with bilingual labels, and the shape checks of a record's
inpatient number and diagnoses. Each on crafted OCR lines or values (not a sample)."""

from __future__ import annotations

import datetime as dt

from extractors.checks import diagnosis_holds_label, inpatient_number_shaped
from extractors.layout import without_gloss
from intake.models import Check, DocType, ExtractedField, OcrLine
from intake.reasons import Code
from tests.factories import extracted, failed, line

# The clerk threshold (INTAKE_THRESHOLDS__MIN_FIELD_CONFIDENCE's default): a doubted value reads below it.
MIN_FIELD_CONFIDENCE = 0.8

STAY = [dt.date(2025, 6, 3), dt.date(2025, 6, 15)]


def read(*lines: OcrLine) -> tuple[dict[str, ExtractedField], list[Check]]:
    return extracted(DocType.discharge_record, *lines, width=1700, height=2400)


BILINGUAL_HEAD = [
    line("某某市第一人民医院", 600, 100, w=420),
    line("出院小结", 700, 180, w=200),
    line("DISCHARGE SUMMARY", 660, 240, w=280),
    line("姓名 Name：王小明", 160, 320, w=330),
    line("性别 Sex：男", 860, 320, w=230),
    line("年龄 Age：45岁", 160, 380, w=260),
    line("科室 Department：心内科", 860, 380, w=420),
    line("床号 Bed No.：12", 160, 440, w=280),
    line("住院号 Inpatient No.：3061245", 860, 440, w=520),
    line("入院日期 Admission Date：2025/06/03", 160, 500, w=600),
    line("出院日期 Discharge Date：2025/06/15", 860, 500, w=600),
    line("住院天数 Length of Stay：12天", 160, 560, w=480),
]
BILINGUAL_DIAGNOSES = [
    line("入院诊断 Admitting Diagnosis：社区获得性肺炎", 160, 660, w=760),
    line("出院诊断 Discharge Diagnosis：社区获得性肺炎", 160, 720, w=760),
    line("主治医师 Attending Physician：李四", 800, 1900, w=560),
    line("日期 Date：2025/06/15", 800, 1960, w=360),
]


def test_a_label_s_english_before_the_colon_is_the_label_s() -> None:
    assert without_gloss("InpatientNo.:3061245") == "3061245"
    assert without_gloss("AdmittingDiagnosis：社区获得性肺炎") == "社区获得性肺炎"
    assert without_gloss("ZY3061245") == "ZY3061245"  # letters not before a colon: the value's own
    assert without_gloss("3061245") == "3061245"


def test_a_bilingual_record_reads_its_values_not_its_labels_english() -> None:
    """GIVEN a record printing each label in Chinese and English before one colon WHEN read THEN the number
    and both diagnoses are the values after the colon, read surely."""
    fields, _ = read(*BILINGUAL_HEAD, *BILINGUAL_DIAGNOSES)
    assert fields["inpatient_number"].value == "3061245"
    assert fields["admission_diagnosis"].value == "社区获得性肺炎"
    assert fields["discharge_diagnosis"].value == "社区获得性肺炎"
    assert fields["department"].value == "心内科"
    assert fields["doctor"].value == "李四"
    assert fields["days_in_hospital"].value == "12"
    for name in ("inpatient_number", "admission_diagnosis", "discharge_diagnosis"):
        assert fields[name].confidence >= MIN_FIELD_CONFIDENCE, name


def test_a_label_parted_from_its_english_still_reads_the_value_beside_it() -> None:
    """GIVEN 住院号 read apart from `Inpatient No.：3061245` beside it WHEN read THEN 3061245, not the word."""
    head = [ln for ln in BILINGUAL_HEAD if "Inpatient" not in ln.text]
    fields, _ = read(
        *head, line("住院号", 860, 440, w=90), line("Inpatient No.：3061245", 980, 440, w=400), *BILINGUAL_DIAGNOSES
    )
    assert fields["inpatient_number"].value == "3061245"


def test_an_inpatient_number_has_its_shape() -> None:
    assert inpatient_number_shaped("3061245", STAY)
    assert inpatient_number_shaped("ZY0012345", STAY)
    assert not inpatient_number_shaped("Inpatient", STAY)  # a word: a label's English
    assert not inpatient_number_shaped("123", STAY)  # too few digits
    assert not inpatient_number_shaped("13812345678", STAY)  # a mobile number
    assert not inpatient_number_shaped("20250603", STAY)  # the admission day, run together
    assert inpatient_number_shaped("20250603", [])  # no stay read: nothing says it is a date


def test_a_word_read_as_the_inpatient_number_is_flagged() -> None:
    """GIVEN 住院号：Inpatient (the number lost, the English read) WHEN read THEN it is below the threshold."""
    head = [ln for ln in BILINGUAL_HEAD if "Inpatient" not in ln.text]
    fields, _ = read(*head, line("住院号：Inpatient", 860, 440, w=300), *BILINGUAL_DIAGNOSES)
    assert fields["inpatient_number"].confidence < MIN_FIELD_CONFIDENCE


def test_a_diagnosis_holding_a_label_is_no_diagnosis_as_read() -> None:
    assert diagnosis_holds_label("AdmittingDiagnosis:社区获得性肺炎", [])
    assert diagnosis_holds_label("社区获得性肺炎DischargeDiagnosis", [])
    assert diagnosis_holds_label("社区获得性肺炎出院诊断", ["出院诊断"])
    assert not diagnosis_holds_label("Graves病", ["出院诊断"])  # an eponym is one word
    assert not diagnosis_holds_label("IgA肾病", [])
    assert not diagnosis_holds_label("2型糖尿病(HbA1c 9.1%)", [])
    assert not diagnosis_holds_label("肥胖症(BMI:32)", [])
    assert diagnosis_holds_label("Diagnosis:肥胖症", [])
    assert not diagnosis_holds_label("年龄相关性黄斑变性", ["年龄"])  # a short label is a disease's word too


def test_a_diagnosis_run_into_a_label_s_english_is_flagged() -> None:
    """GIVEN a diagnosis whose line holds its label's English after the value WHEN read THEN flagged."""
    diagnoses = [ln for ln in BILINGUAL_DIAGNOSES if "Discharge" not in ln.text]
    fields, _ = read(*BILINGUAL_HEAD, line("出院诊断：社区获得性肺炎 Discharge Diagnosis", 160, 720, w=760), *diagnoses)
    assert fields["discharge_diagnosis"].confidence < MIN_FIELD_CONFIDENCE


GRID_BODY = [
    line("入院诊断", 200, 1500, w=90),
    line("2型糖尿病", 200, 1540, w=120),
    line("出院诊断", 200, 1600, w=90),
    line("2型糖尿病", 200, 1640, w=120),
    line("主治医师：郭超春", 200, 2100, w=200),
]


def test_an_age_under_a_label_read_nowhere_is_the_number_before_sui() -> None:
    """GIVEN a grid of labels over values whose 年龄 label was not read, its value 75岁 was WHEN read THEN the
    age is 75, below the clerk threshold (no label says so)."""
    fields, _ = read(
        line("姓名", 200, 1100, w=50),
        line("性别", 530, 1100, w=50),
        line("田宁秀", 200, 1140, w=90),
        line("男", 535, 1140, w=30),
        line("75岁", 860, 1140, w=60),
        *GRID_BODY,
    )
    assert fields["age"].value == "75"
    assert fields["age"].confidence < MIN_FIELD_CONFIDENCE


def test_sex_not_read_where_the_age_beside_it_is_is_a_gap_a_clerk_is_told_of() -> None:
    """GIVEN a record whose 年龄 and its value are read but whose 性别 is read nowhere WHEN read THEN a failed
    field_unread check names the sex: a record prints both."""
    fields, checks = read(
        line("姓名", 200, 1100, w=50),
        line("年龄", 860, 1100, w=50),
        line("田宁秀", 200, 1140, w=90),
        line("烟女", 530, 1120, w=60),
        line("39岁", 860, 1140, w=60),
        *GRID_BODY,
    )
    assert fields["age"].value == "39"
    assert "sex" not in fields
    assert ["sex"] in failed(checks, Code.field_unread)


def test_a_letterhead_is_at_the_top_of_the_document_not_of_the_image() -> None:
    """GIVEN a record shown on a screen photographed on a table (its lines start a third down the image), the
    hospital's name on a card under the title WHEN read THEN the name is the hospital: it heads the document."""
    fields, checks = read(
        line("8:02", 400, 800, w=50),
        line("出院小结", 870, 880, w=140),
        line("浙江大学医学院附属第二医院", 400, 960, w=390),
        line("姓名", 400, 1100, w=50),
        line("唐国秀", 400, 1140, w=90),
        *GRID_BODY,
    )
    assert fields["hospital"].value == "浙江大学医学院附属第二医院"
    assert ["hospital"] not in failed(checks, Code.field_missing)
