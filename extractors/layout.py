"""Label → value lookup on OCR lines with their boxes, and table rows grouped by position.

Works on the lines of a document's pages (page, line) so every value keeps the page and box it
came from. Rules (labels, kinds, patterns, tables) come from `rules/fields.yaml`, validated when loaded:
a field's kind must be one registered in `extractors/kinds.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from itertools import pairwise
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extractors.kinds import KINDS
from extractors.normalize import NAME_JOINERS, to_halfwidth, to_simplified
from intake.models import BBox, OcrLine, Page
from intake.reasons import Code

RULES_PATH = Path(__file__).with_name("rules") / "fields.yaml"


class DateRange(BaseModel):
    """Where a date is printed as one end of a range under a label of its own (备案有效期 2025年6月1日至
    2026年5月31日, 住院期间 2025.06.01-2025.06.12, 自…起至…止)."""

    model_config = ConfigDict(extra="forbid")

    labels: list[str] = Field(min_length=1)
    end: Literal["start", "end"]


# The kinds whose value is a date, and the two words a date's label ends with (`FieldRule._time_twins`).
_DATED_KINDS = frozenset({"date", "date_range_start", "date_range_end"})
_DAY, _TIME = "日期", "时间"


class NotPrinted(BaseModel):
    """How a document shows it does not print a `required` field at all (a phone wallet's e-bill shows no
    大写 of its total): the page carries none of `words` (the field's label and what its value is written
    with), and a self-check named in `borne_out_by` passed on the document, bearing out what the field
    would have checked (the splits sum to the total the 大写 would have matched)."""

    model_config = ConfigDict(extra="forbid")

    words: list[str] = Field(min_length=1)
    borne_out_by: list[str] = Field(min_length=1)

    @field_validator("borne_out_by")
    @classmethod
    def _known_checks(cls, codes: list[str]) -> list[str]:
        """A check code no self-check has is a load error (a typo would make the field required forever)."""
        unknown = [c for c in codes if c not in Code.__members__]
        if unknown:
            raise ValueError(f"unknown check codes {unknown}")
        return codes


def _twinned(labels: list[str]) -> list[str]:
    """Each label, and after one ending 日期 with two characters or more before it its twin ending 时间."""
    twinned: list[str] = []
    for label in labels:
        twin = label[: -len(_DAY)] + _TIME
        twinned.append(label)
        if label.endswith(_DAY) and len(label) >= len(_DAY) + 2 and twin not in labels:
            twinned.append(twin)
    return twinned


class FieldRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    labels: list[str]
    # One of the registered kinds (extractors/kinds.py): how the value is read and normalised.
    kind: str = "text"
    pattern: str | None = None
    before: bool = False
    map: dict[str, str] = Field(default_factory=dict)
    vocabulary: str | None = None
    # The value may wrap onto following lines (diagnoses): continue while lines start under it and
    # do not start a new "label：" of their own.
    multiline: bool = False
    # The value may be printed as a numbered list (1. 2. / (1) (2) / ① ②), inline or an item a line, an item
    # wrapping onto the next line: `first` keeps the first item without its number (a record's principal
    # diagnosis: the national rules for the front sheet of an inpatient record (住院病案首页数据填写质量规范)
    # put the 主要诊断 first, and 医保 settles on it), `whole` the list as printed.
    numbered: Literal["first", "whole"] | None = None
    # A date field whose own labels are absent: the start or end of the range printed after these labels.
    in_range: DateRange | None = None
    # A date no label gives: the one a sentence states with one of these verbs after it (于…入院), as
    # extractors/prose.py reads running text.
    in_prose: list[str] = Field(default_factory=list)
    # A name that must end with one of these words (a medical unit's kind: 医院, 卫生院, 中心): a value ending
    # otherwise lost its end in reading (浙江大学医学院第二医 for …第二医院) and nothing else shows it, so it is
    # kept below any clerk threshold (UNFINISHED_FIT in extractors/extract.py).
    ends_with: list[str] = Field(default_factory=list)
    # The value printed in parts, each after a label of its own under the field's label (中医诊断：… then
    # 西医诊断：… on a record of a hospital practising both medicines): the part after the first of these,
    # on the value's line or a line just under it, is the value (`parted_value`).
    parts: list[str] = Field(default_factory=list)
    # A value no label gives, stated in a phrase around it: this pattern's first group in a line's text
    # (住院12天 on a handwritten record printing no 住院天数), as extractors/prose.py reads running text.
    in_phrase: str | None = None
    # A date none of the field's labels nor its range (`in_range`) gives: the one printed after these labels, a
    # day the document's kind makes the same as the field's (a 补办 filing made for a stay already begun
    # covers it from the admission: its 急诊入院日期 is the filing's start), read as surely as at its own.
    stand_in_labels: list[str] = Field(default_factory=list)
    # A name no label gives: the one a run of particulars with no labels opens (张三  男  45岁: a ward's patient
    # label stuck on a form, a wristband), checked against the ID number (extractors/particulars.py).
    in_particulars: bool = False
    # When no label yields a value: the first line in the top part of page 1 matching this whole
    # (a hospital's name printed as the letterhead), trusted `fallback_factor` times its OCR confidence.
    fallback_pattern: str | None = None
    fallback_factor: float = 0.9
    # Labels of what is most likely, not surely, this field's value (医疗机构 for a bill's payee): read there
    # when the field's own labels give nothing, trusted `fallback_factor` times, before `fallback_pattern`.
    guess_labels: list[str] = Field(default_factory=list)
    # Failing that too: the first text matching `fallback_pattern` left of these labels on their row (the
    # payee beside 复核人 and 收款人 where a skewed scan's edge cut its label off), as far trusted.
    fallback_row: list[str] = Field(default_factory=list)
    # Failing every label: the one line of the document that is wholly this pattern (an ID card's back prints
    # one authority, 杭州市公安局西湖分局, and one validity, 2016.06.08-2026.06.08, so the line that is such a
    # name or range alone is that field where a photocopy or a fax lost its label), trusted `fallback_factor`
    # times its reading; two such lines choose nothing (`lone_line`).
    lone_pattern: str | None = None
    # Letters that print like digits (l and 1, o and 0), in a code nothing checks: a value still holding
    # one after the reader compared it with the page's own digits (ocr/glyphs.py) is doubtful however sure
    # OCR was (the tuning set's check codes 6eac1d and 76a1eb read 6eacld and 76aleb at 0.9+ before that
    # comparison; a real one is labelled "1eff (or leff)"), trusted LOOK_ALIKE_FIT times.
    look_alikes: str = ""
    # A code no self-check bears out, printed without a word around it to make a reading likely: a character
    # read below this is doubtful (trusted LOOK_ALIKE_FIT times), however sure the line is: a line's mean
    # hides one unsure character, and in random letters nothing else tells c from e.
    char_floor: float | None = None
    # A date no label gives: the earliest (`start`) or latest (`end`) date of the type's table's date
    # column (a daily list's 日期), trusted `fallback_factor` times: a charge's day need not be the stay's.
    from_table: Literal["start", "end"] | None = None
    # A value printed after the label that fits only this, not `pattern` (a code printed cut short): kept as
    # read, below any clerk threshold (SHORT_FIT), rather than dropped as if nothing were printed.
    short_pattern: str | None = None
    # The value opens with a place name (杭州市…, 天津市…): a misread character in it is checked against
    # the national list of administrative divisions (extractors/places.py).
    places: bool = False
    # Every document of the type prints this field (a bill's 票据代码 and 票据号码, a card's 公民身份号码): when
    # no value is read, a failed `field_missing` check names it, so a clerk is told it is gone instead of
    # the document passing without it.
    required: bool = False
    # Every document printing one of these words prints this field (an 电子票据's 校验码, with which the bill
    # is looked up on the finance platform): where one stands on the page, the field is `required` there.
    required_with: list[str] = Field(default_factory=list)
    # A `required` field a document may not print (`NotPrinted`): where the page shows no sign of it and
    # another check bears out what it would have checked, none read is no gap. A page showing a sign of it
    # (its label read, a character of its value), or no check passing, keeps it required.
    not_printed: NotPrinted | None = None
    # The other end of a pair a document prints together (a stay's 入院 and 出院 dates): where that one is
    # read, or its label is printed unread, this one not read was printed and not read (`field_unread`).
    paired_with: str | None = None
    # The options a `choice` row prints (备案类型's categories): what follows a mark is cut to the option it
    # opens with, and a row naming several with no mark read is known for a row of boxes (flagged).
    options: list[str] = Field(default_factory=list)
    # A date the document may set after the day the case is handled (a filing's 备案开始日期): not checked
    # against that day, as every other date is (checks.dates_not_after).
    may_follow_case: bool = False
    # Words every printed label of the field holds (电话 or 手机 for a phone number): a label the page prints in a
    # wording `labels` does not list (紧急联系手机：), holding one of them, is the field printed; where no value
    # is read, it is printed unread (`field_unread`), never silently absent.
    label_words: list[str] = Field(default_factory=list)
    # The value printed in a table under its label, in the column headed by one of these titles (诊断名称 in a
    # 诊断类别 | 诊断名称 | ICD-10编码 grid under 出院诊断): the first row's cell there (`titled_cell`).
    column_titles: list[str] = Field(default_factory=list)
    # The value is printed more than once on a document (a record's continuation page repeats the patient's
    # name at its head, a diagnosis stands under both labels and in the prose): a reading of it whose unsure
    # character is read surer in another, one character different, is doubtful (`_read_surer_elsewhere`).
    repeated: bool = False

    @model_validator(mode="after")
    def _time_twins(self) -> FieldRule:
        """Each label of a date that ends 日期, followed by its twin ending 时间 (入院日期, 入院时间; 开票日期,
        开票时间): forms print the one or the other for the same day (a record's 入院时间, a bill's 开具时间),
        and what follows either is a date, which the kind still requires. Only a label naming what the day
        is (two characters or more before 日期): a bare 时间 would be any time on the page. So with the
        labels of a date standing in (`stand_in_labels`)."""
        if self.kind not in _DATED_KINDS:
            return self
        self.labels = _twinned(self.labels)
        self.stand_in_labels = _twinned(self.stand_in_labels)
        return self

    @property
    def every_label(self) -> list[str]:
        """The field's own labels, those of the range it may be read from and those of a date standing in."""
        return [*self.labels, *(self.in_range.labels if self.in_range else []), *self.stand_in_labels]

    @field_validator("kind")
    @classmethod
    def _registered(cls, kind: str) -> str:
        """A kind no parser is registered for is a load error naming the known ones (a typo in the rules
        file fails at start-up, not on the first document of that type)."""
        if kind not in KINDS:
            raise ValueError(f"unknown field kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}")
        return kind


class Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    values: list[str]
    variants: dict[str, str] = Field(default_factory=dict)


class TableColumn(BaseModel):
    """A column of a table, known by any of its header titles."""

    model_config = ConfigDict(extra="forbid")

    headers: list[str] = Field(min_length=1)
    # What an item keeps of the column's cell: text, an amount to the cent, a count (2, 2.5), a date (ISO).
    # None: the column is recognised, so that its cells (a code, 盒, 甲) run into no other column, but not kept.
    value: Literal["text", "amount", "count", "date"] | None = None


class TableRules(BaseModel):
    """A table read row by row under a header row naming its columns (an expense list's items)."""

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, TableColumn]
    # A header row names these; a row without a value in each is no item.
    key_columns: list[str] = Field(min_length=1)
    # A row holding one of these words is a total, not an item (合计, 小计).
    total_words: list[str] = Field(default_factory=list)
    # A row whose whole text this matches names a class for the items below it (【化验费】): its first
    # group fills `section_column` of each item whose own cell there is empty.
    section_pattern: str | None = None
    section_column: str | None = None
    # A line under an item that is no item itself but carries its count and unit price (26.13×6盒, a
    # narrow thermal list printing an item on two lines): the first group is the unit price, the second
    # the count. Only taken when they multiply out to the item's amount.
    price_times_count: str | None = None
    # What an item's name may end with that is no part of it (a grade in brackets: 头孢曲松钠注射液[乙]):
    # dropped from the key text columns.
    name_suffix: str | None = None

    @model_validator(mode="after")
    def _keys_are_kept_columns(self) -> TableRules:
        for name in [*self.key_columns, *([self.section_column] if self.section_column else [])]:
            column = self.columns.get(name)
            if column is None or column.value is None:
                raise ValueError(f"key column {name!r} is not a column whose value an item keeps")
        if (self.section_pattern is None) != (self.section_column is None):
            raise ValueError("section_pattern and section_column go together")
        if self.section_pattern is not None and re.compile(self.section_pattern).groups < 1:
            raise ValueError("section_pattern needs a group: the class it names")
        return self

    @property
    def item_columns(self) -> list[str]:
        return [name for name, column in self.columns.items() if column.value is not None]

    @property
    def date_columns(self) -> list[str]:
        return [name for name, column in self.columns.items() if column.value == "date"]


class FieldRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vocabularies: dict[str, Vocabulary] = Field(default_factory=dict)
    stop_values: list[str]
    # Printed words that end any value on their line though no field of ours reads them (复核人 …).
    boundary_labels: list[str] = Field(default_factory=list)
    # Words a copy's use mark is made of (仅限医保报销使用，他用无效): never a value, and a value holding one is
    # unsure (`extract.marked_by_copy`).
    copy_marks: list[str] = Field(default_factory=list)
    types: dict[str, dict[str, FieldRule]]
    # Tables per document type (the expense list's items).
    tables: dict[str, TableRules] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> FieldRules:
        """Every pattern compiles; a field names a vocabulary (that exists) or gives a map (with an entry
        per label) exactly when its kind reads one."""
        for doc_type, fields in self.types.items():
            for name, rule in fields.items():
                for pattern in (rule.pattern, rule.short_pattern, rule.fallback_pattern, rule.lone_pattern):
                    if pattern:
                        re.compile(pattern)
                if rule.in_phrase is not None and re.compile(rule.in_phrase).groups < 1:
                    raise ValueError(f"{doc_type}.{name}: in_phrase needs a group: the value it states")
                kind = KINDS[rule.kind]
                if kind.uses_vocabulary != (rule.vocabulary is not None) or (
                    rule.vocabulary is not None and rule.vocabulary not in self.vocabularies
                ):
                    raise ValueError(
                        f"{doc_type}.{name}: field of kind {rule.kind} names vocabulary {rule.vocabulary!r}"
                    )
                if kind.uses_map != bool(rule.map) or (kind.uses_map and not set(rule.labels) <= rule.map.keys()):
                    raise ValueError(f"{doc_type}.{name}: field of kind {rule.kind} maps {sorted(rule.map)}")
                if rule.paired_with is not None and rule.paired_with not in fields:
                    raise ValueError(f"{doc_type}.{name}: paired with {rule.paired_with!r}, no field of the type")
                if (rule.in_range is not None or rule.in_prose) and rule.kind != "date":
                    raise ValueError(f"{doc_type}.{name}: only a date is read from a range or prose, not a {rule.kind}")
        return self


@cache
def load_field_rules(path: Path = RULES_PATH) -> FieldRules:
    """The rules file, validated (known kinds, vocabularies, patterns, tables); read once."""
    return FieldRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def field_labels() -> frozenset[str]:
    """Every label a field is printed after: the reader looks again right of one standing alone."""
    return frozenset(
        label for fields in load_field_rules().types.values() for rule in fields.values() for label in rule.every_label
    )


# A value with a character read below this is as unsure as that character. Chosen on the tuning set
# (seeds 100000+): right values' least sure characters were 0.59 and up, the wrong one's 0.28. Taking
# every value's least sure character instead (README "Extraction") flagged 6 of 7 wrong real values,
# not 1, but sent 3 of the 5 complete demo cases and 4 of 12 complete generated cases to a clerk for
# right values read at 0.50–0.67 (a 2 in a date, 科, 畲).
CHAR_FLOOR = 0.45


@dataclass
class Located:
    """A line of a document with where it is: `bbox` in the upright page (what layout reasons on:
    right of, below), `line.bbox` in the original image (what a reviewer's box is drawn on)."""

    page: int
    line: OcrLine
    bbox: BBox

    @cached_property
    def text(self) -> str:
        """The line's text half-width and without spaces: computed once per line (association asks for it
        for every label and every neighbour, tens of thousands of times a case)."""
        return compact(to_halfwidth(self.line.text))

    def confidence_of(self, raw: str) -> float:
        """How sure the reading of `raw`, a part of this line's text, is: the line's confidence, unless one
        of its characters was read below CHAR_FLOOR (a line's mean hides one doubtful character among
        twenty sure ones), then that character's."""
        chars = self.chars_of(raw)
        if not chars:
            return self.line.confidence
        least = min(chars)
        return least if least < CHAR_FLOOR else self.line.confidence

    def chars_of(self, raw: str) -> tuple[float, ...] | None:
        """The confidence of each character of `raw`, a part of this line's text; None where the
        recognizer gave none or `raw` is not in the line."""
        chars = self.line.char_confidences
        start = self.text.find(raw)
        if not raw or start < 0 or chars is None or len(chars) != len(self.line.text):
            return None
        kept = [conf for char, conf in zip(self.line.text, chars, strict=True) if not char.isspace()]
        return tuple(kept[start : start + len(raw)])


@dataclass
class Hit:
    raw: str  # the text the value is read from (label removed)
    page: int
    bbox: BBox  # upright page
    confidence: float  # how sure the value's reading is
    source_bbox: BBox  # original image
    line_confidence: float  # how sure the reading of the line it stands in is, as a whole
    chars: tuple[float, ...] | None = None  # each character of `raw`, where the recognizer gave them
    repaired: bool = False  # a check chose a character the reading lacked: no check bears the value out


def hit_at(raw: str, where: Located, confidence: float | None = None) -> Hit:
    conf = where.confidence_of(raw) if confidence is None else confidence
    return Hit(raw, where.page, where.bbox, conf, where.line.bbox, where.line.confidence, where.chars_of(raw))


def extended(hit: Hit, more: list[Located]) -> Hit:
    """A value that runs on over the lines `more`: as sure as its least sure part."""
    if not more:
        return hit
    parts = [hit.chars, *(line.chars_of(line.text) for line in more)]
    return replace(
        hit,
        raw=hit.raw + "".join(line.text for line in more),
        confidence=min([hit.confidence, *(line.confidence_of(line.text) for line in more)]),
        chars=tuple(c for part in parts for c in part or ()) if all(parts) else None,
    )


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def located_lines(pages: list[Page], level_on: frozenset[str] = frozenset()) -> list[Located]:
    """The pages' lines in the upright page, levelled (`_levelled`); `level_on`: the document's own labels,
    whose lines alone give the slant where two or more are found (`own_lines`)."""
    out = []
    for page in pages:
        matrix = np.asarray(page.upright_matrix) if page.upright_matrix else None
        corners = [_upright(line, matrix) for line in page.lines]
        corners = _levelled(corners, own_lines(page.lines, level_on))
        for line, xy in zip(page.lines, corners, strict=True):
            bbox = (float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()), float(xy[:, 1].max()))
            out.append(Located(page=page.page, line=line, bbox=bbox))
    return out


# A label's leading word: what stands before its colon.
_LEADING_WORD = re.compile(r"^([\u4e00-\u9fa5]{1,6})[:：]")


def composed_labels(lines: list[Located], labels: frozenset[str]) -> list[Located]:
    """The lines with labels a form prints in pieces put together, where the whole is a label the rules
    name: a label spaced out over its cell (名 称：, its first character read as a line of its own) is one
    line; a block's heading printed down its left edge (交款方 | 名称：… / 收款方 | 名称：…, a tax-invoice
    style) heads each "word：" line beside it whose word the heading turns into a label (交款方名称). The
    pieces' line keeps the lower of their readings; the other lines are as read. A label read in its
    traditional form is made the label first (`_simplified_labels`)."""
    noted = _signer_notes_dropped(lines, labels)
    joined = _spaced_joined(_paired_apart(_simplified_labels(noted, labels), labels), labels)
    headings = [ln for ln in joined if _vertical_heading(ln)]
    out = []
    for line in joined:
        word = _LEADING_WORD.match(line.text)
        heading = next(
            (
                h
                for h in headings
                if word is not None
                and h.page == line.page
                and h.bbox[2] <= line.bbox[0]
                and line.bbox[0] - h.bbox[2] < 3 * (h.bbox[2] - h.bbox[0])
                and h.bbox[1] <= (line.bbox[1] + line.bbox[3]) / 2 <= h.bbox[3]
                and h.text + word.group(1) in labels
            ),
            None,
        )
        out.append(_merged([heading, line], heading.text + line.line.text) if heading is not None else line)
    return out


# Two labels printed as one, their shared ending once (入院/出院日期, 入/出院日期), and their two values after
# it split the same way (25-6-3/25-6-15).
_PAIRED = re.compile(r"([\u4e00-\u9fa5]{1,6})/([\u4e00-\u9fa5]{2,8}):?")


