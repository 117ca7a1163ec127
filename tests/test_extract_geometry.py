"""The association of a label standing alone with its value by geometry (extractors/layout.py `associate`,
`page_convention`): right on its row, below, above (a value typed on a ruled blank, its label printed
under the rule) or in the cell under it in a grid's next row, chosen by the convention the page's
unambiguous pairs show; a line one label's unambiguous value is no other's; a direction the page has not
confirmed is flagged. Each on crafted OCR lines (not a sample)."""

from __future__ import annotations

import datetime as dt

from extractors.extract import extract_document
from extractors.layout import Wanted, located_lines, page_convention
from intake.models import DocType, Document, ExtractedField, OcrLine
from tests.factories import line, page_of

CASE_DATE = dt.date(2025, 6, 20)
# The clerk threshold (INTAKE_THRESHOLDS__MIN_FIELD_CONFIDENCE's default): what reads below it is flagged.
MIN_FIELD_CONFIDENCE = 0.8


def read(doc_type: DocType, *lines: OcrLine) -> dict[str, ExtractedField]:
    doc = Document(source="t.jpg", pages=[1], doc_type=doc_type)
    return extract_document(doc, [page_of(list(lines))], CASE_DATE)[0]


def value(fields: dict[str, ExtractedField], name: str) -> object:
    return fields[name].value if name in fields else None


def trusted(fields: dict[str, ExtractedField], name: str) -> bool:
    return fields[name].confidence >= MIN_FIELD_CONFIDENCE


def _blank(value_text: str, label: str, x: float, y: float, w: float = 300) -> list[OcrLine]:
    """A value typed on a ruled blank at (x, y) and its label printed centred under the rule."""
    return [
        line(value_text, x + (w - 30 * len(value_text)) / 2, y),
        line(label, x + (w - 26 * len(label)) / 2, y + 70, w=26 * len(label), h=32),
    ]


RULED_HEAD = [
    line("宁波市第二医院", 700, 60, h=60),
    line("出院记录", 800, 150, h=60),
    *_blank("陈建国", "姓名", 100, 300),
    *_blank("男", "性别", 450, 300),
    *_blank("内分泌科", "科别", 800, 300),
    *_blank("5804793", "住院号", 100, 440),
    *_blank("2025年6月12日", "入院日期", 450, 440, w=420),
    *_blank("2025年6月15日", "出院日期", 900, 440, w=420),
]


def test_values_typed_above_their_labels_are_read_above() -> None:
    """GIVEN a record whose header values stand on ruled blanks over their labels, the second row's values
    under the first row's labels too WHEN read THEN each label takes the value over it, trusted: the dates,
    sex and number there confirm the page's convention."""
    fields = read(DocType.discharge_record, *RULED_HEAD, line("出院诊断：2型糖尿病", 100, 620))
    assert value(fields, "patient_name") == "陈建国"
    assert value(fields, "sex") == "男"
    assert value(fields, "department") == "内分泌科"
    assert value(fields, "inpatient_number") == "5804793"
    assert (value(fields, "admission_date"), value(fields, "discharge_date")) == ("2025-06-12", "2025-06-15")
    assert all(trusted(fields, name) for name in ("patient_name", "department", "admission_date"))


def test_values_printed_under_their_labels_are_read_below() -> None:
    """GIVEN a form printing each label on a line of its own and its value on the line under it WHEN read
    THEN the name under its label is taken, trusted: the ID number and the date under theirs confirm it."""
    fields = read(
        DocType.filing_form,
        line("异地就医备案表", 700, 60, h=60),
        line("参保人姓名", 100, 200),
        line("王秀英", 100, 260),
        line("公民身份号码", 700, 200),
        line("330203194409065788", 700, 260, w=540),
        line("备案开始日期", 100, 400),
        line("2025年7月1日", 100, 460),
        line("就医地", 700, 400),
        line("云南省昆明市", 700, 460),
    )
    assert value(fields, "applicant_name") == "王秀英"
    assert value(fields, "id_number") == "330203194409065788"
    assert value(fields, "start_date") == "2025-07-01"
    assert value(fields, "destination") == "云南省昆明市"
    assert trusted(fields, "applicant_name") and trusted(fields, "destination")


