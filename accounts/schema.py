"""Bring a database's schema to the newest Alembic revision on start (store and conversation tables).

Why on start: a data dir made by an older Advocate must be upgraded, never broken by a new column.
A database made by `create_all` before migrations existed (tables, no `alembic_version`) is stamped
as the baseline first. Checking the revision is one SELECT, so opening a current store stays cheap;
Alembic itself is imported only when there is something to do. Two processes starting at once are
serialised (a lock file beside an SQLite file, an advisory lock on PostgreSQL).
"""

from __future__ import annotations

import fcntl
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

HEAD_REVISION = "0005"  # tests check it equals the newest file in accounts/migrations/versions
BASELINE_REVISION = "0001"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
PG_MIGRATION_LOCK = 0x6164766F  # "advo": advisory lock key for migrations
_upgraded: weakref.WeakSet[sa.Engine] = weakref.WeakSet()
_guard = threading.Lock()


def current_revision(conn: sa.Connection) -> str | None:
    """The stamped revision, or None when the database has never been migrated."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_schema(engine: sa.Engine) -> None:
    """Migrate the database behind `engine` to HEAD_REVISION (a no-op once done in this process)."""
    if engine in _upgraded:
        return
    with _guard, _process_lock(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
        revision = current_revision(conn)
        if revision != HEAD_REVISION:
            _run_alembic(conn, stamp_baseline=revision is None and sa.inspect(conn).has_table("meta"))
    _upgraded.add(engine)


def _run_alembic(conn: sa.Connection, *, stamp_baseline: bool) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    if stamp_baseline:  # tables from create_all, before migrations: they are the baseline
        command.stamp(config, BASELINE_REVISION)
    command.upgrade(config, "head")


@contextmanager
def _process_lock(engine: sa.Engine) -> Iterator[None]:
    """Exclusive across processes for a file-backed SQLite database; nothing to do otherwise."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    with open(f"{database}.migrate-lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
