"""Typed fields per document type from OCR lines, normalised, with self-checks.

The stage contract: `extract_document(doc, pages, case_date) -> (fields, checks)`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from extractors import checks as self_checks
from extractors.corrections import CORRECTION_FIT, glued_days_chosen, hand_corrections
from extractors.kinds import DATE, KINDS, FieldKind, short_dates
from extractors.layout import (
    EMPTY_BOX,
    Convention,
    FieldRule,
    FieldRules,
    Hit,
    Located,
    TableRules,
    Wanted,
    beside_in_cell,
    boxed_digits,
    composed_labels,
    continue_lines,
    differences,
    extended,
    field_labels,
    find_value,
    header_match,
    hit_at,
    joined_run_on,
    load_field_rules,
    located_lines,
    lone_line,
    numbered_value,
    page_convention,
    parted_value,
    printed_unread,
    rest_after_label,
    row_match,
    rows,
    title_line,
    titled_cell,
)
from extractors.normalize import (
    ROMAN_NUMERAL_CHARS,
    normalize_id_number,
    parse_amount,
    parse_date,
    to_halfwidth,
    to_simplified,
)
from extractors.particulars import particulars_checks, particulars_run
from extractors.places import check_place, place_lost_character, region_names
from extractors.prose import phrase_value, prose_date
from intake import idnumber
from intake.idnumber import birth_date as birth_date_of
from intake.models import BBox, Check, DocType, Document, ExtractedField, Page, Side
from intake.reasons import Code, check

# A value holding a letter that prints like a digit (`FieldRule.look_alikes`): below any clerk threshold.
LOOK_ALIKE_FIT = 0.5
# A name that does not end as the rule's `ends_with` says it must (its end lost in reading): below any clerk
# threshold.
UNFINISHED_FIT = 0.5
# A value holding a copy's use mark (`FieldRules.copy_marks`): a watermark read into it, below any clerk threshold.
COPY_MARK_FIT = 0.5
# A value that fits only the rule's `short_pattern` (a code printed cut short): below any clerk threshold.
SHORT_FIT = 0.5
# A name whose place is no division and was read unsure (extractors/places.py): below any clerk threshold.
PLACE_DOUBT_FIT = 0.5
# A wrapped value one of whose full rows holds fewer characters than the others (`wrapped_row_short`): below
# any clerk threshold.
SHORT_ROW_FIT = 0.5
# A stage or class in Roman numerals (IIIA期, 心功能III级) is where the recogniser miscounts strokes: in the
# tuning set's staged diagnoses the wrong readings had their least sure numeral at 0.47–0.73, the right
# ones at 0.53–1.0 (most at 0.97 and over). A text value is no surer than a numeral it holds read below
# ROMAN_FLOOR: below the clerk threshold, a clerk reads the stage.
ROMAN_FLOOR = 0.9
# The kinds a date is read by: a date, or either end of a range.
_DATED_KINDS = ("date", "date_range_start", "date_range_end")


# Two dates joined as a range (2025.6.3-2025.6.15, 2025年6月3日至6月15日).
# A time of day may stand after the first (2025-06-03 08:12—2025-06-12 10:55).
_RANGE_JOIN = re.compile(r"(?:\s*\d{1,2}\s*[:：时]\s*\d{1,2}\s*分?)?\s*(?:-|~|～|至|到|—|–|－)\s*")
_YEARLESS_DAY = re.compile(r"\d{1,2}\s*[月.\-/]\s*\d{1,2}")
# A range read where a label of one day stands: below any clerk threshold.
RANGE_AT_DAY_FIT = 0.5


def range_at_day_label(raw: str) -> bool:
    """Whether the text read after a label naming one day (出院日期, 入院日期) holds a range of two dates
    (2025.6.3-2025.6.15): a label of one day is followed by one date, so the label read is the range's own
    under a name no rule knows (入出院日期 read as 出院日期 inside it), or the next label was lost in
    reading. Which end is the field's is then not known, and a clerk reads it: the date taken (the first)
    is one end of the stay, right for one of the two and wrong for the other, and nothing else checks it."""
    text = to_halfwidth(raw)
    for match in DATE.finditer(text):
        join = _RANGE_JOIN.match(text, match.end())
        if join is None or join.end() == match.end():
            continue
        if DATE.match(text, join.end()) or _YEARLESS_DAY.match(text, join.end()):
            return True
    return False


def _rule_key(doc: Document) -> str:
    if doc.doc_type is DocType.id_card:
        return "id_card_back" if doc.side is Side.back else "id_card_front"
    return doc.doc_type.value


def marked_by_copy(value: str, marks: list[str]) -> bool:
    """Whether a value holds one of the words a copy's holder prints or stamps across it to restrict its use
    (仅限医保报销使用, 他用无效, tiled over a card by a phone app or a copy shop). No field of a document states
    such a restriction, so a value holding one ran into the watermark, or is the watermark: what the field
    printed under it is not known, and a clerk reads it. A mark may be cut at either end where the tiling
    crosses a line, so any mark inside the value counts, not only a whole phrase."""
    plain = to_halfwidth(value).replace(" ", "")
    return any(mark in plain for mark in marks)


def mark_at_end(value: str, marks: list[str]) -> bool:
    """Whether a value read on a page a copy's use mark is tiled over (`marked_by_copy` holds for a line of
    it) opens or ends with a character of the mark's words (韦浩用: 用 of 报销使用): the tiling's letters cross
    the card's lines, and the recogniser reads one that touches a value into it, at its end, however sure. A
    clerk reads the value; a value ending otherwise is not doubted, nor one on a page bearing no mark."""
    letters = set("".join(marks))
    plain = to_halfwidth(value).replace(" ", "")
    return bool(plain) and (plain[0] in letters or plain[-1] in letters)


def _address(lines: list[Located], hit: Hit, stop_labels: list[str]) -> Hit:
    """An ID card's address wraps onto following lines until the next label."""
    return extended(hit, _address_rows(lines, hit, stop_labels))


def _address_rows(lines: list[Located], hit: Hit, stop_labels: list[str]) -> list[Located]:
    """The lines an address found at `hit` runs on over, one per row, top to bottom. A row it runs on over
    starts under its first row (`under_first_row`): text starting right of that row's end is beside the
    value, not its next row."""
    more: list[Located] = []
    x0 = hit.bbox[0]
    y_end = hit.bbox[3]
    last = hit.bbox
    for line in sorted(lines, key=lambda ln: ln.bbox[1]):
        # A line whose middle lies above the last line's bottom is on that row (boxes of adjacent rows overlap),
        # unless it stands under the last line, below its middle: two texts of one row never overlap across,
        # and a box drawn tall (a watermark's stroke joined to it) reaches over the next row's middle.
        middle = (line.bbox[1] + line.bbox[3]) / 2
        under = line.bbox[0] < last[2] and last[0] < line.bbox[2] and middle > (last[1] + last[3]) / 2
        if line.page != hit.page or (middle < y_end and not under):
            continue
        if sum(ch.isdigit() for ch in line.text) >= 10:  # the ID number's row: the address has ended
            break
        if any(label in line.text for label in stop_labels) or line.bbox[1] - y_end > 1.5 * (hit.bbox[3] - hit.bbox[1]):
            break
        if line.bbox[0] >= x0 - 40 and under_first_row(line.bbox, hit.bbox):
            more.append(line)
            y_end, last = line.bbox[3], line.bbox
    return more


def under_first_row(row: BBox, first: BBox) -> bool:
    """Whether a row a wrapped value runs on over starts under the value's first row (left of its end). A
    value printed wrapped (an ID card's 住址) breaks where its column ends and goes on at its column's left
    edge, so every row starts under the first; a line starting right of the first row's end stands beside
    the value's column (a card's photo, or the print of a newspaper the card lies on) and is not its row."""
    return row[0] < first[2]


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def wrapped_row_short(rows: list[str]) -> bool:
    """Whether a value printed wrapped over `rows` (an ID card's 住址, broken where the line is full) lost a
    character in reading one of its rows: a row before the last was broken because it was full, so a row of
    wide characters only (汉字) holds as many as the row's width takes, and any other full row holds at least
    as many (a digit or a letter is narrower than a 汉字: a row holding some takes more characters, never fewer;
    a card that breaks every row after the same count of characters gives them all the same count). A row of
    汉字 only holding fewer characters than another full row lost one: the recogniser drops a thin stroke
    (一) at full confidence, and nothing else shows it. Only rows before the last are compared (the last is
    as long as what is left), and a value of fewer than two such rows has nothing to compare with."""
    full = [re.sub(r"[\s:：]", "", row) for row in rows[:-1]]
    full = [row for row in full if row]
    if len(full) < 2:
        return False
    longest = max(len(row) for row in full)
    return any(len(row) < longest and all(_wide(ch) for ch in row) for row in full)


def extract_fields(doc: Document, pages: list[Page]) -> dict[str, ExtractedField]:
    return _extract(doc, pages)[0]