def test_a_grid_cell_under_a_header_row_is_the_value_though_it_misses_its_label() -> None:
    """GIVEN a grid whose header row prints centred labels and whose next row prints the values from each
    cell's left edge (a short label and its value do not overlap) WHEN read THEN each label takes the cell
    under it, not the neighbouring cell's value it overlaps less."""
    fields = read(
        DocType.filing_form,
        line("苏州市参保人员异地就医备案表", 500, 60, h=60),
        line("参保人姓名", 230, 200),
        line("性别", 520, 200),
        line("身份证号码", 800, 200),
        line("联系电话", 1330, 200),
        line("汪霞芳", 160, 300),
        line("女", 470, 300),
        line("330203194409065788", 610, 300, w=540),
        line("15174218096", 1160, 300, w=330),
        line("参保地", 260, 400),
        line("长期居住地", 450, 400),
        line("备案类型", 830, 400),
        line("备案开始日期", 1300, 400),
        line("江苏省苏州市", 160, 500),
        line("云南省昆明市", 450, 500),
        line("异地转诊人员", 610, 500),
        line("2025/06/20", 1160, 500, w=300),
    )
    assert value(fields, "applicant_name") == "汪霞芳"
    assert value(fields, "id_number") == "330203194409065788"
    assert value(fields, "phone") == "15174218096"
    assert value(fields, "insured_region") == "江苏省苏州市"
    assert value(fields, "destination") == "云南省昆明市"
    assert value(fields, "filing_type") == "异地转诊人员"
    assert value(fields, "start_date") == "2025-06-20"
    assert trusted(fields, "destination")


def test_a_value_right_of_its_label_on_its_row_is_read_and_trusted() -> None:
    """GIVEN a label standing alone in its cell and its value in the next cell of its row, another label's
    line under it WHEN read THEN the value right of it is taken, trusted as read."""
    fields = read(
        DocType.discharge_record,
        line("患者姓名", 100, 200),
        line("李明", 400, 200),
        line("科室", 100, 270),
        line("心内科", 400, 270),
    )
    assert value(fields, "patient_name") == "李明" and trusted(fields, "patient_name")
    assert value(fields, "department") == "心内科" and trusted(fields, "department")


def test_on_a_page_mixing_conventions_each_block_follows_its_own() -> None:
    """GIVEN a record whose head prints values under their labels and whose foot is a block of ruled blanks
    (values above their labels; under the doctor's label the next blank's name) WHEN read THEN the head's
    name is the one under its label and the doctor's the one over his: each block's own pairs decide."""
    fields = read(
        DocType.discharge_record,
        line("姓名", 100, 200),
        line("陈建国", 100, 260),
        line("住院号", 600, 200),
        line("5804793", 600, 260),
        line("入院日期", 1100, 200),
        line("2025-06-12", 1100, 260, w=300),
        line("出院诊断：2型糖尿病", 100, 400),
        *_blank("2025年6月15日", "出院日期", 100, 1600, w=420),
        *_blank("3天", "住院天数", 600, 1600),
        *_blank("张卫东", "医师签名", 100, 1740, w=420),
        *_blank("刘洋", "审核人", 100, 1880, w=420),
    )
    assert value(fields, "patient_name") == "陈建国"
    assert value(fields, "discharge_date") == "2025-06-15"
    assert value(fields, "doctor") == "张卫东"


