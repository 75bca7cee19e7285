"""Bad input: each mistake is one clear line naming file, line and problem (the reader's side)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accounts.errors import WorkspaceError
from accounts.workspace import read_workspace
from tests.fixtures.tiny_workspace import FILES, write_tiny_workspace


def error_for(tmp_path: Path, overrides: dict[str, str | bytes | None], **kwargs: int) -> WorkspaceError:
    root = write_tiny_workspace(tmp_path / "ws", overrides)
    with pytest.raises(WorkspaceError) as caught:
        read_workspace(root, **kwargs)
    return caught.value


def test_valid_tiny_workspace_reads(tiny_workspace: Path) -> None:
    book = read_workspace(tiny_workspace)
    assert book.account_ids() == ["acme", "bolt"]
    assert book.records("acme").tickets[0].csat == 5
    assert book.records("bolt").account.first_value_date is None


def test_missing_accounts_csv(tmp_path: Path) -> None:
    err = error_for(tmp_path, {"accounts.csv": None})
    assert err.path.endswith("accounts.csv") and "missing" in err.message


def test_row_naming_unknown_account(tmp_path: Path) -> None:
    tickets = FILES["tickets.csv"] + "t-2,nosuch,2026-05-01,,2,open,Broken,Broken,false,\n"
    err = error_for(tmp_path, {"tickets.csv": tickets})
    assert (err.path, err.line) == ("tickets.csv", 3)
    assert "unknown account 'nosuch'" in err.message


def test_malformed_date(tmp_path: Path) -> None:
    accounts = FILES["accounts.csv"].replace("2027-01-01,dana", "2027-13-45,dana")
    err = error_for(tmp_path, {"accounts.csv": accounts})
    assert (err.path, err.line) == ("accounts.csv", 2)
    assert "renewal_date" in err.message and "2027-13-45" in err.message


def test_non_utf8_file(tmp_path: Path) -> None:
    data = FILES["contacts.csv"].encode() + "c-3,acme,Jos\u00e9,CTO,j@a.example,user,true,\n".encode("latin-1")
    err = error_for(tmp_path, {"contacts.csv": data})
    assert (err.path, err.line) == ("contacts.csv", 4)
    assert "not UTF-8" in err.message


def test_truncated_jsonl_line(tmp_path: Path) -> None:
    lines = FILES["activities.jsonl"].splitlines()
    truncated = "\n".join([lines[0], lines[1][: len(lines[1]) // 2], lines[2]]) + "\n"
    err = error_for(tmp_path, {"activities.jsonl": truncated})
    assert (err.path, err.line) == ("activities.jsonl", 2)
    assert "not valid JSON" in err.message


def test_yaml_that_does_not_parse(tmp_path: Path) -> None:
    err = error_for(tmp_path, {"success_plans/acme.yaml": "account_id: acme\nobjectives:\n  - id: [unclosed\n"})
    assert err.path == "success_plans/acme.yaml" and err.line is not None
    assert "YAML" in err.message


def test_empty_file(tmp_path: Path) -> None:
    err = error_for(tmp_path, {"usage.csv": ""})
    assert err.path == "usage.csv" and "empty" in err.message


def test_oversized_doc(tmp_path: Path) -> None:
    err = error_for(tmp_path, {"docs/huge.md": "# Huge\n" + "word " * 1000}, max_doc_bytes=2048)
    assert err.path == "docs/huge.md" and "limit" in err.message


def test_fifty_megabyte_doc_with_default_limit(tmp_path: Path) -> None:
    root = write_tiny_workspace(tmp_path / "ws")
    with (root / "docs" / "big.md").open("wb") as out:
        out.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, no real disk use
    with pytest.raises(WorkspaceError) as caught:
        read_workspace(root)
    assert caught.value.path == "docs/big.md" and "52.4 MB" in caught.value.message


def test_duplicate_ids(tmp_path: Path) -> None:
    first = FILES["activities.jsonl"].splitlines()[0]
    err = error_for(tmp_path, {"activities.jsonl": FILES["activities.jsonl"] + first + "\n"})
    assert (err.path, err.line) == ("activities.jsonl", 4)
    assert "duplicate id 'a-1' (first at line 1)" in err.message


def test_duplicate_usage_period(tmp_path: Path) -> None:
    row = FILES["usage.csv"].splitlines()[1]
    err = error_for(tmp_path, {"usage.csv": FILES["usage.csv"] + row + "\n"})
    assert (err.path, err.line) == ("usage.csv", 3)


def test_path_that_is_not_a_workspace(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(WorkspaceError, match=r"accounts\.csv"):
        read_workspace(tmp_path)
    with pytest.raises(WorkspaceError, match="no such folder"):
        read_workspace(tmp_path / "missing")
    with pytest.raises(WorkspaceError, match="not a folder"):
        read_workspace(tmp_path / "notes.txt")


def test_bad_enum_and_range(tmp_path: Path) -> None:
    tickets = FILES["tickets.csv"] + "t-2,acme,2026-05-01,,7,open,Broken,Broken,false,\n"
    err = error_for(tmp_path, {"tickets.csv": tickets})
    assert (err.line, "severity" in err.message) == (3, True)
    bad_kind = json.dumps({"id": "adv-2", "account_id": "acme", "date": "2026-04-11", "direction": "give",
                           "kind": "case_study"})
    err = error_for(tmp_path / "b", {"advocacy.jsonl": FILES["advocacy.jsonl"] + bad_kind + "\n"})
    assert (err.path, err.line) == ("advocacy.jsonl", 2) and "case_study" in err.message


def test_unknown_columns_are_kept_as_metadata(tmp_path: Path) -> None:
    contacts = FILES["contacts.csv"].replace("left_at\n", "left_at,linkedin\n", 1)
    contacts = contacts.replace("champion,true,\n", "champion,true,,ann-lee\n", 1)
    contacts = contacts.replace("sponsor,true,\n", "sponsor,true,,\n")
    root = write_tiny_workspace(tmp_path / "ws", {"contacts.csv": contacts})
    contact = read_workspace(root).records("acme").contacts[0]
    assert contact.extra == {"linkedin": "ann-lee"}