def _extract(
    doc: Document, pages: list[Page]
) -> tuple[dict[str, ExtractedField], dict[str, float], list[Check], dict[str, str]]:
    """The fields; for each one read from a line, how sure that line's reading is as a whole (what a
    passing self-check restores a value to: `_borne_out`); the places found doubtful; and for each field
    not read whose label the page prints (`printed_unread`), that label."""
    all_rules = load_field_rules()
    rules = all_rules.types.get(_rule_key(doc))
    if not rules:
        return {}, {}, [], {}
    # A label of any document type is never a value (a blank 交款人 must not read the next header).
    # Nor is a line opening with a copy's use mark (`FieldRules.copy_marks`): a watermark, not the document's.
    stop_values = (
        frozenset(all_rules.stop_values)
        | frozenset(all_rules.copy_marks)
        | {label for fields in all_rules.types.values() for rule in fields.values() for label in rule.every_label}
    )
    all_labels = [label for rule in rules.values() for label in rule.every_label]
    # A card is levelled by its own labels' lines: it is often photographed lying on printed matter.
    level_on = frozenset(map(to_halfwidth, all_labels)) if doc.doc_type is DocType.id_card else frozenset()
    lines = composed_labels(located_lines(pages, level_on), frozenset(map(to_halfwidth, all_labels)))
    fields: dict[str, ExtractedField] = {}
    line_sureness: dict[str, float] = {}
    doubts: list[Check] = []
    wanted = {
        name: Wanted(rule, _other_labels(rule, all_labels, all_rules), _accept(rule), stop_values)
        for name, rule in rules.items()
        if KINDS[rule.kind].read is None
    }
    # Where this document prints values relative to their labels, learnt once from all its fields.
    convention = page_convention(lines, list(wanted.values()))
    watermarked = any(marked_by_copy(line.text, all_rules.copy_marks) for line in lines)
    body = _without_title(lines, rules)
    for name, rule in rules.items():
        kind = KINDS[rule.kind]
        # The labels a value is read after are looked for off the title's line.
        labelled = lines if rule.before or kind.whole_line else body
        if kind.read is not None:
            found = kind.read(labelled, rule, _finder(labelled, stop_values, convention))
            if found:
                fields[name] = found
            continue
        others, accept = wanted[name].other_labels, wanted[name].accept
        hit = _short_dated(labelled, rule, others) or find_value(
            labelled, rule, others, accept=accept, stop_values=stop_values, convention=convention
        )
        if hit is None and rule.guess_labels:
            guessed = rule.model_copy(update={"labels": rule.guess_labels})
            hit = find_value(labelled, guessed, others, accept=accept, stop_values=stop_values, convention=convention)
            if hit is not None:
                hit.confidence *= rule.fallback_factor
        if hit is None and rule.fallback_pattern:
            hit = _fallback(lines, rule.fallback_pattern, rule)
        if hit is None and rule.lone_pattern and (lone := lone_line(lines, re.compile(rule.lone_pattern))):
            hit = hit_at(lone.text, lone, lone.line.confidence * rule.fallback_factor)
        own_rule, own_kind = rule, kind
        if hit is None and rule.in_range is not None:  # no label of its own: the range's end it is
            kind = KINDS[f"date_range_{rule.in_range.end}"]
            rule = rule.model_copy(update={"labels": rule.in_range.labels, "kind": kind.name, "in_range": None})
            hit = _short_dated(labelled, rule, others) or find_value(
                labelled, rule, others, accept=kind.accept, stop_values=stop_values, convention=convention
            )
        if hit is None and own_rule.stand_in_labels:  # no label, no range: the date standing in for it
            rule, kind = own_rule.model_copy(update={"labels": own_rule.stand_in_labels}), own_kind
            hit = _short_dated(labelled, rule, others) or find_value(
                labelled, rule, others, accept=accept, stop_values=stop_values, convention=convention
            )
        if hit is None and own_rule.in_prose:  # no label, no range: the sentence that states it
            rule, kind = own_rule, own_kind
            hit = prose_date(lines, rule.in_prose)
        if hit is None and own_rule.in_phrase is not None:  # no label: the phrase that states it
            rule, kind = own_rule, own_kind
            hit = phrase_value(lines, own_rule.in_phrase)
        if hit is None and own_rule.in_particulars:  # no label: the run of particulars it opens
            rule, kind = own_rule, own_kind
            run = particulars_run(lines, stop_values)
            hit = run.hit if run is not None else None
        if kind.boxed_digits and (hit is None or _parsed(kind, hit, rule, all_rules) is None):
            hit = _empty_box_filled(boxed_digits(lines, rule.labels)) or _lone_valid_id(lines) or hit
        if hit is None and rule.short_pattern:  # the value is then taken by the short pattern, too
            short = re.compile(rule.short_pattern)
            rule = rule.model_copy(update={"pattern": rule.short_pattern})
            hit = find_value(labelled, rule, others, accept=short, stop_values=stop_values, convention=convention)
            if hit is not None:
                hit.confidence *= SHORT_FIT
        if hit is None:
            continue
        # A table's cell is whole: the row under it is the next entry, not its run-on.
        cell = titled_cell(lines, hit, rule.column_titles) if rule.column_titles else None
        wraps = cell is None and kind.wraps_below
        wrapped = [hit.raw, *(ln.text for ln in _address_rows(lines, hit, others))] if wraps else []
        hit = cell if cell is not None else _whole_value(lines, hit, rule, others)
        assert kind.parse is not None  # a kind registers a parser or a reader
        value, fit = kind.parse(to_halfwidth(hit.raw), rule, all_rules.vocabularies)
        if wrapped_row_short([to_halfwidth(row) for row in wrapped]):
            fit = min(fit, SHORT_ROW_FIT)
        if isinstance(value, str) and rule.ends_with and not value.endswith(tuple(rule.ends_with)):
            whole = _finished_by_letterhead(lines, value, rule)
            if whole is not None:
                hit = whole
                value, fit = kind.parse(to_halfwidth(hit.raw), rule, all_rules.vocabularies)
            else:
                fit = min(fit, UNFINISHED_FIT)
        if isinstance(value, str) and any(c in rule.look_alikes for c in value):
            fit = min(fit, LOOK_ALIKE_FIT)
        if kind.name == "date" and range_at_day_label(hit.raw):
            fit = min(fit, RANGE_AT_DAY_FIT)
        if marked_by_copy(hit.raw, all_rules.copy_marks):  # the value, or the line it was read from
            fit = min(fit, COPY_MARK_FIT)
        if isinstance(value, str) and watermarked and mark_at_end(value, all_rules.copy_marks):
            fit = min(fit, COPY_MARK_FIT)
        # A character read below the rule's floor: the value is no surer than LOOK_ALIKE_FIT, unless the
        # place check mended it (the unsure character was the place's, and one division fits), or a
        # self-check reading it again elsewhere (a seal's ring) bears it out: left out of what `_borne_out`
        # restores.
        char_doubt = 1.0
        if isinstance(value, str) and rule.char_floor is not None:
            chars = _chars_of(hit, value)
            if chars and min(chars) < rule.char_floor:
                char_doubt = LOOK_ALIKE_FIT
        if value is None or (isinstance(value, str) and _opens_with_label(value, kind, stop_values)):
            continue
        confidence = hit.confidence * fit
        if kind.numerals_checked:
            confidence = min(confidence, _numerals_sureness(hit))
        found = ExtractedField(
            value=value,
            raw=hit.raw,
            confidence=round(confidence, 4),
            page=hit.page,
            bbox=hit.source_bbox,
            repaired=hit.repaired,
        )
        if rule.places:
            found, doubtful = _place_checked(found, hit, "".join(ln.text for ln in lines))
            if doubtful:
                doubts.append(check(Code.place_name_known, False, fields=[name]))
        if not found.repaired and found.confidence > char_doubt:
            found = found.model_copy(update={"confidence": char_doubt})
        if rule.repeated and isinstance(value, str) and _read_surer_elsewhere(lines, hit, value):
            found = found.model_copy(update={"confidence": min(found.confidence, LOOK_ALIKE_FIT)})
        fields[name] = found
        line_sureness[name] = round(hit.line_confidence * fit, 4)
    table = all_rules.tables.get(doc.doc_type.value)
    if table is not None:
        items = table_items(lines, table)
        if items:
            fields["items"] = items
            fields.update(_table_dates(items, table, rules, fields))
    # A record or list faxed or copied darkly loses the first character of a short label (【院号】 for 住院号).
    damaged = doc.doc_type in (DocType.discharge_record, DocType.expense_list)
    unread = {
        name: label
        for name, want in wanted.items()
        if name not in fields
        and not want.rule.required
        and (
            label := printed_unread(body, want)
            or _worded_unread(body, want)
            or _range_unread(lines, want.rule)
            or (_headless_label(lines, want, all_labels) if damaged else None)
        )
        is not None
    }
    unread.update(
        {
            name: to_halfwidth(rule.labels[0])
            for name, rule in rules.items()
            if rule.paired_with is not None
            and name not in fields
            and name not in unread
            and (rule.paired_with in fields or rule.paired_with in unread)
        }
    )
    return fields, line_sureness, doubts, unread


def _short_dated(lines: list[Located], rule: FieldRule, others: list[str]) -> Hit | None:
    """A date printed with a two-digit year right after its label, on the label's own line (记录日期：25-6-3;
    a range's two, 25-6-3/25-6-15): read there (`kinds.short_dates`), before any full date the association
    would find off the label's line, which is another label's. Only there: a fragment standing alone near a
    label (25.06.20 of an app's tiled watermark beside a card's 有效期限) is no value, and a range is two dates."""
    if rule.kind not in _DATED_KINDS:
        return None
    needed = 1 if rule.kind == "date" else 2
    for label in map(to_halfwidth, rule.labels):
        for line in lines:
            rest = rest_after_label(line.text, label, others)
            if not rest or DATE.search(rest):
                continue
            dates = short_dates(rest)
            if len(dates) >= needed and dates[0][0] == 0:
                return hit_at(rest, line)
    return None


def _without_title(lines: list[Located], rules: dict[str, FieldRule]) -> list[Located]:
    """The lines less the document's title line, where the type reads a title (a whole line a title word
    ends: 参保人员异地就医备案申请表). A title names the form: a word of it that some field uses as a label
    (参保人 of 参保人员) is not that label there, and what follows it is no value (员异地 read as the
    applicant's name). A field read before its label (a hospital named before 出院记录) still reads it."""
    titled = [rule for rule in rules.values() if KINDS[rule.kind].whole_line]
    title = title_line(lines, [to_halfwidth(label) for rule in titled for label in rule.labels]) if titled else None
    return [line for line in lines if line is not title]


def _opens_with_label(value: str, kind: FieldKind, stop_values: frozenset[str]) -> bool:
    """Whether a value opens with a label or a word that is never a value (a neighbour lookup that hit the
    next label). Not for a title, which is a whole line a title word ends (…备案申请表): its name may open
    with a word some field uses as a label (参保人 in 参保人员异地就医备案申请表) and is no less the title."""
    return not kind.whole_line and any(value.startswith(word) for word in stop_values)


def _whole_value(lines: list[Located], hit: Hit, rule: FieldRule, others: list[str]) -> Hit:
    """The value found at a label made whole: its kept part (`parted_value`), and what it runs on over (an
    address's next line, a numbered list's items, a diagnosis's wrapped lines, a name after its joiner)."""
    kind = KINDS[rule.kind]
    if rule.parts:
        hit = parted_value(lines, hit, rule.parts)
    if kind.wraps_below:
        return _address(lines, hit, others)
    if rule.numbered and (listed := numbered_value(lines, hit, others, rule.numbered)) is not None:
        return listed
    if rule.multiline:
        return continue_lines(lines, hit, others)
    if kind.wraps_at_joiner:
        return joined_run_on(lines, hit)
    return hit


def _range_unread(lines: list[Located], rule: FieldRule) -> str | None:
    """The label of the range a date is one end of (`in_range`), where it stands with a date after it on
    its line, for a date not read: the range is printed, and this end of it was not read (住院时间：2025-05-08
    至202S-1011, its end misread past parsing). None where no such range stands."""
    if rule.in_range is None:
        return None
    for label in map(to_halfwidth, rule.in_range.labels):
        for line in lines:
            pos = line.text.find(label)
            if pos >= 0 and (DATE.search(line.text[pos + len(label) :]) or short_dates(line.text[pos + len(label) :])):
                return label
    return None


