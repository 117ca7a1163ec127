"""Field kinds as a registry, and tables as data: the rules file is checked against the registered
parsers at load, and an expense list's columns are found by their header titles, in any order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from extractors.extract import _number, extract_document, extract_fields, table_items
from extractors.kinds import KINDS, FieldKind, field_kind
from extractors.layout import RULES_PATH, TableRules, load_field_rules, located_lines
from intake.models import DocType, Document, OcrLine, Page, Side


def _rules_with(tmp_path: Path, edit: dict[str, object], field: str = "total_amount") -> Path:
    """The committed rules with the invoice's `field` rule edited, written to a file of its own."""
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    data["types"]["invoice"][field].update(edit)
    path = tmp_path / "fields.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_an_unknown_kind_in_the_rules_is_a_load_error_naming_the_field_and_the_known_kinds(tmp_path: Path) -> None:
    """GIVEN the rules file with a field whose kind is misspelt (amout) WHEN loaded THEN loading fails,
    naming the field and listing every registered kind."""
    with pytest.raises(ValidationError) as error:
        load_field_rules(_rules_with(tmp_path, {"kind": "amout"}))
    message = str(error.value)
    assert "types.invoice.total_amount.kind" in message
    assert "'amout'" in message
    assert all(kind in message for kind in KINDS)


def test_the_committed_rules_load_and_every_kind_they_name_is_registered() -> None:
    rules = load_field_rules()
    used = {rule.kind for fields in rules.types.values() for rule in fields.values()}
    assert used <= KINDS.keys()
    assert all((KINDS[kind].parse is None) != (KINDS[kind].read is None) for kind in used)


def test_the_rules_file_documents_exactly_the_registered_kinds() -> None:
    """The header of fields.yaml lists one `#   kind: description` line per registered kind, the
    description being the first line of its parser's docstring."""
    header = RULES_PATH.read_text(encoding="utf-8").split("\nstop_values:")[0]
    documented = re.findall(r"^#   (\w+): (.+)$", header, flags=re.MULTILINE)
    assert len(documented) == len({name for name, _ in documented})
    assert dict(documented) == {name: kind.description for name, kind in KINDS.items()}


def test_a_kind_is_registered_once_and_needs_a_parser_or_a_reader() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        field_kind("amount")(KINDS["amount"].parse)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="exactly one"):
        FieldKind("nothing", "reads nothing")


def test_a_table_whose_key_column_keeps_no_value_fails_to_load() -> None:
    with pytest.raises(ValidationError, match="key column 'amount'"):
        TableRules.model_validate(
            {
                "columns": {"name": {"headers": ["名称"], "value": "text"}, "amount": {"headers": ["金额"]}},
                "key_columns": ["name", "amount"],
            }
        )


def _line(text: str, x: float, y: float, confidence: float = 0.99) -> OcrLine:
    w = 24 * len(text)
    return OcrLine(text=text, confidence=confidence, polygon=[(x, y), (x + w, y), (x + w, y + 30), (x, y + 30)])


def _items(header: Sequence[tuple[str, float]], cells: Sequence[Sequence[tuple[str, float]]]) -> list[dict[str, str]]:
    lines = [_line(text, x, 300) for text, x in header]
    lines += [_line(text, x, 400 + 60 * i) for i, row in enumerate(cells) for text, x in row]
    page = Page(source="t.jpg", page=1, width=2400, height=2800, lines=lines)
    found = table_items(located_lines([page]), load_field_rules().tables["expense_list"])
    assert found is not None and isinstance(found.value, list)
    return found.value


