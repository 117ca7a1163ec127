"""Generated cases for the verdict evaluation: an item, a complete set of files, then one thing
done to it (a material left out, a wrong document, a blurred photo, a photocopy where an original is
due, an agent with or without the second ID card, someone else's ID card, a prohibition the ID card
reveals) and the verdict that must follow. Deterministic by seed."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from synth.build import new_context
from synth.sets import FileSpec, write_file

CASE_DATE = dt.date(2025, 6, 20)


@dataclass
class Base:
    item: str
    region: str | None
    files: list[FileSpec]
    person_region: str = "33"
    province: str = "浙江省"
    min_age: int = 25
    # material names as the catalog writes them, for the drop-one perturbation
    droppable: dict[str, str] = field(default_factory=dict)


BASES = [
    Base(
        "住院费用报销",
        None,
        [
            FileSpec("invoice", "scan", "invoice"),
            FileSpec("discharge_record", "scan", "discharge_record"),
            FileSpec("expense_list", "scan", "expense_list"),
            FileSpec("id_front", "scan", "id_front"),
        ],
        droppable={
            "invoice": "医疗费用发票原件（含电子票据）",
            "discharge_record": "出院记录原件或复印件",
            "expense_list": "住院费用汇总明细清单原件或复印件（加盖医院收费章）",
            "id_front": "医保电子凭证或有效身份证件或社保卡",
        },
    ),
    Base(
        "门诊费用报销",
        None,
        [
            FileSpec("einvoice_outpatient", "born_digital", "einvoice"),
            FileSpec("medical_record", "scan", "medical_record"),
            FileSpec("expense_list_outpatient", "scan", "expense_list"),
            FileSpec("id_front", "scan", "id_front"),
        ],
        droppable={
            "medical_record": "门诊病历原件或复印件",
            "expense_list": "医疗费用清单原件或复印件",
        },
    ),
    Base("异地长期居住人员备案", "浙江省", [FileSpec("id_front_card", "photo", "id_front")]),
    Base(
        "异地长期居住人员备案",
        "辽宁省抚顺市",
        [
            FileSpec("id_front", "scan", "id_front"),
            FileSpec("filing_form_fushun", "scan", "filing_form"),
            FileSpec("commitment", "scan", "commitment"),
        ],
        person_region="21",
        province="辽宁省",
        min_age=61,
        droppable={
            "filing_form": "异地就医登记备案表",
            "commitment": "长期居住认定材料（居住证或个人承诺书）",
        },
    ),
]
PERTURBATIONS = [
    "none",
    "drop",
    "rotated",
    "photo",
    "blurred_invoice",
    "photocopy_invoice",
    "wrong_document",
    "agent_one_id",
    "agent_two_ids",
    "other_persons_id",
    "young_resident",
]


@dataclass
class MixCase:
    case_id: str
    seed: int
    base: Base
    perturbation: str
    files: list[FileSpec]
    expected: str
    expected_missing: list[str] = field(default_factory=list)
    agent: bool = False
    options: dict[str, str] = field(default_factory=dict)
    min_age: int = 25
    max_age: int = 80


def applicable(base: Base, perturbation: str) -> bool:
    inpatient = base.item == "住院费用报销"
    return {
        "drop": bool(base.droppable),
        "blurred_invoice": inpatient,
        "photocopy_invoice": inpatient,
        "wrong_document": inpatient,
        "young_resident": base.region == "辽宁省抚顺市",
        "agent_one_id": base.region != "辽宁省抚顺市",
        "agent_two_ids": base.region != "辽宁省抚顺市",
    }.get(perturbation, True)


def mix_cases(seed0: int, count: int) -> list[MixCase]:
    cases = []
    for n in range(count):
        seed = seed0 + n
        rng = random.Random(seed)
        perturbation = PERTURBATIONS[n % len(PERTURBATIONS)]
        base = rng.choice([b for b in BASES if applicable(b, perturbation)])
        cases.append(_perturb(f"m{seed}_{perturbation}", seed, base, perturbation, rng))
    return cases


def _perturb(case_id: str, seed: int, base: Base, what: str, rng: random.Random) -> MixCase:
    files = [FileSpec(f.kind, f.variant, f.stem) for f in base.files]
    case = MixCase(case_id, seed, base, what, files, "complete", min_age=base.min_age)
    if what == "drop":
        stem = rng.choice(sorted(base.droppable))
        case.files = [f for f in files if f.stem != stem]
        case.expected, case.expected_missing = "incomplete", [base.droppable[stem]]
    elif what in ("rotated", "photo"):
        for f in files:
            if f.variant == "scan":
                f.variant = rng.choice(["rotated90", "rotated180", "rotated270"]) if what == "rotated" else "photo"
    elif what == "blurred_invoice":
        files[0].variant = "blurred"
        case.expected, case.expected_missing = "needs_review", [base.droppable["invoice"]]
    elif what == "photocopy_invoice":
        files[0].variant = "photocopy"
        case.expected = "needs_review"  # an original is required; a colourless page cannot show it
    elif what == "wrong_document":
        files[0] = FileSpec("medical_record", "scan", "invoice")
        case.expected, case.expected_missing = "incomplete", [base.droppable["invoice"]]
    elif what == "agent_one_id":
        case.agent = True
        case.expected, case.expected_missing = "incomplete", ["委托他人办理的提供双方身份证件原件"]
    elif what == "agent_two_ids":
        case.agent = True
        case.files.append(FileSpec("id_front", "scan", "agent_id_front", person="agent"))
        case.expected = "complete"
    elif what == "other_persons_id":
        case.files.append(FileSpec("id_front", "scan", "second_id_front", person="agent"))
        case.expected = "needs_review"  # two people without the agent flag
    elif what == "young_resident":
        case.options = {"resident_insurance": "true"}
        case.min_age, case.max_age = 35, 55
        case.expected = "rejected"
    return case


def build_mix(out: Path, cases: list[MixCase]) -> Path:
    """Files, per-case truth and a batch manifest; returns the manifest path."""
    rows: list[dict[str, Any]] = []
    for case in cases:
        ctx = new_context(
            case.seed,
            on=CASE_DATE,
            region_prefix=case.base.person_region,
            min_age=case.min_age,
            max_age=case.max_age,
            province=case.base.province,
        )
        other = new_context(case.seed + 500_000, on=CASE_DATE, region_prefix=case.base.person_region)
        folder = out / case.case_id
        names = []
        for k, spec in enumerate(case.files):
            written = write_file(spec, other if spec.person == "agent" else ctx, folder, case.seed * 100 + k)
            names.append(f"{case.case_id}/{written.path.name}")
        row: dict[str, Any] = {
            "case_id": case.case_id,
            "item": case.base.item,
            "case_date": CASE_DATE.isoformat(),
            "files": names,
        }
        if case.base.region:
            row["region"] = case.base.region
        if case.agent:
            row["agent"] = True
        if case.options:
            row["options"] = case.options
        rows.append(row)
        truth = {
            **row,
            "perturbation": case.perturbation,
            "expected_verdict": case.expected,
            "expected_missing": case.expected_missing,
        }
        (out / "truth").mkdir(parents=True, exist_ok=True)
        (out / "truth" / f"{case.case_id}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), "utf-8")
    manifest = out / "manifest.yaml"
    manifest.write_text(yaml.safe_dump({"cases": rows}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return manifest
