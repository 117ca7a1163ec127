"""Extraction on constructed lines (issue 28): a card lying on printed matter is levelled and bounded by its
own text, a line lost in reading flags the fields it may hold, a label whose last character was lost still
labels its value, a value read from a line a copy's use mark crosses is doubtful, and a short name left of
a wide name column is no code."""

from __future__ import annotations

import numpy as np

from extractors.extract import under_first_row, unread_line
from extractors.layout import FieldRule, find_value, last_lost_heads, located_lines, own_lines
from extractors.layout import _levelled as levelled
from intake.models import DocType, OcrLine, Side
from intake.reasons import Code
from tests.factories import extracted, failed, line, page_of

THRESHOLD = 0.8


def slanted(text: str, x: float, y: float, degrees: float) -> OcrLine:
    """A line whose box rises `degrees` to the right."""
    w, h = 30 * len(text), 30
    dx, dy = np.cos(np.radians(degrees)), -np.sin(np.radians(degrees))
    corners = [(x, y), (x + w * dx, y + w * dy), (x + w * dx - h * dy, y + w * dy + h * dx), (x - h * dy, y + h * dx)]
    return OcrLine(text=text, confidence=0.99, polygon=corners)


def newsprint(degrees: float, count: int = 12) -> list[OcrLine]:
    """Columns of a newspaper's small text round a card, every line at the paper's own angle."""
    return [slanted("新闻报道正文段落文字", 1200 + 40 * (k % 2), 100 + 90 * k, degrees) for k in range(count)]


def test_a_card_on_a_newspaper_is_levelled_by_its_own_label_lines() -> None:
    """GIVEN a card's back lying level on a newspaper whose many lines rise 12° THEN the card's lines stay
    level (their labels' slant, not the print's), and each value is read beside its label."""
    card = [
        line("签发机关", 400, 600, h=30),
        line("杭州市公安局余杭分局", 560, 600, h=30),
        line("有效期限", 400, 680, h=30),
        line("2023.07.21-2033.07.21", 560, 680, h=30),
    ]
    fields, _ = extracted(DocType.id_card, *card, *newsprint(12.0), side=Side.back)
    assert fields["issuing_authority"].value == "杭州市公安局余杭分局"
    assert fields["issuing_authority"].confidence >= THRESHOLD
    assert (fields["valid_from"].value, fields["valid_to"].value) == ("2023-07-21", "2033-07-21")


def test_own_label_lines_give_the_slant_only_when_two_are_found() -> None:
    """GIVEN one label line among print rising 12° THEN the print's slant levels the page as before; GIVEN two
    THEN theirs."""
    print_lines = newsprint(12.0)
    one = [line("签发机关", 400, 600, h=30), *print_lines]
    two = [line("签发机关", 400, 600, h=30), line("有效期限", 400, 680, h=30), *print_lines]
    assert own_lines(one, frozenset({"签发机关", "有效期限"})) == []
    assert own_lines(two, frozenset({"签发机关", "有效期限"})) == [0, 1]
    corners = [np.asarray(ln.polygon) for ln in two]
    kept = levelled(corners, [0, 1])
    assert np.allclose(kept[0], corners[0])
    turned = levelled(corners)
    assert not np.allclose(turned[0], corners[0])


def test_located_lines_without_labels_level_as_before() -> None:
    page = page_of([slanted("住院费用明细清单", 100, 100, 5.0), slanted("姓名：张三", 100, 200, 5.0)])
    assert located_lines([page]) == located_lines([page], frozenset())


def test_text_right_of_an_addresss_first_row_is_not_its_next_row() -> None:
    """GIVEN a card front whose 住址 wraps over two rows, and a newspaper's line starting right of the first
    row's end, a little lower THEN the address is its two rows, without the print."""
    fields, _ = extracted(
        DocType.id_card,
        line("姓名", 100, 100),
        line("张三", 220, 100),
        line("住址", 100, 300),
        line("浙江省杭州市西湖区文三", 220, 300),
        line("新闻报道正文段落", 620, 330),
        line("路100号", 220, 345),
        line("公民身份号码", 100, 500),
        line("330106199001011234", 320, 500),
        side=Side.front,
    )
    assert fields["address"].value == "浙江省杭州市西湖区文三路100号"


def test_under_first_row() -> None:
    assert under_first_row((220, 345, 400, 375), (220, 300, 550, 330))
    assert not under_first_row((620, 330, 860, 360), (220, 300, 550, 330))


