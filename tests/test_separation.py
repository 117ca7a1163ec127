"""Document separation: one envelope (a multi-page PDF, a folder of pages) into documents."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from classifiers.doc_type import PageClass, load_rules
from classifiers.separate import separate
from intake.models import DocType, OcrLine, Page, Side
from intake.settings import Settings
from pipeline.analyse import analyse_file

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "samples" / "cases" / "c01_inpatient_complete"


def page(n: int, *texts: str) -> Page:
    lines = [
        OcrLine(text=t, confidence=1.0, polygon=[(0, i * 20), (100, i * 20), (100, i * 20 + 10), (0, i * 20 + 10)])
        for i, t in enumerate(texts)
    ]
    return Page(source="envelope.pdf", page=n, width=1000, height=1400, lines=lines)


def cls(doc_type: DocType, side: Side | None = None) -> PageClass:
    return PageClass(doc_type=doc_type, side=side, confidence=0.9, candidates=[], unsure=False)


def shape(groups: list) -> list[tuple[str, list[int]]]:  # type: ignore[type-arg]
    return [(g.classes[0].doc_type.value, [p.page for p in g.pages]) for g in groups]


@pytest.mark.parametrize(
    ("second_page_text", "second_class"),
    [
        ("第2页 共2页", DocType.expense_list),  # the header repeats: classified the same
        ("第2页12页", DocType.expense_list),  # 共m页 garbled by OCR
        ("第2页 共2页", DocType.other),  # a continuation page without a title
    ],
)
def test_two_page_list_stays_one_document(second_page_text: str, second_class: DocType) -> None:
    pages = [page(1, "住院费用汇总明细清单", "第1页 共2页"), page(2, "床位费", second_page_text), page(3, "出院记录")]
    classes = [cls(DocType.expense_list), cls(second_class), cls(DocType.discharge_record)]
    assert shape(separate(pages, classes)) == [("expense_list", [1, 2]), ("discharge_record", [3])]


EXPENSE_TITLES = {DocType.expense_list: ["明细清单", "费用清单"], DocType.discharge_record: ["出院记录", "出院小结"]}


@pytest.mark.parametrize(
    ("second_page_texts", "second_class"),
    [
        (("项目名称", "数量", "单价", "金额", "床位费"), DocType.expense_list),  # the header repeats, no page number
        (("床位费", "25.00", "护理费"), DocType.other),  # the table runs on with no header at all
    ],
)
def test_unnumbered_continuation_of_a_list_stays_one_document(
    second_page_texts: tuple[str, ...], second_class: DocType
) -> None:
    pages = [page(1, "住院费用汇总明细清单", "项目名称"), page(2, *second_page_texts), page(3, "出院记录")]
    classes = [cls(DocType.expense_list), cls(second_class), cls(DocType.discharge_record)]
    groups = separate(pages, classes, EXPENSE_TITLES)
    assert shape(groups) == [("expense_list", [1, 2]), ("discharge_record", [3])]


def test_a_footer_page_number_keeps_a_list_whose_page_two_repeats_its_title() -> None:
    pages = [page(1, "住院费用明细清单", "项目名称", "1/2"), page(2, "住院费用明细清单", "项目名称", "2/2")]
    classes = [cls(DocType.expense_list), cls(DocType.expense_list)]
    assert shape(separate(pages, classes, EXPENSE_TITLES)) == [("expense_list", [1, 2])]


def test_a_fraction_in_a_cell_is_no_page_number() -> None:
    pages = [page(1, "住院费用明细清单", "项目名称"), page(2, "门诊费用明细清单", "剂量 1/2 片", "3/2")]
    classes = [cls(DocType.expense_list), cls(DocType.expense_list)]
    assert shape(separate(pages, classes, EXPENSE_TITLES)) == [("expense_list", [1]), ("expense_list", [2])]


DISCHARGE_TITLES = {DocType.discharge_record: ["出院记录", "出院小结"]}


@pytest.mark.parametrize(
    ("first_mark", "second_mark"),
    [
        ("2025-06-20 11:41 FROM:某医院病案室 FAX:0571-00000000 P.1/2", "FAX:0571-00000000 P.2/2"),
        ("P1/2", "P2/2"),
        ("Page 1 of 2", "Page 2 of 2"),
        ("第 1 页 / 共 2 页", "第 2 页 / 共 2 页"),
    ],
)
def test_a_page_of_n_mark_keeps_a_record_whose_page_two_repeats_its_title(first_mark: str, second_mark: str) -> None:
    """GIVEN a two-page record whose second page prints its title again, each page marked k/n, WHEN
    separated, THEN the marks keep the pages one document."""
    pages = [page(1, first_mark, "出院记录", "入院诊断"), page(2, second_mark, "出院记录 某某 住院号 123", "出院医嘱")]
    classes = [cls(DocType.discharge_record), cls(DocType.discharge_record)]
    assert shape(separate(pages, classes, DISCHARGE_TITLES)) == [("discharge_record", [1, 2])]


def test_a_title_marked_as_running_on_continues() -> None:
    pages = [page(1, "出院记录", "入院诊断"), page(2, "出院记录（续）", "出院医嘱")]
    classes = [cls(DocType.discharge_record), cls(DocType.discharge_record)]
    assert shape(separate(pages, classes, DISCHARGE_TITLES)) == [("discharge_record", [1, 2])]


def test_the_next_mark_keeps_an_unsure_page_but_not_a_sure_other_type() -> None:
    """A fax numbers all it sends: P.2/3 after P.1/3 continues when its type is unsure, while a page surely
    of another type (a bill sent in the same fax) is a document of its own."""
    pages = [page(1, "P.1/3", "出院记录"), page(2, "P.2/3", "出院医嘱"), page(3, "P.3/3", "收费票据")]
    unsure = PageClass(doc_type=DocType.medical_record, side=None, confidence=0.4, candidates=[], unsure=True)
    classes = [cls(DocType.discharge_record), unsure, cls(DocType.invoice)]
    groups = separate(pages, classes, DISCHARGE_TITLES)
    assert shape(groups) == [("discharge_record", [1, 2]), ("invoice", [3])]


def test_a_page_after_one_of_two_continues_without_a_mark_of_its_own() -> None:
    """Page 1 says 1/2; the next page's mark was not read: it is page 2, whose title printed again does not
    open a new record. After 2/2 the count is done: a titled page starts anew."""
    pages = [page(1, "P.1/2", "出院记录"), page(2, "出院记录", "出院医嘱"), page(3, "P.2/2"), page(4, "出院记录")]
    classes = [cls(DocType.discharge_record)] * 4
    groups = separate(pages[:2], classes[:2], DISCHARGE_TITLES)
    assert shape(groups) == [("discharge_record", [1, 2])]
    groups = separate(pages[2:], classes[2:], DISCHARGE_TITLES)
    assert shape(groups) == [("discharge_record", [3]), ("discharge_record", [4])]


def test_a_latin_p_inside_a_word_is_no_page_mark() -> None:
    pages = [page(1, "出院记录", "APP1/2"), page(2, "出院记录", "TOP2/2")]
    classes = [cls(DocType.discharge_record), cls(DocType.discharge_record)]
    groups = separate(pages, classes, DISCHARGE_TITLES)
    assert shape(groups) == [("discharge_record", [1]), ("discharge_record", [2])]


def test_a_second_titled_list_is_a_second_document() -> None:
    pages = [page(1, "住院费用汇总明细清单", "项目名称"), page(2, "门诊费用明细清单", "项目名称")]
    classes = [cls(DocType.expense_list), cls(DocType.expense_list)]
    groups = separate(pages, classes, EXPENSE_TITLES)
    assert shape(groups) == [("expense_list", [1]), ("expense_list", [2])]


def test_the_rules_name_the_titles_separation_reads() -> None:
    titles = load_rules().titles()
    assert "明细清单" in titles[DocType.expense_list]
    assert DocType.invoice not in titles  # one page each: a second bill is a second document


def test_id_front_and_back_belong_together_but_two_cards_do_not() -> None:
    pages = [page(n, "x") for n in range(1, 5)]
    classes = [
        cls(DocType.id_card, Side.front),
        cls(DocType.id_card, Side.back),
        cls(DocType.id_card, Side.front),  # a second person's card (an agent)
        cls(DocType.id_card, Side.back),
    ]
    assert shape(separate(pages, classes)) == [("id_card", [1, 2]), ("id_card", [3, 4])]


def test_a_new_title_starts_a_new_document() -> None:
    pages = [page(1, "收费票据"), page(2, "收费票据"), page(3, "出院记录")]
    classes = [cls(DocType.invoice), cls(DocType.invoice), cls(DocType.discharge_record)]
    assert shape(separate(pages, classes)) == [("invoice", [1]), ("invoice", [2]), ("discharge_record", [3])]


def _pages_of(path: Path) -> list[Image.Image]:
    if path.suffix == ".pdf":
        pdf = pdfium.PdfDocument(str(path))
        return [pdf[i].render(scale=200 / 72).to_pil().convert("RGB") for i in range(len(pdf))]
    return [Image.open(path).convert("RGB")]


def test_scanned_envelope_is_split_into_its_documents(tmp_path: Path) -> None:
    """GIVEN the complete inpatient case scanned as one PDF in the order a clerk stacks it (invoice,
    two-page expense list, discharge record, ID front, ID back) WHEN it is read THEN five pages
    become four documents with their pages in order."""
    order = ["invoice.jpg", "expense_list.pdf", "discharge_record.jpg", "id_front.jpg", "id_back.jpg"]
    images = [img for name in order for img in _pages_of(CASE / name)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=200)
    envelope = tmp_path / "envelope.pdf"
    envelope.write_bytes(buffer.getvalue())
    documents = analyse_file(str(envelope), Settings(), dt.date(2025, 6, 20))
    got = [(d.doc_type.value, d.side.value if d.side else None, d.pages) for d in documents]
    assert got == [
        ("invoice", None, [1]),
        ("expense_list", None, [2, 3]),
        ("discharge_record", None, [4]),
        ("id_card", "front", [5, 6]),
    ]


def test_a_footer_page_number_between_dashes_is_read() -> None:
    """GIVEN a footer - 2 - (or —3—) on a line of its own THEN it is the page's number; an amount or a date
    range with dashes inside a line is not."""
    from classifiers.separate import page_number

    assert page_number(page(2, "床位费 25.00", "- 2 -")) == (2, 0)
    assert page_number(page(3, "—3—")) == (3, 0)
    assert page_number(page(1, "费用期间 2025-06-01-2025-06-15", "金额 -12.00")) is None


def test_a_list_repeating_its_title_and_stay_number_on_each_page_stays_one_document() -> None:
    """GIVEN a list printing its whole header (title, 住院号) on every page and no page number THEN its
    pages are one document; a page of another stay's number, one saying it is page 1, or another list of
    the same stay under another title starts anew."""
    header = ("住院病人费用清单", "病人姓名：张三 住院号：9140012")
    pages = [
        page(1, *header, "行号 收费项目 金额"),
        page(2, *header, "行号 收费项目 金额"),
        page(3, "住院病人费用清单", "病人姓名：李四 住院号：5550001", "行号 收费项目 金额"),
        page(4, *header, "第1页 共1页"),
        page(5, "住院费用汇总明细清单", "病人姓名：张三 住院号：9140012"),
    ]
    classes = [cls(DocType.expense_list)] * 5
    assert shape(separate(pages, classes, EXPENSE_TITLES)) == [
        ("expense_list", [1, 2]),
        ("expense_list", [3]),
        ("expense_list", [4]),
        ("expense_list", [5]),
    ]