@pytest.mark.parametrize("grade", ["医保等级", "医保类别", "甲乙类"])
def test_columns_in_another_order_with_extra_columns_map_each_cell_to_its_own_column(grade: str) -> None:
    """GIVEN an expense list printing 金额 before 单价 and 数量, and the columns 项目编码, 规格 and 医保等级 (whose
    titles hold 项目 and 类别, titles of kept columns) WHEN its rows are read THEN each amount is the
    金额 cell, not the 单价 one; a code, a size or 甲/乙 runs into no kept column; the 合计 row is no item."""
    header = [
        ("序号", 40),
        ("项目编码", 140),
        ("项目名称", 420),
        ("规格", 760),
        ("金额", 960),
        ("单价", 1160),
        ("数量", 1360),
        (grade, 1520),
        ("费用类别", 1760),
    ]
    cells = [
        [
            ("1", 45),
            ("XB05BAA023B001", 140),
            ("氯化钠注射液", 420),
            ("250ml", 760),
            ("7.00", 960),
            ("3.50", 1160),
            ("2", 1370),
            ("甲", 1560),
            ("西药费", 1760),
        ],
        [
            ("2", 45),
            ("250203001", 140),
            ("血常规", 420),
            ("次", 770),
            ("25.00", 960),
            ("25.00", 1160),
            ("1", 1370),
            ("乙", 1560),
            ("检验费", 1760),
        ],
        [("合计", 420), ("32.00", 960)],
    ]
    assert _items(header, cells) == [
        {"name": "氯化钠注射液", "category": "西药费", "quantity": "2", "unit_price": "3.50", "amount": "7.00"},
        {"name": "血常规", "category": "检验费", "quantity": "1", "unit_price": "25.00", "amount": "25.00"},
    ]


def test_a_header_without_a_key_column_starts_no_table() -> None:
    """GIVEN a row naming 单价 and 数量 but no 金额 WHEN read THEN it is no header and no item is read."""
    lines = [_line(text, x, 300) for text, x in (("项目名称", 100), ("单价", 700), ("数量", 900))]
    lines += [_line(text, x, 400) for text, x in (("血常规", 100), ("25.00", 700), ("1", 900))]
    page = Page(source="t.jpg", page=1, width=2400, height=2800, lines=lines)
    assert table_items(located_lines([page]), load_field_rules().tables["expense_list"]) is None


@pytest.mark.parametrize(
    ("field", "edit", "error"),
    [
        ("visit_type", {"map": {"住院收费": "住院"}}, "field of kind keyword_map maps"),
        ("total_amount", {"map": {"合计": "x"}}, "field of kind amount maps"),
        ("total_amount", {"vocabulary": "ethnicities"}, "field of kind amount names vocabulary"),
    ],
)
def test_a_map_or_vocabulary_goes_with_the_kinds_that_read_one(
    tmp_path: Path, field: str, edit: dict[str, object], error: str
) -> None:
    """GIVEN a keyword_map field whose map misses one of its labels, or an amount field given a map or a
    vocabulary WHEN the rules load THEN loading fails naming the field."""
    with pytest.raises(ValidationError, match=f"invoice.{field}: {error}"):
        load_field_rules(_rules_with(tmp_path, edit, field))


def test_a_second_page_without_the_header_keeps_the_first_page_s_columns() -> None:
    """GIVEN a two-page list whose second page repeats the patient block (姓名：…, 住院号：… over the name and
    金额 columns) but not the column header, and prints a 小计 and a 总计 row WHEN read THEN the second
    page's rows are items in the first page's columns, and neither the patient block, the page count
    nor a total is an item."""

    def page(number: int, lines: list[OcrLine]) -> Page:
        return Page(source="t.pdf", page=number, width=2400, height=2800, lines=lines)

    header = [("项目名称", 100), ("数量", 700), ("单价", 900), ("金额", 1100)]
    first = [_line(text, x, 300) for text, x in header]
    first += [_line(text, x, 400) for text, x in (("血常规", 100), ("1", 710), ("25.00", 900), ("25.00", 1100))]
    first += [_line(text, x, 460) for text, x in (("西药小计", 100), ("25.00", 1100))]
    second = [_line(text, x, 100) for text, x in (("姓名：张三", 100), ("住院号：123456", 1100))]
    second += [_line(text, x, 160) for text, x in (("第2页", 100), ("共2页", 1100))]
    second += [_line(text, x, 300) for text, x in (("胸部CT平扫", 100), ("1", 710), ("180.00", 900), ("180.00", 1100))]
    second += [_line(text, x, 360) for text, x in (("总计", 100), ("205.00", 1100))]
    found = table_items(located_lines([page(1, first), page(2, second)]), load_field_rules().tables["expense_list"])
    assert found is not None
    assert [(item["name"], item["amount"]) for item in found.value] == [("血常规", "25.00"), ("胸部CT平扫", "180.00")]


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("7.00", "7.00"),
        ("|7.00", "7.00"),
        ("2盒", "2.00"),
        ("(负数)7.00", "-7.00"),
        ("共2页", None),
        ("住院号:123456", None),
    ],
)
def test_a_number_cell_starts_with_its_number(cell: str, value: str | None) -> None:
    number = _number(cell)
    assert (str(number) if number is not None else None) == value


