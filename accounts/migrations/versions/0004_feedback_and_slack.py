"""Ratings of answers (Slack's 👍/👎, the HTTP feedback route) and the Slack bot's own state.

`slack_events` makes "one event, one reply" hold across processes; `slack_threads` maps a Slack
thread (per person) to its conversation; `slack_evidence` keeps an answer's citations for
"show evidence".

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_feedback",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(100), nullable=False),
        sa.Column("rater", sa.String(400), nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("comment", sa.Text()),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_assistant_feedback_conversation_id", "assistant_feedback", ["conversation_id"])
    op.create_table(
        "slack_events",
        sa.Column("event_id", sa.String(128), primary_key=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "slack_threads",
        sa.Column("thread_key", sa.String(400), primary_key=True),
        sa.Column("conversation_id", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "slack_evidence",
        sa.Column("evidence_key", sa.String(64), primary_key=True),
        sa.Column("citations", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in ("slack_evidence", "slack_threads", "slack_events", "assistant_feedback"):
        op.drop_table(table)
