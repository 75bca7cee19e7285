"""Conversation memory: the turns of a conversation and its last resolved account, in the SQL store.

Follow-ups ("and what should I do first?", "what about their renewal?") need the account the
conversation was about and the recent turns; both live in two tables of their own next to the
account book. History is bounded in tokens (oldest turns dropped first) so a long conversation
cannot grow a prompt without limit.

Conversation ids are issued here, never chosen by the caller (so nobody can claim an id first and
lock its rightful owner out), and are unguessable (`secrets`, 128 bits). A conversation is bound to
the principal that started it: an id that is unknown, malformed or another principal's gets the very
same UnknownConversation, so a refusal never confirms that an id exists. The tables are created and
upgraded by the store's Alembic migrations (accounts/migrations); the definitions here are for
queries only.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa

from accounts.errors import BadRequest
from accounts.schema import upgrade_schema
from assistant.principal import Principal
from assistant.types import Turn
from retrieval.tokens import TokenCounter

DEFAULT_MAX_TOKENS = 1500
MAX_ID_CHARS = 100
ID_BYTES = 16  # 128 random bits, as 32 hex digits: never starts with "-" (an option to a shell or CLI)


class UnknownConversation(BadRequest):
    """A conversation id this principal cannot continue: never issued, malformed, or someone else's.

    One message for every case (it never echoes the id), so the answer cannot tell an attacker which.
    """

    def __init__(self) -> None:
        super().__init__("unknown conversation: leave the id out to start a new one")


def new_conversation_id() -> str:
    """An id nobody can guess or pick in advance."""
    return secrets.token_hex(ID_BYTES)

_metadata = sa.MetaData()
conversations = sa.Table(
    "assistant_conversations", _metadata,
    sa.Column("conversation_id", sa.String(MAX_ID_CHARS), primary_key=True),
    sa.Column("principal", sa.String(400), nullable=False),
    sa.Column("last_account_id", sa.String(255)),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)
turns = sa.Table(
    "assistant_turns", _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(MAX_ID_CHARS), sa.ForeignKey(conversations.c.conversation_id),
              nullable=False, index=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("tokens", sa.Integer, nullable=False),
)


@dataclass
class Conversation:
    """What a new question of a conversation knows about the earlier ones."""

    conversation_id: str
    turns: list[Turn] = field(default_factory=list)
    last_account_id: str | None = None
    new: bool = True


class ConversationMemory:
    """Reads and writes conversations on an SQLAlchemy engine (the store's: SQLite or PostgreSQL)."""

    def __init__(self, engine: sa.Engine, *, max_tokens: int = DEFAULT_MAX_TOKENS,
                 counter: TokenCounter | None = None) -> None:
        self.engine = engine
        self.max_tokens = max_tokens
        self.counter = counter or TokenCounter()
        upgrade_schema(engine)  # once per engine and process: a no-op after the store has opened

    def open(self, conversation_id: str | None, principal: Principal) -> Conversation:
        """A new conversation with a freshly issued id (None), or this principal's conversation with that id.

        Raises UnknownConversation, the same for an id never issued and for another principal's.
        """
        if conversation_id is None:
            return Conversation(new_conversation_id())
        if not conversation_id.strip() or len(conversation_id) > MAX_ID_CHARS:
            raise UnknownConversation()
        with self.engine.connect() as conn:
            query = sa.select(conversations).where(conversations.c.conversation_id == conversation_id)
            row = conn.execute(query).first()
            if row is None or row.principal != principal.key:
                raise UnknownConversation()
            found = conn.execute(sa.select(turns.c.role, turns.c.text).where(turns.c.conversation_id == conversation_id)
                                 .order_by(turns.c.id)).all()
        return Conversation(conversation_id, [Turn(role=r.role, text=r.text) for r in found], row.last_account_id,
                            new=False)

    def record(self, conversation: Conversation, principal: Principal, question: str, answer: str,
               account_id: str | None) -> None:
        """Append a question and its answer, remember the account, and drop the oldest turns over budget."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        last = account_id or conversation.last_account_id
        with self.engine.begin() as conn:
            if conversation.new:
                conn.execute(sa.insert(conversations).values(conversation_id=conversation.conversation_id,
                                                             principal=principal.key, last_account_id=last,
                                                             updated_at=now))
                conversation.new = False
            else:
                conn.execute(sa.update(conversations)
                             .where(conversations.c.conversation_id == conversation.conversation_id)
                             .values(last_account_id=last, updated_at=now))
            for role, text in (("user", question), ("assistant", answer)):
                conn.execute(sa.insert(turns).values(conversation_id=conversation.conversation_id, role=role,
                                                     text=text, tokens=self.counter.count(text)))
            self._trim(conn, conversation.conversation_id)
        conversation.last_account_id = last
        conversation.turns += [Turn(role="user", text=question), Turn(role="assistant", text=answer)]

    def _trim(self, conn: sa.Connection, conversation_id: str) -> None:
        """Delete the oldest turns until the rest fit the token budget (the latest turn is always kept)."""
        rows = conn.execute(sa.select(turns.c.id, turns.c.tokens).where(turns.c.conversation_id == conversation_id)
                            .order_by(turns.c.id.desc())).all()
        total, drop = 0, []
        for i, row in enumerate(rows):
            total += row.tokens
            if total > self.max_tokens and i > 0:
                drop.append(row.id)
        if drop:
            conn.execute(sa.delete(turns).where(turns.c.id.in_(drop)))
