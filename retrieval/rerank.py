"""The reranking stage: the fused candidates re-ordered by how well their best sentence answers the query.

No cross-encoder ships inside a PyPI package with its weights (FlashRank and the rest download them
from a model hub at first use; see docs/benchmarks.md), so the bundled MiniLM embedder scores at
sentence level instead: every answer unit (`retrieval.sentences`) of the top candidates is embedded
with its section heading as context, and a passage's rerank score mixes its best unit's cosine
similarity to the query with its fused rank score. A long doc whose answer sits in one sentence
wins over a page that only shares the query's words. The unit similarities stay on the passage,
so the extractive composer picks sentences by the same meaning without embedding anything again.

A step or list item is embedded with its list's lead line ("When a technician is offline they can
still: start, pause and complete jobs;"): an item alone means little. Cost control: only the first
`candidates` passages are reranked, at most `units_per_passage` units each (those sharing most
words with the query), and vectors are cached (docs are asked about again and again).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from accounts.models import SourceKind
from retrieval.embeddings import Embedder
from retrieval.passages import Passage

_WORD = re.compile(r"[a-z0-9]{3,}")
SECTION_WORDS = 120  # a section read whole, as far as a sentence model reads well


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


class VectorCache:
    """A bounded LRU of text → unit vector, safe to share between request threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, texts: Sequence[str], embedder: Embedder) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._items]
        if missing:
            fresh = embedder.embed_documents(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._items[text] = vector
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        with self._lock:
            found = []
            for text in texts:
                vector = self._items.get(text)
                if vector is None:  # evicted by a concurrent caller: embed it again
                    vector = embedder.embed_documents([text])[0]
                else:
                    self._items.move_to_end(text)
                found.append(vector)
        return np.stack(found) if found else np.zeros((0, embedder.dimension), dtype=np.float32)


class SentenceReranker:
    """Reranks fused candidates by their best sentence's similarity to the query (bundled MiniLM)."""

    def __init__(self, embedder: Embedder, *, candidates: int = 6, units_per_passage: int = 40,
                 weight: float = 0.4, cache_size: int = 20_000) -> None:
        self.embedder = embedder
        self.candidates = candidates
        self.units_per_passage = units_per_passage
        self.weight = weight
        self.cache = VectorCache(cache_size)

    @staticmethod
    def _scoring_texts(passage: Passage, query_words: set[str], cap: int | None) -> list[tuple[str, str]]:
        """(text to embed, unit key) in reading order: each unit with its section heading as context, and a
        list item or step also with its list's lead line (an item alone means little); at most `cap` of them
        (those sharing most words with the query), all when None."""
        entries = []
        for unit in passage.units():
            lead = unit.procedure.lead if unit.procedure is not None else ""
            prefix = f"{lead} " if lead and lead != unit.text else ""
            entries.append((f"{unit.heading or passage.chunk.title}: {prefix}{unit.text}", unit.key))
        if cap is None or len(entries) <= cap:
            return entries
        ranked = sorted(range(len(entries)), key=lambda i: (-len(query_words & _words(entries[i][0])), i))
        return [entries[i] for i in sorted(ranked[:cap])]

    @staticmethod
    def _section_texts(passage: Passage) -> list[tuple[str, str]]:
        """(text to embed, heading) for each section of a doc: its title, heading and first words read together.
        A section heading often says in other words what the question asks ("Transfer stock" for parts still
        in transit), where no single sentence of it does."""
        if passage.chunk.source is not SourceKind.DOCS:
            return []
        entries = []
        for heading, units in passage.sections().items():
            words = " ".join(u.text for u in units).split()[:SECTION_WORDS]
            entries.append((f"{passage.chunk.title} — {heading or passage.chunk.title}. {' '.join(words)}", heading))
        return entries

    def warm(self, passages: Sequence[Passage]) -> int:
        """Embed every unit of these passages now (a server's docs, before it takes requests), up to the
        cache's size, so the first question about a page does not pay for its sentences; how many."""
        texts: list[str] = []
        for passage in passages:
            texts += [text for text, _ in self._scoring_texts(passage, set(), None)]
            texts += [text for text, _ in self._section_texts(passage)]
            if len(texts) >= self.cache.size:
                break
        texts = texts[: self.cache.size]
        for at in range(0, len(texts), 256):
            self.cache.vectors(texts[at: at + 256], self.embedder)
        return len(texts)

    def rerank(self, query: str, query_vector: np.ndarray, passages: list[Passage]) -> list[Passage]:
        """The first `candidates` passages re-ordered (with unit scores attached); the rest keep their order."""
        head, tail = passages[: self.candidates], passages[self.candidates:]
        if not head:
            return passages
        query_words = _words(query)
        chosen = [self._scoring_texts(p, query_words, self.units_per_passage) for p in head]
        sections = [self._section_texts(p) for p in head]
        texts = [text for entries in (*chosen, *sections) for text, _ in entries]
        sims = self.cache.vectors(texts, self.embedder) @ query_vector if texts else np.zeros(0)
        at = sum(len(entries) for entries in chosen)
        section_scores = []
        for entries in sections:
            section_scores.append({key: float(sim) for (_, key), sim in zip(entries, sims[at: at + len(entries)],
                                                                            strict=True)})
            at += len(entries)
        top = max(p.score for p in head) or 1.0
        scored: list[Passage] = []
        at = 0
        for passage, entries, by_section in zip(head, chosen, section_scores, strict=True):
            own = sims[at: at + len(entries)]
            at += len(entries)
            unit_scores = {key: float(sim) for (_, key), sim in zip(entries, own, strict=True)}
            best = float(own.max()) if len(own) else 0.0
            score = self.weight * best + (1 - self.weight) * passage.score / top
            scored.append(passage.model_copy(update={"rerank_score": score, "unit_scores": unit_scores,
                                                     "section_scores": by_section}))
        scored.sort(key=lambda p: -(p.rerank_score or 0.0))
        return scored + tail
