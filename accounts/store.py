"""The SQL store of the account book (SQLAlchemy Core: SQLite by default, any SQLAlchemy URL).

One table per record kind, its columns derived from the pydantic model, plus the record id and a
content hash so an ingest can tell added, changed, unchanged and removed records apart cheaply.
All changes of one ingest are applied in one transaction, together with the index generation they
belong to (`meta.generation`): readers see the old book and index or the new ones, never a mix.
The schema is Alembic's (accounts/migrations), upgraded when a store is opened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel

from accounts.book import AccountBook
from accounts.models import (
    Account,
    Activity,
    AdvocacyEvent,
    Contact,
    Doc,
    Record,
    SourceKind,
    SuccessPlan,
    SurveyResponse,
    Ticket,
    UsageRecord,
)
from accounts.parsing import base_types
from accounts.schema import upgrade_schema

MODELS: dict[SourceKind, type[Record]] = {
    SourceKind.ACCOUNTS: Account,
    SourceKind.CONTACTS: Contact,
    SourceKind.ACTIVITIES: Activity,
    SourceKind.TICKETS: Ticket,
    SourceKind.USAGE: UsageRecord,
    SourceKind.SURVEYS: SurveyResponse,
    SourceKind.ADVOCACY: AdvocacyEvent,
    SourceKind.SUCCESS_PLANS: SuccessPlan,
    SourceKind.DOCS: Doc,
}
RecordKey = tuple[SourceKind, str]
LEGACY_GENERATION = ""  # a data dir ingested before generations: indexes under their old, unnumbered names


def content_hash(record: BaseModel) -> str:
    """A stable fingerprint of a record's content: equal hashes mean nothing to re-embed."""
    return hashlib.sha256(record.model_dump_json().encode()).hexdigest()


def column_type(annotation: Any) -> sa.types.TypeEngine[Any]:
    found = base_types(annotation) - {type(None)}
    for python_type, sql_type in (
        (bool, sa.Boolean()),
        (int, sa.Integer()),
        (float, sa.Float()),
        (dt.datetime, sa.DateTime()),
        (dt.date, sa.Date()),
    ):
        if found == {python_type}:
            return sql_type
    if found and all(issubclass(t, str) for t in found):
        return sa.Text()
    return sa.JSON()


def build_tables(metadata: sa.MetaData) -> dict[SourceKind, sa.Table]:
    tables = {}
    for kind, model in MODELS.items():
        columns = [
            sa.Column("record_id", sa.String(255), primary_key=True),
            sa.Column("content_hash", sa.String(64), nullable=False),
        ]
        columns += [sa.Column(name, column_type(info.annotation)) for name, info in model.model_fields.items()]
        if "account_id" in model.model_fields:
            columns.append(sa.Index(f"ix_{kind.value}_account", "account_id"))  # type: ignore[arg-type]
        tables[kind] = sa.Table(kind.value, metadata, *columns)
    sa.Table("meta", metadata, sa.Column("key", sa.String(100), primary_key=True), sa.Column("value", sa.Text))
    sa.Table(
        "ingest_generations", metadata,
        sa.Column("generation_id", sa.String(64), primary_key=True),
        sa.Column("workspace", sa.Text, nullable=False),
        sa.Column("index_settings", sa.Text, nullable=False),
        sa.Column("chunk_count", sa.Integer, nullable=False),
        sa.Column("committed_at", sa.DateTime, nullable=False),
        sa.Column("index_id", sa.String(64), nullable=False),
    )
    return tables


@dataclass
class BookChanges:
    """What an ingest changes in the store, by record key."""

    upserts: dict[RecordKey, Record] = field(default_factory=dict)
    deletes: set[RecordKey] = field(default_factory=set)


@dataclass(frozen=True)
class Generation:
    """One committed generation of the data: its records, and the index (`index_id`) serving them.

    The index id names the Chroma collections and keyword folder; a commit that changes only
    records no index reads (usage, contacts) makes a new generation sharing the previous index.
    """

    generation_id: str
    workspace: str
    index_settings: str
    chunk_count: int
    index_id: str


