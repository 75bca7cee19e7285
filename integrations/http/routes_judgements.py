"""Judgement and search routes: thin wrappers over the same functions as the CLI commands.

Health, advocacy and the portfolio are the vendor's view (customers never see health or the
loyalty bank): customer credentials get 403. Search applies the caller's scope like `ask` does.
Handlers are plain `def`, so FastAPI runs them in worker threads, off the event loop.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel

from accounts.access import Scope
from accounts.models import AskKind
from integrations.http.deps import Caller, HttpState, Staff, State, request_ports
from integrations.http.schemas import AS_OF_MAX, AS_OF_MIN, SearchResponse
from tools.advocacy import AdvocacyCheck, check_advocacy
from tools.health import HealthReport, assess_health
from tools.portfolio import PortfolioSummary, summarize_portfolio

router = APIRouter(prefix="/v1", tags=["judgements"])
AccountId = Annotated[str, Path(min_length=1, max_length=200, description="An account_id.")]
AsOf = Annotated[dt.date | None, Query(ge=AS_OF_MIN, le=AS_OF_MAX,
                                        description="Judge as of this date (YYYY-MM-DD); default today.")]


def _as_of(value: dt.date | None, state: HttpState) -> dt.date:
    return value or state.settings.today()  # today in the workspace's time zone, as the CLI


def contract_json(model: BaseModel) -> Response:
    """The model as its contract JSON, serialised once by pydantic (not again by FastAPI's encoder)."""
    return Response(model.model_dump_json(), media_type="application/json")


@router.get("/accounts/{account_id}/health", summary="An account's health (`health --json`)",
            response_model=HealthReport)
def health(account_id: AccountId, state: State, _: Staff, as_of: AsOf = None) -> Response:
    ports = request_ports(state.services)
    report = assess_health(ports.book([account_id]), account_id, as_of=_as_of(as_of, state),
                           config=ports.judgement_config)
    return contract_json(report)


@router.get("/accounts/{account_id}/advocacy-check", summary="Is now a good moment for an advocacy ask?",
            response_model=AdvocacyCheck)
def advocacy_check(
    account_id: AccountId, state: State, _: Staff, as_of: AsOf = None,
    contact: Annotated[str | None, Query(max_length=200, description="Check an ask of this contact.")] = None,
    kind: Annotated[AskKind | None, Query(description="Check this kind of ask.")] = None,
) -> Response:
    ports = request_ports(state.services)
    result = check_advocacy(ports.book([account_id]), account_id, as_of=_as_of(as_of, state),
                            config=ports.judgement_config, contact_id=contact, kind=kind)
    return contract_json(result)


@router.get("/portfolio", summary="Portfolio figures (`portfolio --json`)", response_model=PortfolioSummary)
def portfolio(
    state: State, caller: Staff, as_of: AsOf = None,
    csm: Annotated[str | None, Query(max_length=320, description="Only this CSM's accounts; `me` = the caller.")]
    = None,
) -> Response:
    if csm == "me":
        csm = caller.user
    ports = request_ports(state.services)
    book = ports.csm_book(csm) if csm else ports.book()
    summary = summarize_portfolio(book, as_of=_as_of(as_of, state), config=ports.judgement_config, csm=csm)
    return contract_json(summary)


@router.get("/search", summary="Ranked passages within the caller's scope (`search --json`)")
def search(
    state: State, caller: Caller,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="The query.")],
    k: Annotated[int, Query(ge=1, le=100, description="How many passages.")] = 10,
    account: Annotated[str | None, Query(min_length=1, max_length=200,
                                         description="Vendor staff: only this account (and the docs).")] = None,
    as_of: AsOf = None,
) -> SearchResponse:
    ports = request_ports(state.services)
    principal = caller.principal
    if principal.is_customer:
        scope = principal.scope()  # a customer's `account` parameter can never widen this
    else:
        if account:
            ports.book([account])  # an unknown account is a 404, not an empty result
        scope = Scope.for_audience(principal.audience, account)
    passages = ports.retriever.search(q, scope, k, as_of=as_of)
    return SearchResponse(results=[p.to_contract() for p in passages])
