"""The intent table (intents.yaml) and its scorer: every intent scored for every question.

Meaning comes from the bundled MiniLM model: the question (account names masked) against each
intent's example phrasings, best match per intent. Lexical cues add (or take away) a little, so a
word that decides ("QBR", "promise") still counts, but no single word routes a question on its own.
The rules are data: adding an intent is adding a row to intents.yaml.

The examples' vectors are embedded once per process, or read from intents.npz when it was written
for the same table and model (`python -m assistant.intents --write-cache`): a one-shot CLI call
then pays for embedding its one question only.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from accounts.models import SourceKind
from assistant.intent_model import LearnedIntents, Phrasing, fit, read_phrasings, training_digest

if TYPE_CHECKING:
    from retrieval.embeddings import Embedder

TABLE_PATH = Path(__file__).with_name("intents.yaml")
CACHE_PATH = Path(__file__).with_name("intents.npz")


@dataclass(frozen=True)
class IntentRow:
    """One intent of the table (see the field notes at the top of intents.yaml)."""

    name: str
    answer_as: str
    examples: tuple[str, ...]
    cues: tuple[tuple[re.Pattern[str], float], ...]
    tools: tuple[str, ...] = ()
    customer_tools: tuple[str, ...] = ()
    customer_as: str | None = None
    sources: frozenset[SourceKind] | None = None
    recency: bool = False
    k: int = 6
    judgement: bool = False
    covers: frozenset[str] = frozenset()
    account_free: bool = False
    portfolio: tuple[str, ...] | None = None  # None: needs an account; () default sections
    customer_examples: tuple[str, ...] = ()  # how customers ask it, in their own voice ("our", "you")
    off_topic: bool = False  # nothing this assistant answers: decides by meaning alone (`planner.is_off_topic`)

    def cue_score(self, question: str, cap: float) -> float:
        total = sum(weight for pattern, weight in self.cues if pattern.search(question))
        return max(min(total, cap), -cap)


@dataclass(frozen=True)
class IntentTable:
    rows: tuple[IntentRow, ...]
    threshold: float
    margin: float
    judgement_margin: float
    cover_margin: float
    cue_cap: float
    portfolio_sections: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    csm_rank: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    ask_kinds: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = ()
    risk_flags: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = ()
    bands: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = ()
    digest: str = ""
    own_reports: tuple[re.Pattern[str], ...] = ()
    own_tickets: tuple[re.Pattern[str], ...] = ()
    book_words: tuple[re.Pattern[str], ...] = ()
    own_actions: tuple[re.Pattern[str], ...] = ()
    notes_answer: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = ()
    notes_look_for: Mapping[str, str] = field(default_factory=dict)
    learned_weight: float = 0.0  # how much the learned scorer (assistant.intent_model) adds; 0: none

    def notes_topic(self, question: str) -> str | None:
        """What a vendor's question asks that only the notes hold beside the judgement or the records ("a
        competitor in the picture", "what sales promised in the hand-off"): the search words for it, or None."""
        topic = self.first_match(self.notes_answer, question)
        return None if topic is None else self.notes_look_for.get(topic, "")

    def about_own_reports(self, question: str) -> bool:
        """Whether a customer's question points at something they reported or were told ("the issue we
        raised", "any news on…", "like you said"): their tickets and our messages may answer it."""
        return self.about_own_tickets(question) or self.matches(self.own_reports, question)

    def about_own_actions(self, question: str) -> bool:
        """Whether a customer's question asks what they did themselves ("did we confirm the date?")."""
        return self.matches(self.own_actions, question)

    def about_own_tickets(self, question: str) -> bool:
        """Whether a customer's question points at what they reported ("the things we raised", "our cases")."""
        return self.matches(self.own_tickets, question)

    def row(self, name: str) -> IntentRow:
        return next(r for r in self.rows if r.name == name)

    @staticmethod
    def matches(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
        """Whether any of these patterns is found in the text."""
        return any(p.search(text) for p in patterns)

    @classmethod
    def first_match(cls, groups: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...], text: str) -> str | None:
        return next((name for name, patterns in groups if cls.matches(patterns, text)), None)

    @classmethod
    def all_matches(cls, groups: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...], text: str) -> tuple[str, ...]:
        return tuple(name for name, patterns in groups if cls.matches(patterns, text))

    @property
    def examples(self) -> list[tuple[str, str]]:
        """(row name, example) for every example: the rows' examples in table order, then customers' own
        phrasings (`customer_examples`), which only a customer's question is scored against."""
        return [*((r.name, e) for r in self.rows for e in r.examples),
                *((r.name, e) for r in self.rows for e in r.customer_examples)]

    @property
    def intent_names(self) -> tuple[str, ...]:
        """The composer intents the rows are answered as (the learned scorer's classes)."""
        return tuple(sorted({r.answer_as for r in self.rows}))

    @property
    def vendor_examples(self) -> int:
        """How many of `examples` every audience's question is scored against (the first ones)."""
        return sum(len(r.examples) for r in self.rows)


