"""What a data dir answers: the chunk ids every search returns, so two data dirs can be compared.

Two ingests of the same workspace must answer alike however they got there (a clean ingest, an
incremental one, one recovered after a kill): same chunk ids for the same queries in every scope,
in dense and in lexical mode, and no chunk twice. Only public surfaces are read (the retriever,
and the index sizes when the wiring still exposes them), so this keeps working as storage changes.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from accounts.access import Audience, Scope

QUERIES = ("how do I fix a sync conflict", "renewal discount", "export completed jobs to CSV",
           "single sign-on setup", "invoice", "champion frustrated with support", "success plan programme",
           "loyalty credit training", "dispatch board filter", "project kickoff recap")


@dataclass
class Fingerprint:
    """Search results per (scope, mode, query), index sizes, and chunk ids seen twice in one result list."""

    results: dict[str, list[str]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)

    def differences(self, other: Fingerprint, limit: int = 3) -> list[str]:
        """Where `self` answers differently from `other` (empty: the same)."""
        diffs = [_describe(key, self.results.get(key) or [], other.results.get(key) or [])
                 for key in sorted(set(self.results) | set(other.results))
                 if self.results.get(key) != other.results.get(key)]
        diffs += [f"size {key}: {self.sizes.get(key)} != {other.sizes.get(key)}"
                  for key in sorted(set(self.sizes) | set(other.sizes)) if self.sizes.get(key) != other.sizes.get(key)]
        return diffs[:limit] + ([f"... {len(diffs) - limit} more"] if len(diffs) > limit else [])


def _describe(key: str, got: list[str], expected: list[str]) -> str:
    """One differing result list, short: what is missing, what is extra, or that only the order differs."""
    missing, extra = [c for c in expected if c not in got], [c for c in got if c not in expected]
    if not missing and not extra:
        return f"{key}: same chunks, other order"
    return f"{key}: missing {missing[:3]}, extra {extra[:3]}"


def fingerprint(data_dir: Path, accounts: list[str], extra_queries: tuple[str, ...] = ()) -> Fingerprint:
    """Search the data dir in every scope (vendor, each customer) and mode; count its indexes."""
    from integrations.settings import Settings
    from integrations.wiring import Services
    from retrieval.hybrid import SearchMode

    svc = Services(Settings(data_dir=data_dir))
    found = Fingerprint()
    scopes = [("csm", Scope.for_audience(Audience.CSM))]
    scopes += [(f"customer:{a}", Scope.for_audience(Audience.CUSTOMER, a)) for a in accounts]
    for name, scope in scopes:
        for mode in (SearchMode.DENSE, SearchMode.LEXICAL):
            for query in QUERIES + extra_queries:
                ids = [p.chunk.chunk_id for p in svc.retriever.search(query, scope, 20, mode=mode)]
                found.results[f"{name}/{mode.value}/{query}"] = ids
                found.duplicates += [cid for cid, n in Counter(ids).items() if n > 1]
    with contextlib.suppress(Exception):  # internals may move (ingest generations); search is the contract
        found.sizes["vectors"] = svc.vectors.count()
        chunk_ids = [c.chunk_id for c in svc.keywords.chunks]
        found.sizes["keyword_chunks"] = len(chunk_ids)
        found.duplicates += [cid for cid, n in Counter(chunk_ids).items() if n > 1]
    return found



def fingerprint_copy(data_dir: Path, accounts: list[str], extra_queries: tuple[str, ...] = ()) -> Fingerprint | str:
    """`fingerprint` of a fresh copy of the data dir, or the error line when it cannot answer.

    An embedded Chroma client is cached per path and keeps what it read in memory; a copy under a
    new path is read from disk, as a new process would read it, without starting one.
    """
    import shutil
    import tempfile

    from accounts.errors import AdvocateError

    if not data_dir.exists():
        return "no data dir"
    copy = Path(tempfile.mkdtemp(prefix="fingerprint-")) / "data"
    shutil.copytree(data_dir, copy)
    try:
        return fingerprint(copy, accounts, extra_queries)
    except AdvocateError as err:
        return f"cannot answer: {err}"
    finally:
        _forget_chroma_clients(copy.parent)
        shutil.rmtree(copy.parent, ignore_errors=True)


def _forget_chroma_clients(under: Path) -> None:
    """Drop the embedded Chroma systems cached for paths under `under` (and only those), so
    fingerprinting many copies does not pile them up in this process."""
    with contextlib.suppress(Exception):
        from chromadb.api.shared_system_client import SharedSystemClient

        cache = SharedSystemClient._identifier_to_system
        for identifier in [i for i in cache if i.startswith(str(under))]:
            cache.pop(identifier, None)
            SharedSystemClient._identifier_to_refcount.pop(identifier, None)
