"""Measures shared by the benchmarks and evaluations: CER, key-field recall, latency percentiles."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable

_IGNORED = re.compile(r"[\s,，。:：;；、·.()（）\[\]【】\-—_/|]+")


def normalise_for_cer(text: str) -> str:
    """Compare characters, not layout: whitespace and punctuation differences are not OCR errors."""
    return _IGNORED.sub("", text.replace("（", "(").replace("）", ")"))


def edit_distance(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


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
