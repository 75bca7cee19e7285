"""Answer units of a passage: sentences that never cut Markdown or a parenthesis, and whole procedures.

Both the reranker (which scores units by meaning) and the extractive composer (which quotes them)
split text here, so a score always belongs to exactly the text that is shown. A split after `.`,
`!` or `?` is refused inside `**bold**`, `*emphasis*`, `` `code` ``, a `[link](url)` or an open
parenthesis, and after common abbreviations ("e.g.", "Dir."), so a unit never ends in `2026.**` or
`(Dir.`. A run of numbered lines is a procedure: its steps are units of their own (they score
separately) and also belong to one `Procedure`, so an answer can show the steps whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*)$")
_STEP = re.compile(r"^ {0,3}(\d{1,2})[.)][ \t]+(.+)$")
_BULLET = re.compile(r"^ {0,3}(?:[-*+]|>)[ \t]+")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_END = re.compile(r"[.!?](?:\*\*|__|[\"'”’)\]*_])*(\s+)(?=[A-Z0-9\"“(\[*`_])")
_PROTECTED = re.compile(r"`[^`\n]*`|\*\*[^*\n]+?\*\*|__[^_\n]+?__|\[[^\]\n]*\]\([^)\n]*\)|\*[^*\s][^*\n]*?\*")
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "vs.", "dir.", "dr.", "mr.", "mrs.", "ms.", "no.", "fig.",
                            "approx.", "incl.", "st.", "jr.", "sr.", "inc.", "corp.", "ltd.", "co."})
MIN_UNIT_CHARS = 12
MAX_UNIT_CHARS = 600


@dataclass(frozen=True)
class Procedure:
    """Items that belong together: numbered steps (a how-to in the docs) or a bullet list, markers removed.

    `lead` is the line that introduces them ("When a technician is offline they can still:").
    """

    steps: tuple[str, ...]
    heading: str = ""
    lead: str = ""
    ordered: bool = True


@dataclass(frozen=True)
class Unit:
    """One quotable piece of a passage; `procedure` is set for a numbered step; `paragraph` numbers the
    prose paragraph a sentence belongs to (-1 for list items and table rows), so the sentence after
    an answer ("…is skipped by default. Turn on X to …") can be shown with it."""

    text: str
    heading: str = ""
    procedure: Procedure | None = None
    paragraph: int = -1

    @property
    def key(self) -> str:
        return unit_key(self.text)


def unit_key(text: str) -> str:
    """The identity of a unit across splits (whitespace and case do not matter)."""
    return " ".join(text.split()).lower()


def _protected_spans(line: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _PROTECTED.finditer(line)]
    depth, start = 0, 0
    for i, ch in enumerate(line):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    if depth:  # an unclosed parenthesis protects the rest of the line
        spans.append((start, len(line)))
    return spans


def split_sentences(line: str) -> list[str]:
    """Sentences of one line of prose; a break inside Markdown, a parenthesis or after an abbreviation is no break."""
    spans = _protected_spans(line)
    pieces, begin = [], 0
    for match in _END.finditer(line):
        cut = match.start(1)  # the split point: after the full stop and any closing marks
        if any(a < cut < b for a, b in spans):
            continue
        word = line[:match.start() + 1].rsplit(None, 1)[-1].lower().lstrip("(*_\"“")
        if word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.){1,3}", word):
            continue
        pieces.append(line[begin:match.end()].strip())
        begin = match.end()
    pieces.append(line[begin:].strip())
    return [p for p in pieces if p]


_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


# A sentence opening with one of these points back at the sentence before ("By default that's Admin."):
# alone it means little, so it stays part of its predecessor.
_LEANS_BACK = re.compile(r"^(?:\*\*|_)?(that|that's|this|these|those|it|it's|its|they|they're|their|there|then|"
                         r"otherwise|also|however|instead|but)\b"
                         # or names what came before as the object of its first words ("Use it to…", "Ask them…")
                         r"|^(?:\S+\s+){1,2}(it|them|its|their|it's|that's|they're)(?!\w)", re.IGNORECASE)


def paragraph_sentences(text: str) -> list[str]:
    """The sentences of a prose paragraph, a sentence that points back joined to the one before it."""
    found: list[str] = []
    for sentence in split_sentences(text):
        if found and _LEANS_BACK.match(sentence) and not found[-1].endswith(":") \
                and len(found[-1]) + len(sentence) < MAX_UNIT_CHARS:
            found[-1] = f"{found[-1]} {sentence}"
        else:
            found.append(sentence)
    return found


MIN_FRAGMENT_WORDS = 6


def is_sentence(text: str) -> bool:
    """A line that says something: it ends like a sentence, or is long enough to be one. A salutation
    ("Dana,"), a signature ("Richard Hale") or a title line is no answer to anything."""
    return text.rstrip("*_)\"'”’ ").endswith((".", "!", "?")) or len(text.split()) >= MIN_FRAGMENT_WORDS


def table_row(line: str, header: list[str] | None) -> str | None:
    """A table's data row as one sentence, its first cell naming it and the others labelled by their
    column ("Appointment reminder — Sent when: a set time before the visit (default: 24 hours); Channels:
    E-mail, SMS"): facts kept in tables are answers too. None for a header or rule line, or a row whose
    table header is not in this text (a chunk starting mid-table)."""
    if header is None or _TABLE_RULE.match(line):
        return None
    cells = _cells(line)
    if len(cells) < 2 or not cells[0]:
        return None
    rest = "; ".join(f"{h}: {c}" if h else c for h, c in zip(header[1:], cells[1:], strict=False) if c)
    return f"{cells[0]} — {rest}." if rest else None


def split_units(text: str) -> list[Unit]:
    """The units of a passage body in reading order: sentences, list items and numbered steps.

    Headings are not units (they name the section of the units below them); fenced code blocks are
    skipped (code is shown by citing the doc, never cut into sentences), and so is front matter; a
    table's data row is one unit (`table_row`), its header and rule lines are not. A run of numbered
    lines, or of bullet lines, is one `Procedure` (with the line
    ending in ":" just before it as its lead); each item, and the lead, is a unit of its own.
    """
    units: list[Unit] = []
    heading = ""
    items: list[str] = []
    ordered = True
    lead: Unit | None = None
    in_fence = False
    header: list[str] | None = None  # the current table's header cells, once its rule line is seen

    def close_list() -> None:
        nonlocal lead
        if items:
            group = Procedure(tuple(items), heading, lead.text if lead else "", ordered)
            if lead is not None:
                units.append(Unit(lead.text, heading, group))
            units.extend(Unit(item, heading, group) for item in items if len(item) >= MIN_UNIT_CHARS)
            items.clear()
        lead = None

    lines = text.splitlines()
    if lines and lines[0].strip() == "---":  # YAML front matter: metadata, not prose
        end = next((i for i, ln in enumerate(lines[1:], 1) if ln.strip() == "---"), 0)
        lines = lines[end + 1:]
    prose: list[str] = []  # the lines of the paragraph being read (a paragraph may be wrapped)
    paragraphs = 0

    def close_paragraph() -> None:
        nonlocal lead, paragraphs
        if not prose:
            return
        for sentence in paragraph_sentences(" ".join(prose)):
            if sentence.endswith(":") and MIN_UNIT_CHARS <= len(sentence) <= MAX_UNIT_CHARS:
                lead = Unit(sentence, heading)  # kept only if a list follows
            elif MIN_UNIT_CHARS <= len(sentence) <= MAX_UNIT_CHARS and is_sentence(sentence):
                units.append(Unit(sentence, heading, paragraph=paragraphs))
        prose.clear()
        paragraphs += 1

    for raw in lines:
        if _FENCE.match(raw):
            close_paragraph()
            in_fence = not in_fence
            continue
        line = raw.strip()
        if not in_fence and line.startswith("|"):
            close_paragraph()
            close_list()
            row = table_row(line, header)
            if row is None:
                header = header if _TABLE_RULE.match(line) else _cells(line)
            elif MIN_UNIT_CHARS <= len(row) <= MAX_UNIT_CHARS:
                units.append(Unit(row, heading))
            continue
        header = None  # a blank or any other line ends the table
        if in_fence or not line:  # code or blank
            close_paragraph()
            continue
        step, bullet = _STEP.match(raw), _BULLET.match(raw)
        if step or bullet:
            close_paragraph()
            kind_is_ordered = step is not None
            if items and kind_is_ordered != ordered:
                close_list()
            ordered = kind_is_ordered
            items.append(step.group(2).strip() if step else _BULLET.sub("", line).strip())
            continue
        if (h := _HEADING.match(raw)) is not None:
            close_paragraph()
            close_list()
            heading = h.group(1).strip()
            continue
        if not prose:
            close_list()
        prose.append(line)
    close_paragraph()
    close_list()
    return units
