"""Layout rules of extraction on crafted OCR lines: where a value is found relative to its label."""

from __future__ import annotations

import datetime as dt

from extractors.extract import extract_document, extract_fields
from extractors.layout import FieldRule, find_value, located_lines
from intake.models import DocType, Document, OcrLine, Page


def line(text: str, x: float, y: float, w: float | None = None, h: float = 30) -> OcrLine:
    w = w if w is not None else 30 * len(text)
    return OcrLine(text=text, confidence=0.99, polygon=[(x, y), (x + w, y), (x + w, y + h), (x, y + h)])


def fields_of(doc_type: DocType, *lines: OcrLine, upright: list[list[float]] | None = None) -> dict[str, object]:
    page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=list(lines), upright_matrix=upright)
    doc = Document(source="t.jpg", pages=[1], doc_type=doc_type)
    return {k: v.value for k, v in extract_fields(doc, [page]).items()}


def test_signature_present_true_false_and_unknown() -> None:
    signed = fields_of(DocType.filing_form, line("申请人签名：", 100, 500), line("张三", 300, 500))
    empty = fields_of(DocType.filing_form, line("申请人签名：", 100, 500), line("2025年06月20日", 100, 700))
    absent = fields_of(DocType.filing_form, line("备案类型：异地长期居住人员", 100, 500))
    assert signed["signature_present"] is True
    assert empty["signature_present"] is False
    assert "signature_present" not in absent


def test_form_title_is_the_whole_title_line() -> None:
    got = fields_of(DocType.filing_form, line("抚顺市异地就医登记备案表", 500, 100), line("参保人姓名", 100, 300))
    assert got["form_title"] == "抚顺市异地就医登记备案表"


def test_label_whose_first_character_a_seal_ate() -> None:
    got = fields_of(DocType.invoice, line("人自费：151.92", 100, 500))
    assert got["self_expense"] == "151.92"


def test_diagnosis_wrapping_onto_the_next_line() -> None:
    """A diagnosis that runs to the right margin continues on the next line; of a numbered list the first
    (principal) item is the value (`numbered: first`, tests/test_extract_layouts.py)."""
    got = fields_of(
        DocType.discharge_record,
        line("出院诊断：头痛待查、流感样病例、轻度", 100, 500, w=1800),
        line("贫血、泌尿系感染", 100, 535, w=600),
        line("出院医嘱：注意休息", 100, 600, w=600),
    )
    assert got["discharge_diagnosis"] == "头痛待查、流感样病例、轻度贫血、泌尿系感染"
    listed = fields_of(
        DocType.discharge_record,
        line("出院诊断：1.头痛待查 2.流感样病例 3.轻度", 100, 500, w=1800),
        line("贫血 4.泌尿系感染", 100, 535, w=600),
        line("出院医嘱：注意休息", 100, 600, w=600),
    )
    assert listed["discharge_diagnosis"] == "头痛待查"


def test_layout_reads_the_upright_page_not_the_scan() -> None:
    """GIVEN a page scanned upside down (value left of and above its label in the file) WHEN the page
    carries its 180° turn THEN the value right of the label in the upright page is found."""
    turn = [[-1.0, 0.0, 1999.0], [0.0, -1.0, 2799.0], [0.0, 0.0, 1.0]]
    # upright: label at x 100–250, value at x 300–360 on one row → in the file: mirrored
    label = line("交款人：", 2000 - 250, 2800 - 530, w=150)
    value = line("张三", 2000 - 360, 2800 - 530, w=60)
    assert fields_of(DocType.invoice, label, value, upright=turn)["payer_name"] == "张三"


def test_letterhead_hospital_when_no_label_gives_it() -> None:
    got = fields_of(
        DocType.discharge_record,
        line("石首市人民医院", 700, 100),
        line("姓名：李四", 100, 400),
        line("医师签名：王五", 1200, 2400),
    )
    assert got["hospital"] == "石首市人民医院"


