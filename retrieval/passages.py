"""Chunks (what is indexed) and passages (what a search returns)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from accounts.access import owner_key
from accounts.models import SourceKind, Visibility
from retrieval.sentences import Unit, split_units


def record_key(source: SourceKind | str, record_id: str) -> str:
    """The one key naming a record across the SQL store, Chroma and the keyword index."""
    return f"{SourceKind(source).value}:{record_id}"


def balanced(text: str) -> bool:
    """Whether bold, code and parentheses open and close within the text."""
    return text.count("**") % 2 == 0 and text.count("`") % 2 == 0 and text.count("(") == text.count(")")


def join_overlapping(before: str, after: str) -> str:
    """Two consecutive chunks as one text: the section heading the chunker repeats, and the overlap, once."""
    lines = after.split("\n", 1)
    # Every heading line the chunker repeats ("## Known issues", "### Android: …"), not only the first:
    # a repeated heading left in place matches itself in `before` and cuts that chunk's body away.
    while len(lines) == 2 and lines[0].lstrip().startswith("#") and lines[0].strip() in before:
        after = lines[1]
        lines = after.lstrip("\n").split("\n", 1)
    probe = after.lstrip()[:40]
    at = before.rfind(probe) if len(probe) >= 12 else -1
    return before[:at] + after.lstrip() if at >= 0 else f"{before}\n{after}"


def chunk_body(text: str) -> str:
    """A chunk's text less its first line, the context (account, kind, date, title) the indexer prefixes."""
    return text.split("\n", 1)[1] if "\n" in text else text


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
    """A ranked search result: a chunk with its fused score and the ranks that produced it.

    `siblings` are other chunks of the same record that scored too (the answer may sit deep in a
    long doc, not in its best-scoring chunk); `unit_scores` are the reranker's similarities of the
    passage's sentences to the query, by `retrieval.sentences.unit_key`, `section_scores` those of a
    doc's sections read whole (heading and text), and `rerank_score` the score it ranked the passage by
    (None when no reranker ran).
    """

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    siblings: tuple[Chunk, ...] = ()
    rerank_score: float | None = None
    unit_scores: dict[str, float] = Field(default_factory=dict)
    section_scores: dict[str, float] = Field(default_factory=dict)  # a doc's sections (by heading), whole

    @property
    def chunks(self) -> list[Chunk]:
        """The best chunk and its scoring siblings, in the record's own order."""
        return sorted((self.chunk, *self.siblings), key=lambda c: c.index)

    def segments(self) -> list[tuple[int, str]]:
        """(first chunk index, text) of each run of consecutive chunks, overlaps and repeated headings merged."""
        runs: list[tuple[int, int, str]] = []  # (first index, last index, text)
        for chunk in self.chunks:
            body = chunk_body(chunk.text)
            if runs and chunk.index == runs[-1][1] + 1:
                first, _, text = runs[-1]
                runs[-1] = (first, chunk.index, join_overlapping(text, body))
            else:
                runs.append((chunk.index, chunk.index, body))
        return [(first, text) for first, _, text in runs]

    def body(self) -> str:
        """The text of every chunk of this passage, without the context line the indexer prefixes."""
        return "\n".join(text for _, text in self.segments())

    def units(self) -> list[Unit]:
        """The answer units of every chunk, each chunk split on its own, each unit once (chunks overlap).

        A chunk cut mid-sentence starts with a fragment ("work to the new technician**: their…"):
        a unit that opens in lower case at a chunk's start, or leaves Markdown or a parenthesis
        unbalanced, is not a unit anyone should be shown.
        """
        seen: set[str] = set()
        found: list[Unit] = []
        for first, text in self.segments():
            for i, unit in enumerate(split_units(text)):
                if unit.key in seen or not balanced(unit.text) or (i == 0 and first and unit.text[0].islower()):
                    continue
                seen.add(unit.key)
                found.append(unit)
        return found

    def sections(self) -> dict[str, list[Unit]]:
        """A doc's answer units by section heading, in reading order (a page's intro under its title: "")."""
        found: dict[str, list[Unit]] = {}
        for unit in self.units():
            found.setdefault(unit.heading, []).append(unit)
        return found

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
