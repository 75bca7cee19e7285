"""The learned intent scorer: it fits its labels, speaks for vendor staff only, and is trained on tune data only."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.intent_model import PHRASINGS_PATH, fit, read_phrasings
from assistant.intents import CACHE_PATH, TABLE_PATH, example_vectors, load_table, parse_table, score_intents
from assistant.planner import choose_rows
from integrations.evaluation.phrasings import EVALS, TUNE_SETS, Masker, collect, from_paraphrases, render
from integrations.evaluation.questions import load_question_set
from retrieval.embeddings import MiniLMEmbedder


def test_fit_learns_separable_labels_the_same_way_every_time() -> None:
    rng = np.random.default_rng(7)
    centres = np.eye(4, 16)
    vectors = np.concatenate([c + 0.1 * rng.standard_normal((20, 16)) for c in centres])
    labels = [(name,) for name in ("a", "b", "c", "d") for _ in range(20)]
    model = fit(vectors, labels, ("a", "b", "c", "d"))
    again = fit(vectors, labels, ("a", "b", "c", "d"))
    assert np.array_equal(model.weights, again.weights)
    for centre, name in zip(centres, "abcd", strict=True):
        probabilities = model.probabilities(centre)
        assert max(probabilities, key=probabilities.__getitem__) == name
        assert sum(probabilities.values()) == pytest.approx(1.0)


def test_labels_it_does_not_know_are_left_out_and_shared_labels_split() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    model = fit(vectors, [("a",), ("b",), ("zzz",)], ("a", "b"))
    both = fit(np.array([[1.0, 0.0]]), [("a", "b")], ("a", "b"))
    assert model.classes == ("a", "b")
    assert both.probabilities(np.array([1.0, 0.0]))["a"] == pytest.approx(0.5, abs=1e-6)


def test_the_shipped_scorer_matches_the_table_and_the_phrasings() -> None:
    """Edit intents.yaml or the phrasings → run `python -m assistant.intents --write-cache`."""
    table = load_table()
    vectors = example_vectors(table, MiniLMEmbedder(threads=1))
    with np.load(CACHE_PATH) as cached:
        assert "learned_digest" in cached
        assert vectors.learned is not None
        assert vectors.learned.classes == table.intent_names
        assert tuple(str(c) for c in cached["learned_classes"]) == table.intent_names


def test_it_adds_to_vendor_staff_scores_only() -> None:
    question = "is the customer likely to walk at renewal?"
    vendor = score_intents(question, question)
    customer = score_intents(question, question, customer=True)
    assert all(s.learned == 0 for s in customer)
    table = load_table()
    per_intent = {table.row(s.name).answer_as: s.learned for s in vendor}  # rows answered alike share a class
    assert sum(per_intent.values()) == pytest.approx(table.learned_weight, abs=1e-3)
    assert max(per_intent, key=per_intent.__getitem__) == "status"
    assert all(s.score == pytest.approx(s.meaning + s.cues + s.learned, abs=1e-3) for s in vendor)
    off = parse_table(TABLE_PATH.read_text(encoding="utf-8").replace("learned_weight:", "unused_weight:"))
    assert all(s.learned == 0 for s in score_intents(question, question, table=off))


def test_it_picks_the_lead_but_keeps_the_rows_beside_it() -> None:
    """The learned share sharpens the lead; the rows kept beside it are those the examples and cues heard
    close ("how angry is the COO?" is their status and what the COO wrote)."""
    question = "how angry is the customer's COO?"
    scores = score_intents(question, question)
    rows = [r.name for r in choose_rows(scores, load_table())]
    assert rows[0] == "status" and "history" in rows


def test_the_shipped_phrasings_are_the_exporters() -> None:
    """Edit a tune question or a paraphrase → run `python -m integrations.evaluation.phrasings`."""
    assert PHRASINGS_PATH.read_text(encoding="utf-8") == render(collect())
    assert len(read_phrasings()) >= 500


def test_no_held_out_question_is_trained_on() -> None:
    """A held-out question may mask to a tune one ("How is Kestrel doing?" is "How is the customer doing?");
    every phrasing trained on must come from a tune question or a paraphrase case."""
    allowed = {p.text.casefold() for p in from_paraphrases()}
    held_out: list[str] = []
    for name in (*TUNE_SETS, "heldout.yaml"):
        qset = load_question_set(EVALS / name)
        mask = Masker(qset.workspace)
        allowed |= {mask(q.question).casefold() for q in qset.questions if q.split == "tune" and name != "heldout.yaml"}
        held_out += [mask(q.question).casefold() for q in qset.questions
                     if q.split == "heldout" or name == "heldout.yaml"]
    trained = {p.text.casefold() for p in read_phrasings()}
    assert trained <= allowed
    assert set(held_out) - allowed  # most held-out questions mask to nothing a tune question says


def test_it_never_makes_a_question_mean_something() -> None:
    """A nonsense token (a canary, an unknown code) that only the learned share lifts over the threshold stays an
    open question: it is searched for, not sent to the docs."""
    table = load_table()
    token = "cnrytkt0a1b2c"
    scores = score_intents(token, token)
    assert scores[0].score >= table.threshold > scores[0].heard
    assert choose_rows(scores, table) == []
