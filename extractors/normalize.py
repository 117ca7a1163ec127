"""Normalisation of what OCR reads: widths, dates, amounts, 大写金额, names, ID numbers."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

from intake.reasons import MESSAGES, Code

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


@cache
def _to_simplified() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional forms → simplified, phrase-aware (奧美拉唑 → 奥美拉唑). Mainland documents print simplified
    characters; PP-OCR's recogniser, trained on both, sometimes returns the traditional form."""
    return str(_to_simplified().convert(text))


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and ASCII punctuation → half-width; CJK untouched."""
    return text.translate(_FULLWIDTH)


# Roman numerals as one character each (Ⅲ, U+2160–U+217F) → the letters they stand for.
_ROMAN_NUMERALS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2160, 0x2180)}
# The characters a Roman numeral is read as: its letters, or one of those one-character numerals.
ROMAN_NUMERAL_CHARS = frozenset("IVX" + "".join(map(chr, _ROMAN_NUMERALS)))


def roman_to_latin(text: str) -> str:
    """Ⅲ → III, Ⅳ → IV: the recogniser returns the one-character numeral for a stage printed in letters
    (IIIA期); the letters are what a clerk types and what a document means."""
    return text.translate(_ROMAN_NUMERALS)


# A TNM classification (pT3N0M0, T1bN0M0): its T, N and M categories are digits, so an O read in one is a 0.
_TNM = re.compile(r"[pcyr]?T[0-4Oo][a-d]?\d?N[0-3Oo][a-c]?M[01Oo][a-c]?")


def tnm_digits(text: str) -> str:
    """The letter O read for the digit 0 in a TNM classification, made the digit (pT3NOM0 → pT3N0M0)."""
    return _TNM.sub(lambda tnm: re.sub(r"(?<=[TNM])[Oo]", "0", tnm.group(0)), text)


def single_brackets(text: str) -> str:
    """A bracket read twice where it is printed once, made one: (T3N1M0)) → (T3N1M0), only where the text
    then closes (opens) more brackets than it opens (closes). Half-width text (values are)."""
    for doubled, more, fewer in (("))", ")", "("), ("((", "(", ")")):
        if doubled in text and text.count(more) > text.count(fewer):
            text = text.replace(doubled, more, 1)
    return text


_DATE_PATTERNS = [
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})"),
    re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"),
]


# A date in Chinese numerals, as formal documents and records print it (二〇二五年四月十五日, 二〇二五年十月廿一日):
# the year digit by digit (〇 or 零 for nought; the recogniser may give 〇 as the letter O, the digit 0 or ○),
# the month and day counted in tens (十二, 二十九; 廿 and 卅 for 二十 and 三十). The year opens with 一九 or
# 二〇, so a run of numerals that is no year (一二三四) is never taken for one.
_NOUGHT = "〇○零Oo0"
_NUMERAL_DIGITS = {**dict.fromkeys(_NOUGHT, 0), **{ch: n for n, ch in enumerate("一二三四五六七八九", 1)}}
NUMERAL_DATE = re.compile(
    rf"((?:一九|二[{_NOUGHT}])[{_NOUGHT}一二三四五六七八九]{{2}})\s*年\s*"
    r"(十[一二]?|[一二三四五六七八九])\s*月\s*"
    r"([二三]?十[一二三四五六七八九]?|[廿卅][一二三四五六七八九]?|[一二三四五六七八九])\s*日?"
)


def _numeral_count(text: str) -> int:
    """A month or day in Chinese numerals (五, 十, 十二, 二十九, 廿一, 卅) → its number."""
    text = text.replace("廿", "二十").replace("卅", "三十")
    if "十" not in text:
        return _NUMERAL_DIGITS[text]
    tens, units = text.split("十")
    return (_NUMERAL_DIGITS[tens] if tens else 1) * 10 + (_NUMERAL_DIGITS[units] if units else 0)


def numeral_dates_as_digits(text: str) -> str:
    """Each date printed in Chinese numerals in `text` rewritten in digits (二〇二五年四月十五日 → 2025年4月15日),
    the rest of the text as it was: the digit patterns then read it as any other date."""

    def digits(match: re.Match[str]) -> str:
        year = "".join(str(_NUMERAL_DIGITS[ch]) for ch in match.group(1))
        return f"{year}年{_numeral_count(match.group(2))}月{_numeral_count(match.group(3))}日"

    return NUMERAL_DATE.sub(digits, text)


def parse_date(text: str) -> dt.date | None:
    """2025年3月4日, 2025-03-04, 2025/3/4, 2025.03.04, 20250304, 二〇二五年三月四日 → date; impossible dates →
    None."""
    text = numeral_dates_as_digits(to_halfwidth(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            if not 1900 <= year <= 2100:
                continue
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


_YEAR_MONTH = [
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)"),
    re.compile(r"(?<![\d.])(\d{4})\s*[-/.]\s*(\d{1,2})(?![\d]|\s*[-/.]\s*\d)"),
]


def parse_year_month(text: str) -> str | None:
    """A date printed without its day (2019年11月, 2019-11, as anonymised records give it) → '2019-11'."""
    text = to_halfwidth(text)
    for pattern in _YEAR_MONTH:
        match = pattern.search(text)
        if match and 1900 <= int(match.group(1)) <= 2100 and 1 <= int(match.group(2)) <= 12:
            return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"
    return None


def parse_date_range(text: str) -> tuple[dt.date, dt.date | str] | None:
    """An ID card's 有效期限: '2016.03.04-2036.03.04' or '2016.03.04-长期'."""
    text = numeral_dates_as_digits(to_halfwidth(text))
    found = [m for p in _DATE_PATTERNS[:2] for m in p.finditer(text)]
    found.sort(key=lambda m: m.start())
    dates = [d for d in (parse_date(m.group(0)) for m in found) if d is not None]
    if not dates:
        return None
    if len(dates) >= 2:
        return dates[0], dates[1]
    return (dates[0], "长期") if "长期" in text else None


