"""Template families: for each main document type, independent layouts that differ the way real
issuers differ, each under its own name in the truth. `base` is the original generator
(synth/documents.py) and draws exactly as before; which families rules may be tuned on and which are
only ever reported on is data (split.yaml)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel

from synth.build import Context, render
from synth.documents import Rendered
from synth.families import (
    discharge,
    expense_class_totals,
    expense_list,
    filing_form,
    id_card,
    invoice,
    unseen,
    unseen2,
    unseen3,
    unseen4,
    unseen5,
    unseen6,
    unseen7,
    unseen8,
    unseen9,
    unseen10,
    unseen11,
    unseen12,
)
from synth.families.common import Family, Look

# The base family's render kind per document type and side.
BASE_KINDS = {
    ("invoice", None): "invoice",
    ("discharge_record", None): "discharge_record",
    ("expense_list", None): "expense_list",
    ("id_card", "front"): "id_front",
    ("id_card", "back"): "id_back",
    ("filing_form", None): "filing_form_hz_long_stay",
}
DOC_TYPES = ("invoice", "discharge_record", "expense_list", "id_card", "filing_form")
# The sets written blind to the rules, in the order they were written (the last is split.yaml's unseen part).
BLIND_SETS = (
    unseen,
    unseen2,
    unseen3,
    unseen4,
    unseen5,
    unseen6,
    unseen7,
    unseen8,
    unseen9,
    unseen10,
    unseen11,
    unseen12,
)
# Families drawn in a module of their own rather than by their type's layout function.
OWN_MODULE: dict[str, list[Family]] = {"expense_list": expense_class_totals.FAMILIES}


def _base(doc_type: str) -> Family:
    sides: tuple[str | None, ...] = ("front", "back") if doc_type == "id_card" else (None,)

    def draw(ctx: Context, side: str | None, look: Look) -> Rendered:
        return render(BASE_KINDS[(doc_type, side)], ctx)

    return Family("base", doc_type, "原生成器（synth/documents.py）", draw, sides=sides, variants=("scan", "photo"))


FAMILIES: dict[str, dict[str, Family]] = {
    doc_type: {
        f.name: f
        for f in [
            _base(doc_type),
            *module.FAMILIES,
            *OWN_MODULE.get(doc_type, []),
            *(f for blind in BLIND_SETS for f in blind.FAMILIES[doc_type]),
        ]
    }
    for doc_type, module in zip(DOC_TYPES, (invoice, discharge, expense_list, id_card, filing_form), strict=True)
}


class TypeSplit(BaseModel):
    tune: list[str]
    held_out: list[str]
    unseen: list[str] = []

    def parts(self) -> list[list[str]]:
        return [self.tune, self.held_out, self.unseen]


SPLIT_FILE = Path(__file__).parent / "split.yaml"


def split_stamp() -> str:
    """A digest of split.yaml and of the generator's code: a set or case folder made under another split
    holds other families under the same file names and seeds (a set moved from unseen to held-out), and
    one made by other generator code other documents or truths under the same names (a family's truth
    mended, a case's expected verdict with it), so it is made again."""
    digest = hashlib.sha256(SPLIT_FILE.read_bytes())
    for path in sorted(Path(__file__).parent.parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def family_split() -> dict[str, TypeSplit]:
    """split.yaml, checked: every family named exists, none is in two parts (tuned on, held out,
    unseen), and every registered family is in one of them."""
    raw = yaml.safe_load(SPLIT_FILE.read_text(encoding="utf-8"))
    split = {doc_type: TypeSplit.model_validate(v) for doc_type, v in raw.items()}
    for doc_type, families in FAMILIES.items():
        part = split[doc_type]
        named = [name for names in part.parts() for name in names]
        if len(named) != len(set(named)) or set(named) != set(families):
            raise ValueError(
                f"split.yaml: {doc_type} must put each of {sorted(families)} in tune, held_out or unseen, once"
            )
    return split


def families_in(part: str) -> list[Family]:
    """The families of one part of the split ("tune", "held_out" or "unseen"), type by type."""
    return [FAMILIES[t][name] for t, s in family_split().items() for name in getattr(s, part)]