_TABLE = load_field_rules().tables["expense_list"]
# A row's cells per column (the kept ones as an item reads them back).
_ROW = {
    "code": "XB05BAA023B001",
    "name": "氯化钠注射液",
    "category": "西药费",
    "spec": "250ml",
    "unit": "袋",
    "quantity": "2",
    "unit_price": "3.50",
    "amount": "7.00",
    "grade": "甲",
    "self_ratio": "10%",
}


@given(st.permutations(list(_ROW)), st.data())
def test_any_column_order_and_any_header_title_reads_the_same_item(order: list[str], data: st.DataObject) -> None:
    """GIVEN a list whose columns stand in any order, each titled by any of its titles in the rules file
    WHEN its row is read THEN the item is the same: each cell lands in its own column."""
    titles = {column: data.draw(st.sampled_from(_TABLE.columns[column].headers)) for column in order}

    def centred(text: str, centre: float, y: float) -> OcrLine:
        return _line(text, centre - 12 * len(text), y)

    lines = [centred(titles[column], 200 + 260 * i, 300) for i, column in enumerate(order)]
    lines += [centred(_ROW[column], 200 + 260 * i, 400) for i, column in enumerate(order)]
    page = Page(source="t.jpg", page=1, width=3000, height=2800, lines=lines)
    found = table_items(located_lines([page]), _TABLE)
    assert found is not None
    assert found.value == [{column: _ROW[column] for column in _TABLE.item_columns if column in _ROW}]


def test_a_class_row_gives_the_items_below_it_their_category_and_a_glued_code_is_cut() -> None:
    """GIVEN a list without a category column whose items stand under class rows (【化验费】), with a 小计 row
    and one item's code read into one box with its name WHEN read THEN each item has its class as category,
    no class or subtotal row is an item, and the name holds no code."""
    header = [("项目名称", 200), ("数量", 800), ("单价", 1000), ("金额", 1200)]
    cells = [
        [("【化验费】", 60)],
        [("肾功能测定", 200), ("5", 820), ("49.98", 1000), ("249.90", 1200)],
        [("小计：249.90", 1150)],
        [("西药费：", 60)],
        [("9607129627氯化钠注射液", 150), ("1", 820), ("6.42", 1000), ("6.42", 1200)],
    ]
    found = _items(header, cells)
    assert [(i["name"], i["category"], i["amount"]) for i in found] == [
        ("肾功能测定", "化验费", "249.90"),
        ("氯化钠注射液", "西药费", "6.42"),
    ]


def test_a_category_printed_in_its_column_wins_over_the_class_row() -> None:
    header = [("项目名称", 200), ("类别", 500), ("金额", 1200)]
    cells = [[("【西药费】", 60)], [("床位费", 200), ("床位费", 500), ("25.00", 1200)]]
    assert [i["category"] for i in _items(header, cells)] == ["床位费"]


def test_a_section_rule_without_its_column_fails_to_load() -> None:
    with pytest.raises(ValidationError, match="go together"):
        TableRules.model_validate(
            {
                "columns": {
                    "name": {"headers": ["名称"], "value": "text"},
                    "amount": {"headers": ["金额"], "value": "amount"},
                },
                "key_columns": ["name", "amount"],
                "section_pattern": "^(.+费)$",
            }
        )


def _filing_type(*lines: OcrLine) -> tuple[object, float] | None:
    page = Page(source="f.jpg", page=1, width=2000, height=2800, lines=list(lines))
    doc = Document(source="f.jpg", sha256="0" * 64, pages=[1], doc_type=DocType.filing_form)
    found = extract_fields(doc, [page]).get("filing_type")
    return (found.value, found.confidence) if found is not None else None


