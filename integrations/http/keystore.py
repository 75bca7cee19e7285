"""API keys, stored hashed in the SQL store next to the account book.

A key is 32 random bytes (`adv_…`), so a plain SHA-256 of it is enough to store: nobody can guess
a preimage, and a lookup is one indexed equality, cheap enough for every request. The key itself
is shown once, by `advocate keys create`, and never stored. Own table (migration 0005)
until the store moves to migrations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

import sqlalchemy as sa

from accounts.errors import BadRequest
from accounts.schema import upgrade_schema
from integrations.http.credentials import STAFF_ROLES, Credential, Role

KEY_PREFIX = "adv_"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")

_metadata = sa.MetaData()
api_keys = sa.Table(
    "http_api_keys", _metadata,
    sa.Column("key_hash", sa.String(64), primary_key=True),
    sa.Column("key_id", sa.String(16), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("user", sa.String(320), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("revoked_at", sa.DateTime),
)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class KeyStore:
    """Creates and checks API keys on an SQLAlchemy engine (the store's)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        upgrade_schema(engine)

    def create(self, role: str, user: str) -> tuple[str, str]:
        """A new key for a staff role and a user e-mail: (key_id, key). The key is not stored."""
        try:
            parsed = Role(role)
        except ValueError:
            parsed = None
        if parsed not in STAFF_ROLES:
            raise BadRequest(f"--role: {role!r} is not one of {', '.join(r.value for r in STAFF_ROLES)}")
        if not EMAIL.match(user) or len(user) > 320:
            raise BadRequest(f"--user: {user!r} is not an e-mail address")
        key_id = secrets.token_hex(6)
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(sa.insert(api_keys).values(
                key_hash=hash_key(key), key_id=key_id, role=parsed.value, user=user,
                created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
        return key_id, key

    def lookup(self, key: str) -> Credential | None:
        """The credential of a presented key, or None (unknown or revoked)."""
        if not key.startswith(KEY_PREFIX) or len(key) > 100:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(api_keys).where(api_keys.c.key_hash == hash_key(key))).first()
        if row is None or row.revoked_at is not None:
            return None
        return Credential(f"key:{row.key_id}", Role(row.role), user=row.user)

    def revoke(self, key_id: str) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(sa.update(api_keys).where(api_keys.c.key_id == key_id)
                                .values(revoked_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
        return done.rowcount > 0
