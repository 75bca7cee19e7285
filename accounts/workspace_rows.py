"""Turning a workspace file's bytes into rows: UTF-8 text, CSV rows and JSON Lines objects.

Real exports carry BOMs, CRLF, Latin-1 bytes, NULs, cut-short rows and stray quotes; each is either
handled or refused with the file and the line where it is. Lines are split on `\\n` only (never
`str.splitlines()`), because U+2028, `\\x85` and `\\x0c` are valid characters inside a JSON string or
a quoted CSV field, not line ends.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from accounts.errors import WorkspaceError

MAX_JSON_DEPTH = 16  # the format nests two levels; anything deep is hostile or broken
MAX_RECORD_CHARS = 1_000_000  # all text of one CSV row or JSON line: a long e-mail thread is ~50 KB
CSV_NEWLINE_ERROR = "new-line character seen in unquoted field"


def line_of(text: str | bytes, offset: int) -> int:
    """The 1-based line (counting `\\n` only) that holds character or byte `offset`."""
    if isinstance(text, str):
        return text.count("\n", 0, offset) + 1
    return text.count(b"\n", 0, offset) + 1


def decode_text(data: bytes, rel: str) -> str:
    """A file's text: UTF-8 (a BOM is dropped); empty files, other encodings and NUL bytes refused."""
    if not data.strip():
        raise WorkspaceError(rel, None, "file is empty (delete it if there is no data of this kind)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise WorkspaceError(rel, 1, "not UTF-8 at line 1: the file is UTF-16 (re-export it as UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = line_of(data, err.start)
        raise WorkspaceError(
            rel, line, f"not UTF-8 at line {line} (byte 0x{data[err.start]:02x}; Latin-1 or Windows-1252?"
            " re-export the file as UTF-8)"
        ) from None
    nul = text.find("\x00")
    if nul != -1:
        line = line_of(text, nul)
        raise WorkspaceError(rel, line, f"NUL byte at line {line}: refused (never valid text; remove it)")
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")  # classic Mac line ends: one line per \r
    return text


def split_lines(text: str) -> Iterator[str]:
    """Lines ending in `\\n` (kept), split on `\\n` alone."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end == -1:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def unclosed_quote_line(text: str, start_line: int) -> int:
    """The line where a CSV field's quote opens and never closes, scanning from the record's first line."""
    offset = 0
    for _ in range(start_line - 1):
        offset = text.index("\n", offset) + 1
    line, opened, quoted, at_field_start, i = start_line, start_line, False, True, offset
    while i < len(text):
        char = text[i]
        if quoted:
            if char == '"':
                if text.startswith('"', i + 1):
                    i += 1  # an escaped quote
                else:
                    quoted = False
        elif char == '"' and at_field_start:
            quoted, opened = True, line
        at_field_start = not quoted and char in ",\n\r"
        line += char == "\n"
        i += 1
    return opened


def iter_csv_rows(text: str, rel: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(first line of the record, row) for each CSV record; rows must have exactly the header's cells."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_CHARS + 1))  # the record cap applies below
    reader = csv.reader(split_lines(text), strict=True)
    header: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            if not cells:  # a blank line
                start = reader.line_num + 1
                continue
            if header is None:
                header = [name.strip() for name in cells]
                duplicates = sorted({name for name in header if header.count(name) > 1})
                if duplicates:
                    raise WorkspaceError(rel, start, f"header names a column twice: {', '.join(duplicates)}")
            elif len(cells) != len(header):
                raise WorkspaceError(rel, start, row_length_problem(len(cells), len(header)))
            elif sum(map(len, cells)) > MAX_RECORD_CHARS:
                raise WorkspaceError(rel, start, too_long(sum(map(len, cells))))
            else:
                yield start, dict(zip(header, cells, strict=True))
            start = reader.line_num + 1
    except csv.Error as err:
        if "unexpected end of data" in str(err):
            line = unclosed_quote_line(text, start)
            raise WorkspaceError(rel, line, "unterminated quote: a quoted field opens here and never closes") from None
        if CSV_NEWLINE_ERROR in str(err):
            raise WorkspaceError(rel, reader.line_num, "a bare carriage return (\\r) inside a row") from None
        raise WorkspaceError(rel, reader.line_num, f"malformed CSV: {err}") from None
    if header is None:
        raise WorkspaceError(rel, 1, "no header row")


def too_long(chars: int) -> str:
    return f"record holds {chars:,} characters of text, over the {MAX_RECORD_CHARS:,} per-record limit"


def row_length_problem(cells: int, columns: int) -> str:
    if cells < columns:
        return f"row cut short: {cells} cells, the header has {columns} columns (a cell or comma is missing)"
    return f"row too long: {cells} cells, the header has {columns} columns (an unquoted comma?)"


def iter_jsonl_rows(text: str, rel: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) pairs of a JSON Lines file; blank lines are skipped."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            raise WorkspaceError(rel, number, f"not valid JSON ({err.msg} at column {err.colno})") from None
        except RecursionError:
            raise WorkspaceError(rel, number, f"JSON nested too deeply (limit {MAX_JSON_DEPTH} levels)") from None
        if not isinstance(value, dict):
            raise WorkspaceError(rel, number, "expected a JSON object")
        problem = json_value_problem(value) if needs_walk(line) else None
        if problem:
            raise WorkspaceError(rel, number, problem)
        yield number, value


def needs_walk(line: str) -> bool:
    """False when the raw line alone proves the object shallow, small and NUL-free (most lines: C-speed
    string checks instead of a Python walk). A NUL can only be written `\\u0000` (raw NULs are refused
    with the file)."""
    return (len(line) > MAX_RECORD_CHARS or "\\u0000" in line
            or line.count("{") + line.count("[") > MAX_JSON_DEPTH)


def json_value_problem(value: Any) -> str | None:
    """Why a parsed JSON object is refused (too deep, too much text, a NUL inside a string), or None."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    chars = 0
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > MAX_JSON_DEPTH:
                return f"JSON nested too deeply (limit {MAX_JSON_DEPTH} levels)"
            for key, child in item.items():
                if "\x00" in key:
                    return "NUL character (\\u0000) in a JSON key: refused"
                chars += len(key)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            if depth > MAX_JSON_DEPTH:
                return f"JSON nested too deeply (limit {MAX_JSON_DEPTH} levels)"
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            if "\x00" in item:
                return "NUL character (\\u0000) in a JSON string: refused (never valid text; remove it)"
            chars += len(item)
    return too_long(chars) if chars > MAX_RECORD_CHARS else None
