"""Which links an answer may carry: a doc's `url` from its front matter, on an allowed host only.

The widget renders a citation as a link only when the server attached a URL here and the URL's host
is in `ADVOCATE_HTTP_LINK_HOSTS` (checked again in the browser); everything else is plain text.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import sqlalchemy as sa

from accounts.models import SourceKind
from accounts.store import AccountStore
from assistant.types import Answer
from integrations.http.schemas import LinkedCitation


def allowed_url(url: str, hosts: list[str]) -> bool:
    """http(s) URLs on one of the hosts, with no credentials in them."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("https", "http") and parts.hostname in hosts and not parts.username


class DocLinks:
    """doc path → allowed URL, read from the store once per ingest."""

    def __init__(self, store: AccountStore, hosts: list[str]) -> None:
        self.store, self.hosts = store, [h.lower() for h in hosts]
        self._cached: tuple[str | None, dict[str, str]] | None = None
        self._lock = threading.Lock()

    def links(self) -> dict[str, str]:
        stamp = self.store.meta("ingested_at")
        with self._lock:
            if self._cached is None or self._cached[0] != stamp:
                table = self.store.tables[SourceKind.DOCS]
                with self.store.engine.connect() as conn:
                    rows = conn.execute(sa.select(table.c.record_id, table.c.url)).all()
                self._cached = (stamp, {path: url for path, url in rows if url and allowed_url(url, self.hosts)})
            return self._cached[1]

    def cite(self, answer: Answer) -> list[LinkedCitation]:
        """The answer's citations, docs with their URL when allowed."""
        links = self.links() if self.hosts else {}
        return [LinkedCitation(**c.model_dump(), url=links.get(c.id) if c.source is SourceKind.DOCS else None)
                for c in answer.citations]
