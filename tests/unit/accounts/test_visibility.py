"""Visibility fails closed: only `internal` and `customer` exist for account records; nothing unknown
can widen an audience, in the reader, in the scope check or in an indexed chunk."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from accounts.access import Scope
from accounts.errors import WorkspaceError
from accounts.models import SourceKind, Visibility
from accounts.workspace import read_workspace
from retrieval.passages import Chunk
from tests.conftest import CliResult
from tests.fixtures.tiny_workspace import FILES, write_tiny_workspace


def with_activity(**fields: object) -> str:
    row = {"id": "a-9", "account_id": "acme", "date": "2026-05-09", "type": "news", "title": "Press",
           "body": "Acme in the news", **fields}
    return FILES["activities.jsonl"] + json.dumps(row) + "\n"


@pytest.mark.parametrize("value", ["public", "everyone", "Customer", "CUSTOMER", 1, True])
def test_unknown_visibility_is_bad_input(tmp_path: Path, value: object) -> None:
    root = write_tiny_workspace(tmp_path / "ws", {"activities.jsonl": with_activity(visibility=value)})
    with pytest.raises(WorkspaceError) as caught:
        read_workspace(root)
    assert (caught.value.path, caught.value.line) == ("activities.jsonl", 4)
    assert "visibility" in caught.value.message and "internal" in caught.value.message


@pytest.mark.parametrize("fields", [{}, {"visibility": None}, {"visibility": ""}])
def test_missing_visibility_is_internal(tmp_path: Path, fields: dict[str, object]) -> None:
    root = write_tiny_workspace(tmp_path / "ws", {"activities.jsonl": with_activity(**fields)})
    activity = next(a for a in read_workspace(root).records("acme").activities if a.id == "a-9")
    assert activity.visibility is Visibility.INTERNAL


def test_public_activity_exits_2_and_stores_nothing(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    root = write_tiny_workspace(tmp_path / "ws", {"activities.jsonl": with_activity(visibility="public")})
    result = run_cli("ingest", str(root), "--data-dir", str(tmp_path / "data"))
    assert result.code == 2
    assert "activities.jsonl:4" in result.err and "visibility" in result.err
    assert "Traceback" not in result.err


def test_scope_never_widens_on_unknown_or_owned_public() -> None:
    customer = Scope.for_audience("customer", "bolt")
    csm = Scope.for_audience("csm", "acme")
    assert customer.allows(Visibility.PUBLIC, None)  # docs
    for scope in (customer, csm):
        assert not scope.allows(Visibility.PUBLIC, "acme")  # an account's record is never public
        assert not scope.allows("everyone", "acme")
    assert not customer.allows("everyone", "bolt")
    assert not customer.allows(Visibility.INTERNAL, "bolt")
    assert not customer.allows(Visibility.CUSTOMER, "acme")
    assert customer.allows(Visibility.CUSTOMER, "bolt")


def test_a_chunk_of_an_account_record_cannot_be_public() -> None:
    def chunk(account_id: str | None) -> Chunk:
        return Chunk(chunk_id="activities:a-9#0", record_id="a-9", source=SourceKind.ACTIVITIES,
                     account_id=account_id, visibility=Visibility.PUBLIC, date=None, path="activities.jsonl",
                     title="t", text="x")

    with pytest.raises(ValidationError, match="cannot be public"):
        chunk("acme")
    assert chunk(None).visibility is Visibility.PUBLIC
