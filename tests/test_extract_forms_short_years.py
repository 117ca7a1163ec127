"""Application forms and carbon records on constructed OCR lines: a title opening with a label's word, the
applicant named 申请人, a phone labelled 手机, a label printed in an unlisted wording flagged unread; two
labels printed as one with their two values (入院/出院日期：25-6-3/25-6-15), and dates with two-digit years
settled against the case (issue 28)."""

from __future__ import annotations

import datetime as dt

from extractors.kinds import short_dates
from intake.models import DocType, OcrLine, Side
from intake.reasons import Code
from tests.factories import extracted, failed, line

# Not a real person's number: a constructed one with a valid check digit is not needed here.
FAKE_PHONE = "13800001234"


def _application(*more: str) -> list[OcrLine]:
    """An application form (…申请表) whose title opens with 参保人, the particulars as label：value cells."""
    rows = [
        line("参保人员异地就医备案申请表", 600, 150, h=60),
        line("申请人：林小梅", 200, 400),
        line("性别：女", 1100, 400),
        line(f"联系手机：{FAKE_PHONE}", 1100, 500),
    ]
    return rows + [line(text, 200, 700 + 100 * k) for k, text in enumerate(more)]


def test_a_title_opening_with_a_label_word_is_the_title_and_no_name() -> None:
    """GIVEN a form titled 参保人员异地就医备案申请表 (参保人 is a label of the applicant's name elsewhere) and the
    applicant after 申请人： THEN the title is the whole line, and the name is the applicant's, not 员异地 read
    after the title's 参保人."""
    fields, checks = extracted(DocType.filing_form, *_application())
    assert fields["form_title"].value == "参保人员异地就医备案申请表"
    assert fields["applicant_name"].value == "林小梅"
    assert fields["phone"].value == FAKE_PHONE
    assert ["applicant_name"] not in failed(checks, Code.field_missing)


def test_a_label_in_an_unlisted_wording_with_its_value_unread_is_flagged() -> None:
    """GIVEN a form printing 所属统筹区： (no label the rules list, but the words of the insured region's) with
    a value that is no place's name THEN no value, and a failed field_unread check names the field."""
    fields, checks = extracted(DocType.filing_form, *_application("所属统筹区：12345"))
    assert "insured_region" not in fields
    assert ["insured_region"] in failed(checks, Code.field_unread)


def test_a_label_printed_blank_in_an_unlisted_wording_is_no_gap() -> None:
    """GIVEN 所属统筹区： with nothing after it (the form left blank there) THEN nothing is said of the field."""
    _, checks = extracted(DocType.filing_form, *_application("所属统筹区："))
    assert ["insured_region"] not in failed(checks, Code.field_unread)


def _record(dates: str, *more: str) -> list[OcrLine]:
    return [
        line("出院小结", 700, 150, h=60),
        line("姓名：王小明", 200, 300),
        line(dates, 900, 400),
        line("出院诊断：肺炎", 200, 600),
        *[line(text, 200, 700 + 100 * k) for k, text in enumerate(more)],
    ]


def test_two_labels_printed_as_one_give_each_its_own_value() -> None:
    """GIVEN 入院/出院日期：25-6-3/25-6-15 (one cell, two-digit years) on a case handled 2025-06-20 THEN the
    stay ran from 2025-06-03 to 2025-06-15, both trusted: the case makes the century sure."""
    fields, checks = extracted(DocType.discharge_record, *_record("入院/出院日期：25-6-3/25-6-15", "住院天数：12"))
    assert fields["admission_date"].value == "2025-06-03"
    assert fields["discharge_date"].value == "2025-06-15"
    assert min(fields["admission_date"].confidence, fields["discharge_date"].confidence) > 0.9
    assert [c.ok for c in checks if c.code == Code.days_in_hospital] == [True]


def test_a_pair_of_full_dates_split_at_their_middle_slash() -> None:
    """GIVEN 入/出院日期：2025/6/3/2025/6/15 (the dates' own slashes and the pair's) THEN the middle one splits."""
    fields, _ = extracted(DocType.discharge_record, *_record("入/出院日期：2025/6/3/2025/6/15"))
    assert (fields["admission_date"].value, fields["discharge_date"].value) == ("2025-06-03", "2025-06-15")


def test_a_two_digit_year_no_context_makes_sure_is_flagged() -> None:
    """GIVEN an admission printed 98-6-3 on a case handled in 2025, no date printed in full THEN it is read
    1998-06-03 (the century putting it before the case) but below any clerk threshold: 1998 is no recent
    stay, and nothing says the century."""
    fields, _ = extracted(DocType.discharge_record, *_record("入院日期：98-6-3"))
    assert fields["admission_date"].value == "1998-06-03"
    assert fields["admission_date"].confidence <= 0.5


