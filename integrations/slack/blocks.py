"""Block Kit payloads, built by pure functions (no Slack calls here), within Slack's limits.

Slack rejects a message with more than 50 blocks, a section text over 3,000 characters, a header
over 150 or a context block with more than 10 elements. Every text from the workspace is escaped
(`&`, `<`, `>`), so a document cannot ping `<!channel>` or smuggle a link in Slack's own syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_CHARS = 3900
BAND_EMOJI = {"green": ":large_green_circle:", "yellow": ":large_yellow_circle:", "red": ":red_circle:",
              "unknown": ":white_circle:"}

Block = dict[str, Any]
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)


def escape(text: str) -> str:
    """Slack's three control characters, escaped (https://api.slack.com/reference/surfaces/formatting)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(markdown: str) -> str:
    """The answer's Markdown as Slack mrkdwn: bold, headings and http(s) links; everything else as text."""
    text = escape(markdown)
    text = _HEADING.sub(lambda m: f"*{m.group(1).strip()}*", text)
    text = _BOLD.sub(lambda m: f"*{m.group(1)}*", text)
    return _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1).replace('|', '/')}>", text)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_sections(text: str, limit: int = MAX_SECTION_CHARS, sep: str = "\n\n") -> list[str]:
    """Chunks of at most `limit` characters, cut between paragraphs (or lines, `sep="\n"`) only."""
    chunks: list[str] = []
    current = ""
    for paragraph in (p.strip() for p in text.split(sep)):
        if not paragraph:
            continue
        paragraph = _cut(paragraph, limit)
        if current and len(current) + len(sep) + len(paragraph) > limit:
            chunks.append(current)
            current = paragraph
        else:
            current = f"{current}{sep}{paragraph}" if current else paragraph
    if current:
        chunks.append(current)
    return chunks


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": _cut(text, MAX_HEADER_CHARS), "emoji": True}}


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, MAX_SECTION_CHARS)}}


def context(texts: Iterable[str]) -> Block:
    """One context block; more than ten texts are joined so the block stays within Slack's limit."""
    items = [t for t in texts if t]
    if len(items) > MAX_CONTEXT_ELEMENTS:
        items = [*items[: MAX_CONTEXT_ELEMENTS - 1], "  ".join(items[MAX_CONTEXT_ELEMENTS - 1:])]
    return {"type": "context",
            "elements": [{"type": "mrkdwn", "text": _cut(t, MAX_SECTION_CHARS)} for t in items]}


def fit(blocks: list[Block]) -> list[Block]:
    """At most 50 blocks: the rest is replaced by one line saying how much was left out."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    kept = blocks[: MAX_BLOCKS - 1]
    return [*kept, context([f"…{len(blocks) - len(kept)} more parts left out (Slack shows 50 at most)."])]


def citation_lines(citations: list[dict[str, Any]]) -> list[str]:
    return [f"[{n}] {escape(c.get('title') or c['id'])} ({c['source']} `{escape(c['id'])}`)"
            for n, c in enumerate(citations, start=1)]


def account_header(name: str, band: str | None) -> Block:
    badge = f" {BAND_EMOJI.get(band, '')} {band}" if band else ""
    return header(f"{name}{badge}")


def feedback_actions(conversation_id: str, evidence_key: str | None) -> Block:
    buttons: list[Block] = [
        {"type": "button", "action_id": "advocate_feedback_up", "value": conversation_id,
         "text": {"type": "plain_text", "text": "👍", "emoji": True}},
        {"type": "button", "action_id": "advocate_feedback_down", "value": conversation_id,
         "text": {"type": "plain_text", "text": "👎", "emoji": True}},
    ]
    if evidence_key:
        buttons.append({"type": "button", "action_id": "advocate_show_evidence", "value": evidence_key,
                        "text": {"type": "plain_text", "text": "Show evidence"}})
    return {"type": "actions", "block_id": "advocate_feedback", "elements": buttons}


def answer_blocks(answer: dict[str, Any], *, account: tuple[str, str | None] | None = None,
                  next_actions: list[str] | None = None, evidence_key: str | None = None,
                  notice: str | None = None) -> list[Block]:
    """An answer (`ask --json` shape): header (account and band), sections, next actions, sources, buttons."""
    blocks: list[Block] = []
    if account:
        blocks.append(account_header(*account))
    if notice:
        blocks.append(context([escape(notice)]))
    blocks += [section(chunk) for chunk in split_sections(mrkdwn(answer["answer"]))]
    if next_actions:
        lines = "\n".join(f"• {escape(a)}" for a in next_actions)
        blocks.append(section(f"*Next actions*\n{lines}"))
    if answer.get("citations"):
        blocks.append(context(citation_lines(answer["citations"])))
    if answer.get("conversation_id"):
        blocks.append(feedback_actions(answer["conversation_id"], evidence_key))
    return fit(blocks)


def evidence_blocks(citations: list[dict[str, Any]]) -> list[Block]:
    """The snippets behind an answer, one section per cited record."""
    if not citations:
        return [section("This answer cites no records.")]
    return fit([section(f"{line}\n>{escape(c.get('snippet') or '')[:2800]}")
                for line, c in zip(citation_lines(citations), citations, strict=True)])


def fallback_text(markdown: str) -> str:
    """The notification text Slack shows where blocks are not rendered (escaped, bounded)."""
    return _cut(escape(markdown.replace("\n", " ")), MAX_FALLBACK_CHARS)


def digest_blocks(title: str, summary: str, sections: list[tuple[str, list[str]]]) -> list[Block]:
    """The weekly digest: a header, a summary line, one section per kind of change (lines pre-rendered)."""
    blocks: list[Block] = [header(title), context([escape(summary)])]
    for heading, lines in sections:
        body = "\n".join(f"• {mrkdwn(line)}" for line in lines)
        chunks = split_sections(body, MAX_SECTION_CHARS - 200, "\n")
        blocks += [section(f"*{escape(heading)}*\n{chunk}") for chunk in chunks]
    return fit(blocks)