def expense_items(amount: str) -> tuple[list[dict[str, str]], float]:
    """An expense list row whose 单位 and 数量 cells are single characters read at a low confidence."""

    def cell(text: str, x: float, confidence: float = 0.99) -> OcrLine:
        return line(text, x, 400).model_copy(update={"confidence": confidence})

    header = [line(t, x, 300) for t, x in (("项目名称", 100), ("类别", 500), ("单位", 700), ("数量", 850))]
    header += [line("单价", 1000, 300), line("金额", 1200, 300)]
    row = [cell("氯化钠注射液", 100), cell("西药费", 500), cell("盒", 710, 0.7), cell("2", 860, 0.72)]
    row += [cell("3.50", 1000), cell(amount, 1200)]
    page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=[*header, *row])
    found = extract_fields(Document(source="t.jpg", pages=[1], doc_type=DocType.expense_list), [page])["items"]
    assert isinstance(found.value, list)
    return found.value, found.confidence


def test_expense_row_cells_that_multiply_out_bear_each_other_out() -> None:
    """GIVEN a row whose unit (盒) and quantity (2) were read at 0.70 and 0.72 WHEN quantity × unit price
    equals the amount THEN the item is as sure as its name and category (the unit is no item column and
    lands in none); WHEN they do not multiply out THEN the unsure quantity makes the item unsure."""
    items, confidence = expense_items("7.00")
    assert items == [
        {"name": "氯化钠注射液", "category": "西药费", "amount": "7.00", "quantity": "2", "unit_price": "3.50"}
    ]
    assert confidence == 0.99
    _, confidence = expense_items("7.50")
    assert confidence == 0.72


def unsure(text: str, doubtful: str, x: float, y: float, w: float | None = None) -> OcrLine:
    """A line read at 0.97 on average whose `doubtful` characters were read at 0.3 each."""
    found = line(text, x, y, w)
    start = text.index(doubtful)
    chars = [1.0] * len(text)
    chars[start : start + len(doubtful)] = [0.3] * len(doubtful)
    return found.model_copy(update={"confidence": 0.97, "char_confidences": chars})


def confidences_of(doc_type: DocType, *lines: OcrLine) -> dict[str, float]:
    page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=list(lines))
    doc = Document(source="t.jpg", pages=[1], doc_type=doc_type)
    return {k: v.confidence for k, v in extract_fields(doc, [page]).items()}


def test_a_value_with_a_doubtful_character_is_as_unsure_as_it() -> None:
    """GIVEN a line read at 0.97 on average with one character read at 0.3 (below CHAR_FLOOR) WHEN that
    character is in the value THEN the value's confidence is 0.3 (a clerk sees it), and when it is in the
    label, the value keeps the line's 0.97; spaces the recogniser read count for nothing."""
    in_value = confidences_of(DocType.invoice, unsure("收款单位：浙江大学医学院附属第二医院", "属", 100, 900))
    in_label = confidences_of(DocType.invoice, unsure("收款单位：浙江大学医学院附属第二医院", "款", 100, 900))
    spaced = confidences_of(DocType.invoice, unsure("交款人： 张三 ", " ", 100, 500))
    assert in_value["payee"] == 0.3
    assert in_label["payee"] == 0.97
    assert spaced["payer_name"] == 0.97


def test_a_value_running_onto_an_unsure_line_is_unsure() -> None:
    got = confidences_of(
        DocType.discharge_record,
        line("出院诊断：头痛待查、流感样病例、轻度", 100, 500, w=1800),
        unsure("贫血、泌尿系感染", "泌", 100, 535, w=600),
        line("出院医嘱：注意休息", 100, 600, w=600),
    )
    assert got["discharge_diagnosis"] == 0.3


def test_a_signature_is_as_sure_as_its_line_not_its_characters() -> None:
    """Whether a name is written at 签名 does not depend on how sure each of its characters reads."""
    got = confidences_of(DocType.filing_form, line("申请人签名：", 100, 500), unsure("张三", "三", 300, 500))
    assert got["signature_present"] == 0.97


def test_a_value_a_passing_self_check_bears_out_is_as_sure_as_its_line() -> None:
    """GIVEN an invoice total whose 4 was read at 0.3 WHEN its 大写 (read surely) agrees THEN the total is
    as sure as its line (one misread digit would have failed the check); when they disagree, it stays
    at 0.3 and the failed check flags it too."""

    def total(upper: str) -> tuple[float, bool]:
        page = Page(
            source="t.jpg",
            page=1,
            width=2000,
            height=2800,
            lines=[unsure("合计（小写）：4946.40", "4946", 100, 500), line(f"合计（大写）：{upper}", 100, 600)],
        )
        doc = Document(source="t.jpg", pages=[1], doc_type=DocType.invoice)
        fields, checks = extract_document(doc, [page], dt.date(2025, 6, 1))
        # The snippet prints no 票据代码 or 交款人: those are missing, not what this is about.
        return fields["total_amount"].confidence, all(c.ok for c in checks if c.code != "field_missing")

    assert total("肆仟玖佰肆拾陆元肆角") == (0.97, True)
    assert total("肆仟玖佰肆拾柒元肆角") == (0.3, False)


