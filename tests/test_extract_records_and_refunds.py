"""Mechanisms for discharge records and expense lists: a label's words inside a sentence, 实住天数, a date
glued to its time, a diagnosis printed as a table, a list's 备注 column and refund rows, a date cell merged
over the rows it spans. Each on crafted OCR lines (not a sample)."""

from __future__ import annotations

import datetime as dt

from extractors.kinds import glued_time_days
from extractors.layout import in_sentence
from intake.models import Check, DocType, ExtractedField, OcrLine
from intake.reasons import Code
from tests.factories import extracted, failed, line

# The clerk threshold (INTAKE_THRESHOLDS__MIN_FIELD_CONFIDENCE's default): a guess must read below it.
MIN_FIELD_CONFIDENCE = 0.8


def read(doc_type: DocType, *lines: OcrLine) -> tuple[dict[str, ExtractedField], list[Check]]:
    return extracted(doc_type, *lines, width=1400, height=2000)


RECORD_HEAD = [
    line("某某县人民医院", 570, 100, w=250),
    line("出院记录", 600, 160, w=190),
    line("姓名：王小明", 120, 240, w=150),
    line("性别：男", 430, 240, w=110),
    line("科别：骨科", 120, 290, w=130),
    line("住院号：12345678", 920, 290, w=210),
    line("入院日期：2025年04月28日", 120, 340, w=290),
    line("出院日期：2025年05月05日", 510, 340, w=290),
]
RECORD_PROSE = [
    line("诊疗经过：入院后完善相关检查，请相关科室会诊协助诊治，根据会诊意见调整治疗方案", 100, 760, w=1160),
    line("经治医师：李四", 770, 1500, w=170),
]


def test_in_sentence_is_a_word_run_on_both_sides() -> None:
    text = "请相关科室会诊协助诊治"
    assert in_sentence(text, 3, 5)
    assert not in_sentence("科室：内科", 0, 2)
    assert not in_sentence("床号：3科室：内科", 4, 6)
    assert not in_sentence("请相关科室", 3, 5)  # at the line's end: a label over its value below


def test_a_label_s_words_inside_a_sentence_lose_to_a_later_synonym_standing_as_a_label() -> None:
    """GIVEN a record whose 科别：骨科 heads it and whose 诊疗经过 paragraph says 请相关科室会诊 WHEN read THEN the
    department is 骨科: 科室 inside the sentence is no label, though it is the first synonym."""
    fields, _ = read(
        DocType.discharge_record, *RECORD_HEAD, line("出院诊断：腰椎间盘突出症", 100, 940, w=300), *RECORD_PROSE
    )
    assert fields["department"].value == "骨科"


def test_a_label_s_words_inside_a_sentence_still_serve_where_no_label_stands() -> None:
    """GIVEN a merged line 姓名王小明性别男 (the colons lost) and no other 性别 WHEN read THEN the sex is still
    read there: a sentence's occurrence is only put after labels standing as labels."""
    fields, _ = read(DocType.discharge_record, line("姓名王小明性别男", 120, 240, w=250), *RECORD_PROSE)
    assert fields["sex"].value == "男"


def test_the_days_actually_stayed_shortened_are_the_days_in_hospital() -> None:
    """GIVEN 实住天数：7天 in a record's header box WHEN read THEN 7 days, borne out by the dates."""
    fields, checks = read(DocType.discharge_record, *RECORD_HEAD, line("实住天数：7天", 920, 340, w=160), *RECORD_PROSE)
    assert fields["days_in_hospital"].value == "7"
    assert not failed(checks, Code.days_in_hospital)


def test_a_day_glued_to_its_time_is_cut_where_calendar_and_clock_allow() -> None:
    assert glued_time_days("2025-6-510:30") == [dt.date(2025, 6, 5)]
    assert glued_time_days("2025-6-2810:30") == [dt.date(2025, 6, 28)]
    assert glued_time_days("2025/6/3023:59") == [dt.date(2025, 6, 30)]
    assert glued_time_days("2025-6-110:30") == [dt.date(2025, 6, 1), dt.date(2025, 6, 11)]
    assert glued_time_days("2025-06-05") == []


