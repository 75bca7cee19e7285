"""One ingest at a time: the data dir's lock file, and PostgreSQL's advisory lock for a shared database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from accounts.store import AccountStore
from retrieval.ingest_lock import IngestRunning, database_lock, file_lock
from tests.fixtures.postgres import postgres_schema


def test_the_lock_file_names_its_holder_and_is_released(tmp_path: Path) -> None:
    running = rf"already running \(pid {os.getpid()} on .* since"
    with file_lock(tmp_path, 0), pytest.raises(IngestRunning, match=running), file_lock(tmp_path, 0.2):
        pass
    with file_lock(tmp_path, 0):  # released on exit
        pass


def test_a_killed_holder_releases_the_lock_file(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a'); "
         "fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)", str(tmp_path / "ingest.lock")],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    with pytest.raises(IngestRunning), file_lock(tmp_path, 0.1):
        pass
    holder.kill()
    holder.wait()
    with file_lock(tmp_path, 2):
        pass


@pytest.fixture
def pg_store() -> Iterator[AccountStore]:
    with postgres_schema("l") as url:
        yield AccountStore(url)


def test_postgresql_guards_ingests_from_other_machines(pg_store: AccountStore) -> None:
    other_machine = sa.create_engine(pg_store.engine.url)
    running = rf"pid {os.getpid()} on "
    with database_lock(pg_store.engine, 0), pytest.raises(IngestRunning, match=running), \
            database_lock(other_machine, 0.2):
        pass
    with database_lock(other_machine, 0):
        pass
    other_machine.dispose()
