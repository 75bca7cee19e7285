"""Request and response bodies of the HTTP API (the OpenAPI schema is generated from these).

Responses reuse the core's contract models (Answer, HealthReport, …) where they exist; bodies are
strict (unknown fields are a 422), so a typo is an error rather than silently ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.answer import MAX_QUESTION_CHARS
from assistant.types import Answer, Citation

# Judgements subtract years from the as-of date: dates near the calendar's ends would overflow.
AS_OF_MIN, AS_OF_MAX = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
AsOfDate = Annotated[dt.date, Field(ge=AS_OF_MIN, le=AS_OF_MAX, description="YYYY-MM-DD; default today.")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChatRequest(Strict):
    message: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="The question.")
    conversation_id: str | None = Field(default=None, min_length=1, max_length=100,
                                        pattern=r"^[A-Za-z0-9_.:-]+$",
                                        description="Continue this conversation (one this credential started).")
    as_of: AsOfDate | None = None


class LinkedCitation(Citation):
    """A citation, plus the doc's public URL when it has one on an allowed host."""

    url: str | None = None


class ChatResponse(Answer):
    """The `ask --json` object plus the conversation id (and doc links on citations)."""

    citations: list[LinkedCitation] = Field(default_factory=list)  # type: ignore[assignment]
    conversation_id: str


class FeedbackRequest(Strict):
    conversation_id: str = Field(min_length=1, max_length=100)
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)


class FeedbackResponse(BaseModel):
    id: int
    conversation_id: str
    rating: str


class CsmRequest(Strict):
    message: str = Field(default="", max_length=2000, description="What the customer wants to talk about.")


class CsmRequestResponse(BaseModel):
    id: str = Field(description="The request's activity id in the account's history.")
    account_id: str
    status: Literal["open"] = "open"
    message: str


class WidgetConfig(BaseModel):
    account_id: str
    account_name: str
    suggested_questions: list[str]
    link_hosts: list[str]


class SearchResponse(BaseModel):
    results: list[dict[str, Any]]


class IngestResponse(BaseModel):
    added: int
    updated: int
    removed: int
    unchanged: int
    chunks_embedded: int
    chunks_total: int
    seconds: float
    summary: str


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    ingested_at: str
