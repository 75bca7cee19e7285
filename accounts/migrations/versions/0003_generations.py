"""Ingest generations: one row per committed generation and the index serving it (its Chroma
collections and keyword folder, named by `index_id`).

`meta.generation` names the one readers use; it is written in the same transaction as the records.
A data dir from before has no generation yet: its indexes stay readable under their old names
until the next ingest builds a first generation.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingest_generations",
        sa.Column("generation_id", sa.String(64), primary_key=True),
        sa.Column("workspace", sa.Text(), nullable=False),
        sa.Column("index_settings", sa.Text(), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.Column("committed_at", sa.DateTime(), nullable=False),
        sa.Column("index_id", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ingest_generations")
