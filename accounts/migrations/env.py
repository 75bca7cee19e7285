"""Alembic environment: always run programmatically by `accounts.schema.upgrade_schema` on a live connection.

No alembic.ini and no URL here: the store hands its own connection (already in a transaction) over,
so migrations and the store can never point at different databases.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through accounts.schema.upgrade_schema(engine)")

context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
