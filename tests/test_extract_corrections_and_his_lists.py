"""A record's figures corrected by hand over the struck typed ones, a stay printed on one line as a range
with its days, and a HIS list's header, periods with times, bracketed grades, padded row numbers and
counts the reading lost, on constructed OCR lines (issue 28)."""

from __future__ import annotations

from extractors.corrections import CORRECTION_FIT
from extractors.kinds import _dates
from extractors.layout import located_lines
from extractors.prose import prose_date
from intake.models import DocType
from intake.reasons import Code
from tests.factories import extracted, failed, line, page_of

THRESHOLD = 0.8  # settings.min_field_confidence: below it a clerk looks

RECORD_HEAD = (
    line("杭州市第一人民医院", 900, 100),
    line("出院记录", 1300, 170),
    line("姓名：林晓红", 150, 370),
    line("性别：女", 520, 370),
)


def _record(*more: object) -> tuple[dict, list]:
    return extracted(DocType.discharge_record, *RECORD_HEAD, *more)  # type: ignore[arg-type]


def test_written_corrections_the_stay_check_holds_for_stand_borne_out_and_others_are_flagged() -> None:
    """GIVEN 出院日期 and 住院天数 typed, each struck and corrected by hand above (2025.6.16 韩志军 6.16, 4天 …), where
    the typed pair (6-14, 2 days) and the written pair (6-16, 4 days) both agree with the admission, and the
    age corrected beside nothing that checks it WHEN extracted THEN each corrected field holds the written
    value; the stay's, which the days check bears out (the record's rules void the struck pair), sure; the
    age below the clerk threshold: two readings, and nothing chose between them."""
    fields, checks = _record(
        line("年龄：44岁", 750, 370, w=160),
        line("46岁 韩志军", 800, 320, w=180),
        line("2025.6.16 韩志军 6.16", 900, 438, w=290),
        line("入院日期：2025年6月12日", 150, 470, w=350),
        line("出院日期：2025年6月14日", 750, 475, w=360),
        line("4天 韩志军 6.16", 290, 524, w=200),
        line("住院天数：2天", 150, 566, w=210),
        line("出院诊断：慢性胃炎", 150, 680),
    )
    assert fields["discharge_date"].value == "2025-06-16"
    assert fields["days_in_hospital"].value == "4"
    assert fields["age"].value == "46"
    assert min(fields["discharge_date"].confidence, fields["days_in_hospital"].confidence) >= THRESHOLD
    assert any(c.code == Code.days_in_hospital and c.ok for c in checks)
    assert fields["age"].confidence <= CORRECTION_FIT < THRESHOLD
    assert fields["admission_date"].value == "2025-06-12" and fields["admission_date"].confidence >= THRESHOLD


def test_written_corrections_no_check_holds_for_are_taken_and_flagged() -> None:
    """GIVEN 出院日期 and 住院天数 struck and corrected by hand, no pairing of the typed (6-14, 9 days) and the
    written (6-16, 8 days) readings agreeing with the admission (6-12) WHEN extracted THEN each holds its
    written value, below the clerk threshold."""
    fields, _ = _record(
        line("2025.6.16 韩志军 6.16", 900, 438, w=290),
        line("入院日期：2025年6月12日", 150, 470, w=350),
        line("出院日期：2025年6月14日", 750, 475, w=360),
        line("8天 韩志军 6.16", 290, 524, w=200),
        line("住院天数：9天", 150, 566, w=210),
        line("出院诊断：慢性胃炎", 150, 680),
    )
    assert (fields["discharge_date"].value, fields["days_in_hospital"].value) == ("2025-06-16", "8")
    for name in ("discharge_date", "days_in_hospital"):
        assert fields[name].confidence <= CORRECTION_FIT < THRESHOLD