def test_a_line_claimed_by_one_label_is_not_another_label_s_value() -> None:
    """GIVEN a blank 交款人 over the 大写 total that stands right of its own label WHEN read THEN the payer
    is not read from that line (its pattern would take 壹佰贰拾元整): one line, one field."""
    lines = [
        line("交款人", 560, 200),
        line("合计（大写）", 200, 270),
        line("壹佰贰拾元整", 560, 270),
        line("合计（小写）120.00", 1100, 270),
    ]
    fields = read(DocType.invoice, *lines)
    assert value(fields, "total_amount_upper") == "壹佰贰拾元整"
    assert value(fields, "payer_name") != "壹佰贰拾元整"


def test_the_page_convention_claims_the_unambiguous_values_and_counts_their_direction() -> None:
    """GIVEN the ruled-blank head WHEN its convention is learnt THEN the second row's values are claimed by
    their own labels (below the first row's labels too) and the direction counted is above."""
    lines = located_lines([page_of(RULED_HEAD)])
    from extractors.extract import _accept, _other_labels
    from extractors.layout import load_field_rules

    rules = load_field_rules()
    fields = rules.types["discharge_record"]
    labels = [label for rule in fields.values() for label in rule.every_label]
    stop = frozenset(label for rule in fields.values() for label in rule.labels)
    wanted = [Wanted(rule, _other_labels(rule, labels, rules), _accept(rule), stop) for rule in fields.values()]
    convention = page_convention(lines, wanted)
    claimed_texts = {ln.text for ln in lines if id(ln) in convention.claimed}
    assert {"5804793", "2025年6月12日", "2025年6月15日", "男"} <= claimed_texts
    assert convention.count(1, "above") >= 4 and convention.count(1, "grid") == 0


def test_a_direction_the_page_does_not_confirm_is_flagged() -> None:
    """GIVEN a record where one date stands under its label and nothing else confirms values under labels
    WHEN read THEN the date and the name under theirs are read, both below the clerk threshold."""
    fields = read(
        DocType.discharge_record,
        line("姓名", 100, 200),
        line("陈建国", 100, 260),
        line("出院日期", 700, 200),
        line("2025-06-15", 700, 260, w=300),
        line("出院诊断：2型糖尿病", 100, 400),
    )
    assert value(fields, "patient_name") == "陈建国" and not trusted(fields, "patient_name")
    assert value(fields, "discharge_date") == "2025-06-15" and not trusted(fields, "discharge_date")


def test_a_row_where_a_label_has_its_value_beside_it_is_no_header_row() -> None:
    """GIVEN a bill's foot row 收款单位（盖章）: | 收款人: 多思 and the payee's name under the first label,
    reaching under the second WHEN read THEN the payee is the line under its label (read by overlap; the row
    is no grid header, since 收款人 has its value beside it)."""
    fields = read(
        DocType.invoice,
        line("收款单位(·盖章):", 173, 543, w=137, h=24),
        line("哈尔滨市第五医院", 302, 569, w=151, h=24),
        line("收款人:", 356, 542, w=68, h=28),
        line("多思", 485, 555, w=66, h=37),
    )
    assert value(fields, "payee") == "哈尔滨市第五医院"


def test_an_unconfirmed_direction_is_trusted_where_a_self_check_bears_the_value_out() -> None:
    """GIVEN a form whose only value under its label is an ID number (one pair: the direction is not
    confirmed) WHEN read THEN the number is read and, its check digit passing, trusted as read, while the
    name under its label stays flagged."""
    fields = read(
        DocType.filing_form,
        line("异地就医备案表", 700, 60, h=60),
        line("姓名", 100, 200),
        line("王秀英", 100, 260),
        line("公民身份号码", 700, 200),
        line("330203194409065788", 700, 260, w=540),
    )
    assert value(fields, "id_number") == "330203194409065788" and trusted(fields, "id_number")
    assert value(fields, "applicant_name") == "王秀英" and not trusted(fields, "applicant_name")


