"""Mechanisms for discharge records and expense lists: a label's words inside a sentence, 实住天数, a date
glued to its time, a diagnosis printed as a table, a list's 备注 column and refund rows, a date cell merged
over the rows it spans. Each on crafted OCR lines (not a sample)."""

from __future__ import annotations

import datetime as dt

from extractors.extract import extract_document
from extractors.kinds import glued_time_days
from extractors.layout import in_sentence
from intake.models import Check, DocType, Document, ExtractedField, OcrLine, Page
from intake.reasons import Code

CASE_DATE = dt.date(2025, 6, 20)
# The clerk threshold (INTAKE_THRESHOLDS__MIN_FIELD_CONFIDENCE's default): a guess must read below it.
MIN_FIELD_CONFIDENCE = 0.8


def line(text: str, x: float, y: float, w: float | None = None, h: float = 40, confidence: float = 0.99) -> OcrLine:
    w = w if w is not None else 30 * len(text)
    return OcrLine(text=text, confidence=confidence, polygon=[(x, y), (x + w, y), (x + w, y + h), (x, y + h)])


def read(doc_type: DocType, *lines: OcrLine) -> tuple[dict[str, ExtractedField], list[Check]]:
    page = Page(source="t.jpg", page=1, width=1400, height=2000, lines=list(lines))
    return extract_document(Document(source="t.jpg", pages=[1], doc_type=doc_type), [page], CASE_DATE)


def failed(checks: list[Check], code: Code) -> list[list[str]]:
    return [c.fields for c in checks if c.code == code and not c.ok]


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
