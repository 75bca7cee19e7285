"""Timestamps with a UTC offset keep their own calendar day (the day where they were written)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from accounts.parsing import RowError, parse_date, parse_datetime
from accounts.workspace import read_workspace
from retrieval.record_text import describe_ticket
from tests.fixtures.tiny_workspace import FILES, write_tiny_workspace


@pytest.mark.parametrize(
    "text, day",
    [
        ("2026-11-16T20:00-08:00", "2026-11-16"),  # 04:00 UTC on the 17th
        ("2026-11-16T02:00:00+09:00", "2026-11-16"),  # 17:00 UTC on the 15th
        ("2026-11-16T23:59:59.5+14:00", "2026-11-16"),
        ("2026-11-16T09:30:00Z", "2026-11-16"),
        ("2026-11-16T09:30:00z", "2026-11-16"),
        ("2026-11-16", "2026-11-16"),
    ],
)
def test_a_timestamp_keeps_its_own_day(text: str, day: str) -> None:
    assert parse_date(text) == dt.date.fromisoformat(day)
    assert parse_datetime(text).date() == dt.date.fromisoformat(day)
    assert parse_datetime(text).tzinfo is None


def test_wall_clock_time_is_kept() -> None:
    assert parse_datetime("2026-11-16T20:00-08:00") == dt.datetime(2026, 11, 16, 20, 0)
    with pytest.raises(RowError, match="not an ISO 8601"):
        parse_datetime("2026-11-16T25:00-08:00")


def test_workspace_records_land_on_their_written_day(tmp_path: Path) -> None:
    late = {"id": "a-9", "account_id": "acme", "date": "2026-11-16T20:00-08:00", "type": "call",
            "title": "Evening call", "visibility": "customer"}
    tickets = FILES["tickets.csv"] + "t-2,acme,2026-11-16T20:00-08:00,,2,open,Late,Late,false,\n"
    root = write_tiny_workspace(tmp_path / "ws", {
        "activities.jsonl": FILES["activities.jsonl"] + json.dumps(late) + "\n", "tickets.csv": tickets,
    })
    records = read_workspace(root).records("acme")
    assert next(a for a in records.activities if a.id == "a-9").date == dt.date(2026, 11, 16)
    ticket = next(t for t in records.tickets if t.ticket_id == "t-2")
    assert ticket.opened_at.date() == dt.date(2026, 11, 16)
    assert describe_ticket(ticket, "Acme").date == dt.date(2026, 11, 16)
