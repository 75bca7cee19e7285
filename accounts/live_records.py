"""Records Advocate itself adds to an account's history (a customer's "talk to my CSM" request).

The workspace is an export of the vendor's systems and every ingest makes the store match it, so a
record written only to the store would be deleted by the next ingest. These records therefore live
in a table of their own, the source of truth for them, and are also written into the account
book's activities table at once (the next answer about the account sees them). The ingest adds
them to what it read from the workspace (`with_live_records`), so they survive it; they are stored
with a placeholder hash, which makes that next ingest embed them for search as well.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from typing import Any

import sqlalchemy as sa

from accounts.book import AccountBook
from accounts.models import Activity, ActivityType, ItemStatus, SourceKind, Visibility
from accounts.schema import upgrade_schema
from accounts.store import AccountStore

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
    """The table comes from the store's migrations (0005); a no-op once the engine is migrated."""
    upgrade_schema(engine)


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


def with_live_records(engine: sa.Engine, book: AccountBook) -> AccountBook:
    """The workspace's book plus the live records of the accounts it still has (an ingest keeps them).

    They go into the book itself, so the store and the indexes of the new generation both hold them.
    """
    by_account: dict[str, list[Activity]] = {}
    for activity in load_live_activities(engine):
        if activity.account_id in book.accounts:
            by_account.setdefault(activity.account_id, []).append(activity)
    if not by_account:
        return book
    records = dict(book._records)
    for account_id, live in by_account.items():
        own = records[account_id]
        known = {a.id for a in own.activities}
        added = [a for a in live if a.id not in known]  # a workspace record with the same id wins
        activities = tuple(sorted((*own.activities, *added), key=lambda a: a.date))
        records[account_id] = dataclasses.replace(own, activities=activities)
    return AccountBook(accounts=book.accounts, docs=book.docs, _records=records)