# A label's words: a run of Chinese characters before a colon (联系手机：), or before what follows it.
_LABEL_RUN = re.compile(r"([\u4e00-\u9fa5]{2,10})(:?)")


def _worded_unread(lines: list[Located], want: Wanted) -> str | None:
    """A label of the field in a wording its rule does not list, for a field no value was read for: a run of
    Chinese characters holding one of its `label_words`, no other field's label among them, standing before a
    colon with something after it (a label printed blank, 手机：, says the form was left so), or before a
    value the field accepts (联系手机13800000000, the colon not read). The form prints the field there: the
    value is unread, and a clerk is told."""
    rule = want.rule
    if not rule.label_words or rule.before or KINDS[rule.kind].whole_line:
        return None
    others = [to_halfwidth(label) for label in want.other_labels]
    for line in lines:
        for match in _LABEL_RUN.finditer(line.text):
            words, after = match.group(1), line.text[match.end() :]
            if not any(word in words for word in rule.label_words) or any(other in words for other in others):
                continue
            if match.group(2) and after.strip() and not _LABEL_RUN.fullmatch(after):
                return words
            if not match.group(2) and want.accept is not None and want.accept.match(after):
                return words
    return None


# What may stand before a label whose first character was lost or misread (【1日院天数】: 住 read as 1日).
_LOST_HEAD = 2


def _headless_label(lines: list[Located], want: Wanted, all_labels: list[str]) -> str | None:
    """The field's label, where it stands with its first character lost or misread (【院号】138895831,
    【1日院天数】5天: a faxed record's 住 gone) at the head of a line or a bracketed cell, a value the field
    accepts after it, and no other field's label there (院日期 in 出院日期 is that field's): the field is
    printed and not read, and a clerk is told. Never a value: what is left of a short label (院号) is too
    little to read a value at, but enough to know one was printed."""
    rule = want.rule
    if rule.before or KINDS[rule.kind].whole_line or want.accept is None:
        return None
    others = [to_halfwidth(label) for label in all_labels if label not in rule.labels]
    for label in map(to_halfwidth, rule.labels):
        stem = label[1:]
        if len(stem) < 2:
            continue
        for line in lines:
            text = line.text
            for found in re.finditer(re.escape(stem), text):
                head = re.split(r"[】\]]", text[: found.start()])[-1].lstrip("【[")
                overlapped = any(
                    o.start() < found.end() and found.start() < o.end()
                    for other in others
                    for o in re.finditer(re.escape(other), text)
                )
                rest = text[found.end() :].lstrip("】]:：")
                if len(head) <= _LOST_HEAD and not overlapped and want.accept.match(rest):
                    return label
    return None


def _other_labels(rule: FieldRule, all_labels: list[str], all_rules: FieldRules) -> list[str]:
    """The labels that end a value of `rule` and are never one: the type's other fields' labels (not one
    inside an own label: 日期 in 入院日期) and the words printed beside values no field reads (复核人)."""
    own = set(rule.every_label)
    others = [label for label in all_labels if label not in own and not any(label in o for o in own)]
    return others + all_rules.boundary_labels + ranges_holding_own(rule)


def ranges_holding_own(rule: FieldRule) -> list[str]:
    """The labels of the range a date is one end of that hold one of its own labels (入出院日期 holds 出院日期):
    such a label names the whole range, so the own label inside it is the range's, not a label of its own
    with one day after it (出院日期 read in 入出院日期：2025.6.3-2025.6.15 would take the stay's first day for
    its last). Counted among the labels that are not the field's own for its own labels' search; the range
    is still read under its own label (`in_range`)."""
    if rule.in_range is None:
        return []
    own = [to_halfwidth(label) for label in rule.labels]
    return [label for label in rule.in_range.labels if any(o in to_halfwidth(label) and o != label for o in own)]


def _accept(rule: FieldRule) -> re.Pattern[str] | None:
    """What a text must hold to be taken as the field's value: its rule's pattern, else its kind's."""
    return re.compile(rule.pattern) if rule.pattern else KINDS[rule.kind].accept


def _table_dates(
    items: ExtractedField, table: TableRules, rules: dict[str, FieldRule], fields: dict[str, ExtractedField]
) -> dict[str, ExtractedField]:
    """The date fields no label gave that a rule reads from the table (`from_table`): the earliest or latest
    item date (a daily list's 日期 column), trusted the rule's `fallback_factor` times: the stay may begin
    or end on a day nothing was charged, so a clerk confirms it."""
    assert isinstance(items.value, list)
    dates = sorted(str(item[c]) for item in items.value for c in table.date_columns if item.get(c))
    out: dict[str, ExtractedField] = {}
    for name, rule in rules.items():
        if rule.from_table is None or name in fields or not dates:
            continue
        value = dates[0] if rule.from_table == "start" else dates[-1]
        confidence = round(items.confidence * rule.fallback_factor, 4)
        out[name] = ExtractedField(value=value, raw=value, confidence=confidence, page=items.page, bbox=items.bbox)
    return out


def _empty_box_filled(hit: Hit | None) -> Hit | None:
    """An ID number read a digit a box with one box read empty (`layout.EMPTY_BOX`): the one digit there
    that the check digit allows, trusted EMPTY_BOX_FIT times (below any clerk threshold: that the empty
    box is the missing digit's rests on the boxes' spacing, and a digit that fits the check exists for
    nearly any place). None when no digit fits; the hit as found when no box was empty."""
    if hit is None or hit.raw.count(EMPTY_BOX) != 1:
        return hit
    fitting = [
        number
        for digit in "0123456789"
        if len(number := normalize_id_number(hit.raw.replace(EMPTY_BOX, digit))) == 18 and idnumber.is_valid(number)
    ]
    if len(fitting) != 1:
        return None
    return replace(hit, raw=fitting[0], confidence=hit.confidence * EMPTY_BOX_FIT, repaired=True)


# An ID number whose one box read empty was filled by its check digit: below any clerk threshold.
EMPTY_BOX_FIT = 0.5


def _lone_valid_id(lines: list[Located]) -> Hit | None:
    """Where no label gives an ID number (a card photographed aslant: the number stands above its label's
    row), the one 18-character number on the document whose check digit bears it out. None when there is
    none, or several (an applicant's and an agent's): which is whose cannot be told without a label."""
    found = {
        number: line
        for line in lines
        for number in re.findall(r"(?<![0-9])\d{17}[\dX](?![0-9X])", normalize_id_number(line.text))
        if idnumber.is_valid(number)
    }
    if len(found) != 1:
        return None
    [line] = found.values()
    return hit_at(line.text, line)


def _parsed(kind: FieldKind, hit: Hit, rule: FieldRule, rules: FieldRules) -> object | None:
    """The value `kind` reads from a hit's text, or None."""
    assert kind.parse is not None
    return kind.parse(to_halfwidth(hit.raw), rule, rules.vocabularies)[0]


def _numerals_sureness(hit: Hit) -> float:
    """How sure the Roman numerals of a text value are read (1.0: none, or all at ROMAN_FLOOR or above)."""
    if hit.chars is None:
        return 1.0
    numerals = [conf for char, conf in zip(hit.raw, hit.chars, strict=False) if char in ROMAN_NUMERAL_CHARS]
    least = min(numerals, default=1.0)
    return least if least < ROMAN_FLOOR else 1.0


# Characters of a unit's name read at its label that the letterhead must open with to finish it: fewer would
# let a short common start (浙江省, 杭州市) match another unit's letterhead by chance.
MIN_NAME_START = 5


def _finished_by_letterhead(lines: list[Located], value: str, rule: FieldRule) -> Hit | None:
    """A unit's name read at its label but cut short (it does not end as `rule.ends_with` says a name ends:
    the unit's seal printed over its end, a cell too narrow for it): the letterhead, where the same bill
    prints the unit's name whole (a line at the top matching `rule.fallback_pattern`), finishes it when it
    opens with all that was read. The two printings then agree on every character read at the label, and the
    letterhead gives the rest; the value is as sure as the letterhead's reading (a character read unsure at
    the label, where the seal's ink crosses it, is borne out by the letterhead reading the same). A letterhead
    that names another unit, or a start too short to tell (MIN_NAME_START), finishes nothing: the cut name
    stays flagged."""
    if rule.fallback_pattern is None or len(value) < MIN_NAME_START:
        return None
    header = header_match(lines, re.compile(rule.fallback_pattern))
    if header is None or len(header.text) <= len(value) or not header.text.startswith(value):
        return None
    if not header.text.endswith(tuple(rule.ends_with)):
        return None
    return hit_at(header.text, header)


def _fallback(lines: list[Located], pattern: str, rule: FieldRule) -> Hit | None:
    """Where no label gives the value: the letterhead line matching `pattern`, else the text matching it
    beside `rule.fallback_row`'s labels; trusted `fallback_factor` times its line."""
    matching = re.compile(pattern)
    header = header_match(lines, matching)
    if header is not None:
        return hit_at(header.text, header, header.line.confidence * rule.fallback_factor)
    beside = row_match(lines, matching, rule.fallback_row) if rule.fallback_row else None
    if beside is None:
        return None
    line, text = beside
    return hit_at(text, line, line.line.confidence * rule.fallback_factor)


def _place_checked(found: ExtractedField, hit: Hit, printed: str) -> tuple[ExtractedField, bool]:
    """A name whose place one division is certain to be (by its unsure character, or by the document's
    own print of it elsewhere: `printed`), mended; one whose place is doubtful, below any clerk threshold
    (and True)."""
    place = check_place(str(found.value), _chars_of(hit, str(found.value)), printed)
    if place.mended:
        return self_checks.as_repaired(found, place.value), False
    if place.doubtful:
        return found.model_copy(update={"confidence": round(found.confidence * PLACE_DOUBT_FIT, 4)}), True
    return found, False


# A value this short shares all but one character with too many other words to be compared with them.
REPEAT_MIN = 3
# A character read this sure is not doubted for another reading of it.
REPEAT_DOUBT = 0.9


