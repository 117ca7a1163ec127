"""Verdict accuracy on generated cases (prints, never asserts): expected × got confusion, accuracy
per perturbation, and whether the missing list of incomplete cases is exactly right.

Cases come from `synth.case_mix` with seeds 950000+ (never tuned on) and run through the real
reading path without storage (`flows.local.analyse_file` per file, then `validators.verdict.judge`,
as the case flow does); the committed demo cases are scored the same way."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

from flows.local import analyse_file
from intake.catalog import default_catalog
from intake.models import Case
from intake.settings import Settings
from synth.case_mix import build_mix, mix_cases
from validators.verdict import Thresholds, judge

ROOT = Path(__file__).resolve().parent.parent
VERDICTS = ["complete", "incomplete", "needs_review", "rejected"]


def verdicts(folder: Path, manifest: Path, truth_dir: Path) -> list[dict[str, Any]]:
    settings, catalog = Settings(), default_catalog()
    thresholds = Thresholds(
        min_classification_confidence=settings.min_classification_confidence,
        min_field_confidence=settings.min_field_confidence,
    )
    out = []
    for row in yaml.safe_load(manifest.read_text(encoding="utf-8"))["cases"]:
        item = catalog.find(row["item"], row.get("region"))
        case_date = dt.date.fromisoformat(str(row["case_date"]))
        documents = [doc for name in row["files"] for doc in analyse_file(str(folder / name), settings, case_date)]
        case = Case(
            case_id=row["case_id"],
            item_id=item.id,
            region=item.region,
            agent=bool(row.get("agent")),
            options={k: str(v) for k, v in (row.get("options") or {}).items()},
            case_date=case_date,
            documents=documents,
        )
        verdict = judge(case, item, thresholds)
        truth = json.loads((truth_dir / f"{row['case_id']}.json").read_text(encoding="utf-8"))
        out.append(
            {
                "case_id": row["case_id"],
                "perturbation": truth.get("perturbation", truth.get("about", "")),
                "expected": truth["expected_verdict"],
                "got": verdict.status.value,
                "missing_ok": sorted(m.material for m in verdict.missing) == sorted(truth.get("expected_missing", [])),
                "codes": sorted({r.code for r in verdict.reasons}),
            }
        )
    return out


def report(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n## {title}")
    print("expected \\ got".ljust(16) + "".join(f"{v:>14}" for v in VERDICTS))
    counts = Counter((r["expected"], r["got"]) for r in rows)
    for e in VERDICTS:
        if any(r["expected"] == e for r in rows):
            print(f"{e:<16}" + "".join(f"{counts[(e, g)]:>14}" for g in VERDICTS))
    right = sum(r["expected"] == r["got"] for r in rows)
    print(f"accuracy {right}/{len(rows)} ({100 * right / max(len(rows), 1):.0f}%)")
    incomplete = [r for r in rows if r["expected"] == "incomplete"]
    if incomplete:
        exact = sum(r["missing_ok"] for r in incomplete)
        print(f"missing list exactly right on incomplete cases: {exact}/{len(incomplete)}")
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by[r["perturbation"]].append(r)
    print(f"\n{'what was done':<24}{'cases':>6}{'right':>7}  wrong verdicts (expected→got: reason codes)")
    for what, group in sorted(by.items()):
        wrong = [
            f"{r['case_id']} {r['expected']}→{r['got']}: {','.join(r['codes'])}"
            for r in group
            if r["expected"] != r["got"]
        ]
        print(f"{what[:24]:<24}{len(group):>6}{sum(r['expected'] == r['got'] for r in group):>7}  {'; '.join(wrong)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=44)
    parser.add_argument("--seed", type=int, default=950_000)
    args = parser.parse_args()
    out = ROOT / "generated" / "eval-cases"
    manifest = build_mix(out, mix_cases(args.seed, args.count))
    report(
        f"generated cases (seeds {args.seed}+, never tuned on): {args.count}",
        verdicts(out, manifest, out / "truth"),
    )
    samples = ROOT / "samples"
    report(
        "committed demo cases (samples/cases)",
        verdicts(samples / "cases", samples / "cases" / "manifest.yaml", samples / "truth" / "cases"),
    )


if __name__ == "__main__":
    main()