def _paired_apart(lines: list[Located], labels: frozenset[str]) -> list[Located]:
    """Each line printing two labels as one (`_PAIRED`: 入院/出院日期：25-6-3/25-6-15, where the part before the
    slash and the shared ending make one label the rules name and the part after it another) written as the
    two labels each with its value (入院日期：25-6-3出院日期：25-6-15), so each field reads its own. The values
    are split at the slash in their middle: the one slash there, or the middle one of an odd count of them
    with as many on either side (2025/6/3/2025/6/15). A line whose values split no such way is left as
    read: which value is whose would be a guess."""
    return [_pair_written_apart(line, labels) or line for line in lines]


def _pair_written_apart(line: Located, labels: frozenset[str]) -> Located | None:
    text = line.text
    match = _PAIRED.search(text)
    if match is None:
        return None
    second = match.group(2)
    # The first label's own words are the run's last ones (科别骨科入院/出院日期: 入院).
    paired = [
        (match.group(1)[k:], second[cut:], match.start(1) + k)
        for k in range(len(match.group(1)))
        for cut in range(1, len(second))
        if second in labels and match.group(1)[k:] + second[cut:] in labels
    ]
    if not paired:
        return None
    first, ending, start = paired[0]
    values = _cut_at_labels(text[match.end() :], sorted(labels))
    slashes = [i for i, char in enumerate(values) if char == "/"]
    if len(slashes) % 2 == 0:
        return None
    middle = slashes[len(slashes) // 2]
    left, right = values[:middle], values[middle + 1 :]
    if not left or not right:
        return None
    rest = text[match.end() + len(values) :]
    written = f"{text[:start]}{first + ending}:{left}{second}:{right}{rest}"
    chars = line.chars_of(text)
    confidences = None
    if chars is not None:
        label_sure = min(chars[start : match.end()], default=line.line.confidence)
        head = list(chars[:start])
        confidences = [
            *head,
            *[label_sure] * (len(first + ending) + 1),
            *chars[match.end() : match.end() + middle],
            *[label_sure] * (len(second) + 1),
            *chars[match.end() + middle + 1 :],
        ]
    return replace(line, line=line.line.model_copy(update={"text": written, "char_confidences": confidences}))


def _simplified_labels(lines: list[Located], labels: frozenset[str]) -> list[Located]:
    """Each line holding a label in traditional characters, wholly or in part (性別 for 性别: the recogniser,
    trained on both scripts, returns the traditional form of a character now and then), with that label
    made the simplified one the rules name, so that it is found as a label and ends the value before it.
    Only a label's span changes, character for character (the characters' confidences stay theirs); a
    line the conversion would lengthen or shorten is left as read."""
    out = []
    for line in lines:
        raw = line.line.text
        simplified = to_simplified(to_halfwidth(raw))
        if simplified == to_halfwidth(raw) or len(simplified) != len(raw):
            out.append(line)
            continue
        mended = raw
        for label in labels:
            for match in re.finditer(re.escape(label), simplified):
                if to_halfwidth(mended[match.start() : match.end()]) != label:
                    mended = mended[: match.start()] + label + mended[match.end() :]
        out.append(line if mended == raw else replace(line, line=line.line.model_copy(update={"text": mended})))
    return out


# A signature's label with a bracketed note between who signs and 签字 (申请人（患者或家属）签字：): the note
# says who may sign for the signer, the label is the signer's.
_SIGNER_NOTE = re.compile(r"([\u4e00-\u9fa5]{1,6})\s*([(（][^()（）:：]{1,12}[)）])\s*(签字|签名)")
# A signature's label whose bracketed 签字 says more (承诺人（签字并按手印）：, 申请人（本人签名）：): the words round
# the sign word say how to sign, the label is the signer's (签字).
_SIGN_IN_NOTE = re.compile(r"([\u4e00-\u9fa5]{1,6})\s*[(（]([^()（）:：]{0,8}?)(签字|签名)([^()（）:：]{0,8})[)）]")


def _signer_notes_dropped(lines: list[Located], labels: frozenset[str]) -> list[Located]:
    """Each line holding a signature's label with a note in brackets, the note dropped where what is left is
    a label the rules name: a note between the signer and 签字 or 签名 (申请人（患者或家属）签字 → 申请人签字)
    names who may sign in the signer's stead, and words round 签字 inside the brackets (承诺人（签字并按手印）
    → 承诺人（签字）) say how to sign; either way the label is the signer's. Read as written, the signer word
    alone (申请人) would be taken for a name's label with the note's words (患者或家属) for the name, or the
    label matched loosely with the note's tail (按手印) for a signature on a blank line. The characters'
    confidences stay theirs."""
    out = []
    for line in lines:
        cuts: list[tuple[int, int]] = []
        raw = line.line.text
        for match in _SIGNER_NOTE.finditer(raw):
            if _signer_label(match.group(1), match.group(3), labels):
                cuts.append(match.span(2))
        for match in _SIGN_IN_NOTE.finditer(raw):
            if (match.group(2) or match.group(4)) and _signer_label(match.group(1), f"({match.group(3)})", labels):
                cuts += [match.span(2), match.span(4)]
        out.append(_cut(line, cuts) if cuts else line)
    return out


def _signer_label(signer: str, ending: str, labels: frozenset[str]) -> bool:
    """Whether the signer words (or their last few: 本人承诺人) with `ending` make a label of `labels`."""
    return any(to_halfwidth(signer[k:] + ending) in labels for k in range(len(signer)))


def _cut(line: Located, spans: list[tuple[int, int]]) -> Located:
    """The line with the characters of `spans` (of its text as read) taken out, with their confidences."""
    raw, chars = line.line.text, line.line.char_confidences
    kept = [i for i in range(len(raw)) if not any(start <= i < end for start, end in spans)]
    text = "".join(raw[i] for i in kept)
    confidences = [chars[i] for i in kept] if chars is not None and len(chars) == len(raw) else None
    return replace(line, line=line.line.model_copy(update={"text": text, "char_confidences": confidences}))


def _vertical_heading(line: Located) -> bool:
    """A word printed top to bottom (its box at least twice as tall as wide): a block's heading."""
    x0, y0, x1, y1 = line.bbox
    return len(line.text) >= 2 and (y1 - y0) >= 2 * (x1 - x0)


def _spaced_joined(lines: list[Located], labels: frozenset[str]) -> list[Located]:
    """A line of one character joined with the line right of it on its row, a character's width or two
    away, where their leading word ends a label the rules name (名 + 称： → 名称：)."""
    taken: set[int] = set()
    out = []
    for line in lines:
        if id(line) in taken:
            continue
        nxt = _right_of(lines, line) if len(line.text) == 1 else None
        if nxt is not None and id(nxt) not in taken:
            height = line.bbox[3] - line.bbox[1]
            word = _LEADING_WORD.match(line.text + nxt.text)
            if (
                nxt.bbox[0] - line.bbox[2] < 2 * height
                and word is not None
                and any(label.endswith(word.group(1)) for label in labels)
            ):
                taken.add(id(nxt))
                out.append(_merged([line, nxt], line.line.text + nxt.line.text))
                continue
        out.append(line)
    return out


def _merged(parts: list[Located], text: str) -> Located:
    """One line of `parts` (left to right), reading `text`, as sure as the least sure of them."""
    x0 = min(p.bbox[0] for p in parts)
    y0 = min(p.bbox[1] for p in parts)
    x1 = max(p.bbox[2] for p in parts)
    y1 = max(p.bbox[3] for p in parts)
    ox0 = min(p.line.bbox[0] for p in parts)
    oy0 = min(p.line.bbox[1] for p in parts)
    ox1 = max(p.line.bbox[2] for p in parts)
    oy1 = max(p.line.bbox[3] for p in parts)
    line = OcrLine(
        text=text,
        confidence=min(p.line.confidence for p in parts),
        polygon=[(ox0, oy0), (ox1, oy0), (ox1, oy1), (ox0, oy1)],
    )
    return Located(page=parts[0].page, line=line, bbox=(x0, y0, x1, y1))


def _upright(line: OcrLine, matrix: np.ndarray | None) -> np.ndarray:
    """The line's corners in the upright page (as read, where the page has no upright matrix)."""
    polygon = np.asarray(line.polygon, dtype=np.float64)
    if matrix is None:
        return polygon
    points = np.hstack([polygon, np.ones((len(polygon), 1))]) @ matrix.T
    return points[:, :2] / points[:, 2:3]


# Lines that still lie at more than this angle in the upright page are turned level before layout.
LEVEL_MIN_DEGREES = 3.0


# The document's own label lines that must be found for their slant alone to level the page (`own_lines`).
OWN_SLANT_LINES = 2


def own_lines(lines: list[OcrLine], labels: frozenset[str]) -> list[int]:
    """The indexes of the lines that hold one of the document's own `labels`; none when fewer than
    OWN_SLANT_LINES do. A document photographed lying on printed matter (a card on a newspaper spread over
    a desk) shares the frame with more lines of that print than it has itself, turned at the print's own
    angle: the median slant of all lines is then the print's, and levelling by it leaves the document's rows
    aslant (a value beside its label seen above its row). The lines bearing the document's labels are the
    document's, so their slant is the document's."""
    if not labels:
        return []
    own = [i for i, line in enumerate(lines) if any(label in compact(to_halfwidth(line.text)) for label in labels)]
    return own if len(own) >= OWN_SLANT_LINES else []


def _slant(xy: np.ndarray) -> float:
    return float((np.arctan2(xy[1, 1] - xy[0, 1], xy[1, 0] - xy[0, 0]) + np.pi / 2) % np.pi - np.pi / 2)


def _levelled(corners: list[np.ndarray], own: list[int] | None = None) -> list[np.ndarray]:
    """The lines' corners turned about their middle by the median slant of their top edges, when that is
    LEVEL_MIN_DEGREES or more: the page's levelling took a larger outline for the page (a card lying aslant
    on a sheet, photographed with the sheet), so its lines still slant, and a value a little higher at the
    right end stood above its label's row (签发机关 | 杭州市公安局余杭分局 at 15°: the value was lost).
    Lines taller than wide (text on end, a stray mark) say nothing of the slant; an edge is a direction
    whichever end its corners start from (a box listed from its right end slants as from its left). `own`:
    the document's own label lines (`own_lines`): where given, their slant alone (a label is short, so a
    line wider than tall counts)."""
    slants = [
        _slant(xy)
        for xy in corners
        if len(xy) == 4 and np.linalg.norm(xy[1] - xy[0]) > 2 * np.linalg.norm(xy[3] - xy[0])
    ]
    own_slants = [
        _slant(xy)
        for xy in (corners[i] for i in own or [])
        if len(xy) == 4 and np.linalg.norm(xy[1] - xy[0]) > np.linalg.norm(xy[3] - xy[0])
    ]
    if len(own_slants) >= OWN_SLANT_LINES:
        slants = own_slants
    if not slants:
        return corners
    angle = float(np.median(slants))
    if abs(np.degrees(angle)) < LEVEL_MIN_DEGREES:
        return corners
    middle = np.vstack(corners).mean(axis=0)
    cos, sin = np.cos(-angle), np.sin(-angle)
    turn = np.array([[cos, -sin], [sin, cos]])
    return [(xy - middle) @ turn.T + middle for xy in corners]


@cache
def _halfwidth_labels(labels: tuple[str, ...]) -> tuple[str, ...]:
    """Rule labels half-width (`to_halfwidth`), once per list: they are rules data, the same for every line
    of every case, and were made half-width again for each line they were compared with."""
    return tuple(map(to_halfwidth, labels))


def _cut_at_labels(text: str, other_labels: list[str]) -> str:
    """The value part of a line ends where the next field's label starts."""
    end = len(text)
    for label in _halfwidth_labels(tuple(other_labels)):
        pos = text.find(label, 1)
        if 0 < pos < end:
            end = pos
    return text[:end]


def _right_of(lines: list[Located], anchor: Located) -> Located | None:
    ax0, ay0, ax1, ay1 = anchor.bbox
    best: Located | None = None
    for cand in lines:
        if cand is anchor or cand.page != anchor.page:
            continue
        x0, y0, _, y1 = cand.bbox
        overlap = min(ay1, y1) - max(ay0, y0)
        # OCR boxes of a label and its value may overlap: the value starts past the label's middle.
        beside = x0 >= ax0 + 0.6 * (ax1 - ax0)
        if beside and overlap > 0.5 * min(ay1 - ay0, y1 - y0) and (best is None or x0 < best.bbox[0]):
            best = cand
    return best


def _above(lines: list[Located], anchor: Located) -> Located | None:
    return _vertical(lines, anchor, down=False)


def _vertical(lines: list[Located], anchor: Located, down: bool) -> Located | None:
    """The nearest line just below (or above) the anchor that overlaps it horizontally."""
    ax0, ay0, ax1, ay1 = anchor.bbox
    best: Located | None = None
    best_gap = 0.0
    for cand in lines:
        if cand is anchor or cand.page != anchor.page:
            continue
        x0, y0, x1, y1 = cand.bbox
        gap = y0 - ay1 if down else ay0 - y1
        # Boxes of adjacent rows may overlap by a third of a line (the detector's margins).
        near = -0.3 * (ay1 - ay0) <= gap < VERTICAL_REACH * (ay1 - ay0)
        if near and min(ax1, x1) - max(ax0, x0) > 0 and (best is None or gap < best_gap):
            best, best_gap = cand, gap
    return best


_LABEL_START = re.compile(r"^[\u4e00-\u9fa5]{2,8}[:：]")

# A part printed under a label of its own, but not the part a rule keeps: below any clerk threshold.
OTHER_PART_FIT = 0.5


def parted_value(lines: list[Located], hit: Hit, parts: list[str]) -> Hit:
    """The part of a value printed in parts (`FieldRule.parts`) that the rule keeps: the text after the
    first part label, on the value's line (up to the next part label) or on one of the two lines just
    under it starting at its left edge. A value opening with another part's label, with the kept part
    nowhere, is that part's text, trusted OTHER_PART_FIT times: a clerk decides which part is meant."""
    labels = [to_halfwidth(label) for label in parts]
    wanted, others = labels[0], labels[1:]
    height = hit.bbox[3] - hit.bbox[1]
    under = sorted(
        (
            ln
            for ln in lines
            if ln.page == hit.page
            and hit.bbox[1] + 0.3 * height < ln.bbox[1] < hit.bbox[3] + 2.2 * height
            and abs(ln.bbox[0] - hit.bbox[0]) < 2 * height
        ),
        key=lambda ln: ln.bbox[1],
    )[:2]
    for raw, line in [(hit.raw, None), *((ln.text, ln) for ln in under)]:
        pos = raw.find(wanted)
        if pos < 0:
            continue
        part = _cut_at_labels(raw[pos + len(wanted) :], others).lstrip(":：")
        if not part:
            continue
        return hit_at(part, line) if line is not None else replace(hit, raw=part)
    opening = next((label for label in others if hit.raw.startswith(label)), None)
    if opening is None:
        return hit
    return replace(hit, raw=hit.raw[len(opening) :].lstrip(":："), confidence=hit.confidence * OTHER_PART_FIT)


def titled_cell(lines: list[Located], hit: Hit, titles: list[str]) -> Hit | None:
    """The first row's cell under a column title, where the value found at a label is a cell of a header
    row holding one of `titles` whole (the search read a column's title, 诊断类别, for the diagnosis under
    出院诊断): the row just under the header, its cell in the titled column, by place in the row where the
    two rows have as many cells, else the cell the title's column overlaps most. A title is no value, and a
    table's first row is the one its principal entry is printed in (主要诊断 before 其他诊断). None when
    the hit is no header cell, or no row stands within two line heights under it."""
    grid = rows([ln for ln in lines if ln.page == hit.page])
    at = next((k for k, row in enumerate(grid) if any(ln.bbox == hit.bbox for ln in row)), None)
    if at is None or at + 1 >= len(grid):
        return None
    header, below = grid[at], grid[at + 1]
    column = next((k for k, ln in enumerate(header) if ln.text.strip(":：") in titles), None)
    if column is None:
        return None
    title = header[column]
    height = title.bbox[3] - title.bbox[1]
    if below[0].bbox[1] - title.bbox[3] > 2 * height:
        return None
    if len(below) == len(header):
        cell = below[column]
    else:

        def overlap(line: Located) -> float:
            return min(line.bbox[2], title.bbox[2]) - max(line.bbox[0], title.bbox[0])

        cell = max(below, key=overlap)
        if overlap(cell) <= 0:
            return None
    return hit_at(cell.text, cell)


def continue_lines(lines: list[Located], hit: Hit, stop_labels: list[str], max_lines: int = 4) -> Hit:
    """A value that ran to the right margin continues on the next lines that start under its line
    and do not open a "label：" of their own."""
    same_page = [ln for ln in lines if ln.page == hit.page]
    if not same_page:
        return hit
    right_margin = max(ln.bbox[2] for ln in same_page)
    x0, _, x1, y1 = hit.bbox
    height = hit.bbox[3] - hit.bbox[1]
    more: list[Located] = []
    for line in sorted(same_page, key=lambda ln: ln.bbox[1]):
        if len(more) >= max_lines or x1 < right_margin - 2 * height:
            break
        if line.bbox[1] < y1 - 0.3 * height:
            continue
        if line.bbox[1] - y1 > 0.8 * height or abs(line.bbox[0] - x0) > 2 * height:
            break
        if _LABEL_START.match(line.text) or any(line.text.startswith(lb) for lb in stop_labels):
            break
        more.append(line)
        x1, y1 = line.bbox[2], line.bbox[3]
    return extended(hit, more)


_JOINER_END = re.compile(rf"[{re.escape(NAME_JOINERS)}]$")
_JOINER_START = re.compile(rf"^[{re.escape(NAME_JOINERS)}][\u4e00-\u9fa5]+$")
_CHINESE_RUN = re.compile(r"^[\u4e00-\u9fa5]+$")


def joined_run_on(lines: list[Located], hit: Hit) -> Hit:
    """A name whose parts are joined by an interpunct, wrapped at it in a narrow field (a card's 姓名 over
    two lines): where the value's line ends with the joiner, or the line under it opens with one, that
    line (Chinese characters only, under the value, less than a line below it) is the name's next part.
    A name never ends with a joiner nor a line of a page opens with one, so either says the name goes on;
    without one, the line under a name is the next field's."""
    height = hit.bbox[3] - hit.bbox[1]
    ends_joined = _JOINER_END.search(hit.raw.rstrip()) is not None
    for line in lines:
        if line.page != hit.page or not -0.3 * height <= line.bbox[1] - hit.bbox[3] < 0.8 * height:
            continue
        if min(hit.bbox[2], line.bbox[2]) - max(hit.bbox[0], line.bbox[0]) <= 0:
            continue
        if (ends_joined and _CHINESE_RUN.match(line.text)) or _JOINER_START.match(line.text):
            return extended(hit, [line])
    return hit


def beside_in_cell(lines: list[Located], labels: list[str], accept: re.Pattern[str] | None) -> Hit | None:
    """The value right of a label that stands alone at the middle of a tall cell, its value's lines above
    and below its middle (a row of options wrapped over two lines): of the lines starting right of the
    label within half its height of its top and bottom, the one overlapping it most."""
    for label in map(to_halfwidth, labels):
        for anchor in lines:
            if not anchor.text.endswith(label):
                continue
            ax0, ay0, ax1, ay1 = anchor.bbox
            height = ay1 - ay0
            beside = [
                (min(ay1, ln.bbox[3]) - max(ay0, ln.bbox[1]), ln)
                for ln in lines
                if ln.page == anchor.page
                and ln is not anchor
                and ln.bbox[0] >= ax0 + 0.6 * (ax1 - ax0)
                and ln.bbox[0] - ax1 < 4 * height
                and ln.bbox[3] > ay0 - 0.5 * height
                and ln.bbox[1] < ay1 + 0.5 * height
                and (accept is None or accept.search(ln.text))
            ]
            if beside:
                nearest = max(beside, key=lambda pair: pair[0])[1]
                return hit_at(nearest.text, nearest)
    return None


# A box of a number printed one digit a box (or a few: a box may be read with its neighbours).
_DIGIT_CELL = re.compile(r"[0-9Xx×]{1,8}")


def boxed_digits(lines: list[Located], labels: list[str]) -> Hit | None:
    """A number printed a digit a box right of its label (身份证号码 □□□…), each box or group of boxes read as
    a line of its own: the digit lines of the label's row, left to right from the label, joined while
    each starts within three line heights of the last one's end, up to the first line that is not digits.
    None unless two or more are joined; the value's own check (an ID number's check digit) bears it out."""
    for anchor in lines:
        label = next((lb for lb in map(to_halfwidth, labels) if lb in anchor.text), None)
        if label is None:
            continue
        tail = anchor.text[anchor.text.find(label) + len(label) :].lstrip(":：")
        if tail and not _DIGIT_CELL.fullmatch(tail):
            continue
        _, ay0, ax1, ay1 = anchor.bbox
        height = ay1 - ay0
        row = sorted(
            (
                ln
                for ln in lines
                if ln.page == anchor.page
                and ln is not anchor
                and ln.bbox[0] >= ax1 - 0.5 * height
                and min(ay1, ln.bbox[3]) - max(ay0, ln.bbox[1]) > 0.5 * min(height, ln.bbox[3] - ln.bbox[1])
            ),
            key=lambda ln: ln.bbox[0],
        )
        cells: list[Located] = []
        end = ax1
        for line in row:
            if not _DIGIT_CELL.fullmatch(line.text) or line.bbox[0] - end > 3 * height:
                break
            cells.append(line)
            end = line.bbox[2]
        if len(cells) >= 2:
            first = hit_at(tail, anchor) if tail else hit_at(cells[0].text, cells[0])
            hit = extended(first, cells if tail else cells[1:])
            gap = _empty_box(cells)
            if gap is not None:
                at = len("".join(ln.text for ln in cells[:gap])) + (len(tail) if tail else 0)
                hit = replace(hit, raw=hit.raw[:at] + EMPTY_BOX + hit.raw[at:], chars=None)
            return hit
    return None


# Where a box of a number printed a digit a box was read empty (a thin handwritten 1 the detector missed).
EMPTY_BOX = "?"


def _empty_box(cells: list[Located]) -> int | None:
    """The index of the cell after the one box read empty, where the number is read a digit a box: every
    cell one character, the boxes' pitch the usual distance between neighbouring cells' centres, and one
    distance about twice that (1.6 to 2.4 pitches). None where no box, or more than one, is missing."""
    if len(cells) < 4 or any(len(ln.text) != 1 for ln in cells):
        return None
    centres = [(ln.bbox[0] + ln.bbox[2]) / 2 for ln in cells]
    steps = [b - a for a, b in pairwise(centres)]
    pitch = sorted(steps)[len(steps) // 2]
    wide = [k for k, step in enumerate(steps) if 1.6 * pitch <= step <= 2.4 * pitch]
    odd = [step for step in steps if not 0.6 * pitch <= step <= 1.4 * pitch]
    return wide[0] + 1 if pitch > 0 and len(wide) == 1 and len(odd) == 1 else None


# The first item's number of a numbered list: 1. 1、 1) (1) ①, a 1 read as l or I; a mark OCR made of the
# colon or the cell's rule before it (☑1.脑梗死) is no part of the value.
_FIRST_ITEM = re.compile(r"^[^\w(（]{0,2}(?:(?P<dot>[1lI])[.．、)）]|[(（](?P<paren>[1lI])[)）]|(?P<circled>①))")


def _item_number(first: re.Match[str], n: int) -> re.Pattern[str]:
    """The number of item `n` of a list whose first item `first` opens, in its style: 2. (with 、 or ) for the
    dot, as printers mix them) not inside a number or a code (2.5, T2), (2), ②."""
    if first.group("dot"):
        return re.compile(rf"(?<![0-9A-Za-z.]){n}[.．、)）](?!\d)")
    if first.group("paren"):
        return re.compile(rf"[(（]{n}[)）]")
    return re.compile(chr(ord("①") + n - 1))


def numbered_value(
    lines: list[Located], hit: Hit, stop_labels: list[str], keep: Literal["first", "whole"]
) -> Hit | None:
    """A value printed as a numbered list, None when the value opens with no first item's number. The list
    runs on over the lines below that open with the next item's number under the first item, and over a
    line that continues an item which reached the right margin (a wrapped item), until a "label：" or a
    gap. `first`: the first item without its number; `whole`: every item as printed."""
    first = _FIRST_ITEM.match(hit.raw)
    if first is None:
        return None
    same_page = [ln for ln in lines if ln.page == hit.page]
    right_margin = max(ln.bbox[2] for ln in same_page)
    x0, _, x1, y1 = hit.bbox
    height = hit.bbox[3] - hit.bbox[1]
    more: list[Located] = []
    n = _next_number(hit.raw, first)
    for line in sorted(same_page, key=lambda ln: ln.bbox[1]):
        if line.bbox[1] < y1 - 0.3 * height:
            continue
        if line.bbox[1] - y1 > 0.8 * height or _LABEL_START.match(line.text):
            break
        if any(line.text.startswith(label) for label in stop_labels):
            break
        under = x0 - 2 * height <= line.bbox[0] <= hit.bbox[2]
        next_item = under and _item_number(first, n).match(line.text) is not None
        wrapped = x1 >= right_margin - 2 * height and abs(line.bbox[0] - x0) <= 2 * height
        if not (next_item or wrapped):
            break
        more.append(line)
        n = _next_number(hit.raw + "".join(ln.text for ln in more), first)
        x1, y1 = line.bbox[2], line.bbox[3]
    listed = extended(hit, more)
    if keep == "whole":
        return listed
    start = first.end()
    second = _item_number(first, 2).search(listed.raw, start) or _second_before_a_digit(listed.raw, start, first)
    end = second.start() if second else len(listed.raw)
    chars = listed.chars[start:end] if listed.chars is not None else None
    # The items after the first are the whole list's field (…_diagnoses), not doubts about this one: the
    # first item is the principal by the rules the list is printed to, so its confidence is its reading's.
    return replace(listed, raw=listed.raw[start:end], chars=chars)


def _second_before_a_digit(text: str, start: int, first: re.Match[str]) -> re.Match[str] | None:
    """Item 2 whose text opens with a digit (慢性胃炎2.2型糖尿病3.脂肪肝): 2. before a digit reads as a
    decimal (2.5), so it is taken for the item's number only when item 3's number follows it, or when the
    digit after it numbers a type (2.2型糖尿病: a disease's 型 is a whole number, never 2.2)."""
    if not first.group("dot"):
        return None
    for match in re.finditer(r"(?<![0-9A-Za-z.])2[.．、](?=\d)", text[start:]):
        at = start + match.end()
        if re.match(r"\d型", text[at:]) or _item_number(first, 3).search(text, at):
            return re.compile(re.escape(match.group())).search(text, start + match.start())
    return None


def _next_number(text: str, first: re.Match[str]) -> int:
    """The number the next item of a list would print, after the items numbered in `text` (1.A 2.B → 3)."""
    n = 2
    while _item_number(first, n).search(text):
        n += 1
    return n


def header_match(lines: list[Located], pattern: re.Pattern[str], top_share: float = 0.2) -> Located | None:
    """The first line in the top part of page 1 whose whole text matches (a letterhead). The part is
    `top_share` of the height the page's lines span, from the first, and the line ends inside it: a document
    photographed on a table or shown on a screen starts well below the image's top edge, and its letterhead
    is the top of the document, not of the image; a page of one row has no top part."""
    first_page = [ln for ln in lines if ln.page == lines[0].page] if lines else []
    if not first_page:
        return None
    top = min(ln.bbox[1] for ln in first_page)
    bottom = max(ln.bbox[3] for ln in first_page)
    for line in sorted(first_page, key=lambda ln: ln.bbox[1]):
        if line.bbox[3] - top <= top_share * (bottom - top) and pattern.fullmatch(line.text):
            return line
    return None


def lone_line(lines: list[Located], pattern: re.Pattern[str]) -> Located | None:
    """The one line whose whole text (spaces aside) matches `pattern`; None when no line or several do: a
    value told by its form alone is taken only where nothing else on the document has that form."""
    matching = [ln for ln in lines if pattern.fullmatch(re.sub(r"\s+", "", ln.text))]
    return matching[0] if len(matching) == 1 else None


def row_match(lines: list[Located], pattern: re.Pattern[str], labels: list[str]) -> tuple[Located, str] | None:
    """The first text matching `pattern` in a line left of one starting with one of `labels`, on its row
    (an invoice's 收款单位 cell beside 复核人 and 收款人, its label lost), and that line."""
    for row in rows(lines):
        anchors = [ln.bbox[0] for ln in row if any(ln.text.startswith(label) for label in labels)]
        for line in row:
            match = pattern.search(line.text) if anchors and line.bbox[2] <= min(anchors) else None
            if match:
                return line, match.group(0)
    return None


@cache
def _stop_words(stop_values: frozenset[str]) -> tuple[str, ...]:
    """The stop values of two characters or more, as one tuple for `str.startswith` (rules data, once)."""
    return tuple(w for w in stop_values if len(w) >= 2)


def _starts_with_stop(raw: str, stop_values: frozenset[str]) -> bool:
    return raw in stop_values or raw.startswith(_stop_words(stop_values))


def _opens_another(text: str, rule: FieldRule, other_labels: list[str], stop_values: frozenset[str]) -> bool:
    """`text` starts with another field's label or a word no value starts with (checked before the text is
    cut at labels: 开票日期 cut at 日期 leaves 开票), or, up to the next label, is a "label：" of its own
    (婚姻：已婚 below a blank 患者姓名：, 医保类型：… beside a blank 姓名：; a diagnosis may hold a colon):
    what stands there is not this field's value."""
    if any(text.startswith(label) for label in other_labels) or _starts_with_stop(text, stop_values):
        return True
    return not rule.multiline and _LABEL_START.match(_cut_at_labels(text, other_labels)) is not None


def find_value(
    lines: list[Located],
    rule: FieldRule,
    other_labels: list[str],
    accept: re.Pattern[str] | None,
    stop_values: frozenset[str] = frozenset(),
    convention: Convention | None = None,
) -> Hit | None:
    """The text after (or before) the first label occurrence that yields an acceptable value; none
    when a label is printed blank before a later synonym gives one. A value not on its label's line is
    chosen among the label's neighbours by the page's `convention` (`associate`).

    When no label is found whole, a line that starts with a label less its first character is taken
    (a seal or a fold ate it: 人自费 for 个人自费), trusted 0.9 times its OCR confidence. Failing that, a
    line that starts with a label, or the label less one or two characters, read with at most one
    character different, when no other label is as near (a scan's edge cut through a line: 单位（音）
    for 收款单位（章）, tuning set), trusted 0.8 times: a clerk sees it."""
    labels = [to_halfwidth(label) for label in rule.labels]
    after_label = not rule.before and not KINDS[rule.kind].whole_line
    convention = convention or Convention()
    if KINDS[rule.kind].whole_line and (ending := _ended_by(lines, labels)) is not None:
        return ending
    # Labels standing as labels first, in their order; a label's words inside a sentence only after them all.
    # A title or a name before its label holds the label inside it: there every occurrence stands.
    for standing in (True, False) if after_label else (False,):
        for label in labels:
            hit = _find(lines, rule, [label], other_labels, accept, stop_values, convention, False, standing=standing)
            if hit is not None:
                return hit
            if after_label and _printed_blank(lines, label, rule, other_labels, stop_values):
                return None
    if not after_label:
        return None
    tails = [label[1:] for label in labels if len(label) >= 4]
    hit = _find(lines, rule, tails, other_labels, accept, stop_values, convention, at_start=True)
    if hit is not None:
        hit.confidence *= 0.9
        return hit
    stems = _stems(labels)
    unlike = _stems([to_halfwidth(label) for label in other_labels])
    hit = _find(lines, rule, stems, other_labels, accept, stop_values, convention, at_start=True, unlike=unlike)
    if hit is not None:
        hit.confidence *= 0.8
        return hit
    heads = last_lost_heads(labels, other_labels)
    hit = _find(lines, rule, heads, other_labels, accept, stop_values, convention, at_start=True)
    if hit is not None:
        hit.confidence *= DRIFT_FIT
        return hit
    return _drifted(lines, rule, labels, other_labels, accept, stop_values)


# A label of fewer characters than this, less its last, says too little to be told by its head.
LOST_LAST_MIN = 3


def last_lost_heads(labels: list[str], other_labels: list[str]) -> list[str]:
    """Each label less its last character, with the colon after it (校验: for 校验码：): the character before a
    colon is lost in reading where a tear, a tape's edge or a fold crosses it (or it is read as the colon),
    and what stands is the label's head at a line's start, then the colon, then the value. A head another
    field's label also opens with is that label's, never this one's; a label shorter than LOST_LAST_MIN has
    too short a head. A value found so is below any clerk threshold (DRIFT_FIT): a guess, shown as one."""
    others = _halfwidth_labels(tuple(other_labels))
    heads = [label[:-1] for label in labels if len(label) >= LOST_LAST_MIN and not label.endswith(":")]
    return [f"{head}:" for head in heads if not any(other.startswith(head) for other in others)]


def _ended_by(lines: list[Located], labels: list[str]) -> Hit | None:
    """The first line a label ends (the first label first): a title ends with the word naming the form
    (…备案申请表, …登记表), while a line holding that word inside it is something else that names the form (a
    browser's page heading 异地就医备案申请-…服务大厅 over the printed form, a sentence citing it).

    A numbered note or a sentence (2. 就医时请出示…并主动告知已办理异地就医备案。) may end with the same word:
    a title is a name, never numbered and never broken by a sentence's comma or semicolon, so such a line
    is no title."""
    line = title_line(lines, labels)
    return hit_at(line.text, line) if line is not None else None


def title_line(lines: list[Located], labels: list[str]) -> Located | None:
    """The line a title word ends (`_ended_by`: the first label first), None where no line is a title."""
    for label in labels:
        for line in lines:
            if _SENTENCE.search(line.text):
                continue
            if line.text.rstrip(_TITLE_END).endswith(label):
                return line
    return None


# What may close a title's line after its last word: spaces, a colon, a full stop.
_TITLE_END = " :：.。"
# A line that is a sentence or a numbered note, not a title: a comma, an enumeration comma or a semicolon
# inside it, or a list number opening it (1. / 2、 / (3) / ④).
_SENTENCE = re.compile(r"[，,；;、]|^\s*(?:\d{1,2}\s*[.．、)）]|[(（]\d{1,2}[)）]|[①-⑳])")


# A value associated with its label by geometry alone, off the label's row (`_drifted`), or below, above or
# in the grid cell under it in a direction the page has not confirmed (`associate`): below any clerk
# threshold, unless a self-check bears it out. A wrong guess is then flagged, never silently taken.
DRIFT_FIT = 0.75


def _drifted(
    lines: list[Located],
    rule: FieldRule,
    labels: list[str],
    other_labels: list[str],
    accept: re.Pattern[str] | None,
    stop_values: frozenset[str],
) -> Hit | None:
    """A value printed off its cell (a pin-feed printer's line drifting right and down of the pre-printed
    labels): of the lines starting right of a label standing alone, up to a line and a half lower and
    eight line heights away, the nearest whose own nearest label is this one (a line nearer another
    label is that label's value). Taken only when nothing else gave a value; trusted DRIFT_FIT times."""
    known = tuple(field_labels() | set(_halfwidth_labels(tuple(other_labels))))
    label_lines = [ln for ln in lines if ln.text.startswith(known)]
    for label in labels:
        for anchor in lines:
            pos = _label_at(anchor.text, label, other_labels)
            if pos < 0 or _FURNITURE_NOTE.sub("", anchor.text[pos + len(label) :]).strip(":：;；"):
                continue
            ax0, ay0, ax1, ay1 = anchor.bbox
            height, centre = ay1 - ay0, (ay0 + ay1) / 2

            def gap(line: Located, label_line: Located = anchor) -> float:
                lx1, lcentre = label_line.bbox[2], (label_line.bbox[1] + label_line.bbox[3]) / 2
                return max(line.bbox[0] - lx1, 0.0) + 2 * abs((line.bbox[1] + line.bbox[3]) / 2 - lcentre)

            near = sorted(
                (
                    ln
                    for ln in lines
                    if ln.page == anchor.page
                    and ln is not anchor
                    and ln not in label_lines
                    and ln.bbox[0] >= ax0 + 0.6 * (ax1 - ax0)
                    and ln.bbox[0] - ax1 < 8 * height
                    and -0.3 * height <= (ln.bbox[1] + ln.bbox[3]) / 2 - centre <= 1.5 * height
                ),
                key=gap,
            )
            for cand in near:
                owners = [
                    lb
                    for lb in (label_lines if anchor in label_lines else [*label_lines, anchor])
                    if lb.page == cand.page
                    and lb.bbox[0] < cand.bbox[0]
                    and -1.5 * height
                    <= (lb.bbox[1] + lb.bbox[3]) / 2 - (cand.bbox[1] + cand.bbox[3]) / 2
                    <= 0.3 * height
                ]
                if min(owners, key=lambda lb: gap(cand, lb), default=None) is not anchor:
                    continue
                raw = _cut_at_labels(cand.text, other_labels)
                if raw and not _starts_with_stop(raw, stop_values) and (accept is None or accept.search(raw)):
                    return hit_at(raw, cand, cand.confidence_of(raw) * DRIFT_FIT)
    return None


def _printed_blank(
    lines: list[Located], label: str, rule: FieldRule, other_labels: list[str], stop_values: frozenset[str]
) -> bool:
    """`label` stands as "label：" with nothing after it but another label (交款人： on a bill whose
    其他信息 prints 姓名：…). A later synonym is not looked for then: a synonym may name another role on the
    same bill (the patient's 姓名 beside a blank 交款人, 就诊日期 beside a blank 开票日期), and the bill
    printed this one blank."""
    for anchor in lines:
        pos = _label_at(anchor.text, label, other_labels)
        rest = _FURNITURE_NOTE.sub("", anchor.text[pos + len(label) :]) if pos >= 0 else ""
        if rest.startswith((":", "：")):
            after = rest.lstrip(":：;；")
            if not after or _opens_another(after, rule, other_labels, stop_values):
                return True
    return False


def printed_unread(lines: list[Located], wanted: Wanted) -> str | None:
    """The field's own label where it stands on the page as a label of its own and is not printed blank
    (`_printed_blank`), for a field no value was read for; None when no such label stands. The document
    prints the field there, so the value is unread, not absent: a gap a clerk must be told of, as much as a
    value read unsure. A label inside another field's longer label is that field's (`_label_at`). So is a
    label of a date standing in for the field (`FieldRule.stand_in_labels`): no value read there either."""
    rule = wanted.rule
    if rule.before or KINDS[rule.kind].whole_line:
        return None
    for label in map(to_halfwidth, [*rule.labels, *rule.stand_in_labels]):
        standing = any(_label_at(line.text, label, wanted.other_labels) >= 0 for line in lines)
        if standing and not _printed_blank(lines, label, rule, wanted.other_labels, wanted.stop_values):
            return label
    return None


# A label, or what is left of it, shorter than this is not matched with a character misread.
DAMAGED_LABEL_MIN = 5


def _stems(labels: list[str]) -> list[str]:
    """Each label, and it less its first one or two characters, as long as DAMAGED_LABEL_MIN allows."""
    return [label[cut:] for label in labels for cut in (0, 1, 2) if len(label) - cut >= DAMAGED_LABEL_MIN]


def differences(a: str, b: str) -> int:
    """How many characters of two strings of one length differ."""
    return sum(x != y for x, y in zip(a, b, strict=True))


def _starts_like(text: str, label: str, unlike: list[str]) -> bool:
    """`text` starts with `label` read with at most one character different, and with no stem of
    `unlike` (other fields' labels) read so."""
    head = text[: len(label)]
    if len(head) < len(label) or differences(head, label) > 1:
        return False
    return not any(differences(head, other) <= 1 for other in unlike if len(other) == len(head))


def _label_at(text: str, label: str, other_labels: list[str], standing: bool = False) -> int:
    """Where `label` stands in `text` as a label of its own, -1 if nowhere: an occurrence inside a longer
    label of another field printed there is that field's (日期 in 住院日期 is the stay's, not the bill's
    开票日期 shortened), whatever stands after it. `standing`: not an occurrence inside a sentence
    (`in_sentence`) either."""
    if label not in text:
        return -1
    longer = [other for other in _halfwidth_labels(tuple(other_labels)) if label in other and len(other) > len(label)]
    taken = [(m.start(), m.end()) for other in longer for m in re.finditer(re.escape(other), text)]
    for match in re.finditer(re.escape(label), text):
        if standing and in_sentence(text, match.start(), match.end()):
            continue
        if not any(start <= match.start() and match.end() <= end for start, end in taken):
            return match.start()
    return -1


def rest_after_label(text: str, label: str, other_labels: list[str]) -> str | None:
    """What follows `label` where it stands in `text` as a label of its own, not inside a sentence
    (`_label_at`), its colon and a bracketed note stripped, cut at the next label; None where it stands
    nowhere."""
    pos = _label_at(text, label, other_labels, standing=True)
    if pos < 0:
        return None
    after = _FURNITURE_NOTE.sub("", text[pos + len(label) :]).lstrip(":：;；")
    return _cut_at_labels(after, other_labels)


_HAN = re.compile(r"[\u4e00-\u9fa5]")


def in_sentence(text: str, start: int, end: int) -> bool:
    """The words text[start:end] stand inside a sentence: a Chinese character right before them and right
    after them, no colon, space or stop between. A label stands at a line's or a cell's start, or ends at a
    colon, a value or the line's end; a word run on both sides (请相关科室会诊 in a 诊疗经过 paragraph) is
    the sentence's, used as a label only where no label of the field stands anywhere (`find_value`)."""
    return start > 0 and end < len(text) and bool(_HAN.match(text[start - 1])) and bool(_HAN.match(text[end]))


# A note after a label that asks for a signature: (签名), (签字), (签章).
_SIGNATURE_NOTE = re.compile(r"^[(（](?:签名|签字|签章)[)）]")

# A note printed in brackets after a label, saying what goes there ((盖章), (章), (签字)): part of the
# label, never the value (收款单位（盖章） with the unit's name left to its stamp). So is a bracketed word
# between a label and its colon, saying whom the label means (交款人（患者）：, 联系人（家属）：): a value
# follows a colon, it never stands before one.
# So is a label's translation on a bilingual form (住院号 Inpatient No.：, 入院诊断 Admitting Diagnosis：; a
# line's text holds no spaces): Latin letters between a label and its colon are the label's English, never
# its value, for the same reason.
_FURNITURE_NOTE = re.compile(
    r"^[(（](?:盖章|章|签章|公章|印章|签字|签名|手写)[)）]|^[(（][\u4e00-\u9fa5]{1,6}[)）](?=[:：])"
    r"|^[A-Za-z][A-Za-z.'/&\-]*(?=[:：])"
)
# A line opening with such a translation and its colon (InpatientNo.:123 standing apart from 住院号).
_GLOSS_OPENING = re.compile(r"^[A-Za-z][A-Za-z.'/&\-]*[:：]")


def without_gloss(text: str) -> str:
    """`text` less a label's English translation and colon opening it (InpatientNo.:12345 → 12345): a
    bilingual form prints each label in both languages before one colon, and the recogniser may part the
    Chinese label from the rest of the line. The Latin words before a colon name the field; a value follows
    a colon and never stands before one. A text opening with letters not followed by a colon (a code, a
    name in Latin letters) is kept whole."""
    return _GLOSS_OPENING.sub("", text, count=1)


def _find(
    lines: list[Located],
    rule: FieldRule,
    labels: list[str],
    other_labels: list[str],
    accept: re.Pattern[str] | None,
    stop_values: frozenset[str],
    convention: Convention,
    at_start: bool,
    unlike: list[str] | None = None,
    standing: bool = False,
) -> Hit | None:
    """With `unlike`, a line whose start is `label` read with at most one character different; `standing`:
    no occurrence inside a sentence (`in_sentence`)."""
    for label in labels:
        for anchor in lines:
            text = anchor.text
            pos = (
                _label_at(text, label, other_labels, standing)
                if unlike is None
                else (0 if _starts_like(text, label, unlike) else -1)
            )
            if pos < 0 or (at_start and pos > 0):
                continue
            if KINDS[rule.kind].whole_line:
                return hit_at(text, anchor)
            if rule.before:
                raw = text[:pos]
                if raw and (accept is None or accept.search(raw)):
                    return hit_at(raw, anchor)
                # A title on its own line: the name printed above it (hospital over 出院记录).
                up = _above(lines, anchor) if not raw else None
                if up is not None and (accept is None or accept.search(up.text)):
                    return hit_at(up.text, up)
                continue
            after = _FURNITURE_NOTE.sub("", text[pos + len(label) :]).lstrip(":：;；")
            if _opens_another(after, rule, other_labels, stop_values):
                continue  # printed blank: the next field's label follows it (交款人：开票日期：…)
            rest = _cut_at_labels(after, other_labels)
            if rest and not _starts_with_stop(rest, stop_values) and (accept is None or accept.search(rest)):
                return hit_at(rest, anchor)
            # A name printed after "label：" stands right of it; below is the next row (其他门急诊收费 under a
            # blank 交款人：), not its value, unless the page prints its values under their labels.
            colon = KINDS[rule.kind].beside_after_colon and after != text[pos + len(label) :]
            alone = not after.strip(_CLOSING)
            signed = _SIGNATURE_NOTE.match(text[pos + len(label) :]) is not None
            wanted = Wanted(rule, other_labels, accept, stop_values)
            hit = associate(lines, anchor, wanted, convention, alone, colon, signed)
            if hit is not None:
                return hit
    return None


# What may follow a label standing alone besides a colon: the bracket closing a label printed in brackets
# under a ruled blank (（患者姓名）).
_CLOSING = ")）]】"

# Where a value stands from its label: right on its row, on the line below or above, or in the cell under
# it in the row beneath a header row of labels (a grid).
Direction = Literal["right", "below", "grid", "above"]
# The order directions are taken in where the page says nothing of its convention: the cell right of the
# label, then the line or grid cell below (as labels were always read), the line above last.
DIRECTIONS: tuple[Direction, ...] = ("right", "below", "grid", "above")
# How far below or above its label a value may stand, in the label's line heights: a ruled blank's line
# and the label printed under it are a line or two apart; the next block of a form is further.
VERTICAL_REACH = 2.5
# Unambiguous pairs one direction must have on a page before a value found in it off its label's row is
# trusted: one pair may be a coincidence (a date that happens to stand under another date's label), two
# agreeing are the page's convention.
CONFIRMING_PAIRS = 2
# A pair's say in the direction of another label fades with the distance between the two labels: at this
# many line heights it counts half, so on a form mixing conventions (a header of "label：value" lines over a
# block of ruled blanks) each block's own pairs decide for it.
SUPPORT_FADE = 10.0
# Plain words a strict pattern (a date, an amount, an ID number, a code) never accepts: a field whose
# pattern accepts them (a name, a department, a diagnosis) cannot tell where the page prints its values.
_PLAIN_WORDS = "张三内科医院"


@dataclass(eq=False)
class Wanted:
    """A field as the association looks for it: its rule, the other fields' labels (which end a value and
    are never one), what a value must hold, and the words no value starts with."""

    rule: FieldRule
    other_labels: list[str]
    accept: re.Pattern[str] | None
    stop_values: frozenset[str]

    @property
    def strict(self) -> bool:
        """Whether the field's pattern is strict enough that only its own value fits it near its label."""
        return self.accept is not None and self.accept.search(_PLAIN_WORDS) is None

    def value_in(self, line: Located) -> str | None:
        """What `line` holds for this field as a neighbour of its label: its text up to another label, less
        a label's English opening it (`without_gloss`); None when it is itself a label or opens with one, or
        with a word no value starts with, or does not hold what a value must."""
        if _is_label(line.text, self.other_labels):
            return None
        text = without_gloss(line.text)
        if _is_label(text, self.other_labels) or _opens_another(text, self.rule, self.other_labels, self.stop_values):
            return None
        return self.fits(_cut_at_labels(text, self.other_labels))

    def fits(self, raw: str) -> str | None:
        """`raw` when it holds what a value must (and is no word a value never starts with), else None."""
        if not raw or _starts_with_stop(raw, self.stop_values) or (self.accept and not self.accept.search(raw)):
            return None
        return raw

    def parses(self, raw: str) -> bool:
        """Whether the field's kind reads a value from `raw` (a date's pattern accepts 2025年6月 in a line
        no date parses from)."""
        parse = KINDS[self.rule.kind].parse
        return parse is not None and parse(to_halfwidth(raw), self.rule, load_field_rules().vocabularies)[0] is not None


@dataclass(frozen=True)
class Pair:
    """A label whose value only one direction gives: where the label stands, and that direction."""

    page: int
    centre: tuple[float, float]
    direction: Direction


@dataclass
class Convention:
    """What a page says of where it prints values: the directions of its labels whose value is unambiguous
    (`page_convention`), and the lines those values are (one line is one field's value, no other's)."""

    pairs: list[Pair] = field(default_factory=list)
    # id of a value line → id of the label line whose unambiguous value it is
    claimed: dict[int, int] = field(default_factory=dict)

    def count(self, page: int, direction: Direction) -> int:
        return sum(1 for pair in self.pairs if pair.page == page and pair.direction == direction)

    def support(self, anchor: Located, direction: Direction) -> float:
        """How strongly the page's unambiguous pairs say a value stands in `direction` from `anchor`: each
        counts 1, fading with its label's distance from `anchor` (SUPPORT_FADE)."""
        height = max(anchor.bbox[3] - anchor.bbox[1], 1e-6)
        x, y = _centre(anchor)
        return sum(
            1 / (1 + np.hypot(pair.centre[0] - x, pair.centre[1] - y) / (SUPPORT_FADE * height))
            for pair in self.pairs
            if pair.page == anchor.page and pair.direction == direction
        )

    def free(self, line: Located, anchor: Located) -> bool:
        """`line` is not another label's unambiguous value."""
        return self.claimed.get(id(line), id(anchor)) == id(anchor)


def _centre(line: Located) -> tuple[float, float]:
    x0, y0, x1, y1 = line.bbox
    return (x0 + x1) / 2, (y0 + y1) / 2


@cache
def _known_labels(other_labels: tuple[str, ...]) -> frozenset[str]:
    """Every field's labels and `other_labels` (a type's boundary words), as read (half-width)."""
    return frozenset(map(to_halfwidth, field_labels())) | frozenset(map(to_halfwidth, other_labels))


def _is_label(text: str, other_labels: list[str]) -> bool:
    """`text` is a known label, or opens with one: never a value."""
    return any(len(label) >= 2 and text.startswith(label) for label in _known_labels(tuple(other_labels)))


def _label_row(lines: list[Located], anchor: Located, other_labels: list[str]) -> list[Located]:
    """`anchor`'s row, left to right, when it holds nothing but labels standing alone, two or more, and what
    stands right of each is the next of them (a grid's header row, a row of ruled blanks' labels); else
    none. A row where a label has its value beside it, a little lower (收款单位（盖章）| 收款人 and the
    cashier's name), is no header: the lines under it are read by overlap, not by their place in the row."""
    known = _known_labels(tuple(other_labels))
    _, ay0, _, ay1 = anchor.bbox
    row = [
        ln
        for ln in lines
        if ln is anchor
        or (
            ln.page == anchor.page
            and min(ay1, ln.bbox[3]) - max(ay0, ln.bbox[1]) > 0.5 * min(ay1 - ay0, ln.bbox[3] - ln.bbox[1])
        )
    ]
    if len(row) < 2 or not all(ln is anchor or ln.text.lstrip("(（").rstrip(":：" + _CLOSING) in known for ln in row):
        return []
    taken = {id(ln) for ln in row}
    beside = (_right_of(lines, ln) for ln in row)
    return sorted(row, key=lambda ln: ln.bbox[0]) if all(r is None or id(r) in taken for r in beside) else []


def _x_distance(a: Located, b: Located) -> float:
    """The horizontal gap between two lines, negative by their overlap where they overlap."""
    return max(a.bbox[0], b.bbox[0]) - min(a.bbox[2], b.bbox[2])


def _owned_vertical(lines: list[Located], anchor: Located, header: list[Located], down: bool) -> Located | None:
    """In the row next below (or above) a row of labels, within VERTICAL_REACH, the line in `anchor`'s cell:
    where that row holds a line for each label, the one in `anchor`'s place counting from the left (cells
    keep their labels' order, however the values are aligned in them); else the line whose nearest label
    is `anchor` (overlapping it most, else the least gap). A value typed from its cell's left edge need
    not overlap its centred label, and may stand nearer the neighbouring cell's label."""
    _, ay0, _, ay1 = anchor.bbox
    height = ay1 - ay0
    taken = {id(ln) for ln in header}

    def gap(line: Located) -> float:
        return line.bbox[1] - ay1 if down else ay0 - line.bbox[3]

    near = [
        ln
        for ln in lines
        if ln.page == anchor.page and id(ln) not in taken and -0.3 * height <= gap(ln) < VERTICAL_REACH * height
    ]
    if not near:
        return None
    nearest = min(map(gap, near))
    row = sorted((ln for ln in near if gap(ln) < nearest + 0.5 * height), key=lambda ln: ln.bbox[0])
    if len(row) == len(header):
        return row[[id(lb) for lb in header].index(id(anchor))]
    owned = [ln for ln in row if min(header, key=lambda lb: _x_distance(ln, lb)) is anchor]
    return min(owned, key=lambda ln: _x_distance(ln, anchor), default=None)


def _neighbours(
    lines: list[Located], anchor: Located, wanted: Wanted, directions: tuple[Direction, ...]
) -> dict[Direction, list[Located]]:
    """The lines that may hold `anchor`'s value, per direction, nearest first: the first line right of it on
    its row and the one after that unless the first is a label (one cell may sit between a label and its
    value: 合计（大写）| 壹万…元 | 13085.58); the nearest line below and above overlapping it, or, where it
    stands in a row of labels, the line of the row beneath (above) whose nearest label it is."""
    out: dict[Direction, list[Located]] = {}
    if "right" in directions:
        first = _right_of(lines, anchor)
        second = None
        if first is not None and not any(first.text.startswith(lb) for lb in wanted.other_labels):
            second = _right_of(lines, first)
        out["right"] = [ln for ln in (first, second) if ln is not None]
    header = _label_row(lines, anchor, wanted.other_labels)
    for direction, down in (("grid" if header else "below", True), ("above", False)):
        if direction in directions:
            line = _owned_vertical(lines, anchor, header, down) if header else _vertical(lines, anchor, down)
            out[direction] = [line] if line is not None else []
    return out


def associate(
    lines: list[Located],
    anchor: Located,
    wanted: Wanted,
    convention: Convention,
    alone: bool,
    colon: bool,
    signed: bool = False,
) -> Hit | None:
    """The value of a label `anchor` whose line holds none after it, among its neighbours (`_neighbours`):
    each direction's nearest line holding an acceptable value that is no other label's unambiguous value;
    of those, the direction the page's convention supports most (`Convention.support`; where it says
    nothing, right before below, a grid cell, above). Above is looked at only for a label standing alone
    on a page with a pair there (elsewhere the line above is the last row's), or for a label noting a
    signature (主治医师（签名）, `signed`: the name signed over the rule its label is printed under); after
    "label：" a name
    stands right of it unless the page confirms values under or over their labels.

    A value right of its label is trusted as read. One below, above or in the grid cell is trusted as
    read only where the page confirms that direction (CONFIRMING_PAIRS), else DRIFT_FIT times: a page's
    convention learnt from one pair, or from none, may be wrong, and a clerk is then asked."""

    def offered(direction: Direction) -> bool:
        confirmed = convention.count(anchor.page, direction) >= CONFIRMING_PAIRS
        if direction == "right":
            return True
        if direction == "above" and not (alone and (signed or convention.support(anchor, "above") > 0)):
            return False
        return confirmed or not colon or signed

    heading = section_heading(lines, anchor)
    directions: tuple[Direction, ...] = ("below",) if heading else tuple(filter(offered, DIRECTIONS))
    found: dict[Direction, tuple[str, Located]] = {}
    for direction, candidates in _neighbours(lines, anchor, wanted, directions).items():
        for line in candidates:
            raw = wanted.value_in(line) if convention.free(line, anchor) else None
            if raw is not None:
                found[direction] = (raw, line)
                break
    if not found:
        return None
    direction = max(found, key=lambda d: (convention.support(anchor, d), -DIRECTIONS.index(d)))
    listed = _list_below(wanted.rule, found)
    direction = "below" if listed else direction
    raw, line = found[direction]
    hit = hit_at(raw, line)
    confirmed = heading or listed or convention.count(anchor.page, direction) >= CONFIRMING_PAIRS
    if direction != "right" and not confirmed:
        hit.confidence *= DRIFT_FIT
    return hit


def _list_below(rule: FieldRule, found: dict[Direction, tuple[str, Located]]) -> bool:
    """A field whose value may be a numbered list (`numbered`), whose label stands alone with a list
    opening under it (1. …) and a text right of it that opens none: the list is the value. Right of such
    a label on a two-column page stands the other column's sentence run on to that row (…查体：神志 /
    清，精神可), which a grid of label | value cells above made the page's convention; a list's first item
    under the label says where its value is."""
    if not rule.numbered or "below" not in found:
        return False
    right = found.get("right")
    return _FIRST_ITEM.match(found["below"][0]) is not None and (right is None or not _FIRST_ITEM.match(right[0]))


# A label printed as a heading: a word in brackets standing alone on its line ((入院诊断), 【出院诊断】).
_BRACKETED = re.compile(r"[(（【\[][\u4e00-\u9fa5]{2,10}[)）】\]]")


def section_heading(lines: list[Located], anchor: Located) -> bool:
    """`anchor` heads a section: it is one of a column of bracketed words standing alone on their rows, at
    one left edge, and the column's first heading has nothing of its own above it (no line, or a label)
    and a line that is no heading below it. Such a column is a record's sections ((入院情况) then its
    sentences, (入院诊断) then the diagnosis): each heading's value is what follows it, whatever the page's
    ruled blanks print over their labels. A column of bracketed labels each under its ruled blank has its
    first value over its first label, so it is never taken for one."""
    if not _BRACKETED.fullmatch(anchor.text) or not _alone_on_row(lines, anchor):
        return False
    height = anchor.bbox[3] - anchor.bbox[1]
    column = sorted(
        (
            ln
            for ln in lines
            if ln.page == anchor.page
            and _BRACKETED.fullmatch(ln.text)
            and abs(ln.bbox[0] - anchor.bbox[0]) < height
            and _alone_on_row(lines, ln)
        ),
        key=lambda ln: ln.bbox[1],
    )
    if len(column) < 2:
        return False
    first = column[0]
    above, below = _vertical(lines, first, down=False), _vertical(lines, first, down=True)
    taken = {id(ln) for ln in column}
    nothing_above = above is None or _is_label(above.text, [])
    return nothing_above and below is not None and id(below) not in taken


def _alone_on_row(lines: list[Located], anchor: Located) -> bool:
    """No other line shares `anchor`'s row (overlaps it vertically by half the lower line's height)."""
    _, ay0, _, ay1 = anchor.bbox
    return not any(
        ln is not anchor
        and ln.page == anchor.page
        and min(ay1, ln.bbox[3]) - max(ay0, ln.bbox[1]) > 0.5 * min(ay1 - ay0, ln.bbox[3] - ln.bbox[1])
        for ln in lines
    )


def page_convention(lines: list[Located], fields: list[Wanted]) -> Convention:
    """Where this document prints values relative to their labels, learnt from the document itself.

    A label's value is unambiguous when it stands on the label's line after "label：" (or fits a strict
    pattern there), or when the field's pattern is strict (a date, an amount, an ID number, a code: not a
    name, whose pattern any neighbouring word fits) and only one direction around a label standing alone
    holds a line it accepts and its kind reads. Each such pair counts for its direction; its value line is
    claimed (no other label takes it). Claiming a line can leave another label's value unambiguous (the
    value of a ruled blank's second row stands under the first row's label too): repeated until nothing
    changes."""
    convention = Convention()
    pending: list[tuple[Wanted, Located, dict[Direction, list[tuple[str, Located]]]]] = []
    seen: set[tuple[int, int]] = set()
    for wanted in fields:
        rule, kind = wanted.rule, KINDS[wanted.rule.kind]
        if rule.before or kind.whole_line or kind.parse is None or kind.uses_map:
            continue
        for label in map(to_halfwidth, rule.labels):
            for anchor in lines:
                pos = _label_at(anchor.text, label, wanted.other_labels)
                if pos < 0 or (id(wanted), id(anchor)) in seen:
                    continue
                seen.add((id(wanted), id(anchor)))
                tail = _FURNITURE_NOTE.sub("", anchor.text[pos + len(label) :])
                after = tail.lstrip(":：;；")
                if _opens_another(after, rule, wanted.other_labels, wanted.stop_values):
                    continue
                rest = wanted.fits(_cut_at_labels(after, wanted.other_labels))
                if rest is not None and (wanted.strict or after != tail) and wanted.parses(rest):
                    convention.pairs.append(Pair(anchor.page, _centre(anchor), "right"))
                    continue
                if not wanted.strict or after.strip(_CLOSING):
                    continue
                candidates = {
                    direction: [(raw, ln) for ln in found if (raw := wanted.value_in(ln)) and wanted.parses(raw)]
                    for direction, found in _neighbours(lines, anchor, wanted, DIRECTIONS).items()
                }
                pending.append((wanted, anchor, candidates))
    progress = True
    while progress:
        progress = False
        for item in list(pending):
            _, anchor, candidates = item
            live = {
                direction: [(raw, ln) for raw, ln in found if convention.free(ln, anchor)]
                for direction, found in candidates.items()
            }
            directions = [direction for direction, found in live.items() if found]
            if len(directions) > 1:
                continue
            pending.remove(item)
            if directions:
                [direction] = directions
                convention.pairs.append(Pair(anchor.page, _centre(anchor), direction))
                convention.claimed[id(live[direction][0][1])] = id(anchor)
                progress = True
    return convention


def rows(lines: list[Located]) -> list[list[Located]]:
    """Lines grouped into visual rows (per page), each left to right. A line joins the row whose
    running centre is within half a line height of its own centre: comparing centres, not the
    row's growing extent, keeps neighbouring rows of a slightly skewed table apart."""
    out: list[list[Located]] = []
    for line in sorted(lines, key=lambda ln: (ln.page, (ln.bbox[1] + ln.bbox[3]) / 2)):
        centre, height = (line.bbox[1] + line.bbox[3]) / 2, line.bbox[3] - line.bbox[1]
        if out and out[-1][0].page == line.page:
            last = out[-1]
            row_centre = sum((ln.bbox[1] + ln.bbox[3]) / 2 for ln in last) / len(last)
            row_height = sorted(ln.bbox[3] - ln.bbox[1] for ln in last)[len(last) // 2]
            if abs(centre - row_centre) < 0.5 * min(height, row_height):
                last.append(line)
                continue
        out.append([line])
    return [sorted(r, key=lambda ln: ln.bbox[0]) for r in out]