def _read_surer_elsewhere(lines: list[Located], hit: Hit, value: str) -> bool:
    """The value is printed again elsewhere on the document (a record's continuation page repeats the name in
    its running head, a diagnosis stands under both labels) and read there with one character different,
    that character read surer there than here below REPEAT_DOUBT (熊志雷 at 0.61 beside 熊志雪 at 0.94): the two
    readings cannot both be right, and the unsure one is the likelier misread, so a clerk looks. Values
    shorter than REPEAT_MIN are not compared (two characters share one with many words); a character read
    sure is not doubted."""
    own = _chars_of(hit, value)
    if own is None or len(value) < REPEAT_MIN or min(own) >= REPEAT_DOUBT:
        return False
    for line in lines:
        text = line.text
        for start in range(len(text) - len(value) + 1):
            window = text[start : start + len(value)]
            if differences(window, value) != 1:
                continue
            at = next(k for k, (a, b) in enumerate(zip(window, value, strict=True)) if a != b)
            theirs = line.chars_of(window) if _WORD.match(window[at]) else None
            if theirs is not None and own[at] < REPEAT_DOUBT and theirs[at] > own[at]:
                return True
    return False


def _chars_of(hit: Hit, value: str) -> tuple[float, ...] | None:
    """The confidence of each character of `value`, as it stands in the text it was read from."""
    if hit.chars is None:
        return None
    for text in (to_halfwidth(hit.raw), to_simplified(to_halfwidth(hit.raw))):
        start = text.find(value)
        if start >= 0 and len(text) == len(hit.chars):
            return hit.chars[start : start + len(value)]
    return None


def _borne_out(fields: dict[str, ExtractedField], line_sureness: dict[str, float], checks: list[Check]) -> None:
    """A value that a passing self-check bears out (a check digit, two readings that must agree: one
    misread character would fail it) is as sure as its line's reading, not its least sure character.
    A repaired value is not: the repair is what made its check pass."""
    failed = {name for c in checks if not c.ok for name in c.fields}
    borne_out = {name for c in checks if c.ok and c.code in self_checks.CORROBORATING for name in c.fields}
    for name in borne_out - failed:
        found = fields.get(name)
        if found is not None and not found.repaired and name in line_sureness:
            fields[name] = found.model_copy(update={"confidence": max(found.confidence, line_sureness[name])})


def _finder(
    lines: list[Located], stop_values: frozenset[str], convention: Convention
) -> Callable[[FieldRule, re.Pattern[str] | None, bool], Hit | None]:
    """The layout search a kind reading the whole document uses (a signature's name at its label)."""

    def find(rule: FieldRule, accept: re.Pattern[str] | None, in_cell: bool) -> Hit | None:
        hit = find_value(lines, rule, [], accept=accept, stop_values=stop_values, convention=convention)
        return beside_in_cell(lines, rule.labels, accept) if hit is None and in_cell else hit

    return find


def table_items(lines: list[Located], table: TableRules) -> ExtractedField | None:
    """Table rows under a header naming the columns, on every page; a total row (合计) is no item.

    Each cell goes to the column whose header stands nearest its centre. Columns an item does not keep
    (编码, 规格, 单位, 医保等级) are columns all the same, so their text runs into no kept column."""
    items: list[dict[str, str]] = []
    confidences: list[float] = []
    headed: list[list[str]] = []  # the kept columns the header named when each item was read
    first: Located | None = None
    merged_day: dict[str, str] = {}  # a date standing alone between rows: the day of the items after it
    columns: dict[str, float] = {}
    section_pattern = re.compile(table.section_pattern) if table.section_pattern else None
    times = re.compile(table.price_times_count) if table.price_times_count else None
    section: str | None = None
    last_name: Located | None = None  # the line the last item's name was read from
    graded: set[str] = set()  # the brackets the list prints a grade after a name in (`_grade_brackets`)
    for row in rows(_one_under_another(lines, table)):
        row_text = "".join(ln.text for ln in row)
        header = _header_columns(row, table)
        if header:
            # A continuation page repeats the list's header; a title misread there (类別) keeps its column
            # where the last header had it, instead of its cells running into a neighbour's.
            columns = {**columns, **header}
            continue
        if not columns or any(word in row_text for word in table.total_words):
            continue
        named = section_pattern.fullmatch(to_halfwidth(row_text)) if section_pattern else None
        if named:
            section = to_simplified(named.group(1))
            continue
        cells: dict[str, str] = {}
        sureness: dict[str, float] = {}
        for column, text, confidence in _words_named(row, columns, table):
            cells[column] = cells.get(column, "") + text
            sureness[column] = min(sureness.get(column, 1.0), confidence)
        for column in _cut_through(row, columns, table):
            sureness[column] = min(sureness.get(column, 1.0), EMPTY_CELL_FIT)
        dated = any(c in columns for c in table.date_columns)
        item = _item(cells, table, seq=len(items) + 1, dated=dated)
        if item is None and dated and (days := _merged_days(cells, table)):
            _days_back(items, days)
            merged_day = days
            continue
        if item is None and items and last_name is not None and (wrap := _name_wrap(row, cells, last_name, table)):
            column, line = wrap
            items[-1][column] += to_simplified(line.text)
            confidences[-1] = min(confidences[-1], line.line.confidence)
            last_name = line
            continue
        if item is None and items and times is not None:
            confidences[-1] = min(confidences[-1], _continued(items[-1], row, times, section_pattern, table))
            continue
        fixed_count = False
        if item and "quantity" in item and not item["quantity"]:
            item["quantity"] = _count_borne_out(item, cells)
            if not item["quantity"]:
                # Not read, but fixed by the row's own figures: nothing read bears the row out, a clerk looks.
                item["quantity"] = _count_fixed(item)
                fixed_count = item["quantity"] != "" and not _count_unambiguous(item)
        if item:
            _days_back(items, {c: item[c] for c in table.date_columns if item.get(c)})
            for day in (c for c in table.date_columns if c in item and not item[c]):
                # A daily list prints each day once, over its first item; a merged cell's once for its rows.
                item[day] = merged_day.get(day) or (items[-1][day] if items else "")
            merged_day = {}
        if item and section and table.section_column and not item.get(table.section_column):
            item[table.section_column] = section
        if item:
            items.append(item)
            graded |= _grade_brackets(cells, table)
            row_sureness = _row_confidence(item, sureness, table)
            doubtful = fixed_count or any(_HEADLESS.match(item.get(c, "")) for c in table.key_columns)
            confidences.append(min(row_sureness, EMPTY_CELL_FIT) if doubtful else row_sureness)
            headed.append([c for c in table.item_columns if c in columns])
            first = first or row[0]
            last_name = next((ln for ln in row if _cell_parts(ln, columns)[0][0] in _name_columns(table)), None)
    if not columns:
        return card_items(lines, table)
    if not items or first is None:
        return None
    _drop_misread_grades(items, graded, table)
    # A cell of a column the header names, left empty: nothing bears the item out, a clerk looks.
    confidences = [
        min(confidence, EMPTY_CELL_FIT) if any(not item.get(c) for c in kept) else confidence
        for item, confidence, kept in zip(items, confidences, headed, strict=True)
    ]
    return ExtractedField(
        value=items, raw=None, confidence=round(min(confidences), 4), page=first.page, bbox=first.line.bbox
    )


def _cut_through(row: list[Located], columns: dict[str, float], table: TableRules) -> set[str]:
    """The kept text columns whose cell the recogniser read as two boxes of words that overlap: the cut
    between them ran through a character, and each half was read as a character of its own (汀 as 他 | 丁,
    both halves sure). Words in one cell stand apart or run on in one box; an overlap is a character cut in
    two, so the cell's reading is doubtful however sure each box is."""
    text_columns = {c for c, spec in table.columns.items() if spec.value == "text"}
    cut: set[str] = set()
    for left, right in pairwise(row):
        placed = {column for line in (left, right) for column, _ in _cell_parts(line, columns)}
        words = _WORD.search(left.text[-1:]) and _WORD.search(right.text[:1])
        if len(placed) == 1 and placed <= text_columns and words and right.bbox[0] < left.bbox[2]:
            cut |= placed
    return cut


def _merged_days(cells: dict[str, str], table: TableRules) -> dict[str, str]:
    """The day a row holding nothing but a date cell gives, by date column: the text of a cell merged over
    several rows, printed at its middle, between two of the rows it spans. Empty for any other row."""
    if not cells or any(c not in table.date_columns for c in cells):
        return {}
    days = {c: parse_date(to_halfwidth(text)) for c, text in cells.items()}
    return {c: day.isoformat() for c, day in days.items() if day is not None}


def _days_back(items: list[dict[str, str]], days: dict[str, str]) -> None:
    """The items just read whose date cell is empty take the next day printed under them: a date cell merged
    over several rows prints its day once, at its middle, so the rows above that middle show none, and a
    list's rows before the first day printed are that day's (no list opens with undated charges; a daily
    list's later rows have the day above them already)."""
    for column, day in days.items():
        for item in reversed(items):
            if item.get(column, "x"):
                break
            item[column] = day


# An amount alone in its box, a currency sign before it (¥20.26 at a card's right edge).
_AMOUNT_ALONE = re.compile(r"[¥￥]?(-?\d[\d,]*\.\d{2})")


def card_items(lines: list[Located], table: TableRules) -> ExtractedField | None:
    """A list printed as cards, with no header row (a phone app's page of charges): each charge a row of
    its name and its amount alone, and under it a line naming the other columns inline by their header
    titles (中成药费 单价 ¥26.13 数量 6盒), a class word (`section_pattern`) before them its category. The
    titles say which figure is which as a header would; a row with no such line under it is no charge
    (the app's own headings, a total). An item whose count × unit price is not its amount is kept below any
    clerk threshold (EMPTY_CELL_FIT). None where no card is found."""
    items: list[dict[str, str]] = []
    confidences: list[float] = []
    first: Located | None = None
    section = re.compile(table.section_pattern) if table.section_pattern else None
    grouped = rows(lines)
    names = _name_columns(table)
    amounts = [c for c in table.key_columns if table.columns[c].value == "amount"]
    if not names or not amounts:
        return None
    for head, under in pairwise(grouped):
        if len(head) != 2 or len(under) != 1:
            continue
        name_line, amount_line = head
        amount = _AMOUNT_ALONE.fullmatch(amount_line.text)
        if amount is None or not _WORD.search(name_line.text) or _AMOUNT_ALONE.fullmatch(name_line.text):
            continue
        titled = _inline_titles(to_halfwidth(under[0].line.text), table)
        if titled is None:
            continue
        lead, values = titled
        item = {names[0]: to_simplified(name_line.text), amounts[0]: amount.group(1).replace(",", "")}
        for column, text in values.items():
            match table.columns[column].value:
                case "amount" | "count" as kind:
                    number = parse_amount(text)
                    if number is not None:
                        item[column] = str(number) if kind == "amount" else _plain(number)
                case "text":
                    item[column] = to_simplified(text)
        named = section.fullmatch(lead) if section is not None and lead else None
        if named and table.section_column and not item.get(table.section_column):
            item[table.section_column] = to_simplified(named.group(1))
        item = {column: item.get(column, "") for column in table.item_columns if column not in table.date_columns}
        confidence = min(ln.line.confidence for ln in (*head, *under))
        if not _figures_agree(item):
            confidence = min(confidence, EMPTY_CELL_FIT)
        items.append(item)
        confidences.append(confidence)
        first = first or name_line
    if not items or first is None:
        return None
    return ExtractedField(
        value=items, raw=None, confidence=round(min(confidences), 4), page=first.page, bbox=first.line.bbox
    )


