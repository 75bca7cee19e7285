"""Conversation memory's two tables, until now created on first use by `assistant.memory`.

A data dir that already ran `advocate ask` has them (same definition): they are kept as they are.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "assistant_conversations" not in existing:
        op.create_table(
            "assistant_conversations",
            sa.Column("conversation_id", sa.String(100), primary_key=True),
            sa.Column("principal", sa.String(400), nullable=False),
            sa.Column("last_account_id", sa.String(255)),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
        )
    if "assistant_turns" not in existing:
        op.create_table(
            "assistant_turns",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("conversation_id", sa.String(100), sa.ForeignKey("assistant_conversations.conversation_id"),
                      nullable=False),
            sa.Column("role", sa.String(16), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("tokens", sa.Integer(), nullable=False),
        )
        op.create_index("ix_assistant_turns_conversation_id", "assistant_turns", ["conversation_id"])


def downgrade() -> None:
    op.drop_table("assistant_turns")
    op.drop_table("assistant_conversations")