def test_a_record_s_date_run_into_its_time_is_read() -> None:
    """GIVEN 【入院时间】2025-6-510:30 (the space before the time lost) WHEN read THEN 2025-06-05; a day that
    may be cut two ways (2025-6-110:30) is read but flagged."""
    fields, _ = read(
        DocType.discharge_record,
        line("【姓名】王小明", 250, 390, w=270),
        line("【入院时间】2025-6-510:30", 250, 560, w=490),
        line("【出院时间】2025-6-110:30", 1170, 560, w=490),
        *RECORD_PROSE,
    )
    assert fields["admission_date"].value == "2025-06-05"
    assert fields["admission_date"].confidence >= MIN_FIELD_CONFIDENCE
    assert fields["discharge_date"].confidence < MIN_FIELD_CONFIDENCE


ICD_TABLE = [
    line("出院诊断：", 100, 930, w=120),
    line("诊断类别", 140, 985, w=100),
    line("诊断名称", 506, 985, w=100),
    line("ICD-10编码", 904, 985, w=125),
    line("出院情况", 1142, 985, w=100),
    line("主要诊断", 140, 1032, w=105),
    line("腰椎间盘突出症", 283, 1032, w=170),
    line("M51.202", 915, 1032, w=100),
    line("好转", 1159, 1032, w=64),
    line("其他诊断", 140, 1078, w=105),
    line("骨质疏松症", 282, 1078, w=126),
    line("M81.900", 912, 1078, w=105),
    line("好转", 1160, 1078, w=64),
]


def test_a_diagnosis_printed_as_a_table_is_the_first_row_s_cell_under_its_name_s_title() -> None:
    """GIVEN 出院诊断： over a grid 诊断类别 | 诊断名称 | ICD-10编码 | 出院情况, 主要诊断 in its first row, the names
    printed from their cells' left edges (nearer 诊断类别's centre) WHEN read THEN the discharge diagnosis is
    the first row's name, not a title, and the next row's name is not run on to it."""
    fields, _ = read(DocType.discharge_record, *RECORD_HEAD, *ICD_TABLE, *RECORD_PROSE)
    assert fields["discharge_diagnosis"].value == "腰椎间盘突出症"


REFUND_HEADER = [
    ("医保编码", 150),
    ("项目名称", 430),
    ("规格", 850),
    ("单位", 1095),
    ("数量", 1220),
    ("单价", 1400),
    ("金额", 1590),
    ("类别", 1740),
    ("备注", 1960),
]


def _refund_list(total: str) -> tuple[dict[str, ExtractedField], list[Check]]:
    rows = [
        [
            ("XM18KBJ522A02", 145),
            ("奥美拉唑肠溶胶囊", 435),
            ("20mg*14粒", 850),
            ("盒", 1105),
            ("6", 1270),
            ("37.44", 1390),
            ("224.64", 1565),
            ("西药费", 1730),
        ],
        [
            ("0090029731401", 145),
            ("床位费", 430),
            ("日", 1110),
            ("3", 1270),
            ("69.93", 1390),
            ("209.79", 1565),
            ("床位费", 1730),
        ],
        [
            ("XM18KBJ522A02", 145),
            ("奥美拉唑肠溶胶囊", 435),
            ("20mg*14粒", 850),
            ("盒", 1105),
            ("-1", 1260),
            ("37.44", 1390),
            ("-37.44", 1570),
            ("西药费", 1725),
            ("退费", 1955),
        ],
    ]
    lines = [line("住院病人费用明细清单", 900, 190, w=460), line("患者姓名：张三", 140, 270, w=280)]
    lines += [line(text, x, 430, w=24 * len(text)) for text, x in REFUND_HEADER]
    lines += [line(text, x, 500 + 90 * i, w=24 * len(text)) for i, row in enumerate(rows) for text, x in row]
    lines += [line(f"费用合计：{total}", 110, 800, w=350), line("其中退费：-37.44", 850, 800, w=300)]
    return read(DocType.expense_list, *lines)


def test_a_refund_row_keeps_its_sign_and_its_note_stays_out_of_its_class() -> None:
    """GIVEN a list with a 备注 column right of 类别, a refund row of -1 and -37.44 noted 退费 there, and 费用合计
    the signed rows' sum WHEN read THEN the refund is an item with its class alone (西药费, not 西药费退费), its
    count and amount negative, and the rows sum to the total."""
    fields, checks = _refund_list("396.99")
    items = fields["items"].value
    assert isinstance(items, list)
    assert [(i["category"], i["quantity"], i["amount"]) for i in items] == [
        ("西药费", "6", "224.64"),
        ("床位费", "3", "209.79"),
        ("西药费", "-1", "-37.44"),
    ]
    assert {c.code: c.ok for c in checks}[Code.expense_items_sum] is True


