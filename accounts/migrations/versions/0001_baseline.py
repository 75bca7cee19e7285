"""Baseline: the record tables and `meta`, exactly as `create_all` made them before migrations (0168635).

A data dir created before migrations existed is stamped with this revision, not re-created.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def record_table(name: str, *columns: sa.Column, indexed: bool = True) -> None:  # type: ignore[type-arg]
    """A record kind's table: its id, content hash and `extra`, then the model's fields."""
    op.create_table(
        name,
        sa.Column("record_id", sa.String(255), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("extra", sa.JSON()),
        *columns,
    )
    if indexed:
        op.create_index(f"ix_{name}_account", name, ["account_id"])


def upgrade() -> None:
    record_table(
        "accounts",
        sa.Column("account_id", sa.Text()), sa.Column("name", sa.Text()), sa.Column("segment", sa.Text()),
        sa.Column("industry", sa.Text()), sa.Column("arr", sa.Float()), sa.Column("plan", sa.Text()),
        sa.Column("licensed_seats", sa.Integer()), sa.Column("contract_start", sa.Date()),
        sa.Column("renewal_date", sa.Date()), sa.Column("csm", sa.Text()), sa.Column("lifecycle_stage", sa.Text()),
        sa.Column("first_value_date", sa.Date()),
    )
    record_table(
        "activities",
        sa.Column("id", sa.Text()), sa.Column("account_id", sa.Text()), sa.Column("date", sa.Date()),
        sa.Column("type", sa.Text()), sa.Column("author", sa.Text()), sa.Column("title", sa.Text()),
        sa.Column("body", sa.Text()), sa.Column("visibility", sa.Text()), sa.Column("status", sa.Text()),
        sa.Column("due", sa.Date()),
    )
    record_table(
        "advocacy",
        sa.Column("id", sa.Text()), sa.Column("account_id", sa.Text()), sa.Column("date", sa.Date()),
        sa.Column("direction", sa.Text()), sa.Column("kind", sa.Text()), sa.Column("contact_id", sa.Text()),
        sa.Column("outcome", sa.Text()), sa.Column("note", sa.Text()),
    )
    record_table(
        "contacts",
        sa.Column("contact_id", sa.Text()), sa.Column("account_id", sa.Text()), sa.Column("name", sa.Text()),
        sa.Column("title", sa.Text()), sa.Column("email", sa.Text()), sa.Column("role", sa.Text()),
        sa.Column("active", sa.Boolean()), sa.Column("left_at", sa.Date()),
    )
    record_table(
        "docs",
        sa.Column("path", sa.Text()), sa.Column("title", sa.Text()), sa.Column("url", sa.Text()),
        sa.Column("product_area", sa.Text()), sa.Column("body", sa.Text()),
        indexed=False,
    )
    op.create_table("meta", sa.Column("key", sa.String(100), primary_key=True), sa.Column("value", sa.Text()))
    record_table(
        "success_plans",
        sa.Column("account_id", sa.Text()), sa.Column("updated", sa.Date()), sa.Column("objectives", sa.JSON()),
        sa.Column("path", sa.Text()),
    )
    record_table(
        "surveys",
        sa.Column("response_id", sa.Text()), sa.Column("account_id", sa.Text()), sa.Column("contact_id", sa.Text()),
        sa.Column("date", sa.Date()), sa.Column("kind", sa.Text()), sa.Column("score", sa.Integer()),
        sa.Column("comment", sa.Text()),
    )
    record_table(
        "tickets",
        sa.Column("ticket_id", sa.Text()), sa.Column("account_id", sa.Text()), sa.Column("opened_at", sa.DateTime()),
        sa.Column("closed_at", sa.DateTime()), sa.Column("severity", sa.Integer()), sa.Column("status", sa.Text()),
        sa.Column("subject", sa.Text()), sa.Column("description", sa.Text()), sa.Column("escalated", sa.Boolean()),
        sa.Column("csat", sa.Integer()),
    )
    record_table(
        "usage",
        sa.Column("account_id", sa.Text()), sa.Column("date", sa.Date()), sa.Column("active_users", sa.Integer()),
        sa.Column("sessions", sa.Integer()), sa.Column("features", sa.JSON()),
    )


def downgrade() -> None:
    for name in ("usage", "tickets", "surveys", "success_plans", "meta", "docs", "contacts", "advocacy",
                 "activities", "accounts"):
        op.drop_table(name)
