"""The HTTP edge's tables: API keys (hashed), which credential owns each conversation, and the
records Advocate itself creates (a widget's "talk to my CSM"), which every ingest carries over.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "http_api_keys",
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("key_id", sa.String(16), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("user", sa.String(320), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime()),
    )
    op.create_table(
        "http_conversation_owners",
        sa.Column("conversation_id", sa.String(100), primary_key=True),
        sa.Column("credential_id", sa.String(400), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "live_activities",
        sa.Column("record_id", sa.String(255), primary_key=True),
        sa.Column("account_id", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
    )
    op.create_index("ix_live_activities_account_id", "live_activities", ["account_id"])


def downgrade() -> None:
    for table in ("live_activities", "http_conversation_owners", "http_api_keys"):
        op.drop_table(table)