def test_the_one_reading_of_the_stay_its_days_agree_with_wins_borne_out() -> None:
    """GIVEN the discharge typed 2025-04-27 and corrected to 2025.4.29 over it, and 住院天数 whose struck
    figure was not read (住院天数：天) corrected to 13天 WHEN extracted THEN the written pair wins (only it agrees
    with admission 4-16: 13 days), sure, and the days check that chose it passes."""
    fields, checks = _record(
        line("2025.4.29 贺秀 4.29", 830, 408, w=250),
        line("入院日期：2025年4月16日", 135, 450, w=310),
        line("出院日期：2025年4月27日", 695, 443, w=320),
        line("13天 贺秀 4.29", 280, 506, w=180),
        line("住院天数：天", 134, 540, w=206),
        line("出院诊断：2型糖尿病", 137, 655),
    )
    assert fields["discharge_date"].value == "2025-04-29"
    assert fields["days_in_hospital"].value == "13"
    assert fields["discharge_date"].confidence >= THRESHOLD
    assert fields["days_in_hospital"].confidence >= THRESHOLD
    assert any(c.code == Code.days_in_hospital and c.ok for c in checks)


def test_lines_that_are_no_correction_change_nothing() -> None:
    """GIVEN a record whose only unlabelled lines near its values are a bed number and a signature block
    (no figure before a name) WHEN extracted THEN the typed values stand, sure."""
    fields, _ = _record(
        line("入院日期：2025年6月2日", 150, 470, w=350),
        line("出院日期：2025年6月10日", 750, 475, w=360),
        line("住院天数：8天", 150, 566, w=210),
        line("韩志军", 800, 430, w=90),
        line("出院诊断：慢性胃炎", 150, 680),
    )
    assert (fields["discharge_date"].value, fields["days_in_hospital"].value) == ("2025-06-10", "8")
    assert fields["discharge_date"].confidence >= THRESHOLD


def test_a_stay_on_one_line_gives_both_dates_and_its_days() -> None:
    """GIVEN a certificate printing 住院时间：2025/4/23至2025/5/1，共住院8天 on one line, over 入院诊断：
    WHEN extracted THEN the admission is the range's start, the discharge its end, the days 8, and the
    days check passes (no date is taken from the 入院 of the next row's label)."""
    fields, checks = _record(
        line("住院号：7186946", 860, 450),
        line("住院时间：2025/4/23至2025/5/1，共住院8天", 160, 530, w=660),
        line("入院诊断：2型糖尿病", 160, 600),
        line("出院诊断：2型糖尿病", 160, 670),
    )
    assert fields["admission_date"].value == "2025-04-23"
    assert fields["discharge_date"].value == "2025-05-01"
    assert fields["days_in_hospital"].value == "8"
    assert not failed(checks, Code.days_in_hospital)


def test_a_verb_that_opens_a_label_states_no_date() -> None:
    """GIVEN a date whose clause runs, in reading order, into the next row's label 入院诊断： THEN prose finds
    no admission told there; a sentence's own 入院 still tells one."""
    label_only = [line("开具日期：2025/5/1，", 160, 100), line("入院诊断：胃炎", 160, 170)]
    assert prose_date(located_lines([page_of(label_only)]), ["入院"]) is None
    sentence = [line("患者于2025年5月1日因胃炎入院。", 160, 100)]
    hit = prose_date(located_lines([page_of(sentence)]), ["入院"])
    assert hit is not None and hit.raw == "2025年5月1日"


def test_a_range_with_times_glued_to_its_days() -> None:
    """A range printed with times (结算区间) read with each time glued to its day: the day is cut where the
    calendar and the clock allow; a cut two ways (6-1 10:30 or 6-11 0:30) is kept below the threshold."""
    assert _dates("2025-04-1911:32—2025-05-0208:56") == [("2025-04-19", 1.0), ("2025-05-02", 1.0)]
    assert _dates("2025-06-03 08:12:00至2025-06-12 10:55:00") == [("2025-06-03", 1.0), ("2025-06-12", 1.0)]
    day, fit = _dates("2025-5-28 09:00-2025-6-110:30")[1]
    assert day == "2025-06-11" and fit < THRESHOLD