def test_a_split_whose_label_lost_a_character_is_found_where_the_sum_says() -> None:
    """GIVEN an invoice whose 个人自费 label was read 个人自贵 (a photocopy; a four-character label is not
    matched with a character misread) WHEN extracted THEN the split is taken from that line, since the
    total (borne out by its 大写) less the other splits is exactly the value printed there; marked
    repaired, and the splits' check passes. Not when the printed value is another, nor from a line whose
    label is two characters off (其他支付 printing the same amount)."""

    def self_expense(label: str, printed: str) -> tuple[object, bool] | None:
        texts = [
            "合计（小写）：3206.15",
            "合计（大写）：叁仟贰佰零陆元壹角伍分",
            "医保统筹基金支付：2404.61",
            "个人账户支付：240.46",
            "个人自付：336.65",
            f"{label}：{printed}",
        ]
        page = Page(
            source="t.jpg",
            page=1,
            width=2000,
            height=2800,
            lines=[line(t, 100, 100 * i) for i, t in enumerate(texts, 1)],
        )
        doc = Document(source="t.jpg", pages=[1], doc_type=DocType.invoice)
        fields, checks = extract_document(doc, [page], dt.date(2025, 6, 1))
        found = fields.get("self_expense")
        splits = [c.ok for c in checks if c.code == "invoice_splits_sum"]
        return (found.value, found.repaired and splits == [True]) if found else None

    assert self_expense("个人自费", "224.43") == ("224.43", False)  # found under its label: nothing repaired
    # 介人自费 still holds the short wording 自费 (provincial bills print it alone): read under it.
    assert self_expense("介人自费", "224.43") == ("224.43", False)
    assert self_expense("个人自贵", "224.43") == ("224.43", True)
    assert self_expense("个人自贵", "224.48") is None
    assert self_expense("其他支付", "224.43") is None


def test_an_invoice_payee_is_checked_against_its_seal() -> None:
    """GIVEN an invoice whose payee was read 第二 and whose seal's ring reads 第三 WHEN extracted THEN the
    payee's check fails (a clerk looks at it); with the seal agreeing, a doubtful payee is borne out; a
    payee that is only part of the seal's name fails too."""

    def payee(read: str, seal: str) -> tuple[float, list[bool]]:
        page = Page(
            source="t.jpg", page=1, width=2000, height=2800, lines=[unsure(f"收款单位：{read}", "第", 100, 900)]
        )
        doc = Document(source="t.jpg", pages=[1], doc_type=DocType.invoice, seal_texts=[seal])
        fields, checks = extract_document(doc, [page], dt.date(2025, 6, 1))
        return fields["payee"].confidence, [c.ok for c in checks if c.code == "payee_matches_seal"]

    assert payee("河南省直第二人民医院", "河南省直第三人民医院电子票据专用章") == (0.3, [False])
    assert payee("河南省直第三人民医院", "河南省直第三人民医院电子票据专用章") == (0.97, [True])
    # A payee a character short of the seal's name (its line lost one) fails, and, ending with no unit's
    # kind (医院), is doubted by itself too (half again); the ring's name a character short of the payee
    # (rings often lose one) says nothing.
    assert payee("杭州市第一人民医", "杭州市第一人民医院 收费专用章") == (0.15, [False])
    assert payee("杭州市第一人民医院", "杭州市第一民医院 收费专用章") == (0.3, [])


