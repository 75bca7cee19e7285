"""Cutting documents into passages that fit both the prompt budget and the embedding model.

Chunks are measured in the chat model's tokens (tiktoken) and cut at the strongest boundary
available: a markdown heading starts a new chunk, then paragraph, sentence and line ends are
preferred, and only a run-on sentence is cut between tokens. Consecutive chunks of one section
overlap so a fact split across a boundary is still whole in one of them. Later chunks of a section
carry its heading line as a prefix, so "## Billing" context is not lost after the first chunk.

The defaults (180 tokens, 30 overlap) keep English prose under MiniLM's 256 word pieces; pass
`fits=embedder.fits_model` to enforce that for any text.

Cost is linear in the text's size: the whole text is tokenised once and the packer reads span
sizes off those token offsets (exact inside a span, off by a token or two at its edges), then
checks each finished chunk with one exact count. Re-tokenising every growing candidate slice, as
an earlier version did, made a 4.9 MB doc take longer than 15 minutes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from retrieval.markdown_units import Boundary as _Boundary
from retrieval.markdown_units import Section as _Section
from retrieval.markdown_units import segments as _segments
from retrieval.markdown_units import split_sections as _split_sections
from retrieval.tokens import TokenCounter

DEFAULT_MAX_TOKENS = 180
DEFAULT_OVERLAP_TOKENS = 30

_MIN_UNIT_TOKENS = 8
_CHARS_PER_TOKEN_BOUND = 16  # look-ahead when cutting run-on text: generous for any real text
_EDGE_SLACK = 3  # how far an estimated span size may be off (a re-tokenised edge), in tokens


@dataclass(frozen=True)
class TextChunk:
    """One passage: `text` is what to embed and show; offsets locate its body in the source.

    `source[start_char:end_char]` is the body. `text` equals it, except that a chunk of a section
    which does not begin at the section's heading gets `heading + "\\n"` in front.
    """

    text: str
    index: int
    start_char: int
    end_char: int
    heading: str = ""


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    before: _Boundary


def chunk_text(
    text: str,
    *,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
    counter: TokenCounter | None = None,
    fits: Callable[[str], bool] | None = None,
) -> list[TextChunk]:
    """Chunks of at most `max_tokens` tokens (heading prefix included); [] for blank text.

    A text that fits whole is one chunk. `fits`, when given, is a further test every chunk text
    must pass, e.g. `MiniLMEmbedder().fits_model`.
    """
    if max_tokens < 2 * _MIN_UNIT_TOKENS:
        raise ValueError(f"max_tokens must be at least {2 * _MIN_UNIT_TOKENS}, got {max_tokens}")
    if not 0 <= overlap_tokens <= max_tokens // 2:
        raise ValueError(f"overlap_tokens must be between 0 and max_tokens // 2, got {overlap_tokens}")
    sections = _split_sections(text)
    if not sections:
        return []
    counter = counter or TokenCounter()
    # A heading prefix may take at most a quarter of the budget, so every unit still fits beside it.
    sections = [_Section(counter.truncate(s.heading, max_tokens // 4), s.start, s.end) for s in sections]
    packer = _Packer(text, max_tokens, overlap_tokens, counter, fits, counter.token_start_array(text))
    first, last = sections[0], sections[-1]
    whole = packer.estimate(first.start, last.end)
    if whole <= max_tokens + _EDGE_SLACK and packer.accepts(text[first.start : last.end]):
        return [TextChunk(text[first.start : last.end], 0, first.start, last.end, first.heading)]
    spans = [(a, b, section) for section in sections for a, b in packer.chunk_section(section)]
    return [TextChunk(_with_prefix(text, a, b, s), i, a, b, s.heading) for i, (a, b, s) in enumerate(spans)]


def _with_prefix(text: str, start: int, end: int, section: _Section) -> str:
    """The chunk's text: its body, preceded by the section heading unless it starts there."""
    if not section.heading or start == section.start:
        return text[start:end]
    return f"{section.heading}\n{text[start:end]}"


