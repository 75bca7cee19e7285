"""Records Advocate itself adds to an account's history (a customer's "talk to my CSM" request).

The workspace is an export of the vendor's systems and every ingest makes the store match it, so a
record written only to the store would be deleted by the next ingest. These records therefore live
in a table of their own, the source of truth for them, and are also written into the account
book's activities table at once (the next answer about the account sees them). The ingest adds
them to what it read from the workspace (`carried_records`), so they survive it; they are stored
with a placeholder hash, which makes that next ingest embed them for search as well.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import sqlalchemy as sa

from accounts.book import AccountBook
from accounts.models import Activity, ActivityType, ItemStatus, SourceKind, Visibility
from accounts.store import AccountStore, RecordKey

UNINDEXED_HASH = "live:unindexed"
LIVE_STAMP_KEY = "live_changed_at"  # meta key: caches of the whole book reload when it changes
MAX_BODY_CHARS = 2000
TITLE_CHARS = 80

_metadata = sa.MetaData()
live_activities = sa.Table(
    "live_activities", _metadata,
    sa.Column("record_id", sa.String(255), primary_key=True),
    sa.Column("account_id", sa.String(255), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
)


def ensure_tables(engine: sa.Engine) -> None:
    _metadata.create_all(engine, checkfirst=True)


def customer_request(account_id: str, message: str, *, author: str, today: dt.date) -> Activity:
    """A customer-visible, open `request` activity asking for the account's CSM."""
    body = " ".join(message.split())[:MAX_BODY_CHARS]
    title = "Customer asked to talk to their CSM"
    if body:
        title += ": " + (body if len(body) <= TITLE_CHARS else body[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…")
    return Activity(
        id=f"req-{secrets.token_hex(6)}", account_id=account_id, date=today, type=ActivityType.REQUEST,
        author=author, title=title, body=body or "(no message)",
        visibility=Visibility.CUSTOMER, status=ItemStatus.OPEN,
    )


def add_live_activity(store: AccountStore, activity: Activity) -> None:
    """Keep the activity for good, and put it in the book now, in one transaction."""
    ensure_tables(store.engine)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    table = store.tables[SourceKind.ACTIVITIES]
    meta = store.metadata.tables["meta"]
    row: dict[str, Any] = store._row(SourceKind.ACTIVITIES, activity.id, activity)
    row["content_hash"] = UNINDEXED_HASH
    with store.engine.begin() as conn:
        conn.execute(sa.insert(live_activities).values(record_id=activity.id, account_id=activity.account_id,
                                                       created_at=now, payload=activity.model_dump(mode="json")))
        conn.execute(sa.delete(table).where(table.c.record_id == activity.id))
        conn.execute(sa.insert(table).values(**row))
        conn.execute(sa.delete(meta).where(meta.c.key == LIVE_STAMP_KEY))
        conn.execute(sa.insert(meta).values(key=LIVE_STAMP_KEY, value=now.isoformat()))


def load_live_activities(engine: sa.Engine, account_id: str | None = None) -> list[Activity]:
    ensure_tables(engine)
    query = sa.select(live_activities.c.payload).order_by(live_activities.c.created_at)
    if account_id is not None:
        query = query.where(live_activities.c.account_id == account_id)
    with engine.connect() as conn:
        return [Activity.model_validate(payload) for payload in conn.execute(query).scalars()]


def carried_records(engine: sa.Engine, book: AccountBook) -> dict[RecordKey, Activity]:
    """The live records an ingest keeps beside the workspace's (those of accounts it still has)."""
    return {(SourceKind.ACTIVITIES, a.id): a for a in load_live_activities(engine) if a.account_id in book.accounts}
