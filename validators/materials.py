"""Which required materials a case's documents satisfy, and in what form."""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.catalog import Material, MaterialForm, SealKind, ServiceItem
from intake.models import DocType, Document, Side
from validators.names import INTERPUNCT, canonical_name


@dataclass
class MaterialStatus:
    material: Material
    documents: list[int] = field(default_factory=list)  # indexes into case.documents
    missing: bool = False
    missing_detail: str = ""
    copy_only: bool = False  # an original is required and every matching document is a copy
    original_uncertain: bool = False
    seal_missing: bool = False
    seal_texts: list[str] = field(default_factory=list)  # the seals read, where none is the kind required
    # Short of people only because a card's holder was not read: that card may be the person counted short.
    holder_unread: bool = False


def person_key(doc: Document) -> str | None:
    """The person a document belongs to: its ID number when read, else the name (without its interpunct,
    in whatever form it was read: `validators.names`), so one person's readings never count as two."""
    for name in ("id_number", "name", "applicant_name", "payer_name", "patient_name"):
        found = doc.fields.get(name)
        if found and found.value:
            value = str(found.value)
            return value if name == "id_number" else canonical_name(value).replace(INTERPUNCT, "")
    return None


def _usable(doc: Document, min_confidence: float) -> bool:
    return bool(doc.confidence >= min_confidence and not doc.errors)


def assess_materials(
    item: ServiceItem, documents: list[Document], options: dict[str, str], min_confidence: float
) -> list[MaterialStatus]:
    result: list[MaterialStatus] = []
    for material in item.materials:
        if not material.applies(options):
            continue
        status = MaterialStatus(material=material)
        status.documents = [
            i for i, doc in enumerate(documents) if doc.doc_type in material.accepts and _usable(doc, min_confidence)
        ]
        matched = [documents[i] for i in status.documents]
        count = _count(matched, material)
        if count < material.min_count:
            status.missing = True
            if material.min_count > 1 and count:
                status.missing_detail = f"需要{material.min_count}份，仅识别到{count}份"
            else:
                status.missing_detail = _requirement(material)
            status.holder_unread = material.distinct_people and _people_at_most(matched) >= material.min_count
        if matched and material.form is MaterialForm.original:
            # Where the material is one per person (both parties' ID cards), each person's needs an original.
            for group in _by_person(matched) if material.distinct_people else [matched]:
                if _a_side_only_copied(group):
                    status.copy_only = True
                elif not any(doc.is_copy is False for doc in group):
                    status.original_uncertain = True
        if matched and material.seal is not None and not any(doc.has_seal for doc in matched):
            status.seal_missing = True
        elif matched and material.seal is not None:
            status.seal_texts = _other_seals(matched, material.seal)
        result.append(status)
    return result


def _people_at_most(matched: list[Document]) -> int:
    """The people the documents may be of: those told apart by number or name, plus every card front whose
    holder was read by neither (a watermark or glare across both), since each may be a person not yet counted.
    Such a card's unread fields fail their own checks, so the case is looked at either way."""
    fronts = [d for d in matched if d.doc_type is not DocType.id_card or d.side is not Side.back]
    keys = [person_key(d) for d in fronts]
    return len({k for k in keys if k is not None}) + sum(
        1 for d, k in zip(fronts, keys, strict=True) if k is None and d.doc_type is DocType.id_card
    )


def _count(matched: list[Document], material: Material) -> int:
    if not material.distinct_people:
        return len(matched)
    # Front and back of one ID card are one person, not two.
    people = {person_key(d) for d in matched if d.doc_type is not DocType.id_card or d.side is not Side.back}
    return len({p for p in people if p is not None}) or min(len(matched), 1)


# Words a seal's text carries when it is of the required kind, and the purposes a seal may name. Only a
# seal whose purpose was read (…业务专用章, …公章) is judged: a garbled reading says nothing either way.
SEAL_WORDS: dict[SealKind, tuple[str, ...]] = {SealKind.hospital_charge: ("收费专用章",)}
SEAL_PURPOSES = ("收费专用章", "业务专用章", "财务专用章", "合同专用章", "发票专用章", "电子票据专用章", "公章")


def _other_seals(matched: list[Document], kind: SealKind) -> list[str]:
    """The seals read on the documents when none of them is of the required kind (a 业务专用章 where the
    item asks for the hospital's 收费章); empty when one is, or when no seal's purpose could be read."""
    words = SEAL_WORDS.get(kind)
    read = [text for doc in matched for text in doc.seal_texts if any(p in text for p in SEAL_PURPOSES)]
    if not words or not read or any(word in text for text in read for word in words):
        return []
    return read


def _a_side_only_copied(group: list[Document]) -> bool:
    """Whether some side of the documents (an ID card's front or back; a document without sides is one
    side) was presented only as copies. A card is presented as an original when each side shown is the
    card's own: an original front beside a printed or photocopied back shows the front, not the card, and
    an extra photocopy beside the original of the same side takes nothing away."""
    sides: dict[Side | None, list[Document]] = {}
    for doc in group:
        sides.setdefault(doc.side, []).append(doc)
    return any(all(doc.is_copy is True for doc in docs) for docs in sides.values())


def _by_person(matched: list[Document]) -> list[list[Document]]:
    """The documents grouped by person; an ID card's back goes with the front before it (it has no name)."""
    groups: dict[str | None, list[Document]] = {}
    last: str | None = None
    for doc in matched:
        key = person_key(doc)
        if key is None and doc.doc_type is DocType.id_card and doc.side is Side.back:
            key = last
        groups.setdefault(key, []).append(doc)
        last = key
    return list(groups.values())


def _requirement(material: Material) -> str:
    parts = []
    if material.form is not MaterialForm.any:
        parts.append(f"需提交{material.form.value}")
    if material.electronic_ok:
        parts.append("可提交电子票据/电子材料")
    if material.seal is not None:
        parts.append(f"须加盖{material.seal.value}")
    if material.min_count > 1:
        parts.append(f"共{material.min_count}份")
    # The seed's own wording often says it already (原件或复印件, 加盖医院收费章): say only what it doesn't.
    return "，".join(p for p in parts if p.removeprefix("需提交").removeprefix("须加盖") not in material.name)


def unexpected_documents(item: ServiceItem, documents: list[Document]) -> list[int]:
    accepted = {t for m in item.materials for t in m.accepts}
    return [i for i, doc in enumerate(documents) if doc.doc_type not in accepted and not doc.errors]
