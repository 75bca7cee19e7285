"""One ingest at a time per data dir (a lock file) and per shared PostgreSQL (an advisory lock).

Why both: the lock file covers everything in the data dir (SQLite, embedded Chroma, keyword
folders); several machines sharing one PostgreSQL and one Chroma server have no common data dir,
so the database holds the guard there. Both are released by the operating system or the server
when the process dies, `kill -9` included, so a crashed ingest never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from accounts.errors import AdvocateError

LOCK_FILE = "ingest.lock"
PG_INGEST_LOCK = 0x696E6765  # "inge"
POLL_S = 0.1


class IngestRunning(AdvocateError):
    """Another ingest holds the lock and did not finish within the wait."""


def holder_line() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC"


def _wait(try_once: object, wait_s: float) -> bool:
    deadline = time.monotonic() + wait_s
    while True:
        if try_once():  # type: ignore[operator]
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_S)


@contextmanager
def file_lock(data_dir: Path, wait_s: float) -> Iterator[None]:
    """Hold data_dir/ingest.lock exclusively; IngestRunning (naming the holder) after `wait_s`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    handle: IO[str] = (data_dir / LOCK_FILE).open("a+", encoding="utf-8")
    try:
        def attempt() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                return False

        if not _wait(attempt, wait_s):
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise IngestRunning(f"an ingest is already running ({holder}); try again when it has finished")
        handle.seek(0)
        handle.truncate()
        handle.write(holder_line() + "\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


@contextmanager
def database_lock(engine: sa.Engine, wait_s: float) -> Iterator[None]:
    """A session-level advisory lock on PostgreSQL (nothing elsewhere), held on its own connection."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        def attempt() -> bool:
            got = conn.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": PG_INGEST_LOCK}).scalar()
            conn.commit()
            return bool(got)

        if not _wait(attempt, wait_s):
            holder = _holder(engine) or "another machine"
            raise IngestRunning(f"an ingest is already running ({holder}); try again when it has finished")
        _set_holder(engine, holder_line())
        try:
            yield
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": PG_INGEST_LOCK})
            conn.commit()


def _holder(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT value FROM meta WHERE key = 'ingest_holder'")).scalar()


def _set_holder(engine: sa.Engine, line: str) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM meta WHERE key = 'ingest_holder'"))
        conn.execute(sa.text("INSERT INTO meta (key, value) VALUES ('ingest_holder', :v)"), {"v": line})


@contextmanager
def ingest_lock(data_dir: Path, engine: sa.Engine, wait_s: float) -> Iterator[None]:
    """Both guards, the data dir's first (waiting at most `wait_s` for each)."""
    with file_lock(data_dir, wait_s), database_lock(engine, wait_s):
        yield
