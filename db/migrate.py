"""Run the Alembic migrations programmatically (service start, tests): no alembic.ini at run time.

`python -m db.migrate revision -m "..."` makes a new revision against a scratch SQLite database.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from db.session import make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # The engine travels as an attribute, not a URL option: a URL's '%' would break configparser.
    config.attributes["engine"] = engine
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (idempotent)."""
    engine = make_engine(url)
    try:
        upgrade_engine(engine, revision)
    finally:
        engine.dispose()


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def main() -> None:
    parser = argparse.ArgumentParser(description="数据库迁移")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upgrade")
    up.add_argument("url")
    rev = sub.add_parser("revision", help="autogenerate a revision from db/models.py")
    rev.add_argument("-m", "--message", required=True)
    args = parser.parse_args()
    if args.command == "upgrade":
        upgrade(args.url)
        return
    engine = make_engine("sqlite://")
    upgrade_engine(engine)
    command.revision(alembic_config(engine), message=args.message, autogenerate=True)


if __name__ == "__main__":
    main()
