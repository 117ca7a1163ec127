"""Document type per page from OCR text evidence and page structure, with rules as data
(`rules/doc_types.yaml`).

Each rule adds weighted evidence for one type (and side): its words, and its structure, what identifies
the type beyond its vocabulary (a bill's identifiers, a list's table of amounts under a header row, a
card's few labelled lines). A type whose structure is missing from a page keeps only part of its word
score, so a new layout of one type does not flip to another because it shares that type's words (a
list of fee classes prints what a bill prints). A word in the page's title (its tallest line of Chinese at
the top) counts more than the same word in the body: a page is what its title names, while its notes may
name other documents (a filing record telling the holder to show the 医保电子凭证). The best two scores
give the confidence. Low or close scores are kept as candidates and never forced: the page goes to review.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from intake.idnumber import is_valid
from intake.models import Candidate, DocType, OcrLine, Page, Side

RULES_PATH = Path(__file__).with_name("rules") / "doc_types.yaml"
_SPACE = re.compile(r"\s+")
# An amount as tables print it: digits with two decimals, not part of a longer number.
_AMOUNT = re.compile(r"(?<![\d.])-?\d{1,9}[.．]\d{2}(?![\d.])")
_REGEX_PREFIX = "re:"
# Chinese characters: a title line names the document in words, not a mark or a QR code read as 田.
_HANZI = re.compile(r"[\u4e00-\u9fff]")


def resident_id_number(number: str) -> bool:
    """Whether an 18-character run is a resident ID number as issued (GB 11643): its check digit and its
    birth date hold. Random digits pass about once in 11 × 30; a number OCR misread mostly fails."""
    return is_valid(number.upper())


# Checks a pattern's match must pass to count, by the name the rules give them.
MATCH_CHECKS: dict[str, Callable[[str], bool]] = {"resident_id_number": resident_id_number}


class PatternRule(BaseModel):
    """A pattern on the page's text. With `check` (a name in `MATCH_CHECKS`) only a match that passes it
    counts: a number that is what it looks like, not any run of digits of its length. With `max_rows` it
    counts only on a page of at most that many printed rows: what marks a card need not mark a form."""

    model_config = ConfigDict(extra="forbid")

    regex: str
    weight: float
    check: Literal["resident_id_number"] | None = None
    max_rows: int | None = Field(default=None, ge=1)

    def found(self, compact: str, rows: list[str]) -> bool:
        """Whether the pattern stands on the page (`compact`: its text without whitespace; `rows`: its
        printed rows)."""
        if self.max_rows is not None and len(rows) > self.max_rows:
            return False
        if self.check is None:
            return re.search(self.regex, compact) is not None
        return any(MATCH_CHECKS[self.check](m.group()) for m in re.finditer(self.regex, compact))


def _cue_found(cue: str, text: str) -> bool:
    """Whether one cue stands in `text`: a word, or a regular expression written `re:…`."""
    if cue.startswith(_REGEX_PREFIX):
        return re.search(cue[len(_REGEX_PREFIX) :], text) is not None
    return cue in text


def _group_holds(group: list[str], text: str) -> bool:
    return any(_cue_found(cue, text) for cue in group)


def _apart(groups: list[list[str]], cells: list[str], taken: frozenset[int] = frozenset()) -> bool:
    """Whether every group has a cue in a cell of its own among `cells` (费用类别 is one header cell,
    not a 费用 column and a 类别 column)."""
    if not groups:
        return True
    return any(
        i not in taken and _group_holds(groups[0], cell) and _apart(groups[1:], cells, taken | {i})
        for i, cell in enumerate(cells)
    )


class TableShape(BaseModel):
    """A table: one row of the page holds, in cells of their own (read apart or spaced), a header cell
    from each `header` group (alternative wordings), and at least `rows` rows beneath it hold an amount."""

    model_config = ConfigDict(extra="forbid")

    header: list[list[str]] = Field(min_length=1)
    rows: int = Field(ge=1)


class Structure(BaseModel):
    """What identifies a type beyond its words. It holds when at least `at_least` of `groups` (each a
    list of alternative words or `re:` patterns; all groups when unset) are on the page, the page has
    at most `max_rows` printed rows when that is set (a card is a few lines, a form that asks for the same
    labels is many), and `table` is found when set. Holding adds `bonus`; missing multiplies the type's
    score by `absent_factor` (1: nothing lost; below 1: the structure is what the type is, and a page
    without it shares the words only) and leaves a page that type wins unsure."""

    model_config = ConfigDict(extra="forbid")

    groups: list[list[str]] = Field(default_factory=list)
    at_least: int | None = Field(default=None, ge=1)
    max_rows: int | None = Field(default=None, ge=1)
    table: TableShape | None = None
    bonus: float = Field(ge=0)
    absent_factor: float = Field(default=1.0, gt=0, le=1)

    @model_validator(mode="after")
    def _something_to_find(self) -> Structure:
        if not self.groups and self.table is None:
            raise ValueError("a structure needs groups or a table")
        if self.at_least is not None and self.at_least > len(self.groups):
            raise ValueError("at_least exceeds the number of groups")
        for cue in (c for group in self.groups for c in group):
            if cue.startswith(_REGEX_PREFIX):
                try:
                    re.compile(cue[len(_REGEX_PREFIX) :])
                except re.error as err:
                    raise ValueError(f"pattern {cue!r}: {err}") from err
        return self

    def holds(self, compact: str, rows: list[str]) -> bool:
        """Whether the page (`compact`: its text without whitespace; `rows`: its lines grouped into
        printed rows, top to bottom) shows this structure."""
        found = sum(_group_holds(group, compact) for group in self.groups)
        if found < (len(self.groups) if self.at_least is None else self.at_least):
            return False
        if self.max_rows is not None and len(rows) > self.max_rows:
            return False
        return self.table is None or table_found(self.table, rows)


def table_found(shape: TableShape, rows: list[str]) -> bool:
    """Whether some row is the shape's header (each group in a cell of its own: cells are the row's
    space-separated pieces) with at least `shape.rows` rows holding an amount anywhere beneath it."""
    for i, row in enumerate(rows):
        if _apart(shape.header, row.split()) and sum(bool(_AMOUNT.search(r)) for r in rows[i + 1 :]) >= shape.rows:
            return True
    return False


def _slope(line: OcrLine) -> float | None:
    """The line's top edge as dy/dx, for a line wider than twice its height (the detector's
    quadrilateral: top left, top right, bottom right, bottom left)."""
    if len(line.polygon) != 4:
        return None
    (x0, y0), (x1, y1) = line.polygon[0], line.polygon[1]
    _, top, _, bottom = line.bbox
    return (y1 - y0) / (x1 - x0) if x1 - x0 > 2 * (bottom - top) else None


def page_rows(page: Page) -> list[str]:
    """The page's lines grouped into printed rows, top to bottom, each row's lines left to right and
    joined by a space. OCR reads the cells of one table row as separate lines; the row is what a table
    is made of. A line belongs to a row when its vertical centre, corrected for the page's residual
    tilt (the median slope of the lines' top edges: a cell at the right of a tilted row stands lower
    than one at its left), lies within the row's first line."""
    lines = [line for line in page.lines if line.text.strip()]
    slopes = [s for s in map(_slope, lines) if s is not None]
    tilt = float(np.median(slopes)) if slopes else 0.0
    placed = []
    for line in lines:
        x0, y0, x1, y1 = line.bbox
        level = (y0 + y1) / 2 - tilt * (x0 + x1) / 2
        placed.append((level, (y1 - y0) / 2, x0, line.text))
    rows: list[tuple[float, float, list[tuple[float, str]]]] = []
    for level, half, x0, text in sorted(placed):
        if rows and abs(level - rows[-1][0]) <= rows[-1][1]:
            rows[-1][2].append((x0, text))
        else:
            rows.append((level, half, [(x0, text)]))
    return [" ".join(text for _, text in sorted(cells)) for _, _, cells in rows]


