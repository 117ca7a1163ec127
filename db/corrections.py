"""A clerk's corrections to a case under review. Each changes the stored reading in place and
appends an audit event with before and after; the caller then judges the case again and stores the
verdict as a new version (earlier versions stay).

A value a clerk typed or confirmed is certain (confidence 1.0), and a self-check that failed on that
field is marked as checked by a person, not deleted: its code stays visible in the document's detail.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from db.cases import audit, case_documents
from db.models import AuditSource, CaseRow, DocumentRow, FieldRow, utcnow
from intake.models import DocType, Side

CLERK_CHECKED = "（已由工作人员核对）"


class StaleVersion(Exception):
    """The write was based on an earlier version of the case than the stored one."""


class NotInCase(LookupError):
    """No such document (by position) or field in the case."""


def claim_version(session: Session, case: CaseRow, expected: int) -> None:
    """Compare-and-set on the case's version: a no-op UPDATE that matches only while the case is still
    at `expected`. On PostgreSQL it also locks the row until commit, so of two writers based on the
    same version the second waits, then matches nothing; on SQLite writers are serialised anyway."""
    result = session.execute(
        update(CaseRow)
        .where(CaseRow.id == case.id, CaseRow.version == expected)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise StaleVersion


def document_at(case: CaseRow, position: int) -> DocumentRow:
    """The case's `position`-th document (0-based, withdrawn files' documents left out), as the
    verdict's reasons count them."""
    documents = case_documents(case)
    if not 0 <= position < len(documents):
        raise NotInCase
    return documents[position]


def _resolve_checks(document: DocumentRow, field: str) -> None:
    detail = dict(document.detail)
    checks = []
    for check in detail.get("checks", []):
        if not check.get("ok") and field in check.get("fields", []):
            check = {**check, "ok": True, "message": check["message"] + CLERK_CHECKED}
        checks.append(check)
    detail["checks"] = checks
    document.detail = detail  # a new dict: JSON columns are saved when reassigned


def correct_field(session: Session, case: CaseRow, position: int, name: str, value: Any, actor: str) -> FieldRow:
    """Set a field's value (a field the reader missed is added)."""
    document = document_at(case, position)
    field = next((f for f in document.fields if f.name == name), None)
    before = field.value if field is not None else None
    if field is None:
        field = FieldRow(name=name, value=value, raw=None, confidence=1.0, page=None, bbox=None)
        document.fields.append(field)
    field.value = value
    field.confidence = 1.0
    field.repaired = False
    _resolve_checks(document, name)
    session.flush()
    audit(
        session,
        "field_corrected",
        actor=actor,
        source=AuditSource.clerk,
        case_id=case.id,
        document_id=document.id,
        field=name,
        before=before,
        after=value,
    )
    return field


def confirm_field(session: Session, case: CaseRow, position: int, name: str, actor: str) -> FieldRow:
    """The clerk checked the value against the page: it stands as read."""
    document = document_at(case, position)
    field = next((f for f in document.fields if f.name == name), None)
    if field is None:
        raise NotInCase
    before = field.confidence
    field.confidence = 1.0
    _resolve_checks(document, name)
    audit(
        session,
        "field_confirmed",
        actor=actor,
        source=AuditSource.clerk,
        case_id=case.id,
        document_id=document.id,
        field=name,
        before={"confidence": before},
        after={"confidence": 1.0},
    )
    return field


def correct_document(
    session: Session, case: CaseRow, position: int, doc_type: DocType, side: Side | None, actor: str
) -> DocumentRow:
    """The clerk says what the document is (type, side): certain, with no competing candidate."""
    document = document_at(case, position)
    before = {"doc_type": document.doc_type, "side": document.side, "confidence": document.confidence}
    document.doc_type = doc_type.value
    document.side = side.value if side is not None else None
    document.confidence = 1.0
    document.detail = {
        **document.detail,
        "candidates": [{"doc_type": document.doc_type, "side": document.side, "score": 1.0}],
    }
    audit(
        session,
        "document_corrected",
        actor=actor,
        source=AuditSource.clerk,
        case_id=case.id,
        document_id=document.id,
        before=before,
        after={"doc_type": document.doc_type, "side": document.side, "confidence": 1.0},
    )
    return document


def material_seen(
    session: Session, case: CaseRow, material_id: str, accepts: list[DocType], actor: str
) -> list[DocumentRow]:
    """The applicant showed the original at the counter: the documents for this material count as
    originals (the reader could not tell, or saw a copy)."""
    wanted = {t.value for t in accepts}
    documents = [d for d in case_documents(case) if d.doc_type in wanted]
    if not documents:
        raise NotInCase
    for document in documents:
        document.is_copy = False
        document.copy_confidence = 1.0
    audit(
        session,
        "material_seen",
        actor=actor,
        source=AuditSource.clerk,
        case_id=case.id,
        after={"material": material_id, "documents": [d.position for d in documents]},
    )
    return documents
