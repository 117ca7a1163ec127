"""A stay or a list's period named by a range word (时段, 起止), a grade printed as a code column (类别码) and
rows numbered under 行号, rows whose figures disagree on a list part with no total, a copy's use mark
(仅限医保报销使用) read into a value, and a card's authority that is no public-security organ, on constructed
OCR lines (issue 28)."""

from __future__ import annotations

from extractors.extract import mark_at_end, marked_by_copy, wrapped_row_short
from extractors.layout import load_field_rules
from intake.models import DocType, Side
from intake.reasons import Code
from tests.factories import extracted, failed, line

THRESHOLD = 0.8  # settings.min_field_confidence: below it a clerk looks


def test_a_stay_printed_as_one_range_after_a_span_word_gives_both_ends() -> None:
    """GIVEN a bill printing the stay once, 住院时段：2025.06.09-2025.06.13 (dots, a hyphen), and no 入院/出院
    label THEN both ends are read, surely."""
    fields, _ = extracted(
        DocType.invoice,
        line("医疗住院收费票据", 900, 100),
        line("姓名：王小明", 300, 300),
        line("住院时段：2025.06.09-2025.06.13", 700, 300),
    )
    assert (fields["admission_date"].value, fields["discharge_date"].value) == ("2025-06-09", "2025-06-13")
    assert min(fields["admission_date"].confidence, fields["discharge_date"].confidence) >= THRESHOLD


def test_a_lists_period_after_qizhi_gives_both_ends() -> None:
    """GIVEN a list printing its period as 费用起止：2025/05/06-2025/05/09 THEN its start and end are read."""
    fields, _ = extracted(
        DocType.expense_list,
        line("杭州市第一人民医院", 700, 100),
        line("病区费用清单", 760, 180),
        line("姓名：王小明", 150, 280),
        line("费用起止：2025/05/06-2025/05/09", 150, 350, w=600),
    )
    assert (fields["period_start"].value, fields["period_end"].value) == ("2025-05-06", "2025-05-09")


CODED_LIST = (
    line("杭州市第一人民医院", 700, 100),
    line("住院病人费用清单", 740, 180),
    line("病人姓名：王小明", 150, 280),
    line("行号", 150, 420),
    line("收费项目", 260, 420),
    line("费用类别", 900, 420),
    line("类别码", 1210, 420),
    line("单价", 1510, 420),
    line("数量", 1690, 420),
    line("金额", 2040, 420),
)


def _coded_row(y: float, seq: str, name: str, category: str, code: str, price: str, count: str, amount: str) -> list:
    return [
        line(seq, 170, y),
        line(name, 260, y),
        line(category, 900, y),
        line(code, 1270, y),
        line(price, 1510, y),
        line(count, 1760, y),
        line(amount, 2030, y),
    ]


def test_a_grade_code_column_and_row_numbers_stay_out_of_the_price_and_the_name() -> None:
    """GIVEN a list whose rows are numbered under 行号 (continuing from an earlier page: 11, 12) and whose grade
    is a code under 类别码 (1, 2) standing between the class and the unit price THEN each code stays out of
    the price (40.74, not 140.74) and each number out of the name, and the rows sum to the total."""
    fields, checks = extracted(
        DocType.expense_list,
        *CODED_LIST,
        *_coded_row(500, "11", "一级护理", "护理费", "1", "40.74", "8", "325.92"),
        *_coded_row(570, "12", "静脉输液", "治疗费", "2", "8.12", "1", "8.12"),
        line("费用总计：334.04", 150, 700),
        width=2400,
    )
    items = fields["items"].value
    assert [i["name"] for i in items] == ["一级护理", "静脉输液"]
    assert [i["unit_price"] for i in items] == ["40.74", "8.12"]
    assert not failed(checks, Code.expense_items_sum)


def test_rows_with_no_total_read_fail_the_check_naming_a_row_that_disagrees() -> None:
    """GIVEN a list's part with no total read, one row's count × unit price not its amount THEN the sum check
    fails naming the items and that row: rows nothing bears out are not passed for want of a total."""
    fields, checks = extracted(
        DocType.expense_list,
        line("杭州市第一人民医院", 700, 100),
        line("费用清单", 760, 180),
        line("姓名：王小明", 150, 280),
        line("序号", 150, 420),
        line("项目名称", 260, 420),
        line("单价", 1200, 420),
        line("数量", 1450, 420),
        line("金额", 1700, 420),
        line("1", 150, 500),
        line("一级护理", 260, 500),
        line("140.74", 1200, 500),
        line("8", 1470, 500),
        line("325.92", 1700, 500),
    )
    assert "total_amount" not in fields
    assert any("items" in named for named in failed(checks, Code.expense_items_sum))
    assert any("数量×单价不符的行：1" in c.message for c in checks if c.code == Code.expense_items_sum)


def test_a_copy_mark_is_known_cut_at_either_end() -> None:
    """A value holding a use mark's words, whole or cut by the tiling (限医保报销使用他用无效), is marked; an
    address or an authority holding none is not."""
    marks = load_field_rules().copy_marks
    assert marked_by_copy("仅限医保报销使用", marks)
    assert marked_by_copy("保报销使用他用无效2025", marks)
    assert marked_by_copy("浙江省温州市鹿城区人民路200号仅限医保报", marks)
    assert not marked_by_copy("浙江省温州市鹿城区人民路200号", marks)
    assert not marked_by_copy("杭州市公安局西湖分局", marks)


