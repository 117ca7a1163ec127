"""Splitting the pages of one file into documents.

A new title starts a new document; a page that says it continues (第2页/共2页, P.2/2 in a fax header,
Page 2 of 2, a footer - 2 -, a title marked 续, a repeated table header without a title, a table running on
with no header at all, the same type repeating the page before's title and 住院号) stays with the one before; an ID
card's front and back belong together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.doc_type import PageClass
from intake.models import DocType, Page

MULTI_PAGE_TYPES = {
    DocType.expense_list,
    DocType.discharge_record,
    DocType.medical_record,
    DocType.filing_form,
    DocType.household_register,
    DocType.hospital_certificate,
}
_PAGE_OF = re.compile(r"第\s*(\d+)\s*页\s*[/，,]?\s*共\s*(\d+)\s*页")
_PAGE_N = re.compile(r"第\s*(\d+)\s*页")
# A page number printed as n/m on a line of its own (a list's footer 2/2; a fraction in a table cell
# stands beside other cells, not alone on its line, and a count of pages stays small).
_PAGE_SLASH = re.compile(r"(?:第|页码[:：]?)?\s*(\d{1,2})\s*/\s*(\d{1,2})\s*页?")
# A page mark a fax machine or a printer adds in Latin letters: P.1/2, P1/2, Pg 1/2, Page 1 of 2 (read on
# the text without spaces; the P standing apart from a word before it, the count ending there).
_PAGE_LATIN = re.compile(r"(?<![A-Za-z])(?:P|Pg|Page)\.?(\d{1,2})(?:/|of)(\d{1,2})(?!\d)", re.IGNORECASE)
# A page number printed alone between dashes at the foot of a page (- 2 -, —3—): a word processor's and a
# hospital system's usual footer; a line of its own holding nothing else, so no amount or date is taken.
_PAGE_DASH = re.compile(r"[-–—]\s*(\d{1,2})\s*[-–—]")
# The number of one hospital stay (住院号, 住院号码, 病案号 as a list or record prints it in its header), its
# value at least five characters: a multi-page document repeats it on every page.
_STAY_NUMBER = re.compile(r"(?:住院号码?|病案号|住院编号)[:：]?([0-9A-Za-z]{5,})")
# A title marked as running on (出院记录（续）, 费用清单 续页): the page continues, it does not open.
_RUNS_ON = re.compile(r"^[（(【\[]?续")


@dataclass
class PageGroup:
    pages: list[Page]
    classes: list[PageClass]


def page_number(page: Page) -> tuple[int, int] | None:
    """(n, of) from a printed 第n页/共m页 or a line n/m, when the page carries one; of = 0 when only 第n页
    was read (OCR may garble the 共m页 half: 第2页12页)."""
    text = page.text.replace(" ", "")
    match = _PAGE_OF.search(text)
    if match:
        return int(match.group(1)), int(match.group(2))
    single = _PAGE_N.search(text)
    if single:
        return int(single.group(1)), 0
    for latin in _PAGE_LATIN.finditer(text):
        if 1 <= int(latin.group(1)) <= int(latin.group(2)):
            return int(latin.group(1)), int(latin.group(2))
    for line in page.lines:
        slash = _PAGE_SLASH.fullmatch(line.text.strip())
        if slash and 1 <= int(slash.group(1)) <= int(slash.group(2)):
            return int(slash.group(1)), int(slash.group(2))
    for line in page.lines:
        dash = _PAGE_DASH.fullmatch(line.text.strip())
        if dash and int(dash.group(1)) >= 1:
            return int(dash.group(1)), 0
    return None


def stay_numbers(page: Page) -> set[str]:
    """The hospital-stay numbers (住院号, 病案号) the page prints in a label's field."""
    return {m.group(1).upper() for m in _STAY_NUMBER.finditer(page.text.replace(" ", ""))}


