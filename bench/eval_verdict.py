"""Verdict accuracy on whole cases (prints tables, never asserts): expected × got confusion,
accuracy overall and per perturbation, and whether incomplete cases name exactly the missing
materials.

    python -m bench.eval_verdict [--count 40] [--seed 950000]
    python -m bench.eval_verdict --split familytune|heldout|unseen [--count 40]   # leave-family-out

Cases come from `synth.case_mix` with evaluation seeds 950000+, which nothing is tuned on, written
to generated/eval-cases/; the committed demo cases (samples/cases) are scored the same way. With
`--split`, every document a template family draws comes from a family of that part of the split
(synth/families/split.yaml): `familytune` cases (seeds 960000+, generated/eval-cases-familytune/)
from the families rules may be tuned on, `heldout` cases (seeds 970000+,
generated/eval-cases-heldout/) from families never tuned on, `unseen` cases (seeds 980000+,
generated/eval-cases-unseen/) from the families written by someone who never read the rules,
never looked at while tuning (report-only); the tables then also say which part each
family is in, and the accuracy per family. Each
case runs the case flow's stages without Prefect or storage: every file read, classified,
separated and extracted (`pipeline.analyse.analyse_file`), then `validators.verdict.judge`. Nothing
prints names, ID numbers or document text: case ids, verdicts, reason codes and material names."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter

from bench.eval_docs import family_part, fingerprint, split_line
from bench.results import recorded
from intake.catalog import default_catalog
from intake.models import Case, Document, Verdict
from intake.reasons import Code, reason
from intake.settings import Settings
from pipeline.analyse import analyse_file
from synth.case_mix import build_mix, mix_cases
from synth.families import split_stamp
from synth.sets import FAMILY_SPLITS
from validators.verdict import judge

ROOT = Path(__file__).resolve().parent.parent
EVAL_SEED = 950_000
# First case seed per case set: base-generator cases, and cases drawn from each part of the family split.
CASE_SEEDS = {"base": EVAL_SEED, "familytune": 960_000, "heldout": 970_000, "unseen": 980_000}
CASE_FOLDERS = {
    "base": "eval-cases",
    "familytune": "eval-cases-familytune",
    "heldout": "eval-cases-heldout",
    "unseen": "eval-cases-unseen",
}
VERDICTS = ["complete", "incomplete", "needs_review", "rejected"]


@dataclass
class Scored:
    case_id: str
    group: str  # the perturbation, or the case id for the demo cases
    expected: str
    got: str
    expected_missing: list[str]
    got_missing: list[str]
    expected_codes: list[str]
    got_codes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    families: list[str] = field(default_factory=list)  # "doc_type/family" of each family-drawn document
    documents: list[str] = field(default_factory=list)  # per file: truth type → got type, error codes
    types: list[FileType] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return self.expected == self.got

    @property
    def missing_exact(self) -> bool:
        return sorted(self.expected_missing) == sorted(self.got_missing)

    @property
    def codes_present(self) -> bool:
        return set(self.expected_codes) <= set(self.got_codes)


DOCUMENTS = TypeAdapter(list[Document])


def analysed(path: Path, settings: Settings, case_date: dt.date, cache: Path | None) -> list[Document]:
    """`analyse_file`, kept under `cache` keyed by the file's bytes and name: the folder is named by the
    reading and extraction code's fingerprint (`bench.eval_docs.fingerprint`: OCR, classifiers,
    pipeline, extractors, their rules and settings), so only a change to the validators is judged
    again without reading every file again."""
    if cache is None:
        return analyse_file(str(path), settings, case_date)
    key = cache / f"{hashlib.sha256(path.read_bytes()).hexdigest()[:24]}-{path.name}.json"
    if key.exists():
        return DOCUMENTS.validate_json(key.read_bytes())
    documents = analyse_file(str(path), settings, case_date)
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(DOCUMENTS.dump_json(documents))
    return documents


def run_case(
    row: dict[str, object], folder: Path, settings: Settings, cache: Path | None = None
) -> tuple[Verdict, list[list[Document]]]:
    """One manifest row through the case flow's stages, without Prefect or storage; the verdict and
    the documents each file gave."""
    item = default_catalog().find(str(row["item"]), str(row["region"]) if row.get("region") else None)
    case_date = dt.date.fromisoformat(str(row["case_date"]))
    options = row.get("options") or {}
    assert isinstance(options, dict)
    per_file: list[list[Document]] = []
    files = row["files"]
    assert isinstance(files, list)
    for name in files:
        path = folder / name
        try:
            per_file.append(analysed(path, settings, case_date, cache))
        except Exception:  # as the case flow does: the file is reported, the case goes on
            per_file.append([Document(source=str(path), pages=[], errors=[reason(Code.processing_error)])])
    documents = [d for got in per_file for d in got]
    case = Case(
        case_id=str(row["case_id"]),
        item_id=item.id,
        region=item.region,
        agent=bool(row.get("agent")),
        options={str(k): str(v) for k, v in options.items()},
        case_date=case_date,
        documents=documents,
    )
    return judge(case, item, settings.thresholds), per_file


def _doc_label(doc_type: object, side: object) -> str:
    return f"{doc_type}/{side}" if side else str(doc_type)


@dataclass(frozen=True)
class FileType:
    """One file of a case meant to be readable: its family (doc_type/family), and whether the types read
    are the truth's types, in order."""

    family: str
    right: bool