@dataclass(frozen=True)
class IntentScore:
    name: str
    score: float
    meaning: float
    cues: float
    learned: float = 0.0  # the learned scorer's share of `score` (vendor staff only)

    @property
    def heard(self) -> float:
        """The score from the examples and the cues alone."""
        return self.meaning + self.cues


@dataclass
class ExampleVectors:
    digest: str
    names: list[str]
    matrix: np.ndarray
    learned: LearnedIntents | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _patterns(items: Any) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in items or ())


def _row(raw: Mapping[str, Any]) -> IntentRow:
    sources = raw.get("sources")
    portfolio = raw.get("portfolio")
    return IntentRow(
        name=raw["name"], answer_as=raw.get("answer_as", raw["name"]), examples=tuple(raw.get("examples") or ()),
        cues=tuple((re.compile(p, re.IGNORECASE), float(w)) for p, w in (raw.get("cues") or {}).items()),
        tools=tuple(raw.get("tools") or ()), customer_tools=tuple(raw.get("customer_tools") or ()),
        customer_as=raw.get("customer_as"),
        sources=None if sources is None else frozenset(SourceKind(s) for s in sources),
        recency=bool(raw.get("recency", False)), k=int(raw.get("k", 6)), judgement=bool(raw.get("judgement", False)),
        covers=frozenset(raw.get("covers") or ()),
        account_free=bool(raw.get("account_free", False)),
        portfolio=None if portfolio is None else tuple(portfolio),
        customer_examples=tuple(raw.get("customer_examples") or ()),
        off_topic=bool(raw.get("off_topic", False)),
    )


def parse_table(text: str) -> IntentTable:
    """An intent table from its YAML text (the bundled one, or a test's)."""
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~7x faster
    rows = tuple(_row(r) for r in raw["intents"])
    return IntentTable(
        rows=rows, threshold=float(raw.get("threshold", 0.42)), margin=float(raw.get("margin", 0.08)),
        judgement_margin=float(raw.get("judgement_margin", 0.12)),
        cover_margin=float(raw.get("cover_margin", 0.2)), cue_cap=float(raw.get("cue_cap", 0.35)),
        portfolio_sections=tuple((k, _patterns(v)) for k, v in (raw.get("portfolio_sections") or {}).items()),
        csm_rank=tuple((k, _patterns(v)) for k, v in (raw.get("csm_rank") or {}).items()),
        ask_kinds=tuple((k, _patterns(v)) for k, v in (raw.get("ask_kinds") or {}).items()),
        risk_flags=tuple((k, _patterns(v)) for k, v in (raw.get("risk_flags") or {}).items()),
        bands=tuple((k, _patterns(v)) for k, v in (raw.get("bands") or {}).items()),
        own_reports=_patterns(raw.get("own_reports") or []),
        own_tickets=_patterns(raw.get("own_tickets") or []),
        book_words=_patterns(raw.get("book_words") or []),
        own_actions=_patterns(raw.get("own_actions") or []),
        notes_answer=tuple((k, _patterns(v["cues"])) for k, v in (raw.get("notes_answer") or {}).items()),
        notes_look_for={k: str(v.get("looks_for", "")) for k, v in (raw.get("notes_answer") or {}).items()},
        learned_weight=float(raw.get("learned_weight", 0.0)),
        digest=hashlib.sha256(json.dumps([(r.name, r.examples, r.customer_examples) for r in rows]).encode()
                              ).hexdigest()[:16],
    )


