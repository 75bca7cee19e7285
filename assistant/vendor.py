"""Who the vendor is, read from the workspace itself: never a name hard-coded from the demo.

The workspace format has no vendor field, but it names the vendor twice over: in the docs' `url`
hosts (`help.fieldloop.example`) and in the CSMs' e-mail domains (`dana@fieldloop.example`). The
label they share is the vendor; its spelling ("FieldLoop") is the one the docs and passages use.
When the workspace spells it nowhere, answers say "the product docs" rather than guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlparse

from accounts.book import AccountBook
from retrieval.passages import Passage

GENERIC_LABELS = frozenset({"www", "help", "docs", "doc", "support", "kb", "developer", "developers", "api", "learn",
                            "community", "app", "portal", "mail", "example", "com", "org", "net", "io", "co"})
FALLBACK_DOCS = "the product docs"


def _labels(host: str) -> list[str]:
    parts = [p for p in host.lower().split(".") if p]
    return [p for p in parts[:-1] if p not in GENERIC_LABELS and len(p) >= 3]


def _host_labels(book: AccountBook) -> Counter[str]:
    found: Counter[str] = Counter()
    for doc in book.docs:
        if doc.url:
            found.update(_labels(urlparse(doc.url).hostname or "")[:1])
    for account_id in book.account_ids():
        csm = book.accounts[account_id].csm or ""
        if "@" in csm:
            found.update(_labels(csm.rsplit("@", 1)[1])[:1])
    return found


def _spelling(label: str, texts: Iterable[str]) -> str | None:
    pattern = re.compile(rf"\b{re.escape(label)}\b", re.IGNORECASE)
    forms: Counter[str] = Counter()
    for text in texts:
        forms.update(m.group(0) for m in pattern.finditer(text))
    proper = [(n, f) for f, n in forms.items() if f != f.lower()]
    return max(proper)[1] if proper else None


def vendor_name(book: AccountBook, passages: list[Passage]) -> str | None:
    """The vendor's name as the workspace spells it, or None when the workspace does not say."""
    key = "vendor_name"
    if key not in book.memo:
        labels = _host_labels(book)
        texts = [f"{d.title}\n{d.body}" for d in book.docs[:200]]
        book.memo[key] = next((name for label, _ in labels.most_common(3)
                               if (name := _spelling(label, texts)) is not None), None)
        book.memo["vendor_label"] = labels.most_common(1)[0][0] if labels else None
    name = book.memo[key]
    label = book.memo.get("vendor_label")
    if name is None and label:
        name = _spelling(label, (p.chunk.text for p in passages))
    return name  # type: ignore[no-any-return]


def docs_label(book: AccountBook, passages: list[Passage]) -> str:
    """"the FieldLoop docs" when the workspace names its vendor, else "the product docs"."""
    name = vendor_name(book, passages)
    return f"the {name} docs" if name else FALLBACK_DOCS


def vendor_domains(book: AccountBook) -> set[str]:
    """E-mail domains of the vendor's staff (the CSMs'), to tell their messages from the customer's."""
    return {csm.rsplit("@", 1)[1].lower() for a in book.account_ids()
            if "@" in (csm := book.accounts[a].csm or "")}
