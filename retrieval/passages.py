"""Chunks (what is indexed) and passages (what a search returns)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, model_validator

from accounts.access import owner_key
from accounts.models import SourceKind, Visibility


def record_key(source: SourceKind | str, record_id: str) -> str:
    """The one key naming a record across the SQL store, Chroma and the keyword index."""
    return f"{SourceKind(source).value}:{record_id}"


class Chunk(BaseModel):
    """A piece of a record's text with everything needed to scope, rank and cite it."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    record_id: str
    source: SourceKind
    account_id: str | None
    visibility: Visibility
    date: dt.date | None
    path: str
    title: str
    text: str
    index: int = 0

    @model_validator(mode="after")
    def _public_means_no_owner(self) -> Chunk:
        """Fail closed: only docs are public; a chunk of an account's record can never be read by all."""
        if self.visibility is Visibility.PUBLIC and self.account_id is not None:
            raise ValueError(f"chunk {self.chunk_id}: a record of account {self.account_id!r} cannot be public")
        return self

    @property
    def record_key(self) -> str:
        return record_key(self.source, self.record_id)

    def chroma_metadata(self) -> dict[str, str | int]:
        """Chroma metadata cannot hold None: empty strings stand for 'none'."""
        return {
            "record_key": self.record_key,
            "record_id": self.record_id,
            "source": self.source.value,
            "account_id": self.account_id or "",
            "visibility": self.visibility.value,
            "owner_visibility": owner_key(self.account_id, self.visibility) if self.account_id else "",
            "date": self.date.isoformat() if self.date else "",
            "path": self.path,
            "title": self.title,
            "index": self.index,
        }


class Passage(BaseModel):
    """A ranked search result: a chunk with its fused score and the ranks that produced it."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None

    def snippet(self, max_chars: int = 320) -> str:
        text = " ".join(self.chunk.text.split())
        return text if len(text) <= max_chars else text[: max_chars - 1].rsplit(" ", 1)[0] + "…"

    def to_contract(self) -> dict[str, object]:
        """The `search --json` result item (contract.md), plus a few extra keys."""
        c = self.chunk
        return {
            "id": c.record_id,
            "source": c.source.value,
            "path": c.path,
            "account_id": c.account_id,
            "title": c.title,
            "score": round(self.score, 4),
            "snippet": self.snippet(),
            "chunk_id": c.chunk_id,
            "date": c.date.isoformat() if c.date else None,
            "visibility": c.visibility.value,
        }
