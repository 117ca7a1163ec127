"""SQLAlchemy 2 typed ORM models. Alembic migrations (db/migrations) must produce exactly this schema:
tests/test_db.py compares them.

Times are timezone-aware UTC. Personal data (field values, file names) lives only here and in the
object store, never in logs.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

# Named constraints: Alembic can then alter them by name on PostgreSQL and in SQLite batch mode.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        dt.datetime: DateTime(timezone=True),
    }


class CaseState(StrEnum):
    open = "open"  # accepting uploads
    processing = "processing"  # submitted: the case flow is running
    decided = "decided"  # the flow's verdict is stored
    in_review = "in_review"  # a clerk holds a review task on it (issue 31)
    closed = "closed"


class Role(StrEnum):
    clerk = "clerk"
    supervisor = "supervisor"


class TokenKind(StrEnum):
    upload = "upload"  # reaches one case only (case_id set)
    session = "session"  # a signed-in staff member (user_id set)
    api = "api"  # a staff member's key for a scanning station (user_id set)


class ReviewState(StrEnum):
    open = "open"
    leased = "leased"
    done = "done"
    cancelled = "cancelled"


class AuditSource(StrEnum):
    reader = "reader"  # OCR and extraction
    rule = "rule"  # the validator's verdict
    clerk = "clerk"  # a person in the back office
    applicant = "applicant"  # an upload or a withdrawal through the service
    system = "system"


def _check_in(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (CheckConstraint(_check_in("state", CaseState), name="state"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the case id (CaseResult.case.case_id)
    item_id: Mapped[str] = mapped_column(String(100), index=True)
    item_name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(100))
    agent: Mapped[bool] = mapped_column(Boolean, default=False)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    case_date: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default=CaseState.open.value, index=True)
    verdict: Mapped[str | None] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)  # the latest case_versions.version
    created_by: Mapped[str] = mapped_column(String(100))  # channel or staff name, never a secret
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    files: Mapped[list[FileRow]] = relationship(back_populates="case", order_by="FileRow.id")
    documents: Mapped[list[DocumentRow]] = relationship(
        back_populates="case", order_by="DocumentRow.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list[CaseVersionRow]] = relationship(order_by="CaseVersionRow.version")


class FileRow(Base):
    """One uploaded original. Withdrawn files stay (their original stays in the archive)."""

    __tablename__ = "files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # the API's file_id
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    object_key: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[bool | None] = mapped_column(Boolean)  # the instant answer; None: not judged alone
    issues: Mapped[list[Any]] = mapped_column(default=list)  # [{code, message}] of the instant answer
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawn_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    case: Mapped[CaseRow] = relationship(back_populates="files")
    documents: Mapped[list[DocumentRow]] = relationship(back_populates="file", order_by="DocumentRow.position")


class DocumentRow(Base):
    """One document the reader found in a file (a file may hold several)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the case
    source: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str | None] = mapped_column(String(64))
    pages: Mapped[list[Any]] = mapped_column(default=list)
    doc_type: Mapped[str] = mapped_column(String(40), index=True)
    side: Mapped[str | None] = mapped_column(String(10))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    is_copy: Mapped[bool | None] = mapped_column(Boolean)
    copy_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    has_seal: Mapped[bool] = mapped_column(Boolean, default=False)
    # The rest of the reader's Document (candidates, seal boxes and texts, checks, errors), as its JSON.
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)

    case: Mapped[CaseRow] = relationship(back_populates="documents")
    file: Mapped[FileRow | None] = relationship(back_populates="documents")
    fields: Mapped[list[FieldRow]] = relationship(
        back_populates="document", order_by="FieldRow.id", cascade="all, delete-orphan"
    )


class FieldRow(Base):
    __tablename__ = "fields"
    __table_args__ = (UniqueConstraint("document_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    value: Mapped[Any] = mapped_column(JSON)  # as extracted (text, number, list); a clerk's edit is audited
    raw: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    page: Mapped[int | None] = mapped_column(Integer)
    bbox: Mapped[list[Any] | None]
    repaired: Mapped[bool] = mapped_column(Boolean, default=False)

    document: Mapped[DocumentRow] = relationship(back_populates="fields")


class CaseVersionRow(Base):
    """A snapshot per judged change (upload, withdrawal, submission, a clerk's decision)."""

    __tablename__ = "case_versions"
    __table_args__ = (UniqueConstraint("case_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(20))
    snapshot: Mapped[dict[str, Any]]  # the Verdict's JSON: status, missing, reasons, notice
    cause: Mapped[str] = mapped_column(String(40))  # upload, withdraw, submit, batch, review
    flow_run_id: Mapped[str | None] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_check_in("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2 (pwdlib)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ApiTokenRow(Base):
    """Bearer tokens, stored only as their SHA-256: a leaked table opens nothing."""

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint(_check_in("kind", TokenKind), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[UserRow | None] = relationship()


class ReviewTaskRow(Base):
    """A case waiting for a clerk. A lease (holder + expiry) is the only way a task leaves the queue."""

    __tablename__ = "review_tasks"
    __table_args__ = (
        CheckConstraint(_check_in("state", ReviewState), name="state"),
        Index("ix_review_tasks_queue", "state", "priority", "deadline"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=ReviewState.open.value)
    priority: Mapped[int] = mapped_column(Integer, default=0)  # higher first
    deadline: Mapped[dt.datetime | None]
    lease_holder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lease_expires_at: Mapped[dt.datetime | None]
    reasons: Mapped[list[Any]] = mapped_column(default=list)  # the reason codes that sent it to review
    # Postponed (waiting for the applicant, a phone call…): not offered again before this time (0002).
    not_before: Mapped[dt.datetime | None]
    note: Mapped[str | None] = mapped_column(String(300))  # the last release/postpone reason (0002)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AuditEventRow(Base):
    """Append-only history: one row per change with actor, time, before and after. Never updated."""

    __tablename__ = "audit_events"
    __table_args__ = (CheckConstraint(_check_in("source", AuditSource), name="source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    field: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20))


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(AuditEventRow, "before_update")
@event.listens_for(AuditEventRow, "before_delete")
def _refuse_history_change(mapper: Mapper[Any], connection: Any, target: AuditEventRow) -> None:
    """Nothing updates history in place: a correction is a new event."""
    raise AppendOnlyError("audit events are append-only")
