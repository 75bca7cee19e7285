"""Turning raw workspace rows (CSV cells, JSON values) into validated records.

One generic coercion per model field type, so every file gets the same date, boolean and list rules
and every error names the column and the offending value.
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from accounts.models import Record

R = typing.TypeVar("R", bound=Record)


class RowError(ValueError):
    """A row that does not validate; the reader adds file and line."""


def parse_date(value: str) -> date:
    """ISO 8601 date, or a timestamp of which only its own calendar day counts (offset kept, not UTC)."""
    text = value.strip()
    try:
        if len(text) > 10:
            return parse_datetime(text).date()
        return date.fromisoformat(text)
    except ValueError:
        raise RowError(f"{value!r} is not an ISO 8601 date") from None


def parse_datetime(value: str) -> datetime:
    """ISO 8601 timestamp (a bare date means midnight) as the naive wall-clock time it was written in.

    `2026-11-16T20:00-08:00` happened on 2026-11-16 where it was written; converting it to UTC would
    move it to the 17th and every day-based judgement (ticket age, silence, overdue) with it. Exports
    write one offset per system, so hours between two of its timestamps are unaffected.
    """
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        raise RowError(f"{value!r} is not an ISO 8601 date or timestamp") from None
    return moment.replace(tzinfo=None)


def base_types(annotation: Any) -> set[type]:
    """The concrete classes an annotation admits (`date | None` → {date, NoneType})."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        found: set[type] = set()
        for arg in typing.get_args(annotation):
            found |= base_types(arg)
        return found
    if origin is not None:
        return {origin}
    return {annotation} if isinstance(annotation, type) else set()


@cache
def _field_kinds(model: type[BaseModel]) -> dict[str, str]:
    """Per field: 'datetime', 'date', 'list' or 'plain' (datetime is checked first: it is a date)."""
    kinds: dict[str, str] = {}
    for name, info in model.model_fields.items():
        found = base_types(info.annotation)
        if datetime in found:
            kinds[name] = "datetime"
        elif date in found:
            kinds[name] = "date"
        elif tuple in found or list in found:
            kinds[name] = "list"
        else:
            kinds[name] = "plain"
    return kinds


def coerce_fields(model: type[Record], raw: dict[str, Any], *, list_separator: str = ";") -> dict[str, Any]:
    """Map raw values onto the model's fields; unknown keys go to `extra`, empty cells to defaults."""
    kinds = _field_kinds(model)
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in raw.items():
        if key is None:  # a CSV row with more cells than the header
            raise RowError(f"more cells than the header has columns: {value!r}")
        name = key.strip()
        if name not in kinds or name == "extra":
            if value not in (None, ""):
                extra[name] = value
            continue
        if value is None or (isinstance(value, str) and value.strip() == ""):
            continue
        kind = kinds[name]
        try:
            if kind == "datetime" and isinstance(value, str):
                value = parse_datetime(value)
            elif kind == "date" and isinstance(value, str):
                value = parse_date(value)
            elif kind == "list" and isinstance(value, str):
                value = tuple(part.strip() for part in value.split(list_separator) if part.strip())
        except RowError as err:
            raise RowError(f"column {name}: {err}") from None
        values[name] = value.strip() if isinstance(value, str) else value
    if extra:
        values["extra"] = extra
    return values


def build_record(model: type[R], raw: dict[str, Any]) -> R:
    """Validate one raw row into a record, or raise RowError naming the field and value."""
    values = coerce_fields(model, raw)
    try:
        return model.model_validate(values)
    except ValidationError as err:
        raise RowError(describe_validation_error(err)) from None


def describe_validation_error(err: ValidationError) -> str:
    """The first problem of a pydantic error as one readable clause."""
    first = err.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "row"
    if first["type"] == "missing":
        return f"missing required field {where}"
    shown = first.get("input")
    if first["type"] == "value_error" and "error" in first.get("ctx", {}):
        return f"field {where}: {first['ctx']['error']} (got {shown!r})"  # our own validators' words, as written
    return f"field {where}: {first['msg'].lower()} (got {shown!r})"