class AccountStore:
    """Reads and writes the account book in an SQL database."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url)
        self.metadata = sa.MetaData()
        self.tables = build_tables(self.metadata)
        upgrade_schema(self.engine)
        self._directory: tuple[str | None, dict[str, str]] | None = None

    def generation(self) -> str | None:
        """The committed generation readers must use; LEGACY_GENERATION for a pre-generation data dir;
        None when nothing was ever ingested. One indexed SELECT: cheap enough to check per request."""
        table = self.metadata.tables["meta"]
        with self.engine.connect() as conn:
            rows = dict(conn.execute(sa.select(table.c.key, table.c.value)
                                     .where(table.c.key.in_(["generation", "ingested_at"]))).all())
        if "generation" in rows:
            return rows["generation"]
        return LEGACY_GENERATION if "ingested_at" in rows else None

    def hashes(self) -> dict[RecordKey, str]:
        """The content hash of every stored record."""
        found: dict[RecordKey, str] = {}
        with self.engine.connect() as conn:
            for kind, table in self.tables.items():
                for record_id, digest in conn.execute(sa.select(table.c.record_id, table.c.content_hash)):
                    found[(kind, record_id)] = digest
        return found

    def apply(
        self, changes: BookChanges, meta: Mapping[str, str] | None = None, generation: Generation | None = None
    ) -> None:
        """Write all changes in one transaction, committing `generation` (when given) in the same one."""
        meta = dict(meta or {})
        with self.engine.begin() as conn:
            if generation is not None:
                conn.execute(sa.insert(self.metadata.tables["ingest_generations"]).values(
                    generation_id=generation.generation_id, workspace=generation.workspace,
                    index_settings=generation.index_settings, chunk_count=generation.chunk_count,
                    index_id=generation.index_id, committed_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
                meta["generation"] = generation.generation_id
            for (kind, record_id) in changes.deletes:
                table = self.tables[kind]
                conn.execute(sa.delete(table).where(table.c.record_id == record_id))
            by_kind: dict[SourceKind, list[dict[str, Any]]] = {}
            for (kind, record_id), record in changes.upserts.items():
                by_kind.setdefault(kind, []).append(self._row(kind, record_id, record))
            for kind, rows in by_kind.items():
                table = self.tables[kind]
                ids = [r["record_id"] for r in rows]
                for start in range(0, len(ids), 500):
                    conn.execute(sa.delete(table).where(table.c.record_id.in_(ids[start : start + 500])))
                conn.execute(sa.insert(table), rows)
            for key, value in meta.items():
                meta_table = self.metadata.tables["meta"]
                conn.execute(sa.delete(meta_table).where(meta_table.c.key == key))
                conn.execute(sa.insert(meta_table).values(key=key, value=value))

    def _row(self, kind: SourceKind, record_id: str, record: Record) -> dict[str, Any]:
        plain = dict(record)
        as_json = record.model_dump(mode="json")
        row: dict[str, Any] = {"record_id": record_id, "content_hash": content_hash(record)}
        for name, column in self.tables[kind].c.items():
            if name in plain:
                row[name] = as_json[name] if isinstance(column.type, sa.JSON) else plain[name]
        return row

    def index_of(self, generation_id: str | None) -> str | None:
        """The index serving a generation: LEGACY_GENERATION for the legacy one, None for none."""
        if generation_id is None or generation_id == LEGACY_GENERATION:
            return generation_id
        table = self.metadata.tables["ingest_generations"]
        with self.engine.connect() as conn:
            return conn.execute(sa.select(table.c.index_id).where(table.c.generation_id == generation_id)).scalar()

    def meta(self, key: str) -> str | None:
        table = self.metadata.tables["meta"]
        with self.engine.connect() as conn:
            return conn.execute(sa.select(table.c.value).where(table.c.key == key)).scalar()

    def _load_rows(self, conn: sa.Connection, kind: SourceKind, wanted: list[str] | None) -> list[Any]:
        """One table's records (of the wanted accounts only, when given), validated into models."""
        table, model = self.tables[kind], MODELS[kind]
        fields = list(model.model_fields)  # plain tuples zipped with names: faster than mappings
        query = sa.select(*(table.c[name] for name in fields))
        if wanted is not None and "account_id" in table.c:
            query = query.where(table.c.account_id.in_(wanted))
        return [
            model.model_validate({k: v for k, v in zip(fields, row, strict=True) if v is not None})
            for row in conn.execute(query)
        ]

    def account_directory(self) -> dict[str, str]:
        """account_id → display name of every account, for resolving names in questions.

        The same dict object is returned until the next ingest (treat it as read-only), so indexes
        derived from it (the assistant's name index) are built once per ingest, not once per question.
        """
        stamp = self.meta("ingested_at")
        if self._directory is not None and self._directory[0] == stamp:
            return self._directory[1]
        table = self.tables[SourceKind.ACCOUNTS]
        with self.engine.connect() as conn:
            directory = {row[0]: row[1] for row in conn.execute(sa.select(table.c.record_id, table.c.name))}
        self._directory = (stamp, directory)
        return directory

    def load_accounts(self) -> list[Account]:
        """Every account row alone (no records): cheap, for choosing which accounts to load."""
        with self.engine.connect() as conn:
            return self._load_rows(conn, SourceKind.ACCOUNTS, None)

    def load_contacts(self) -> list[Contact]:
        """Every contact row (name, title, account): how people refer to an account by its people."""
        with self.engine.connect() as conn:
            return self._load_rows(conn, SourceKind.CONTACTS, None)

    def account_ids(self) -> list[str]:
        table = self.tables[SourceKind.ACCOUNTS]
        with self.engine.connect() as conn:
            return sorted(conn.execute(sa.select(table.c.record_id)).scalars())

    def load_book(self, account_ids: Iterable[str] | None = None, *, include_docs: bool = True) -> AccountBook:
        """The stored book, or only the named accounts' part of it (cheap for one-account questions)."""
        wanted = None if account_ids is None else sorted(set(account_ids))
        kinds = [k for k in self.tables if include_docs or k is not SourceKind.DOCS]
        with self.engine.connect() as conn:
            loaded = {kind: self._load_rows(conn, kind, wanted) for kind in kinds}
        return AccountBook.build(
            loaded[SourceKind.ACCOUNTS],
            contacts=loaded[SourceKind.CONTACTS],
            activities=loaded[SourceKind.ACTIVITIES],
            tickets=loaded[SourceKind.TICKETS],
            usage=loaded[SourceKind.USAGE],
            surveys=loaded[SourceKind.SURVEYS],
            advocacy=loaded[SourceKind.ADVOCACY],
            success_plans=loaded[SourceKind.SUCCESS_PLANS],
            docs=loaded.get(SourceKind.DOCS, ()),
        )