def test_a_misread_column_title_on_a_continuation_page_keeps_its_column() -> None:
    """GIVEN a two-page list whose second page's header reads 类別 for 类别 WHEN its rows are read THEN
    their categories are still read (not run into the 单位 column and lost)."""

    def page(number: int, category_title: str, name: str, category: str) -> Page:
        titles = (
            ("项目名称", 100),
            (category_title, 500),
            ("单位", 700),
            ("数量", 850),
            ("单价", 1000),
            ("金额", 1200),
        )
        cells = ((name, 100), (category, 500), ("次", 710), ("1", 860), ("5.00", 1000), ("5.00", 1200))
        lines = [line(t, x, 300) for t, x in titles] + [line(t, x, 400) for t, x in cells]
        return Page(source="t.pdf", page=number, width=2000, height=2800, lines=lines)

    pages = [page(1, "类别", "血常规", "检验费"), page(2, "类別", "胸部CT平扫", "检查费")]
    doc = Document(source="t.pdf", pages=[1, 2], doc_type=DocType.expense_list)
    items = extract_fields(doc, pages)["items"].value
    assert [item["category"] for item in items] == ["检验费", "检查费"]


def test_a_label_cut_and_misread_at_a_line_start_still_finds_its_value() -> None:
    """GIVEN an invoice whose payee line lost 收款 to the scan's edge and read 章 as 音 WHEN extracted THEN
    the payee is read, less sure than its line (a clerk sees it); a label one character from another
    field's label as from its own is not taken, nor a line starting with a label's first characters
    only."""

    def invoice(*texts: str) -> dict[str, tuple[object, float]]:
        page = Page(
            source="t.jpg",
            page=1,
            width=2000,
            height=2800,
            lines=[line(text, 100, 300 + 100 * i) for i, text in enumerate(texts)],
        )
        doc = Document(source="t.jpg", pages=[1], doc_type=DocType.invoice)
        return {k: (v.value, v.confidence) for k, v in extract_fields(doc, [page]).items()}

    payee, confidence = invoice("单位（音）·宁波市第二医院")["payee"]
    assert payee == "宁波市第二医院" and confidence < 0.8
    assert "payee" not in invoice("单位·宁波市第二医院")
    # One character from another field's label as from its own: not taken.
    page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=[line("住院日期时间：2025-05-08", 100, 300)])
    rule = FieldRule(labels=["入院日期时间"], kind="date")
    assert find_value(located_lines([page]), rule, [], accept=None) is not None
    assert find_value(located_lines([page]), rule, ["出院日期时间"], accept=None) is None


def test_a_check_code_holding_a_letter_that_prints_like_a_digit_goes_to_a_clerk() -> None:
    """GIVEN check codes read at 0.99 WHEN one holds l or o (1 and 0 in most type) THEN it is below the
    clerk threshold (0.8), whatever OCR's confidence; one of digits and other letters is not."""

    def check_code(text: str) -> tuple[object, float]:
        page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=[line(f"校验码：{text}", 100, 300)])
        found = extract_fields(Document(source="t.jpg", pages=[1], doc_type=DocType.invoice), [page])["check_code"]
        return found.value, found.confidence

    assert check_code("6eac1d") == ("6eac1d", 0.99)
    assert check_code("6eacld") == ("6eacld", 0.495)
    assert check_code("6oV401")[1] < 0.8


def test_an_old_bill_s_number_is_read_after_its_no() -> None:
    """GIVEN a pin-feed bill printing its number after No, on the line or as the next cell WHEN extracted
    THEN it is the invoice number, as sure as its line."""
    beside = fields_of(DocType.invoice, line("No", 700, 100, w=40), line("2915012951", 760, 100))
    joined = fields_of(DocType.invoice, line("No.0012345678", 700, 100))
    assert beside["invoice_number"] == "2915012951"
    assert joined["invoice_number"] == "0012345678"


def test_a_code_printed_cut_short_is_kept_for_a_clerk_not_dropped() -> None:
    """GIVEN an invoice whose code and number are printed cut short (an anonymised copy) WHEN extracted
    THEN they are read as printed, below the clerk threshold; full ones are sure."""
    short = confidences_of(DocType.invoice, line("票据代码：41", 100, 100), line("票据号码：002", 900, 100))
    full = confidences_of(DocType.invoice, line("票据代码：41060122", 100, 100), line("票据号码：0012345678", 900, 100))
    values = fields_of(DocType.invoice, line("票据代码：41", 100, 100), line("票据号码：002", 900, 100))
    assert (values["invoice_code"], values["invoice_number"]) == ("41", "002")
    assert short["invoice_code"] < 0.8 and short["invoice_number"] < 0.8
    assert full["invoice_code"] == full["invoice_number"] == 0.99


