"""A filing form the treating hospital fills in for its patient, on constructed OCR lines: the name read
from an unlabelled run of particulars (a ward's patient label: 张三  男  45岁) and checked against the ID
number, a signature label with a note between who signs and 签字, and the day the care began standing in
for a filing's start (issue 28)."""

from __future__ import annotations

import datetime as dt

from extractors.extract import extract_document
from extractors.layout import composed_labels, located_lines
from intake.idnumber import check_digit
from intake.models import Check, DocType, Document, ExtractedField, OcrLine, Page

THRESHOLD = 0.8  # settings.min_field_confidence: below it a clerk looks
CASE_DATE = dt.date(2025, 6, 20)
MAN_1980 = "33010619800115123" + check_digit("33010619800115123")  # a man born 1980-01-15: 45 on CASE_DATE


def line(text: str, x: float, y: float, conf: float = 0.99) -> OcrLine:
    w = 30 * len(text)
    return OcrLine(text=text, confidence=conf, polygon=[(x, y), (x + w, y), (x + w, y + 30), (x, y + 30)])


def extracted(*lines: OcrLine) -> tuple[dict[str, ExtractedField], list[Check]]:
    page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=list(lines))
    doc = Document(source="t.jpg", pages=[1], doc_type=DocType.filing_form)
    return extract_document(doc, [page], CASE_DATE)


def failed(checks: list[Check], field: str) -> list[str]:
    return [c.code for c in checks if not c.ok and field in c.fields]


FORM = (
    line("跨省异地急诊住院补办备案表", 600, 100),
    line("患者信息（粘贴病人标签）", 120, 200),
    line("身份证号码", 900, 200),
    line(MAN_1980, 1100, 200),
    line("就医地", 120, 600),
    line("浙江省杭州市", 400, 600),
    line("备案类别", 120, 700),
    line("临时外出就医人员", 400, 700),
)


def test_the_name_opening_a_run_of_particulars_the_id_number_bears_out_is_read_surely() -> None:
    """GIVEN a form printing no name label, a sticker's run 王小明 男 45岁 and the ID number of a man of 45
    THEN the name is the run's, as sure as its line, and its sex and age checks pass."""
    fields, checks = extracted(*FORM, line("王小明  男  45岁", 150, 320), line("住院号：2025012345", 150, 370))
    name = fields["applicant_name"]
    assert name.value == "王小明" and name.confidence >= THRESHOLD
    assert {c.code for c in checks if c.ok and "applicant_name" in c.fields} == {"id_sex", "id_birth_date"}
    assert not failed(checks, "applicant_name")


def test_a_run_whose_sex_the_id_number_contradicts_flags_the_name() -> None:
    """GIVEN the run 王小红 女 45岁 on a form whose ID number is a man's THEN the name is read but a failed
    id_sex check names it: the label may be another patient's."""
    fields, checks = extracted(*FORM, line("王小红  女  45岁", 150, 320))
    assert fields["applicant_name"].value == "王小红"
    assert "id_sex" in failed(checks, "applicant_name")


def test_a_run_with_no_id_number_to_check_it_is_a_guess_a_clerk_confirms() -> None:
    """GIVEN the run and no ID number on the page THEN the name is read below the clerk threshold."""
    lines = [ln for ln in FORM if ln.text not in ("身份证号码", MAN_1980)]
    fields, _ = extracted(*lines, line("王小明  男  45岁", 150, 320))
    assert fields["applicant_name"].value == "王小明" and fields["applicant_name"].confidence < THRESHOLD


def test_a_run_cut_into_its_parts_on_one_row_and_a_given_name_ending_in_the_sex() -> None:
    """GIVEN the run read as three lines of one row (a label printer's wide gaps), the given name ending
    in 男 THEN the name is the whole name before the sex right before the age."""
    fields, _ = extracted(*FORM, line("李胜男", 150, 320), line("男", 300, 320), line("45岁", 380, 320))
    assert fields["applicant_name"].value == "李胜男" and fields["applicant_name"].confidence >= THRESHOLD


def test_two_different_runs_choose_no_name() -> None:
    """GIVEN two patients' runs on one page THEN no name is taken from either: the name is missing, and
    a check says so."""
    fields, checks = extracted(*FORM, line("王小明  男  45岁", 150, 320), line("赵强  男  45岁", 150, 420))
    assert "applicant_name" not in fields
    assert "field_missing" in failed(checks, "applicant_name")