@lru_cache(maxsize=1)
def load_table() -> IntentTable:
    """The bundled intent table (read once per process)."""
    return parse_table(TABLE_PATH.read_text(encoding="utf-8"))


_VECTORS: dict[tuple[str, str], ExampleVectors] = {}
_VECTORS_LOCK = threading.Lock()


def _read_cache(table: IntentTable, model_name: str) -> tuple[np.ndarray | None, LearnedIntents | None]:
    """The shipped example vectors and learned scorer, each when it was written for this table and model."""
    if not CACHE_PATH.is_file() or table.digest != load_table().digest:
        return None, None
    with np.load(CACHE_PATH) as cached:
        if str(cached["digest"]) != table.digest or str(cached["model"]) != model_name:
            return None, None
        vectors = np.asarray(cached["vectors"], dtype=np.float32)
        if "learned_digest" not in cached or str(cached["learned_digest"]) != _learned_digest(table):
            return vectors, None
        learned = LearnedIntents(tuple(str(c) for c in cached["learned_classes"]),
                                 np.asarray(cached["learned_weights"], dtype=np.float32),
                                 np.asarray(cached["learned_bias"], dtype=np.float32))
        return vectors, learned


def _vendor_labels(table: IntentTable) -> list[tuple[str, str]]:
    """(intent, example) for every example a vendor's question is scored against."""
    return [(table.row(name).answer_as, text) for name, text in table.examples[:table.vendor_examples]]


def _learned_digest(table: IntentTable) -> str:
    return training_digest(_vendor_labels(table), read_phrasings())


def train_learned(table: IntentTable, embedder: Embedder, matrix: np.ndarray,
                  phrasings: tuple[Phrasing, ...] | None = None) -> LearnedIntents:
    """Fit the learned scorer on the table's vendor examples (`matrix`: their vectors first) and the phrasings
    (the bundled ones unless given: a benchmark's fold)."""
    phrasings = read_phrasings() if phrasings is None else phrasings
    vectors = np.concatenate([matrix[:table.vendor_examples], embedder.embed_documents([p.text for p in phrasings])])
    labels = [(intent,) for intent, _ in _vendor_labels(table)] + [p.intents for p in phrasings]
    return fit(vectors, labels, table.intent_names)


def example_vectors(table: IntentTable, embedder: Embedder) -> ExampleVectors:
    """The table's example vectors (and learned scorer) for this embedder's model, embedded (or read) once
    per process."""
    key = (table.digest, embedder.model_name)
    with _VECTORS_LOCK:
        found = _VECTORS.get(key)
        if found is None:
            names = [name for name, _ in table.examples]
            matrix, learned = _read_cache(table, embedder.model_name)
            if matrix is None or matrix.shape[0] != len(names):
                matrix, learned = embedder.embed_documents([e for _, e in table.examples]), None
            if learned is None and table.learned_weight:
                learned = train_learned(table, embedder, matrix)
            found = _VECTORS[key] = ExampleVectors(table.digest, names, matrix, learned)
    return found


_DEFAULT_EMBEDDER: list[Embedder] = []


def default_embedder() -> Embedder:
    """The bundled MiniLM model, one per process, for planners given no embedder of their own."""
    if not _DEFAULT_EMBEDDER:
        from retrieval.embeddings import MiniLMEmbedder

        _DEFAULT_EMBEDDER.append(MiniLMEmbedder(threads=1))
    return _DEFAULT_EMBEDDER[0]


def _voiced(vectors: ExampleVectors, table: IntentTable, customer: bool) -> tuple[list[str], np.ndarray]:
    """The example names and vectors a question is scored against: customers' own phrasings count only
    for a customer ("any news on what we reported?" is how a customer asks about their tickets)."""
    n = len(vectors.names) if customer else table.vendor_examples
    return vectors.names[:n], vectors.matrix[:n]