def test_a_total_that_counts_a_refund_unsigned_fails_the_sum() -> None:
    """GIVEN the same rows and a total adding the refund as a charge WHEN read THEN the sum check fails: the
    signed rows decide."""
    _, checks = _refund_list("471.87")
    assert {c.code: c.ok for c in checks}[Code.expense_items_sum] is False


def test_days_filled_in_on_a_blank_s_rule_are_read_from_their_phrase() -> None:
    """GIVEN a handwritten record printing no 住院天数 label, 住院7_天 (the number on a blank's rule) WHEN read
    THEN 7 days."""
    fields, _ = read(
        DocType.discharge_record,
        line("入院日期2025.5.11", 455, 940, w=340),
        line("出院日期 2025.5.18", 920, 960, w=340),
        line("住院7_天", 1370, 980, w=230),
        *RECORD_PROSE,
    )
    assert fields["days_in_hospital"].value == "7"


def test_a_name_read_unsure_and_surer_elsewhere_with_one_character_different_is_flagged() -> None:
    """GIVEN 【姓名】熊志雷 with its last character read at 0.61 and a continuation page's head reading 熊志雪
    there at 0.94 WHEN read THEN the name is below the clerk threshold: one of the two is misread."""
    name = line("【姓名】熊志雷", 250, 390, w=270).model_copy(update={"char_confidences": [1.0] * 6 + [0.61]})
    head = line("出院记录（续）熊志雪住院号72312375", 230, 1800, w=640)
    head = head.model_copy(update={"char_confidences": [1.0] * 9 + [0.94] + [1.0] * 11})
    fields, _ = read(DocType.discharge_record, name, head, *RECORD_PROSE)
    assert fields["patient_name"].value == "熊志雷"
    assert fields["patient_name"].confidence < MIN_FIELD_CONFIDENCE
    sure = name.model_copy(update={"char_confidences": [1.0] * 7})
    fields, _ = read(DocType.discharge_record, sure, head, *RECORD_PROSE)
    assert fields["patient_name"].confidence >= MIN_FIELD_CONFIDENCE


MERGED_HEADER = [("日期", 216), ("项目名称", 600), ("类别", 1047), ("数量", 1234), ("单价", 1405), ("金额", 1613)]


def test_a_date_cell_merged_over_rows_is_every_row_s_and_leaves_no_item_doubtful() -> None:
    """GIVEN a list whose 日期 cell is merged over its first three rows, its day printed between the first and
    the second row (a row of its own), the next day on its first row WHEN read THEN every item has its day,
    the first one too, and the items are as sure as their cells (no empty cell sends them to a clerk)."""
    lines = [line("住院费用明细清单", 855, 200, w=370), line("姓名：张三", 134, 290, w=200)]
    lines += [line(text, x, 433, w=30 * len(text), h=60) for text, x in MERGED_HEADER]
    rows = [
        (500, [("肾功能测定", 387), ("化验费", 1038), ("6", 1309), ("35.76", 1447), ("214.56", 1648)]),
        (537, [("2025-04-29", 174)]),
        (565, [("氯化钠注射液", 385), ("西药费", 1038), ("1", 1314), ("3.95", 1464), ("3.95", 1681)]),
        (630, [("医用留置针", 387), ("卫生材料费", 1012), ("4", 1314), ("16.22", 1447), ("64.88", 1665)]),
        (
            698,
            [
                ("2025-04-30", 174),
                ("肝功能常规检查", 385),
                ("化验费", 1038),
                ("1", 1314),
                ("108.64", 1435),
                ("108.64", 1655),
            ],
        ),
    ]
    lines += [line(text, x, y, w=30 * len(text), h=50) for y, row in rows for text, x in row]
    lines += [line("合计：392.03", 1500, 800, w=250)]
    fields, checks = read(DocType.expense_list, *lines)
    items = fields["items"].value
    assert isinstance(items, list)
    assert [i["date"] for i in items] == ["2025-04-29"] * 3 + ["2025-04-30"]
    assert fields["items"].confidence >= MIN_FIELD_CONFIDENCE
    assert {c.code: c.ok for c in checks}[Code.expense_items_sum] is True


