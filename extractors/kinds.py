"""Field kinds: one registered parser per kind a field rule may name (`rules/fields.yaml`).

A kind says how a field's value is read. Most kinds are value parsers: the layout search
(`layout.find_value`) finds the text at a field's label, and the kind's `parse` turns that text into
the normalised value with how well it fitted. Three kinds read the whole document instead
(`keyword_map`: which label is printed; `presence`: whether something is written at a label; `choice`:
which option of a row is ticked): they register a `read`. A kind also says what a candidate text must
hold to be taken (`accept`) and where its value stands relative to its label (`whole_line`,
`beside_after_colon`), so neither the search nor the extractor branches on kind names.

The rules file is validated against this registry when it is loaded (`layout.FieldRule`): a field
naming an unknown kind is a load error, not a surprise in the middle of a batch. Modelled on
invoice2data's parsers registry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.normalize import (
    NAME_JOINERS,
    NEGATIVE_MARK,
    NUMERAL_DATE,
    normalize_id_number,
    normalize_name,
    parse_amount,
    parse_date,
    parse_upper_amount,
    parse_year_month,
    plain_minus,
    roman_to_latin,
    single_brackets,
    tnm_digits,
    to_halfwidth,
    to_simplified,
)
from intake.models import ExtractedField

if TYPE_CHECKING:
    from extractors.layout import FieldRule, Hit, Located, Vocabulary

# A date in digits, or in Chinese numerals (二〇二五年四月十五日: normalize.NUMERAL_DATE; parse_date reads both).
DATE = re.compile(r"\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?|(?:19|20)\d{6}|" + NUMERAL_DATE.pattern)
# A date printed with a two-digit year (25-6-3, 25.06.03, 25/6/3), as a ward's or a counter's system
# prints it: the same separator twice (`short_dates` reads it where it stands apart). Its century is not
# printed: it is read as this century's and settled against the case (extract `_short_years_settled`).
SHORT_DATE = re.compile(r"(?<!\d)(\d{2})\s*(?P<sep>[.\-/])\s*(\d{1,2})\s*(?P=sep)\s*(\d{1,2})(?!\d)")
# A date, or a year and month without the day (anonymised records): never an amount like 2019.11.
DATE_OR_MONTH = re.compile(DATE.pattern + r"|(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月|[-/]\s*\d{1,2})")
# An amount, signed on a red-letter or refund bill (-123.45, 负123.45; other minus signs made ASCII first).
AMOUNT = re.compile(r"(?:-|负数?)?\d[\d,]*\.\d{1,2}|(?:-|负数?)?\d[\d,]*")
# 18 characters, or a first-generation number of 15 digits standing alone (not the first 15 of a longer
# run: a number that lost digits in reading is no old one).
ID_NUMBER = re.compile(r"\d{17}[\dXx]|(?<![\dXx])\d{15}(?![\dXx])")
# The traditional forms of 大写 numerals (a bill's printer or the recogniser may give either): 參 and its
# simplified 参 are the 大写 of three, as 叁 is.
UPPER_VARIANTS = str.maketrans({"參": "叁", "参": "叁", "貳": "贰", "陸": "陆", "萬": "万", "億": "亿", "兩": "两"})
UPPER = re.compile(r"负?[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正两]{2,}")
# A name: Chinese characters, or parts of them joined by an interpunct read in any of its forms
# (normalize.NAME_JOINERS; 艾合买提江·买买提明 runs past any Han name's length).
NAME = re.compile(
    rf"[\u4e00-\u9fa5]{{1,10}}(?:\s?[{re.escape(NAME_JOINERS)}]\s?[\u4e00-\u9fa5]{{1,10}})+|[\u4e00-\u9fa5]{{2,}}"
)
# The most characters a name without an interpunct has (a Han name has two to four, a compound surname and
# a long given name a few more).
NAME_MAX = 8
# A date without its day is kept but below min_field_confidence (0.8): it goes to a clerk.
PARTIAL_DATE_CONFIDENCE = 0.7
# Punctuation a text value never starts or ends with (出院诊断，… read with a comma for the colon; a
# diagnosis closed with 。).
EDGE = " :：,，.。;；、"

# A normalised value (None: nothing of the kind in the text) and how well the text fitted the kind
# (1.0 exact, lower when loose).
Parsed = tuple[object | None, float]
ValueParser = Callable[[str, "FieldRule", Mapping[str, "Vocabulary"]], Parsed]
# The layout search a document reader may use: the value at `rule`'s labels that `accept` takes.
# The layout search at a rule's labels; `in_cell`: failing it, the line right of a label that stands at
# the middle of a tall cell, between the lines of its value (layout.beside_in_cell).
Finder = Callable[["FieldRule", re.Pattern[str] | None, bool], "Hit | None"]
DocumentReader = Callable[[Sequence["Located"], "FieldRule", Finder], ExtractedField | None]


@dataclass(frozen=True)
class FieldKind:
    """How a field of one kind is read: exactly one of `parse` (a value at a label) and `read` (the whole
    document)."""

    name: str
    description: str
    parse: ValueParser | None = None
    read: DocumentReader | None = None
    # What a candidate text must hold to be taken as the value (a rule's own `pattern` overrides it).
    accept: re.Pattern[str] | None = None
    # The value is the whole line the label ends (抚顺市异地就医登记备案表): no text after a label.
    whole_line: bool = False
    # After "label：" the value stands right of it; the line below is the next row, not the value (a
    # name under a blank 交款人：).
    beside_after_colon: bool = False
    # The value wraps onto the following lines at its left edge until the next label (an ID card's 住址).
    wraps_below: bool = False
    # A value joined by an interpunct may wrap at it onto the line under it (a long name in a card's name
    # field: layout.joined_run_on).
    wraps_at_joiner: bool = False
    # A Roman numeral in the value (IIIA期) is no surer than its least sure reading (extract.ROMAN_FLOOR).
    numerals_checked: bool = False
    # The value may be printed a digit a box right of its label (layout.boxed_digits), read as many lines.
    boxed_digits: bool = False
    # The rule must name one of the rules file's `vocabularies` (and no other kind names one).
    uses_vocabulary: bool = False
    # The rule must give a `map` entry for each of its labels (and no other kind gives a map).
    uses_map: bool = False

    def __post_init__(self) -> None:
        if (self.parse is None) == (self.read is None):
            raise ValueError(f"field kind {self.name!r} needs exactly one of a parser and a reader")


KINDS: dict[str, FieldKind] = {}


def _description(function: Callable[..., object]) -> str:
    """The first line of a parser's docstring: what the rules file says of its kind."""
    if not function.__doc__:
        raise ValueError(f"field kind parser {function.__name__} has no docstring to document its kind")
    return function.__doc__.strip().splitlines()[0]


