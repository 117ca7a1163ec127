"""A person's name printed with no label, in a run of particulars: 张三  男  45岁.

A ward's patient label (the sticker a label printer makes for a bed, pressed into a form's 粘贴病人标签
box), a wristband and a HIS page head print the patient's name, sex and age in one run with no labels:
what each part is, its place and its kind say (a sex is 男 or 女, an age ends 岁). Such a run is the
only place such a form prints the name a field wants (`FieldRule.in_particulars`).

Found by its shape alone, the name is not surely the field's (a family member's or another patient's
label may be on the page), so it is trusted PARTICULARS_FIT times its reading, below any clerk threshold,
unless the run's own sex and age agree with the document's ID number (`particulars_checks`): the run is
then the person the ID number names, as surely as a label would have said it, and a passing `id_sex`
check restores the name to its line's reading (extract._borne_out). A sex or an age disagreeing with the
ID number fails its check naming the field: a clerk looks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extractors.layout import Hit, Located, hit_at, rows
from intake import idnumber
from intake.models import Check, ExtractedField
from intake.reasons import Code, check

# A name found by its shape with nothing bearing it out: below the clerk threshold (0.8).
PARTICULARS_FIT = 0.5
# The run's words (spaces dropped, as `Located.text` holds them): a name of two to four characters (a Han
# name's length; a longer one is a name with a word glued before it, 患者王小明, and is no run), or parts joined
# by ·, then the sex and the age in whole years. The name is the longest that leaves the sex right before the
# age: a given name may end in 男 (胜男).
_RUN = re.compile(
    r"(?P<name>[\u4e00-\u9fa5]{1,10}(?:·[\u4e00-\u9fa5]{1,10})+|[\u4e00-\u9fa5]{2,4})(?P<sex>[男女])(?P<age>\d{1,3})岁"
)
# How many years an age printed before the day the case is handled may lag the age on that day (the label
# was printed at admission, the form handed in months later).
AGE_LAG = 2


@dataclass(frozen=True)
class Particulars:
    """One run: the name as a hit on its line, the sex and the age it prints."""

    hit: Hit
    sex: str
    age: int


def particulars_run(lines: list[Located], stop_words: frozenset[str]) -> Particulars | None:
    """The one run of particulars the page prints (`_RUN`), read in a line or across the lines of one row
    from a line's start (a label printer's wide gaps cut the run into its parts); None where none or two
    different ones stand (no choosing), or where the run opens with a label of the rules (姓名张三男… is a
    labelled name, read at its label). The name is a hit on the line it opens, trusted PARTICULARS_FIT
    times its reading."""
    found: dict[tuple[str, str, int], Particulars] = {}
    for row in rows(lines):
        for start, line in enumerate(row):
            match = _RUN.match("".join(ln.text for ln in row[start:]))
            if match is None or match.group("name").startswith(tuple(stop_words)):
                continue
            name = match.group("name")
            if len(line.text) >= len(name):  # a name cut over two lines is no run a label printer makes
                hit = hit_at(name, line)
                hit.confidence *= PARTICULARS_FIT
                key = (name, match.group("sex"), int(match.group("age")))
                found.setdefault(key, Particulars(hit, key[1], key[2]))
            break
    return next(iter(found.values())) if len(found) == 1 else None


def particulars_checks(
    name: str, found: ExtractedField, run: Particulars, id_number: str | None, case_date: dt.date
) -> list[Check]:
    """The run's sex and age against a valid ID number, each a check naming the field `name` when it was
    read from the run: `id_sex` (a sex the ID number contradicts is another person's run, or a misread
    one), `id_birth_date` (the age from the ID number's birth date on the day the case is handled, or up
    to AGE_LAG years less: the run was printed when the person came in). No valid ID number: no check,
    and the name stays as unsure as its shape made it."""
    from_run = (found.raw, found.bbox) == (run.hit.raw, run.hit.source_bbox)
    if not from_run or id_number is None or not idnumber.is_valid(id_number):
        return []
    age = idnumber.age_on(id_number, case_date)
    return [
        check(Code.id_sex, idnumber.sex(id_number) == run.sex, "病人标签性别", [name]),
        check(Code.id_birth_date, age - AGE_LAG <= run.age <= age, f"病人标签年龄 {run.age}岁", [name]),
    ]
