"""The place an institution's name opens with, checked against the administrative divisions: mended where
one division is certain, sent to a clerk where none or several are, left alone where read surely."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.extract import extract_document
from extractors.places import check_place, division_names, place_lost_character, region_names
from intake.models import DocType, Document, OcrLine, Page, Side


def sure(value: str) -> list[float]:
    return [1.0] * len(value)


def doubting(value: str, at: int, confidence: float = 0.5) -> list[float]:
    chars = sure(value)
    chars[at] = confidence
    return chars


def test_the_division_list_holds_every_level() -> None:
    names = division_names()
    for name in ("浙江省", "天津市", "杭州市", "哈尔滨市", "乌鲁木齐市", "义乌市", "余杭区", "镇平县", "津市市"):
        assert name in names
    assert len(names) > 3000


@pytest.mark.parametrize(
    ("read", "at", "meant"),
    [
        ("杭洲市第一人民医院", 1, "杭州市第一人民医院"),
        ("丁波市第二医院", 0, "宁波市第二医院"),
        ("浙汀省人民医院", 1, "浙江省人民医院"),
        ("哈尔宾市第五医院", 2, "哈尔滨市第五医院"),
    ],
)
def test_a_place_misread_at_its_unsure_character_is_mended_when_one_division_is_meant(
    read: str, at: int, meant: str
) -> None:
    got = check_place(read, doubting(read, at))
    assert (got.value, got.mended, got.doubtful) == (meant, True, False)


@pytest.mark.parametrize(
    ("read", "at"),
    [
        ("汉津市急救中心", 0),  # 天津市 or 河津市 (a county-level city in Shanxi)
        ("温洲市人民医院", 1),  # 温州市 or 温岭市
        ("抚须市中心医院", 1),  # 抚顺市, 抚州市 or 抚远市
    ],
)
def test_a_place_several_divisions_could_be_goes_to_a_clerk(read: str, at: int) -> None:
    got = check_place(read, doubting(read, at))
    assert (got.value, got.mended, got.doubtful) == (read, False, True)


@pytest.mark.parametrize("read", ["汉津市急救中心", "杭洲市第一人民医院"])
def test_a_place_read_surely_one_character_from_a_division_goes_to_a_clerk_unmended(read: str) -> None:
    """GIVEN a place every character of which was read surely, that is no division but one character from
    one THEN it is kept as read (nothing says which character is wrong) and flagged."""
    got = check_place(read, sure(read))
    assert (got.value, got.mended, got.doubtful) == (read, False, True)


def test_a_place_no_division_is_near_goes_to_a_clerk() -> None:
    got = check_place("甲乙市第一医院", doubting("甲乙市第一医院", 1))
    assert (got.mended, got.doubtful) == (False, True)


@pytest.mark.parametrize(
    ("read", "chars"),
    [
        ("北部战区总医院", sure("北部战区总医院")),  # no division, read surely: left as read
        ("北部战区总医院", doubting("北部战区总医院", 5)),  # the unsure character is not in the place
        ("浙江大学医学院附属第二医院", doubting("浙江大学医学院附属第二医院", 1)),  # no place marker
        ("天津市急救中心", doubting("天津市急救中心", 0)),  # a division, however unsure
        ("杭洲市第一人民医院", None),  # no character confidences
    ],
)
def test_what_is_left_as_read(read: str, chars: list[float] | None) -> None:
    got = check_place(read, chars)
    assert (got.value, got.mended, got.doubtful) == (read, False, False)


def test_an_invoice_payee_s_place_is_mended_or_flagged_with_its_code() -> None:
    """GIVEN invoices whose payee line was read with one unsure character in its place WHEN extracted THEN
    the one a single division fits is mended and marked repaired, the other is kept and flagged below the
    clerk threshold with `place_name_known`."""

    def payee(read: str, at: int) -> tuple[object, bool, float, list[str]]:
        text = f"收款单位：{read}"
        chars = doubting(text, len("收款单位：") + at)
        line = OcrLine(
            text=text, confidence=0.93, char_confidences=chars, polygon=[(100, 900), (700, 900), (700, 930), (100, 930)]
        )
        page = Page(source="t.jpg", page=1, width=2000, height=2800, lines=[line])
        doc = Document(source="t.jpg", pages=[1], doc_type=DocType.invoice)
        fields, checks = extract_document(doc, [page], dt.date(2025, 6, 1))
        found = fields["payee"]
        # A one-line bill prints no code, number or total: their field_missing checks are not the point.
        return (
            found.value,
            found.repaired,
            found.confidence,
            [c.code for c in checks if not c.ok and c.code != "field_missing"],
        )

    value, repaired, confidence, failed = payee("杭洲市第一人民医院", 1)
    assert (value, repaired, failed) == ("杭州市第一人民医院", True, [])
    assert confidence == pytest.approx(0.93 * 0.9)
    value, repaired, confidence, failed = payee("汉津市急救中心", 0)
    assert (value, repaired, failed) == ("汉津市急救中心", False, ["place_name_known"])
    assert confidence < 0.8


def test_a_place_printed_elsewhere_on_the_document_mends_a_sure_misreading() -> None:
    """GIVEN a payee read surely as 汉津市急救中心 on a bill whose title prints 天津市 THEN it is 天津市急救中心
    (the page's own print of the place bears it out); with no such print it stays as read."""
    sure = (0.99,) * len("汉津市急救中心")
    mended = check_place("汉津市急救中心", sure, "天津市医疗门诊收费票据（电子）汉津市急救中心")
    assert (mended.value, mended.mended) == ("天津市急救中心", True)
    assert check_place("汉津市急救中心", sure, "医疗门诊收费票据").value == "汉津市急救中心"


@pytest.mark.parametrize(
    ("address", "lost"),
    [
        ("浙江省杭州市余杭区文一西路1号", False),
        ("浙江省杭州市余区文一西路1号", True),  # 杭 of 余杭区 lost
        ("浙江省杭州余杭区文一西路1号", True),  # 市 of 杭州市 lost
        ("浙省杭州市余杭区文一西路1号", True),
        ("浙江省杭州市西湖区余杭塘路1号", False),  # a street further on, not the district
        ("上海市浦东新区世纪大道1号", False),  # registered elsewhere: no sign of anything
    ],
)
def test_a_division_the_id_number_names_read_with_a_character_lost_is_found(address: str, lost: bool) -> None:
    """An address is written with its divisions' full names: the one its holder's ID number names (330110:
    浙江省 杭州市 余杭区) standing in its head with a character lost is a character the reading dropped."""
    names = region_names("330110197110289439")
    assert names == ["浙江省", "杭州市", "余杭区"]
    assert place_lost_character(address, names) is lost


def test_a_card_address_missing_a_character_of_its_district_is_unsure() -> None:
    """GIVEN a card front whose address lost 杭 of 余杭区, and whose ID number (valid) names 余杭区 THEN the
    address is below the clerk threshold."""
    lines = [
        OcrLine(text="姓名王小明", confidence=0.99, polygon=[(230, 340), (530, 340), (530, 380), (230, 380)]),
        OcrLine(
            text="住址浙江省杭州市余区文三路1号",
            confidence=0.99,
            polygon=[(230, 600), (830, 600), (830, 640), (230, 640)],
        ),
        OcrLine(
            text="公民身份号码330110197110289439",
            confidence=0.99,
            polygon=[(230, 800), (1130, 800), (1130, 840), (230, 840)],
        ),
    ]
    page = Page(source="t.jpg", page=1, width=1400, height=1000, lines=lines)
    document = Document(source="t.jpg", pages=[1], doc_type=DocType.id_card, side=Side.front)
    fields, _ = extract_document(document, [page], dt.date(2025, 6, 20))
    assert fields["address"].value == "浙江省杭州市余区文三路1号"
    assert fields["address"].confidence < 0.8
