"""Account ids a person cannot tell apart are refused: case twins, look-alike letters, hidden characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.errors import WorkspaceError
from accounts.workspace import read_workspace
from tests.fixtures.tiny_workspace import FILES, write_tiny_workspace

ROW = "{id},Twin Corp,smb,Retail,1000,Starter,5,2026-01-01,2027-01-01,dana@fieldloop.example,onboarding,\n"


def accounts_with(account_id: str) -> str:
    return FILES["accounts.csv"] + ROW.format(id=account_id)


def error_for(tmp_path: Path, account_id: str) -> WorkspaceError:
    root = write_tiny_workspace(tmp_path / "ws", {"accounts.csv": accounts_with(account_id)})
    with pytest.raises(WorkspaceError) as caught:
        read_workspace(root)
    assert (caught.value.path, caught.value.line) == ("accounts.csv", 4)
    return caught.value


@pytest.mark.parametrize("twin", ["Acme", "ACME", "\uff21cme", "acme"])  # case, fullwidth Ａ, exact
def test_case_and_width_twins_are_duplicates(tmp_path: Path, twin: str) -> None:
    err = error_for(tmp_path, twin)
    assert "duplicate id" in err.message and "first at line 2" in err.message
    if twin != "acme":
        assert "as 'acme'" in err.message


@pytest.mark.parametrize(
    "odd, why",
    [
        ("new\tco", "whitespace"),
        ('"new co"', "whitespace"),
        ("new\u200bco", "control"),  # zero-width space
        ("new\u202eoc", "control"),  # right-to-left override
        ("new\x07co", "control"),
        ("\u0430cme-two", "mixes CYRILLIC and LATIN"),  # Cyrillic а
    ],
)
def test_odd_account_ids_are_refused(tmp_path: Path, odd: str, why: str) -> None:
    err = error_for(tmp_path, odd)
    assert "account_id" in err.message and why in err.message


def test_ordinary_unicode_ids_are_fine(tmp_path: Path) -> None:
    for account_id in ("müller-gmbh", "акме", "株式会社-3", "o'neil.co"):
        root = write_tiny_workspace(tmp_path / account_id, {"accounts.csv": accounts_with(account_id)})
        assert account_id in read_workspace(root).account_ids()