HIS_LIST = (
    line("温州医科大学附属第一医院", 740, 100),
    line("住院患者费用明细单", 820, 190),
    line("患者：熊玉涛", 110, 280),
    line("住院号：78143389", 560, 280),
    line("结算区间：2025-04-2816:33—2025-05-04 10:55", 110, 340, w=680),
    line("序号", 125, 430),
    line("项目名称", 205, 430),
    line("数量", 1170, 430),
    line("单价", 1380, 430),
    line("金额", 1600, 430),
    line("费用类别", 1730, 430),
)


def test_a_his_list_names_its_patient_period_and_graded_items() -> None:
    """GIVEN a HIS list naming the patient 患者：, its period as 结算区间 with times, each item's grade in
    brackets after its name ([甲], 【乙】, (丙)) and unit prices to four decimals WHEN extracted THEN the
    name, both ends of the period and the items' names without their grades, prices to the cent."""
    fields, checks = extracted(
        DocType.expense_list,
        *HIS_LIST,
        line("1", 150, 540),
        line("肝功能常规检查[甲]", 215, 540),
        line("6", 1210, 540),
        line("99.9300", 1340, 540),
        line("599.58", 1570, 540),
        line("化验费", 1750, 540),
        line("2", 150, 605),
        line("连花清瘟胶囊【乙】", 215, 605),
        line("5", 1210, 605),
        line("15.7800", 1340, 605),
        line("78.90", 1580, 605),
        line("中成药费", 1735, 605),
        line("3", 150, 670),
        line("一次性输液器（丙）", 215, 670),
        line("4", 1210, 670),
        line("2.2800", 1350, 670),
        line("9.12", 1600, 670),
        line("卫生材料费", 1725, 670),
        line("费用总额：687.60", 115, 760),
    )
    assert fields["patient_name"].value == "熊玉涛"
    assert (fields["period_start"].value, fields["period_end"].value) == ("2025-04-28", "2025-05-04")
    items = fields["items"].value
    assert [i["name"] for i in items] == ["肝功能常规检查", "连花清瘟胶囊", "一次性输液器"]
    assert [i["unit_price"] for i in items] == ["99.93", "15.78", "2.28"]
    assert not failed(checks, Code.expense_items_sum)


def test_a_name_ending_in_a_grade_word_outside_brackets_keeps_it() -> None:
    """A name whose last word is no bracketed grade (甲型流感病毒抗原检测, 乙肝表面抗原) is kept whole."""
    fields, _ = extracted(
        DocType.expense_list,
        *HIS_LIST,
        line("1", 150, 540),
        line("甲型流感病毒抗原检测", 215, 540),
        line("1", 1210, 540),
        line("80.00", 1340, 540),
        line("80.00", 1570, 540),
        line("化验费", 1750, 540),
        line("费用总额：80.00", 115, 640),
    )
    assert fields["items"].value[0]["name"] == "甲型流感病毒抗原检测"


def _graded_row(y: float, seq: str, name: str) -> list:
    return [
        line(seq, 150, y),
        line(name, 215, y),
        line("2", 1210, y),
        line("10.0000", 1340, y),
        line("20.00", 1570, y),
        line("化验费", 1750, y),
    ]


def test_a_grade_misread_in_the_brackets_the_list_prints_grades_in_is_no_part_of_the_name() -> None:
    """GIVEN a HIS list whose rows end their names with a grade in square brackets, one of them read
    [Z] (乙 misread), and a name ending in a bracketed word (进口) WHEN extracted THEN the misread grade is
    dropped like a grade read right, and the bracketed word is kept."""
    fields, _ = extracted(
        DocType.expense_list,
        *HIS_LIST,
        *_graded_row(540, "1", "肝功能常规检查[甲]"),
        *_graded_row(605, "2", "阿托伐他汀钙片[Z]"),
        *_graded_row(670, "3", "人血白蛋白(进口)[乙]"),
        line("费用总额：60.00", 115, 760),
    )
    assert [i["name"] for i in fields["items"].value] == ["肝功能常规检查", "阿托伐他汀钙片", "人血白蛋白(进口)"]