def field_kind(
    name: str,
    *,
    accept: re.Pattern[str] | None = None,
    whole_line: bool = False,
    beside_after_colon: bool = False,
    wraps_below: bool = False,
    wraps_at_joiner: bool = False,
    numerals_checked: bool = False,
    uses_vocabulary: bool = False,
    boxed_digits: bool = False,
) -> Callable[[ValueParser], ValueParser]:
    """Register a value parser as kind `name`; its docstring's first line documents the kind."""

    def register(parse: ValueParser) -> ValueParser:
        _register(
            FieldKind(
                name,
                _description(parse),
                parse=parse,
                accept=accept,
                whole_line=whole_line,
                beside_after_colon=beside_after_colon,
                wraps_below=wraps_below,
                wraps_at_joiner=wraps_at_joiner,
                numerals_checked=numerals_checked,
                uses_vocabulary=uses_vocabulary,
                boxed_digits=boxed_digits,
            )
        )
        return parse

    return register


def document_kind(name: str, *, uses_map: bool = False) -> Callable[[DocumentReader], DocumentReader]:
    """Register a reader of the whole document as kind `name`."""

    def register(read: DocumentReader) -> DocumentReader:
        _register(FieldKind(name, _description(read), read=read, uses_map=uses_map))
        return read

    return register


def _register(kind: FieldKind) -> None:
    if kind.name in KINDS:
        raise ValueError(f"field kind {kind.name!r} registered twice")
    KINDS[kind.name] = kind


def _picked(text: str, rule: FieldRule) -> str | None:
    """The part of `text` the rule's `pattern` picks out (the whole text without one); None if none."""
    if not rule.pattern:
        return text
    match = re.search(rule.pattern, text)
    return match.group(0) if match else None


def _clean_text(text: str) -> str:
    return single_brackets(tnm_digits(roman_to_latin(to_simplified(text.strip(EDGE)))))


