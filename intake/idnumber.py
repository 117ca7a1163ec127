"""Resident ID numbers (GB 11643-1999): check digit, birth date, sex, repair, masking."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"\d{17}[\dX]")


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def birth_date(number: str) -> dt.date | None:
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return born if dt.date(1900, 1, 1) <= born <= dt.date.today() else None


def sex(number: str) -> str:
    return "男" if int(number[16]) % 2 else "女"


def is_valid(number: str) -> bool:
    return bool(_SHAPE.fullmatch(number)) and check_digit(number[:17]) == number[17] and birth_date(number) is not None


@dataclass(frozen=True)
class IdInfo:
    region_code: str
    birth_date: dt.date | None
    sex: str
    valid: bool


def parse(number: str) -> IdInfo | None:
    if not _SHAPE.fullmatch(number):
        return None
    return IdInfo(region_code=number[:6], birth_date=birth_date(number), sex=sex(number), valid=is_valid(number))


def age_on(number: str, on: dt.date) -> int:
    born = birth_date(number)
    if born is None:
        raise ValueError("ID number has no valid birth date")
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def repair(number: str, born: dt.date | None, sex_printed: str | None) -> str | None:
    """The one ID number a single misread digit could have come from, or None when not certain.

    A candidate must pass the check digit and agree with the card's printed birth date and sex;
    without them a one-digit change is too weak to trust (several candidates always pass).
    """
    if not _SHAPE.fullmatch(number) or is_valid(number) or born is None:
        return None
    candidates = set()
    for pos in range(18):
        for ch in "0123456789X" if pos == 17 else "0123456789":
            if ch == number[pos]:
                continue
            candidate = number[:pos] + ch + number[pos + 1 :]
            if (
                is_valid(candidate)
                and birth_date(candidate) == born
                and (sex_printed is None or sex(candidate) == sex_printed)
            ):
                candidates.add(candidate)
    return candidates.pop() if len(candidates) == 1 else None


def mask_id(number: str) -> str:
    """110101********1234: the only form an ID number may take in logs and messages."""
    return number[:6] + "*" * 8 + number[-4:] if len(number) >= 10 else "*" * len(number)


_LEGACY = re.compile(r"\d{15}")


def from_legacy(number: str) -> str | None:
    """A first-generation 15-digit number (6 region, YYMMDD, 3 sequence) as its 18-digit form per GB 11643:
    19 put before the two-digit year, the check digit computed. None when `number` is not 15 digits or
    its birth date is no date (nothing certain to convert)."""
    if not _LEGACY.fullmatch(number):
        return None
    first17 = number[:6] + "19" + number[6:]
    converted = first17 + check_digit(first17)
    return converted if birth_date(converted) is not None else None