def test_a_bracketed_character_on_a_list_printing_no_grade_stays_in_the_name() -> None:
    """GIVEN a list printing no grade after any name, and a name ending in one bracketed character WHEN
    extracted THEN the name is kept whole: nothing shows the brackets hold a grade."""
    fields, _ = extracted(
        DocType.expense_list,
        *HIS_LIST,
        *_graded_row(540, "1", "肝功能常规检查"),
        *_graded_row(605, "2", "维生素B[2]"),
        line("费用总额：40.00", 115, 700),
    )
    assert [i["name"] for i in fields["items"].value] == ["肝功能常规检查", "维生素B[2]"]


ZEBRA_HEAD = (
    line("杭州市第一人民医院", 800, 200),
    line("住院费用清单", 850, 260),
    line("编号", 400, 448),
    line("项目名称", 460, 448),
    line("类别", 860, 448),
    line("数量", 1050, 448),
    line("单位", 1110, 448),
    line("单价", 1270, 448),
    line("金额", 1440, 448),
)


def test_padded_row_numbers_are_no_part_of_the_name_and_a_lost_count_is_what_the_figures_fix() -> None:
    """GIVEN a list numbering rows 01, 02 under 编号 (a header no column is known by), and a row whose
    count cell the reading lost (a shaded row) WHEN extracted THEN the names lose their numbers, the lost
    count is the whole number amount ÷ unit price gives (4 = 80.00 ÷ 20.00), offered below the clerk
    threshold (a round price misread, 10.00 or 40.00, would divide the amount too), and the total is read
    after 总计金额."""
    fields, checks = extracted(
        DocType.expense_list,
        *ZEBRA_HEAD,
        line("01", 409, 485),
        line("C反应蛋白测定", 463, 485),
        line("化验费", 860, 485),
        line("20.00", 1259, 485),
        line("80.00", 1418, 485),
        line("02", 407, 525),
        line("静脉输液", 461, 525),
        line("治疗费", 863, 525),
        line("4", 1082, 525),
        line("次", 1116, 525),
        line("7.25", 1271, 525),
        line("29.00", 1432, 525),
        line("总计金额：109.00元", 363, 620),
    )
    items = fields["items"].value
    assert [i["name"] for i in items] == ["C反应蛋白测定", "静脉输液"]
    assert [i["quantity"] for i in items] == ["4", "4"]
    assert fields["items"].confidence < THRESHOLD
    assert fields["total_amount"].value == "109.00"
    assert not failed(checks, Code.expense_items_sum)


def test_a_lost_count_no_other_digit_of_the_price_would_fix_is_borne_out() -> None:
    """GIVEN list rows whose count cells the reading lost, their figures fixing a count no price one digit from
    the one read would (29.73 into 118.92: 4; 14.43 into 14.43: 1) WHEN extracted THEN the counts are fixed
    and the list is sure: a misread price could not have made the count whole; the sum check passes."""
    fields, checks = extracted(
        DocType.expense_list,
        *ZEBRA_HEAD,
        line("01", 409, 485),
        line("C反应蛋白测定", 463, 485),
        line("化验费", 860, 485),
        line("29.73", 1259, 485),
        line("118.92", 1418, 485),
        line("02", 407, 525),
        line("静脉输液", 461, 525),
        line("治疗费", 863, 525),
        line("14.43", 1271, 525),
        line("14.43", 1432, 525),
        line("总计金额：133.35元", 363, 620),
    )
    assert [i["quantity"] for i in fields["items"].value] == ["4", "1"]
    assert fields["items"].confidence >= THRESHOLD
    assert not failed(checks, Code.expense_items_sum)


