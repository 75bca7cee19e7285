"""Input built to exhaust the reader is refused quickly with file and line: deeply nested JSON,
YAML alias bombs, oversized records."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from accounts.errors import WorkspaceError
from accounts.workspace import read_workspace
from accounts.workspace_rows import MAX_RECORD_CHARS
from tests.conftest import CliResult
from tests.fixtures.tiny_workspace import FILES, write_tiny_workspace

ALIAS_BOMB = (
    "account_id: acme\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    + "objectives: *i\n"
)


def error_for(tmp_path: Path, overrides: dict[str, str | bytes | None]) -> WorkspaceError:
    root = write_tiny_workspace(tmp_path / "ws", overrides)
    with pytest.raises(WorkspaceError) as caught:
        read_workspace(root)
    return caught.value


@pytest.mark.parametrize("name", ["activities.jsonl", "advocacy.jsonl"])
@pytest.mark.parametrize("depth", [50, 100_000])
def test_deeply_nested_json_is_refused(tmp_path: Path, name: str, depth: int) -> None:
    nested = '{"id": "x-9", "account_id": "acme", "meta": ' + "[" * depth + "]" * depth + "}\n"
    err = error_for(tmp_path, {name: FILES[name] + nested})
    expected_line = FILES[name].count("\n") + 1
    assert (err.path, err.line) == (name, expected_line) and "nested too deeply" in err.message


def test_yaml_alias_bomb_is_refused_where_the_alias_is(tmp_path: Path) -> None:
    assert len(ALIAS_BOMB) < 2000  # 9**9 strings once expanded
    err = error_for(tmp_path, {"success_plans/acme.yaml": ALIAS_BOMB})
    assert (err.path, err.line) == ("success_plans/acme.yaml", 3)
    assert "alias (*a) refused" in err.message


def test_alias_in_front_matter_is_refused(tmp_path: Path) -> None:
    doc = "---\ntitle: &t SSO\nproduct_area: *t\n---\n# SSO\n"
    err = error_for(tmp_path, {"docs/sso-setup.md": doc})
    assert (err.path, err.line) == ("docs/sso-setup.md", 3) and "front matter alias" in err.message


def test_deep_yaml_is_refused(tmp_path: Path) -> None:
    deep = "account_id: acme\nobjectives: " + "[" * 40 + "]" * 40 + "\n"
    err = error_for(tmp_path, {"success_plans/acme.yaml": deep})
    assert (err.path, err.line) == ("success_plans/acme.yaml", 2) and "nested too deeply" in err.message


def test_nul_escape_in_yaml_is_refused(tmp_path: Path) -> None:
    plan = 'account_id: acme\nobjectives:\n  - id: o-1\n    title: "Cut\\0time"\n'
    err = error_for(tmp_path, {"success_plans/acme.yaml": plan})
    assert (err.path, err.line) == ("success_plans/acme.yaml", 4) and "NUL" in err.message


def test_plain_yaml_error_keeps_its_line(tmp_path: Path) -> None:
    err = error_for(tmp_path, {"success_plans/acme.yaml": "account_id: acme\nobjectives:\n  - id: [unclosed\n"})
    assert err.path == "success_plans/acme.yaml" and err.line is not None and "YAML error" in err.message


def test_oversized_records_are_refused(tmp_path: Path) -> None:
    huge = "x" * (MAX_RECORD_CHARS + 1)
    note = {"id": "a-9", "account_id": "acme", "date": "2026-05-09", "type": "note", "body": huge}
    err = error_for(tmp_path, {"activities.jsonl": FILES["activities.jsonl"] + json.dumps(note) + "\n"})
    assert (err.path, err.line) == ("activities.jsonl", 4) and "per-record limit" in err.message
    tickets = FILES["tickets.csv"] + f"t-2,acme,2026-05-01,,2,open,Big,{huge},false,\n"
    err = error_for(tmp_path / "b", {"tickets.csv": tickets})
    assert (err.path, err.line) == ("tickets.csv", 3) and "per-record limit" in err.message


def test_a_large_but_allowed_csv_cell_is_read(tmp_path: Path) -> None:
    """Python's csv refuses cells over 128 KB by default; a 200 KB description is within our limit."""
    tickets = FILES["tickets.csv"] + f"t-2,acme,2026-05-01,,2,open,Big,{'y' * 200_000},false,\n"
    root = write_tiny_workspace(tmp_path / "ws", {"tickets.csv": tickets})
    tickets_by_id = {t.ticket_id: t for t in read_workspace(root).records("acme").tickets}
    assert len(tickets_by_id["t-2"].description) == 200_000


def test_cli_exit_2_on_a_bomb(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    root = write_tiny_workspace(tmp_path / "ws", {"success_plans/acme.yaml": ALIAS_BOMB})
    result = run_cli("ingest", str(root), "--data-dir", str(tmp_path / "data"))
    assert result.code == 2 and "success_plans/acme.yaml:3" in result.err and "Traceback" not in result.err