def test_a_watermarks_words_are_no_sure_address() -> None:
    """GIVEN a card front whose 住址 is covered by a tiled use mark, read on the address's line THEN no address
    passes as sure: none, or one below the threshold."""
    fields, _ = extracted(
        DocType.id_card,
        line("姓名", 230, 350),
        line("王小明", 340, 340),
        line("住址", 230, 610),
        line("仅限医保报销使用仅限医保报", 340, 600),
        side=Side.front,
        width=1400,
        height=1000,
    )
    assert "address" not in fields or fields["address"].confidence < THRESHOLD


def test_an_authority_that_is_no_public_security_organ_is_unsure() -> None:
    """GIVEN a card back whose 签发机关 reads the card's title 居民身份证 (the name itself lost under a mark)
    THEN the authority is kept below the threshold: the issuing authority is a 公安局 or its 分局."""
    fields, _ = extracted(
        DocType.id_card,
        line("签发机关", 300, 610),
        line("居民身份证", 520, 610),
        line("有效期限", 300, 700),
        line("2016.07.02-2036.07.02", 520, 700),
        side=Side.back,
        width=1300,
        height=1000,
    )
    assert "issuing_authority" not in fields or fields["issuing_authority"].confidence < THRESHOLD


def _card_front(*address_rows: str) -> list:
    rows = [line("住址", 230, 610), line(address_rows[0], 340, 600)]
    rows += [line(text, 340, 660 + 60 * k) for k, text in enumerate(address_rows[1:])]
    return [line("姓名", 230, 350), line("王小明", 340, 340), *rows]


def test_a_wrapped_address_row_of_hanzi_shorter_than_another_full_row_is_unsure() -> None:
    """GIVEN a card's address wrapped over three rows, its first row (汉字 only) read a character shorter
    than the second full row (一 of 文一西路 lost) THEN the address is below the threshold; read whole, it
    is sure."""
    short, _ = extracted(
        DocType.id_card, *_card_front("浙江省杭州市余杭区文", "西路271号27幢4单", "元812室"), side=Side.front
    )
    whole, _ = extracted(
        DocType.id_card, *_card_front("浙江省杭州市余杭区文一", "西路271号27幢4单", "元812室"), side=Side.front
    )
    assert short["address"].value == "浙江省杭州市余杭区文西路271号27幢4单元812室"
    assert short["address"].confidence < THRESHOLD
    assert whole["address"].value == "浙江省杭州市余杭区文一西路271号27幢4单元812室"
    assert whole["address"].confidence >= THRESHOLD


def test_only_a_full_row_of_hanzi_shorter_than_another_full_row_is_short() -> None:
    """Rows before the last are compared: a row holding digits may hold more characters than one of 汉字
    only (a card breaking rows by width), never fewer; the last row holds what is left."""
    assert wrapped_row_short(["浙江省杭州市余杭区文", "西路271号27幢4单", "元812室"])
    assert not wrapped_row_short(["浙江省杭州市余杭区文一", "西路271号27幢4单", "元812室"])
    assert not wrapped_row_short(["浙江省杭州市余杭区文一", "西路271号27幢4", "单元812室"])  # a row by width
    assert not wrapped_row_short(["浙江省杭州市余杭区文一", "西路"])  # one full row: nothing to compare
    assert not wrapped_row_short(["河南省南阳市镇平县建设", "大道12号"])


def test_a_value_ending_in_a_letter_of_a_tiled_use_mark_is_unsure() -> None:
    """GIVEN a card front a use mark is tiled over (仅限医保报销使用 read on a line of it), whose name was read
    with the mark's 用 run into its end THEN the name is below the threshold; on a card bearing no mark, the
    same reading stands."""
    card = [
        line("姓名", 230, 350),
        line("韦浩用", 340, 340),
        line("住址", 230, 610),
        line("浙江省杭州市上城区望江路3号", 340, 600),
    ]
    marked, _ = extracted(DocType.id_card, *card, line("仅限医保报销使用", 900, 800), side=Side.front)
    plain, _ = extracted(DocType.id_card, *card, side=Side.front)
    assert marked["name"].confidence < THRESHOLD
    assert plain["name"].confidence >= THRESHOLD
    marks = load_field_rules().copy_marks
    assert mark_at_end("韦浩用", marks) and mark_at_end("效王明", marks)
    assert not mark_at_end("王保国", marks)


def test_a_card_fronts_sex_ethnicity_and_address_are_read_where_their_labels_are_lost() -> None:
    """GIVEN a card front whose 性别, 民族 and 住址 labels were lost under a watermark, their values read alone
    THEN the one line that is 男 or 女 is the sex, the one that is an ethnicity the ethnicity, and the one
    opening with a province the address, run on over the row below it."""
    fields, _ = extracted(
        DocType.id_card,
        line("姓名", 230, 350),
        line("王小明", 340, 340),
        line("男", 340, 420),
        line("汉", 600, 420),
        line("浙江省宁波市海曙区灵桥", 340, 600),
        line("路41号", 340, 660),
        side=Side.front,
    )
    assert (fields["sex"].value, fields["ethnicity"].value) == ("男", "汉")
    assert fields["address"].value == "浙江省宁波市海曙区灵桥路41号"


def test_an_address_row_drawn_tall_still_runs_on_over_the_row_under_it() -> None:
    """GIVEN an address whose first row's box was drawn tall (a watermark's stroke joined to it), reaching
    over the middle of the row under it THEN that row, standing under it, is still the address's next row."""
    fields, _ = extracted(
        DocType.id_card,
        line("姓名", 230, 350),
        line("王小明", 340, 340),
        line("住址", 230, 610),
        line("浙江省温州市鹿城区人民", 340, 600, h=130),
        line("路200号", 330, 665, h=75),
        side=Side.front,
    )
    assert fields["address"].value == "浙江省温州市鹿城区人民路200号"
