"""Values a record states only in its running text: dates (患者于2025年6月3日因…入院, 于2025年6月12日出院)
and values a phrase frames (住院12天, `phrase_value`).

A paragraph 出院小结 prints no 入院日期 or 出院日期 label: the date stands in a sentence whose verb says
what happened on it. A date is the field's when one of the field's verbs follows it within the same
clause (before the next 。 or ；, and before another date), read in the order a person reads the page:
row by row, a sentence running on over the line below. Such a reading is looser than a labelled one (a
sentence may hold a date of something else: 于…行手术后出院), so it is trusted PROSE_FIT times its line,
below any clerk threshold, unless a self-check bears it out: the stay's length printed as 共住院N天
(`days_in_hospital`, a corroborating check) restores it to its line's reading (extract._borne_out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.kinds import DATE
from extractors.layout import Hit, Located, rows
from extractors.normalize import parse_date

# A date read from prose, with no self-check bearing it out: below the clerk threshold (0.8).
PROSE_FIT = 0.75
# How far after a date its verb may stand (因“腰痛伴左下肢麻木13天”入院 holds a complaint between them).
VERB_REACH = 40
# Where a clause ends: the verb of the next sentence is not this date's.
CLAUSE_END = re.compile(r"[。；;]")
# A verb that opens a label (入院诊断：, 出院情况:) heads the next printed item, not a clause.
_LABEL_AFTER = re.compile(r"[\u4e00-\u9fa5]{0,4}[:：]")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    line: Located


def prose_date(lines: list[Located], verbs: list[str]) -> Hit | None:
    """The date a verb of `verbs` follows in the same clause (the first such date in reading order), as
    a hit trusted PROSE_FIT times its reading; None when no sentence states one. Two different dates
    so stated (入院 told twice, differently) are no answer either way: the first is kept, trusted half."""
    text, spans = _reading_order(lines)
    found: list[tuple[re.Match[str], _Span]] = []
    dates = list(DATE.finditer(text))
    for i, match in enumerate(dates):
        stop = min(match.end() + VERB_REACH, dates[i + 1].start() if i + 1 < len(dates) else len(text))
        clause = CLAUSE_END.split(text[match.end() : stop], maxsplit=1)[0]
        if _states(text, match.end(), clause, verbs) and parse_date(match.group()) is not None:
            span = next(s for s in spans if s.start <= match.start() < s.end)
            found.append((match, span))
    if not found:
        return None
    match, span = found[0]
    raw = match.group()
    line = span.line
    confidence = _date_confidence(raw, match.start(), spans) * PROSE_FIT
    if len({parse_date(m.group()) for m, _ in found}) > 1:
        confidence *= 0.5
    return Hit(
        raw=raw,
        page=line.page,
        bbox=line.bbox,
        confidence=confidence,
        source_bbox=line.line.bbox,
        line_confidence=line.line.confidence,
        chars=line.chars_of(raw),
    )


def _states(text: str, start: int, clause: str, verbs: list[str]) -> bool:
    """Whether a verb of `verbs` stands in the clause (`text` from `start` on) as a verb, not as the
    opening of a label: a one-line stay (住院时间：…至2025/5/1，共住院8天) runs on, in reading order, into
    the next row's 入院诊断：, which says nothing happened on that date."""
    return any(
        not _LABEL_AFTER.match(text, start + found.end())
        for verb in verbs
        for found in re.finditer(re.escape(verb), clause)
    )


def phrase_value(lines: list[Located], pattern: str) -> Hit | None:
    """The value a phrase states where no label gives it (住院12天: the stay's length with 住院 and 天 around
    it): `pattern`'s first group in the first line, in reading order, that holds the phrase whole. The words
    around the value say what it is, as a verb does a date's, but less surely than a label: trusted
    PROSE_FIT times its reading unless a self-check bears it out (the stay's length against its dates)."""
    compiled = re.compile(pattern)
    for row in rows(lines):
        for line in row:
            match = compiled.search(line.text)
            if match is None:
                continue
            raw = match.group(1)
            return Hit(
                raw=raw,
                page=line.page,
                bbox=line.bbox,
                confidence=line.confidence_of(raw) * PROSE_FIT,
                source_bbox=line.line.bbox,
                line_confidence=line.line.confidence,
                chars=line.chars_of(raw),
            )
    return None


def _reading_order(lines: list[Located]) -> tuple[str, list[_Span]]:
    """The page's text row by row, left to right, and where each line's text stands in it."""
    text = ""
    spans: list[_Span] = []
    for row in rows(lines):
        for line in row:
            spans.append(_Span(len(text), len(text) + len(line.text), line))
            text += line.text
    return text, spans


def _date_confidence(raw: str, start: int, spans: list[_Span]) -> float:
    """How sure the date's reading is: the least sure of the lines it stands in (a date may wrap)."""
    end = start + len(raw)
    parts = [s for s in spans if s.start < end and start < s.end]
    return min(s.line.confidence_of(s.line.text[max(start - s.start, 0) : end - s.start]) for s in parts)
