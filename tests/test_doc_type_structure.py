"""Page type from what identifies a document beyond its words (rules/doc_types.yaml `structure`): a
bill's identifiers, a list's table of amounts, a card's few labelled lines."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from classifiers.doc_type import Structure, TableShape, classify_page, load_rules, page_rows, score_page, table_found
from intake.models import DocType, OcrLine, Page


def sheet(*rows: list[str] | str) -> Page:
    """A page whose rows are printed top to bottom, each cell of a row read as a line of its own at
    its own place along the row, as OCR reads a table."""
    lines: list[OcrLine] = []
    for i, row in enumerate(rows):
        cells = [row] if isinstance(row, str) else row
        for k, cell in enumerate(cells):
            x, y = 60 + k * 150, 80 + i * 45
            lines.append(
                OcrLine(text=cell, confidence=0.98, polygon=[(x, y), (x + 120, y), (x + 120, y + 30), (x, y + 30)])
            )
    return Page(source="x.jpg", page=1, width=1240, height=1754, lines=lines)


FEE_CLASSES = [
    ["1", "床位费", "360.00", "360.00", "0.00"],
    ["2", "西药费", "1284.52", "1150.20", "134.32"],
    ["3", "检查费", "620.00", "620.00", "0.00"],
    ["4", "化验费", "415.80", "415.80", "0.00"],
    ["5", "治疗费", "233.00", "200.00", "33.00"],
    ["6", "卫生材料费", "96.40", "0.00", "96.40"],
]
FOOT: list[list[str] | str] = [
    "合计（大写）：叁仟零玖元柒角贰分",
    ["医保统筹基金支付：2403.60", "个人自付：606.12"],
    "医保类型：职工基本医疗保险",
]


def test_a_fee_class_summary_without_bill_identifiers_is_an_expense_list() -> None:
    """GIVEN a hospital's summary sheet: one row per fee class with 金额 / 医保内 / 医保外, the fund split
    and the total in words at its foot (a bill's vocabulary), and none of a bill's identifiers
    WHEN it is classified THEN it is an expense list: the table is what it is, not the fee words."""
    page = sheet(
        "某某市第一人民医院",
        "住院费用汇总清单",
        ["姓名：王小明", "住院号：20250601", "科室：普外科"],
        ["序号", "费用类别", "金额", "医保内", "医保外"],
        *FEE_CLASSES,
        ["合计", "3009.72"],
        *FOOT,
    )
    result = classify_page(page, load_rules())
    assert result.doc_type is DocType.expense_list
    assert not result.unsure


def test_a_bill_with_its_identifiers_is_an_invoice() -> None:
    """GIVEN a 医疗收费票据 printing its code, number, payer and check code over the same fee-class table
    WHEN it is classified THEN it is an invoice, sure."""
    page = sheet(
        "浙江省医疗收费票据（电子）",
        ["票据代码：33060125", "票据号码：0012345678", "校验码：a1b2c3"],
        ["交款人：王小明", "开票日期：2025-06-08"],
        ["项目名称", "金额（元）", "备注"],
        *[[row[1], row[2], ""] for row in FEE_CLASSES],
        *FOOT,
        "收款单位（章）：某某市第一人民医院",
    )
    result = classify_page(page, load_rules())
    assert result.doc_type is DocType.invoice
    assert not result.unsure


@pytest.mark.parametrize("title", ["浙江省医疗收费票据（电子）", "住院收费专用票据"])
def test_a_bill_whose_identifiers_a_seal_hid_is_never_silently_another_type(title: str) -> None:
    """GIVEN the same bill with every identifier lost under a seal (title, fee table and fund split
    remain) WHEN it is classified THEN it is still an invoice, or it goes to a clerk unsure: never
    silently an expense list or anything else."""
    page = sheet(title, ["项目名称", "金额（元）", "备注"], *[[row[1], row[2], ""] for row in FEE_CLASSES], *FOOT)
    result = classify_page(page, load_rules())
    assert result.doc_type is DocType.invoice or result.unsure


def test_a_page_fitting_no_types_structure_on_shared_words_is_unsure() -> None:
    """GIVEN a page with a bill's fund words but none of its identifiers and a list's column words but
    no table under them WHEN it is classified THEN it is unsure: shared words without either type's
    structure are not enough to decide it without a clerk."""
    page = sheet(
        "医疗收费",
        ["项目名称", "数量", "单价"],
        ["床位费", "3", "120"],
        "统筹基金支付 个人账户支付 个人自付 医保类型",
    )
    result = classify_page(page, load_rules())
    scores = {t.candidate.doc_type: t for t in score_page(page, load_rules())}
    assert scores[DocType.invoice].lacking and not scores[DocType.expense_list].shown
    assert result.unsure


def test_table_rows_come_from_cells_read_apart() -> None:
    rows = page_rows(sheet(["序号", "费用类别", "金额"], ["1", "床位费", "360.00"]))
    assert rows == ["序号 费用类别 金额", "1 床位费 360.00"]


@pytest.mark.parametrize(
    ("header", "amount_rows", "found"),
    [
        (["项目名称", "金额"], 3, True),
        (["项目名称", "金额"], 2, False),  # too few rows of amounts under it
        (["费用类别"], 3, False),  # one cell cannot be both the item and the amount column
        (["数量", "单价"], 3, False),  # no item column
    ],
)
def test_a_table_needs_a_header_cell_per_column_and_amounts_beneath(
    header: list[str], amount_rows: int, found: bool
) -> None:
    shape = TableShape(header=[["项目", "名称", "类别"], ["金额", "总价", "费用"]], rows=3)
    rows = page_rows(sheet(header, *[["药", f"{n}.50"] for n in range(amount_rows)]))
    assert table_found(shape, rows) is found


def test_a_card_is_a_few_lines_a_form_asking_the_same_is_many() -> None:
    """The ID card front's labels are also what a filing form asks for: on a page of many rows they
    are no card."""
    front = load_rules().types["id_card_front"].structure
    assert front is not None
    card = [
        "姓名 王小明",
        "性别 男 民族 汉",
        "出生 1980年1月15日",
        "住址 浙江省杭州市",
        "公民身份号码 330106198001151234",
    ]
    assert front.holds("".join(card), page_rows(sheet(*card)))
    form = card + [f"第{n}项 其他内容" for n in range(40)]
    assert not front.holds("".join(form), page_rows(sheet(*form)))


@pytest.mark.parametrize(
    "raw",
    [
        {"bonus": 1},  # nothing to find
        {"groups": [["出院"]], "at_least": 2, "bonus": 1},  # more groups asked than given
        {"groups": [["re:(unclosed"]], "bonus": 1},  # a pattern that does not compile
        {"groups": [["出院"]], "bonus": 1, "absent_factor": 0},  # a factor that erases the type
        {"groups": [["出院"]], "bonus": 1, "extra": 1},  # a misspelt key
    ],
)
def test_structure_schema_rejects_bad_rules(raw: dict[str, object]) -> None:
    with pytest.raises((ValidationError, ValueError)):
        Structure.model_validate(raw)


def test_a_tilted_rows_cells_stay_one_row() -> None:
    """GIVEN a scan turned by about 1.5°: along a row of seven cells the last stands 40 px lower than
    the first, more than a line's height WHEN the lines are grouped into rows THEN each printed row is
    one row, its cells left to right (the tilt is read from the lines' own top edges)."""
    slope = 0.026
    lines: list[OcrLine] = []
    for i, row in enumerate(
        [
            ["序号", "项目名称", "类别", "单位", "数量", "单价", "金额"],
            ["1", "床位费", "床位费", "日", "3", "40.00", "120.00"],
        ]
    ):
        for k, cell in enumerate(row):
            x, y = 60.0 + k * 230, 100 + i * 34 + (60 + k * 230) * slope
            box = [(x, y), (x + 200, y + 200 * slope), (x + 200, y + 200 * slope + 26), (x, y + 26)]
            lines.append(OcrLine(text=cell, confidence=0.98, polygon=box))
    rows = page_rows(Page(source="x.jpg", page=1, width=1700, height=2400, lines=lines))
    assert rows == ["序号 项目名称 类别 单位 数量 单价 金额", "1 床位费 床位费 日 3 40.00 120.00"]


def test_a_page_read_upside_down_is_judged_upright() -> None:
    """GIVEN a list scanned upside down, its boxes kept in the stored image's coordinates (the header row
    below its amounts there) and the upright matrix of the half turn THEN its table is found: rows are
    taken in the upright page, header first."""
    from classifiers.doc_type import load_rules, score_page, upright
    from intake.models import DocType, OcrLine, Page

    width, height = 1000, 1400
    texts = [
        "住院费用清单",
        "项目名称 单价 数量 金额",
        "床位费 25.00 1 25.00",
        "护理费 30.00 1 30.00",
        "静脉输液 8.00 2 16.00",
    ]
    lines: list[OcrLine] = []
    for i, text in enumerate(texts):
        top = 100 + i * 40  # upright; stored turned by half a turn
        x0, y0, x1, y1 = 100, top, 700, top + 30
        turned: list[tuple[float, float]] = [
            (width - x0, height - y0),
            (width - x1, height - y0),
            (width - x1, height - y1),
            (width - x0, height - y1),
        ]
        lines.append(OcrLine(text=text, confidence=0.99, polygon=turned))
    half_turn = [[-1.0, 0.0, float(width)], [0.0, -1.0, float(height)], [0.0, 0.0, 1.0]]
    page = Page(source="x.pdf", page=1, width=width, height=height, lines=lines, rotation=180, upright_matrix=half_turn)
    assert upright(page).lines[0].bbox[1] < upright(page).lines[-1].bbox[1]
    scores = {s.candidate.doc_type: s for s in score_page(page, load_rules())}
    assert scores[DocType.expense_list].shown
