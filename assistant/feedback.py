"""Ratings of answers (👍/👎 in Slack, POST /v1/feedback over HTTP), kept next to the conversations.

Each rating keeps who gave it (a principal's key in Slack, a credential id over HTTP) and through
which front end, so a report can tell a CSM's 👎 in Slack from a customer's in the widget. Who may
rate a conversation is the front end's check (HTTP: only the credential that started it).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa

from accounts.errors import BadRequest
from accounts.schema import upgrade_schema

MAX_COMMENT_CHARS = 2000

_metadata = sa.MetaData()
feedback = sa.Table(
    "assistant_feedback", _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(100), nullable=False, index=True),
    sa.Column("rater", sa.String(400), nullable=False),
    sa.Column("rating", sa.String(8), nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)


class Rating(StrEnum):
    UP = "up"
    DOWN = "down"


class FeedbackStore:
    """Appends ratings; reading them back is for reports (`ratings`), never for answering."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        upgrade_schema(engine)  # the tables come from the store's migrations (0004)

    def record(self, conversation_id: str, rater: str, rating: Rating | str, *, comment: str | None = None,
               channel: str = "http") -> int:
        """Store one rating; its id."""
        try:
            rating = Rating(rating)
        except ValueError:
            raise BadRequest(f"rating {rating!r} is not one of up, down") from None
        if comment is not None and len(comment) > MAX_COMMENT_CHARS:
            raise BadRequest(f"the comment is longer than {MAX_COMMENT_CHARS} characters")
        with self.engine.begin() as conn:
            result = conn.execute(sa.insert(feedback).values(
                conversation_id=conversation_id, rater=rater, rating=rating.value, comment=comment,
                channel=channel, created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
        key = result.inserted_primary_key
        return int(key[0]) if key else 0

    def ratings(self, conversation_id: str) -> list[tuple[str, str | None]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(feedback.c.rating, feedback.c.comment)
                                .where(feedback.c.conversation_id == conversation_id).order_by(feedback.c.id)).all()
        return [(r.rating, r.comment) for r in rows]
