"""The same ingest and scoped search against a real `chroma run` server (ADVOCATE_CHROMA_URL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.access import Scope
from integrations.settings import Settings
from integrations.wiring import Services
from tests.integration.chroma_server import chroma_server

pytestmark = pytest.mark.server


def test_ingest_and_search_through_a_chroma_server(tiny_workspace: Path, tmp_path: Path) -> None:
    with chroma_server(tmp_path / "chroma-server") as url:
        settings = Settings(data_dir=tmp_path / "data", chroma_url=url)
        summary = Services(settings).ingestor().ingest(tiny_workspace)
        assert summary.added == 14 and summary.chunks_embedded == summary.chunks_total > 0
        assert (tmp_path / "data" / "chroma").exists() is False  # vectors live on the server

        svc = Services(settings)
        assert svc.vectors.count() == summary.chunks_total
        hits = svc.retriever.search("phone shows a sync conflict after offline work", Scope.for_audience("csm"), 3)
        assert {h.chunk.record_id for h in hits[:2]} == {"docs/mobile/sync-conflicts.md", "t-1"}
        customer = svc.retriever.search("renewal risk discount", Scope.for_audience("customer", "bolt"), 10)
        assert customer and all(p.chunk.account_id in (None, "bolt") for p in customer)
        assert all(p.chunk.visibility.value != "internal" for p in customer)

        (tiny_workspace / "docs" / "sso-setup.md").unlink()
        again = Services(settings).ingestor().ingest(tiny_workspace)
        assert (again.removed, again.chunks_embedded) == (1, 0)
        assert Services(settings).vectors.count() == again.chunks_total
