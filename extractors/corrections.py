"""Figures corrected by hand on a record: the typed value struck through, the right one written over it.

The rules for writing medical records (病历书写基本规范) let a record be corrected only so: the wrong
characters struck with a double line, left legible, and the correction written beside them with the
corrector's signature and the date (2025.6.16 韩志军 6.16 over 出院日期：2025年6月14日). The recogniser
reads both: the struck value at its label as if nothing were drawn over it (or, where the strokes cover
its digits, nothing: 住院天数：天), and the correction as a line of its own, with no label, ending in a
name and often a short date. Taking the labelled reading alone is then silently wrong.

A correction is such a line (a figure, then a signature, then perhaps a short date; no colon) standing
just over a labelled value, across its span, or right after it on its row. The field then has two
readings, the struck one and the written one, and extraction never picks one silently: where the stay's
own check (days in hospital = discharge − admission, `checks.stay_days_agree`) holds for exactly one
choice among the readings of the stay's fields, that choice wins and the passing check bears it out.
Where it holds for several, the written readings among them win (the record's rules void the struck ones)
and the passing check bears them out just the same: the struck ones agreeing too is the check's leeway (a
stay counted in nights one way, in calendar days the other), and a written reading misread would agree
only by landing on that other count's date. Otherwise each such field takes the written reading at
CORRECTION_FIT, below any clerk threshold, and a clerk looks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product

from extractors import checks as self_checks
from extractors.kinds import GLUED_DAY_FIT, KINDS, glued_time_days
from extractors.layout import FieldRule, Located, Vocabulary, hit_at
from extractors.normalize import to_halfwidth
from intake.models import ExtractedField

# A field with two readings that no check chooses between: below any clerk threshold.
CORRECTION_FIT = 0.5
# A figure (a date, a count or an age with its unit: 2025.6.16, 2025年6月16日, 4天, 45岁), the corrector's
# signature (two to four characters) and perhaps the short date of the correction (6.16). Nothing else: a
# line of words holding a digit (1. 冠状动脉粥样硬化性心脏病) is no correction.
_FIGURE = r"(?P<value>\d[\d.\-/年月日]*[岁天日]?)"
_SIGNED = r"(?P<signer>[\u4e00-\u9fa5]{2,4})(?P<when>\d{1,2}[.\-/]\d{1,2})?"
_CORRECTION = re.compile(f"^{_FIGURE}{_SIGNED}$")
# The figure and the signature read as two lines side by side: each is the whole of its line.
_FIGURE_ALONE, _SIGNED_ALONE = re.compile(f"^{_FIGURE}$"), re.compile(f"^{_SIGNED}$")
# The fields the stay's check reads, in the order `checks.stay_days_agree` takes them.
_STAY = ("admission_date", "discharge_date", "days_in_hospital")


@dataclass(frozen=True)
class _Segment:
    """Where a field's value stands on a labelled line: from its label's end to the next label's start."""

    name: str
    line: Located
    x0: float
    x1: float
    last: bool  # nothing after it on its line


def hand_corrections(
    lines: list[Located],
    rules: Mapping[str, FieldRule],
    vocabularies: Mapping[str, Vocabulary],
    fields: dict[str, ExtractedField],
    line_sureness: dict[str, float],
) -> set[str]:
    """Applies the corrections written over the record's labelled values to `fields` (and how sure each
    corrected value's line is, to `line_sureness`); returns the fields left with two readings no check
    chose between, which the caller keeps at CORRECTION_FIT after every check has run."""
    segments = _segments(lines, rules)
    written: dict[str, ExtractedField] = {}
    sureness: dict[str, float] = {}
    for line in _signed_figures(lines):
        match = _CORRECTION.match(line.text)
        segment = _under(line, segments) if match else None
        if match is None or segment is None:
            continue
        rule = rules[segment.name]
        parse = KINDS[rule.kind].parse
        value, fit = parse(match["value"], rule, vocabularies) if parse else (None, 0.0)
        if value is None or fit < 1.0:
            continue
        hit = hit_at(match["value"], line)
        written[segment.name] = ExtractedField(
            value=value, raw=hit.raw, confidence=round(hit.confidence, 4), page=hit.page, bbox=hit.source_bbox
        )
        sureness[segment.name] = round(hit.line_confidence, 4)
    two_readings = {name for name, found in written.items() if name in fields and fields[name].value != found.value}
    readings = {name: [found, *([fields[name]] if name in two_readings else [])] for name, found in written.items()}
    chosen = _stay_chosen(fields, readings)
    taken = {**written, **(chosen or {})}
    fields.update(taken)
    line_sureness.update({name: sureness[name] for name, found in taken.items() if found is written[name]})
    if chosen is None and _written_agree(fields, two_readings):
        return two_readings - set(_STAY)
    return two_readings - set(chosen or {})


def _written_agree(fields: dict[str, ExtractedField], two_readings: set[str]) -> bool:
    """Whether the stay's check holds for its fields as they stand, the written reading taken for each field
    of it with two (`two_readings`): the record's own choice, borne out."""
    if not two_readings & set(_STAY) or not all(name in fields for name in _STAY):
        return False
    return self_checks.stay_days_agree(*(str(fields[name].value) for name in _STAY))