def upright(page: Page) -> Page:
    """The page with its lines where they stand on the page turned upright. Reading keeps boxes in the stored
    image's coordinates (`Page.upright_matrix` maps them), so on a page scanned upside down or on its side the
    rows of a table come bottom first and the title at the foot: rows and title are judged upright."""
    if not page.upright_matrix:
        return page
    matrix = np.asarray(page.upright_matrix, dtype=np.float64)

    def turned(points: list[tuple[float, float]]) -> np.ndarray:
        moved = np.hstack([np.asarray(points, dtype=np.float64), np.ones((len(points), 1))]) @ matrix.T
        return moved[:, :2] / moved[:, 2:3]

    corners = turned([(0.0, 0.0), (page.width, 0.0), (page.width, page.height), (0.0, page.height)])
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    lines = [
        line.model_copy(update={"polygon": [(float(x - x0), float(y - y0)) for x, y in turned(line.polygon)]})
        for line in page.lines
        if line.polygon
    ]
    return page.model_copy(
        update={"lines": lines, "width": round(float(x1 - x0)), "height": round(float(y1 - y0)), "upright_matrix": None}
    )


def _glyph_height(line: OcrLine) -> float:
    """The height of a line's glyphs: its quadrilateral's left and right edges averaged (a tilted long line's
    bounding box is taller than its letters), or its bounding box without a quadrilateral."""
    if len(line.polygon) == 4:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = line.polygon
        return (float(np.hypot(x3 - x0, y3 - y0)) + float(np.hypot(x2 - x1, y2 - y1))) / 2
    _, top, _, bottom = line.bbox
    return bottom - top


