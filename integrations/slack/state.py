"""What the Slack bot must remember across processes: events already answered, thread conversations, evidence.

Slack retries an event it thinks failed (no 200 within 3 s, or a 5xx), with the same `event_id`; the
bot may also run as several processes. So "answered once" is a row in the SQL store (a primary key
insert that only one process wins), not an in-memory set.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from accounts.schema import upgrade_schema

_metadata = sa.MetaData()
slack_events = sa.Table(
    "slack_events", _metadata,
    sa.Column("event_id", sa.String(128), primary_key=True),
    sa.Column("received_at", sa.DateTime, nullable=False),
)
slack_threads = sa.Table(
    "slack_threads", _metadata,
    sa.Column("thread_key", sa.String(400), primary_key=True),
    sa.Column("conversation_id", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)
slack_evidence = sa.Table(
    "slack_evidence", _metadata,
    sa.Column("evidence_key", sa.String(64), primary_key=True),
    sa.Column("citations", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def thread_key(team: str | None, channel: str, thread_ts: str, user: str) -> str:
    """One conversation per person per thread: a conversation belongs to the principal that started it."""
    return f"{team or ''}|{channel}|{thread_ts}|{user}"


class SlackState:
    """Slack's own tables, next to the account book in the store's database (SQLite or PostgreSQL)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        upgrade_schema(engine)  # the tables come from the store's migrations (0004)

    def first_delivery(self, event_id: str) -> bool:
        """True the first time an event id is seen (by any process); False for Slack's retries."""
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.insert(slack_events).values(event_id=event_id[:128], received_at=_now()))
        except IntegrityError:
            return False
        return True

    def conversation_of(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(slack_threads.c.conversation_id)
                               .where(slack_threads.c.thread_key == key)).first()
        return row.conversation_id if row else None

    def remember_conversation(self, key: str, conversation_id: str) -> None:
        with self.engine.begin() as conn:
            updated = conn.execute(sa.update(slack_threads).where(slack_threads.c.thread_key == key)
                                   .values(conversation_id=conversation_id, updated_at=_now())).rowcount
            if not updated:
                conn.execute(sa.insert(slack_threads).values(thread_key=key, conversation_id=conversation_id,
                                                             updated_at=_now()))

    def keep_evidence(self, citations: list[dict[str, Any]]) -> str:
        """Store an answer's citations for "show evidence"; the key is unguessable (buttons are visible)."""
        key = secrets.token_urlsafe(16)
        with self.engine.begin() as conn:
            conn.execute(sa.insert(slack_evidence).values(evidence_key=key, citations=json.dumps(citations),
                                                          created_at=_now()))
        return key

    def evidence(self, key: str) -> list[dict[str, Any]] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(slack_evidence.c.citations)
                               .where(slack_evidence.c.evidence_key == key[:64])).first()
        return json.loads(row.citations) if row else None
