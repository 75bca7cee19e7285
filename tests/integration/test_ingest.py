"""Ingest end to end with the real embedder, SQLite and embedded Chroma: incremental, idempotent, atomic."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from accounts.access import Scope
from integrations.settings import Settings
from integrations.wiring import Services
from tests.conftest import CliResult
from tests.fixtures.tiny_workspace import FILES, write_tiny_workspace


def snapshot(data_dir: Path) -> tuple[object, ...]:
    """Everything a reader could see: stored record hashes, keyword-index chunks, Chroma metadata."""
    svc = Services(Settings(data_dir=data_dir))
    return svc.store.hashes(), [c.chunk_id for c in svc.keywords.chunks], svc.vectors.all_metadata()


def test_ingest_is_incremental_and_idempotent(
    tiny_workspace: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    data = str(tmp_path / "data")
    first = run_cli("ingest", str(tiny_workspace), "--data-dir", data)
    assert first.code == 0, first.err
    assert "14 added, 0 updated, 0 removed, 0 unchanged" in first.out
    again = run_cli("ingest", str(tiny_workspace), "--data-dir", data)
    assert "0 added, 0 updated, 0 removed, 14 unchanged; 0 chunks embedded" in again.out

    changed = FILES["activities.jsonl"].replace("Ann wants the Power BI export.", "Ann asked for a Tableau connector.")
    write_tiny_workspace(tiny_workspace, {"activities.jsonl": changed})
    (tiny_workspace / "docs" / "sso-setup.md").unlink()
    third = run_cli("ingest", str(tiny_workspace), "--data-dir", data)
    assert "0 added, 1 updated, 1 removed, 12 unchanged; 1 chunks embedded" in third.out

    svc = Services(Settings(data_dir=Path(data)))
    texts = {c.chunk_id: c.text for c in svc.keywords.chunks}
    assert "Tableau" in texts["activities:a-1#0"] and "Power BI" not in texts["activities:a-1#0"]
    assert not any(cid.startswith("docs:docs/sso-setup.md") for cid in texts)
    assert set(svc.vectors.all_metadata()) == set(texts)
    assert "docs/sso-setup.md" not in [d.path for d in svc.store.load_book().docs]
    hits = svc.retriever.search("Tableau connector", Scope.for_audience("csm"), 3)
    assert hits[0].chunk.record_id == "a-1"


@pytest.mark.parametrize(
    "overrides, where",
    [
        ({"tickets.csv": FILES["tickets.csv"] + "t-9,ghost,2026-05-01,,2,open,x,y,false,\n"}, "tickets.csv:3"),
        ({"activities.jsonl": FILES["activities.jsonl"] + '{"id": "a-9", "account_id"\n'}, "activities.jsonl:4"),
        ({"success_plans/acme.yaml": "account_id: [acme\n"}, "success_plans/acme.yaml:"),
        ({"usage.csv": b"account_id,date,active_users\nacme,2026-05-11,\xff\n"}, "usage.csv:2"),
    ],
)
def test_bad_input_changes_nothing(
    tiny_workspace: Path, tmp_path: Path, run_cli: Callable[..., CliResult],
    overrides: dict[str, str | bytes], where: str,
) -> None:
    data = tmp_path / "data"
    assert run_cli("ingest", str(tiny_workspace), "--data-dir", str(data)).code == 0
    before = snapshot(data)
    write_tiny_workspace(tiny_workspace, {"activities.jsonl": FILES["activities.jsonl"].replace("QBR", "Quarterly")})
    write_tiny_workspace(tiny_workspace, overrides)
    result = run_cli("ingest", str(tiny_workspace), "--data-dir", str(data))
    assert result.code == 2
    assert result.err.count("\n") == 1 and where in result.err and "Traceback" not in result.err
    assert snapshot(data) == before


def test_not_a_workspace_is_exit_2(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("ingest", str(tmp_path / "nowhere"), "--data-dir", str(tmp_path / "data"))
    assert result.code == 2 and "no such folder" in result.err


def test_search_before_ingest_is_a_clear_error(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("search", "sync", "--data-dir", str(tmp_path / "empty"))
    assert result.code == 2 and "advocate ingest" in result.err


def test_customer_search_never_sees_internal_or_other_accounts(
    tiny_workspace: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    data = str(tmp_path / "data")
    run_cli("ingest", str(tiny_workspace), "--data-dir", data)
    result = run_cli("search", "renewal risk discount budget welcome", "--as", "customer", "--account", "acme",
                     "--json", "--data-dir", data)
    ids = [r["id"] for r in json.loads(result.out)["results"]]
    assert "a-2" not in ids and "a-3" not in ids and "adv-1" not in ids and "s-1" not in ids
    assert "a-1" in ids
    assert run_cli("search", "x", "--as", "customer", "--data-dir", data).code == 2
    unknown = run_cli("search", "x", "--as", "customer", "--account", "acme-corp", "--data-dir", data)
    assert unknown.code == 2 and "acme" in unknown.err


def test_services_cache_the_book_until_the_next_ingest(tiny_workspace: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    Services(settings).ingestor().ingest(tiny_workspace)
    svc = Services(settings)
    whole = svc.book(include_docs=True)
    assert svc.book(include_docs=True) is whole  # cached
    assert svc.book().records("bolt") is whole.records("bolt") and svc.book().docs == ()
    assert svc.book(["acme"]).records("acme") is whole.records("acme")  # subsets share the cache
    assert svc.book(["bolt"]).account_ids() == ["bolt"]
    write_tiny_workspace(tiny_workspace, {"accounts.csv": FILES["accounts.csv"].replace("Bolt Couriers", "Bolt Ltd")})
    Services(settings).ingestor().ingest(tiny_workspace)
    assert svc.book().accounts["bolt"].name == "Bolt Ltd"  # another process's ingest invalidates the cache
    with pytest.raises(Exception, match="closest: bolt"):
        svc.book(["bolts"])