@field_kind("text", numerals_checked=True)
def parse_text(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """Free text (the rule's `pattern` picks it out): simplified, Roman numerals as letters, TNM digits."""
    picked = _picked(text, rule)
    return (_clean_text(picked) or None, 1.0) if picked is not None else (None, 0.0)


# An ICD-10 code a ward prints in brackets after a diagnosis (脑梗死(I63.900), 原发性高血压（I10.x00）): a
# letter, two digits and a subdivision, a dagger or asterisk code after it; the letter read as a look-alike
# digit (1, l, |) only where the subdivision's dot follows, so a bracketed "(1型)" is never one.
ICD_IN_BRACKETS = re.compile(
    r"\s*[(（\[【]\s*(?:[A-Z]\d{2}(?:\.[0-9A-Za-z]{1,4})?|[1l|]\d{2}\.[0-9A-Za-z]{1,4})"
    r"(?:\s*[+†*]\s*[A-Z]\d{2}(?:\.[0-9A-Za-z]{1,4})?)?\s*[*]?\s*[)）\]】][*†]?"
)
HAN = re.compile("[\u4e00-\u9fa5]")


@field_kind("diagnosis", accept=HAN, numerals_checked=True)
def parse_diagnosis(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """A diagnosis in words, cleaned like text, its bracketed ICD-10 code dropped: 脑梗死(I63.900) → 脑梗死.
    The name is what a clerk compares with the bill and the guide, the code is the coder's. A text holding
    no Chinese character (the bracket left of a wrapped code) is no diagnosis."""
    picked = _picked(text, rule)
    cleaned = _clean_text(ICD_IN_BRACKETS.sub("", picked)) if picked is not None else ""
    return (cleaned, 1.0) if HAN.search(cleaned) else (None, 0.0)


@field_kind("title", whole_line=True)
def parse_title(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """The whole line a title word ends (抚顺市异地就医登记备案表), cleaned like text."""
    return _clean_text(text) or None, 1.0


@field_kind("integer")
def parse_integer(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """A whole number (age, days in hospital), without leading zeros."""
    picked = _picked(text, rule)
    digits = re.search(r"\d+", picked) if picked is not None else None
    return (str(int(digits.group(0))), 1.0) if digits else (None, 0.0)


@field_kind("name", accept=NAME, beside_after_colon=True, wraps_at_joiner=True)
def parse_name(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """A person's name: two to eight Chinese characters, or parts joined by ·, punctuation removed.

    The parts of a name joined by an interpunct are one name, its joiner read as any dot or dash
    normalised to · (热依拉·阿不都拉). A run of more than NAME_MAX characters with no joiner is no Han
    name: a joined name whose · was not read, or a name run into the words after it; it is kept whole
    but trusted LONG_NAME_FIT times (a clerk reads it), never cut to a length that looks like a name.
    A name read with a traditional form (黃 for 黄: the recogniser knows both) is read simplified, as
    mainland documents print it, but trusted TRADITIONAL_NAME_FIT times: a few characters are standard
    name characters in both forms (张乾, 於 as a surname), and converting them makes a wrong name."""
    match = NAME.search(text)
    if not match:
        return None, 0.0
    name = normalize_name(match.group(0))
    simplified = to_simplified(name)
    fit = 1.0 if simplified == name else TRADITIONAL_NAME_FIT
    if "·" not in name and len(name) > NAME_MAX:
        fit = min(fit, LONG_NAME_FIT)
    return simplified, fit


# A name longer than NAME_MAX with no interpunct: below any clerk threshold.
LONG_NAME_FIT = 0.5


# A name whose reading held a traditional form, read simplified: below any clerk threshold.
TRADITIONAL_NAME_FIT = 0.5


@field_kind("sex", accept=re.compile("[男女]"))
def parse_sex(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """男 or 女."""
    sex = "男" if "男" in text else "女" if "女" in text else None
    return sex, 1.0 if sex else 0.0


@field_kind("address", wraps_below=True)
def parse_address(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """An address, running on over the lines below its first one (an ID card's 住址)."""
    return to_simplified(text.strip()) or None, 1.0


@field_kind("id_number", accept=re.compile(r"\d{6,}"), boxed_digits=True)
def parse_id_number(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """A resident ID number: 18 characters (check digit X upper-cased), or a first-generation 15 digits."""
    match = ID_NUMBER.search(normalize_id_number(text))
    return (match.group(0).upper(), 1.0) if match else (None, 0.0)


# A date whose day runs into the time of day after it, the space between them lost (2025-6-510:30): the digits
# between the month and the time's colon are the day's and the hour's.
_GLUED_TIME = re.compile(r"(\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*)(\d{2,4})(?=\s*[:：]\s*\d{2}(?!\d))")
# A date read two ways from a day glued to its hour (2025-6-110:30: the 1st at 10:30 or the 11th at 0:30): taken,
# but below any clerk threshold.
GLUED_DAY_FIT = 0.6


def glued_time_days(text: str) -> list[dt.date]:
    """The dates a day glued to its hour may be (`_GLUED_TIME`): each way to cut the digits into a day of one
    or two digits and an hour of one or two (0 to 23) that makes a real date. Empty when no time is glued.
    The recogniser drops the space between a date and its time where the two stand close; a one-digit day
    or hour (6-5 10:30) leaves no digit count to cut at, but the calendar and the clock rule out most cuts."""
    match = _GLUED_TIME.search(to_halfwidth(text))
    if match is None:
        return []
    digits, days = match.group(2), []
    for cut in (1, 2):
        hour = digits[cut:]
        if not 1 <= len(hour) <= 2 or int(hour) > 23:
            continue
        day = parse_date(match.group(1) + digits[:cut])
        if day is not None:
            days.append(day)
    return days


def short_dates(text: str) -> list[tuple[int, dt.date]]:
    """The dates `text` prints with a two-digit year (25-6-3 → 2025-06-03, this century's), each with where
    it starts: a run of three numbers joined by one separator, not part of a longer run of them (a code
    12-3-45-6, a full date's tail) and making a real date. The century is the case's to settle."""
    out = []
    for match in SHORT_DATE.finditer(text):
        sep, before, after = match.group("sep"), text[: match.start()].rstrip(), text[match.end() :].lstrip()
        if (before.endswith(sep) and before[:-1].rstrip()[-1:].isdigit()) or (
            after.startswith(sep) and after[1:].lstrip()[:1].isdigit()
        ):
            continue
        year, month, day = (int(match.group(k)) for k in (1, 3, 4))
        try:
            out.append((match.start(), dt.date(2000 + year, month, day)))
        except ValueError:
            continue
    return out


@field_kind("date", accept=DATE_OR_MONTH)
def parse_date_value(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """A date as ISO 2025-03-04; a year and month only is kept as 2019-11, below the clerk threshold.

    A day glued to the time after it is cut where the calendar and the clock allow (`glued_time_days`); a
    cut that is one of two is flagged. A date printed with a two-digit year (25-6-3) is read as this
    century's (`short_dates`); the case settles its century."""
    glued = glued_time_days(text)
    if glued:
        return glued[-1].isoformat(), 1.0 if len(glued) == 1 else GLUED_DAY_FIT
    match = DATE.search(text)
    parsed = parse_date(match.group(0)) if match else None
    if parsed:
        return parsed.isoformat(), 1.0
    short = short_dates(text) if match is None else []
    if short:
        return short[0][1].isoformat(), 1.0
    # Year and month only: reported, but never trusted as a date (a clerk looks).
    month = parse_year_month(text)
    return (month, PARTIAL_DATE_CONFIDENCE) if month else (None, 0.0)


# A range's end printed without its year (2025.06.01-06.12, 2025年6月1日至6月12日): the start's year, or the
# next one for an end before the start (2025.12.28-01.05).
_YEARLESS_END = re.compile(r"\s*(?:-|~|～|至|到|—)\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?(?!\s*[\d.\-/])")


def _dates(text: str) -> list[tuple[str, float]]:
    """The dates of a range as printed, each with how surely its day was read: a day glued to the time
    after it (结算区间：2025-06-0308:12—…) is cut where the calendar and the clock allow
    (`glued_time_days`), GLUED_DAY_FIT where two cuts do."""
    found: list[tuple[str, float]] = []
    for match in DATE.finditer(text):
        day = parse_date(match.group(0))
        if day is None:
            continue
        fit = 1.0
        if _GLUED_TIME.match(text, match.start()):
            glued = glued_time_days(text[match.start() :])
            day, fit = (glued[-1], 1.0 if len(glued) == 1 else GLUED_DAY_FIT) if glued else (day, fit)
        found.append((day.isoformat(), fit))
        end = _YEARLESS_END.match(text, match.end())
        if end is not None and not DATE.match(text, end.start(1)):
            try:
                last = dt.date(day.year, int(end.group(1)), int(end.group(2)))
            except ValueError:
                continue
            found.append(((last if last >= day else last.replace(year=day.year + 1)).isoformat(), 1.0))
    if not found and DATE.search(text) is None:
        found = [(day.isoformat(), 1.0) for _, day in short_dates(text)]
    return found


@field_kind("date_range_start", accept=DATE)
def parse_range_start(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """The first date of a range (有效期限 2016.03.04-2036.03.04, 住院时间)."""
    dates = _dates(text)
    return dates[0] if dates else (None, 0.0)


@field_kind("date_range_end", accept=DATE)
def parse_range_end(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """The second date of a range, or 长期 after a first date (an ID card valid for life)."""
    dates = _dates(text)
    if len(dates) >= 2:
        return dates[1]
    if dates and "长期" in text:
        return "长期", 1.0
    return None, 0.0


@field_kind("amount", accept=re.compile(r"\d"))
def parse_amount_value(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """An amount in yuan to the cent (12345.67), signed on a red-letter or refund bill (-, −, 负, (负数)).

    Without a decimal point it fits less well (0.9). Digits standing right after a point (.38, the yuan
    lost under a seal or a fold) are the cents of an amount whose yuan were not read: kept, below any clerk
    threshold (UNSURE_AMOUNT_FIT). Beyond what a bill prints: no amount."""
    cleaned = plain_minus(text).replace("¥", "").replace("￥", "").replace(" ", "")
    unsigned = NEGATIVE_MARK.sub("", cleaned)
    match = AMOUNT.search(unsigned)
    amount = parse_amount(match.group(0)) if match else None
    if amount is None or match is None:
        return None, 0.0
    if NEGATIVE_MARK.search(cleaned) and amount > 0:
        amount = -amount
    if unsigned[: match.start()].endswith((".", "．")):
        return str(amount), UNSURE_AMOUNT_FIT
    return str(amount), 1.0 if "." in match.group(0) else 0.9


_UPPER_CHAR = re.compile(UPPER.pattern.removeprefix("负?").removesuffix("{2,}"))
# An amount read without its yuan, or a 大写 broken by a character that is no numeral: a clerk reads it.
UNSURE_AMOUNT_FIT = 0.5


@field_kind("upper_amount", accept=UPPER)
def parse_upper_amount_value(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """An amount in 大写 (壹万贰仟叁佰肆拾伍元陆角柒分), kept as printed; the self-check compares it.
    A numeral read in its traditional form (參 for 叁, 貳, 陸, 萬) is the same numeral (UPPER_VARIANTS).
    An amount in words is printed as one unbroken run: one character that is no numeral with more of the
    run after it (陆角功分, 玖 misread) is a numeral misread, and the run up to it is not the whole amount:
    kept, below any clerk threshold (UNSURE_AMOUNT_FIT)."""
    plain = text.translate(UPPER_VARIANTS)
    match = UPPER.search(plain)
    if not match or parse_upper_amount(match.group(0)) is None:
        return None, 0.0
    broken = _UPPER_CHAR.match(plain, match.end() + 1) is not None
    return match.group(0), UNSURE_AMOUNT_FIT if broken else 1.0


@field_kind("vocabulary", accept=re.compile("[\u4e00-\u9fa5]"), uses_vocabulary=True)
def parse_vocabulary(text: str, rule: FieldRule, vocabularies: Mapping[str, Vocabulary]) -> Parsed:
    """A word of the rule's closed `vocabulary` (民族); a word outside it is kept at 0.5."""
    vocabulary = vocabularies[str(rule.vocabulary)]
    word = re.sub(r"[^\u4e00-\u9fa5]", "", text).removesuffix("族")
    word = vocabulary.variants.get(word, word)
    if not word:
        return None, 0.0
    return word, 1.0 if word in vocabulary.values else 0.5


@document_kind("keyword_map", uses_map=True)
def read_keyword_map(lines: Sequence[Located], rule: FieldRule, find: Finder) -> ExtractedField | None:
    """The value `map` gives the first of the rule's labels printed anywhere (住院收费 → 住院)."""
    for label in rule.labels:
        for line in lines:
            if label in line.text:
                return ExtractedField(
                    value=rule.map[label],
                    raw=label,
                    confidence=line.line.confidence,
                    page=line.page,
                    bbox=line.line.bbox,
                )
    return None


@document_kind("presence")
def read_presence(lines: Sequence[Located], rule: FieldRule, find: Finder) -> ExtractedField | None:
    """Whether something is written at a label (a signature): true, false, or not reported without it.

    A name beside or below the label → True; the label with nothing there → False; no label at all →
    not reported. Something written after the label on its line that reads as no name (a scrawl read as
    strokes and letters) is a signature OCR cannot read: True, but below any clerk threshold
    (UNREAD_SIGNATURE_FIT), so a clerk looks rather than a signed form being called unsigned."""
    hit = find(rule.model_copy(update={"kind": "name"}), NAME, False)
    if hit is not None and not _BLANK_AFTER.fullmatch(hit.raw):  # 年 月 日 is a blank date, not a name
        # Whether a name is there, not how each of its characters reads: the line's confidence.
        return ExtractedField(
            value=True, raw=hit.raw, confidence=hit.line_confidence, page=hit.page, bbox=hit.source_bbox
        )
    for label in map(to_halfwidth, rule.labels):
        for line in lines:
            if label in line.text:
                written = _written_after(line, label, lines)
                if written is not None:
                    return ExtractedField(
                        value=True,
                        raw=written.text,
                        confidence=UNREAD_SIGNATURE_FIT * written.line.confidence,
                        page=written.page,
                        bbox=written.line.bbox,
                    )
                return ExtractedField(value=False, raw=label, confidence=0.9, page=line.page, bbox=line.line.bbox)
    return _signed_under_heading(lines, rule)


def _signed_under_heading(lines: Sequence[Located], rule: FieldRule) -> ExtractedField | None:
    """A sign-off row of columns, each headed by who signs (经治医师 | 医务科意见 | 患者或家属) with 签字：
    and the name in the cell under the heading: the heading and the 签字 line are read as one label
    (患者或家属签字), so the rule's labels name the signer the way a one-line form does. A name after it →
    True at the line's reading; nothing after it → False; anything else → True, below any clerk threshold."""
    labels = [to_halfwidth(label) for label in rule.labels]
    for line in lines:
        sign = _SIGN_WORD.match(line.text)
        heading = _heading_above(line, lines) if sign else None
        if sign is None or heading is None or heading.text + sign.group(1) not in labels:
            continue
        rest = line.text[sign.end() :].lstrip(":：")
        if _BLANK_AFTER.fullmatch(rest):
            return ExtractedField(value=False, raw=line.text, confidence=0.9, page=line.page, bbox=line.line.bbox)
        fit = 1.0 if NAME.fullmatch(rest) else UNREAD_SIGNATURE_FIT
        return ExtractedField(
            value=True, raw=rest, confidence=fit * line.line.confidence, page=line.page, bbox=line.line.bbox
        )
    return None


# The word a signature cell opens with, under the heading naming who signs.
_SIGN_WORD = re.compile(r"(签字|签名)")
# How far above its 签字 line a column's heading may stand, in that line's heights (a reply such as 同意转诊。
# may stand between them in a neighbouring column, not in this one).
HEADING_REACH = 2.5


def _heading_above(line: Located, lines: Sequence[Located]) -> Located | None:
    """The nearest line above `line` that overlaps it horizontally, within HEADING_REACH of its height."""
    x0, y0, x1, y1 = line.bbox
    height = y1 - y0
    above = [
        other
        for other in lines
        if other is not line
        and other.page == line.page
        and min(x1, other.bbox[2]) - max(x0, other.bbox[0]) > 0
        and -0.3 * height <= y0 - other.bbox[3] < HEADING_REACH * height
    ]
    return max(above, key=lambda other: other.bbox[3], default=None)


# Something written at a signature label that reads as no name: whether it is a signature is a clerk's call.
UNREAD_SIGNATURE_FIT = 0.6
# What a blank signature line may hold after its label: a date's furniture and rules, never a signature.
_BLANK_AFTER = re.compile(r"[\s:：_\-—.．()（）年月日]*")


def _written_after(line: Located, label: str, lines: Sequence[Located]) -> Located | None:
    """The line holding text after `label` on its own line, or the nearest line right of it on its row
    (half a line's height apart at most) that is not a date: what a hand wrote there; None when blank."""
    rest = line.text[line.text.find(label) + len(label) :]
    if not _BLANK_AFTER.fullmatch(rest) and not DATE.match(rest.lstrip(":：")):
        return line
    _, y0, x1, y1 = line.bbox
    height = y1 - y0
    beside = [
        other
        for other in lines
        if other is not line
        and other.page == line.page
        and other.bbox[0] >= x1 - 0.2 * height
        and other.bbox[0] - x1 < 8 * height
        and abs((other.bbox[1] + other.bbox[3]) / 2 - (y0 + y1) / 2) < 0.5 * height
    ]
    nearest = min(beside, key=lambda other: other.bbox[0], default=None)
    if nearest is None or _BLANK_AFTER.fullmatch(nearest.text) or DATE.match(nearest.text):
        return None
    return nearest


# Boxes printed before each option of a form's row (☐ and its look-alikes, a web form's radio button ○) and
# the marks that choose one: a tick or a cross in the box, a filled radio button (◉ ●), or a letter X
# written in front of the option. A filled box the form system prints (■) is read as a block (█▇▉) as
# often as as itself. The reading writes the boxes and buttons it finds in the image as □ ☑ ○ ◉
# (ocr/marks.py) where the recogniser did not read them.
EMPTY_BOX = "□☐▢○◯"
CHOSEN_MARK = "☑☒✓✔√■▣✗✘×Xx█▇▉▆◉●"
_OPTION = re.compile(f"([{EMPTY_BOX}{CHOSEN_MARK}])\\s*([\u4e00-\u9fa5]+)")
# What OCR reads a box as when it takes it for a character: an empty box as 口 or 囗, a ticked one as 团,
# 図, 回 or a V. Taken for a box only right before one of the rule's options (口 is a word of its own).
BOX_READ_AS = {"口": "□", "囗": "□", "团": "☑", "図": "☑", "回": "☑", "V": "☑", "v": "☑"}
# An option whose mark was not read, or a row of options none of which reads as marked: below any clerk
# threshold, a clerk looks at the boxes.
UNMARKED_FIT = 0.5


@document_kind("choice")
def read_choice(lines: Sequence[Located], rule: FieldRule, find: Finder) -> ExtractedField | None:
    """The option ticked or crossed on a row of options (☑常驻异地工作人员), or the one value written.

    The text at the label and the lines continuing it on its row (a printed row of options is read as one
    or several lines) are split at their boxes; the option behind a tick or a cross is the value, cut to
    the rule's option it opens with (the empty boxes after it are often not read, so the next options run
    on: ☑常驻异地工作人员异地转诊人员). A row of several options where no one mark is read (the boxes or the
    pen's mark lost in reading), or a mark before no known option, keeps its best guess flagged: the
    chosen option cannot be told from the text, and the whole row is never a value."""
    hit = find(rule.model_copy(update={"kind": "text"}), re.compile(rule.pattern) if rule.pattern else None, True)
    if hit is None:
        return None
    above, below = _cell_lines(lines, hit, rule.options)
    gathered = {id(line) for line in [*above, *below]}
    rest = [line for line in lines if id(line) not in gathered]
    row = [
        _boxes_read_as_text(_INSTRUCTED_MARK.sub("", text), rule.options)
        for text in [
            *(_grid_row(rest, line, rule.options) for line in above),
            _joined_by_gaps(hit.raw, hit.bbox, _row_after(lines, hit, rule.options)),
            *(_grid_row(rest, line, rule.options) for line in below),
        ]
    ]
    options = [(mark, word) for text in row for mark, word in _OPTION.findall(text)]
    after = _marks_follow(row)
    chosen = [word for text in row for word in _MARKED_BEFORE.findall(text)] if after else []
    chosen = chosen or [word for mark, word in options if mark in CHOSEN_MARK]
    named = _options_named("".join(row), rule.options)
    several = len(options) > 1 or len(row) > 1 or len(named) > 1
    if len(chosen) == 1:
        known = _option_ending(chosen[0], rule.options) if after else _option_opening(chosen[0], rule.options)
        value = known or _picked(chosen[0], rule)
        fit = 1.0 if known or not rule.options else UNMARKED_FIT
    else:
        first = _OPTION.sub(r"\2 ", hit.raw).split()
        # Every option's empty box read but one's: the mark in that box is what made it unreadable. Still
        # a guess from what was not read, so flagged like any row without a mark.
        boxed = {_option_opening(word, rule.options) for mark, word in options if mark in EMPTY_BOX}
        unboxed = [option for option in named if option not in boxed]
        guess = unboxed[0] if len(named) > 1 and unboxed else named[0] if named else None
        guess = guess or (first[0] if first else hit.raw)
        value, fit = _picked(guess, rule), UNMARKED_FIT if several else 1.0
    if not value:
        return None
    confidence = hit.line_confidence if fit == 1.0 else min(hit.line_confidence, hit.confidence) * fit
    return ExtractedField(
        value=value, raw=hit.raw, confidence=round(confidence, 4), page=hit.page, bbox=hit.source_bbox
    )


# A mark the form's instructions name (请在所选类型后打“√”, 在□内划×): quoted, or after the verb that asks for it;
# what is asked for, not a choice made (在□内: the box it is to be made in).
_INSTRUCTED_MARK = re.compile(
    f"[“”\"‘’'「」]\\s*[{EMPTY_BOX}{CHOSEN_MARK}]\\s*[“”\"‘’'「」]|(?<=[打画划填])[{EMPTY_BOX}{CHOSEN_MARK}]|(?<=在)[{EMPTY_BOX}{CHOSEN_MARK}](?=[内中])"
)
# A mark written after its option (异地转诊人员√): the option's words, then the mark.
_MARKED_BEFORE = re.compile(f"([\u4e00-\u9fa5]+)\\s*[{CHOSEN_MARK}]")
_MARK = re.compile(f"[{EMPTY_BOX}{CHOSEN_MARK}]")


def _marks_follow(row: Sequence[str]) -> bool:
    """Whether the row's marks stand after their options (异地长期居住人员□ 异地转诊人员√), not before (☑异地转诊人员):
    a box or mark closing a line of the row after its last word, none opening one before its first;
    failing both (every mark between two options), a chosen mark touching the word before it and set apart
    from the word after it by a space. A form prints every box on the same side of its option, so the
    ends of its lines show the side; where nothing shows it, before (the common print) is kept. A line's
    own spaces are not kept by the reading, so the space is only seen between lines (`_joined_by_gaps`: a
    mark read as a line of its own, nearer one option than the other)."""
    texts = [text.strip() for text in row if text.strip()]
    opens = any(_MARK.match(text) for text in texts)
    closes = any(_MARK.fullmatch(text[-1]) and HAN.search(text) for text in texts)
    if opens or closes:
        return closes and not opens
    hugging = [
        (match.start() > 0 and text[match.start() - 1] != " ", match.end() < len(text) and text[match.end()] != " ")
        for text in texts
        for match in re.finditer(f"[{CHOSEN_MARK}]", text)
    ]
    return len(hugging) == 1 and hugging[0] == (True, False)


def _joined_by_gaps(text: str, bbox: tuple[float, float, float, float], more: Sequence[Located]) -> str:
    """The value's line and the lines continuing it on its row as one text: a gap wider than a third of the
    line's height is a space, a narrower one none (a mark read as a line of its own beside its option)."""
    height = bbox[3] - bbox[1]
    right, out = bbox[2], text
    for line in more:
        out += ("" if line.bbox[0] - right < height / 3 else " ") + line.text
        right = line.bbox[2]
    return out


def _boxes_read_as_text(text: str, options: Sequence[str]) -> str:
    """`text` with a box OCR read as a character (口, 团: BOX_READ_AS) right before an option put back."""
    for option in options:
        for read, box in BOX_READ_AS.items():
            text = text.replace(read + option, box + option)
    return text


def _cell_lines(lines: Sequence[Located], hit: Hit, options: Sequence[str]) -> tuple[list[Located], list[Located]]:
    """The lines of the value's cell above and below its line that print more of the rule's options (a row
    of boxes wrapped over two or three lines, the label standing at the middle one): each starting within
    two line heights of the value's start, and within a line height of the line next to it."""
    x0, y0, _, y1 = hit.bbox
    height = y1 - y0
    near = [
        ln
        for ln in lines
        if ln.page == hit.page
        and abs(ln.bbox[0] - x0) <= 2 * height
        and ln.bbox != hit.bbox
        and _options_named(ln.text, options)
    ]
    above: list[Located] = []
    top = y0
    for line in sorted((ln for ln in near if ln.bbox[1] < y0), key=lambda ln: -ln.bbox[1]):
        if top - line.bbox[3] > height or line.bbox[3] > top + 0.5 * height:
            break
        above.insert(0, line)
        top = line.bbox[1]
    below: list[Located] = []
    bottom = y1
    for line in sorted((ln for ln in near if ln.bbox[1] > y0), key=lambda ln: ln.bbox[1]):
        if line.bbox[1] - bottom > height or line.bbox[1] < bottom - 0.5 * height:
            break
        below.append(line)
        bottom = line.bbox[3]
    return above, below


def _option_ending(text: str, options: Sequence[str]) -> str | None:
    """The longest of `options` that `text` ends with (what a mark written after its option follows), or None."""
    ending = [option for option in options if text.endswith(option)]
    return max(ending, key=len) if ending else None


def _option_opening(text: str, options: Sequence[str]) -> str | None:
    """The longest of `options` that `text` opens with (what a mark stands before), or None."""
    opening = [option for option in options if text.startswith(option)]
    return max(opening, key=len) if opening else None


def _options_named(text: str, options: Sequence[str]) -> list[str]:
    """The options printed in `text`, in their order there; an option inside a longer one printed at the
    same place (临时外出就医人员 in 其他临时外出就医人员) is not counted twice."""
    spans: list[tuple[int, int, str]] = []
    for option in sorted(options, key=len, reverse=True):
        for match in re.finditer(re.escape(option), text):
            if not any(s <= match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), option))
    return [option for _, _, option in sorted(spans)]


# How far apart, in line heights, the options of one printed row may stand when the line after the gap
# names one of the field's options: forms spread a few options across the page's width.
OPTION_GAP_LINES = 4.0


def _grid_row(lines: Sequence[Located], line: Located, options: Sequence[str]) -> str:
    """A line of the option block above or under the label (`_cell_lines`) with what continues it on its row
    (`_row_after`), an option at any distance: a block printed as a grid of columns (1. 异地长期居住人员 …
    2. 常驻异地工作人员) holds its options across the page's width, and a mark read as a line of its own stands
    right after its option."""
    more = _row_continuing(lines, line.page, line.bbox, options, reach=float("inf"))
    return _joined_by_gaps(line.text, line.bbox, more)


def _row_after(lines: Sequence[Located], hit: Hit, options: Sequence[str] = ()) -> list[Located]:
    """The lines that continue the value's line on its row: each starting within a line height of the last
    one's end (a printed option row), or further (up to `OPTION_GAP_LINES`) when it names one of the field's
    `options` (a row spread across the form: a cell further right holds its own label or other words, never
    the field's option names); not a cell further right (参保险种 beside 备案类型's value) nor the next
    "label：" of the row."""
    return _row_continuing(lines, hit.page, hit.bbox, options)


def _row_continuing(
    lines: Sequence[Located],
    page: int,
    bbox: tuple[float, float, float, float],
    options: Sequence[str],
    reach: float = OPTION_GAP_LINES,
) -> list[Located]:
    """`_row_after` for the line at `bbox`, a line naming an option taken up to `reach` line heights on."""
    x0, y0, x1, y1 = bbox
    height = y1 - y0
    out: list[Located] = []
    for line in sorted((ln for ln in lines if ln.page == page), key=lambda ln: ln.bbox[0]):
        lx0, ly0, lx1, ly1 = line.bbox
        overlap = min(y1, ly1) - max(y0, ly0)
        if lx0 <= x0 or overlap < 0.5 * min(height, ly1 - ly0):
            continue
        gap = lx0 - x1
        spread = gap <= reach * height and bool(_options_named(to_halfwidth(line.text), options))
        if (gap > height and not spread) or ":" in line.text or "：" in line.text:
            break  # a cell further right, or the next "label：" of the row
        if lx1 > x1:
            out.append(line)
            x1 = lx1
    return out
