"""Index generations: how a generation's Chroma collections and keyword folder are named, and dropped.

Why generations: an ingest writes a complete new index beside the one being read and commits it by
naming it in the SQL store (one transaction with the records). Readers never see a half-built or
half-deleted index, a failed or killed ingest leaves the committed one untouched, and anything a
crashed ingest left behind is recognisable by name and collected by the next ingest.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from accounts.errors import AdvocateError
from accounts.store import LEGACY_GENERATION

PARTS = ("public", "accounts")
LEGACY_KEYWORD_ENTRIES = ("chunks.jsonl", "bm25", ".new", ".old")


class StaleSnapshot(AdvocateError):
    """The generation a snapshot reads was replaced while it was in use: ask again for a fresh one."""

    def __init__(self, generation: str) -> None:
        self.generation = generation
        super().__init__("the index changed during this request (a new ingest was committed): please retry")


def new_generation_id() -> str:
    """Sortable by time, unique across processes (a random suffix), and valid in a Chroma name."""
    return f"{datetime.now(UTC):%Y%m%dt%H%M%S}-{secrets.token_hex(4)}"


def collection_base(name: str, generation: str) -> str:
    """`advocate-g<id>`; the legacy generation keeps its old name `advocate`."""
    return name if generation == LEGACY_GENERATION else f"{name}-g{generation}"


def keyword_folder(root: Path, generation: str) -> Path:
    """A generation's own keyword folder; the legacy index lives in the root itself."""
    return root if generation == LEGACY_GENERATION else root / f"g{generation}"


def chroma_generations(client: Any, name: str) -> set[str]:
    """Every generation with a collection in Chroma under this base name (the legacy one as "")."""
    pattern = re.compile(rf"^{re.escape(name)}(?:-g([0-9a-z]+t[0-9]+-[0-9a-f]+))?-(?:{'|'.join(PARTS)})$")
    found = set()
    for collection in client.list_collections():
        match = pattern.match(collection.name if hasattr(collection, "name") else str(collection))
        if match:
            found.add(match.group(1) or LEGACY_GENERATION)
    return found


def keyword_generations(root: Path) -> set[str]:
    """Every generation with a keyword folder (or legacy files) under the root."""
    if not root.is_dir():
        return set()
    found = {p.name[1:] for p in root.iterdir() if p.is_dir() and re.fullmatch(r"g[0-9a-z]+t[0-9]+-[0-9a-f]+", p.name)}
    if any((root / entry).exists() for entry in LEGACY_KEYWORD_ENTRIES):
        found.add(LEGACY_GENERATION)
    return found


def drop_generations(client: Any, name: str, root: Path, keep: Iterable[str | None]) -> list[str]:
    """Delete every generation but `keep` from Chroma and the keyword root; returns those dropped."""
    kept = {g for g in keep if g is not None}
    dropped = sorted((chroma_generations(client, name) | keyword_generations(root)) - kept)
    for generation in dropped:
        base = collection_base(name, generation)
        for part in PARTS:
            with contextlib.suppress(Exception):  # already gone (NotFoundError / ValueError by version)
                client.delete_collection(f"{base}-{part}")
        if generation == LEGACY_GENERATION:
            for entry in LEGACY_KEYWORD_ENTRIES:
                target = root / entry
                if target.is_dir():
                    shutil.rmtree(target, ignore_errors=True)
                else:
                    target.unlink(missing_ok=True)
        else:
            shutil.rmtree(keyword_folder(root, generation), ignore_errors=True)
    return dropped