def file_types(truth: dict[str, dict[str, Any]], per_file: list[list[Document]]) -> list[FileType]:
    """The type outcome of each file whose variant the quality gate must let through."""
    out = []
    for file, got in zip(truth.values(), per_file, strict=True):
        if file.get("expected_quality"):
            continue
        want = [_doc_label(d["doc_type"], d.get("side")) for d in file["documents"]]
        read = [_doc_label(d.doc_type.value, d.side.value if d.side else None) for d in got if not d.errors]
        family = f"{file['documents'][0]['doc_type']}/{file.get('family', 'base')}"
        out.append(FileType(family, read == want))
    return out


def describe_files(
    truth: dict[str, dict[str, Any]], per_file: list[list[Document]], min_field_confidence: float
) -> list[str]:
    """Per file: its name, the truth's type → the types read, any error codes, the codes of the self-checks
    that failed (with the fields they flag) and the fields read below `min_field_confidence`: which
    check on which document sent a case to review. Codes, types and field names only; no document text."""
    lines = []
    for (name, file), got in zip(truth.items(), per_file, strict=True):
        want = "+".join(_doc_label(d["doc_type"], d.get("side")) for d in file["documents"])
        if "family" in file:
            want += f" [{file['family']}]"
        read = "+".join(_doc_label(d.doc_type.value, d.side.value if d.side else None) for d in got) or "-"
        errors = sorted({e.code for d in got for e in d.errors})
        failed = sorted(
            {f"{c.code}({'+'.join(c.fields)})" if c.fields else c.code for d in got for c in d.checks if not c.ok}
        )
        weak = sorted({n for d in got for n, f in d.fields.items() if f.confidence < min_field_confidence})
        confidence = min((d.confidence for d in got), default=0.0)
        notes = [",".join(errors)] if errors else []
        notes += [f"failed {','.join(failed)}"] if failed else []
        notes += [f"low {','.join(weak)}"] if weak else []
        lines.append(f"{name}: {want} → {read} ({confidence:.2f}){''.join(' ' + n for n in notes)}")
    return lines


def score(root: Path, settings: Settings, cache: Path | None = None) -> list[Scored]:
    """Every case of root/cases/manifest.yaml against root/truth/cases/<case_id>.json."""
    rows = yaml.safe_load((root / "cases" / "manifest.yaml").read_text(encoding="utf-8"))["cases"]
    scored = []
    for n, row in enumerate(rows, 1):
        truth = json.loads((root / "truth" / "cases" / f"{row['case_id']}.json").read_text(encoding="utf-8"))
        start = time.perf_counter()
        verdict, per_file = run_case(row, root / "cases", settings, cache)
        documents = truth.get("documents", {})
        result = Scored(
            case_id=row["case_id"],
            group=truth.get("perturbation", row["case_id"]),
            expected=truth["expected_verdict"],
            got=verdict.status.value,
            expected_missing=truth.get("expected_missing", []),
            got_missing=[m.material for m in verdict.missing],
            expected_codes=truth.get("expected_reasons", []),
            got_codes=sorted({r.code for r in verdict.reasons}),
            seconds=time.perf_counter() - start,
            families=sorted(
                {f"{d['documents'][0]['doc_type']}/{d['family']}" for d in documents.values() if "family" in d}
            ),
            documents=describe_files(documents, per_file, settings.thresholds.min_field_confidence),
            types=file_types(documents, per_file),
        )
        print(f"[{n}/{len(rows)}] {result.case_id}: {result.got} ({result.seconds:.0f} s)", file=sys.stderr, flush=True)
        scored.append(result)
    return scored