def test_an_item_name_opening_with_a_grade_word_lost_its_numeral() -> None:
    """GIVEN a list row named 级护理 (一级护理, its 一 lost), every figure read WHEN extracted THEN the list is
    below the clerk threshold: 级 follows what it counts and opens no name."""
    fields, _ = extracted(
        DocType.expense_list,
        *ZEBRA_HEAD,
        line("01", 409, 485),
        line("级护理", 463, 485),
        line("护理费", 860, 485),
        line("3", 1082, 485),
        line("43.72", 1259, 485),
        line("131.16", 1418, 485),
        line("总计金额：131.16元", 363, 620),
    )
    assert fields["items"].value[0]["name"] == "级护理"
    assert fields["items"].confidence < THRESHOLD


def test_a_lost_count_the_figures_do_not_fix_stays_empty_and_flagged() -> None:
    """GIVEN a row whose count was lost and whose amount is no whole multiple of its unit price THEN the
    count stays empty and the items go to a clerk."""
    fields, _ = extracted(
        DocType.expense_list,
        *ZEBRA_HEAD,
        line("01", 409, 485),
        line("C反应蛋白测定", 463, 485),
        line("化验费", 860, 485),
        line("29.73", 1259, 485),
        line("100.00", 1418, 485),
        line("总计金额：100.00元", 363, 620),
    )
    assert fields["items"].value[0]["quantity"] == ""
    assert fields["items"].confidence < THRESHOLD


def test_a_short_label_that_lost_its_first_character_flags_its_field_unread() -> None:
    """GIVEN a faxed record whose 住院号 and 住院天数 lost their 住 (【院号】138895831, 【1日院天数】5天) WHEN
    extracted THEN neither is read from what is left of its label, and each is flagged printed but unread;
    a stem inside another field's label (院日期 of 出院日期) flags nothing."""
    fields, checks = _record(
        line("【院号】138895831", 1280, 512),
        line("【入院时间】2025-4-16 10:30", 270, 604, w=570),
        line("【出院日期】2025-4-21 17:15", 1280, 604, w=570),
        line("【1日院天数】5天", 270, 690),
        line("【出院诊断】2型糖尿病", 270, 800),
    )
    assert "inpatient_number" not in fields and "days_in_hospital" not in fields
    assert ["inpatient_number"] in failed(checks, Code.field_unread)
    assert ["days_in_hospital"] in failed(checks, Code.field_unread)
    assert fields["admission_date"].value == "2025-04-16"


def test_a_day_glued_to_its_time_two_ways_takes_the_cut_the_stay_agrees_with() -> None:
    """GIVEN 出院时间 read 2025-5-113:40 (the 1st at 13:40 or the 11th at 3:40) beside 住院天数 12 after an
    admission on 4-19 WHEN extracted THEN the discharge is 5-1, the one cut the days agree with, borne out;
    with no days printed it stays flagged."""
    head = (line("入院时间：2025-4-19 12:05", 150, 470, w=450), line("出院时间：2025-5-113:40", 750, 470, w=420))
    fields, checks = _record(*head, line("住院天数：12天", 150, 560))
    assert fields["discharge_date"].value == "2025-05-01"
    assert fields["discharge_date"].confidence >= THRESHOLD
    assert any(c.code == Code.days_in_hospital and c.ok for c in checks)
    fields, _ = _record(*head)
    assert fields["discharge_date"].confidence < THRESHOLD


def test_a_correction_read_as_a_figure_and_a_signature_side_by_side_is_one() -> None:
    """GIVEN the correction over 出院日期 read as two lines, 2025.6.16 and 韩志军 6.16 beside it WHEN extracted
    THEN it is the field's second reading as much as one line would be: the written date, flagged."""
    fields, _ = _record(
        line("2025.6.16", 900, 438, w=150),
        line("韩志军 6.16", 1070, 440, w=150),
        line("入院日期：2025年6月12日", 150, 470, w=350),
        line("出院日期：2025年6月14日", 750, 475, w=360),
        line("出院诊断：慢性胃炎", 150, 680),
    )
    assert fields["discharge_date"].value == "2025-06-16"
    assert fields["discharge_date"].confidence <= CORRECTION_FIT
