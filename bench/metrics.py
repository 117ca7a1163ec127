"""Measures shared by the benchmarks and evaluations: CER, key-field recall, latency percentiles, and
how each field miss reaches a clerk (flagged or silent)."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from extractors.normalize import edit_distance
from intake.models import Document

_IGNORED = re.compile(r"[\s,，。:：;；、·.()（）\[\]【】\-—_/|]+")


def normalise_for_cer(text: str) -> str:
    """Compare characters, not layout: whitespace and punctuation differences are not OCR errors."""
    return _IGNORED.sub("", text.replace("（", "(").replace("）", ")"))


def cer(truth: str, predicted: str) -> float:
    t, p = normalise_for_cer(truth), normalise_for_cer(predicted)
    return edit_distance(t, p) / max(len(t), 1)


def key_field_recall(values: Iterable[str], predicted: str) -> tuple[int, int]:
    """(found, total): how many ground-truth values appear verbatim in the read text."""
    haystack = normalise_for_cer(predicted)
    wanted = [normalise_for_cer(v) for v in values if v and len(normalise_for_cer(v)) >= 2]
    return sum(1 for v in wanted if v in haystack), len(wanted)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


# How a field's outcome reaches a clerk. A value read and shown is *flagged* when a failed self-check
# names the field or its confidence is below min_field_confidence (the workbench marks exactly those).
# A value not read at all is flagged only when a failed check names the field (the only way a case
# carries "this field is missing" to a clerk); otherwise nothing tells anyone it is gone: silent.
# A document that could not be typed or read (no document for the page) is refused as a whole and
# goes to a clerk: its fields count as flagged.
FLAG_RULE = (
    "flagged = a failed self-check names the field, or a value is shown with confidence below"
    " min_field_confidence; a missing value is flagged only when a failed check names it; a refused page"
    " counts as flagged; silent = wrong or missing and not flagged"
)


def field_flagged(doc: Document | None, name: str, min_confidence: float) -> bool:
    """Flagged for a clerk (FLAG_RULE): a failed self-check over the field, or a shown value whose
    confidence is below the threshold. No document (the page refused) is flagged as a whole."""
    if doc is None:
        return True
    found = doc.fields.get(name)
    failed = any(not c.ok and name in c.fields for c in doc.checks)
    return failed or (found is not None and found.confidence < min_confidence)


@dataclass
class MissTally:
    """Scored fields and how each miss reaches a clerk: right, wrong (a value that is not the truth)
    or missing, each miss flagged or silent (FLAG_RULE)."""

    scored: int = 0
    right: int = 0
    wrong_flagged: int = 0
    wrong_silent: int = 0
    missing_flagged: int = 0
    missing_silent: int = 0
    right_flagged: int = 0

    def add(self, status: str, flagged: bool) -> None:
        self.scored += 1
        if status == "right":
            self.right += 1
            self.right_flagged += flagged
        elif status == "wrong":
            self.wrong_flagged += flagged
            self.wrong_silent += not flagged
        else:
            self.missing_flagged += flagged
            self.missing_silent += not flagged

    @property
    def silent(self) -> int:
        return self.wrong_silent + self.missing_silent

    @property
    def misses(self) -> int:
        return self.scored - self.right

    def cells(self) -> str:
        """wrong flagged/silent and missing flagged/silent, as fixed-width columns (see CELLS_HEADER)."""
        return (
            f"{self.scored:>7}{self.right:>7}{self.wrong_flagged:>9}{self.wrong_silent:>8}"
            f"{self.missing_flagged:>9}{self.missing_silent:>8}"
        )

    def total_line(self) -> str:
        share = f"{100 * self.right / self.scored:.0f} %" if self.scored else "-"
        return (
            f"silent wrong: {self.silent} of {self.scored} scored (exact {self.right}/{self.scored} = {share};"
            f" misses {self.misses}: wrong flagged {self.wrong_flagged}, wrong silent {self.wrong_silent},"
            f" missing flagged {self.missing_flagged}, missing silent {self.missing_silent};"
            f" right but flagged {self.right_flagged})"
        )


CELLS_HEADER = f"{'scored':>7}{'right':>7}{'wrong-fl':>9}{'wrong-S':>8}{'miss-fl':>9}{'miss-S':>8}"