CENT = Decimal("0.01")
# The largest amount a bill prints: 大写 goes up to 仟亿 (9999亿9999万9999元玖角玖分).
MAX_AMOUNT = Decimal("999999999999.99")


class AmountOutOfRange(ValueError):
    """An amount beyond what a bill can print (MAX_AMOUNT either way): refused, never cut to fit."""

    code = Code.amount_out_of_range

    def __init__(self) -> None:
        super().__init__(MESSAGES[self.code])


# Minus signs a bill prints for a red-letter (红冲) or refund amount, besides the ASCII one: the
# mathematical minus, dashes and the small hyphen (the full-width one is made ASCII by to_halfwidth).
_MINUS = str.maketrans(dict.fromkeys("\u2212\u2012\u2013\u2014\ufe63", "-"))
# A bracketed 负数 or 负 beside the amount ((负数)123.45, 123.45(负数)).
NEGATIVE_MARK = re.compile(r"[(（]\s*负数?\s*[)）]")
_AMOUNT = re.compile(r"(?:-|负数?)?\s*\d[\d,]*(?:\.\d+)?")


def plain_minus(text: str) -> str:
    """Half-width, every printed minus sign the ASCII one."""
    return to_halfwidth(text).translate(_MINUS)


def parse_amount(text: str) -> Decimal | None:
    """¥12,345.67 / １２３４５.６７元 / '1 234.50' → Decimal('12345.67'); a red-letter or refund amount keeps its
    sign (-123.45, −123.45, 负123.45, (负数)123.45). None for no amount, or one beyond MAX_AMOUNT (no bill
    prints it: an OCR run of digits, never a number cut to fit)."""
    cleaned = plain_minus(text).replace("¥", "").replace("￥", "").replace("元", "")
    marked = NEGATIVE_MARK.search(cleaned) is not None
    cleaned = re.sub(r"(?<=\d)\s+(?=\d)", "", NEGATIVE_MARK.sub("", cleaned))
    match = _AMOUNT.search(cleaned)
    if not match:
        return None
    number = match.group(0)
    negative = marked or number.startswith(("-", "负"))
    try:
        value = Decimal(number.lstrip("-负数 ").replace(",", "")).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    if value > MAX_AMOUNT:
        return None
    return -value if negative and value else value


_DIGITS = {"零": 0, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9, "两": 2}
_UNITS = {"拾": 10, "佰": 100, "仟": 1000}
_UPPER_CHARS = "零壹贰叁肆伍陆柒捌玖两拾佰仟万亿元圆角分整正"


def _parse_section(text: str) -> int | None:
    """A run below 万 (e.g. 壹仟零伍拾) → 1050."""
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and ch != "零":
                return None  # two digits without a unit between them
            digit = _DIGITS[ch] if ch != "零" else None
        elif ch in _UNITS:
            total += (digit if digit is not None else 1 if total == 0 else 0) * _UNITS[ch]
            if digit is None and total == 0:
                total = _UNITS[ch]  # 拾伍 = 15
            digit = None
        else:
            return None
    return total + (digit or 0)


def _parse_integer(text: str) -> int | None:
    value = 0
    for unit_char, unit in (("亿", 10**8), ("万", 10**4)):
        if unit_char in text:
            head, text = text.split(unit_char, 1)
            part = _parse_section(head) if head else None
            if part is None:
                return None
            value += part * unit
    if text:
        rest = _parse_section(text)
        if rest is None:
            return None
        value += rest
    return value


