"""Where markdown may be cut: sections at headings (outside code fences), then paragraph, sentence
and line boundaries inside a section, each ranked by how good a place to cut it is."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from enum import IntEnum

_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S[^\n]*$", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)
# Group 1 of each is the gap between two units.
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n\s*)")
_SENTENCE_END = re.compile(r"(?<!\b\d)(?<!\b\d\d)[.!?][\"'”’)\]]*(\s+)")  # not "1. " list markers
_LINE_BREAK = re.compile(r"(\n\s*)")


class Boundary(IntEnum):
    """How good a place to cut just before a unit is (higher is better)."""

    TOKEN = 0
    LINE = 1
    SENTENCE = 2
    PARAGRAPH = 3


@dataclass(frozen=True)
class Section:
    heading: str
    start: int
    end: int


def split_sections(text: str) -> list[Section]:
    """Sections that begin at markdown headings outside code fences; heading-only ones merge down."""
    fences = [m.start() for m in _FENCE.finditer(text)]
    found = [m for m in _HEADING.finditer(text) if bisect_left(fences, m.start()) % 2 == 0]  # outside fences
    bounds = [0, *[m.start() for m in found], len(text)]
    body_starts = [0, *[m.end() for m in found]]
    headings = ["", *[m.group().strip() for m in found]]
    sections: list[Section] = []
    pending: list[str] = []
    pending_start: int | None = None
    for i, heading in enumerate(headings):
        start, end = bounds[i], bounds[i + 1]
        if not text[start:end].strip():
            continue
        if heading and not text[body_starts[i] : end].strip() and i + 1 < len(headings):
            # "# Guide" right above "## Install": one section carrying both headings
            pending.append(heading)
            pending_start = start if pending_start is None else pending_start
            continue
        if pending_start is not None:
            start, heading = pending_start, "\n".join([*pending, heading])
            pending, pending_start = [], None
        sections.append(trimmed(text, Section(heading, start, end)))
    return sections


def trimmed(text: str, section: Section) -> Section:
    """The section without its surrounding whitespace."""
    span = text[section.start : section.end]
    start = section.start + (len(span) - len(span.lstrip()))
    return Section(section.heading, start, section.start + len(span.rstrip()))


def segments(text: str, start: int, end: int) -> list[tuple[int, int, Boundary]]:
    """Trimmed paragraph/sentence/line spans of text[start:end], each with the boundary before it."""
    cuts: dict[int, tuple[int, Boundary]] = {}
    span = text[start:end]
    for pattern, strength in (
        (_LINE_BREAK, Boundary.LINE),
        (_SENTENCE_END, Boundary.SENTENCE),
        (_PARAGRAPH_BREAK, Boundary.PARAGRAPH),
    ):
        for m in pattern.finditer(span):
            previous = cuts.get(start + m.start(1))
            if previous is None or previous[1] < strength:
                cuts[start + m.start(1)] = (start + m.end(1), strength)
    for line in _HEADING.finditer(span):  # a heading line is a paragraph of its own
        if (position := start + line.end()) in cuts:
            cuts[position] = (cuts[position][0], Boundary.PARAGRAPH)
    segments: list[tuple[int, int, Boundary]] = []
    seg_start, before = start, Boundary.PARAGRAPH
    for cut in sorted(cuts):
        next_start, strength = cuts[cut]
        if cut < seg_start:  # inside the previous gap, e.g. a paragraph break after a sentence end
            before = max(before, strength)
            continue
        if text[seg_start:cut].strip():
            segments.append((seg_start, cut, before))
            before = strength
        else:
            before = max(before, strength)
        seg_start = next_start
    if text[seg_start:end].strip():
        segments.append((seg_start, end, before))
    return segments
