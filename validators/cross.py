"""Checks across the documents of one case: same person, totals, dates, duplicates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from intake.idnumber import is_valid
from intake.models import DocType, Document, Reason, Side
from intake.reasons import Code, reason
from validators.names import distinct_names, known_name

# Hospitals print the invoice at discharge settlement, sometimes a few days after leaving.
INVOICE_AFTER_DISCHARGE_DAYS = 7

PERSON_FIELDS: dict[DocType, str] = {
    DocType.invoice: "payer_name",
    DocType.discharge_record: "patient_name",
    DocType.expense_list: "patient_name",
    DocType.filing_form: "applicant_name",
    DocType.social_security_card: "name",
}


def _value(doc: Document, name: str) -> str | None:
    found = doc.fields.get(name)
    return str(found.value) if found and found.value not in (None, "") else None


def _date(doc: Document, name: str) -> dt.date | None:
    value = _value(doc, name)
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _amount(doc: Document, name: str) -> Decimal | None:
    value = _value(doc, name)
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def identity_cards(documents: list[Document]) -> list[int]:
    return [
        i for i, d in enumerate(documents) if d.doc_type is DocType.id_card and d.side is not Side.back and not d.errors
    ]


def card_holders(documents: list[Document], cards: list[int]) -> int:
    """How many people the ID card fronts `cards` are of, by their names and their ID numbers. Two fronts
    are two people where their names are different names (`validators.names.same_name`), or where both
    numbers were read whole with a check digit that holds and differ: a citizen keeps one number for
    life, on every card issued to them, and a misreading that still satisfies the check digit is one in
    eleven of the rare misreadings, so two valid numbers are two people even where a name was not read
    (glare, a watermark across it). A card whose name and number were both missed counts for no one."""
    names = distinct_names(sorted({n for i in cards if (n := _value(documents[i], "name")) is not None}))
    numbers = {n for i in cards if (n := _value(documents[i], "id_number")) is not None and is_valid(n)}
    return max(len(names), len(numbers))


def same_person(documents: list[Document], agent: bool) -> list[Reason]:
    """Names and ID numbers on the case's documents belong to the applicant's ID card(s). Names are
    compared as `validators.names.same_name` reads them: one name whatever form its interpunct took.
    Without an agent, the ID cards of more than one person (`card_holders`) are a mismatch."""
    cards = identity_cards(documents)
    card_names = {name for i in cards if (name := _value(documents[i], "name")) is not None}
    card_ids = {_value(documents[i], "id_number") for i in cards} - {None}
    reasons: list[Reason] = []
    names: dict[str, int] = {}
    for i, doc in enumerate(documents):
        field = PERSON_FIELDS.get(doc.doc_type)
        name = _value(doc, field) if field else None
        if name and not known_name(name, set(names)):
            names[name] = i
    if card_names:
        for name, i in names.items():
            if not known_name(name, card_names):
                reasons.append(reason(Code.name_mismatch, f"第{i + 1}份材料与身份证不一致", document=i))
    elif len(names) > 1:
        reasons.append(reason(Code.name_mismatch, f"共出现{len(names)}个不同姓名"))
    if not agent and card_holders(documents, cards) > 1:
        reasons.append(reason(Code.name_mismatch, "提交了多人的身份证，但未选择委托他人办理"))
    for i, doc in enumerate(documents):
        if doc.doc_type in (DocType.filing_form, DocType.social_security_card):
            number = _value(doc, "id_number")
            if number and card_ids and number not in card_ids:
                reasons.append(reason(Code.id_number_mismatch, f"第{i + 1}份材料与身份证不一致", document=i))
    return reasons


def totals_and_dates(documents: list[Document]) -> list[Reason]:
    invoices = [d for d in documents if d.doc_type is DocType.invoice and not d.errors]
    lists = [d for d in documents if d.doc_type is DocType.expense_list and not d.errors]
    stays = [d for d in documents if d.doc_type is DocType.discharge_record and not d.errors]
    reasons: list[Reason] = []
    invoice_totals = [a for a in (_amount(d, "total_amount") for d in invoices) if a is not None]
    list_totals = [a for a in (_amount(d, "total_amount") for d in lists) if a is not None]
    if invoice_totals and list_totals and sum(invoice_totals) != sum(list_totals):
        reasons.append(
            reason(Code.invoice_total_mismatch, f"发票合计 {sum(invoice_totals)} 元，清单合计 {sum(list_totals)} 元")
        )
    for stay in stays:
        start, end = _date(stay, "admission_date"), _date(stay, "discharge_date")
        if not start or not end:
            continue
        latest = end + dt.timedelta(days=INVOICE_AFTER_DISCHARGE_DAYS)
        for doc in invoices:
            issued = _date(doc, "issue_date")
            if issued and not start <= issued <= latest:
                reasons.append(reason(Code.invoice_date_outside_stay, f"开票日期 {issued}，住院 {start} 至 {end}"))
    return reasons


def duplicates(documents: list[Document]) -> list[Reason]:
    seen: dict[tuple[str, ...], int] = {}
    reasons: list[Reason] = []
    for i, doc in enumerate(documents):
        keys: list[tuple[str, ...]] = []
        code, number = _value(doc, "invoice_code"), _value(doc, "invoice_number")
        if doc.doc_type is DocType.invoice and number:
            # The same invoice scanned twice has two file hashes; its own identity is code + number.
            keys.append(("invoice", code or "", number))
        if doc.sha256:
            keys.append(("file", doc.sha256, ",".join(map(str, doc.pages))))
        for key in keys:
            if key in seen:
                reasons.append(reason(Code.duplicate_document, f"第{i + 1}份与第{seen[key] + 1}份重复", document=i))
                break
            seen[key] = i
    return reasons


# The unit a bill is paid to, and where the other documents of the same stay or visit name their hospital.
PAYEE = "payee"
HOSPITAL_FIELDS: dict[DocType, str] = {
    DocType.discharge_record: "hospital",
    DocType.expense_list: "hospital",
}


def payees_borne_out(documents: list[Document], min_confidence: float) -> set[int]:
    """The bills whose payee, read unsurely, is word for word the hospital another document of the case
    names as its own and reads surely (a discharge record's or expense list's name over its title). A bill
    printing no payee of its own is read for the hospital it names (its letterhead, 医疗机构: most likely,
    not surely, the payee); the record of the stay it bills, read apart on another page, naming the same
    hospital bears out both the reading and the guess: one misread character, or a bill of another
    hospital, would not be the same name."""
    named = {
        value
        for doc in documents
        if (key := HOSPITAL_FIELDS.get(doc.doc_type)) is not None
        and not doc.errors
        and (found := doc.fields.get(key)) is not None
        and found.confidence >= min_confidence
        and (value := str(found.value))
    }
    return {
        i
        for i, doc in enumerate(documents)
        if doc.doc_type is DocType.invoice
        and (payee := doc.fields.get(PAYEE)) is not None
        and payee.confidence < min_confidence
        and str(payee.value) in named
    }
