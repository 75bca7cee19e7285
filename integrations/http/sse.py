"""Server-sent events for a chat answer: `meta`, then `delta` pieces of the text, then `done`.

The `done` event carries the whole `ask --json` object (citations included), so a client that
missed a piece still ends with the full answer. Errors are decided before the stream starts and
come back as ordinary JSON errors with their status, never half-way through a 200.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Any

PIECE = re.compile(r"\S+\s*")
WORDS_PER_PIECE = 6
SSE_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def wants_stream(accept: str | None) -> bool:
    return bool(accept) and "text/event-stream" in (accept or "").lower()


def sse_event(event: str, data: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def pieces(text: str, words: int = WORDS_PER_PIECE) -> list[str]:
    """The text in pieces of a few words, whitespace kept, so joining them gives the text back."""
    found = PIECE.findall(text)
    lead = text[: len(text) - len(text.lstrip())]
    chunks = ["".join(found[i : i + words]) for i in range(0, len(found), words)]
    if lead and chunks:
        chunks[0] = lead + chunks[0]
    return chunks or [text]


async def stream_answer(payload: dict[str, Any]) -> AsyncIterator[bytes]:
    yield sse_event("meta", {k: payload.get(k) for k in ("conversation_id", "mode", "degraded")})
    for piece in pieces(payload["answer"]):
        yield sse_event("delta", {"text": piece})
        await asyncio.sleep(0)  # let the server flush each piece
    yield sse_event("done", payload)
