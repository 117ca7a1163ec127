"""Document classification and field extraction, measured against the generated ground truth
(prints tables, never asserts).

    python -m bench.eval_docs --classify  # type/side, calibration, review, seals, copies, quality gate, separation
    python -m bench.eval_docs --extract   # field exact match and flagged share per type × field × variant group
    python -m bench.eval_docs --split heldout --families  # leave-family-out: type and fields per template family
    python -m bench.eval_docs --split unseen --families   # families written blind to the rules; never tuned on

The pipeline is the case flow's, without Prefect or storage: read the pages, build the documents
(classification, separation, seal and copy evidence), extract fields with their self-checks. Each
file is read once; the result is kept in `generated/<set>/readings-<fingerprint>.jsonl`, keyed by
content hash, and reused until the reading code, classifier or extractor rules change. The pages and
documents before extraction are kept apart (`pages-<fingerprint>.jsonl`), so that a change to the
extractor code alone extracts again from them without reading a page again. Besides the
chosen split, the committed samples and the real samples (../shared/real-samples, scored with
bench/eval_real.py's label mapping) are always reported. Nothing prints document text: only
file names, type and field names, counts and rates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from bench.eval_real import LABEL_TO_FIELD, PATIENT_NAME, outcome, same
from bench.metrics import CELLS_HEADER, FLAG_RULE, MissTally, field_flagged
from bench.results import recorded
from classifiers.image_rules import load_image_rules
from extractors.checks import CHECK_FIELDS
from extractors.layout import load_field_rules
from extractors.normalize import to_halfwidth
from intake.idnumber import mask_id
from intake.models import DocType, Document, Page
from intake.reasons import Code
from intake.settings import Settings, Thresholds
from pipeline.analyse import read_documents
from pipeline.passes import extract_fields
from pipeline.readings import reading_fingerprint
from synth.envelopes import build_envelopes
from synth.families import family_split
from synth.sets import FAMILY_SPLITS, GENERATED_VARIANTS, SPLIT_SEEDS, build_generated, family_set_current
from synth.variants import VARIANTS
from validators.verdict import document_reasons

ROOT = Path(__file__).resolve().parent.parent
REAL_SAMPLES = ROOT.parent / "shared" / "real-samples"
SET_TITLES = {
    "eval": "generated eval set (seeds 900000+, never tuned on)",
    "tune": "generated tuning set (seeds 100000+, the tuning set)",
    "familytune": "generated tune families (seeds 300000+, template families rules may be tuned on)",
    "heldout": "generated held-out families (seeds 500000+, template families never tuned on)",
    "unseen": "generated unseen families (seeds 700000+, written blind to the rules; never tuned on)",
    "samples": "committed samples",
    "real": "real samples (../shared/real-samples)",
}
CASE_DATE = dt.date(2025, 6, 20)  # the generator's 办理日期 (synth.build.new_context)
ENVELOPE_SEED_OFFSET = 90_000  # envelope seeds stay inside their split's range (eval: 990000+)
VARIANT_ORDER = [*GENERATED_VARIANTS, "born_digital"]
GROUP_OF = {
    "scan": "clean",
    "scanned_grey": "scanned",
    "photocopy": "photocopy",
    "photocopy_colour": "photocopy",
    "photo": "photo",
    "rotated90": "rotated",
    "rotated180": "rotated",
    "rotated270": "rotated",
    "born_digital": "born_digital",
}
GROUP_ORDER = ["clean", "scanned", "photocopy", "photo", "rotated", "born_digital"]
SPLIT, REFUSED = "(split)", "(refused)"
FAMILY_PARTS = ("tune", "held-out", "unseen")
ABBREVIATIONS = {
    "invoice": "inv",
    "discharge_record": "dis",
    "expense_list": "exp",
    "id_card/front": "idF",
    "id_card/back": "idB",
    "id_card": "id",
    "filing_form": "fil",
    "social_security_card": "ssc",
    "medical_record": "med",
    "residence_proof": "res",
    "other": "oth",
    SPLIT: "split",
    REFUSED: "refus",
}
# The self-checks each document type gets (extractors.extract.extract_document).
SELF_CHECKS: dict[str, tuple[Code, ...]] = {
    "invoice": (Code.amount_upper_matches, Code.invoice_splits_sum),
    "expense_list": (Code.expense_items_sum,),
    "discharge_record": (Code.discharge_after_admission, Code.days_in_hospital),
    **{
        t: (Code.id_check_digit, Code.id_birth_date, Code.id_sex, Code.id_valid_on_case_date)
        for t in ("id_card", "filing_form", "social_security_card")
    },
}


# ---------------------------------------------------------------------------------------------
# Reading, once per file


class PageNote(BaseModel):
    page: int
    issues: list[str] = Field(default_factory=list)
    rotation: int = 0
    text_layer: bool = False


class Reading(BaseModel):
    """One file through the pipeline: its pages' quality and the extracted documents."""

    file: str
    sha256: str
    pages: list[PageNote]
    documents: list[Document]
    seconds: float


_Model = TypeVar("_Model", bound=BaseModel)


class PageReading(BaseModel):
    """One file read and its documents built, before extraction: what an extractor change starts from."""

    file: str
    sha256: str
    pages: list[Page]
    documents: list[Document]
    seconds: float


@cache
def page_fingerprint() -> str:
    """The reading fingerprint of the case flow plus the reading settings (OCR, preprocessing, limits, as
    the case flow's cache key has them), taken once per run: the code this process imported."""
    digest = hashlib.sha256()
    settings = Settings()
    for part in (settings.ocr, settings.preprocess, settings.limits):
        digest.update(part.model_dump_json().encode())
    return f"{reading_fingerprint()}-{digest.hexdigest()[:8]}"


@cache
def fingerprint() -> str:
    """`page_fingerprint` plus the extractor code and field rules."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "extractors").rglob("*")):
        if path.suffix in (".py", ".yaml"):
            digest.update(path.read_bytes())
    return f"{page_fingerprint()}-{digest.hexdigest()[:8]}"


class Reader:
    """The case flow's read and classify passes (`pipeline.analyse.read_documents`), without Prefect or
    storage; extraction follows in `extracted`, so an extractor change starts from the pages read."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def read(self, path: Path, name: str, data: bytes, sha256: str) -> PageReading:
        started = time.perf_counter()
        run = read_documents(data, name, self.settings)
        return PageReading(
            file=name,
            sha256=sha256,
            pages=run.pages,
            documents=[doc for doc, _ in run.documents],
            seconds=0.0 if run.error else time.perf_counter() - started,
        )


