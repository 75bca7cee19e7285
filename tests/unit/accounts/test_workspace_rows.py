"""CSV and JSON Lines as real exports write them: cut-short and long rows, unterminated quotes, BOM,
CRLF, Latin-1, NUL bytes, and characters that `str.splitlines()` would wrongly take for line ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accounts.errors import WorkspaceError
from accounts.workspace import read_workspace
from tests.fixtures.tiny_workspace import FILES, write_tiny_workspace

ACCOUNTS = FILES["accounts.csv"]


def error_for(tmp_path: Path, overrides: dict[str, str | bytes | None]) -> WorkspaceError:
    root = write_tiny_workspace(tmp_path / "ws", overrides)
    with pytest.raises(WorkspaceError) as caught:
        read_workspace(root)
    return caught.value


def test_short_row_is_refused_not_silently_blank(tmp_path: Path) -> None:
    cut = ACCOUNTS.replace(",value,2025-03-01\n", "\n")  # acme's row loses its last two cells
    err = error_for(tmp_path, {"accounts.csv": cut})
    assert (err.path, err.line) == ("accounts.csv", 2)
    assert "cut short: 10 cells, the header has 12 columns" in err.message


def test_long_row_is_refused(tmp_path: Path) -> None:
    tickets = FILES["tickets.csv"] + "t-2,acme,2026-05-01,,2,open,Broken, really,Broken,false,\n"
    err = error_for(tmp_path, {"tickets.csv": tickets})
    assert (err.path, err.line) == ("tickets.csv", 3) and "too long: 11 cells" in err.message


def test_unterminated_quote_is_reported_in_its_file_where_it_opens(tmp_path: Path) -> None:
    broken = ACCOUNTS.replace("Acme Corp", '"Acme Corp')
    err = error_for(tmp_path, {"accounts.csv": broken})
    assert (err.path, err.line) == ("accounts.csv", 2) and "unterminated quote" in err.message
    multi = (FILES["contacts.csv"] + 'c-3,acme,"Multi\nline",CTO,x@a.example,user,true,\n'
             'c-4,acme,"Open,CFO,y,user,true,\n')
    err = error_for(tmp_path / "b", {"contacts.csv": multi + "c-5,acme,Z,CEO,z@a.example,user,true,\n"})
    assert (err.path, err.line) == ("contacts.csv", 6)


def test_line_numbers_follow_multiline_quoted_fields(tmp_path: Path) -> None:
    tickets = (FILES["tickets.csv"] + 't-2,acme,2026-05-01,,2,open,"Two\nlines",d,false,\n'
               "t-3,acme,bad,,2,open,s,d,false,\n")
    err = error_for(tmp_path, {"tickets.csv": tickets})
    assert (err.path, err.line) == ("tickets.csv", 5) and "opened_at" in err.message


def test_bom_and_crlf_are_read(tmp_path: Path) -> None:
    overrides: dict[str, str | bytes | None] = {
        name: b"\xef\xbb\xbf" + FILES[name].replace("\n", "\r\n").encode() for name in ("accounts.csv", "tickets.csv")
    }
    overrides["activities.jsonl"] = FILES["activities.jsonl"].replace("\n", "\r\n")
    root = write_tiny_workspace(tmp_path / "ws", overrides)
    book = read_workspace(root)
    assert book.account_ids() == ["acme", "bolt"]
    assert book.records("bolt").account.first_value_date is None
    assert book.records("acme").tickets[0].csat == 5
    assert [a.id for a in book.records("acme").activities] == ["a-1", "a-2"]


def test_latin1_is_named_with_its_line(tmp_path: Path) -> None:
    data = ACCOUNTS.replace("Bolt Couriers", "Bolt Caf\u00e9").encode("latin-1")
    err = error_for(tmp_path, {"accounts.csv": data})
    assert (err.path, err.line) == ("accounts.csv", 3)
    assert "not UTF-8 at line 3" in err.message and "0xe9" in err.message
    err = error_for(tmp_path / "b", {"accounts.csv": ACCOUNTS.encode("utf-16")})
    assert (err.path, err.line) == ("accounts.csv", 1) and "UTF-16" in err.message


@pytest.mark.parametrize(
    "name, content, line",
    [
        ("contacts.csv", FILES["contacts.csv"].replace("VP Ops", "VP\x00Ops"), 2),
        ("activities.jsonl", FILES["activities.jsonl"].replace("Renewal risk", "Renewal\\u0000risk"), 2),
        ("docs/sso-setup.md", "# SSO\n\nSet\x00up.\n", 3),
    ],
)
def test_nul_bytes_are_refused_with_file_and_line(tmp_path: Path, name: str, content: str, line: int) -> None:
    err = error_for(tmp_path, {name: content})
    assert (err.path, err.line) == (name, line) and "NUL" in err.message and "refused" in err.message


def test_unicode_line_separators_inside_values_are_data(tmp_path: Path) -> None:
    contacts = FILES["contacts.csv"] + 'c-3,acme,"Jo\x85Ann\x0cLee",CTO,j@a.example,user,true,\n'
    activity = {"id": "a-4", "account_id": "bolt", "date": "2026-05-05", "type": "note",
                "title": "Para\u2028graph", "body": "one\u2029two\x1cthree\x0bfour"}
    activities = FILES["activities.jsonl"] + json.dumps(activity, ensure_ascii=False) + "\n"
    root = write_tiny_workspace(tmp_path / "ws", {"contacts.csv": contacts, "activities.jsonl": activities})
    book = read_workspace(root)
    assert [c.name for c in book.records("acme").contacts][-1] == "Jo\x85Ann\x0cLee"
    note = next(a for a in book.records("bolt").activities if a.id == "a-4")
    assert (note.title, note.body) == ("Para\u2028graph", "one\u2029two\x1cthree\x0bfour")


def test_duplicate_header_column(tmp_path: Path) -> None:
    usage = "account_id,date,active_users,date\nacme,2026-05-04,40,2026-05-05\n"
    err = error_for(tmp_path, {"usage.csv": usage})
    assert (err.path, err.line) == ("usage.csv", 1) and "twice: date" in err.message