@dataclass
class _Packer:
    """Packs one text's sections into chunk spans under the token budget."""

    text: str
    max_tokens: int
    overlap_tokens: int
    counter: TokenCounter
    fits: Callable[[str], bool] | None
    starts: Sequence[int] = ()  # where each token of the whole text starts (one tokenisation)
    lead_tokens: dict[str, int] = field(default_factory=dict)  # heading prefixes, counted once

    def accepts(self, candidate: str) -> bool:
        """Whether `candidate` may be a chunk's text (an exact count, plus the `fits` hook)."""
        return self.counter.count(candidate) <= self.max_tokens and (self.fits is None or self.fits(candidate))

    def estimate(self, start: int, end: int) -> int:
        """Tokens of text[start:end], read off the whole text's tokenisation: no re-encoding.

        Exact inside the span; a token cut by either edge may re-tokenise into one or two more.
        """
        first = bisect_left(self.starts, start)
        partial = first == len(self.starts) or self.starts[first] != start  # the span opens inside a token
        return bisect_left(self.starts, end) - first + partial

    def last_fitting(self, units: list[_Unit], lead: str, pos: int, first: int) -> int:
        """The last unit a chunk from `pos` (after `lead`) can hold: estimated, then confirmed exactly."""
        if lead not in self.lead_tokens:
            self.lead_tokens[lead] = self.counter.count(lead) if lead else 0
        budget = self.max_tokens + _EDGE_SLACK - self.lead_tokens[lead]
        last = first
        while last + 1 < len(units) and self.estimate(pos, units[last + 1].end) <= budget:
            last += 1
        if last == first or self.accepts(lead + self.text[pos : units[last].end]):
            return last
        low, high = first, last - 1  # the estimate overshot at an edge: largest unit count that fits
        while low < high:
            middle = (low + high + 1) // 2
            if self.accepts(lead + self.text[pos : units[middle].end]):
                low = middle
            else:
                high = middle - 1
        return low

    def chunk_section(self, section: _Section) -> list[tuple[int, int]]:
        """Greedy packing of units into (start, end) spans, cutting at the best boundary in reach."""
        text = self.text
        prefix = f"{section.heading}\n" if section.heading else ""
        units = self.units(section, prefix)
        spans: list[tuple[int, int]] = []
        pos, first_new = section.start, 0
        while first_new < len(units):
            lead = "" if pos == section.start else prefix
            if not self.accepts(lead + text[pos : units[first_new].end]):
                pos = units[first_new].start  # the overlap does not fit beside this unit: drop it
                lead = "" if pos == section.start else prefix
            last = self.last_fitting(units, lead, pos, first_new)
            if last + 1 < len(units):
                last = self.best_cut(units, pos, first_new, last)
            spans.append((pos, units[last].end))
            first_new = last + 1
            if first_new < len(units):
                pos = self.overlap_start(units, pos, last)
        return spans

    def best_cut(self, units: list[_Unit], pos: int, first: int, last: int) -> int:
        """The last unit to keep: the strongest boundary that leaves the chunk at least half full."""
        full = self.estimate(pos, units[last].end)
        best, best_strength = last, units[last + 1].before
        for k in range(last - 1, first - 1, -1):
            if self.estimate(pos, units[k].end) * 2 < full:
                break
            if units[k + 1].before > best_strength:
                best, best_strength = k, units[k + 1].before
        return best

    def overlap_start(self, units: list[_Unit], pos: int, last: int) -> int:
        """Where the next chunk starts: whole trailing units within the overlap, else a word-level tail."""
        text, end = self.text, units[last].end
        if self.overlap_tokens == 0:
            return units[last + 1].start
        start = None
        for k in range(last, -1, -1):
            if units[k].start <= pos or self.counter.count(text[units[k].start : end]) > self.overlap_tokens:
                break
            start = units[k].start
        if start is not None:
            return start
        offsets = self.counter.token_starts(text[pos:end])
        if len(offsets) <= self.overlap_tokens:
            return units[last + 1].start
        cut = pos + offsets[len(offsets) - self.overlap_tokens]
        while cut < end:
            while cut < end and not text[cut - 1].isspace():  # start on a whole word
                cut += 1
            while cut < end and text[cut].isspace():
                cut += 1
            # a word loses its leading space here, which can cost a token: re-check
            if self.counter.count(text[cut:end]) <= self.overlap_tokens:
                return cut
            cut += 1
        return units[last + 1].start

    def units(self, section: _Section, prefix: str) -> list[_Unit]:
        """Sentences (or lines) of the section, each small enough to share a chunk with prefix and overlap."""
        reserve = max(_MIN_UNIT_TOKENS, self.counter.count(prefix) + self.overlap_tokens)
        units: list[_Unit] = []
        for start, end, before in _segments(self.text, section.start, section.end):
            # " x" costs one token and one word piece: a unit leaves room for prefix and overlap.
            size = self.estimate(start, end)
            clearly_fits = self.fits is None and size + reserve + _EDGE_SLACK <= self.max_tokens
            clearly_not = size > self.max_tokens + _EDGE_SLACK  # a run-on paragraph: never re-encode it whole
            if clearly_fits or (not clearly_not and self.accepts(self.text[start:end] + " x" * reserve)):
                units.append(_Unit(start, end, before))
            else:
                units.extend(self.token_windows(start, end, before, reserve))
        return units

    def token_windows(self, start: int, end: int, before: _Boundary, reserve: int) -> list[_Unit]:
        """A run-on span cut between words into pieces that leave `reserve` tokens of room."""
        text, pos = self.text, start
        windows: list[_Unit] = []
        while pos < end:
            horizon = min(end, pos + _CHARS_PER_TOKEN_BOUND * self.max_tokens)  # linear, not quadratic
            ahead = bisect_left(self.starts, pos) + self.max_tokens + 2 * _EDGE_SLACK  # a window's worth, no more
            if ahead < len(self.starts):
                horizon = min(horizon, max(self.starts[ahead], pos + 1))
            offsets = self.counter.token_starts(text[pos:horizon])  # bounded: this window only
            size = min(len(offsets), max(1, self.max_tokens - reserve))
            while size > 1:
                cut = horizon if size >= len(offsets) else pos + offsets[size]
                space = text.rfind(" ", pos + 1, cut + 1) if cut < end else cut
                if cut < end and space > pos + (cut - pos) // 2:
                    cut = space  # end on a whole word when one ends in the latter half
                if self.accepts(text[pos:cut].rstrip() + " x" * reserve):
                    break
                size = size * 9 // 10 if size > 10 else size - 1
            else:
                cut = pos + offsets[1] if len(offsets) > 1 else horizon
            cut = max(cut, pos + 1)  # a token inside a multi-byte character can start at offset 0
            windows.append(_Unit(pos, pos + len(text[pos:cut].rstrip()), before if not windows else _Boundary.TOKEN))
            pos = cut
            while pos < end and text[pos].isspace():
                pos += 1
        return windows
