"""The database layer on SQLite and on PostgreSQL: migrations match the models, a case result round-trips,
tokens are stored hashed, history is append-only."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from db import cases as repo
from db.migrate import MIGRATIONS, upgrade
from db.models import ApiTokenRow, AppendOnlyError, AuditEventRow, Base, CaseState, UserRow
from db.session import database_url as url_for_settings
from db.session import make_engine, session_factory
from intake.catalog import default_catalog
from intake.models import StoredOriginal
from intake.requests import CaseResult, ItemRef, StorageRef
from intake.settings import Settings
from tests.factories import case, inpatient_documents
from validators.verdict import Thresholds, judge

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()

ITEM = default_catalog().find("住院费用报销")


@pytest.fixture
def engine(database_url: str) -> Engine:
    upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_migrations_produce_the_models_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)


def test_upgrade_twice_changes_nothing(database_url: str, engine: Engine) -> None:
    upgrade(database_url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == HEAD


def result_for(case_id: str) -> CaseResult:
    documents = inpatient_documents()
    originals = []
    for n, doc in enumerate(documents):
        digest = f"{n:02d}" * 32
        documents[n] = doc.model_copy(update={"sha256": digest})
        originals.append(
            StoredOriginal(
                source=doc.source,
                sha256=digest,
                key=f"originals/{digest[:2]}/{digest}",
                size=10 + n,
                content_type="image/jpeg",
            )
        )
    the_case = case(ITEM.id, documents).model_copy(update={"case_id": case_id})
    return CaseResult(
        case=the_case,
        item=ItemRef(id=ITEM.id, name=ITEM.name, region=ITEM.region),
        verdict=judge(the_case, ITEM, Thresholds()),
        storage=StorageRef(bucket="intake", prefix=f"cases/{case_id}/"),
        originals=originals,
    )


def test_record_case_round_trips_documents_and_fields(engine: Engine) -> None:
    """GIVEN a finished case result (as the batch flow makes) WHEN it is recorded THEN the case read back
    has the same documents, fields and originals, a decided state, version 1 and an audit trail."""
    result = result_for("case-batch-1")
    sessions = session_factory(engine)
    with sessions() as session:
        repo.record_case(session, result, actor="batch")
        session.commit()
    with sessions() as session:
        row = repo.get_case(session, "case-batch-1")
        assert row is not None
        assert row.state == CaseState.decided.value
        assert (row.version, row.verdict) == (1, result.verdict.status.value)
        back = repo.case_model(row)
        assert [d.model_dump(mode="json") for d in back.documents] == [
            d.model_dump(mode="json") for d in result.case.documents
        ]
        assert repo.originals(row) == result.originals
        assert repo.latest_verdict(session, row) == result.verdict
        actions = session.scalars(
            AuditEventRow.__table__.select().with_only_columns(AuditEventRow.action).order_by(AuditEventRow.id)
        ).all()
        assert actions == ["case_created", "verdict"]
        # Recording it again (a resubmission) is a new version, not a second copy of the documents.
        repo.record_case(session, result, actor="batch")
        session.commit()
        assert row.version == 2
        assert len(repo.case_documents(row)) == len(result.case.documents)


def test_upload_token_is_stored_hashed_and_reaches_one_case(engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions() as session:
        repo.create_case(
            session,
            case_id="case-t",
            item=ItemRef(id=ITEM.id, name=ITEM.name, region=ITEM.region),
            agent=False,
            options={},
            case_date=dt.date(2025, 6, 1),
            actor="channel-1",
        )
        session.flush()
        token = repo.issue_upload_token(session, "case-t")
        session.commit()
        stored = session.scalars(ApiTokenRow.__table__.select().with_only_columns(ApiTokenRow.token_hash)).all()
        assert token not in stored and repo.hash_token(token) in stored
        row = repo.token_row(session, token)
        assert row is not None and row.case_id == "case-t" and repo.staff_user(row) is None
        assert repo.token_row(session, token + "x") is None
        row.revoked_at = dt.datetime.now(dt.UTC)
        session.commit()
        assert repo.token_row(session, token) is None


def test_audit_events_are_append_only(engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions() as session:
        repo.audit(session, "note", actor="clerk:a", source=repo.AuditSource.clerk, before=None, after={"x": 1})
        session.commit()
        event = session.scalars(AuditEventRow.__table__.select().with_only_columns(AuditEventRow.id)).one()
        row = session.get(AuditEventRow, event)
        assert row is not None
        row.action = "changed"
        with pytest.raises(AppendOnlyError):
            session.flush()


def test_constraints_hold(engine: Engine) -> None:
    sessions = session_factory(engine)
    with sessions() as session:
        session.add(UserRow(username="a", role="admin", password_hash="x"))
        with pytest.raises(IntegrityError):
            session.flush()
    with sessions() as session, pytest.raises(IntegrityError):  # foreign keys are enforced (SQLite too)
        session.execute(
            text(
                "INSERT INTO files (public_id, case_id, sha256, object_key, original_name, content_type, size,"
                " issues, withdrawn, created_at) VALUES ('f', 'nope', 's', 'k', 'n', 't', 1, '[]', false, '2025-01-01')"
            )
        )
        session.commit()


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = url_for_settings(Settings(data_dir=tmp_path / "data"))
    assert url == f"sqlite:///{(tmp_path / 'data' / 'intake.db').resolve()}"
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA foreign_keys")) == 1
    engine.dispose()


def test_settings_read_api_keys_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_API_KEYS", " key-a, key-b ,,")
    monkeypatch.setenv("INTAKE_DATABASE_URL", "postgresql+psycopg://u@h/db")
    settings = Settings()
    assert settings.api_keys == ["key-a", "key-b"]
    assert url_for_settings(settings) == "postgresql+psycopg://u@h/db"
