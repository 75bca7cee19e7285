"""Ingest generations with the real embedder, SQLite and embedded Chroma: a failed ingest changes
nothing, an incremental ingest equals a clean one, readers swap snapshots whole, one ingest at a time."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accounts.access import Scope
from accounts.store import BookChanges
from integrations.settings import Settings
from integrations.wiring import Services
from retrieval.generations import StaleSnapshot, chroma_generations, keyword_generations, new_generation_id
from retrieval.hybrid import SearchMode
from retrieval.ingest_lock import file_lock
from retrieval.vector_index import VectorIndex
from tests.conftest import CliResult
from tests.fixtures.tiny_workspace import FILES, write_tiny_workspace

QUERIES = ("sync conflict after offline work", "Power BI export", "Tableau connector", "renewal discount budget",
           "single sign-on Okta", "mobile app rollout kick-off", "Bolt Ltd courier", "QBR ops leadership")
SCOPES = (Scope.for_audience("csm"), Scope.for_audience("customer", "acme"), Scope.for_audience("customer", "bolt"))
TABLEAU = FILES["activities.jsonl"].replace("Ann wants the Power BI export.", "Ann asked for a Tableau connector.")


def index_view(data_dir: Path) -> dict[str, Any]:
    """Everything a reader can see of the committed generation, vectors and search results included."""
    svc = Services(Settings(data_dir=data_dir))
    snap = svc.snapshot()
    ids = [c.chunk_id for c in snap.keywords.chunks]
    vectors = snap.vectors.vectors_of(ids)
    searches = [
        [(p.chunk.chunk_id, round(p.score, 6)) for p in snap.retriever.search(q, scope, 5, mode=mode)]
        for q in QUERIES for scope in SCOPES for mode in SearchMode
    ]
    return {"chunks": snap.keywords.chunks, "metadata": snap.vectors.all_metadata(), "ids": ids,
            "vectors": np.stack([vectors[i] for i in ids]), "searches": searches,
            "hashes": svc.store.hashes()}


def generations(data_dir: Path) -> tuple[set[str], set[str]]:
    svc = Services(Settings(data_dir=data_dir))
    return chroma_generations(svc.chroma, "advocate"), keyword_generations(data_dir / "keyword_index")


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def change_everything(workspace: Path) -> None:
    """An account renamed (its records unchanged, their context lines not), one activity edited, a doc
    removed and another added."""
    write_tiny_workspace(workspace, {
        "accounts.csv": FILES["accounts.csv"].replace("Bolt Couriers", "Bolt Ltd"),
        "activities.jsonl": TABLEAU,
        "docs/offline-mode.md": "# Offline mode\n\nTechnicians can keep working offline; changes sync later.\n",
    })
    (workspace / "docs" / "sso-setup.md").unlink()


def test_incremental_ingest_equals_a_clean_ingest(tiny_workspace: Path, tmp_path: Path) -> None:
    incremental, clean = tmp_path / "incremental", tmp_path / "clean"
    Services(Settings(data_dir=incremental)).ingestor().ingest(tiny_workspace)
    change_everything(tiny_workspace)
    summary = Services(Settings(data_dir=incremental)).ingestor().ingest(tiny_workspace)
    assert 0 < summary.chunks_embedded < summary.chunks_total  # unchanged chunks were copied, not embedded
    Services(Settings(data_dir=clean)).ingestor().ingest(tiny_workspace)
    a, b = index_view(incremental), index_view(clean)
    assert a["chunks"] == b["chunks"] and a["metadata"] == b["metadata"] and a["hashes"] == b["hashes"]
    assert len(set(a["ids"])) == len(a["ids"])
    assert any("Bolt Ltd" in c.text for c in a["chunks"]) and not any("Bolt Couriers" in c.text for c in a["chunks"])
    np.testing.assert_allclose(a["vectors"], b["vectors"], atol=1e-6)
    assert a["searches"] == b["searches"]


class FailingEmbedder:
    """The real embedder until `after` calls, then an error (a crash in the middle of embedding)."""

    def __init__(self, real: Any, after: int) -> None:
        self.real, self.after = real, after
        self.model_name, self.dimension = real.model_name, real.dimension

    def embed_documents(self, texts: Any) -> Any:
        self.after -= 1
        if self.after < 0:
            raise RuntimeError("embedding failed")
        return self.real.embed_documents(texts)

    def embed_query(self, text: str) -> Any:
        return self.real.embed_query(text)


def test_a_failed_ingest_leaves_the_committed_generation_byte_for_byte(tiny_workspace: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    Services(Settings(data_dir=data)).ingestor().ingest(tiny_workspace)
    before, files_before, gens_before = index_view(data), folder_bytes(data / "keyword_index"), generations(data)
    change_everything(tiny_workspace)
    svc = Services(Settings(data_dir=data))
    svc.embedder = FailingEmbedder(svc.embedder, after=0)
    with pytest.raises(RuntimeError, match="embedding failed"):
        svc.ingestor().ingest(tiny_workspace)
    after = index_view(data)
    assert after["chunks"] == before["chunks"] and after["metadata"] == before["metadata"]
    assert after["hashes"] == before["hashes"] and after["searches"] == before["searches"]
    assert np.array_equal(after["vectors"], before["vectors"])
    assert folder_bytes(data / "keyword_index") == files_before and generations(data) == gens_before


def test_a_live_process_swaps_its_snapshot_whole(tiny_workspace: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    Services(settings).ingestor().ingest(tiny_workspace)
    live = Services(settings)
    old = live.snapshot()
    assert live.snapshot() is old  # same generation: same object, caches kept
    old.warm()
    write_tiny_workspace(tiny_workspace, {"activities.jsonl": TABLEAU})
    Services(settings).ingestor().ingest(tiny_workspace)  # another process commits

    new = live.snapshot()
    assert new is not old and new.generation != old.generation
    csm = Scope.for_audience("csm")
    assert new.retriever.search("Tableau connector", csm, 1)[0].chunk.record_id == "a-1"
    assert "Tableau" in new.book(["acme"]).records("acme").activities[0].body
    assert live.book(["acme"]).records("acme") == new.book(["acme"]).records("acme")
    # a request still holding the old snapshot answers wholly from the old generation
    assert "Power BI" in old.retriever.search("Power BI export", csm, 1)[0].chunk.text
    assert "Power BI" in old.book(["acme"]).records("acme").activities[0].body
    assert old.store.account_directory() == new.store.account_directory()

    unwarmed = live.snapshot()
    write_tiny_workspace(tiny_workspace, {"activities.jsonl": FILES["activities.jsonl"]})
    Services(settings).ingestor().ingest(tiny_workspace)
    with pytest.raises(StaleSnapshot):  # its records are no longer in the tables: never a mix
        unwarmed.book(["acme"])
    with pytest.raises(StaleSnapshot):  # two ingests later its collections are gone: not NotFoundError
        VectorIndex(live.chroma, "advocate", generation=old.index_id, create=False)
    # what the warmed old snapshot holds in memory still answers, wholly from its own generation
    assert "Power BI" in old.retriever.search("Power BI export", csm, 1, mode=SearchMode.DENSE)[0].chunk.text


def test_queries_during_ingests_answer_from_a_committed_generation(tiny_workspace: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    Services(settings).ingestor().ingest(tiny_workspace)
    reader = Services(settings)
    errors: list[BaseException] = []
    seen: set[str] = set()
    done = threading.Event()

    def ask() -> None:
        while not done.is_set():
            try:
                hits = reader.retriever.search("what does Ann want exported", Scope.for_audience("customer", "acme"), 3)
                seen.update(h.chunk.text for h in hits if h.chunk.record_id == "a-1")
            except StaleSnapshot:
                pass  # a request may be told to retry; never a raw Chroma error or an empty index
            except BaseException as err:
                errors.append(err)

    thread = threading.Thread(target=ask)
    thread.start()
    try:
        for body in (TABLEAU, FILES["activities.jsonl"], TABLEAU):
            write_tiny_workspace(tiny_workspace, {"activities.jsonl": body})
            Services(settings).ingestor().ingest(tiny_workspace)
    finally:
        done.set()
        thread.join()
    assert not errors, errors
    assert any("Tableau" in t for t in seen) or any("Power BI" in t for t in seen)


def test_old_generations_and_crash_leftovers_are_dropped(tiny_workspace: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = Settings(data_dir=data)
    Services(settings).ingestor().ingest(tiny_workspace)
    leftover = new_generation_id()  # what an ingest killed before its commit leaves behind
    VectorIndex(Services(settings).chroma, "advocate", generation=leftover, create=True)
    (data / "keyword_index" / f"g{leftover}").mkdir()
    for body in (TABLEAU, FILES["activities.jsonl"], TABLEAU):
        write_tiny_workspace(tiny_workspace, {"activities.jsonl": body})
        Services(settings).ingestor().ingest(tiny_workspace)
    in_chroma, in_folders = generations(data)
    store = Services(settings).store
    current, previous = store.index_of(store.generation()), store.meta("previous_index")
    assert in_chroma == in_folders == {current, previous} and leftover not in in_chroma


def test_a_second_ingest_waits_then_says_one_is_running(
    tiny_workspace: Path, tmp_path: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("ADVOCATE_INGEST_LOCK_WAIT_S", "0.3")
    with file_lock(data, 0):
        result = run_cli("ingest", str(tiny_workspace), "--data-dir", str(data))
    assert result.code == 2 and result.err.count("\n") == 1
    assert f"an ingest is already running (pid {os.getpid()} on " in result.err and " since " in result.err
    assert run_cli("ingest", str(tiny_workspace), "--data-dir", str(data)).code == 0  # released


def test_another_workspace_needs_replace(
    tiny_workspace: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    data = str(tmp_path / "data")
    assert run_cli("ingest", str(tiny_workspace), "--data-dir", data).code == 0
    other = shutil.copytree(tiny_workspace, tmp_path / "other")
    write_tiny_workspace(other, {"activities.jsonl": TABLEAU})
    refused = run_cli("ingest", str(other), "--data-dir", data)
    assert refused.code == 2 and "--replace" in refused.err and str(tiny_workspace.resolve()) in refused.err
    assert "Power BI" in Services(Settings(data_dir=Path(data))).book(["acme"]).records("acme").activities[0].body
    replaced = run_cli("ingest", str(other), "--data-dir", data, "--replace")
    assert replaced.code == 0 and f"replaced the data of workspace {tiny_workspace.resolve()}" in replaced.out
    assert "Tableau" in Services(Settings(data_dir=Path(data))).book(["acme"]).records("acme").activities[0].body


def test_a_data_dir_from_before_generations_serves_then_upgrades(tiny_workspace: Path, tmp_path: Path) -> None:
    """Indexes under their old names (no generation) and a create_all schema: readable as they are;
    the next ingest builds a first generation, copying the old vectors, and removes the old files."""
    from accounts.store import AccountStore
    from retrieval.keyword_index import KeywordIndex
    from tests.unit.accounts.test_migrations import write_old_data_dir
    from tests.unit.accounts.test_store import full_changes

    clean, old = tmp_path / "clean", tmp_path / "old"
    Services(Settings(data_dir=clean)).ingestor().ingest(tiny_workspace)
    reference = index_view(clean)
    model = Services(Settings(data_dir=clean)).embedder.model_name
    old.mkdir()
    url = f"sqlite:///{old / 'advocate.sqlite3'}"
    write_old_data_dir(url, "sqlite", full_changes(tiny_workspace))
    legacy = VectorIndex(Services(Settings(data_dir=old)).chroma, "advocate", create=True)
    legacy.upsert(reference["chunks"], reference["vectors"])
    KeywordIndex.build(reference["chunks"]).save(old / "keyword_index")
    store = AccountStore(url)
    store.apply(BookChanges(), {"workspace": str(tiny_workspace.resolve()), "index_settings": f"{model}|180|30",
                                "chunk_count": str(len(reference["chunks"]))})

    before = index_view(old)
    assert Services(Settings(data_dir=old)).snapshot().generation == ""
    assert before["chunks"] == reference["chunks"] and before["searches"] == reference["searches"]
    summary = Services(Settings(data_dir=old)).ingestor().ingest(tiny_workspace)
    assert summary.chunks_embedded == 0 and summary.generation  # vectors copied from the old index
    assert index_view(old)["searches"] == reference["searches"]
    assert "" in generations(old)[0]  # kept one more ingest, for readers still holding it
    write_tiny_workspace(tiny_workspace, {"activities.jsonl": TABLEAU})
    Services(Settings(data_dir=old)).ingestor().ingest(tiny_workspace)
    assert "" not in set().union(*generations(old)) and not (old / "keyword_index" / "chunks.jsonl").exists()


def test_answers_per_request_snapshot_see_a_new_ingest_within_scope(tiny_workspace: Path, tmp_path: Path) -> None:
    """What an HTTP or Slack handler does: `answer(..., ports=services.snapshot())` per request."""
    import datetime as dt

    from accounts.access import Audience
    from assistant.answer import answer
    from assistant.ports import AssistantPorts
    from assistant.principal import Principal

    settings = Settings(data_dir=tmp_path / "data")
    Services(settings).ingestor().ingest(tiny_workspace)
    server = Services(settings, preload=True)
    ann, bo = Principal(Audience.CUSTOMER, "acme", "ann"), Principal(Audience.CUSTOMER, "bolt", "bo")
    as_of = dt.date(2026, 11, 16)

    def ask(principal: Principal) -> str:
        ports: AssistantPorts = server.snapshot()  # mypy: a Snapshot is the assistant's ports
        result = answer("What did Ann ask for?", principal, ports=ports, as_of=as_of)
        return result.answer + " ".join(c.model_dump_json() for c in result.citations)

    assert "Power BI" in ask(ann)
    write_tiny_workspace(tiny_workspace, {"activities.jsonl": TABLEAU})
    Services(settings).ingestor().ingest(tiny_workspace)
    after = ask(ann)
    assert "Tableau" in after and "Power BI" not in after
    other = ask(bo)  # another customer: nothing of acme's, internal or not
    assert "Tableau" not in other and "Ann" not in other and "discount" not in other