def page_title(page: Page, min_ratio: float, endings: Sequence[str] = ()) -> str:
    """The page's title without whitespace, from its lines of at least four Chinese characters in the top
    third of the page (a title heads the page and names the document: 出院记录, 收费票据; a label such as
    性别 or a place name is shorter): the tallest of those that end in a word a document's name ends in
    (`endings`: 登记表, 出院记录, 费用清单, 收费票据; a bracketed remark after it, （电子） or （续）, aside) and
    hold no label's colon, whatever its height; failing one, the tallest line when it stands at least
    `min_ratio` times the median line height (a title is printed larger than the text under it). Height
    alone misleads on a form filled in by hand, whose handwriting stands as tall as the printed title or
    taller, while what names a document ends in the kind of document it is and a label, a value or a note
    rarely does. "" when no line is either (a page of one size names no title this way, and its words count
    as they are)."""
    lines = [line for line in page.lines if line.text.strip()]
    if len(lines) < 3:
        return ""
    median = float(np.median([_glyph_height(line) for line in lines]))
    upper = [
        line
        for line in lines
        if len(_HANZI.findall(line.text)) >= 4 and (page.height <= 0 or line.bbox[1] < page.height / 3)
    ]
    if median <= 0 or not upper:
        return ""
    named = [line for line in upper if names_a_document(line.text, endings)]
    if named:
        return _SPACE.sub("", max(named, key=_glyph_height).text)
    tallest = max(upper, key=_glyph_height)
    return _SPACE.sub("", tallest.text) if _glyph_height(tallest) >= min_ratio * median else ""


# A remark in brackets closing a title (医疗收费票据（电子）, 出院记录（续）, 费用清单(第1页)).
_CLOSING_REMARK = re.compile(r"[（(【\[][^（(【\[]*[）)】\]]$")


def names_a_document(text: str, endings: Sequence[str]) -> bool:
    """Whether a line reads as a document's name: it ends in one of `endings` (a bracketed remark after it
    aside) and holds no colon (a label: 表单编号：…)."""
    compact = _SPACE.sub("", text)
    if not endings or "：" in compact or ":" in compact:
        return False
    compact = _CLOSING_REMARK.sub("", compact)
    return any(compact.endswith(ending) for ending in endings)


class TypeRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_type: DocType | None = None  # defaults to the rule's key
    side: Side | None = None
    keywords: dict[str, float] = Field(default_factory=dict)
    negative: dict[str, float] = Field(default_factory=dict)
    patterns: list[PatternRule] = Field(default_factory=list)
    # Words only a document's first page prints (its title): a page of a multi-page type without one,
    # though its table header or labels make it that type, continues the document before it.
    titles: list[str] = Field(default_factory=list)
    structure: Structure | None = None


class DocTypeRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_score: float
    margin: float
    # The margin when neither of the two best types shows its structure: words alone decide less.
    unstructured_margin: float
    smoothing: float
    # A keyword standing in the page's title (`page_title`) counts `title_factor` times its weight; a line is
    # the title when its glyphs stand at least `title_height` times the median line's.
    title_factor: float = Field(default=1.0, ge=1)
    title_height: float = Field(default=1.25, gt=1)
    # What a document's name ends in (登记表, 出院记录, 收费票据): a line at the top ending in one is the page's
    # title whatever its height, where no line stands title_height times the median (`page_title`).
    title_endings: list[str] = Field(default_factory=list)
    # (evidence, probability right) points, measured on the tuning set (`python -m bench.calibrate`):
    # the confidence a page gets is its evidence share mapped through them, piecewise linear.
    calibration: list[tuple[float, float]] = [(0.0, 0.0), (1.0, 1.0)]
    types: dict[str, TypeRule]

    def resolved(self) -> list[tuple[DocType, Side | None, TypeRule]]:
        return [(rule.doc_type or DocType(key), rule.side, rule) for key, rule in self.types.items()]

    def titles(self) -> dict[DocType, list[str]]:
        """The title words of each type that prints them (document separation reads them)."""
        out: dict[DocType, list[str]] = {}
        for doc_type, _, rule in self.resolved():
            out.setdefault(doc_type, []).extend(rule.titles)
        return {doc_type: words for doc_type, words in out.items() if words}


