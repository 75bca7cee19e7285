"""The SQL store round-trips the book on SQLite and on a real PostgreSQL server (in CI)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accounts.models import SourceKind
from accounts.store import AccountStore, BookChanges, content_hash
from accounts.workspace import read_workspace
from tests.fixtures.postgres import postgres_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AccountStore]:
    if request.param == "sqlite":
        yield AccountStore(f"sqlite:///{tmp_path / 'store.sqlite3'}")
        return
    with postgres_schema("t") as url:
        yield AccountStore(url)


def full_changes(workspace: Path) -> BookChanges:
    book = read_workspace(workspace)
    return BookChanges(upserts={(kind, str(r.record_id)): r for kind, r in book.iter_records()})  # type: ignore[attr-defined]


def test_round_trip(store: AccountStore, tiny_workspace: Path) -> None:
    original = read_workspace(tiny_workspace)
    store.apply(full_changes(tiny_workspace), {"ingested_at": "now"})
    loaded = store.load_book()
    for account_id in original.account_ids():
        assert loaded.records(account_id) == original.records(account_id)
    assert loaded.docs == original.docs
    assert store.meta("ingested_at") == "now"
    assert store.account_directory() == {"acme": "Acme Corp", "bolt": "Bolt Couriers"}
    hashes = store.hashes()
    assert hashes[(SourceKind.ACTIVITIES, "a-1")] == content_hash(original.records("acme").activities[0])


def test_partial_load_and_delete(store: AccountStore, tiny_workspace: Path) -> None:
    store.apply(full_changes(tiny_workspace))
    only_bolt = store.load_book(["bolt"], include_docs=False)
    assert only_bolt.account_ids() == ["bolt"] and only_bolt.docs == ()
    assert [a.id for a in only_bolt.records("bolt").activities] == ["a-3"]
    store.apply(BookChanges(deletes={(SourceKind.ACTIVITIES, "a-3")}))
    assert store.load_book(["bolt"]).records("bolt").activities == ()
    assert (SourceKind.ACTIVITIES, "a-1") in store.hashes()


def test_directory_is_cached_until_the_next_ingest(store: AccountStore, tiny_workspace: Path) -> None:
    store.apply(full_changes(tiny_workspace), {"ingested_at": "first"})
    directory = store.account_directory()
    assert store.account_directory() is directory
    store.apply(BookChanges(deletes={(SourceKind.ACCOUNTS, "bolt")}), {"ingested_at": "second"})
    assert store.account_directory() == {"acme": "Acme Corp"}
