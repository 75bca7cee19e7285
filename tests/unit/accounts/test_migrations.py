"""Alembic migrations: a data dir made by `create_all` before migrations (commit 0168635) is upgraded in
place with nothing lost, on SQLite and on a real PostgreSQL server (in CI); the migrated schema is the
one the code expects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from accounts.access import Audience
from accounts.schema import HEAD_REVISION, MIGRATIONS_DIR, current_revision, upgrade_schema
from accounts.store import AccountStore, BookChanges, build_tables
from accounts.workspace import read_workspace
from assistant.memory import ConversationMemory
from assistant.memory import _metadata as memory_metadata
from assistant.principal import Principal
from tests.fixtures import schema_0168635
from tests.fixtures.postgres import postgres_schema
from tests.unit.accounts.test_store import full_changes


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(SQLAlchemy URL of an empty database, dialect name)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}", "sqlite"
        return
    with postgres_schema("m") as url:
        yield url, "postgresql"


def write_old_data_dir(url: str, dialect: str, changes: BookChanges) -> None:
    """The previous schema from its frozen DDL, filled the way the previous store filled it."""
    engine = sa.create_engine(url)
    ddl = schema_0168635.SQLITE if dialect == "sqlite" else schema_0168635.POSTGRESQL
    with engine.begin() as conn:
        for statement in schema_0168635.statements(ddl):
            conn.exec_driver_sql(statement)
    metadata = sa.MetaData()
    tables = build_tables(metadata)
    row_of = AccountStore._row  # the row layout is unchanged by the migrations
    shim = type("Shim", (), {"tables": tables})()
    with engine.begin() as conn:
        for (kind, record_id), record in changes.upserts.items():
            conn.execute(sa.insert(tables[kind]), [row_of(shim, kind, record_id, record)])  # type: ignore[arg-type]
        meta = metadata.tables["meta"]
        conn.execute(sa.insert(meta), [{"key": "ingested_at", "value": "2026-11-01T00:00:00+00:00"},
                                       {"key": "workspace", "value": "/old/workspace"}])
        conn.execute(sa.text("INSERT INTO assistant_conversations VALUES ('c-old', 'csm||dana', 'acme', :t)"),
                     {"t": dt.datetime(2026, 11, 1)})
        conn.execute(sa.text("INSERT INTO assistant_turns (conversation_id, role, text, tokens) "
                             "VALUES ('c-old', 'user', 'how is Acme?', 4)"))
    engine.dispose()


def test_an_old_data_dir_is_upgraded_without_data_loss(empty_database: tuple[str, str], tiny_workspace: Path) -> None:
    url, dialect = empty_database
    changes = full_changes(tiny_workspace)
    write_old_data_dir(url, dialect, changes)

    store = AccountStore(url)  # opening the store runs the migrations
    with store.engine.connect() as conn:
        assert current_revision(conn) == HEAD_REVISION
    from accounts.store import content_hash

    assert store.hashes() == {key: content_hash(record) for key, record in changes.upserts.items()}
    book = read_workspace(tiny_workspace)
    assert store.load_book(include_docs=True).accounts == book.accounts
    assert store.load_book(include_docs=True).docs == book.docs
    assert store.generation() == "" and store.meta("workspace") == "/old/workspace"  # legacy: still readable
    memory = ConversationMemory(store.engine)
    old = memory.open("c-old", Principal(Audience.CSM, user="dana"))
    assert not old.new and old.last_account_id == "acme" and old.turns[0].text == "how is Acme?"


def test_a_new_database_gets_the_schema_the_code_expects(empty_database: tuple[str, str]) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url, _ = empty_database
    engine = sa.create_engine(url)
    upgrade_schema(engine)
    upgrade_schema(engine)  # idempotent
    expected = sa.MetaData()
    build_tables(expected)
    from accounts.live_records import _metadata as live_metadata
    from assistant.feedback import _metadata as feedback_metadata
    from integrations.http.conversations import _metadata as owners_metadata
    from integrations.http.keystore import _metadata as keys_metadata
    from integrations.slack.state import _metadata as slack_metadata

    for metadata in (memory_metadata, feedback_metadata, slack_metadata, live_metadata, owners_metadata,
                     keys_metadata):
        for table in metadata.tables.values():
            table.to_metadata(expected)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), expected)
    assert [d for d in diff if d[0] != "remove_table" or d[1].name != "alembic_version"] == []
    engine.dispose()


def test_head_revision_is_the_newest_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION
