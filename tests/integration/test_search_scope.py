"""A customer's scope never returns another account's chunk or an internal one: randomised over
every demo account, many queries, all three search modes and several k."""

from __future__ import annotations

import random
from typing import Any

from accounts.access import Scope
from accounts.models import Visibility
from retrieval.hybrid import SearchMode

CUSTOMER_VISIBLE = {Visibility.PUBLIC, Visibility.CUSTOMER}


def query_pool(svc: Any, rng: random.Random, n: int) -> list[str]:
    """Queries drawn from the corpus itself (including internal and other accounts' texts), so every
    forbidden chunk is a strong lexical and dense match for some query."""
    chunks = svc.keywords.chunks
    queries = []
    for chunk in rng.sample(chunks, min(n, len(chunks))):
        words = chunk.text.split()
        start = rng.randrange(max(1, len(words) - 8))
        queries.append(" ".join(words[start : start + rng.randint(2, 8)]))
    return [*queries, "renewal risk", "discount authority", "health score", "case study ask declined", "NPS"]


def test_customer_scope_never_leaks(demo_services: Any) -> None:
    rng = random.Random(20261116)
    accounts = demo_services.store.account_ids()
    assert len(accounts) >= 15
    queries = query_pool(demo_services, rng, 60)
    internal = sum(c.visibility is Visibility.INTERNAL for c in demo_services.keywords.chunks)
    assert internal > 20, "the demo must hold internal material for this test to mean anything"
    checked = 0
    for account_id in accounts:
        scope = Scope.for_audience("customer", account_id)
        for query in rng.sample(queries, 12):
            mode = rng.choice(list(SearchMode))
            for passage in demo_services.retriever.search(query, scope, rng.choice([3, 10, 30]), mode=mode):
                chunk = passage.chunk
                assert chunk.visibility in CUSTOMER_VISIBLE, (account_id, query, chunk.chunk_id)
                assert chunk.account_id in (None, account_id), (account_id, query, chunk.chunk_id)
                assert chunk.source.value not in ("advocacy", "surveys"), (account_id, chunk.chunk_id)
                checked += 1
    assert checked > 500


def test_customer_still_gets_their_own_records(demo_services: Any) -> None:
    """The filter is in the query, not a post-filter: a customer's own history is found even when other
    accounts' chunks match the query better."""
    for account_id in demo_services.store.account_ids():
        own = [c for c in demo_services.keywords.chunks
               if c.account_id == account_id and c.visibility is Visibility.CUSTOMER]
        if not own:
            continue
        target = own[0]
        hits = demo_services.retriever.search(target.text[:200], Scope.for_audience("customer", account_id), 10)
        assert target.record_id in [h.chunk.record_id for h in hits], (account_id, target.chunk_id)


def test_vendor_scope_sees_internal(demo_services: Any) -> None:
    hits = demo_services.retriever.search("internal renewal risk", Scope.for_audience("csm"), 20)
    assert any(h.chunk.visibility is Visibility.INTERNAL for h in hits)
