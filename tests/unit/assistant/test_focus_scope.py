"""A vendor's focus account narrows the search; it never hides what the vendor may read, and a customer's
scope stays the bound (issue 10: a CSM focused on one account who asked about another got no passages)."""

from __future__ import annotations

from typing import Any

from accounts.access import Audience, Scope
from accounts.models import SourceKind, Visibility
from assistant.answer import answer, make_plan
from assistant.gather import retrieve
from assistant.principal import Principal
from retrieval.passages import Passage

from .conftest import AS_OF, FakePorts, WordRetriever

FOCUSED_ON_HOOLI = Principal(Audience.CSM, "hooli", user="dana")
HOOLI_CUSTOMER = Principal(Audience.CUSTOMER, "hooli")


def passages_for(question: str, principal: Principal, ports: FakePorts) -> list[Passage]:
    plan = make_plan(question, principal, ports.store.account_directory(), None)
    return retrieve(plan, principal, ports, AS_OF)


def test_focused_csm_asking_about_another_account_gets_its_passages(ports: FakePorts) -> None:
    found = passages_for("What did Globex say about the sync outage?", FOCUSED_ON_HOOLI, ports)
    owners = {p.chunk.account_id for p in found}
    assert "globex" in owners and "hooli" not in owners
    assert "a-4" in {p.chunk.record_id for p in found}  # the outage e-mail itself


def test_focused_csm_answer_cites_the_other_account(ports: FakePorts) -> None:
    result = answer("Did we promise Globex anything?", FOCUSED_ON_HOOLI, ports=ports, as_of=AS_OF)
    assert "a-3" in {c.id for c in result.citations}


def test_focus_still_narrows_an_unnamed_question(ports: FakePorts) -> None:
    passages_for("any notes from the weekly meeting?", FOCUSED_ON_HOOLI, ports)
    assert ports.retriever.calls[-1]["scope"].account_ids == frozenset({"hooli"})


class LeakyRetriever(WordRetriever):
    """A retriever that ignores the scope it is given: the filter in gather must still hold the line."""

    def search(self, query: str, scope: Scope, k: int = 10, **kw: Any) -> list[Passage]:
        everything = Scope(Audience.CSM)
        return super().search(query, everything, k, **kw)


def test_customer_bound_holds_even_when_the_retriever_leaks(ports: FakePorts) -> None:
    ports.retriever = LeakyRetriever(ports.full)
    for question in ("What did Globex say about the sync outage?", "any renewal risk for Globex?",
                     "what did we promise?", "more seats"):
        for p in passages_for(question, HOOLI_CUSTOMER, ports):
            assert p.chunk.source is SourceKind.DOCS or (
                p.chunk.account_id == "hooli" and p.chunk.visibility is Visibility.CUSTOMER), (question, p.chunk)
            assert p.chunk.date is None or p.chunk.date <= AS_OF
    # sanity: the leaky retriever really offers internal and other-account chunks
    offered = ports.retriever.search("Globex sync outage seats", HOOLI_CUSTOMER.scope(), 50)
    assert {p.chunk.account_id for p in offered} >= {"globex", "hooli"}


def test_readable_is_the_bound_and_scope_the_focus() -> None:
    assert FOCUSED_ON_HOOLI.readable().allows(Visibility.INTERNAL, "globex")
    assert not FOCUSED_ON_HOOLI.scope().allows(Visibility.INTERNAL, "globex")
    assert not HOOLI_CUSTOMER.readable().allows(Visibility.CUSTOMER, "globex")
    assert not HOOLI_CUSTOMER.readable().allows(Visibility.INTERNAL, "hooli")
    assert HOOLI_CUSTOMER.scope_for(["globex"]) == HOOLI_CUSTOMER.scope()
