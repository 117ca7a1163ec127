"""The verdict on a case: complete, incomplete (with the missing list), needs review, rejected.

Stage contract: `judge(case, item, thresholds) -> Verdict`. Never reports `complete` while any
document carries an error, a failed self-check, or a doubt.
"""

from __future__ import annotations

from pathlib import PurePath

from intake.catalog import Prohibition, ProhibitionCheck, ServiceItem
from intake.idnumber import age_on
from intake.models import Case, DocType, Document, MissingMaterial, Reason, Verdict, VerdictStatus
from intake.reasons import Code, reason
from intake.settings import Thresholds
from validators.cross import PAYEE, duplicates, identity_cards, payees_borne_out, same_person, totals_and_dates
from validators.materials import assess_materials, unexpected_documents
from validators.names import known_name, same_name
from validators.notice import one_time_notice


def case_options(case: Case) -> dict[str, str]:
    return {**case.options, "agent": "true" if case.agent else "false"}


# Fields a document prints that no check of the case reads: the verdict does not depend on them, so one
# read unsurely does not hold the case (the document still carries its confidence, and the review screen
# flags it wherever the document is shown). An ID card's sex and birth date are printed forms of the ID
# number, which the id_sex and id_birth_date self-checks compare them with (a misreading fails the check);
# its ethnicity and issuing authority are recorded, not judged, and the address is read only by a
# household prohibition (`household_read`). A filing form's title only names the form. What a filing
# form says of the filing (type, places, start, phone) is what the office registers from a case it
# accepts unseen, so it holds the case like every field of an invoice, expense list or discharge record
# and every name and ID number.
NOT_JUDGED: dict[DocType, frozenset[str]] = {
    DocType.id_card: frozenset({"sex", "birth_date", "ethnicity", "address", "issuing_authority"}),
    DocType.filing_form: frozenset({"form_title"}),
}


def household_read(item: ServiceItem) -> bool:
    """Whether a prohibition of the item reads the applicant's household address."""
    return any(rule.check is ProhibitionCheck.household_outside for rule in item.prohibitions)


_ABSENT = frozenset({Code.field_missing.value, Code.field_unread.value})


def _not_judged(doc: Document, address_read: bool) -> frozenset[str]:
    skip = NOT_JUDGED.get(doc.doc_type, frozenset())
    return skip - {"address"} if address_read else skip


def judged_weak_fields(
    doc: Document, min_confidence: float, address_read: bool = True, borne_out: frozenset[str] = frozenset()
) -> list[str]:
    """The fields read below `min_confidence` that a check of the case reads (`NOT_JUDGED`), but those
    another document of the case bears out (`borne_out`: `validators.cross.payees_borne_out`)."""
    skip = _not_judged(doc, address_read) | borne_out
    return sorted(n for n, f in doc.fields.items() if f.confidence < min_confidence and n not in skip)


def document_reasons(
    index: int,
    doc: Document,
    thresholds: Thresholds,
    address_read: bool = True,
    borne_out: frozenset[str] = frozenset(),
) -> list[Reason]:
    reasons = [r.model_copy(update={"document": index}) for r in doc.errors]
    if doc.errors:
        return reasons
    if doc.confidence < thresholds.min_classification_confidence or (len(doc.candidates) > 1 and _close(doc)):
        names = "、".join(c.doc_type.value for c in doc.candidates[:2])
        reasons.append(reason(Code.low_classification_confidence, f"第{index + 1}份材料（候选：{names}）", index))
    skip = _not_judged(doc, address_read)
    for check in doc.checks:
        # A field not read at all is as much a clerk's business as one read unsurely, and as little where
        # no check of the case reads it; any other failed check (a sex disagreeing with the ID number)
        # says the document itself may be wrong, and holds the case.
        if check.code in _ABSENT and check.fields and set(check.fields) <= skip:
            continue
        if not check.ok:
            reasons.append(reason(Code.self_check_failed, f"第{index + 1}份材料：{check.message}", index))
    weak = judged_weak_fields(doc, thresholds.min_field_confidence, address_read, borne_out)
    if weak:
        reasons.append(reason(Code.low_field_confidence, f"第{index + 1}份材料：{'、'.join(weak)}", index))
    return reasons


def _close(doc: Document) -> bool:
    best, second = doc.candidates[0].score, doc.candidates[1].score
    return best > 0 and (best - second) / best < 0.15