def title_lines(page: Page, words: list[str]) -> set[str]:
    """The page's lines (without spaces) that hold one of its type's title words."""
    lines = {line.text.replace(" ", "") for line in page.lines}
    return {line for line in lines if any(word in line for word in words)}


def same_stay(previous: Page, page: Page, words: list[str]) -> bool:
    """Whether `page` repeats the header of `previous`: a title line of its type (`words`) as `previous` prints
    it and a hospital-stay number `previous` prints too, without saying it is a first page. A hospital's list
    or record prints its whole header (title, patient, 住院号) on every page, so the same title with the same
    stay's number is the same document running on; another document of that stay is titled otherwise (a
    汇总清单 beside a 明细清单) or of another type, and one printed anew says it starts at its page 1."""
    numbered = page_number(page)
    if numbered is not None and numbered[0] == 1:
        return False
    return bool(title_lines(previous, words) & title_lines(page, words)) and bool(
        stay_numbers(previous) & stay_numbers(page)
    )


def opens(word: str, text: str) -> bool:
    """Whether the title `word` stands in `text` as a document's opening title, not marked as running on
    (出院记录（续）)."""
    start = text.find(word)
    while start >= 0:
        if not _RUNS_ON.match(text[start + len(word) :]):
            return True
        start = text.find(word, start + 1)
    return False


def next_of(previous: Page, page: Page) -> bool:
    """Whether `page` is where the page-of-n mark of `previous` says the document goes on: `previous` reads
    k/n with k < n, and `page` reads k+1/n or no mark at all (a fax header cut off, a footer not read)."""
    before, now = page_number(previous), page_number(page)
    if not before or not 1 <= before[0] < before[1]:
        return False
    return now is None or now == (before[0] + 1, before[1])


def continues(previous: PageGroup, page: Page, cls: PageClass, titles: dict[DocType, list[str]]) -> bool:
    """Whether `page` is the next page of the document `previous` holds rather than a new one."""
    first = previous.classes[0]
    numbered = page_number(page)
    if numbered and numbered[0] > 1 and (cls.doc_type in (first.doc_type, DocType.other)):
        return True
    # The page before said more pages follow (P.1/2) and this one is the next (P.2/2, or carries no mark): one
    # document runs on until n, unless the page is surely another type (a fax numbers all it sends at once).
    if next_of(previous.pages[-1], page) and (cls.unsure or cls.doc_type in (first.doc_type, DocType.other)):
        return True
    if first.doc_type is DocType.id_card and cls.doc_type is DocType.id_card:
        sides = {c.side for c in previous.classes}
        return len(previous.pages) == 1 and cls.side not in sides
    if first.doc_type not in MULTI_PAGE_TYPES or not page.lines:
        return False
    own_titles = titles.get(first.doc_type, [])
    if cls.doc_type is first.doc_type and same_stay(previous.pages[-1], page, own_titles):
        return True
    # An untitled page after a multi-page document is its next page, not a new document: either nothing
    # on it names a type (a table running on without its header), or it reads as the same type only by
    # what every page of it repeats (the table header, 住院号) while the title a new document opens with
    # is missing. A page that prints the title starts a new document.
    if cls.doc_type is DocType.other:
        return True
    text = page.text.replace(" ", "")
    return cls.doc_type is first.doc_type and bool(own_titles) and not any(opens(word, text) for word in own_titles)


def separate(
    pages: list[Page], classes: list[PageClass], titles: dict[DocType, list[str]] | None = None
) -> list[PageGroup]:
    """Consecutive pages grouped into documents; `titles`: the words that open a document of a type
    (`DocTypeRules.titles`), without which a same-type page continues the one before."""
    groups: list[PageGroup] = []
    for page, cls in zip(pages, classes, strict=True):
        if groups and continues(groups[-1], page, cls, titles or {}):
            groups[-1].pages.append(page)
            groups[-1].classes.append(cls)
        else:
            groups.append(PageGroup(pages=[page], classes=[cls]))
    return groups
