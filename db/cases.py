"""Repository functions for cases: the only code that writes case state. The caller owns the
transaction (commits or rolls back); every change here also appends an audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    ApiTokenRow,
    AuditEventRow,
    AuditSource,
    CaseRow,
    CaseState,
    CaseVersionRow,
    DocumentRow,
    FieldRow,
    FileRow,
    TokenKind,
    UserRow,
    utcnow,
)
from intake.models import Case, Document, ExtractedField, StoredOriginal, Verdict
from intake.requests import CaseResult, ItemRef


def hash_token(token: str) -> str:
    """Tokens are long random strings: a plain SHA-256 is enough (no password stretching needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def audit(
    session: Session,
    action: str,
    *,
    actor: str,
    source: AuditSource,
    case_id: str | None = None,
    document_id: int | None = None,
    field: str | None = None,
    before: Any = None,
    after: Any = None,
) -> None:
    session.add(
        AuditEventRow(
            action=action,
            actor=actor,
            source=source.value,
            case_id=case_id,
            document_id=document_id,
            field=field,
            before=before,
            after=after,
        )
    )


def create_case(
    session: Session,
    *,
    case_id: str,
    item: ItemRef,
    agent: bool,
    options: dict[str, str],
    case_date: dt.date,
    actor: str,
    state: CaseState = CaseState.open,
) -> CaseRow:
    row = CaseRow(
        id=case_id,
        item_id=item.id,
        item_name=item.name,
        region=item.region,
        agent=agent,
        options=options,
        case_date=case_date,
        state=state.value,
        created_by=actor,
    )
    session.add(row)
    session.flush()  # the audit row refers to it, and the unit of work does not know that
    audit(session, "case_created", actor=actor, source=AuditSource.system, case_id=case_id, after={"item": item.id})
    return row


def new_case_id() -> str:
    return f"case-{uuid.uuid4().hex[:16]}"


def issue_upload_token(session: Session, case_id: str) -> str:
    """A bearer token that reaches this one case; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    session.add(ApiTokenRow(token_hash=hash_token(token), kind=TokenKind.upload.value, case_id=case_id))
    return token


def token_row(session: Session, token: str) -> ApiTokenRow | None:
    """The live token row (not revoked, not expired) for a presented bearer token."""
    row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and _aware(row.expires_at) <= utcnow():
        return None
    return row


def staff_user(row: ApiTokenRow) -> UserRow | None:
    """The active staff member behind a session or API token (issue 31 issues them)."""
    if row.kind not in (TokenKind.session.value, TokenKind.api.value) or row.user is None:
        return None
    return row.user if row.user.active else None


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def get_case(session: Session, case_id: str) -> CaseRow | None:
    return session.get(CaseRow, case_id)


def active_files(case: CaseRow) -> list[FileRow]:
    return [f for f in case.files if not f.withdrawn]


def find_file(case: CaseRow, public_id: str) -> FileRow | None:
    return next((f for f in case.files if f.public_id == public_id), None)


def active_file_with_hash(case: CaseRow, sha256: str) -> FileRow | None:
    return next((f for f in active_files(case) if f.sha256 == sha256), None)


def document_row(doc: Document, position: int, file: FileRow | None) -> DocumentRow:
    detail = doc.model_dump(mode="json", include={"candidates", "seal_boxes", "seal_texts", "checks", "errors"})
    row = DocumentRow(
        position=position,
        file=file,
        source=doc.source,
        sha256=doc.sha256,
        pages=list(doc.pages),
        doc_type=doc.doc_type.value,
        side=doc.side.value if doc.side else None,
        confidence=doc.confidence,
        is_copy=doc.is_copy,
        copy_confidence=doc.copy_confidence,
        has_seal=doc.has_seal,
        detail=detail,
    )
    for name, extracted in doc.fields.items():
        data = extracted.model_dump(mode="json")
        row.fields.append(
            FieldRow(
                name=name,
                value=data["value"],
                raw=data["raw"],
                confidence=data["confidence"],
                page=data["page"],
                bbox=data["bbox"],
                repaired=data["repaired"],
            )
        )
    return row


def document_from(row: DocumentRow) -> Document:
    fields = {
        f.name: ExtractedField(
            value=f.value,
            raw=f.raw,
            confidence=f.confidence,
            page=f.page,
            bbox=tuple(f.bbox) if f.bbox else None,
            repaired=f.repaired,
        )
        for f in row.fields
    }
    return Document.model_validate(
        {
            **row.detail,
            "source": row.source,
            "sha256": row.sha256,
            "pages": row.pages,
            "doc_type": row.doc_type,
            "side": row.side,
            "confidence": row.confidence,
            "is_copy": row.is_copy,
            "copy_confidence": row.copy_confidence,
            "has_seal": row.has_seal,
            "fields": fields,
        }
    )


def file_row(stored: StoredOriginal, *, accepted: bool | None, issues: list[dict[str, str]] | None = None) -> FileRow:
    """The row of an original kept in the object store; `accepted` is the instant answer, None when the
    file came with a batch case (no instant answer was given)."""
    return FileRow(
        public_id=uuid.uuid4().hex,
        sha256=stored.sha256,
        object_key=stored.key,
        original_name=stored.source,
        content_type=stored.content_type,
        size=stored.size,
        accepted=accepted,
        issues=issues if issues is not None else [],
    )


def add_file(
    session: Session,
    case: CaseRow,
    stored: StoredOriginal,
    *,
    accepted: bool,
    issues: list[dict[str, str]],
    documents: list[Document],
    actor: str,
) -> FileRow:
    """An uploaded original with the reader's documents and the instant answer (accepted, issues)."""
    file = file_row(stored, accepted=accepted, issues=issues)
    case.files.append(file)
    start = max((d.position for d in case.documents), default=-1) + 1
    for offset, doc in enumerate(documents):
        case.documents.append(document_row(doc, start + offset, file))
    session.flush()
    audit(
        session,
        "file_added",
        actor=actor,
        source=AuditSource.reader,
        case_id=case.id,
        after={
            "file_id": file.public_id,
            "sha256": file.sha256,
            "accepted": accepted,
            "issues": [i["code"] for i in issues],
            "documents": [d.doc_type.value for d in documents],
        },
    )
    return file


def withdraw_file(session: Session, case: CaseRow, file: FileRow, actor: str) -> None:
    """The file leaves the case; its row, documents and archived original stay (marked withdrawn)."""
    file.withdrawn = True
    file.withdrawn_at = utcnow()
    audit(
        session,
        "file_withdrawn",
        actor=actor,
        source=AuditSource.applicant,
        case_id=case.id,
        before={"file_id": file.public_id, "withdrawn": False},
        after={"file_id": file.public_id, "withdrawn": True},
    )


def case_documents(case: CaseRow) -> list[DocumentRow]:
    """The case's documents in order, without those of withdrawn files."""
    return [d for d in case.documents if d.file is None or not d.file.withdrawn]


def case_model(case: CaseRow) -> Case:
    return Case(
        case_id=case.id,
        item_id=case.item_id,
        region=case.region,
        agent=case.agent,
        options=dict(case.options),
        case_date=case.case_date,
        documents=[document_from(d) for d in case_documents(case)],
    )


def originals(case: CaseRow) -> list[StoredOriginal]:
    return [
        StoredOriginal(
            source=f.original_name, sha256=f.sha256, key=f.object_key, size=f.size, content_type=f.content_type
        )
        for f in active_files(case)
    ]


def record_version(
    session: Session,
    case: CaseRow,
    verdict: Verdict,
    *,
    cause: str,
    actor: str,
    flow_run_id: str | None = None,
) -> CaseVersionRow:
    """A new numbered snapshot of the verdict; the case row points at it."""
    before = case.verdict
    case.version += 1
    case.verdict = verdict.status.value
    row = CaseVersionRow(
        case_id=case.id,
        version=case.version,
        verdict=verdict.status.value,
        snapshot=verdict.model_dump(mode="json"),
        cause=cause,
        actor=actor,
        flow_run_id=flow_run_id,
    )
    session.add(row)
    audit(
        session,
        "verdict",
        actor=actor,
        source=AuditSource.rule,
        case_id=case.id,
        before=before,
        after={"verdict": verdict.status.value, "version": case.version, "cause": cause},
    )
    return row


def latest_verdict(session: Session, case: CaseRow) -> Verdict | None:
    row = session.scalar(
        select(CaseVersionRow).where(CaseVersionRow.case_id == case.id, CaseVersionRow.version == case.version)
    )
    return Verdict.model_validate(row.snapshot) if row is not None else None


def record_case(
    session: Session, result: CaseResult, *, actor: str = "batch", cause: str = "batch", flow_run_id: str | None = None
) -> CaseRow:
    """Store a finished case result (batch flow, or a submitted service case): the case row (created
    when new), a file row per original not yet known, the flow's documents in place of the earlier
    ones, and a new version with the verdict. The case ends `decided`."""
    case = get_case(session, result.case.case_id)
    if case is None:
        case = create_case(
            session,
            case_id=result.case.case_id,
            item=result.item,
            agent=result.case.agent,
            options=result.case.options,
            case_date=result.case.case_date,
            actor=actor,
            state=CaseState.decided,
        )
        session.flush()
    by_hash = {f.sha256: f for f in active_files(case)}
    for stored in result.originals:
        if stored.sha256 not in by_hash:
            file = file_row(stored, accepted=None)
            case.files.append(file)
            by_hash[stored.sha256] = file
    # The flow read every file again as one case: its documents replace the instant answers' ones.
    case.documents.clear()
    session.flush()
    for position, doc in enumerate(result.case.documents):
        case.documents.append(document_row(doc, position, by_hash.get(doc.sha256 or "")))
    record_version(session, case, result.verdict, cause=cause, actor=actor, flow_run_id=flow_run_id)
    case.state = CaseState.decided.value
    session.flush()
    return case