def parse_upper_amount(text: str) -> Decimal | None:
    """壹万贰仟叁佰肆拾伍元陆角柒分 → 12345.67; 整/正, 零 rules, 人民币 and ⊗ prefixes tolerated; 负 in front
    (负壹佰元整, a red-letter bill) or a bracketed 负数 makes it negative. None for what is no amount."""
    first = next((i for i, ch in enumerate(text) if ch in _UPPER_CHARS), len(text))
    negative = "负" in text[:first] or NEGATIVE_MARK.search(text) is not None
    value = _unsigned_upper(text)
    return -value if negative and value else value


def _unsigned_upper(text: str) -> Decimal | None:
    body = "".join(ch for ch in text if ch in _UPPER_CHARS).replace("圆", "元").rstrip("整正")
    if not body:
        return None
    yuan_text, sep, fraction = body.partition("元")
    if not sep:
        if "角" not in body and "分" not in body:
            return None
        yuan_text, fraction = "", body
    yuan = _parse_integer(yuan_text.rstrip("零")) if yuan_text.strip("零") else 0
    if yuan is None:
        return None
    jiao = fen = 0
    fraction = fraction.lstrip("零")
    match = re.fullmatch(r"(?:([壹贰叁肆伍陆柒捌玖两])角)?零?(?:([壹贰叁肆伍陆柒捌玖两])分)?", fraction)
    if match is None:
        return None
    if match.group(1):
        jiao = _DIGITS[match.group(1)]
    if match.group(2):
        fen = _DIGITS[match.group(2)]
    value = (Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100).quantize(CENT)
    return value if value <= MAX_AMOUNT else None


_UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _section_upper(n: int) -> str:
    """0 < n < 10000 in 大写, with 零 for gaps (1050 → 壹仟零伍拾)."""
    out, zero = "", False
    for unit, name in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = n // unit % 10
        if digit:
            if zero and out:
                out += "零"
            out += _UPPER_DIGITS[digit] + name
            zero = False
        else:
            zero = True
    return out


def to_upper_amount(amount: Decimal) -> str:
    """12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分; 100 → 壹佰元整; 1005.5 → 壹仟零伍元伍角; -5 → 负伍元整.
    AmountOutOfRange beyond MAX_AMOUNT (大写 has no unit above 仟亿)."""
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(amount) > MAX_AMOUNT:
        raise AmountOutOfRange
    if amount < 0:
        return "负" + to_upper_amount(-amount)
    cents = int((amount * 100).to_integral_value())
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    parts: list[str] = []
    groups = [(yuan // 10**8, "亿"), (yuan // 10**4 % 10**4, "万"), (yuan % 10**4, "")]
    need_zero = False
    for value, name in groups:
        if value == 0:
            need_zero = bool(parts)
            continue
        if parts and (need_zero or value < 1000):
            parts.append("零")
        parts.append(_section_upper(value) + name)
        need_zero = False
    text = "".join(parts)
    if yuan:
        text += "元"
    if jiao == 0 and fen == 0:
        return (text or "零元") + "整"
    if jiao:
        text += _UPPER_DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += _UPPER_DIGITS[fen] + "分"
    return text


# The interpunct (间隔号 ·, U+00B7) joins the parts of a name written in Chinese characters from another
# language (a Uyghur, Kazakh or foreign name: 买买提·艾力). The recogniser reads it as any dot or short
# dash the font draws alike: the katakana middle dot, a bullet, a full stop, a hyphen.
NAME_JOINERS = "·・•‧∙.．-－"
_JOINED = re.compile(rf"(?<=[\u4e00-\u9fa5])\s*[{re.escape(NAME_JOINERS)}]\s*(?=[\u4e00-\u9fa5])")


def normalize_name(text: str) -> str:
    """A name as the card prints it: a joiner between two of its characters read in any of its forms
    (`NAME_JOINERS`) is the one interpunct ·; other punctuation and spaces are dropped."""
    return re.sub(r"[\s:：,，.。;；]", "", _JOINED.sub("·", to_halfwidth(text)))


_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1", "Z": "2", "S": "5", "B": "8"})


def normalize_id_number(text: str) -> str:
    """Half-width, no spaces, upper-case X; OCR's letter-for-digit slips fixed in digit positions."""
    compact = re.sub(r"\s+", "", to_halfwidth(text))
    match = re.search(r"[0-9OoDIl|ZSB]{17}[0-9Xx×OoDIl|ZSB]", compact)
    if not match:
        return compact.upper()
    raw = match.group(0)
    last = raw[17].upper().replace("×", "X")
    last = last if last == "X" else last.translate(_CONFUSABLE)
    return compact[: match.start()] + raw[:17].translate(_CONFUSABLE) + last + compact[match.end() :]


def edit_distance(a: str, b: str) -> int:
    """The characters changed, dropped or added between two strings (Levenshtein distance)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