def test_a_lower_case_letter_opening_an_item_s_name_is_an_abbreviation_s_capital() -> None:
    """GIVEN an item named c反应蛋白测定 (a C read small) and one named 0.9%氯化钠注射液 WHEN read THEN C反应蛋白测定,
    and the other as printed."""
    fields, _ = read(
        DocType.expense_list,
        *[line(text, x, 433, w=30 * len(text)) for text, x in MERGED_HEADER[1:]],
        *[
            line(t, x, 500)
            for t, x in [("c反应蛋白测定", 387), ("化验费", 1038), ("1", 1309), ("35.50", 1447), ("35.50", 1648)]
        ],
        *[
            line(t, x, 560)
            for t, x in [("0.9%氯化钠注射液", 387), ("西药费", 1038), ("1", 1309), ("3.95", 1447), ("3.95", 1648)]
        ],
    )
    items = fields["items"].value
    assert isinstance(items, list) and [i["name"] for i in items] == ["C反应蛋白测定", "0.9%氯化钠注射液"]


def test_a_diagnosis_read_unsure_where_the_other_reads_it_surer_is_flagged() -> None:
    """GIVEN 入院诊断 胆囊结石伴慢性胆爱炎 (爱 read at 0.82) and 出院诊断 胆囊结石伴慢性胆囊炎 (囊 at 0.97) WHEN
    read THEN the admission diagnosis goes to a clerk; the discharge diagnosis, sure, does not."""
    admission = line("入院诊断：胆囊结石伴慢性胆爱炎", 250, 740, w=470)
    admission = admission.model_copy(update={"char_confidences": [1.0] * 13 + [0.82, 1.0]})
    discharge = line("出院诊断：胆囊结石伴慢性胆囊炎", 250, 1760, w=470)
    discharge = discharge.model_copy(update={"char_confidences": [1.0] * 13 + [0.97, 1.0]})
    fields, _ = read(DocType.discharge_record, *RECORD_HEAD, admission, discharge, *RECORD_PROSE)
    assert fields["admission_diagnosis"].value == "胆囊结石伴慢性胆爱炎"
    assert fields["admission_diagnosis"].confidence < MIN_FIELD_CONFIDENCE
    assert fields["discharge_diagnosis"].confidence >= MIN_FIELD_CONFIDENCE


def test_a_name_cell_read_as_two_overlapping_boxes_is_doubtful() -> None:
    """GIVEN an item's name read as 阿托伐他 and 丁钙片, the second box starting inside the first (汀 cut in two),
    both read sure WHEN read THEN the name is as read but the list goes to a clerk; the same halves standing
    apart leave it sure."""
    head = [line(text, x, 433, w=30 * len(text)) for text, x in MERGED_HEADER[1:]]
    figures = [line(t, x, 500) for t, x in [("西药费", 1038), ("5", 1309), ("40.60", 1447), ("203.00", 1648)]]
    cut = [line("阿托伐他", 387, 500, w=124), line("丁钙片", 506, 500, w=64)]
    fields, _ = read(DocType.expense_list, *head, *cut, *figures)
    items = fields["items"].value
    assert isinstance(items, list) and items[0]["name"] == "阿托伐他丁钙片"
    assert fields["items"].confidence < MIN_FIELD_CONFIDENCE
    apart = [line("阿托伐他", 387, 500, w=124), line("丁钙片", 520, 500, w=64)]
    fields, _ = read(DocType.expense_list, *head, *apart, *figures)
    assert fields["items"].confidence >= MIN_FIELD_CONFIDENCE


def test_a_title_holding_its_label_inside_it_is_still_the_title() -> None:
    """GIVEN a commitment headed 跨省异地就医备案个人承诺书 (就医备案 inside the title, words on both sides) over a
    sentence ending …办理跨省异地就医备案，现郑重承诺 WHEN read THEN the title is the heading: a whole-line value
    holds its label anywhere, and the sentence deferral is only for values after their labels."""
    fields, _ = read(
        DocType.filing_form,
        line("跨省异地就医备案个人承诺书", 467, 116, w=525),
        line("姓名：张三", 120, 300, w=160),
        line("本人自愿申请办理跨省异地就医备案，现郑重承诺：", 120, 875, w=590),
    )
    assert fields["form_title"].value == "跨省异地就医备案个人承诺书"
