"""Whether two readings of a person's name are the same name.

Names of Uyghur, Kazakh and other minority holders print as parts joined by the interpunct · (U+00B7):
艾力·买买提. Recognisers and printers give that dot in many forms: the katakana middle dot ・, the
bullet •, the hyphenation point ‧, a full stop, a hyphen, or they drop it. None of these changes whose
name it is, so every form is read as the one interpunct before names are compared, and a reading that
is the other with its interpunct dropped (艾力买买提 for 艾力·买买提) is the same name: every character
and its order agree, only the separator is missing.

Nothing else is forgiven. A reading that differs in any character, or lacks a part (艾力 for
艾力·买买提: a name cut at a line wrap, or another person sharing a given name), is another name, so
two different people never match.
"""

from __future__ import annotations

import re
import unicodedata

from extractors.normalize import NAME_JOINERS

INTERPUNCT = "·"
# The forms the joining dot of a minority name is read as are the extractor's (NAME_JOINERS), after NFKC
# (which makes the half-width ･ the katakana ・): one list, so what extraction joins is what compares.
_FORMS = re.compile(f"\\s*[{re.escape(NAME_JOINERS)}]+\\s*")


def canonical_name(name: str) -> str:
    """The name half-width, without spaces, every interpunct form as one · and none at the edges."""
    text = unicodedata.normalize("NFKC", name)
    text = _FORMS.sub(INTERPUNCT, text).strip(INTERPUNCT)
    return re.sub(r"\s+", "", text)


def same_name(one: str, other: str) -> bool:
    """The two readings name the same person: equal once their interpuncts are made one form, or one is
    the other with its interpuncts dropped."""
    a, b = canonical_name(one), canonical_name(other)
    if a == b:
        return bool(a)
    if INTERPUNCT in a and INTERPUNCT in b:
        return False  # both kept the dot, in different places or with different parts: not one name
    return bool(a) and a.replace(INTERPUNCT, "") == b.replace(INTERPUNCT, "")


def known_name(name: str, names: set[str]) -> bool:
    """Whether `name` is the same name as one of `names`."""
    return any(same_name(name, other) for other in names)


def distinct_names(names: list[str]) -> list[str]:
    """`names` with every later reading of a name already listed left out (first readings kept, in order)."""
    kept: list[str] = []
    for name in names:
        if not known_name(name, set(kept)):
            kept.append(name)
    return kept