def _signed_figures(lines: list[Located]) -> list[Located]:
    """The lines, each figure read as a line of its own with its signature as the next line on its row
    (within two of its heights) joined to it: the correction as one line, over both boxes, read as its
    figure's line."""
    out: list[Located] = []
    for line in lines:
        if not _FIGURE_ALONE.match(line.text):
            out.append(line)
            continue
        x0, y0, x1, y1 = line.bbox
        height = y1 - y0
        beside = [
            other
            for other in lines
            if other.page == line.page
            and _SIGNED_ALONE.match(other.text)
            and abs((other.bbox[1] + other.bbox[3]) / 2 - (y0 + y1) / 2) < 0.5 * height
            and 0 <= other.bbox[0] - x1 < 2 * height
        ]
        if not beside:
            out.append(line)
            continue
        signed = min(beside, key=lambda other: other.bbox[0])
        joined = line.line.model_copy(update={"text": line.line.text + signed.line.text, "char_confidences": None})
        bbox = (x0, min(y0, signed.bbox[1]), signed.bbox[2], max(y1, signed.bbox[3]))
        out.append(Located(page=line.page, line=joined, bbox=bbox))
    return out


def glued_days_chosen(fields: dict[str, ExtractedField], line_sureness: dict[str, float]) -> None:
    """A stay's date whose day was read glued to its time two ways (2025-5-113:40: the 1st at 13:40 or
    the 11th at 3:40, `kinds.glued_time_days`) takes the cut the days in hospital agree with, where exactly
    one choice among the stay's readings agrees: the doubt GLUED_DAY_FIT stood for is settled, and the
    passing days check bears the date out. Otherwise it stays as read, flagged."""
    readings = {
        name: [
            found.model_copy(
                update={"value": day.isoformat(), "confidence": min(1.0, found.confidence / GLUED_DAY_FIT)}
            )
            for day in days
        ]
        for name in _STAY[:2]
        if (found := fields.get(name)) is not None and len(days := glued_time_days(found.raw or "")) > 1
    }
    chosen = _stay_chosen(fields, readings)
    for name, found in (chosen or {}).items():
        fields[name] = found.model_copy(update={"confidence": round(found.confidence, 4)})
        if name in line_sureness:
            line_sureness[name] = round(min(1.0, line_sureness[name] / GLUED_DAY_FIT), 4)


def _stay_chosen(
    fields: dict[str, ExtractedField], readings: dict[str, list[ExtractedField]]
) -> dict[str, ExtractedField] | None:
    """The one choice among the stay's readings (each field's written and struck one, or the one read)
    for which the days in hospital agree with the dates; None when the check holds for none or for more
    than one, or when `readings` offers nothing for any field of the stay."""
    if not any(name in readings for name in _STAY):
        return None
    options = [readings.get(name) or ([fields[name]] if name in fields else []) for name in _STAY]
    if not all(options):
        return None
    agreeing = [
        choice for choice in product(*options) if self_checks.stay_days_agree(*(str(found.value) for found in choice))
    ]
    if len(agreeing) != 1:
        return None
    return {name: found for name, found in zip(_STAY, agreeing[0], strict=True) if name in readings}


def _segments(lines: list[Located], rules: Mapping[str, FieldRule]) -> list[_Segment]:
    """Each value span a labelled line holds: a field's own label (入院日期：) to the next label on the line.
    Only fields read by a parser (a value at a label), their labels longest first."""
    labels = sorted(
        (
            (to_halfwidth(label), name)
            for name, rule in rules.items()
            if KINDS[rule.kind].parse
            for label in rule.labels
        ),
        key=lambda ln: -len(ln[0]),
    )
    out: list[_Segment] = []
    for line in lines:
        text = line.text
        found: list[tuple[int, int, str]] = []
        for label, name in labels:
            for m in re.finditer(re.escape(label), text):
                if not any(m.start() < end and start < m.end() for start, end, _ in found):
                    found.append((m.start(), m.end(), name))
        found.sort()
        width = (line.bbox[2] - line.bbox[0]) / max(len(text), 1)
        for k, (_, end, name) in enumerate(found):
            stop = found[k + 1][0] if k + 1 < len(found) else len(text)
            x0, x1 = line.bbox[0] + end * width, line.bbox[0] + stop * width
            out.append(_Segment(name, line, x0, x1, last=k + 1 == len(found)))
    return out


def _under(correction: Located, segments: list[_Segment]) -> _Segment | None:
    """The value span a correction stands over (its line's middle within a line and a half above the
    span's line, across the span) or right after (on the span's row, past its line's end); of several,
    the one it covers most."""
    x0, y0, x1, y1 = correction.bbox
    middle = (y0 + y1) / 2
    best: tuple[float, _Segment] | None = None
    for segment in segments:
        if segment.line.page != correction.page or segment.line is correction:
            continue
        top, bottom = segment.line.bbox[1], segment.line.bbox[3]
        height, below = bottom - top, (top + bottom) / 2
        over = 0 < below - middle < 1.5 * height and min(x1, segment.x1) - max(x0, segment.x0) > 0
        after = (
            segment.last
            and abs(below - middle) < 0.5 * height
            and -0.5 * height < x0 - segment.line.bbox[2] < 4 * height
        )
        if not (over or after):
            continue
        cover = (min(x1, segment.x1) - max(x0, segment.x0)) if over else 0.0
        if best is None or cover > best[0]:
            best = (cover, segment)
    return best[1] if best else None