def test_a_diagnosis_does_not_start_or_end_with_punctuation() -> None:
    """出院诊断 read with a comma for its colon, the diagnosis closed with 。."""
    got = fields_of(DocType.discharge_record, line("出院诊断，回盲部脓肿、慢性阑尾炎。", 100, 500))
    assert got["discharge_diagnosis"] == "回盲部脓肿、慢性阑尾炎"


def test_a_payee_whose_label_a_scan_s_edge_cut_off_is_found_beside_its_row_s_labels() -> None:
    """GIVEN an invoice's foot row read as 「（音)·杭州市第一人民医院」 (收款单位 lost at a skewed scan's
    edge, 章 read 音; tuning file 101101), 复核人 and 收款人 WHEN extracted THEN the payee is the hospital
    left of them on that row; a hospital named on another row, or right of them, is not taken."""
    foot = [line("复核人：黄洋", 1100, 2000), line("收款人：钟霞华", 1500, 2000)]
    found = fields_of(DocType.invoice, line("（音)·杭州市第一人民医院", 100, 2000), *foot)
    other_row = fields_of(DocType.invoice, line("（音)·杭州市第一人民医院", 100, 1800), *foot)
    right_of = fields_of(DocType.invoice, *foot, line("杭州市第一人民医院", 1800, 2000))
    assert found["payee"] == "杭州市第一人民医院"
    assert "payee" not in other_row and "payee" not in right_of


def test_a_name_printed_blank_reads_nothing_not_the_next_label_or_row() -> None:
    """GIVEN 交款人： / 患者姓名： with nothing after them (anonymised bills, real invoice_01 and discharge_05) THEN
    neither the next label on the row (开票日期, cut at 日期 to 开票), a "label：" below (婚姻：已婚), nor the next
    row (其他门急诊收费) is taken for the name; a name beside its label still is."""
    beside_date = fields_of(DocType.invoice, line("交款人：", 100, 500), line("开票日期：2021-04-14", 900, 500))
    assert "payer_name" not in beside_date and beside_date["issue_date"] == "2021-04-14"
    next_row = fields_of(DocType.invoice, line("交款人：", 100, 500), line("其他门急诊收费", 100, 560))
    assert "payer_name" not in next_row
    one_line = fields_of(DocType.invoice, line("交款人：开票日期：2021-04-14", 100, 500))
    assert "payer_name" not in one_line and one_line["issue_date"] == "2021-04-14"
    below = fields_of(DocType.discharge_record, line("患者姓名：", 100, 500), line("婚姻：已婚", 100, 540))
    assert "patient_name" not in below
    beside_other = fields_of(DocType.invoice, line("姓名：", 100, 500), line("医保类型：异地参保人员", 400, 500))
    assert "payer_name" not in beside_other
    named = fields_of(DocType.invoice, line("交款人：", 100, 500), line("王小明", 300, 500))
    assert named["payer_name"] == "王小明"
    # A born-digital bill's text layer runs the name into the next label on one line.
    glued = fields_of(DocType.invoice, line("交款人：廖华建 开票日期：2025-06-08", 100, 500))
    assert glued["payer_name"] == "廖华建" and glued["issue_date"] == "2025-06-08"


def test_a_label_printed_blank_is_not_filled_from_a_later_synonym() -> None:
    """GIVEN an electronic bill with 交款人： printed blank and the patient's 姓名 in its 其他信息 block (real
    invoice_08) THEN the payer is blank, not the patient; where the bill prints no 交款人 at all, 姓名 is
    the payer's label; a 交款人 inside a longer label (交款人统一社会信用代码) is no blank 交款人."""
    other_info = line("姓名：陈天颖", 100, 1500)
    blank = fields_of(DocType.invoice, line("交款人：", 100, 500), line("开票日期：2021-01-01", 900, 500), other_info)
    assert "payer_name" not in blank and blank["issue_date"] == "2021-01-01"
    assert fields_of(DocType.invoice, line("开票日期：2021-01-01", 900, 500), other_info)["payer_name"] == "陈天颖"
    code = fields_of(DocType.invoice, line("交款人统一社会信用代码：4211***010", 100, 500), other_info)
    assert code["payer_name"] == "陈天颖"
    # A date's first label printed blank: 就诊日期 below is another date, not the bill's.
    dates = fields_of(DocType.invoice, line("开票日期：", 900, 500), line("就诊日期：2021年01月14日", 100, 1500))
    assert "issue_date" not in dates