def test_the_ticked_option_is_the_filing_type_not_the_row() -> None:
    """GIVEN a row of options with boxes, one ticked WHEN read THEN the ticked option, as sure as its line."""
    row = _line("□异地长期居住人员 ☑常驻异地工作人员 □异地转诊人员", 400, 1200, 0.95)
    assert _filing_type(_line("人员类型", 100, 1200), row) == ("常驻异地工作人员", 0.95)


def test_a_filled_radio_button_chooses_its_option() -> None:
    """GIVEN a web form's row of radio buttons as the reading writes them (○ empty, ◉ filled) WHEN read THEN
    the option after the filled one, as sure as its line."""
    row = _line("○异地长期居住人员 ◉常驻异地工作人员 ○异地转诊就医人员", 400, 1200, 0.96)
    assert _filing_type(_line("备案类型", 100, 1200), row) == ("常驻异地工作人员", 0.96)


def test_a_crossed_option_is_chosen_too() -> None:
    row = _line("□异地长期居住人员 ×异地安置退休人员", 400, 1200)
    assert _filing_type(_line("备案类型：", 100, 1200), row) == ("异地安置退休人员", 0.99)


def test_options_whose_marks_were_not_read_go_to_a_clerk() -> None:
    """GIVEN a row of options read as two adjacent lines with no box or mark WHEN read THEN a value is
    kept but below the clerk threshold: which one is ticked cannot be told from the text."""
    first = OcrLine(
        text="异地长期居住人员", confidence=1.0, polygon=[(400, 1200), (700, 1200), (700, 1250), (400, 1250)]
    )
    rest = OcrLine(
        text="常驻异地工作人员 异地转诊人员",
        confidence=1.0,
        polygon=[(690, 1195), (1300, 1195), (1300, 1248), (690, 1248)],
    )
    found = _filing_type(_line("人员类型", 100, 1200), first, rest)
    assert found is not None and found[1] < 0.8


def test_a_single_written_type_beside_another_cell_is_sure() -> None:
    """GIVEN 备案类型 | 长住外地 | 参保险种 … (another cell further right) WHEN read THEN the written value,
    not flagged."""
    assert _filing_type(_line("备案类型", 100, 1200), _line("长住外地", 400, 1200), _line("参保险种", 1000, 1200)) == (
        "长住外地",
        0.99,
    )


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("统筹支付2013.13", "medical_insurance_paid", "2013.13"),
        ("账户支付 545.00", "personal_account_paid", "545.00"),
        ("自付：1351.89", "self_paid", "1351.89"),
        ("自费 268.42", "self_expense", "268.42"),
        ("个人自付：10.00", "self_paid", "10.00"),
    ],
)
def test_short_split_wordings_are_read(line: str, field: str, value: str) -> None:
    page = Page(source="i.jpg", page=1, width=2000, height=2800, lines=[_line(line, 100, 600)])
    doc = Document(source="i.jpg", sha256="0" * 64, pages=[1], doc_type=DocType.invoice)
    found = extract_fields(doc, [page]).get(field)
    assert found is not None and found.value == value


def test_the_stay_run_on_after_the_dates_is_the_days_in_hospital() -> None:
    line = _line("入院时间：2025/04/17出院时间：2025/04/20共住院3天", 100, 600)
    page = Page(source="d.jpg", page=1, width=2000, height=2800, lines=[line])
    doc = Document(source="d.jpg", sha256="0" * 64, pages=[1], doc_type=DocType.discharge_record)
    found = extract_fields(doc, [page])
    assert found["days_in_hospital"].value == "3"
    assert found["discharge_date"].value == "2025-04-20"


def test_the_list_total_is_the_printed_total_its_rows_add_up_to() -> None:
    """GIVEN a list printing a page total (本页合计) above the list's total (合计) WHEN read THEN the total is
    the printed amount the rows (each borne out by quantity × unit price) add up to."""
    header = [_line(t, x, 300) for t, x in (("项目名称", 200), ("数量", 800), ("单价", 1000), ("金额", 1200))]
    rows = [_line(t, x, 400) for t, x in (("床位费", 200), ("2", 820), ("25.00", 1000), ("50.00", 1200))]
    rows += [_line(t, x, 460) for t, x in (("护理费", 200), ("1", 820), ("30.00", 1000), ("30.00", 1200))]
    totals = [_line("本页合计：50.00", 900, 520), _line("合计：80.00", 900, 580)]
    page = Page(source="e.jpg", page=1, width=2400, height=2800, lines=[*header, *rows, *totals])
    doc = Document(source="e.jpg", sha256="0" * 64, pages=[1], doc_type=DocType.expense_list)
    fields, checks = extract_document(doc, [page], dt.date(2025, 6, 20))
    assert fields["total_amount"].value == "80.00"
    assert all(c.ok for c in checks if c.code != "field_missing")  # the snippet prints no hospital or name