def _inline_titles(text: str, table: TableRules) -> tuple[str, dict[str, str]] | None:
    """The words before the first column title a line holds, and each titled column's text (up to the next
    title): 中成药费 单价 ¥26.13 数量 6盒 → (中成药费, {unit_price: ¥26.13, quantity: 6盒}). None unless the line
    names two or more columns an item keeps, each with a value after it."""
    titles = sorted(
        ((title, column) for column, spec in table.columns.items() if spec.value for title in spec.headers),
        key=lambda tc: -len(tc[0]),
    )
    found: list[tuple[int, int, str]] = []
    for title, column in titles:
        for m in re.finditer(re.escape(title), text):
            if column not in {c for _, _, c in found} and not any(a < m.end() and m.start() < b for a, b, _ in found):
                found.append((m.start(), m.end(), column))
    found.sort()
    if len(found) < 2:
        return None
    values = {
        column: text[end:nxt].strip(" :：")
        for (_, end, column), nxt in zip(found, [start for start, _, _ in found[1:]] + [len(text)], strict=True)
    }
    if not all(values.values()):
        return None
    return text[: found[0][0]].strip(), values


def _one_under_another(lines: list[Located], table: TableRules) -> list[Located]:
    """A page printing its list as two (or more) tables side by side, to save paper on a landscape sheet:
    one header row names the key columns once for each table (序号 项目名称 … 金额 | 序号 项目名称 … 金额). A
    table's items run down its column of the page before the next table's begin, so each table right of
    the first, from its header down, is set under the one before it (its lines moved, as read), to be
    read as one list in that order. The first such header row of a page is taken; a page without one is
    as read."""
    out = list(lines)
    done: set[int] = set()
    for row in rows(lines):
        page = row[0].page
        starts = [] if page in done else _table_starts(row, table)
        if len(starts) < 2:
            continue
        done.add(page)
        top = min(ln.bbox[1] for ln in row) - 0.5 * min(ln.bbox[3] - ln.bbox[1] for ln in row)
        below = max(ln.bbox[3] for ln in out if ln.page == page)
        for start, end in zip(starts[1:], [*starts[2:], float("inf")], strict=True):
            block = {id(ln) for ln in out if ln.page == page and ln.bbox[1] >= top and start <= _x_centre(ln) < end}
            if not block:
                continue
            dx, dy = starts[0] - start, below - top + (row[0].bbox[3] - row[0].bbox[1])
            out = [_shifted(ln, dx, dy) if id(ln) in block else ln for ln in out]
            below = max(ln.bbox[3] for ln in out if ln.page == page)
    return out


def _table_starts(row: list[Located], table: TableRules) -> list[float]:
    """Where each table a header row heads begins, left to right: a title naming a column the table being
    read already has opens the next. Empty unless every table so found names every key column."""
    starts: list[float] = []
    named: list[set[str]] = []
    for line in row:
        columns = set(_header_columns([line], table, whole=False))
        if not columns:
            continue
        if not named or columns & named[-1]:
            starts.append(line.bbox[0])
            named.append(set())
        named[-1] |= columns
    return starts if all(set(table.key_columns) <= n for n in named) else []


def _x_centre(line: Located) -> float:
    return (line.bbox[0] + line.bbox[2]) / 2


def _shifted(line: Located, dx: float, dy: float) -> Located:
    """The line moved by (dx, dy) on its upright page; its reading and its box in the image stay."""
    x0, y0, x1, y1 = line.bbox
    return Located(page=line.page, line=line.line, bbox=(x0 + dx, y0 + dy, x1 + dx, y1 + dy))


_WORD = re.compile(r"[\u4e00-\u9fa5]")
# The columns whose cells are codes or numbers, never words (`_words_named`): a charge's code, a row's number.
_WORDLESS_COLUMNS = ("code", "seq")


def _words_named(row: list[Located], columns: dict[str, float], table: TableRules) -> list[tuple[str, str, float]]:
    """Each part of a row's lines with its column (`_cell_parts`) and its line's reading; a word without a
    digit placed in a date or figure column (日期, 数量, 单价, 金额) of a row whose name cell is otherwise
    empty goes to the name column instead: a name printed from its cell's left edge stands nearer the
    header of a narrow column beside it (a 日期 column whose merged cell prints each day once). No date,
    count or amount is a word without a digit, and an item needs its name, so the word is that name; in a
    row whose name was read it stays where it stood. Nor is a code or a row's number (项目编码, 序号) a word
    without a digit: a short name (诊查费) printed from the left edge of a wide name column stands nearer the
    centre of the code column left of it."""
    figures = {c for c, spec in table.columns.items() if spec.value in ("date", "amount", "count")} | {
        c for c in _WORDLESS_COLUMNS if c in table.columns
    }
    placed = [(column, text, line.line.confidence) for line in row for column, text in _cell_parts(line, columns)]
    names = _name_columns(table)
    if not names or any(column in names and text.strip() for column, text, _ in placed):
        return placed
    for k, (column, text, confidence) in enumerate(placed):
        if column in figures and _WORD.search(text) and not any(ch.isdigit() for ch in text):
            placed[k] = (names[0], text, confidence)
            break
    return placed


def _name_columns(table: TableRules) -> list[str]:
    """The key columns holding words (an item's name), not figures."""
    return [c for c in table.key_columns if table.columns[c].value == "text"]


def _name_wrap(
    row: list[Located], cells: dict[str, str], last_name: Located, table: TableRules
) -> tuple[str, Located] | None:
    """A row that is the item above's name run on to a second line in its cell (胸部CT平 / 扫 in a narrow
    column): its one line holds text of a key text column only, no figure of its own, and starts where
    that name starts (within a character's height) at most half a line below it. The column and the line,
    else None: any other row without an item is no part of one (a note, a heading)."""
    if len(row) != 1 or len(cells) != 1:
        return None
    [(column, text)] = cells.items()
    if column not in _name_columns(table) or not text.strip():
        return None
    line = row[0]
    height = last_name.bbox[3] - last_name.bbox[1]
    aligned = abs(line.bbox[0] - last_name.bbox[0]) < height
    close = line.page == last_name.page and line.bbox[1] - last_name.bbox[3] < 0.5 * height
    return (column, line) if aligned and close else None


def _continued(
    item: dict[str, str],
    row: list[Located],
    times: re.Pattern[str],
    section_pattern: re.Pattern[str] | None,
    table: TableRules,
) -> float:
    """An item printed over two lines (a thermal strip: name and amount, then price × count and its class):
    the second line's unit price and count fill the item's where they multiply out to its amount, and a
    cell that names a class (西药费) its category where it has none. How sure the item stays: 1.0 when the
    line adds nothing or its figures are borne out, EMPTY_CELL_FIT when it prints a price × count that does
    not multiply out to the amount (a misread figure: a clerk looks), else the class cell's reading."""
    sure = 1.0
    figures = next((m for ln in row if (m := times.search(to_halfwidth(ln.text)))), None)
    if figures is not None and not (item.get("quantity") and item.get("unit_price")):
        price, count = parse_amount(figures.group(1)), parse_amount(figures.group(2))
        try:
            amount = Decimal(item.get("amount", ""))
        except InvalidOperation:
            return EMPTY_CELL_FIT
        if price is None or count is None or abs(price * count - amount) > self_checks.TOLERANCE:
            return EMPTY_CELL_FIT
        item["unit_price"], item["quantity"] = str(price), _plain(count)
    column = table.section_column
    if section_pattern is not None and column is not None and not item.get(column):
        for ln in row:
            named = section_pattern.fullmatch(to_halfwidth(ln.text))
            if named:
                item[column] = to_simplified(named.group(1))
                sure = min(sure, ln.line.confidence)
    return sure


def _count_borne_out(item: dict[str, str], cells: dict[str, str]) -> str:
    """An item's count read into a neighbouring cell (2支 under 单位, the space between them lost): the
    number a cell opens with, taken only when count × unit price is the amount (a reading the product
    check chooses, not a value it makes up); "" when no cell's does."""
    try:
        price, amount = Decimal(item.get("unit_price", "")), Decimal(item.get("amount", ""))
    except InvalidOperation:
        return ""
    for text in cells.values():
        opening = re.match(r"\d+(?:\.\d+)?", to_halfwidth(text))
        if opening and abs(Decimal(opening.group()) * price - amount) <= self_checks.TOLERANCE:
            return _plain(Decimal(opening.group()))
    return ""


def _count_fixed(item: dict[str, str]) -> str:
    """The count of an item whose count cell was not read at all (a digit lost on a shaded row): the whole
    number its amount and unit price fix, amount = count × unit price to the cent; no other count makes the
    row's own figures agree. Nothing read bears the price out, though (a misread price may still divide the
    amount), so the row stays below the clerk threshold, unless no other digit of the price would divide it
    (`_count_unambiguous`): the count is offered, not vouched for. "" when none."""
    try:
        price, amount = Decimal(item.get("unit_price", "")), Decimal(item.get("amount", ""))
    except InvalidOperation:
        return ""
    if price <= 0 or amount <= 0:
        return ""
    count = (amount / price).to_integral_value()
    return _plain(count) if count >= 1 and abs(count * price - amount) <= self_checks.TOLERANCE else ""


def _count_unambiguous(item: dict[str, str]) -> bool:
    """Whether an item's count, fixed by its figures (`_count_fixed`: amount ÷ unit price, a whole number),
    is the only count a price one character from the one read would fix: with no other digit anywhere in the
    price dividing the amount into a whole count, a misread character of the price could not have made the
    count whole, so the price and the count stand as a count read would (the amount is the list's sum check's
    to bear out). A round price mostly fails this (40.00 read for 20.00 still divides 80.00), and stays below
    the clerk threshold: the count is then offered, not vouched for."""
    try:
        amount, price = Decimal(item["amount"]), to_halfwidth(item["unit_price"])
        read_fit = abs(Decimal(item["quantity"]) * Decimal(price) - amount)
    except (KeyError, InvalidOperation):
        return False
    for at, char in enumerate(price):
        if not char.isdigit():
            continue
        for digit in "0123456789".replace(char, ""):
            other = Decimal(price[:at] + digit + price[at + 1 :])
            count = (amount / other).to_integral_value() if other > 0 else Decimal(0)
            if count >= 1 and abs(count * other - amount) <= max(read_fit, _EXACT):
                return False
    return True


