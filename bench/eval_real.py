"""Evaluation on the fifteen real documents in ../shared/real-samples (prints, never asserts).

Per file: the true and predicted type/side, and for the fields labelled there, how many our
extraction reproduced exactly. Labels are by printed Chinese label; LABEL_TO_FIELD maps those that
have a field of ours. Only fields present and not marked uncertain are scored; a label printed with
nothing after it (labelled "": anonymised, or left blank) is right only if nothing is read there. Each
miss is missing (a clerk sees no value), wrong but flagged (a self-check over it failed, or its
confidence is below min_field_confidence: a clerk looks) or wrong and silent; a missing value is flagged
only when a failed check names it (bench/metrics.py FLAG_RULE).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from bench.metrics import FLAG_RULE, MissTally, field_flagged
from bench.results import recorded
from classifiers.doc_type import classify_page, load_rules
from extractors.layout import load_field_rules
from extractors.normalize import parse_date, to_halfwidth
from intake.models import DocType, Document, Side
from intake.settings import Settings
from pipeline.analyse import read_file_pages
from pipeline.passes import extract_fields

LABEL_TO_FIELD = {
    "票据代码": "invoice_code",
    "票据号码": "invoice_number",
    "校验码": "check_code",
    "交款人": "payer_name",
    "开票日期": "issue_date",
    "收款单位": "payee",
    "合计_小写": "total_amount",
    "合计_大写": "total_amount_upper",
    "医保统筹基金支付": "medical_insurance_paid",
    "个人自费": "self_expense",
    "姓名": "name",
    "性别": "sex",
    "民族": "ethnicity",
    "出生": "birth_date",
    "住址": "address",
    "公民身份号码": "id_number",
    "签发机关": "issuing_authority",
    "年龄": "age",
    "住院号": "inpatient_number",
    "入院日期": "admission_date",
    "出院日期": "discharge_date",
    "住院天数": "days_in_hospital",
    # Labels transcribe the whole list; the principal diagnosis (its first item) is a field of its own.
    "入院诊断": "admission_diagnoses",
    "出院诊断": "discharge_diagnoses",
    "医院": "hospital",
    "社会保障号码": "id_number",
}
PATIENT_NAME = {"discharge_record": "patient_name", "expense_list": "patient_name"}


_PARTIAL_DATE = re.compile(r"^(\d{4})[年.-](\d{1,2})月?$")


def _plain(text: str) -> str:
    """Labels and our values differ in form, not content: width, spaces, units, trailing stops."""
    text = to_halfwidth(text).replace(" ", "").replace("¥", "").replace("￥", "")
    return text.rstrip("。.;；").removesuffix("岁").removesuffix("天")


def same(truth: object, got: object) -> bool:
    if truth is None or got is None:
        return False
    t, g = _plain(str(truth)), _plain(str(got))
    try:
        return Decimal(t) == Decimal(g)
    except InvalidOperation:
        pass
    partial = _PARTIAL_DATE.match(t)
    if partial:  # the label gives year and month only (the day was anonymised away)
        return g.startswith(f"{partial.group(1)}-{int(partial.group(2)):02d}")
    parsed = parse_date(t)
    if parsed is not None:
        return parsed.isoformat() == g
    return t == g


def outcome(truth: object, got: object, equal: Callable[[object, object], bool] = same) -> str:
    """right / missing / wrong. A blank truth ("") is a label printed with nothing after it: a value
    read there is wrong (the next label's words taken for it), nothing read is right."""
    read = got not in (None, "", [])
    if truth == "":
        return "wrong" if read else "right"
    if not read:
        return "missing"
    return "right" if equal(truth, got) else "wrong"


def why_flagged(doc: Document, name: str, min_confidence: float) -> str:
    """Why a field is flagged (FLAG_RULE): the codes of the failed checks naming it, and its confidence when
    below the threshold. Codes and a number only, never the value."""
    reasons = sorted({c.code for c in doc.checks if not c.ok and name in c.fields})
    found = doc.fields.get(name)
    if found is not None and found.confidence < min_confidence:
        reasons.append(f"confidence {found.confidence:.2f}")
    return ", ".join(reasons)


@recorded("eval_real")
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", default="../shared/real-samples")
    parser.add_argument("--misses", action="store_true", help="also print each missed field (anonymised samples only)")
    parser.add_argument(
        "--flagged",
        action="store_true",
        help="also list each right value flagged for a clerk and why (check codes, confidence; no values)",
    )
    args = parser.parse_args()
    folder = Path(args.samples)
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    settings = Settings()
    rules = load_rules()
    case_date = dt.date.today()
    print(f"Real samples ({folder}): {len(labels)} files — neither tuning nor generated evaluation data.\n")
    print(f"{'file':<30} {'variant':<12} {'truth':<26} {'predicted':<30} {'conf':>5} {'fields':>7} {'s':>5}")
    type_ok = field_ok = field_total = 0
    tally = MissTally()
    for entry in labels:
        started = time.perf_counter()
        pages = read_file_pages(str(folder / entry["file"]), settings)
        cls = classify_page(pages[0], rules)
        truth = f"{entry['doc_type']}/{entry.get('side') or '-'}"
        expected_side = entry.get("side") if entry["doc_type"] == "id_card" else None
        correct = cls.doc_type.value == entry["doc_type"] and (cls.side.value if cls.side else None) == expected_side
        type_ok += correct
        doc = Document(
            source=entry["file"],
            pages=[1],
            doc_type=DocType(entry["doc_type"]),
            side=Side(entry["side"]) if entry.get("side") and entry["doc_type"] == "id_card" else None,
        )
        doc = extract_fields(doc, pages, case_date)
        key = entry["doc_type"] + (f"_{doc.side.value}" if doc.side else "")
        ours = set(load_field_rules().types.get(key, {})) | (
            {"id_number", "name"} if key.startswith("social") else set()
        )
        # Uncertain labels are noted as "label: value? (why)".
        uncertain = {u.split(":", 1)[0].strip() for u in entry.get("uncertain") or []}
        misses = []
        right_flagged = []
        found = total = 0
        for label, value in entry["fields"].items():
            name = PATIENT_NAME.get(entry["doc_type"], "name") if label == "姓名" else LABEL_TO_FIELD.get(label)
            if name is None or value is None or label in uncertain or isinstance(value, list | dict):
                continue
            if name not in ours:  # a label our contract has no field for on this type (性别 on an invoice)
                continue
            total += 1
            got = doc.fields.get(name)
            status = outcome(value, got.value if got else None)
            found += status == "right"
            flagged = field_flagged(doc, name, settings.thresholds.min_field_confidence)
            tally.add(status, flagged)
            if status == "right" and flagged:
                right_flagged.append(f"    {name}: {why_flagged(doc, name, settings.thresholds.min_field_confidence)}")
            if status != "right":
                kind = f"{status} and {'flagged' if flagged else 'silent'}"
                sureness = f" at {got.confidence:.2f}" if got is not None else ""
                misses.append(f"    {name} ({kind}): truth {value!r} got {got.value if got else None!r}{sureness}")
        field_ok += found
        field_total += total
        predicted = f"{cls.doc_type.value}/{cls.side.value if cls.side else '-'}" + ("" if correct else " ✗")
        elapsed = time.perf_counter() - started
        print(
            f"{entry['file']:<30} {entry['variant']:<12} {truth:<26} {predicted:<30} {cls.confidence:5.2f}"
            f" {found:>3}/{total:<3} {elapsed:5.1f}"
        )
        if args.misses:
            print("\n".join(misses))
        if args.flagged and right_flagged:
            print("  right but flagged:\n" + "\n".join(right_flagged))
    print(f"\ntype accuracy {type_ok}/{len(labels)}; labelled fields exactly right {field_ok}/{field_total}")
    missing = tally.missing_flagged + tally.missing_silent
    print(f"misses: missing {missing}; wrong and flagged {tally.wrong_flagged}; wrong and silent {tally.wrong_silent}")
    print(f"right values flagged for a clerk: {tally.right_flagged}/{field_ok}")
    print(f"{FLAG_RULE}.")
    print(tally.total_line())


if __name__ == "__main__":
    main()
