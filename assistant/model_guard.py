"""A model's answer is checked like workspace text before anyone reads it.

A model that read a planted instruction may obey it however the context was marked. So what it
wrote goes through the same rules as a quotable sentence: a sentence that instructs an assistant,
or that repeats one the retrieved text carried, is dropped; a link to a host the workspace's own
text never linked to is dropped; a tool use is reported only when it is one of the principal's
tools and, for a customer, about their own account. Rules, not a model, and they err on the side
of saying less.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.injection import is_instruction
from assistant.principal import Principal
from assistant.types import Answer, ToolUse
from assistant.words import content_words
from retrieval.passages import Passage
from retrieval.sentences import split_units

_URL = re.compile(r"https?://([^/\s)\]>\"']+)[^\s)\]>\"']*", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
ECHO_SHARE = 0.6  # share of a sentence's words found in one planted instruction that makes it an echo
MIN_ECHO_WORDS = 5
DROPPED = "(Part of this answer was left out: it repeated instructions found in the workspace's text.)"


def _hosts(texts: Iterable[str]) -> set[str]:
    return {m.group(1).lower().split("@")[-1].split(":")[0] for t in texts for m in _URL.finditer(t)}


def _instructions(passages: list[Passage]) -> tuple[list[set[str]], set[str]]:
    """The content words of every instruction the passages carried, and the hosts their other text links to."""
    planted: list[set[str]] = []
    honest: list[str] = []
    for passage in passages:
        for unit in split_units(passage.body()):
            if is_instruction(unit.text):
                planted.append(content_words(unit.text))
            else:
                honest.append(unit.text)
    return planted, _hosts(honest)


def _echoes(sentence: str, planted: list[set[str]]) -> bool:
    words = content_words(sentence)
    if len(words) < MIN_ECHO_WORDS:
        return False
    return any(len(words & p) >= ECHO_SHARE * len(words) for p in planted)


def _clean_line(line: str, planted: list[set[str]], hosts: set[str]) -> tuple[str, bool]:
    """The line without instructing or echoing sentences and outside links; whether anything was cut."""
    kept: list[str] = []
    cut = False
    for sentence in (s for s in _SENTENCE.split(line) if s.strip()):
        if is_instruction(sentence) or _echoes(sentence, planted):
            cut = True
            continue
        cleaned = _URL.sub(lambda m: m.group(0) if m.group(1).lower() in hosts else "[link removed]", sentence)
        cut = cut or cleaned != sentence
        kept.append(cleaned)
    return " ".join(kept), cut


def guard_model_answer(result: Answer, principal: Principal, passages: list[Passage],
                       tool_names: frozenset[str] | None = None) -> Answer:
    """The model's answer with planted instructions, their echoes and outside links taken out."""
    planted, hosts = _instructions(passages)
    lines: list[str] = []
    dropped = False
    for line in result.answer.splitlines():
        if not line.strip():
            lines.append(line)
            continue
        cleaned, cut = _clean_line(line, planted, hosts)
        dropped = dropped or cut
        if cleaned.strip():
            prefix = line[: len(line) - len(line.lstrip())]
            lines.append(prefix + cleaned.lstrip())
    text = "\n".join(lines).strip()
    if dropped:
        text = f"{text}\n\n{DROPPED}" if text else DROPPED
    return result.model_copy(update={"answer": text, "tools": reported_tools(result.tools, principal, tool_names)})


def reported_tools(tools: list[ToolUse], principal: Principal, tool_names: frozenset[str] | None) -> list[ToolUse]:
    """Tool uses that belong to this principal: its own tools, and for a customer its own account."""
    kept = []
    for use in tools:
        if tool_names is not None and use.name not in tool_names:
            continue
        account = use.args.get("account_id")
        if principal.is_customer and account not in (None, principal.account_id):
            continue
        kept.append(use)
    return kept
