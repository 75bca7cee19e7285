"""What an answer is made of; `Answer.model_dump(mode="json")` is the `ask --json` contract.

Extra keys (conversation_id) are allowed by the contract; the listed ones are never renamed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from accounts.models import SourceKind


class Citation(BaseModel):
    """One record an answer relies on, numbered [n] in the answer text by its position (1-based)."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: SourceKind
    title: str = ""
    snippet: str = ""


class ToolUse(BaseModel):
    """A judgement the answer ran, with its arguments, so a reader can rerun it (`advocate health ...`)."""

    model_config = ConfigDict(frozen=True)

    name: str
    args: dict[str, Any] = Field(default_factory=dict)


class Answer(BaseModel):
    """The assistant's reply: Markdown with [n] markers, the citations they point to, and how it was made."""

    answer: str
    citations: list[Citation] = Field(default_factory=list)
    tools: list[ToolUse] = Field(default_factory=list)
    mode: Literal["offline", "llm"] = "offline"
    degraded: bool = False
    conversation_id: str | None = None
    # What the reply answers as (an intent of assistant.planner.Intent): the plan's, or the records a
    # customer's question turned out to be about when those answered it (extends the contract's answer).
    intent: str | None = None


class Turn(BaseModel):
    """One message of a conversation, as kept in memory."""

    model_config = ConfigDict(frozen=True)

    role: Literal["user", "assistant"]
    text: str