def test_a_labelled_name_is_read_at_its_label_not_from_a_run() -> None:
    """GIVEN 姓名：陈静 and a run of another name THEN the name is the labelled one, and the run checks
    nothing."""
    fields, checks = extracted(*FORM, line("姓名：陈静", 150, 260), line("王小明  男  45岁", 150, 320))
    assert fields["applicant_name"].value == "陈静"
    assert not [c for c in checks if "applicant_name" in c.fields]


def test_a_note_between_the_signer_and_qianzi_is_the_signers_label() -> None:
    """GIVEN 申请人（患者或家属）签字： with a name written after it THEN the signature is present and the
    note's words (患者或家属) are never read as the applicant's name."""
    fields, checks = extracted(*FORM, line("申请人（患者或家属）签字：", 120, 1200), line("王小明", 560, 1195))
    assert fields["signature_present"].value is True
    assert "applicant_name" not in fields and "field_missing" in failed(checks, "applicant_name")
    blank, _ = extracted(*FORM, line("申请人（患者或家属）签字：", 120, 1200), line("日期：", 900, 1200))
    assert blank["signature_present"].value is False


def test_the_note_is_dropped_only_where_a_signature_label_is_left() -> None:
    """GIVEN lines with a bracketed note before 签字 or round it THEN the note goes where what is left is a
    label of the rules (申请人签字, 承诺人(签字)), and stays where it is not (a sentence's
    本表（一式两份）签字后生效)."""
    labels = frozenset({"申请人签字", "患者签字", "承诺人(签字)"})
    page = Page(
        source="t.jpg",
        page=1,
        width=2000,
        height=2800,
        lines=[
            line("申请人（患者或家属）签字：", 100, 100),
            line("本表（一式两份）签字后生效", 100, 200),
            line("承诺人（签字并按手印）：", 100, 300),
        ],
    )
    texts = [ln.text for ln in composed_labels(located_lines([page]), labels)]
    assert texts == ["申请人签字:", "本表(一式两份)签字后生效", "承诺人(签字):"]


def test_the_emergency_admission_stands_in_for_the_filings_start() -> None:
    """GIVEN a 补办 form printing 急诊入院日期 2025年6月3日 and no start of its own THEN the start is that day,
    read as surely as at its own label."""
    fields, _ = extracted(*FORM, line("急诊入院日期", 120, 650), line("2025年6月3日", 420, 650))
    assert fields["start_date"].value == "2025-06-03" and fields["start_date"].confidence >= THRESHOLD


def test_a_filings_own_validity_wins_over_the_admission() -> None:
    """GIVEN both 备案有效期 2025年6月1日至2025年12月31日 and 入院日期 2025年6月3日 THEN the start is the
    validity's: a date standing in is read only where the filing prints none of its own."""
    fields, _ = extracted(
        *FORM,
        line("入院日期：2025年6月3日", 120, 650),
        line("备案有效期：2025年6月1日至2025年12月31日", 120, 900),
    )
    assert fields["start_date"].value == "2025-06-01"


def test_an_admission_label_with_its_day_unread_is_a_gap_a_clerk_is_told_of() -> None:
    """GIVEN 急诊入院日期 with a smudge read after it THEN the start is unread, named by a failed check."""
    fields, checks = extracted(*FORM, line("急诊入院日期", 120, 650), line("2O2S年", 420, 650, conf=0.4))
    assert "start_date" not in fields
    assert set(failed(checks, "start_date")) & {"field_unread", "field_missing"}


def test_a_word_glued_before_the_name_makes_no_run() -> None:
    """GIVEN 住院患者王小明男45岁 (a word run into the name: no Han name is that long) THEN no name is taken
    from it: the name is missing and a check says so, rather than 住院患者王小明 read as a name."""
    fields, checks = extracted(*FORM, line("住院患者王小明男45岁", 150, 320))
    assert "applicant_name" not in fields and "field_missing" in failed(checks, "applicant_name")


def test_words_round_qianzi_in_the_brackets_leave_the_signers_label() -> None:
    """GIVEN 承诺人（签字并按手印）： blank (a date's furniture further on) THEN the form reads unsigned, not
    signed by 按手印 (the note's tail after a loosely matched 承诺人（签字）); GIVEN a name after it THEN
    signed."""
    blank, _ = extracted(*FORM, line("承诺人（签字并按手印）：", 900, 1200), line("年 月 日", 1500, 1300))
    assert blank["signature_present"].value is False
    signed, _ = extracted(*FORM, line("承诺人（签字并按手印）：", 900, 1200), line("梁峰春", 1300, 1195))
    assert signed["signature_present"].value is True and signed["signature_present"].raw == "梁峰春"
