"""Which credential started each HTTP conversation, and the feedback given on it.

The assistant's memory binds a conversation to a principal (audience, account, user); over HTTP
two credentials can share a principal (two visitors of one customer, two keys of one CSM), so the
edge keeps its own owner table: a conversation id presented by any other credential is refused
before the assistant is called, and feedback is accepted only from the owner.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from accounts.errors import AccessDenied
from assistant.feedback import FeedbackStore

_metadata = sa.MetaData()
owners = sa.Table(
    "http_conversation_owners", _metadata,
    sa.Column("conversation_id", sa.String(100), primary_key=True),
    sa.Column("credential_id", sa.String(400), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)


NOT_YOURS = "unknown conversation: leave the id out to start a new one"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ConversationOwners:
    """Owner checks and feedback on the store's engine."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.feedback = FeedbackStore(engine)  # also migrates: the owner table is in migration 0005

    def owner(self, conversation_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(owners.c.credential_id)
                                .where(owners.c.conversation_id == conversation_id)).scalar()

    def check(self, conversation_id: str, credential_id: str) -> None:
        """Pass when this credential owns the conversation; AccessDenied otherwise.

        Someone else's id and one never issued get the same refusal, without the id: a different
        answer would tell a caller which ids exist (ids are issued by the API, never chosen).
        """
        if self.owner(conversation_id) != credential_id:
            raise AccessDenied(NOT_YOURS)

    def claim(self, conversation_id: str, credential_id: str) -> None:
        """Bind a new conversation to the credential that started it (idempotent for the owner)."""
        with self.engine.begin() as conn:
            found = conn.execute(sa.select(owners.c.credential_id)
                                 .where(owners.c.conversation_id == conversation_id)).scalar()
            if found is None:
                conn.execute(sa.insert(owners).values(conversation_id=conversation_id, credential_id=credential_id,
                                                      created_at=_now()))
            elif found != credential_id:
                raise AccessDenied(f"conversation {conversation_id!r} belongs to another credential")

    def add_feedback(self, conversation_id: str, credential_id: str, rating: str, comment: str | None) -> int:
        """Store feedback on a conversation this credential owns (AccessDenied for anyone else's or none)."""
        if self.owner(conversation_id) != credential_id:
            raise AccessDenied(f"conversation {conversation_id!r} is not one of yours")
        return self.feedback.record(conversation_id, credential_id, rating, comment=comment, channel="http")