def report(title: str, results: list[Scored], grouped_by: str) -> None:
    print(f"\n## {title}: {len(results)} cases\n")
    counts = Counter((r.expected, r.got) for r in results)
    print("expected \\ got".ljust(16) + "".join(f"{v:>14}" for v in VERDICTS))
    for expected in VERDICTS:
        if any(r.expected == expected for r in results):
            print(f"{expected:<16}" + "".join(f"{counts[(expected, got)]:>14}" for got in VERDICTS))
    right = sum(r.right for r in results)
    print(f"\naccuracy {right}/{len(results)} ({100 * right / max(len(results), 1):.0f}%)")
    incomplete = [r for r in results if r.expected == "incomplete"]
    if incomplete:
        exact = sum(r.missing_exact for r in incomplete)
        print(f"missing list exactly right on expected-incomplete cases: {exact}/{len(incomplete)}")
    with_codes = [r for r in results if r.expected_codes]
    if with_codes:
        print(f"expected reason codes present: {sum(r.codes_present for r in with_codes)}/{len(with_codes)}")
    mean = sum(r.seconds for r in results) / max(len(results), 1)
    print(f"time per case {mean:.0f} s")

    groups: dict[str, list[Scored]] = defaultdict(list)
    for r in results:
        groups[r.group].append(r)
    print(f"\n{grouped_by:<34}{'cases':>6}{'right':>7}")
    for group, members in groups.items():
        print(f"{group:<34}{len(members):>6}{sum(r.right for r in members):>7}")
    print_families(results)

    off = [r for r in results if not (r.right and r.codes_present and (r.expected != "incomplete" or r.missing_exact))]
    if off:
        print("\nnot as expected (expected → got verdict; reason codes got; what else differs):")
    for r in off:
        notes = [] if r.codes_present else [f"codes expected {', '.join(r.expected_codes)}"]
        if not r.missing_exact:
            notes.append(f"missing expected {r.expected_missing} got {r.got_missing}")
        print(f"  {r.case_id}: {r.expected} → {r.got}; {', '.join(r.got_codes) or '-'}; {'; '.join(notes) or '-'}")
        if not r.right:
            for line in r.documents:
                print(f"      {line}")


def print_families(results: list[Scored]) -> None:
    """Cases right among those holding a document of each template family, and the family's part."""
    members: dict[str, list[Scored]] = defaultdict(list)
    for r in results:
        for family in r.families:
            members[family].append(r)
    if not members:
        return
    types: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        for t in r.types:
            types[t.family].append(t.right)
    print(f"\n{'family (cases holding one of its documents)':<46}{'part':<10}{'cases':>6}{'right':>7}")
    for family in sorted(members):
        doc_type, name = family.split("/", 1)
        of = members[family]
        print(f"{family:<46}{family_part(doc_type, name):<10}{len(of):>6}{sum(r.right for r in of):>7}")
    print(f"\n{'page type per family (readable files)':<46}{'part':<10}{'files':>6}{'right':>7}")
    for family in sorted(types):
        doc_type, name = family.split("/", 1)
        print(f"{family:<46}{family_part(doc_type, name):<10}{len(types[family]):>6}{sum(types[family]):>7}")
    for part in ("tune", "held-out", "unseen"):
        outcomes = [ok for family, oks in types.items() for ok in oks if family_part(*family.split("/", 1)) == part]
        if outcomes:
            print(f"page type, {part} families: {sum(outcomes)}/{len(outcomes)}")


def _built(out: Path, case_ids: list[str]) -> bool:
    """Whether the cases in `out` are these case ids, built under the current family split."""
    manifest, stamp = out / "cases" / "manifest.yaml", out / "cases" / "split.sha256"
    if not manifest.exists() or not stamp.exists() or stamp.read_text(encoding="utf-8") != split_stamp():
        return False
    rows = yaml.safe_load(manifest.read_text(encoding="utf-8"))["cases"]
    return [row["case_id"] for row in rows] == case_ids


@recorded("eval_verdict")
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=40, help="generated cases (default 40)")
    parser.add_argument(
        "--split",
        choices=sorted(CASE_SEEDS),
        default="base",
        help="base generator (default), or documents from the tune / held-out / unseen families",
    )
    parser.add_argument("--seed", type=int, help="first seed (default: the split's, 950000 / 960000 / 970000 / 980000)")
    parser.add_argument(
        "--keep-files",
        action="store_true",
        help="use the cases already generated when they are the same case ids under the same family split "
        "(the generator is unchanged)",
    )
    parser.add_argument(
        "--cache",
        action="store_true",
        help="keep each file's analysed documents under generated/<set>/analysed/<code fingerprint>/, so a "
        "validator change is judged again without reading",
    )
    args = parser.parse_args()
    settings = Settings()
    seed = CASE_SEEDS[args.split] if args.seed is None else args.seed
    out = ROOT / "generated" / CASE_FOLDERS[args.split]
    cases = mix_cases(seed, args.count, FAMILY_SPLITS.get(args.split))
    if not (args.keep_files and _built(out, [c.case_id for c in cases])):
        build_mix(out, cases)
        (out / "cases" / "split.sha256").write_text(split_stamp(), encoding="utf-8")
    cache = out / "analysed" / fingerprint() if args.cache else None
    note = "never tuned on" if seed >= EVAL_SEED else "NOT the evaluation seeds"
    if args.split == "base":
        report(f"generated cases (seeds {seed}+, {note})", score(out, settings, cache), "perturbation")
        report("committed demo cases (samples/cases)", score(ROOT / "samples", settings), "case")
        return
    print(split_line())
    what = {
        "familytune": "tune families (tuned on)",
        "heldout": "held-out families (never tuned on)",
        "unseen": "unseen families (written blind to the rules, never looked at)",
    }[args.split]
    report(f"generated cases from the {what}, seeds {seed}+ ({note})", score(out, settings, cache), "perturbation")


if __name__ == "__main__":
    main()