class PageClass(BaseModel):
    doc_type: DocType
    side: Side | None
    confidence: float
    candidates: list[Candidate]
    unsure: bool


@cache
def load_rules(path: Path = RULES_PATH) -> DocTypeRules:
    rules = DocTypeRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    for _, _, rule in rules.resolved():
        for pattern in rule.patterns:
            re.compile(pattern.regex)
    xs = [x for x, _ in rules.calibration]
    ys = [y for _, y in rules.calibration]
    if xs != sorted(xs) or ys != sorted(ys) or not all(0 <= v <= 1 for v in xs + ys):
        raise ValueError("calibration points must rise in both evidence and probability, within 0–1")
    return rules


class TypeScore(BaseModel):
    """One type's score on a page; `lacking`: the type requires a structure (absent_factor below 1)
    and the page does not show it."""

    candidate: Candidate
    lacking: bool
    shown: bool  # the type has a structure and the page shows it


def score_page(page: Page, rules: DocTypeRules) -> list[TypeScore]:
    """Every type's score, best first: its words and patterns, with its structure's bonus when the page
    shows it or scaled down when it does not, less its negative words. A keyword in the page's title counts
    `rules.title_factor` times: the title's own words decide between types whose words the body shares."""
    compact = _SPACE.sub("", page.text)
    rows = page_rows(upright(page))
    title = page_title(upright(page), rules.title_height, rules.title_endings)
    scored: list[TypeScore] = []
    for doc_type, side, rule in rules.resolved():
        score = sum(
            w * (rules.title_factor if title and kw in title else 1) for kw, w in rule.keywords.items() if kw in compact
        )
        score += sum(p.weight for p in rule.patterns if p.found(compact, rows))
        lacking = holds = False
        if rule.structure is not None:
            holds = rule.structure.holds(compact, rows)
            score = score + rule.structure.bonus if holds else score * rule.structure.absent_factor
            lacking = not holds and rule.structure.absent_factor < 1
        score -= sum(w for kw, w in rule.negative.items() if kw in compact)
        candidate = Candidate(doc_type=doc_type, side=side, score=round(max(score, 0.0), 2))
        scored.append(TypeScore(candidate=candidate, lacking=lacking, shown=holds))
    return sorted(scored, key=lambda t: t.candidate.score, reverse=True)


def evidence(candidates: list[Candidate], rules: DocTypeRules) -> float:
    """The best type's share of the evidence: best / (best + runner-up + smoothing)."""
    best, runner_up = candidates[0].score, candidates[1].score
    return best / (best + runner_up + rules.smoothing) if best > 0 else 0.0


def calibrated(share: float, rules: DocTypeRules) -> float:
    xs, ys = zip(*rules.calibration, strict=True)
    return float(np.interp(share, xs, ys))


def classify_page(page: Page, rules: DocTypeRules) -> PageClass:
    scored = score_page(page, rules)
    candidates = [t.candidate for t in scored]
    best, runner_up = candidates[0], candidates[1]
    top = [c for c in candidates[:3] if c.score > 0]
    if best.score < rules.min_score:
        # Too little evidence for any type: `other`, unsure when something scored at all.
        return PageClass(doc_type=DocType.other, side=None, confidence=0.5, candidates=top, unsure=best.score > 0)
    margin = rules.margin if scored[0].shown or scored[1].shown else rules.unstructured_margin
    close = runner_up.score > 0 and (best.score - runner_up.score) / best.score < margin
    # A type won on its words alone, without what identifies it, while another type has evidence too:
    # the words may be shared, so a clerk decides rather than the larger word count.
    lacking = scored[0].lacking and runner_up.score > 0
    return PageClass(
        doc_type=best.doc_type,
        side=best.side,
        confidence=round(calibrated(evidence(candidates, rules), rules), 3),
        candidates=top,
        unsure=close or lacking,
    )
