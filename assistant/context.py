"""What the model sees for one question, packed to a token budget, and the records its answer may cite.

The budget is counted with the chat model's tokenizer (`retrieval.tokens.TokenCounter`): the system
prompt, the tool schemas and the question always go in; then the newest history turns (up to a
third of what is left), then retrieved passages best first. Every record shown, here or by a tool,
is entered in a `RecordLedger` with a ref number; an answer may cite only what the ledger holds,
and the ledger admits only what `assistant.citations.may_cite` allows the principal.
`CitationMarkers` turns the refs a reply uses into the answer's own numbering, in order of first use.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accounts.access import Scope
from accounts.models import SourceKind
from assistant.citations import SNIPPET_CHARS, may_cite
from assistant.injection import redact_instructions
from assistant.types import Citation, Turn
from prompts.answer import render_plan_note, render_question, render_record
from prompts.system import system_prompt
from retrieval.passages import Passage, record_key

if TYPE_CHECKING:
    from assistant.planner import Plan
    from assistant.principal import Principal
    from retrieval.tokens import TokenCounter

MESSAGE_OVERHEAD = 4  # tokens the chat format adds around each message (role, separators)
REPLY_PRIMING = 3  # tokens that open the assistant's reply
HISTORY_SHARE = 3  # history may take at most 1/HISTORY_SHARE of what is left after the fixed parts
QUESTION_SHARE = 4  # a question longer than 1/QUESTION_SHARE of the budget is cut
MAX_MARKER_CHARS = 82
_MARKER = re.compile(r"\s?\[\d+(?:\s*,\s*\d+)*\]")
_GROUP = re.compile(r"( ?)\[([^\[\]\n]{1,80})\](?!\()")


@dataclass(frozen=True)
class SeenRecord:
    """One record shown to the model in this answer, under the ref number it may cite."""

    ref: int
    record_id: str
    source: SourceKind
    title: str = ""
    snippet: str = ""

    def citation(self) -> Citation:
        return Citation(id=self.record_id, source=self.source, title=self.title, snippet=self.snippet)


class RecordLedger:
    """The records one answer has shown the model, numbered from 1; the only records it may cite.

    Passages outside the scope are refused (an index out of step, a caller's mistake), so a
    citation can never name a record the principal could not read.
    """

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._by_key: dict[str, SeenRecord] = {}
        self._by_ref: dict[int, SeenRecord] = {}

    def __len__(self) -> int:
        return len(self._by_ref)

    def next_ref(self, source: SourceKind | str, record_id: str) -> int:
        """The ref the record has, or would get if added now."""
        seen = self._by_key.get(record_key(source, record_id))
        return seen.ref if seen else len(self._by_ref) + 1

    def add(self, source: SourceKind | str, record_id: str, title: str = "", snippet: str = "") -> SeenRecord:
        """Enter a record (once; a second entry returns the first)."""
        key = record_key(source, record_id)
        if key not in self._by_key:
            seen = SeenRecord(len(self._by_ref) + 1, record_id, SourceKind(source), title, snippet)
            self._by_key[key] = self._by_ref[seen.ref] = seen
        return self._by_key[key]

    def admits(self, passage: Passage) -> bool:
        """Whether the principal may be shown this passage (scoped search results are checked again)."""
        return may_cite(self.scope, passage.chunk.source, passage.chunk)

    def add_passage(self, passage: Passage) -> SeenRecord | None:
        """Enter a retrieved passage if the scope may read it; None when it may not."""
        chunk = passage.chunk
        if not self.admits(passage):
            return None
        return self.add(chunk.source, chunk.record_id, chunk.title, passage.snippet(SNIPPET_CHARS))

    def lookup(self, marker: str) -> SeenRecord | None:
        """The record a citation marker names: a ref number, a record key (`tickets:t-1`) or a record id."""
        marker = marker.strip()
        if marker.isdigit():
            return self._by_ref.get(int(marker))
        if marker in self._by_key:
            return self._by_key[marker]
        return next((seen for seen in self._by_ref.values() if seen.record_id == marker), None)


class CitationMarkers:
    """Rewrites a reply's citation markers to the answer's numbers, in order of first use.

    `[ref]`, `[ref, ref]` and `[record-id]` markers naming ledger records become `[1]`, `[2]`...;
    numeric markers naming no record the model was shown (invented ones) are dropped; other
    bracketed text (prose, Markdown links) is left alone. Fed token by token it holds back only an
    unfinished marker, so a stream and the final answer read the same.
    """

    def __init__(self, ledger: RecordLedger) -> None:
        self.ledger = ledger
        self.cited: list[SeenRecord] = []
        self._numbers: dict[int, int] = {}
        self._held = ""

    def feed(self, text: str) -> str:
        """The rewritten text that is safe to emit now."""
        self._held += text
        cut = _safe_cut(self._held)
        done, self._held = self._held[:cut], self._held[cut:]
        return _GROUP.sub(self._replace, done)

    def flush(self) -> str:
        """Whatever was held back, rewritten (the reply has ended)."""
        done, self._held = self._held, ""
        return _GROUP.sub(self._replace, done)

    def _number(self, seen: SeenRecord) -> int:
        if seen.ref not in self._numbers:
            self.cited.append(seen)
            self._numbers[seen.ref] = len(self.cited)
        return self._numbers[seen.ref]

    def _replace(self, match: re.Match[str]) -> str:
        space, parts = match.group(1), [p.strip() for p in re.split(r"[,;]", match.group(2))]
        found = [self.ledger.lookup(part) for part in parts]
        if not all(p.isdigit() for p in parts) and not all(found):
            return match.group(0)
        numbers = "".join(f"[{self._number(seen)}]" for seen in found if seen is not None)
        return space + numbers if numbers else ""


def _safe_cut(text: str) -> int:
    """Where text stops being final: before an open '[' (or a closed one awaiting the next char) and its space."""
    start = text.rfind("[")
    if start < 0:
        return len(text) - 1 if text.endswith(" ") else len(text)
    end = text.find("]", start)
    if end == -1 and (len(text) - start > MAX_MARKER_CHARS or "\n" in text[start:]):
        return len(text)
    if end != -1 and end < len(text) - 1:
        return len(text) - 1 if text.endswith(" ") else len(text)
    return start - 1 if start > 0 and text[start - 1] == " " else start


@dataclass
class PackedContext:
    """The messages of one question and what they cost, measured, not estimated from characters."""

    system: str
    history: list[Turn]
    user: str
    prompt_tokens: int
    tool_tokens: int
    passages_used: int = 0
    passages_dropped: int = 0
    turns_used: int = 0
    turns_dropped: int = 0


def strip_markers(text: str) -> str:
    """An earlier answer's [n] markers point at another answer's records: drop them from history."""
    return _MARKER.sub("", text)


def message_tokens(counter: TokenCounter, text: str) -> int:
    return counter.count(text) + MESSAGE_OVERHEAD


def _plan_note(plan: Plan | None, tool_names: frozenset[str]) -> str:
    """The planner's accounts and judgements, naming only tools the model was given (else it would call them)."""
    if plan is None:
        return ""
    tools = [f"{use.name}({', '.join(f'{k}={v}' for k, v in use.args.items())})"
             for use in plan.tools if use.name in tool_names]
    return render_plan_note(plan.account_ids, tools)


def _render_passage(passage: Passage, ref: int) -> str:
    chunk = passage.chunk
    return render_record(  # text that instructs the assistant is data: never handed to the model as such
        ref, chunk.record_id, chunk.source.value, redact_instructions(chunk.text), title=chunk.title,
        account=chunk.account_id,
        date=chunk.date.isoformat() if chunk.date else None,
    )


def _keep_history(history: Sequence[Turn], counter: TokenCounter, budget: int) -> tuple[list[Turn], int]:
    """The newest turns that fit, in their original order, and their cost."""
    kept: list[Turn] = []
    used = 0
    for turn in reversed(history):
        text = strip_markers(turn.text) if turn.role == "assistant" else turn.text
        cost = message_tokens(counter, text)
        if used + cost > budget:
            break
        kept.append(Turn(role=turn.role, text=text))
        used += cost
    kept.reverse()
    return kept, used


def pack_context(
    question: str,
    principal: Principal,
    *,
    as_of: dt.date,
    history: Sequence[Turn],
    passages: Sequence[Passage],
    ledger: RecordLedger,
    counter: TokenCounter,
    budget: int,
    tool_tokens: int = 0,
    plan: Plan | None = None,
    tool_names: frozenset[str] = frozenset(),
) -> PackedContext:
    """System prompt + newest history + best passages, within `budget` prompt tokens (tool schemas included).

    Passages are entered in the ledger only when they fit, so refs name exactly what the model saw.
    """
    system = system_prompt(principal.audience, as_of=as_of.isoformat(), account_id=principal.account_id)
    question = counter.truncate(question.strip(), max(budget // QUESTION_SHARE, 1))
    note = _plan_note(plan, tool_names)
    # Counted with the no-records placeholder (17 tokens): a margin for tokens merging across joins.
    fixed = message_tokens(counter, system) + message_tokens(counter, render_question(question, [], note))
    fixed += tool_tokens + REPLY_PRIMING
    left = max(budget - fixed, 0)

    turns, history_cost = _keep_history(history, counter, left // HISTORY_SHARE)
    left -= history_cost

    blocks: list[str] = []
    dropped = 0
    for passage in passages:
        chunk = passage.chunk
        if not ledger.admits(passage):
            dropped += 1
            continue
        ref = ledger.next_ref(chunk.source, chunk.record_id)
        block = _render_passage(passage, ref)
        cost = counter.count(block) + 1  # +1: the newline joining blocks
        if cost > left:
            dropped += 1
            continue
        ledger.add_passage(passage)
        blocks.append(block)
        left -= cost

    user = render_question(question, blocks, note)
    prompt_tokens = (
        message_tokens(counter, system) + sum(message_tokens(counter, t.text) for t in turns)
        + message_tokens(counter, user) + tool_tokens + REPLY_PRIMING
    )
    return PackedContext(
        system=system, history=turns, user=user, prompt_tokens=prompt_tokens, tool_tokens=tool_tokens,
        passages_used=len(blocks), passages_dropped=dropped, turns_used=len(turns),
        turns_dropped=len(history) - len(turns),
    )