def extracted(read: PageReading) -> Reading:
    """As the case flow's `extract` task, on each document of a file read."""
    notes = [
        PageNote(
            page=p.page,
            issues=list(p.quality.issues) if p.quality else [],
            rotation=p.rotation,
            text_layer=p.text_layer,
        )
        for p in read.pages
    ]
    documents = [
        extract_fields(doc, [p for p in read.pages if p.page in doc.pages], CASE_DATE) for doc in read.documents
    ]
    return Reading(file=read.file, sha256=read.sha256, pages=notes, documents=documents, seconds=read.seconds)


class ReadingCache:
    """JSON lines keyed by (file name, content hash), a line appended as each file is read: the files
    read (`pages-…`) and, from them, extracted (`readings-…`)."""

    def __init__(self, folder: Path, reader: Reader) -> None:
        self.path = folder / f"readings-{fingerprint()}.jsonl"
        self.pages_path = folder / f"pages-{page_fingerprint()}.jsonl"
        self.reader = reader
        self.known = {(r.file, r.sha256): r for r in _jsonl(self.path, Reading)}
        self.pages_known: dict[tuple[str, str], PageReading] | None = None  # loaded when first needed

    def read_all(self, files: list[tuple[Path, str]], what: str) -> list[Reading]:
        out, fresh, extracted_again, started = [], 0, 0, time.perf_counter()
        for n, (path, name) in enumerate(files, 1):
            data = path.read_bytes()
            key = (name, hashlib.sha256(data).hexdigest())
            if key not in self.known:
                if self.pages_known is None:
                    self.pages_known = {(r.file, r.sha256): r for r in _jsonl(self.pages_path, PageReading)}
                read = self.pages_known.get(key)
                if read is None:
                    print(f"  [{what}] reading {n}/{len(files)} {name}", file=sys.stderr, flush=True)
                    read = self.pages_known[key] = self.reader.read(path, name, data, key[1])
                    _append(self.pages_path, read)
                    fresh += 1
                else:
                    extracted_again += 1
                self.known[key] = extracted(read)
                _append(self.path, self.known[key])
            out.append(self.known[key])
        if fresh or extracted_again:
            print(
                f"  [{what}] read {fresh} files, extracted {extracted_again} again from their pages,"
                f" in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        return out


def _jsonl(path: Path, model: type[_Model]) -> list[_Model]:
    if not path.exists():
        return []
    return [model.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _append(path: Path, record: BaseModel) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(record.model_dump_json() + "\n")


# ---------------------------------------------------------------------------------------------
# Sets and their truth


def label(doc_type: str, side: str | None) -> str:
    return f"{doc_type}/{side}" if doc_type == DocType.id_card.value and side else doc_type


def doc_label(doc: Document) -> str:
    return label(doc.doc_type.value, doc.side.value if doc.side else None)


def predicted_label(reading: Reading) -> str:
    """The file's one document's type; a file the gate refused (any page) or split in several says so."""
    docs = reading.documents
    if not docs or any(d.errors for d in docs):
        return REFUSED
    return doc_label(docs[0]) if len(docs) == 1 else SPLIT


@dataclass
class Sample:
    truth: dict[str, Any]
    reading: Reading

    @property
    def variant(self) -> str:
        return str(self.truth["variant"])

    @property
    def group(self) -> str:
        return GROUP_OF.get(self.variant, self.variant)

    @property
    def family(self) -> str:
        """The template family that drew the file (synth/families); files before families are "base"."""
        return str(self.truth.get("family", "base"))

    @property
    def quality_fail(self) -> bool:
        return bool(self.truth.get("expected_quality"))

    @property
    def truth_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = self.truth["documents"][0]
        return doc

    @property
    def truth_label(self) -> str:
        return label(self.truth_doc["doc_type"], self.truth_doc.get("side"))

    @property
    def predicted_label(self) -> str:
        return predicted_label(self.reading)

    @property
    def correct(self) -> bool:
        return self.predicted_label == self.truth_label

    @property
    def main_doc(self) -> Document | None:
        """The document holding the file's first page (what the fields are taken from)."""
        usable = [d for d in self.reading.documents if not d.errors]
        return next((d for d in usable if 1 in d.pages), usable[0] if usable else None)


@dataclass
class EvalSet:
    key: str
    samples: list[Sample]
    envelopes: list[tuple[dict[str, Any], Reading]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return SET_TITLES.get(self.key, f"generated/{self.key}")

    @property
    def usable(self) -> list[Sample]:
        return [s for s in self.samples if not s.quality_fail]


def spread(items: list[Any], limit: int | None) -> list[Any]:
    """At most `limit` items, evenly spaced so a small run still sees every kind of file."""
    if not limit or len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def set_folders(key: str) -> tuple[Path, Path, Path]:
    """(documents, truth, cache folder) of a set."""
    if key == "samples":
        return ROOT / "samples" / "documents", ROOT / "samples" / "truth" / "documents", ROOT / "generated" / "samples"
    split_dir = ROOT / "generated" / key
    return split_dir / "documents", split_dir / "truth", split_dir


def load_set(key: str, reader: Reader, limit: int | None, envelopes: int) -> EvalSet:
    documents, truth_dir, cache_dir = set_folders(key)
    stale = key in FAMILY_SPLITS and any(truth_dir.glob("*.json")) and not family_set_current(cache_dir)
    if key != "samples" and (stale or not any(truth_dir.glob("*.json"))):
        if key not in SPLIT_SEEDS:
            raise SystemExit(f"{truth_dir} holds no truth files: make the set with python -m synth generate")
        why = "made under another split.yaml" if stale else "not made yet"
        print(f"  generating the {key} split into {cache_dir} ({why})", file=sys.stderr)
        build_generated(cache_dir, key, repeat=2)
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(truth_dir.glob("*.json"))]
    truths = spread(truths, limit)
    cache = ReadingCache(cache_dir, reader)
    readings = cache.read_all([(documents / t["file"], str(t["file"])) for t in truths], key)
    evaluated = EvalSet(key, [Sample(t, r) for t, r in zip(truths, readings, strict=True)])
    if key in SPLIT_SEEDS and key != "samples" and key not in FAMILY_SPLITS and envelopes:  # a made set has none
        paths = sorted((cache_dir / "envelopes").glob("envelope_*.pdf"))
        if len(paths) < envelopes:
            paths = build_envelopes(cache_dir, envelopes, SPLIT_SEEDS[key] + ENVELOPE_SEED_OFFSET)
        paths = paths[:envelopes]
        env_truths = [json.loads(p.with_name(f"{p.name}.json").read_text(encoding="utf-8")) for p in paths]
        env_readings = cache.read_all([(p, f"envelopes/{p.name}") for p in paths], f"{key} envelopes")
        evaluated.envelopes = list(zip(env_truths, env_readings, strict=True))
    return evaluated


# ---------------------------------------------------------------------------------------------
# Printing helpers


def pct(k: int, n: int) -> str:
    return f"{100 * k / n:.0f}%" if n else "-"


def frac(k: int, n: int) -> str:
    return f"{k}/{n}" if n else "-"


def heading(title: str, set_title: str) -> None:
    print(f"\n## {title} — {set_title}")
    print(split_line())


@cache
def split_line() -> str:
    """Which template families the rules were tuned on and which are held out (synth/families/split.yaml),
    said under every table so that no figure is read without it."""
    split = family_split()
    tuned = "; ".join(f"{abbreviation(t)} {'/'.join(s.tune)}" for t, s in split.items())
    held = "; ".join(f"{abbreviation(t)} {'/'.join(s.held_out)}" for t, s in split.items())
    unseen = "; ".join(f"{abbreviation(t)} {'/'.join(s.unseen)}" for t, s in split.items() if s.unseen)
    line = f"families tuned on: {tuned} | held out: {held}"
    return f"{line} | unseen (written blind to the rules; never tuned on): {unseen}" if unseen else line


def family_part(doc_type: str, family: str) -> str:
    """ "tune", "held-out" or "unseen" (written blind to the rules; never tuned on) for a family of a
    document type; "-" for one the split does not name."""
    part = family_split().get(doc_type)
    if part is None:
        return "-"
    parts = (("tune", part.tune), ("held-out", part.held_out), ("unseen", part.unseen))
    return next((name for name, families in parts if family in families), "-")


def abbreviation(name: str) -> str:
    return ABBREVIATIONS.get(name, name[:5])


def label_order(labels: Iterable[str]) -> list[str]:
    known = [label(t.value, s) for t in DocType for s in (("front", "back", None) if t is DocType.id_card else (None,))]
    rank = {name: i for i, name in enumerate([*known, SPLIT, REFUSED])}
    return sorted(set(labels), key=lambda name: (rank.get(name, len(rank)), name))


def in_order(values: Iterable[str], order: list[str]) -> list[str]:
    present = set(values)
    return [v for v in order if v in present] + sorted(present - set(order))


# ---------------------------------------------------------------------------------------------
# Classification


def review_flagged(doc: Document, thresholds: Thresholds) -> bool:
    """The verdict's own rule: the document goes to a clerk as `low_classification_confidence`."""
    codes = {r.code for r in document_reasons(0, doc, thresholds)}
    return Code.low_classification_confidence.value in codes


def print_confusion(samples: list[Sample], set_title: str) -> None:
    heading("Confusion matrix (rows: truth doc_type[/side], columns: predicted)", set_title)
    counts = Counter((s.truth_label, s.predicted_label) for s in samples)
    rows = label_order(s.truth_label for s in samples)
    columns = label_order(s.predicted_label for s in samples)
    print(f"{'truth':<22}" + "".join(f"{abbreviation(c):>6}" for c in columns) + f"{'n':>6}")
    for row in rows:
        cells = "".join(f"{counts[(row, c)] or '.':>6}" for c in columns)
        print(f"{row:<22}{cells}{sum(counts[(row, c)] for c in columns):>6}")
    print("columns: " + ", ".join(f"{abbreviation(c)}={c}" for c in columns))


def print_accuracy(samples: list[Sample], key: Callable[[Sample], str], order: list[str], what: str) -> None:
    print(f"{what:<22}{'n':>4}{'right':>7}{'acc':>6}")
    by: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by[key(s)].append(s)
    for name in in_order(by, order):
        right = sum(s.correct for s in by[name])
        print(f"{name:<22}{len(by[name]):>4}{right:>7}{pct(right, len(by[name])):>6}")
    total = sum(s.correct for s in samples)
    print(f"{'all':<22}{len(samples):>4}{total:>7}{pct(total, len(samples)):>6}")


def print_calibration(samples: list[Sample], set_title: str) -> None:
    heading("Calibration (confidence of the file's first document vs. type/side right)", set_title)
    bins: dict[str, list[bool]] = defaultdict(list)
    edges = [0.5, 0.6, 0.7, 0.8, 0.9]
    for s in samples:
        doc = s.main_doc
        if doc is None:
            continue
        lower = max((e for e in edges if doc.confidence >= e), default=None)
        name = "<0.5" if lower is None else f"{lower:.1f}–{min(lower + 0.1, 1.0):.1f}"
        bins[name].append(s.correct)
    print(f"{'confidence':<12}{'count':>6}{'accuracy':>10}")
    for name in ["<0.5", *(f"{e:.1f}–{e + 0.1:.1f}" for e in edges)]:
        hits = bins.get(name, [])
        print(f"{name:<12}{len(hits):>6}{pct(sum(hits), len(hits)):>10}")


def print_review_rate(samples: list[Sample], thresholds: Thresholds, set_title: str) -> None:
    heading("Unsure rate (pages flagged for review: low or close type scores)", set_title)
    pages = flagged_pages = 0
    right = wrong = right_flagged = wrong_flagged = 0
    for s in samples:
        docs = [d for d in s.reading.documents if not d.errors]
        flagged = [d for d in docs if review_flagged(d, thresholds)]
        pages += sum(len(d.pages) for d in docs)
        flagged_pages += sum(len(d.pages) for d in flagged)
        if s.correct:
            right += 1
            right_flagged += bool(flagged)
        else:
            wrong += 1
            wrong_flagged += bool(flagged)
    print(f"pages flagged for review: {frac(flagged_pages, pages)} ({pct(flagged_pages, pages)})")
    print(f"right type, flagged anyway (needless review): {frac(right_flagged, right)} ({pct(right_flagged, right)})")
    print(f"wrong type, flagged (error caught): {frac(wrong_flagged, wrong)} ({pct(wrong_flagged, wrong)})")


def print_seals(samples: list[Sample], set_title: str) -> None:
    heading("Seal detection (truth: seal visible in colour; any document of the file has a seal)", set_title)
    print(f"{'variant':<18}{'with seal':>10}{'found':>7}{'recall':>8}{'no seal':>9}{'false':>7}{'FP rate':>9}")
    colour = [v for v in VARIANT_ORDER if v not in VARIANTS or VARIANTS[v][0].colour]  # born_digital: colour
    totals = [0, 0, 0, 0]
    for variant in in_order((s.variant for s in samples if s.variant in colour), colour):
        of = [s for s in samples if s.variant == variant]
        with_seal = [s for s in of if s.truth_doc["has_seal"]]
        without = [s for s in of if not s.truth_doc["has_seal"]]
        found = sum(_seal_found(s) for s in with_seal)
        false = sum(_seal_found(s) for s in without)
        totals = [totals[0] + len(with_seal), totals[1] + found, totals[2] + len(without), totals[3] + false]
        print(
            f"{variant:<18}{len(with_seal):>10}{found:>7}{pct(found, len(with_seal)):>8}"
            f"{len(without):>9}{false:>7}{pct(false, len(without)):>9}"
        )
    print(
        f"{'colour, all':<18}{totals[0]:>10}{totals[1]:>7}{pct(totals[1], totals[0]):>8}"
        f"{totals[2]:>9}{totals[3]:>7}{pct(totals[3], totals[2]):>9}"
    )
    print("no colour left (a printed seal is grey, not a red seal):")
    print(f"{'variant':<18}{'printed':>10}{'called':>7}{'share':>8}{'none':>9}{'called':>7}{'share':>9}")
    for variant in (v for v in VARIANT_ORDER if v not in colour):
        of = [s for s in samples if s.variant == variant]
        if not of:
            continue
        printed = [s for s in of if s.truth_doc.get("seal_printed")]
        plain = [s for s in of if not s.truth_doc.get("seal_printed")]
        p_called = sum(_seal_found(s) for s in printed)
        n_called = sum(_seal_found(s) for s in plain)
        print(
            f"{variant:<18}{len(printed):>10}{p_called:>7}{pct(p_called, len(printed)):>8}"
            f"{len(plain):>9}{n_called:>7}{pct(n_called, len(plain)):>9}"
        )


def _seal_found(s: Sample) -> bool:
    return any(d.has_seal for d in s.reading.documents)


def print_copies(samples: list[Sample], set_title: str) -> None:
    heading("Copy detection (truth is_copy vs. predicted: right / wrong / unsure = None)", set_title)
    print(
        "stock: colour = types whose original is always printed on colour stock (rules/image.yaml colour_originals:\n"
        "ID card, social security card, paper invoice); plain = black-on-white originals, whose copies look alike"
    )
    print(f"{'variant':<18}{'stock':>7}{'truth':>9}{'n':>5}{'right':>7}{'wrong':>7}{'unsure':>8}")
    totals = Counter[str]()
    colour_types = {t.value for t in load_image_rules().photocopy.colour_originals}
    for variant in in_order((s.variant for s in samples), VARIANT_ORDER):
        for stock in ("colour", "plain"):
            of = [
                s
                for s in samples
                if s.variant == variant
                and (stock == "colour") == (s.truth_doc["doc_type"] in colour_types and variant != "born_digital")
            ]
            if not of:
                continue
            outcome = Counter(_copy_outcome(s) for s in of)
            totals.update(outcome)
            truth = "copy" if of[0].truth_doc["is_copy"] else "original"
            print(
                f"{variant:<18}{stock:>7}{truth:>9}{len(of):>5}{outcome['right']:>7}{outcome['wrong']:>7}"
                f"{outcome['unsure']:>8}"
            )
    print(f"{'all':<18}{'':>7}{'':>9}{len(samples):>5}{totals['right']:>7}{totals['wrong']:>7}{totals['unsure']:>8}")


def _copy_outcome(s: Sample) -> str:
    doc = s.main_doc
    if doc is None or doc.is_copy is None:
        return "unsure"
    return "right" if doc.is_copy == bool(s.truth_doc["is_copy"]) else "wrong"


def print_quality(evaluated: EvalSet) -> None:
    heading("Quality gate (quality-fail files must be refused or flagged with the expected code)", evaluated.title)
    failing = [s for s in evaluated.samples if s.quality_fail]
    print(f"{'variant':<14}{'expected code':<20}{'n':>4}{'caught':>8}{'other code':>12}{'missed':>8}")
    for variant in in_order((s.variant for s in failing), ["blurred", "dark", "overexposed", "tiny", "cut_off"]):
        of = [s for s in failing if s.variant == variant]
        expected = str(of[0].truth["expected_quality"])
        caught = other = 0
        for s in of:
            codes = _raised_codes(s.reading)
            caught += expected in codes
            other += expected not in codes and bool(codes)
        missed = len(of) - caught - other
        print(f"{variant:<14}{expected:<20}{len(of):>4}{caught:>8}{other:>12}{missed:>8}")
    usable = evaluated.usable
    refused = Counter(code for s in usable for code in _raised_codes(s.reading))
    blocked = sum(1 for s in usable if s.predicted_label == REFUSED)
    detail = ", ".join(f"{code} {n}" for code, n in sorted(refused.items())) or "none"
    print(f"good files refused by the gate: {frac(blocked, len(usable))}; quality codes on good files: {detail}")


def _raised_codes(reading: Reading) -> set[str]:
    codes = {e.code for d in reading.documents for e in d.errors}
    return codes | {c.code for d in reading.documents for c in d.checks if not c.ok and c.code == "page_cut_off"}


def print_separation(evaluated: EvalSet) -> None:
    if not evaluated.envelopes:
        return
    heading("Separation on mailed envelopes (3–5 scanned documents in one PDF)", evaluated.title)
    print(f"{'envelope':<24}{'pages':>6}  {'truth documents':<40}{'predicted':<40}{'bounds':>7}{'exact':>6}")
    exact = bounds_ok = 0
    for truth, reading in evaluated.envelopes:
        expected = [(tuple(d["pages"]), label(d["doc_type"], d.get("side"))) for d in truth["documents"]]
        got = [(tuple(d.pages), doc_label(d)) for d in reading.documents]
        got_refused = any(d.errors for d in reading.documents)
        same_bounds = [p for p, _ in expected] == [p for p, _ in got] and not got_refused
        all_right = same_bounds and expected == got
        bounds_ok += same_bounds
        exact += all_right
        print(
            f"{truth['file']:<24}{truth['pages']:>6}  {_sequence(expected):<40}{_sequence(got):<40}"
            f"{'ok' if same_bounds else '✗':>7}{'ok' if all_right else '✗':>6}"
        )
    n = len(evaluated.envelopes)
    print(f"separation accuracy (boundaries and types exact): {frac(exact, n)} ({pct(exact, n)})")
    print(f"boundaries right, types aside: {frac(bounds_ok, n)} ({pct(bounds_ok, n)})")


def _sequence(docs: list[tuple[tuple[int, ...], str]]) -> str:
    return " ".join(abbreviation(name) + (f"×{len(pages)}" if len(pages) > 1 else "") for pages, name in docs)


def print_family_accuracy(samples: list[Sample], set_title: str) -> None:
    heading("Type accuracy per template family × variant (right/files)", set_title)
    variants = in_order((s.variant for s in samples), VARIANT_ORDER)
    print(f"{'truth':<18}{'family':<22}{'part':<10}{'n':>4}{'acc':>6}" + "".join(f"{v[:12]:>13}" for v in variants))
    keys = sorted({(s.truth_label, s.family) for s in samples}, key=lambda k: (label_order([k[0]]), k[0], k[1]))
    for truth_label, family in keys:
        of = [s for s in samples if (s.truth_label, s.family) == (truth_label, family)]
        cells = ""
        for v in variants:
            in_v = [s for s in of if s.variant == v]
            cells += f"{frac(sum(s.correct for s in in_v), len(in_v)):>13}"
        part = family_part(of[0].truth_doc["doc_type"], family)
        right = sum(s.correct for s in of)
        print(f"{truth_label:<18}{family:<22}{part:<10}{len(of):>4}{pct(right, len(of)):>6}{cells}")
    for part in FAMILY_PARTS:
        of = [s for s in samples if family_part(s.truth_doc["doc_type"], s.family) == part]
        if of:
            right = sum(s.correct for s in of)
            print(f"{'all ' + part:<50}{len(of):>4}{pct(right, len(of)):>6}")


def classify_report(evaluated: EvalSet, thresholds: Thresholds) -> None:
    usable = evaluated.usable
    failing = len(evaluated.samples) - len(usable)
    print(
        f"\n# Classification — {evaluated.title}: {len(evaluated.samples)} files"
        f" ({len(usable)} readable variants, {failing} quality-fail files reported separately)"
    )
    if usable:
        print_confusion(usable, evaluated.title)
        heading("Accuracy per truth type (type and, for ID cards, side; one document per file)", evaluated.title)
        print_accuracy(usable, lambda s: s.truth_label, label_order(s.truth_label for s in usable), "type")
        heading("Accuracy per variant", evaluated.title)
        print_accuracy(usable, lambda s: s.variant, VARIANT_ORDER, "variant")
        print_family_accuracy(usable, evaluated.title)
        print_calibration(usable, evaluated.title)
        print_review_rate(usable, thresholds, evaluated.title)
        print_seals(usable, evaluated.title)
        print_copies(usable, evaluated.title)
    print_quality(evaluated)
    print_separation(evaluated)


# ---------------------------------------------------------------------------------------------
# Extraction


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AMOUNT = re.compile(r"^-?\d+\.\d{1,2}$")
_SPACE = re.compile(r"\s+")


def values_equal(truth: object, got: object) -> bool:
    """Dates as dates, amounts as Decimals, everything else as half-width text without whitespace
    (（T2N1M0） as (T2N1M0), as extraction normalises it). Digit strings (ID, invoice and inpatient
    numbers) stay text: a lost leading zero is an error."""
    t, g = to_halfwidth(str(truth)).strip(), to_halfwidth(str(got)).strip()
    if _ISO_DATE.match(t) or _AMOUNT.match(t):
        return same(t, g)
    return _SPACE.sub("", t) == _SPACE.sub("", g)


def _number(value: object) -> Decimal | str:
    text = _SPACE.sub("", str(value))
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def item_key(item: dict[str, Any]) -> tuple[object, ...]:
    return (
        _SPACE.sub("", str(item.get("name", ""))),
        _SPACE.sub("", str(item.get("category", ""))),
        *(_number(item.get(k, "")) for k in ("quantity", "unit_price", "amount")),
    )


@dataclass
class FieldOutcome:
    doc_label: str
    name: str
    group: str
    status: str  # right / wrong / missing
    flagged: bool
    self_checked: bool
    family: str = "base"
    variant: str = ""


@dataclass
class ItemsOutcome:
    group: str
    truth: int
    matched: int
    predicted: int


def scored_fields(truth_label: str) -> list[str]:
    key = {"id_card/front": "id_card_front", "id_card/back": "id_card_back"}.get(truth_label, truth_label)
    names = list(load_field_rules().types.get(key, {}))
    return [*names, "items"] if truth_label == "expense_list" else names


def self_checked(doc_type: str, name: str) -> bool:
    return any(name in CHECK_FIELDS[code] for code in SELF_CHECKS.get(doc_type, ()))


def outcomes(sample: Sample, min_confidence: float) -> tuple[list[FieldOutcome], ItemsOutcome | None]:
    truth_fields: dict[str, Any] = sample.truth_doc.get("fields") or {}
    doc = sample.main_doc
    doc_type = sample.truth_doc["doc_type"]
    out: list[FieldOutcome] = []
    items: ItemsOutcome | None = None
    for name in scored_fields(sample.truth_label):
        truth = truth_fields.get(name)
        if truth in (None, []):
            continue
        found = doc.fields.get(name) if doc is not None else None
        status = outcome(truth, found.value if found is not None else None, values_equal)
        if name == "items" and found is not None and status != "missing":
            got = [item_key(i) for i in found.value]
            want = [item_key(i) for i in truth]
            status = "right" if got == want else "wrong"
            matched = sum((Counter(want) & Counter(got)).values())
            items = ItemsOutcome(sample.group, len(want), matched, len(got))
        if name == "items" and items is None:
            items = ItemsOutcome(sample.group, len(truth), 0, 0)
        flagged = field_flagged(doc, name, min_confidence)
        out.append(
            FieldOutcome(
                sample.truth_label,
                name,
                sample.group,
                status,
                flagged,
                self_checked(doc_type, name),
                sample.family,
                sample.variant,
            )
        )
    return out, items


def print_field_tables(results: list[FieldOutcome], samples: list[Sample], set_title: str) -> None:
    heading("Field exact match per document type × field × variant group (right/scored)", set_title)
    print(
        "missing: no value read; wrong: a value that is not the truth, or any value where the label is printed"
        " blank; flagged: a failed self-check over the field or confidence below min_field_confidence; silent:"
        " wrong, not flagged, on a self-checked field (*)."
    )
    for doc_label_ in label_order(r.doc_label for r in results):
        of = [r for r in results if r.doc_label == doc_label_]
        files = [s for s in samples if s.truth_label == doc_label_]
        groups = in_order((s.group for s in files), GROUP_ORDER)
        mistyped = sum(1 for s in files if not s.correct)
        per_group = ", ".join(f"{g} {sum(1 for s in files if s.group == g)}" for g in groups)
        print(f"\n{doc_label_} — files: {len(files)} ({per_group}); type wrong, split or refused: {mistyped}")
        print(
            f"{'field':<24}"
            + "".join(f"{g:>13}" for g in groups)
            + f"{'exact':>7}{'missing':>8}{'wrong':>6}{'flag/wrong':>11}{'flag/right':>11}{'silent':>7}"
        )
        for name in dict.fromkeys(r.name for r in of):
            rows = [r for r in of if r.name == name]
            cells = ""
            for g in groups:
                in_group = [r for r in rows if r.group == g]
                cells += f"{frac(sum(r.status == 'right' for r in in_group), len(in_group)):>13}"
            tally = _tally(rows)
            checked = rows[0].self_checked
            print(
                f"{name + (' *' if checked else ''):<24}{cells}{pct(tally['right'], len(rows)):>7}"
                f"{tally['missing']:>8}{tally['wrong']:>6}{frac(tally['wrong_flagged'], tally['wrong']):>11}"
                f"{pct(tally['right_flagged'], tally['right']):>11}{tally['silent'] if checked else '':>7}"
            )


def _tally(rows: list[FieldOutcome]) -> Counter[str]:
    tally = Counter(r.status for r in rows)
    tally["wrong_flagged"] = sum(1 for r in rows if r.status == "wrong" and r.flagged)
    tally["right_flagged"] = sum(1 for r in rows if r.status == "right" and r.flagged)
    tally["silent"] = sum(1 for r in rows if r.status == "wrong" and not r.flagged and r.self_checked)
    return tally


def _part(r: FieldOutcome) -> str:
    return family_part(r.doc_label.split("/")[0], r.family)


def print_family_fields(results: list[FieldOutcome], set_title: str) -> None:
    """Per document type, each field's exact matches in each template family, then each family's
    fields in each variant: where a rule holds on the families it was tuned on and where it does not."""
    heading("Field exact match per document type × field × template family (right/scored)", set_title)
    for doc_label_ in label_order(r.doc_label for r in results):
        of = [r for r in results if r.doc_label == doc_label_]
        families = sorted({r.family for r in of}, key=lambda f: (_part(next(r for r in of if r.family == f)), f))
        print(f"\n{doc_label_}")
        print(f"{'field':<24}" + "".join(f"{f:>22}" for f in families))
        print(f"{'(part)':<24}" + "".join(f"{family_part(doc_label_.split('/')[0], f):>22}" for f in families))
        for name in dict.fromkeys(r.name for r in of):
            cells = ""
            for f in families:
                rows = [r for r in of if r.name == name and r.family == f]
                cells += f"{frac(sum(r.status == 'right' for r in rows), len(rows)):>22}"
            print(f"{name:<24}{cells}")
    heading("Fields per template family × variant (exact share of scored fields)", set_title)
    variants = in_order((r.variant for r in results), VARIANT_ORDER)
    print(
        f"{'type':<18}{'family':<22}{'part':<10}{'scored':>7}{'exact':>7}{'missing':>8}{'wrong':>6}"
        + "".join(f"{v[:12]:>13}" for v in variants)
    )
    keys = sorted({(r.doc_label, r.family) for r in results}, key=lambda k: (label_order([k[0]]), k[0], k[1]))
    for doc_label_, family in keys:
        rows = [r for r in results if (r.doc_label, r.family) == (doc_label_, family)]
        t = _tally(rows)
        cells = ""
        for v in variants:
            in_v = [r for r in rows if r.variant == v]
            cells += f"{pct(sum(r.status == 'right' for r in in_v), len(in_v)):>13}"
        print(
            f"{doc_label_:<18}{family:<22}{_part(rows[0]):<10}{len(rows):>7}{pct(t['right'], len(rows)):>7}"
            f"{t['missing']:>8}{t['wrong']:>6}{cells}"
        )
    for part in FAMILY_PARTS:
        rows = [r for r in results if _part(r) == part]
        if rows:
            t = _tally(rows)
            print(f"{'all ' + part:<50}{len(rows):>7}{pct(t['right'], len(rows)):>7}{t['missing']:>8}{t['wrong']:>6}")


def print_flagged_misses(results: list[FieldOutcome], set_title: str) -> None:
    """Per document type × template family, each miss split into flagged (a clerk is told) and silent
    (nothing tells anyone): the issue's target is no silent miss at all, on every field."""
    heading("Misses per document type × template family: flagged or silent", set_title)
    print(f"rule: {FLAG_RULE}")
    print(f"{'type':<18}{'family':<22}{'part':<10}" + CELLS_HEADER + f"{'  silent fields'}")
    keys = sorted({(r.doc_label, r.family) for r in results}, key=lambda k: (label_order([k[0]]), k[0], k[1]))
    for doc_label_, family in keys:
        rows = [r for r in results if (r.doc_label, r.family) == (doc_label_, family)]
        tally = MissTally()
        for r in rows:
            tally.add(r.status, r.flagged)
        silent = Counter(r.name for r in rows if r.status != "right" and not r.flagged)
        names = ", ".join(f"{n} {c}" for n, c in sorted(silent.items()))
        print(f"{doc_label_:<18}{family:<22}{_part(rows[0]):<10}" + tally.cells() + f"  {names}")
    for part in ("tune", "held-out", "unseen"):
        rows = [r for r in results if _part(r) == part]
        if rows:
            tally = MissTally()
            for r in rows:
                tally.add(r.status, r.flagged)
            print(f"all {part}: {tally.total_line()}")


def print_group_summary(results: list[FieldOutcome], set_title: str) -> None:
    heading("Fields per variant group (all types)", set_title)
    print(f"{'group':<14}{'scored':>7}{'exact':>7}{'missing':>9}{'wrong':>7}{'flag/wrong':>12}{'flag/right':>12}")
    for g in [*in_order((r.group for r in results), GROUP_ORDER), "all"]:
        rows = [r for r in results if g in ("all", r.group)]
        t = _tally(rows)
        print(
            f"{g:<14}{len(rows):>7}{pct(t['right'], len(rows)):>7}{pct(t['missing'], len(rows)):>9}"
            f"{pct(t['wrong'], len(rows)):>7}{pct(t['wrong_flagged'], t['wrong']):>12}"
            f"{pct(t['right_flagged'], t['right']):>12}"
        )


def print_items(items: list[ItemsOutcome], set_title: str) -> None:
    if not items:
        return
    heading("Expense list items, item level (an item matches when all five columns match)", set_title)
    print(f"{'group':<14}{'lists':>6}{'truth items':>13}{'matched':>9}{'rate':>6}{'read':>6}{'extra':>7}")
    for g in [*in_order((i.group for i in items), GROUP_ORDER), "all"]:
        of = [i for i in items if g in ("all", i.group)]
        truth, matched, read = (sum(getattr(i, a) for i in of) for a in ("truth", "matched", "predicted"))
        print(f"{g:<14}{len(of):>6}{truth:>13}{matched:>9}{pct(matched, truth):>6}{read:>6}{read - matched:>7}")


def print_silent(results: list[FieldOutcome], set_title: str) -> None:
    heading("Silent wrong values on self-checked fields (wrong and not flagged)", set_title)
    checked = [r for r in results if r.self_checked]
    print(f"{'document.field':<40}{'scored':>7}{'wrong':>7}{'flagged':>8}{'silent':>7}")
    for key in dict.fromkeys((r.doc_label, r.name) for r in checked):
        t = _tally([r for r in checked if (r.doc_label, r.name) == key])
        n = sum(t[s] for s in ("right", "wrong", "missing"))
        print(f"{key[0] + '.' + key[1]:<40}{n:>7}{t['wrong']:>7}{t['wrong_flagged']:>8}{t['silent']:>7}")
    t = _tally(checked)
    print(f"silent wrong in all: {t['silent']} of {t['wrong']} wrong values on self-checked fields")


def print_misses(samples: list[Sample], min_confidence: float, set_title: str) -> None:
    """Each field that is not exactly right, with its truth and what was read (generated sets hold only
    fictitious people; ID numbers are masked all the same)."""
    heading("Fields not exactly right, per file", set_title)
    shown = 0
    for s in samples:
        doc = s.main_doc
        for result in outcomes(s, min_confidence)[0]:
            if result.status == "right":
                continue
            truth = (s.truth_doc.get("fields") or {}).get(result.name)
            found = doc.fields.get(result.name) if doc is not None else None
            got = found.value if found is not None else None
            if result.name == "id_number":
                truth, got = (mask_id(str(v)) if v else v for v in (truth, got))
            flag = "flagged" if result.flagged else "not flagged"
            print(f"{s.reading.file:<46} {result.name:<22} {result.status:<8} {flag:<12} {truth!r:.40} → {got!r:.40}")
            shown += 1
    if not shown:
        print("none")


def extract_report(evaluated: EvalSet, min_confidence: float, misses: bool = False) -> None:
    usable = evaluated.usable
    print(
        f"\n# Extraction — {evaluated.title}: {len(usable)} readable files"
        f" (quality-fail files left out); fields from the document holding page 1, as classified"
    )
    results: list[FieldOutcome] = []
    items: list[ItemsOutcome] = []
    unruled: dict[str, set[str]] = defaultdict(set)
    for s in usable:
        found, listed = outcomes(s, min_confidence)
        results += found
        items += [listed] if listed else []
        scored = set(scored_fields(s.truth_label))
        unruled[s.truth_label] |= {n for n in (s.truth_doc.get("fields") or {}) if n not in scored}
    if not results:
        print("no scored fields")
        return
    print_field_tables(results, usable, evaluated.title)
    print_family_fields(results, evaluated.title)
    print_flagged_misses(results, evaluated.title)
    print_items(items, evaluated.title)
    print_group_summary(results, evaluated.title)
    print_silent(results, evaluated.title)
    if misses:
        print_misses(usable, min_confidence, evaluated.title)
    skipped = "; ".join(f"{k}: {', '.join(sorted(v))}" for k, v in sorted(unruled.items()) if v)
    if skipped:
        print(f"truth fields without an extraction rule (not scored): {skipped}")


def family_report(evaluated: EvalSet, min_confidence: float, misses: bool = False) -> None:
    """Leave-family-out: type and field accuracy per template family, each marked tune, held-out or unseen."""
    usable = evaluated.usable
    print(f"\n# Template families — {evaluated.title}: {len(usable)} readable files")
    if not usable:
        return
    print_confusion(usable, evaluated.title)
    print_family_accuracy(usable, evaluated.title)
    results = [r for s in usable for r in outcomes(s, min_confidence)[0]]
    if results:
        print_family_fields(results, evaluated.title)
        print_flagged_misses(results, evaluated.title)
    if misses:
        print_misses(usable, min_confidence, evaluated.title)


# ---------------------------------------------------------------------------------------------
# Real samples, scored with bench/eval_real.py's label mapping


def real_fields(entry: dict[str, Any]) -> dict[str, object]:
    """Our field name → labelled value, for the labels eval_real scores: mapped, not uncertain
    ("label: value? (why)"), and a field our contract has on this type."""
    uncertain = {u.split(":", 1)[0].strip() for u in entry.get("uncertain") or []}
    truth_label = label(entry["doc_type"], entry.get("side"))
    ours = set(scored_fields(truth_label)) | (
        {"id_number", "name"} if entry["doc_type"] == DocType.social_security_card.value else set()
    )
    out: dict[str, object] = {}
    for printed, value in entry["fields"].items():
        name = PATIENT_NAME.get(entry["doc_type"], "name") if printed == "姓名" else LABEL_TO_FIELD.get(printed)
        if name is None or value is None or printed in uncertain or isinstance(value, list | dict):
            continue
        if name in ours:
            out[name] = value
    return out


def real_report(reader: Reader, limit: int | None, classify: bool, thresholds: Thresholds) -> None:
    labels_path = REAL_SAMPLES / "labels.json"
    title = SET_TITLES["real"]
    if not labels_path.exists():
        print(f"\n# {title}: not found ({labels_path})")
        return
    entries = spread(json.loads(labels_path.read_text(encoding="utf-8")), limit)
    cache = ReadingCache(ROOT / "generated" / "real", reader)
    readings = cache.read_all([(REAL_SAMPLES / e["file"], str(e["file"])) for e in entries], "real")
    if classify:
        heading("Real samples: type per file (the pipeline's documents)", title)
        print(f"{'file':<30}{'variant':<13}{'truth':<24}{'predicted':<24}{'conf':>5}{'review':>8}")
    else:
        heading("Real samples: labelled fields (fields of the pipeline's document, as classified)", title)
        print(f"{'file':<30}{'variant':<13}{'right':>6}{'missing':>8}{'wrong':>6}{'flag/wrong':>11}")
    type_ok = 0
    totals = Counter[str]()
    misses = MissTally()
    for entry, reading in zip(entries, readings, strict=True):
        truth = label(entry["doc_type"], entry.get("side"))
        predicted = predicted_label(reading)
        type_ok += predicted == truth
        doc = next((d for d in reading.documents if not d.errors), None)
        if classify:
            shown = predicted + ("" if predicted == truth else " ✗")
            conf = f"{doc.confidence:5.2f}" if doc else "    -"
            review = "yes" if doc is not None and review_flagged(doc, thresholds) else ""
            print(f"{entry['file']:<30}{entry['variant']:<13}{truth:<24}{shown:<24}{conf}{review:>8}")
            continue
        tally = Counter[str]()
        for name, value in real_fields(entry).items():
            found = doc.fields.get(name) if doc else None
            status = outcome(value, found.value if found else None)
            flagged = field_flagged(doc, name, thresholds.min_field_confidence)
            tally[status] += 1
            tally["wrong_flagged"] += status == "wrong" and flagged
            misses.add(status, flagged)
        totals.update(tally)
        print(
            f"{entry['file']:<30}{entry['variant']:<13}{tally['right']:>6}{tally['missing']:>8}{tally['wrong']:>6}"
            f"{frac(tally['wrong_flagged'], tally['wrong']):>11}"
        )
    if classify:
        print(f"type accuracy {frac(type_ok, len(entries))} ({pct(type_ok, len(entries))})")
    else:
        n = totals["right"] + totals["missing"] + totals["wrong"]
        print(
            f"labelled fields exactly right {frac(totals['right'], n)} ({pct(totals['right'], n)}); missing"
            f" {totals['missing']}; wrong {totals['wrong']}, of which flagged {totals['wrong_flagged']}"
        )
        print(misses.total_line())


# ---------------------------------------------------------------------------------------------


@recorded("eval_docs")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_docs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--classify", action="store_true", help="type, calibration, seals, copies, quality, separation")
    parser.add_argument("--extract", action="store_true", help="field exact match and flagged share")
    parser.add_argument(
        "--split",
        default="eval",
        help="eval, tune, familytune, heldout, unseen (families written blind to the rules; never tuned on), samples,"
        " or a set made by `python -m synth generate --out generated/NAME`: NAME",
    )
    parser.add_argument("--limit", type=int, help="at most N files per set (evenly spaced), N/10 envelopes")
    parser.add_argument("--envelopes", type=int, default=10, help="mailed envelopes for the separation measure")
    parser.add_argument("--misses", action="store_true", help="with --extract: also each field not exactly right")
    parser.add_argument(
        "--families",
        action="store_true",
        help="only type and field accuracy per template family of the split (no samples, real samples, seals)",
    )
    args = parser.parse_args(argv)
    classify, extract = (args.classify, args.extract) if args.classify or args.extract else (True, True)
    settings = Settings()
    thresholds = settings.thresholds
    reader = Reader(settings)
    envelopes = min(args.envelopes, max(1, args.limit // 10)) if args.limit else args.envelopes
    envelopes = envelopes if classify else 0
    if args.families:
        evaluated = load_set(args.split, reader, args.limit, 0)
        print(f"fingerprint {fingerprint()}; case date {CASE_DATE}; thresholds {thresholds.model_dump()}")
        family_report(evaluated, thresholds.min_field_confidence, args.misses)
        return 0
    sets = [load_set(args.split, reader, args.limit, envelopes)]
    if args.split != "samples":
        sets.append(load_set("samples", reader, args.limit, 0))
    print(f"fingerprint {fingerprint()}; case date {CASE_DATE}; thresholds {thresholds.model_dump()}")
    if classify:
        for evaluated in sets:
            classify_report(evaluated, thresholds)
        real_report(reader, args.limit, classify=True, thresholds=thresholds)
    if extract:
        for evaluated in sets:
            extract_report(evaluated, thresholds.min_field_confidence, args.misses)
        real_report(reader, args.limit, classify=False, thresholds=thresholds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
