"""The judgements as LangChain tools: pydantic input schemas, docstrings as the model's descriptions.

`build_judgement_tools(book_provider, config, as_of)` returns the `health`, `advocacy_check` and
`portfolio` tools. Each returns the judgement's contract JSON as a dict; a bad input (an unknown
account, contact, kind or CSM) comes back as `{"error": "..."}` so the model can correct itself.
This is the only module of `tools/` that imports LangChain.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from accounts.book import AccountBook
from accounts.errors import AdvocateError
from accounts.models import AskKind
from tools.advocacy import check_advocacy
from tools.config import JudgementConfig
from tools.health import assess_health
from tools.portfolio import summarize_portfolio

BookProvider = Callable[[], AccountBook]
MODEL_BAND_LIST = 25  # accounts per band the model's portfolio tool returns, largest ARR first


class HealthInput(BaseModel):
    account_id: str = Field(min_length=1, max_length=200, description="The account's id, e.g. 'acme'.")
    as_of: date | None = Field(default=None,
                               description="Judge as of this date (YYYY-MM-DD); default: the date of the question.")


class AdvocacyInput(BaseModel):
    account_id: str = Field(min_length=1, max_length=200, description="The account's id.")
    contact_id: str | None = Field(default=None, max_length=200,
                                   description="Check an ask of this contact; default: suggest the best one.")
    kind: AskKind | None = Field(default=None, description="Check this kind of ask; default: suggest one "
                                 "sized to the loyalty balance.")
    as_of: date | None = Field(default=None, description="Judge as of this date (YYYY-MM-DD).")


class PortfolioInput(BaseModel):
    csm: str | None = Field(default=None, max_length=200,
                            description="Only this CSM's accounts (handle or e-mail); default: all accounts.")
    as_of: date | None = Field(default=None, description="Judge as of this date (YYYY-MM-DD).")


def _guarded(run: Callable[..., BaseModel]) -> Callable[..., dict[str, Any]]:
    def call(**kwargs: Any) -> dict[str, Any]:
        try:
            return run(**kwargs).model_dump(mode="json")
        except AdvocateError as err:
            return {"error": str(err)}

    call.__doc__ = " ".join((run.__doc__ or "").split())  # one paragraph: the model's description
    return call


def build_judgement_tools(book_provider: BookProvider, config: JudgementConfig, as_of: date) -> list[BaseTool]:
    """The judgement tools, judging as of `as_of` unless the call names another date."""
    default_day = as_of

    @_guarded
    def health(account_id: str, as_of: date | None = None) -> BaseModel:
        """How is this customer doing? Returns the account's health as of a date: a 0-100 score, a band
        (green/yellow/red), the 30-day trend, scored components (adoption, engagement, support, sentiment,
        outcomes, relationship, commercial), flags (open_crisis, silence, usage_decline, champion_left,
        renewal_soon, overdue_commitment, negative_sentiment, objective_at_risk, expansion_signal,
        no_value_yet) and ranked next actions, each with evidence (source and record id)."""
        return assess_health(book_provider(), account_id, as_of=as_of or default_day, config=config)

    @_guarded
    def advocacy(account_id: str, contact_id: str | None = None, kind: AskKind | None = None,
                 as_of: date | None = None) -> BaseModel:
        """Can we ask this customer for advocacy (a review, a reference call, a case study…) now? Returns
        the verdict ready / not_yet (no real value yet) / not_now (wrong moment) with reasons and evidence,
        the loyalty-bank balance (weighted gives vs asks), the suggested ask and contact, and what to do
        before asking."""
        return check_advocacy(book_provider(), account_id, as_of=as_of or default_day, config=config,
                              contact_id=contact_id, kind=kind)

    @_guarded
    def portfolio(csm: str | None = None, as_of: date | None = None) -> BaseModel:
        """Where is the portfolio at risk? For one CSM or all accounts: counts, ARR, accounts per health
        band, accounts at risk ordered by ARR, renewals in the next 90 days, accounts ready for advocacy,
        silent accounts and overdue commitments, and the largest accounts of each band."""
        summary = summarize_portfolio(book_provider(), as_of=as_of or default_day, config=config, csm=csm)
        # Every account of a 10,000-account book would flood the model's context: the largest of each band
        # (`by_band` still counts them all).
        return summary.model_copy(update={"accounts_by_band": {
            band: accounts[:MODEL_BAND_LIST] for band, accounts in summary.accounts_by_band.items()}})

    return [
        StructuredTool.from_function(func=health, name="health", args_schema=HealthInput),
        StructuredTool.from_function(func=advocacy, name="advocacy_check", args_schema=AdvocacyInput),
        StructuredTool.from_function(func=portfolio, name="portfolio", args_schema=PortfolioInput),
    ]