def test_a_line_read_as_a_few_signs_is_a_lost_line() -> None:
    """GIVEN a line some thirty characters wide read as ：44： unsure THEN it is a line lost in reading; GIVEN
    a line read whole, or a short unsure one, THEN not."""
    lost = line("：44：", 200, 400, w=1360, h=50, confidence=0.6)
    whole = line("费用日期：2025年4月15日至2025年4月25日", 200, 400, w=1360, h=50, confidence=0.6)
    short = line("：4", 200, 400, w=200, h=50, confidence=0.6)
    sure = line("：44：", 200, 400, w=1360, h=50, confidence=0.95)
    assert unread_line(located_lines([page_of([lost])]))
    assert not any(unread_line(located_lines([page_of([ln])])) for ln in (whole, short, sure))


def test_a_list_whose_period_line_was_lost_flags_the_period() -> None:
    """GIVEN an expense list whose 费用日期 line was read as ：44： THEN period_start and period_end, not read,
    are named by failed field_unread checks (never a silent gap); GIVEN the list without that line THEN not."""
    head = [
        line("浙江大学医学院附属第二医院", 800, 140),
        line("患者费用明细单", 980, 250),
        line("姓名：孙芳伟 住院号：76533427", 220, 360),
        line("合计：100.00", 220, 1200),
    ]
    _, lost = extracted(DocType.expense_list, *head, line("：44：", 220, 430, w=1360, h=50, confidence=0.6))
    _, clean = extracted(DocType.expense_list, *head)
    assert ["period_start"] in failed(lost, Code.field_unread)
    assert ["period_end"] in failed(lost, Code.field_unread)
    assert failed(clean, Code.field_unread) == []


def test_a_label_less_its_lost_last_character_still_labels_its_value() -> None:
    """GIVEN 校验：ac5717 (码 lost where a tear crosses it) THEN the check code is read, below any clerk
    threshold; a head another label opens with is never taken."""
    fields, _ = extracted(DocType.invoice, line("票据号码：0062814143", 1780, 335), line("校验：ac5717", 1780, 380))
    assert fields["check_code"].value == "ac5717"
    assert fields["check_code"].confidence < THRESHOLD
    assert last_lost_heads(["校验码"], []) == ["校验:"]
    assert last_lost_heads(["校验码"], ["校验日期"]) == []
    assert last_lost_heads(["日期"], []) == []


def test_find_value_takes_the_lost_last_head_only_at_a_lines_start() -> None:
    rule = FieldRule(labels=["校验码"], pattern="[0-9A-Za-z]{4,10}")
    lines = located_lines([page_of([line("备注校验:ab12cd", 100, 100)])])
    assert find_value(lines, rule, [], accept=None) is None


def test_a_value_read_from_a_line_a_use_mark_crosses_is_doubtful() -> None:
    """GIVEN a card back with 他用无效 tiled over it, the line beside 有效期限 holding the mark and a date THEN
    the date is below any clerk threshold: it may be the watermark's, not the card's."""
    fields, _ = extracted(
        DocType.id_card,
        line("签发机关", 400, 600),
        line("宁波市公安局海曙分局", 560, 600),
        line("有效期限", 400, 680),
        line("使用他用无效2025.06.20", 560, 680),
        side=Side.back,
    )
    assert fields["valid_from"].confidence < THRESHOLD


def test_a_short_name_nearer_the_code_columns_centre_is_the_items_name() -> None:
    """GIVEN a list whose wide 项目名称 column prints names from its left edge, one name (诊查费) standing nearer
    the centre of the 项目编码 column left of it THEN it is the item's name, not part of its code."""
    rows = [
        line("序号", 150, 600, w=100),
        line("项目编码", 300, 600, w=150),
        line("项目名称", 680, 600, w=140),
        line("数量", 1350, 600, w=100),
        line("单价", 1530, 600, w=100),
        line("金额", 1740, 600, w=100),
        line("1", 180, 690, w=40),
        line("357052196", 250, 690, w=185),
        line("诊查费", 486, 690, w=140),
        line("14.00", 1360, 690, w=120),
        line("18.62", 1557, 690, w=120),
        line("260.68", 1758, 690, w=140),
        line("合计：260.68", 150, 800),
    ]
    fields, _ = extracted(DocType.expense_list, *rows)
    assert [item["name"] for item in fields["items"].value] == ["诊查费"]
