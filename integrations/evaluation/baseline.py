"""The plain-RAG baseline: a LangChain retriever over a Chroma collection, top passages as the answer.

Same passages (the chunks Advocate indexed), same embedding model (the bundled MiniLM, wrapped as a
LangChain `Embeddings`), same access scope for customers (docs plus their own customer-visible
records, as a `where` filter) — and nothing else: no judgements, no planner, no composer. Its
numbers are what "just RAG" gets on the same questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from accounts.access import Scope
    from integrations.wiring import Services
    from retrieval.embeddings import Embedder

TOP_K = 3
COLLECTION = "plain-rag"


class MiniLMEmbeddings(Embeddings):
    """The bundled MiniLM as a LangChain Embeddings; texts already embedded by ingest are reused, not redone."""

    def __init__(self, embedder: Embedder, known: dict[str, list[float]] | None = None) -> None:
        self.embedder = embedder
        self.known = known or {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        todo = [t for t in dict.fromkeys(texts) if t not in self.known]
        if todo:
            self.known.update(zip(todo, self.embedder.embed_documents(todo).tolist(), strict=True))
        return [self.known[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self.embedder.embed_query(text)]


@dataclass(frozen=True)
class BaselineAnswer:
    answer: str
    citations: list[tuple[str, str]]  # (source, record id)


class PlainRag:
    """LangChain + Chroma over one ingested workspace (its own collection in the eval data dir)."""

    def __init__(self, services: Services, directory: Path) -> None:
        from langchain_chroma import Chroma

        chunks = services.keywords.chunks
        self.store = Chroma(
            collection_name=COLLECTION, persist_directory=str(directory),
            embedding_function=MiniLMEmbeddings(services.embedder, _ingested_vectors(services, chunks)),
            collection_metadata={"hnsw:space": "cosine"},
        )
        if len(self.store.get(include=[])["ids"]) != len(chunks):  # cached from an earlier run, else rebuilt
            self.store.reset_collection()
            for start in range(0, len(chunks), 500):
                part = chunks[start:start + 500]
                self.store.add_texts([c.text for c in part], [c.chroma_metadata() for c in part],
                                     ids=[c.chunk_id for c in part])

    def answer(self, question: str, scope: Scope) -> BaselineAnswer:
        retriever = self.store.as_retriever(search_kwargs={"k": TOP_K, "filter": _where(scope)})
        docs = retriever.invoke(question)
        text = "\n\n".join(d.page_content for d in docs) or "No passages found."
        cites = list(dict.fromkeys((d.metadata["source"], d.metadata["record_id"]) for d in docs))
        return BaselineAnswer(text, cites)


def _where(scope: Scope) -> dict[str, Any] | None:
    """Docs plus the scope's own records (the same keys Advocate's index filters on); None: everything."""
    owners = scope.owner_keys()
    if owners is None:
        return None
    return {"$or": [{"account_id": ""}, {"owner_visibility": {"$in": owners}}]}


def _ingested_vectors(services: Services, chunks: list[Any]) -> dict[str, list[float]]:
    """Text -> vector for every chunk Advocate's ingest already embedded (read back from its Chroma)."""
    by_id = {c.chunk_id: c.text for c in chunks}
    known: dict[str, list[float]] = {}
    for collection in (services.vectors.public, services.vectors.accounts):
        found = collection.get(include=["embeddings"])
        for chunk_id, vector in zip(found["ids"], found["embeddings"], strict=True):
            if chunk_id in by_id:
                known[by_id[chunk_id]] = [float(x) for x in vector]
    return known
