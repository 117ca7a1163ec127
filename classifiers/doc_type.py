"""Document type per page from OCR text evidence, with rules as data (`rules/doc_types.yaml`).

Each rule adds weighted evidence for one type (and side); the best two scores give the
confidence. Low or close scores are kept as candidates and never forced: the page goes to review.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field

from intake.models import Candidate, DocType, Page, Side

RULES_PATH = Path(__file__).with_name("rules") / "doc_types.yaml"
_SPACE = re.compile(r"\s+")


class PatternRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    regex: str
    weight: float


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


class DocTypeRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_score: float
    margin: float
    smoothing: float
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


def score_text(text: str, rules: DocTypeRules) -> list[Candidate]:
    compact = _SPACE.sub("", text)
    scored: list[Candidate] = []
    for doc_type, side, rule in rules.resolved():
        score = sum(w for kw, w in rule.keywords.items() if kw in compact)
        score += sum(p.weight for p in rule.patterns if re.search(p.regex, compact))
        score -= sum(w for kw, w in rule.negative.items() if kw in compact)
        scored.append(Candidate(doc_type=doc_type, side=side, score=round(max(score, 0.0), 2)))
    return sorted(scored, key=lambda c: c.score, reverse=True)


def evidence(candidates: list[Candidate], rules: DocTypeRules) -> float:
    """The best type's share of the evidence: best / (best + runner-up + smoothing)."""
    best, runner_up = candidates[0].score, candidates[1].score
    return best / (best + runner_up + rules.smoothing) if best > 0 else 0.0


def calibrated(share: float, rules: DocTypeRules) -> float:
    xs, ys = zip(*rules.calibration, strict=True)
    return float(np.interp(share, xs, ys))


def classify_page(page: Page, rules: DocTypeRules) -> PageClass:
    candidates = score_text(page.text, rules)
    best, runner_up = candidates[0], candidates[1]
    top = [c for c in candidates[:3] if c.score > 0]
    if best.score < rules.min_score:
        # Too little evidence for any type: `other`, unsure when something scored at all.
        return PageClass(doc_type=DocType.other, side=None, confidence=0.5, candidates=top, unsure=best.score > 0)
    close = runner_up.score > 0 and (best.score - runner_up.score) / best.score < rules.margin
    return PageClass(
        doc_type=best.doc_type,
        side=best.side,
        confidence=round(calibrated(evidence(candidates, rules), rules), 3),
        candidates=top,
        unsure=close,
    )