def test_a_typed_type_followed_closely_by_the_next_label_is_sure() -> None:
    first, label = _line("异地长期居住", 400, 1200), _line("参保险种：职工", 560, 1200)  # 16 px apart
    assert _filing_type(_line("备案类型：", 100, 1200), first, label) == ("异地长期居住", 0.99)


def test_a_required_field_not_read_is_named_by_a_failed_check() -> None:
    """GIVEN a bill whose 票据号码 is printed where no rule reads it WHEN extracted THEN a failed field_missing
    check names invoice_number (a clerk is told), and no check names a field that was read."""
    lines = [_line("票据代码：33010125", 100, 300), _line("交款人：张三", 100, 400), _line("合计：80.00", 100, 500)]
    page = Page(source="i.jpg", page=1, width=2000, height=2800, lines=lines)
    doc = Document(source="i.jpg", sha256="0" * 64, pages=[1], doc_type=DocType.invoice)
    fields, checks = extract_document(doc, [page], dt.date(2025, 6, 20))
    missing = {name for c in checks if c.code == "field_missing" and not c.ok for name in c.fields}
    assert "invoice_number" in missing
    assert not missing & fields.keys()
    assert {"invoice_code", "payer_name", "total_amount"} <= fields.keys()


def test_a_mark_before_options_run_together_picks_the_option_it_opens() -> None:
    """GIVEN a row whose empty boxes were not read, so the options after the ticked one run on
    (☑常驻异地工作人员异地转诊人员) WHEN read THEN the value is the option the mark stands before, sure."""
    row = _line("异地长期居住人员 ☑常驻异地工作人员 异地转诊人员 异地安置退休人员", 400, 1200, 0.97)
    assert _filing_type(_line("备案类型：", 100, 1200), row) == ("常驻异地工作人员", 0.97)


def test_a_row_of_options_with_no_mark_read_is_flagged_never_a_silent_guess() -> None:
    """GIVEN a row naming several filing categories with no mark read at all (a pen's cross lost in
    reading) WHEN read THEN the value is below the clerk threshold, and never the whole row."""
    found = _filing_type(_line("备案类型：", 100, 1200), _line("异地长期居住人员常驻异地工作人员异地转诊", 400, 1200))
    assert found is not None and found[0] == "异地长期居住人员" and found[1] < 0.8


def test_the_one_option_whose_empty_box_was_not_read_is_the_guess_still_flagged() -> None:
    """GIVEN three empty boxes read and the fourth option with no box (its cross made it unreadable) WHEN
    read THEN that option is the guess, flagged."""
    row = _line("□ 异地长期居住人员 □ 常驻异地工作人员 □ 异地转诊人员  异地安置退休人员", 400, 1200, 0.95)
    found = _filing_type(_line("人员类型", 100, 1200), row)
    assert found is not None and found[0] == "异地安置退休人员" and found[1] < 0.8


def test_titles_read_as_one_box_each_name_their_column() -> None:
    """GIVEN a header whose narrow titles were read as one box (序号 类别, 数量 单位) and an amount column
    before the count WHEN the rows are read THEN the class and the count land in their own columns, and a
    count read into one box with its unit (2 支) is split at its space."""
    header = [("序号 类别", 100), ("名称", 380), ("金额", 800), ("数量 单位", 900), ("单价", 1150)]
    rows = [[("1", 105), ("西药费", 190), ("头孢曲松钠注射液", 380), ("73.26", 790), ("2 支", 905), ("36.63", 1140)]]
    assert _items(header, rows) == [
        {"name": "头孢曲松钠注射液", "category": "西药费", "quantity": "2", "unit_price": "36.63", "amount": "73.26"}
    ]


