"""The tools the model may call, built per question with the principal's scope closed over.

The model never chooses whose data it reads: a customer's search tool has no account argument and
always searches that customer's scope; vendor staff may narrow a search to an account they may read.
Customers get no judgement tools (health, advocacy, portfolio). Every tool answers in JSON whose
records carry a `ref` from the answer's `RecordLedger`, so the answer can cite them as [ref].
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from accounts.access import Scope
from accounts.models import SourceKind
from assistant.context import RecordLedger
from assistant.ports import PassageSearch
from assistant.principal import Principal
from prompts.answer import NOTHING_FOUND, OUT_OF_SCOPE
from prompts.system import (
    SEARCH_ACCOUNT_DESCRIPTION,
    SEARCH_K_DESCRIPTION,
    SEARCH_QUERY_DESCRIPTION,
    SEARCH_TOOL_DESCRIPTION,
    SEARCH_TOOL_NAME,
)

if TYPE_CHECKING:
    from accounts.book import AccountBook
    from tools.config import JudgementConfig

MAX_SEARCH_K = 8
TOOL_TEXT_CHARS = 600  # per record in a tool result: enough to answer from, bounded prompt growth
_SOURCES = frozenset(kind.value for kind in SourceKind)

# Builds the vendor judgement tools for one as_of date (see `judgement_tool_factory`).
JudgementToolFactory = Callable[[dt.date], Sequence[BaseTool]]


def judgement_tool_factory(book: Callable[[], AccountBook], config: JudgementConfig) -> JudgementToolFactory:
    """tools/registry.py's judgement tools bound to a book provider and config (for the composition root)."""

    def build(as_of: dt.date) -> Sequence[BaseTool]:
        from tools.registry import build_judgement_tools

        return build_judgement_tools(book, config, as_of)

    return build


class SearchInput(BaseModel):
    """A customer's search: no account argument, the scope is theirs."""

    query: str = Field(min_length=1, max_length=500, description=SEARCH_QUERY_DESCRIPTION)
    k: int = Field(default=5, ge=1, le=MAX_SEARCH_K, description=SEARCH_K_DESCRIPTION)


class VendorSearchInput(SearchInput):
    """Vendor staff may narrow a search to one account."""

    account_id: str | None = Field(default=None, max_length=200, description=SEARCH_ACCOUNT_DESCRIPTION)


def _dumps(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, default=str)


def build_search_tool(
    principal: Principal, search: PassageSearch, ledger: RecordLedger, *, as_of: dt.date
) -> BaseTool:
    """`search_workspace`, scoped: a customer's own records and docs, or what a vendor principal may read."""
    readable = ledger.scope

    def run(query: str, k: int = 5, account_id: str | None = None) -> str:
        scope = readable
        if account_id and not principal.is_customer:
            if not readable.allows("internal", account_id):
                return _dumps({"error": OUT_OF_SCOPE.format(account_id=account_id)})
            scope = Scope(readable.audience, frozenset({account_id}), readable.visibilities)
        passages = search.search(query, scope, min(k, MAX_SEARCH_K), as_of=as_of)
        records = []
        for passage in passages:
            chunk = passage.chunk
            if chunk.date is not None and chunk.date > as_of:
                continue  # the future of an as_of question does not exist yet
            seen = ledger.add_passage(passage)
            if seen is None:
                continue
            records.append({
                "ref": seen.ref, "id": chunk.record_id, "source": chunk.source.value, "title": chunk.title,
                "account_id": chunk.account_id, "date": chunk.date.isoformat() if chunk.date else None,
                "text": passage.snippet(TOOL_TEXT_CHARS),
            })
        return _dumps({"records": records} if records else {"records": [], "note": NOTHING_FOUND})

    schema = SearchInput if principal.is_customer else VendorSearchInput
    return StructuredTool.from_function(
        func=run, name=SEARCH_TOOL_NAME, description=SEARCH_TOOL_DESCRIPTION, args_schema=schema
    )


def cite_evidence(payload: Any, ledger: RecordLedger, note: str = "") -> Any:
    """Give every evidence item (`{"source", "id"}`) in a judgement's JSON a `ref`, entering it in the ledger.

    The snippet of such a citation is the text of the flag, reason or action the evidence supports.
    """
    if isinstance(payload, list):
        return [cite_evidence(item, ledger, note) for item in payload]
    if not isinstance(payload, dict):
        return payload
    own = payload.get("text")
    text = own if isinstance(own, str) else note
    out = {key: cite_evidence(value, ledger, text) for key, value in payload.items()}
    source, record_id = payload.get("source"), payload.get("id")
    if source in _SOURCES and isinstance(record_id, str):
        out["ref"] = ledger.add(str(source), record_id, f"{source} {record_id}", note).ref
    return out


def scoped_judgement_tool(tool: BaseTool, ledger: RecordLedger) -> BaseTool:
    """A judgement tool that refuses accounts outside the scope and numbers its evidence for citation."""

    def run(**kwargs: Any) -> str:
        account_id = kwargs.get("account_id")
        if isinstance(account_id, str) and not ledger.scope.allows("internal", account_id):
            return _dumps({"error": OUT_OF_SCOPE.format(account_id=account_id)})
        result = tool.invoke(kwargs)
        if isinstance(result, BaseModel):
            payload: Any = result.model_dump(mode="json")
        elif isinstance(result, str):
            try:
                payload = json.loads(result)
            except json.JSONDecodeError:
                return result
        else:
            payload = result
        return _dumps(cite_evidence(payload, ledger))

    return StructuredTool.from_function(
        func=run, name=tool.name, description=tool.description, args_schema=tool.args_schema
    )


def build_toolset(
    principal: Principal,
    ledger: RecordLedger,
    *,
    as_of: dt.date,
    search: PassageSearch | None = None,
    judgement_tools: JudgementToolFactory | None = None,
) -> list[BaseTool]:
    """The tools of one question: search (if a retriever is wired) and, for vendor staff only, the judgements."""
    tools: list[BaseTool] = []
    if search is not None:
        tools.append(build_search_tool(principal, search, ledger, as_of=as_of))
    if judgement_tools is not None and not principal.is_customer:
        tools += [scoped_judgement_tool(tool, ledger) for tool in judgement_tools(as_of)]
    return tools