def test_short_dates_stand_apart_from_longer_runs() -> None:
    """25-6-3 and 25.6.15 are dates; a full date's tail, a code of four numbers and 25-2-30 are not."""
    assert [day for _, day in short_dates("25-6-3/25.6.15")] == [dt.date(2025, 6, 3), dt.date(2025, 6, 15)]
    assert short_dates("2025-6-3") == []
    assert short_dates("12-3-45-6") == []
    assert short_dates("25-2-30") == []


def _kinds_grid(marked: int, mark_alone: bool = False) -> list[OcrLine]:
    """备案类型 as a heading asking for a tick after the chosen type, the six types in a grid of two columns
    below it, numbered; the `marked` one (1-based) ticked after its words, the tick read into its line or as
    a line of its own right after it."""
    kinds = ("异地长期居住人员", "常驻异地工作人员", "异地安置退休人员", "异地转诊人员", "临时外出就医人员", "其他人员")
    rows = [line("二、备案类型（请在所选类型后打“√”）", 100, 500)]
    for k, kind in enumerate(kinds, 1):
        x, y = (130 if k % 2 else 800), 570 + 60 * ((k - 1) // 2)
        text = f"{k}. {kind}"
        if k == marked and not mark_alone:
            text += "√"
        rows.append(line(text, x, y))
        if k == marked and mark_alone:
            rows.append(line("√", x + 30 * len(text) + 6, y))
    return rows


def test_an_option_grid_under_its_label_is_read_across_its_columns() -> None:
    """GIVEN the types in two columns under the 备案类型 heading, the fourth (right column) ticked after its
    words, and the heading quoting the mark it asks for (打“√”) THEN the ticked type, trusted: the quoted mark
    is the instruction's, not a choice."""
    fields, _ = extracted(DocType.filing_form, *_application(), *_kinds_grid(4))
    assert fields["filing_type"].value == "异地转诊人员"
    assert fields["filing_type"].confidence > 0.9


def test_a_tick_read_as_a_line_of_its_own_after_its_option_chooses_it() -> None:
    """GIVEN the third type's tick read as a line of its own right after its words, in the left column THEN
    that type."""
    fields, _ = extracted(DocType.filing_form, *_application(), *_kinds_grid(3, mark_alone=True))
    assert fields["filing_type"].value == "异地安置退休人员"
    assert fields["filing_type"].confidence > 0.9


def test_a_short_date_standing_alone_near_a_label_is_no_value() -> None:
    """GIVEN a card's back whose 有效期限 stands alone, a watermark's 25.06.20 nearer it than the validity
    2023.03.09-2033.03.09 THEN the validity is read: a two-digit year is read only after its label on its
    line, and a range is two dates."""
    fields, _ = extracted(
        DocType.id_card,
        line("居民身份证", 650, 390),
        line("有效期限", 340, 800),
        line("25.06.20", 380, 700),
        line("杭州市公安局上城分局", 530, 660),
        line("2023.03.09-2033.03.09", 530, 750),
        side=Side.back,
    )
    assert (fields["valid_from"].value, fields["valid_to"].value) == ("2023-03-09", "2033-03-09")


def _diagnosed(admission: str, discharge: str) -> list[OcrLine]:
    return [
        line("出院记录", 700, 150, h=60),
        line("姓名：王小明", 200, 300),
        line(f"入院诊断：{admission}", 200, 500),
        line(f"出院诊断：{discharge}", 200, 600),
    ]


def test_diagnoses_read_alike_but_not_the_same_are_both_flagged() -> None:
    """GIVEN 入院诊断 胆囊结石伴慢性胆囊炎 and 出院诊断 read 胆量结石伴慢性胆量炎 (two characters misread, read
    surely) THEN a failed diagnoses_read_alike check names both: one reading at least is wrong."""
    _, checks = extracted(DocType.discharge_record, *_diagnosed("胆囊结石伴慢性胆囊炎", "胆量结石伴慢性胆量炎"))
    named = failed(checks, Code.diagnoses_read_alike)
    assert len(named) == 1 and {"admission_diagnosis", "discharge_diagnosis"} <= set(named[0])


def test_diagnoses_the_same_or_wholly_different_say_nothing() -> None:
    """GIVEN the same diagnosis at both ends, or two different ones (腹痛待查 / 急性阑尾炎) THEN no such check."""
    for admission, discharge in (("社区获得性肺炎", "社区获得性肺炎"), ("腹痛待查", "急性阑尾炎")):
        _, checks = extracted(DocType.discharge_record, *_diagnosed(admission, discharge))
        assert failed(checks, Code.diagnoses_read_alike) == []
