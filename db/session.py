"""Engines and sessions from a database URL; the URL comes from Settings at the edge."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from intake.settings import Settings


def database_url(settings: Settings) -> str:
    """INTAKE_DATABASE_URL, or an SQLite file under the data directory (created if missing)."""
    if settings.database_url:
        return settings.database_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(settings.data_dir / 'intake.db').resolve()}"


def make_engine(url: str) -> Engine:
    """SQLite: write-ahead log (readers do not block the writer), foreign keys enforced (SQLite's
    default is off), a busy timeout instead of an immediate 'database is locked'. Other databases:
    connections checked before use, so a restarted PostgreSQL costs no failed request."""
    if url.startswith("sqlite"):
        # The service's threadpool hands a connection from thread to thread; the pool serialises use.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # Rows are read after commit to build answers: keep them loaded rather than expire them.
    return sessionmaker(engine, expire_on_commit=False)