# Two figures equal to the cent: their difference is below half of one.
_EXACT = Decimal("0.005")


# An item missing a cell its header names (a count read into the unit's column): below any clerk threshold.
EMPTY_CELL_FIT = 0.5
# A name opening with a word that only ever follows what it counts (级 of 一级护理, 型 of 2型): its numeral lost
# in reading (the recogniser drops 一's one stroke at full confidence). Its row is below any clerk threshold.
_HEADLESS = re.compile(r"[级型]")


def _cell_parts(line: Located, columns: dict[str, float]) -> list[tuple[str, str]]:
    """The column or columns a line's text belongs to. Narrow neighbouring cells are often read as one box
    (2 支: 数量 and 单位): split at its spaces, each part at its share of the box's width goes to the
    column nearest it; a box whose parts all fall in one column stays whole (a name holding a space)."""
    x0, x1 = line.bbox[0], line.bbox[2]
    text = to_halfwidth(line.line.text)  # as printed, spaces kept: `Located.text` closes them up

    def nearest(centre: float) -> str:
        return min(columns, key=lambda c: abs(columns[c] - centre))

    parts = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    placed = [(nearest(x0 + (x1 - x0) * (start + len(part) / 2) / len(text)), part) for start, part in parts]
    if len({column for column, _ in placed}) < 2:
        return [(nearest((x0 + x1) / 2), line.text)]
    return placed


def _row_confidence(item: dict[str, str], sureness: dict[str, float], table: TableRules) -> float:
    """The least sure cell an item is read from. Quantity, unit price and amount that multiply out (to a
    cent, as the expense_items_sum check has it) bear each other out and do not count; the 序号 and 单位
    cells are not part of the item. A lone character (盒, 2) is often read right at 0.75. Cells count at
    their lines' mean confidence, not their least sure character: on the tuning set that flagged 4 of 16
    right lists (the sum check catches a wrong amount either way)."""
    counted = set(table.item_columns)
    try:
        product = Decimal(item.get("quantity", "")) * Decimal(item.get("unit_price", ""))
        if abs(product - Decimal(item.get("amount", ""))) <= self_checks.TOLERANCE:
            counted -= {"quantity", "unit_price", "amount"}
    except InvalidOperation:
        pass
    return min((sureness[c] for c in counted if c in sureness), default=1.0)


def _header_columns(row: list[Located], table: TableRules, whole: bool = True) -> dict[str, float]:
    """The columns a header row names, at their centres; none unless it names every key column. A cell
    names the column of the longest header title it holds (项目编码: the code column, not 项目's). Narrow
    columns' titles are often read as one box (序号 类别, 数量 单位): each title in a box names its column,
    placed at the title's share of the box's width, so no column is lost to its neighbour. Not `whole`:
    the columns a part of a header row names, key columns or not."""
    found: dict[str, float] = {}
    for line in row:
        text = line.text
        taken: list[tuple[int, int]] = []
        titled = sorted(
            ((title, column) for column, spec in table.columns.items() for title in spec.headers if title in text),
            key=lambda tc: -len(tc[0]),
        )
        named: dict[str, tuple[int, int]] = {}
        for title, column in titled:
            if column in found or column in named:
                continue
            start = next(
                (m.start() for m in re.finditer(re.escape(title), text) if not _overlaps(m.start(), len(title), taken)),
                None,
            )
            if start is not None:
                taken.append((start, start + len(title)))
                named[column] = (start, len(title))
        x0, x1 = line.bbox[0], line.bbox[2]
        for column, (start, length) in named.items():
            share = (start + length / 2) / max(len(text), 1) if len(named) > 1 else 0.5
            found[column] = x0 + (x1 - x0) * share
    return found if not whole or set(table.key_columns) <= found.keys() else {}


def _overlaps(start: int, length: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < end and begin < start + length for begin, end in taken)


# One character in brackets closing an item's name: where the list prints grades in those brackets, its grade.
_BRACKETED_TAG = re.compile(r"\s*([【\[(〔])\s*\S\s*[】\])〕]$")


def _grade_brackets(cells: dict[str, str], table: TableRules) -> set[str]:
    """The opening bracket of the grade (`TableRules.name_suffix`: [乙], 【甲】) a row's key text ends with."""
    if not table.name_suffix:
        return set()
    found = set()
    for name in table.key_columns:
        suffix = re.search(table.name_suffix, to_simplified(to_halfwidth(cells.get(name, ""))).strip())
        if suffix is not None and (opening := re.search(r"[【\[(〔]", suffix.group())) is not None:
            found.add(opening.group())
    return found


def _drop_misread_grades(items: list[dict[str, str]], graded: set[str], table: TableRules) -> None:
    """A name ending with one character in the brackets other rows of the list print their grade in (阿托伐他汀
    钙片[Z] where the rows around it end [甲], [乙]): the grade's slot, its character misread (乙 read Z), so it
    is no part of the name and is dropped like a grade read right. Only brackets the list itself is seen to
    print grades in count: a list printing no grade keeps a bracketed character as part of the name, and a
    longer bracketed word (进口) is never a grade's slot."""
    for item in items:
        for name in table.key_columns:
            tag = _BRACKETED_TAG.search(item.get(name, ""))
            if tag is not None and tag.group(1) in graded and tag.start() > 0:
                item[name] = item[name][: tag.start()]


def _item(cells: dict[str, str], table: TableRules, seq: int, dated: bool) -> dict[str, str] | None:
    """The kept columns' values of a row; none without a value in each key column. A date is kept only
    from a list whose header names a date column (`dated`): most lists print none, and their items have
    no day to leave empty."""
    item: dict[str, str] = {}
    for name in table.item_columns:
        if name in table.date_columns and not dated:
            continue
        cell = to_halfwidth(cells.get(name, ""))
        match table.columns[name].value:
            case "text":
                text = to_simplified(cell.strip())
                # The 序号 cell read into one box with a key text (the name), or standing in no column of its
                # own: drop it only when it is the expected number, as printed or padded with zeros (01, 02),
                # since a name may itself start with digits (5%葡萄糖注射液).
                number = re.match(rf"0*{seq}(?!\d)", text) if name in table.key_columns else None
                if number is not None:
                    text = text[number.end() :]
                if name in table.key_columns:
                    text = _LOWER_ABBREVIATION.sub(lambda m: m.group().upper(), _GLUED_CODE.sub("", text))
                if name in table.key_columns and table.name_suffix:
                    text = re.sub(table.name_suffix, "", text)
                item[name] = text
            case "amount":
                amount = _number(cell)
                item[name] = str(amount) if amount is not None else ""
            case "count":
                count = _number(cell)
                item[name] = _plain(count) if count is not None else ""
            case "date":
                day = parse_date(cell)
                item[name] = day.isoformat() if day is not None else ""
    if all(item.get(name) for name in table.key_columns) or _figures_agree(item):
        return item
    return None


def _figures_agree(item: dict[str, str]) -> bool:
    """A row whose count × unit price is its amount is an item even where its name was not read (a cell OCR
    found no text in): kept with its name empty, so the list's sum still holds and the empty cell sends it
    to a clerk, rather than dropped unseen."""
    try:
        quantity, price, amount = (Decimal(item.get(k, "")) for k in ("quantity", "unit_price", "amount"))
    except InvalidOperation:
        return False
    return amount != 0 and abs(quantity * price - amount) <= self_checks.TOLERANCE


# An item code read into one box with the name (9607129627静脉输液, XB05BAA001B002010101注射液): six or
# more code characters, six of them digits, straight before the Chinese name. No item name opens so (a
# dose like 1000ML or 5% is shorter), and the code has a column of its own that an item does not keep.
_GLUED_CODE = re.compile(r"^(?=(?:[A-Z\-.]*\d){6})[0-9A-Z][0-9A-Z\-.]{5,}(?=[\u4e00-\u9fa5])")


# A letter that prints alike in both cases (c, o, s, v, w, x, z: only its size tells), opening an item's name
# before a Chinese word: an abbreviation (C反应蛋白, X线), which a list writes in capitals; read small, the
# recogniser judged its size alone. A lower-case letter in a name stands after a figure (0.25g), never first.
_LOWER_ABBREVIATION = re.compile(r"^[cosvwxz](?=[\u4e00-\u9fa5])")


# A number cell starts with its number: text or a colon before the first digit (a page's repeated 住院号：
# 123456, 共2页, standing over a number column of a table whose header is not repeated) makes it no number.
# A sign (负, (负数)), a currency sign or a rule read as | may stand before it; a unit after it (2盒).
_TEXT_BEFORE_NUMBER = re.compile(r"^[^\d]*?(?::|[\u4e00-\u9fa5](?<![负数]))")


def _number(cell: str) -> Decimal | None:
    """The amount or count a table cell holds; None when the cell is text holding a number, not one."""
    return None if _TEXT_BEFORE_NUMBER.match(cell) else parse_amount(cell)


def _plain(value: Decimal) -> str:
    # 10.00 → 10 (not normalize(): that writes 1E+1)
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value)


CheckFn = Callable[[dict[str, ExtractedField]], list[Check]]


def _printed_split(fields: dict[str, ExtractedField], pages: list[Page]) -> tuple[str, ExtractedField] | None:
    """The one invoice split not found under its label, where what it must be (the total, borne out by its
    大写, less the splits read) is printed on the page as the value of a label that is the split's with one
    character misread (a photocopy's 介人自费 for 个人自费: a four-character label is not matched so alone,
    `DAMAGED_LABEL_MIN`, since 费用小计 would pass for 费用合计), or that is the split's label cut short at
    its start (付： for 统筹基金支付：, a seal over the label's beginning). The sum and the print agree; marked
    repaired. None when no such line is printed."""
    missing = self_checks.missing_split(fields)
    if missing is None:
        return None
    name, value = missing
    printed = f"{value:.2f}"
    labels = load_field_rules().types[DocType.invoice.value][name].labels
    for line in located_lines(pages):
        label, colon, read = line.text.rpartition(":")
        if colon and read == printed and any(_damaged(own, label) for own in labels):
            confidence = round(line.confidence_of(read) * self_checks.REPAIRED_FACTOR, 4)
            return name, ExtractedField(
                value=printed, raw=read, confidence=confidence, page=line.page, bbox=line.line.bbox, repaired=True
            )
    return None