def test_an_item_missing_a_cell_its_header_names_is_flagged() -> None:
    """GIVEN a row whose count was not read at all WHEN read THEN the items are below the clerk threshold
    (nothing bears the row out), and a count glued to its unit (3瓶) is taken where it multiplies out."""
    header = [
        _line(t, x, 300) for t, x in (("项目名称", 200), ("数量", 800), ("单位", 900), ("单价", 1000), ("金额", 1200))
    ]
    lost = [_line(t, x, 400) for t, x in (("床位费", 200), ("25.00", 1000), ("50.00", 1200))]
    glued = [_line(t, x, 400) for t, x in (("氯化钠注射液", 200), ("3瓶", 880), ("6.50", 1000), ("19.50", 1200))]
    rules = load_field_rules().tables["expense_list"]
    page = Page(source="t.jpg", page=1, width=2400, height=2800, lines=[*header, *lost])
    found = table_items(located_lines([page]), rules)
    assert found is not None and found.confidence < 0.8
    page = Page(source="t.jpg", page=1, width=2400, height=2800, lines=[*header, *glued])
    found = table_items(located_lines([page]), rules)
    assert found is not None and found.value[0]["quantity"] == "3" and found.confidence >= 0.8


@pytest.mark.parametrize("noun", ["票据", "电子票据", "发票", "收据"])
def test_the_bill_code_and_number_are_read_whichever_noun_the_bill_carries(noun: str) -> None:
    lines = [_line(f"{noun}代码：33060121", 100, 300), _line(f"{noun}号码：0034014755", 900, 300)]
    page = Page(source="i.jpg", page=1, width=2000, height=2800, lines=lines)
    doc = Document(source="i.jpg", sha256="0" * 64, pages=[1], doc_type=DocType.invoice)
    found = extract_fields(doc, [page])
    assert (found["invoice_code"].value, found["invoice_number"].value) == ("33060121", "0034014755")


def test_the_hospital_stands_before_a_list_title_of_any_wording() -> None:
    page = Page(
        source="e.jpg", page=1, width=2000, height=2800, lines=[_line("宁波市第二医院住院收费项目清单", 300, 100)]
    )
    doc = Document(source="e.jpg", sha256="0" * 64, pages=[1], doc_type=DocType.expense_list)
    assert extract_fields(doc, [page])["hospital"].value == "宁波市第二医院"


def test_a_card_birth_date_whose_label_was_lost_is_the_date_the_id_number_bears_out() -> None:
    """GIVEN an ID card front whose 出生 label was not read WHEN extracted THEN the printed date equal to the
    ID number's is the birth date; a printed date that disagrees is not taken (the field stays missing and
    a failed field_missing check names it)."""

    def card(date_line: str) -> tuple[dict[str, object], set[str]]:
        lines = [
            _line("姓名 郭丽", 100, 300),
            _line(date_line, 160, 420),
            _line("公民身份号码 330110199011290994", 100, 700),
        ]
        page = Page(source="c.jpg", page=1, width=1200, height=800, lines=lines)
        doc = Document(source="c.jpg", sha256="0" * 64, pages=[1], doc_type=DocType.id_card, side=Side.front)
        fields, checks = extract_document(doc, [page], dt.date(2025, 6, 20))
        return {k: v.value for k, v in fields.items()}, {n for c in checks if not c.ok for n in c.fields}

    values, flagged = card("1990年11月29日")
    assert values["birth_date"] == "1990-11-29" and "birth_date" not in flagged
    values, flagged = card("1990年11月28日")
    assert "birth_date" not in values and "birth_date" in flagged


def test_a_list_hospital_printed_as_the_letterhead_above_its_title_is_read() -> None:
    lines = [
        _line("温州医科大学附属第一医院", 500, 100),
        _line("门诊费用明细清单", 600, 180),
        _line("合计：80.00", 100, 2000),
    ]
    page = Page(source="e.jpg", page=1, width=2000, height=2800, lines=lines)
    doc = Document(source="e.jpg", sha256="0" * 64, pages=[1], doc_type=DocType.expense_list)
    assert extract_fields(doc, [page])["hospital"].value == "温州医科大学附属第一医院"