def read_at(text: str, sureness: dict[str, float], x: float, y: float) -> OcrLine:
    """A line read at 0.97 on average, each character of `sureness` read as sure as it says."""
    found = line(text, x, y)
    chars = [sureness.get(char, 1.0) for char in text]
    return found.model_copy(update={"confidence": 0.97, "char_confidences": chars})


def test_a_stage_in_roman_numerals_is_read_as_letters_and_as_sure_as_its_numerals() -> None:
    """GIVEN a diagnosis whose stage the recogniser returned as one character (Ⅲ for III) THEN it reads as
    the letters; a numeral read below ROMAN_FLOOR makes the value as sure as it (0.5: a miscounted III is
    read so, tuning set; a clerk sees it), one read surely leaves the line's confidence."""
    line_ = read_at("出院诊断：鼻咽癌(T2N2M0)Ⅲ期", {"Ⅲ": 0.5}, 100, 500)
    doc = Document(source="t.jpg", pages=[1], doc_type=DocType.discharge_record)
    page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=[line_])
    found = extract_fields(doc, [page])["discharge_diagnosis"]
    assert found.value == "鼻咽癌(T2N2M0)III期" and found.confidence == 0.5
    for numerals, value in ((1.0, 0.97), (0.85, 0.85), (0.6, 0.6)):
        got = confidences_of(DocType.discharge_record, read_at("出院诊断：左乳腺癌IIA期", {"I": numerals}, 100, 500))
        assert got["discharge_diagnosis"] == value


def test_diagnoses_read_alike_but_for_their_stage_go_to_a_clerk() -> None:
    """GIVEN 入院诊断 and 出院诊断 read alike but for their Roman numerals (IIIA read IIA at 0.99, or the
    numerals lost: 心功能级) THEN both are flagged with diagnosis_stages_agree; the same stage, or two
    different diagnoses, raise nothing."""

    def failed(admission: str, discharge: str) -> list[list[str]]:
        lines = [line(f"入院诊断：{admission}", 100, 500), line(f"出院诊断：{discharge}", 100, 560)]
        page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=lines)
        doc = Document(source="t.jpg", pages=[1], doc_type=DocType.discharge_record)
        _, checks = extract_document(doc, [page], dt.date(2025, 6, 20))
        return [c.fields for c in checks if c.code == "diagnosis_stages_agree" and not c.ok]

    every = [["admission_diagnosis", "discharge_diagnosis", "admission_diagnoses", "discharge_diagnoses"]]
    assert failed("胃窦癌(T3N1M0)IIIA期", "胃窦癌(T3N1M0)IIA期") == every
    assert failed("冠心病心功能III级", "冠心病心功能级") == every
    assert failed("胃窦癌(T3N1M0)IIIA期", "胃窦癌(T3N1M0)IIIA期") == []
    assert failed("社区获得性肺炎", "慢性胃炎") == []
    # Only a later item of the lists differs by its stage: the lists are named, the principals are not.
    assert failed("1.高血压病 2.胃癌IIIA期", "1.高血压病 2.胃癌IIA期") == [every[0][2:]]


def test_a_lines_box_is_computed_once_and_forgotten_when_its_polygon_changes() -> None:
    """GIVEN a line WHEN its box is asked for twice THEN the same tuple comes back; a copy with a new polygon,
    or the polygon assigned, gives the new polygon's box; a copy of another field keeps the box; the box is
    no field (not dumped, not compared)."""
    line = OcrLine(text="合计", confidence=0.9, polygon=[(1, 2), (5, 2), (5, 8), (1, 8)])
    assert line.bbox == (1, 2, 5, 8) and line.bbox is line.bbox
    moved = line.model_copy(update={"polygon": [(0, 0), (3, 0), (3, 1), (0, 1)]})
    assert moved.bbox == (0, 0, 3, 1) and line.bbox == (1, 2, 5, 8)
    assert line.model_copy(update={"text": "总计"}).bbox == (1, 2, 5, 8)
    assert "bbox" not in line.model_dump()
    assert line == OcrLine(text="合计", confidence=0.9, polygon=[(1, 2), (5, 2), (5, 8), (1, 8)])
    line.polygon = [(2, 2), (4, 4)]
    assert line.bbox == (2, 2, 4, 4)