def _splits_unlabelled(fields: dict[str, ExtractedField], pages: list[Page]) -> Check | None:
    """A failed `field_unread` check naming the invoice splits not read, where the bill prints them with
    their labels unread: amounts standing alone on their lines under the total, one after another, that
    sum to what the splits read leave of the total (borne out by its 大写). Nothing else under a bill's
    total adds up to it (the fee classes stand above it), so the split is printed there, its labels lost
    (a faded band of a thermal slip): a clerk reads the figures, which are not assigned to the splits by
    their order alone. None where no such run stands."""
    unread = self_checks.unread_splits(fields)
    total = fields.get("total_amount")
    if unread is None or total is None:
        return None
    names, rest = unread
    lines = located_lines(pages)
    at = next((ln for ln in lines if ln.line.bbox == total.bbox and ln.page == total.page), None)
    if at is None:
        return None
    alone = [
        amount
        for ln in sorted(lines, key=lambda ln: ln.bbox[1])
        if ln.page == at.page and ln.bbox[1] >= at.bbox[3] and (amount := _AMOUNT_ALONE.fullmatch(ln.text)) is not None
    ]
    values = [parse_amount(m.group(1)) or Decimal(0) for m in alone]
    for size in range(PARTIAL_RUN, len(names) + 1):
        for start in range(len(values) - size + 1):
            if abs(sum(values[start : start + size], Decimal(0)) - rest) <= self_checks.TOLERANCE:
                labels = load_field_rules().types[DocType.invoice.value][names[0]].labels
                return check(Code.field_unread, False, detail=labels[0], fields=names)
    return None


# The fewest amounts standing alone that count as a split printed without its labels.
PARTIAL_RUN = 2


def _damaged(own: str, read: str) -> bool:
    """Whether `read` may be the label `own` damaged in reading: one character different, or its start lost."""
    return (len(own) == len(read) and differences(own, read) <= 1) or (bool(read) and own.endswith(read))


def _total_agreeing(
    fields: dict[str, ExtractedField], pages: list[Page], rule_key: str, target: Decimal
) -> ExtractedField | None:
    """Where a total's labels are printed more than once (本页合计 and 合计, 小计 and 总计, a 合计 row of a
    table and the bill's 合计（小写）), the first one found may be the wrong amount. When the total read
    disagrees with a second reading that must equal it (the 大写 total; the rows' sum, each row borne out),
    the amount printed after another of the total's labels that equals it is taken instead: a printed
    reading chosen by a check, not a value made up by it. None when the total read agrees, or no printed
    candidate does."""
    found = fields.get("total_amount")
    if found is not None and _number(str(found.value)) == target:
        return None
    labels = [to_halfwidth(label) for label in load_field_rules().types[rule_key]["total_amount"].labels]
    lines = located_lines(pages)
    for line in lines:
        for label in labels:
            pos = line.text.find(label)
            after = line.text[pos + len(label) :].lstrip(":：") if pos >= 0 else ""
            amount = re.match(r"[¥￥]?(\d[\d,]*\.\d{2})", after)
            if amount and parse_amount(amount.group(1)) == target:
                return _total_read(target, amount.group(1), line)
    if found is None:
        # No label led to it (a pin-feed printer put the amount off its cell, a ¥ read as a letter between):
        # a line that is that amount alone, and nothing else, is the total the check chose.
        for line in lines:
            alone = re.fullmatch(r"[¥￥]?(\d[\d,]*\.\d{2})", line.text)
            if alone and parse_amount(alone.group(1)) == target:
                return _total_read(target, alone.group(1), line)
    return None


def _total_read(target: Decimal, raw: str, line: Located) -> ExtractedField:
    return ExtractedField(
        value=f"{target:.2f}",
        raw=raw,
        confidence=round(line.confidence_of(raw), 4),
        page=line.page,
        bbox=line.line.bbox,
    )


def _birth_date_agreeing(lines: list[Located], id_number: str) -> ExtractedField | None:
    """A card's birth date whose 出生 label was not read: the line that is a whole date equal to the one
    the ID number holds (its check digit vouches for it). A reading the check chooses, not a value made
    up from the number; None when no printed date agrees."""
    born = birth_date_of(id_number) if len(id_number) == 18 else None
    if born is None:
        return None
    for line in lines:
        if parse_date(line.text) == born and re.fullmatch(r"[\d年月日./-]+", line.text):
            raw = line.text
            return ExtractedField(
                value=born.isoformat(),
                raw=raw,
                confidence=round(line.confidence_of(raw), 4),
                page=line.page,
                bbox=line.line.bbox,
            )
    return None


def _birth_date_one_digit_off(found: ExtractedField, id_number: str) -> ExtractedField | None:
    """A card's birth date read one digit away from the date its ID number holds (18 for 13: the digits
    look alike), where the number's check digit vouches for it: the number's date, marked repaired. Two
    readings of one date differ in one digit because one is misread, and the checked one is not; a date
    further off is left for the id_birth_date check to flag."""
    if len(id_number) != 18 or not idnumber.is_valid(id_number):
        return None
    born = birth_date_of(id_number)
    read = str(found.value)
    if born is None or len(read) != len(born.isoformat()):
        return None
    if sum(a != b for a, b in zip(read, born.isoformat(), strict=True)) != 1:
        return None
    return self_checks.as_repaired(found, born.isoformat())


# A province-level division's ending, and how far into a card's address it stands (新疆维吾尔自治区: 8).
_PROVINCE_END = re.compile("省|市|自治区|特别行政区")
ADDRESS_HEAD = 10


def _address_headed(address: ExtractedField) -> ExtractedField:
    """A card's address whose head names no province-level division (街107号23幢…, or a date read where a
    tiled watermark hid the 住址 label): below any clerk threshold. A resident card prints the registered
    address whole, from the province or municipality down (浙江省…, 北京市…, 内蒙古自治区…), so an address
    opening otherwise lost its first row in reading, or is another line taken for it."""
    if _PROVINCE_END.search(str(address.value)[:ADDRESS_HEAD]):
        return address
    return address.model_copy(update={"confidence": min(address.confidence, PLACE_DOUBT_FIT)})


def _address_places_checked(address: ExtractedField, id_number: str) -> ExtractedField:
    """A card's address holding a division its ID number names (its first six digits, the check digit
    vouching for them) with a character lost (`place_lost_character`): below any clerk threshold."""
    if len(id_number) != 18 or not idnumber.is_valid(id_number):
        return address
    if not place_lost_character(str(address.value), region_names(id_number)):
        return address
    return address.model_copy(update={"confidence": min(address.confidence, PLACE_DOUBT_FIT)})


def extract_document(
    doc: Document, pages: list[Page], case_date: dt.date
) -> tuple[dict[str, ExtractedField], list[Check]]:
    fields, line_sureness, doubts, unread = _extract(doc, pages)
    _short_years_settled(fields, doc, pages, case_date)
    if doc.doc_type is DocType.id_card and "birth_date" not in fields and "id_number" in fields:
        printed = _birth_date_agreeing(located_lines(pages), str(fields["id_number"].value))
        if printed is not None:
            fields["birth_date"] = printed
    elif doc.doc_type is DocType.id_card and "birth_date" in fields and "id_number" in fields:
        one_off = _birth_date_one_digit_off(fields["birth_date"], str(fields["id_number"].value))
        if one_off is not None:
            fields["birth_date"] = one_off
    if doc.doc_type is DocType.id_card and "address" in fields and "id_number" in fields:
        fields["address"] = _address_places_checked(fields["address"], str(fields["id_number"].value))
    if doc.doc_type is DocType.id_card and "address" in fields:
        fields["address"] = _address_headed(fields["address"])
    legacy = self_checks.legacy_id_field(fields["id_number"]) if "id_number" in fields else None
    if legacy is not None:
        fields["id_number"], flag = legacy
        doubts.append(flag)
    elif "id_number" in fields:
        birth = fields.get("birth_date")
        sex = fields.get("sex")
        fields["id_number"] = self_checks.repair_id_field(
            fields["id_number"],
            dt.date.fromisoformat(birth.value) if birth else None,
            str(sex.value) if sex else None,
        )
    two_readings: set[str] = set()
    if doc.doc_type is DocType.discharge_record:
        all_rules = load_field_rules()
        rules = all_rules.types[_rule_key(doc)]
        labels = frozenset(to_halfwidth(label) for rule in rules.values() for label in rule.every_label)
        lines = composed_labels(located_lines(pages), labels)
        two_readings = hand_corrections(lines, rules, all_rules.vocabularies, fields, line_sureness)
        glued_days_chosen(fields, line_sureness)
        _record_values_doubted(fields, rules)
    once = self_checks.repeated_run_dropped(fields) if doc.doc_type is DocType.expense_list else None
    if once is not None:
        fields["items"] = once
    repaired_items = self_checks.repair_items(fields) if doc.doc_type is DocType.expense_list else None
    if repaired_items is not None:
        fields["items"] = repaired_items
    agreed = {
        DocType.invoice: self_checks.invoice_total,
        DocType.expense_list: self_checks.list_total,
    }
    target = agreed[doc.doc_type](fields) if doc.doc_type in agreed else None
    chosen = _total_agreeing(fields, pages, _rule_key(doc), target) if target is not None else None
    if chosen is not None:
        fields["total_amount"] = chosen
    repairs = {DocType.invoice: self_checks.repair_total, DocType.expense_list: self_checks.repair_list_total}
    repaired_total = repairs[doc.doc_type](fields) if doc.doc_type in repairs else None
    if repaired_total is not None:
        fields["total_amount"] = repaired_total
    repaired_split = self_checks.repair_split(fields) if doc.doc_type is DocType.invoice else None
    if repaired_split is not None:
        fields[repaired_split[0]] = repaired_split[1]
    printed_split = _printed_split(fields, pages) if doc.doc_type is DocType.invoice else None
    if printed_split is not None:
        fields[printed_split[0]] = printed_split[1]
    unlabelled = _splits_unlabelled(fields, pages) if doc.doc_type is DocType.invoice else None
    by_type: dict[DocType, CheckFn] = {
        DocType.invoice: self_checks.invoice_checks,
        DocType.expense_list: self_checks.expense_list_checks,
        DocType.discharge_record: self_checks.discharge_checks,
    }
    if doc.doc_type in (DocType.id_card, DocType.filing_form, DocType.social_security_card):
        found = self_checks.id_card_checks(fields, case_date)
    elif doc.doc_type in by_type:
        found = by_type[doc.doc_type](fields)
    else:
        found = []
    found += self_checks.dates_not_after(fields, _past_dates(doc), case_date)
    found += _particulars_checked(doc, fields, pages, case_date)
    sealed = _payee_from_seal(doc) if doc.doc_type is DocType.invoice and "payee" not in fields else None
    if sealed is not None:
        fields["payee"] = sealed  # the seal's own reading: no check against the seal then
    elif doc.doc_type is DocType.invoice:
        found += self_checks.payee_seal_checks(fields, doc.seal_texts)
    _borne_out(fields, line_sureness, found)
    for name in two_readings & fields.keys():  # a struck and a written reading no check chose between
        fields[name] = fields[name].model_copy(update={"confidence": min(fields[name].confidence, CORRECTION_FIT)})
    # A field whose label the page prints and no later repair read: unread, not absent.
    unread_checks = [
        check(Code.field_unread, False, detail=label, fields=[name])
        for name, label in unread.items()
        if name not in fields
    ]
    passed = frozenset(c.code for c in found if c.ok)
    page_text = "".join(line.text for line in located_lines(pages))
    # One check a gap: a field found printed and unread is not named missing as well.
    missing = [c for c in missing_required(doc, fields, page_text, passed) if not set(c.fields) & unread.keys()]
    told = {name for c in [*missing, *unread_checks] for name in c.fields}
    lost = lost_in_unread_line(doc, fields, located_lines(pages), told) if doc.doc_type in _LINE_LOSING else []
    return fields, [*doubts, *found, *missing, *unread_checks, *lost, *([unlabelled] if unlabelled else [])]