def score_intents(question: str, masked: str, *, embedder: Embedder | None = None,
                  table: IntentTable | None = None, customer: bool = False) -> list[IntentScore]:
    """Every row's score for the question, best first.

    `masked` is the question with account names replaced (what the meaning is computed on); cues are
    matched on the question as asked. `customer`: a customer asks, so their own phrasings count too.
    """
    table = table or load_table()
    embedder = embedder or default_embedder()
    vectors = example_vectors(table, embedder)
    vector = embedder.embed_query(masked)
    return row_scores(question, vector, vectors, table, customer)


def row_scores(question: str, vector: np.ndarray, vectors: ExampleVectors, table: IntentTable,
                customer: bool) -> list[IntentScore]:
    """Every row's score for one question (or clause) and its meaning vector, best first: the best example's
    similarity, the cues, and for vendor staff the learned scorer's share."""
    names, matrix = _voiced(vectors, table, customer)
    best: dict[str, float] = {}
    for name, value in zip(names, (matrix @ vector).tolist(), strict=True):
        best[name] = max(best.get(name, -1.0), value)
    learned = vectors.learned.probabilities(vector) if vectors.learned and not customer else {}
    scores = []
    for row in table.rows:
        meaning, cues = best.get(row.name, 0.0), row.cue_score(question, table.cue_cap)
        extra = table.learned_weight * learned.get(row.answer_as, 0.0)
        scores.append(IntentScore(row.name, round(meaning + cues + extra, 4), round(meaning, 4), round(cues, 4),
                                  round(extra, 4)))
    scores.sort(key=lambda s: -s.score)
    return scores


_CLAUSE_BREAK = re.compile(
    r"\?\s+|;\s*|\s+(?:and|also|plus)\s+(?=(?:what|how|are|is|any|anything|did|do|does|can|could|should|which|who|"
    r"when|where|list|show|give|prep|tell|when|whether|their|its)\b)", re.IGNORECASE)
MIN_CLAUSE_WORDS = 3


def clauses(text: str) -> list[str]:
    """The parts of a compound question ("How is Globex doing and what did we promise them?")."""
    parts = [p.strip(" ,.?") for p in _CLAUSE_BREAK.split(text)]
    return [p for p in parts if len(p.split()) >= MIN_CLAUSE_WORDS]


def score_clauses(question: str, masked: str, *, embedder: Embedder | None = None,
                  table: IntentTable | None = None, customer: bool = False) -> list[list[IntentScore]]:
    """Every row's score for each clause of a compound question (one embedding batch); [] for one clause."""
    asked, meant = clauses(question), clauses(masked)
    if len(meant) < 2 or len(asked) != len(meant):
        return []
    table = table or load_table()
    embedder = embedder or default_embedder()
    vectors = example_vectors(table, embedder)
    return [row_scores(clause, vector, vectors, table, customer)
            for clause, vector in zip(asked, embedder.embed_documents(meant), strict=True)]


def write_cache(embedder: Embedder | None = None) -> Path:
    """Embed the bundled table's examples, train the learned scorer, and store both next to the table
    (float16 vectors, float32 weights: about 120 KB)."""
    table = load_table()
    embedder = embedder or default_embedder()
    vectors = embedder.embed_documents([e for _, e in table.examples])
    learned = train_learned(table, embedder, vectors)
    np.savez_compressed(CACHE_PATH, digest=np.array(table.digest), model=np.array(embedder.model_name),
                        vectors=vectors.astype(np.float16), learned_digest=np.array(_learned_digest(table)),
                        learned_classes=np.array(learned.classes), learned_weights=learned.weights,
                        learned_bias=learned.bias)
    return CACHE_PATH


if __name__ == "__main__":
    if "--write-cache" in sys.argv:
        print(f"wrote {write_cache()}")
    else:
        print("usage: python -m assistant.intents --write-cache")