def prohibition_hits(item: ServiceItem, case: Case) -> list[Reason]:
    options = case_options(case)
    hits: list[Reason] = []
    applicant = _applicant_documents(case)
    for rule in item.prohibitions:
        if rule.check is ProhibitionCheck.none or (rule.when and not rule.when.holds(options)):
            continue
        if any(_violates(rule, card, case) for card in applicant):
            hits.append(reason(Code.prohibition_hit, rule.text))
    return hits


def _applicant_documents(case: Case) -> list[Document]:
    """The applicant's identity documents: ID card front and social security card, both carry the ID number
    a prohibition on age reads (only the ID card has the address)."""
    cards = [case.documents[i] for i in identity_cards(case.documents)]
    cards += [d for d in case.documents if d.doc_type is DocType.social_security_card and not d.errors]
    if not cards:
        return []
    # With an agent, the applicant is the person whose name the case's other documents carry.
    names = {
        str(f.value)
        for d in case.documents
        for key in ("applicant_name", "payer_name", "patient_name")
        if (f := d.fields.get(key)) is not None
    }
    card_names = [str(f.value) if (f := card.fields.get("name")) else None for card in cards]
    applicant = next((n for n in card_names if n is not None and known_name(n, names)), card_names[0])
    return [
        card
        for card, name in zip(cards, card_names, strict=True)
        if name == applicant or (name is not None and applicant is not None and same_name(name, applicant))
    ]


def _violates(rule: Prohibition, card: Document, case: Case) -> bool:
    if rule.check in (ProhibitionCheck.min_age, ProhibitionCheck.max_age):
        number = card.fields.get("id_number")
        if number is None:
            return False
        age = age_on(str(number.value), case.case_date)
        limit = int(rule.value)
        return age < limit if rule.check is ProhibitionCheck.min_age else age > limit
    if rule.check is ProhibitionCheck.household_outside:
        address = card.fields.get("address")
        if address is None:
            return False
        allowed = [a.strip() for a in rule.value.split(",") if a.strip()]
        return not any(a in str(address.value) for a in allowed)
    return False


def _may_be_missing(doc: Document, thresholds: Thresholds) -> bool:
    """A file that could not be read, or a page whose type was read unsure (an ID card in glare taken for
    `other` at 0.50), may be the material the case lacks: the case goes to a clerk, who looks at it,
    instead of the applicant being told to bring what they may have brought."""
    return bool(doc.errors) or doc.confidence < thresholds.min_classification_confidence


def judge(case: Case, item: ServiceItem, thresholds: Thresholds) -> Verdict:
    options = case_options(case)
    reasons: list[Reason] = list(case.errors)
    address_read = household_read(item)
    payees = payees_borne_out(case.documents, thresholds.min_field_confidence)
    for i, doc in enumerate(case.documents):
        borne_out = frozenset({PAYEE}) if i in payees else frozenset()
        reasons.extend(document_reasons(i, doc, thresholds, address_read, borne_out))
    statuses = assess_materials(item, case.documents, options, thresholds.min_classification_confidence)
    missing = [MissingMaterial(material=s.material.name, detail=s.missing_detail) for s in statuses if s.missing]
    for s in statuses:
        if s.copy_only:
            reasons.append(reason(Code.copy_not_original, s.material.name))
        if s.original_uncertain:
            reasons.append(reason(Code.original_uncertain, s.material.name))
        if s.seal_missing:
            reasons.append(reason(Code.seal_missing, f"{s.material.name}（须加盖{s.material.seal}）"))
        if s.seal_texts:
            seen = "、".join(s.seal_texts)
            detail = f"{s.material.name}（须加盖{s.material.seal}，读到：{seen}）"
            reasons.append(reason(Code.seal_kind_mismatch, detail))
    for i in unexpected_documents(item, case.documents):
        reasons.append(reason(Code.unexpected_document, f"第{i + 1}份材料", i))
    reasons += same_person(case.documents, case.agent)
    reasons += totals_and_dates(case.documents)
    reasons += duplicates(case.documents)
    hits = prohibition_hits(item, case)
    if hits:
        status = VerdictStatus.rejected
        reasons = hits + reasons
    elif missing and (
        any(_may_be_missing(doc, thresholds) for doc in case.documents) or any(s.holder_unread for s in statuses)
    ):
        status = VerdictStatus.needs_review
    elif missing:
        status = VerdictStatus.incomplete
    elif reasons:
        status = VerdictStatus.needs_review
    else:
        status = VerdictStatus.complete
    unusable = [
        (PurePath(doc.source).name, error.message)
        for doc in case.documents
        for error in doc.errors
        if error.code != Code.processing_error.value
    ]
    notice = one_time_notice(item, status, missing, statuses, hits, unusable)
    return Verdict(status=status, missing=missing, reasons=reasons, notice=notice)
