"""Fit the classifier's confidence calibration on a tuning set and print it as the `calibration:`
block for classifiers/rules/doc_types.yaml (prints, never writes).

    python -m bench.calibrate                      # generated/tune (seeds 100000+)
    python -m bench.calibrate --split familytune   # the tune template families (synth/families/split.yaml)

Pages are taken from the page cache `bench.eval_docs` keeps for the set (`pages-<fingerprint>.jsonl`,
the current reading and classifier code's) where it holds the file, and read with the real OCR
otherwise.

Per page: the evidence share of the best type and whether the type (and ID side) is right. Pages
are pooled into bins of evidence; each bin's accuracy, smoothed with one right and one wrong
pseudo-page so that a bin without errors does not claim certainty, becomes one point; pool
adjacent violators make the points rise. The evaluation set is never used here."""

from __future__ import annotations

import argparse
import hashlib
import json
from itertools import pairwise
from pathlib import Path

from bench.eval_docs import PageReading, _jsonl, page_fingerprint
from classifiers.doc_type import evidence, load_rules, score_page
from intake.models import Page
from intake.settings import Settings
from pipeline.analyse import read_file_pages

ROOT = Path(__file__).resolve().parent.parent
EDGES = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
# Only sets rules may be tuned on: the held-out and unseen families and the evaluation set never.
TUNING_SPLITS = ("tune", "familytune")


def cached_pages(split_dir: Path) -> dict[tuple[str, str], list[Page]]:
    """The pages `bench.eval_docs` read from this set with the current code, by (file, sha256)."""
    path = split_dir / f"pages-{page_fingerprint()}.jsonl"
    return {(r.file, r.sha256): r.pages for r in _jsonl(path, PageReading)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=TUNING_SPLITS, default="tune")
    parser.add_argument("--split-dir", type=Path, help="the set's folder (default generated/<split>)")
    args = parser.parse_args()
    split_dir: Path = args.split_dir or ROOT / "generated" / args.split
    rules, settings = load_rules(), Settings()
    known = cached_pages(split_dir)
    samples: list[tuple[float, bool]] = []
    for truth_file in sorted((split_dir / "truth").glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        if truth["expected_quality"]:
            continue
        want = truth["documents"][0]
        path = split_dir / "documents" / truth["file"]
        pages = known.get((truth["file"], hashlib.sha256(path.read_bytes()).hexdigest()))
        for page in pages if pages is not None else read_file_pages(str(path), settings):
            if page.text_layer is False and not page.lines:
                continue
            candidates = [scored.candidate for scored in score_page(page, rules)]
            best = candidates[0]
            side = best.side.value if best.side else None
            right = best.doc_type.value == want["doc_type"] and side == want["side"]
            samples.append((evidence(candidates, rules), right))
    bins = []
    for lo, hi in pairwise(EDGES):
        inside = [r for e, r in samples if lo <= e < hi or (hi == 1.0 and e == 1.0)]
        if inside:
            bins.append([(lo + hi) / 2, sum(inside) + 1, len(inside) + 2])
    # Pool adjacent violators: merge bins until accuracy rises with evidence.
    merged: list[list[float]] = []
    for b in bins:
        merged.append(list(b))
        while len(merged) > 1 and merged[-2][1] / merged[-2][2] > merged[-1][1] / merged[-1][2]:
            last = merged.pop()
            prev = merged.pop()
            count = prev[2] + last[2]
            merged.append([(prev[0] * prev[2] + last[0] * last[2]) / count, prev[1] + last[1], count])
    print(f"# {len(samples)} pages of {split_dir} (tuning set); bins {EDGES}")
    for lo, hi in pairwise(EDGES):
        inside = [r for e, r in samples if lo <= e < hi]
        if inside:
            print(f"#   evidence {lo:.1f}–{hi:.1f}: {len(inside)} pages, {sum(inside)} right")
    points = (
        [(0.0, 0.0)]
        + [(round(x, 3), round(right / n, 3)) for x, right, n in merged]
        + [(1.0, merged[-1][1] / merged[-1][2])]
    )
    print("calibration: [" + ", ".join(f"[{x}, {round(y, 3)}]" for x, y in points) + "]")


if __name__ == "__main__":
    main()