def test_labels_printed_in_brackets_under_ruled_blanks_stand_alone() -> None:
    """GIVEN ruled blanks whose labels are printed in brackets ((姓名), the bracketed (住院号) the nearest line
    under it) WHEN read THEN a label followed by nothing but its closing bracket stands alone: each value is
    the one over its label, and no bracketed label is read as a value."""
    lone = read(
        DocType.discharge_record,
        line("(姓名)", 150, 370, w=120, h=32),
        line("(住院号)", 150, 430, w=150, h=32),
    )
    assert value(lone, "patient_name") is None
    fields = read(
        DocType.discharge_record,
        line("陈建国", 140, 300),
        line("(姓名)", 150, 370, w=120, h=32),
        line("2025年6月12日", 600, 300, w=330),
        line("(入院日期)", 620, 370, w=180, h=32),
        line("(住院号)", 150, 430, w=150, h=32),
        line("2025年6月15日", 600, 400, w=330),
        line("(出院日期)", 620, 470, w=180, h=32),
    )
    assert value(fields, "patient_name") == "陈建国"
    assert (value(fields, "admission_date"), value(fields, "discharge_date")) == ("2025-06-12", "2025-06-15")


def test_a_printed_label_with_no_value_read_is_named_for_a_clerk() -> None:
    """GIVEN a bill printing 个人自付 with its value unreadable (a smudge read as a mark no amount pattern
    takes) THEN no value is made up and a failed field_unread check names the field; a field whose label
    the page does not print at all raises nothing, and a label printed blank ("个人自费：" then the next
    label) is taken as printed blank, not unread."""
    doc = Document(source="t.jpg", pages=[1], doc_type=DocType.invoice)
    lines = [
        line("医疗收费票据", 800, 60, h=60),
        line("票据代码：33060125", 100, 200),
        line("票据号码：0012345678", 1000, 200),
        line("交款人：陈建国", 100, 300),
        line("合计：123.40", 100, 400),
        line("个人自付", 100, 500),
        line("~", 400, 500, w=20),
        line("个人自费：统筹基金支付：100.00", 100, 600),
    ]
    fields, checks = extract_document(doc, [page_of(lines)], CASE_DATE)
    unread = {name for c in checks if c.code == "field_unread" and not c.ok for name in c.fields}
    assert "self_paid" not in fields
    assert unread == {"self_paid"}


def test_a_diagnosis_is_read_without_its_icd_code_and_a_bare_bracket_is_none() -> None:
    """GIVEN diagnoses printed with their ICD-10 codes in brackets, one code wrapped so that a lone ")" is
    the first line right of its label THEN each value is the disease's name, the bracket is no diagnosis
    (the next line, the name, is taken), and a bracket that is part of the name (1型除外) stays."""
    fields = read(
        DocType.discharge_record,
        line("出院记录", 800, 60, h=60),
        line("入院诊断：", 100, 300),
        line(")", 400, 300, w=20),
        line("2型糖尿病(1型除外)(E11.900)", 100, 360),
        line("出院诊断：脑梗死（I63.900）", 100, 500),
    )
    assert value(fields, "discharge_diagnosis") == "脑梗死"
    assert value(fields, "admission_diagnosis") == "2型糖尿病(1型除外)"


def test_a_period_a_start_date_and_a_signature_under_other_common_wordings() -> None:
    """GIVEN a list's period printed after 统计区间 with an em dash, and a 备案表's 备案生效日期 and the
    承诺人签字 under its 本人承诺 THEN each is read under those wordings."""
    listed = read(
        DocType.expense_list,
        line("住院患者费用明细", 1300, 300),
        line("统计区间：2025.05.06—2025.05.16", 1700, 420),
    )
    assert (value(listed, "period_start"), value(listed, "period_end")) == ("2025-05-06", "2025-05-16")
    filed = read(
        DocType.filing_form,
        line("异地长期居住人员备案表", 800, 100),
        line("备案生效日期", 500, 1177),
        line("2025.6.26", 732, 1179),
        line("本人承诺", 1080, 1580),
        line("承诺人签字：钟波涛", 990, 1864),
    )
    assert value(filed, "start_date") == "2025-06-26"
    assert value(filed, "signature_present") is True
