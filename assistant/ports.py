"""What the assistant needs from the outside world, as Protocols.

`integrations.wiring.Services` satisfies `AssistantPorts` structurally, so the assistant never
imports integrations (imports flow inward) and tests can pass a small fake instead.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import sqlalchemy as sa

    from accounts.access import Scope
    from accounts.book import AccountBook
    from accounts.models import SourceKind
    from retrieval.passages import Passage
    from tools.config import JudgementConfig


class PassageSearch(Protocol):
    """The retriever: passages a scope may read, best first (retrieval.hybrid.HybridRetriever)."""

    def search(
        self,
        query: str,
        scope: Scope,
        k: int = 10,
        *,
        mode: Any = ...,
        sources: frozenset[SourceKind] | None = None,
        as_of: dt.date | None = None,
    ) -> list[Passage]: ...


class StorePort(Protocol):
    """The SQL store: the account directory for resolving names, and its engine for conversation memory."""

    @property
    def engine(self) -> sa.Engine: ...

    def account_directory(self) -> dict[str, str]: ...


class AssistantPorts(Protocol):
    """Everything `assistant.answer` reads: the book, the store, the retriever and the judgement config."""

    @property
    def store(self) -> StorePort: ...

    @property
    def retriever(self) -> PassageSearch: ...

    @property
    def judgement_config(self) -> JudgementConfig: ...

    def book(self, account_ids: list[str] | None = None, *, include_docs: bool = False) -> AccountBook: ...
