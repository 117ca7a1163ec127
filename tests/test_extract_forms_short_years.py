"""Application forms and carbon records on constructed OCR lines: a title opening with a label's word, the
applicant named 申请人, a phone labelled 手机, a label printed in an unlisted wording flagged unread; two
labels printed as one with their two values (入院/出院日期：25-6-3/25-6-15), and dates with two-digit years
settled against the case (issue 28)."""

from __future__ import annotations

import datetime as dt

from extractors.kinds import short_dates
from intake.models import DocType
from intake.reasons import Code
from tests.factories import extracted, failed, line

# Not a real person's number: a constructed one with a valid check digit is not needed here.
FAKE_PHONE = "13800001234"


def _application(*more: str) -> list:
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
    assert failed(checks, Code.field_missing) == [["filing_type"]]


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


def _record(dates: str, *more: str) -> list:
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
