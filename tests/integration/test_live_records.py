"""Records Advocate adds itself (a widget's "talk to my CSM") survive `advocate ingest` and get embedded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from accounts.access import Scope
from accounts.live_records import add_live_activity, customer_request, load_live_activities
from integrations.settings import Settings
from integrations.wiring import Services
from tests.conftest import CliResult
from tests.fixtures.tiny_workspace import FILES, write_tiny_workspace


def test_a_customer_request_survives_every_ingest(tiny_workspace: Path, tmp_path: Path,
                                                  run_cli: Callable[..., CliResult]) -> None:
    data = tmp_path / "data"
    assert run_cli("ingest", str(tiny_workspace), "--data-dir", str(data)).code == 0
    svc = Services(Settings(data_dir=data))
    cached = svc.book()  # a long-running front end holds the whole book
    request = customer_request("bolt", "Walk us through the mobile rollout", author="widget",
                               today=dt.date(2026, 6, 1))
    add_live_activity(svc.store, request)
    assert request.id in [a.id for a in svc.book(["bolt"]).records("bolt").activities]  # seen at once
    assert svc.book() is not cached  # the cached book was reloaded

    again = run_cli("ingest", str(tiny_workspace), "--data-dir", str(data))
    assert "0 added, 1 updated, 0 removed" in again.out and "1 chunks embedded" in again.out, again.out
    fresh = Services(Settings(data_dir=data))
    assert request.id in [a.id for a in fresh.book(["bolt"]).records("bolt").activities]
    hits = fresh.retriever.search("walk us through the mobile rollout", Scope.for_audience("customer", "bolt"), 5)
    assert request.id in [p.chunk.record_id for p in hits]
    assert "0 added, 0 updated, 0 removed" in run_cli("ingest", str(tiny_workspace), "--data-dir", str(data)).out

    # the account leaves the workspace: its request leaves the book, but is kept for when it comes back
    without_bolt = {name: "\n".join(line for line in FILES[name].splitlines() if "bolt" not in line) + "\n"
                    for name in ("accounts.csv", "contacts.csv", "activities.jsonl")}
    write_tiny_workspace(tiny_workspace, without_bolt)
    gone = run_cli("ingest", str(tiny_workspace), "--data-dir", str(data))
    assert gone.code == 0, gone.err
    after = Services(Settings(data_dir=data))
    assert after.book().account_ids() == ["acme"]
    assert [a.id for a in load_live_activities(after.store.engine)] == [request.id]
