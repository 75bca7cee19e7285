"""What ingest made of the demo workspace: every chunk fits the embedding model, every kind is indexed."""

from __future__ import annotations

from typing import Any

from retrieval.embeddings import MiniLMEmbedder


def test_every_chunk_fits_the_model(demo_services: Any) -> None:
    model = MiniLMEmbedder()
    too_long = [c.chunk_id for c in demo_services.keywords.chunks if not model.fits_model(c.text)]
    assert too_long == []


def test_every_text_kind_is_indexed_and_counts_agree(demo_services: Any) -> None:
    sources = {c.source.value for c in demo_services.keywords.chunks}
    assert sources == {"activities", "tickets", "surveys", "advocacy", "success_plans", "docs"}
    assert demo_services.vectors.count() == len(demo_services.keywords.chunks)