# The types whose particulars a lost line may hold (`lost_in_unread_line`).
_LINE_LOSING = (DocType.invoice, DocType.expense_list)
# A line found whose box has room for at least this many characters (its width over its height) ...
UNREAD_LINE_ROOM = 8
# ... of which the recogniser read fewer than this share as letters, digits or 汉字, at a confidence below
# this, is a line lost in reading.
UNREAD_LINE_SHARE = 0.25
UNREAD_LINE_CONFIDENCE = 0.8


def unread_line(lines: list[Located]) -> bool:
    """Whether the detector found a line of text the recogniser reduced to a few signs (a 费用日期 line of
    some thirty characters read as ：44：, unsure): the box says how many characters stand there (a
    character is about as wide as the line is high), and too few of them were read to be its text, so what
    it printed is not known."""
    for line in lines:
        x0, y0, x1, y1 = line.bbox
        room = (x1 - x0) / max(y1 - y0, 1.0)
        read = sum(ch.isalnum() for ch in line.text)
        unsure = line.line.confidence < UNREAD_LINE_CONFIDENCE
        if room >= UNREAD_LINE_ROOM and read < UNREAD_LINE_SHARE * room and unsure:
            return True
    return False


def lost_in_unread_line(
    doc: Document, fields: dict[str, ExtractedField], lines: list[Located], told: set[str]
) -> list[Check]:
    """A failed `field_unread` check for each field not read that the type prints where its words are printed
    (`required_with`), when the page holds a line lost in reading (`unread_line`): those words may stand in
    it, so that the page does not print the field is not known, and a clerk is told, never left to trust a
    gap. Fields already told of (`told`: missing or unread) are not named twice."""
    if not unread_line(lines):
        return []
    rules = load_field_rules().types.get(_rule_key(doc), {})
    return [
        check(Code.field_unread, False, detail=to_halfwidth(rule.labels[0]), fields=[name])
        for name, rule in rules.items()
        if rule.required_with and name not in fields and name not in told
    ]


# A record's value that fails its shape (`self_checks.misshapen_record_values`): below any clerk threshold.
SHAPE_FIT = 0.5


def _record_values_doubted(fields: dict[str, ExtractedField], rules: dict[str, FieldRule]) -> None:
    """A discharge record's values of the wrong shape (`self_checks.misshapen_record_values`) trusted
    SHAPE_FIT at most: nothing else on the record bears them out, and a clerk reads them."""
    labels = [to_halfwidth(label) for rule in rules.values() for label in rule.labels]
    for name in self_checks.misshapen_record_values(fields, labels):
        fields[name] = fields[name].model_copy(update={"confidence": min(fields[name].confidence, SHAPE_FIT)})


# A date printed with a two-digit year (25-6-3) is of the century the case makes sure: within this many years
# of the day the case is handled (a stay, a bill, a filing are claimed within a year or two; the other century
# lies a hundred years off), or of a date the document prints with its year in full.
SHORT_YEAR_SPAN = 10
# A two-digit year whose century nothing makes sure (a birth date: 1925 or 2025): below any clerk threshold.
SHORT_YEAR_FIT = 0.5


def _short_years_settled(
    fields: dict[str, ExtractedField], doc: Document, pages: list[Page], case_date: dt.date
) -> None:
    """Each date read from a two-digit year (`kinds.short_dates`: read as this century's) put in the century
    that dates it on or before the case (a field that may follow the case, `may_follow_case`: the nearer of
    the two), and trusted only where that century is sure: the date lies within SHORT_YEAR_SPAN years of the
    case's day or of a date the document prints with its full year. Otherwise it is kept below any clerk
    threshold: 25-6-3 may be 1925 as well as 2025 where nothing says which (a birth date)."""
    rules = load_field_rules().types.get(_rule_key(doc), {})
    printed = " ".join(line.text for line in located_lines(pages))
    full = [day for match in DATE.finditer(printed) if (day := parse_date(match.group(0))) is not None]
    for name, found in list(fields.items()):
        rule = rules.get(name)
        if rule is None or rule.kind not in _DATED_KINDS or not isinstance(found.value, str):
            continue
        raw = to_halfwidth(found.raw or "")
        if DATE.search(raw) or not short_dates(raw):
            continue
        try:
            read = dt.date.fromisoformat(found.value)
        except ValueError:
            continue
        day = _in_century(read, case_date, rule.may_follow_case)
        if day is None:
            continue
        sure = any(abs((day - anchor).days) <= SHORT_YEAR_SPAN * 366 for anchor in [case_date, *full])
        confidence = found.confidence if sure else min(found.confidence, SHORT_YEAR_FIT)
        fields[name] = found.model_copy(update={"value": day.isoformat(), "confidence": confidence})


def _in_century(read: dt.date, case_date: dt.date, may_follow: bool) -> dt.date | None:
    """The date of a two-digit year read as this century's (`read`) in the century that puts it on or
    before `case_date` (the later such), or, where it `may_follow` the case, nearest it; None where no
    century makes a real date (29 February)."""
    days = []
    for year in (read.year - 100, read.year):
        try:
            days.append(read.replace(year=year))
        except ValueError:
            continue
    if not days:
        return None
    if may_follow:
        return min(days, key=lambda day: abs((day - case_date).days))
    before = [day for day in days if day <= case_date]
    return max(before) if before else min(days)


# A payee read from the bill's seal alone (a ring's lettering, often a character short): below any clerk
# threshold.
SEAL_GUESS_FIT = 0.5


def _payee_from_seal(doc: Document) -> ExtractedField | None:
    """Where the bill prints no payee and no hospital name a label or the letterhead gives, the unit its
    seal names (宁波市第二医院 of 宁波市第二医院收费专用章) when that is a hospital's name (the payee's
    `fallback_pattern`): a guess, below any clerk threshold."""
    pattern = load_field_rules().types[DocType.invoice.value]["payee"].fallback_pattern
    if pattern is None:
        return None
    for n, text in enumerate(doc.seal_texts):
        for part in text.split():
            # The ring's name and the centre's purpose may be read as one run (…医院收费专用章).
            name = re.search(pattern, self_checks.SEAL_PURPOSE.sub("", part)) or re.search(pattern, part)
            if name:
                box = doc.seal_boxes[n] if n < len(doc.seal_boxes) else None
                value = name.group(0)
                return ExtractedField(value=value, raw=part, confidence=SEAL_GUESS_FIT, page=doc.pages[0], bbox=box)
    return None


def _particulars_checked(
    doc: Document, fields: dict[str, ExtractedField], pages: list[Page], case_date: dt.date
) -> list[Check]:
    """The checks of each field read from a run of particulars (`FieldRule.in_particulars`) against the
    document's ID number (`particulars_checks`)."""
    rules = load_field_rules().types.get(_rule_key(doc), {})
    named = [name for name, rule in rules.items() if rule.in_particulars and name in fields]
    if not named:
        return []
    all_rules = load_field_rules()
    never = frozenset(all_rules.stop_values) | frozenset(all_rules.copy_marks) | field_labels()
    run = particulars_run(located_lines(pages), never)
    if run is None:
        return []
    number = fields.get("id_number")
    id_number = str(number.value) if number is not None else None
    return [c for name in named for c in particulars_checks(name, fields[name], run, id_number, case_date)]


def _past_dates(doc: Document) -> list[str]:
    """The type's date fields that date what has happened by the day the case is handled (a bill's issue,
    a stay, a birth): those of kind date the rules do not let follow the case (`may_follow_case`)."""
    rules = load_field_rules().types.get(_rule_key(doc), {})
    return [name for name, rule in rules.items() if rule.kind == "date" and not rule.may_follow_case]


def _shown_unprinted(rule: FieldRule, printed: str, passed: frozenset[str]) -> bool:
    """Whether the page shows it does not print the field (`FieldRule.not_printed`)."""
    spec = rule.not_printed
    if spec is None or not passed.intersection(spec.borne_out_by):
        return False
    return not any(to_halfwidth(word) in printed for word in spec.words)


def missing_required(
    doc: Document, fields: dict[str, ExtractedField], printed: str = "", passed: frozenset[str] = frozenset()
) -> list[Check]:
    """A failed `field_missing` check for each field every document of the type prints (`required`, or
    `required_with` a word the page prints: `printed`, its lines' text; and the items of a type read as a
    table) where no value was read: a value that is not there is as much
    a clerk's business as one read unsure, and without a check nothing would tell anyone it is gone. A
    required field the document shows it does not print (`FieldRule.not_printed`: no sign of it in
    `printed`, and one of its checks among `passed`, the codes of the checks that passed) is no gap."""
    all_rules = load_field_rules()
    rules = all_rules.types.get(_rule_key(doc), {})
    wanted = {
        name: rule.labels[0]
        for name, rule in rules.items()
        if (rule.required and not _shown_unprinted(rule, printed, passed))
        or any(to_halfwidth(word) in printed for word in rule.required_with)
    }
    if doc.doc_type.value in all_rules.tables:
        wanted["items"] = "费用明细"
    return [
        check(Code.field_missing, False, detail=label, fields=[name])
        for name, label in wanted.items()
        if name not in fields
    ]
