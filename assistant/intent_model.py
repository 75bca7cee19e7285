"""The learned part of the intent score: softmax regression from a question's meaning to the intent.

The table's examples score a question by its nearest example, so a phrasing unlike every example (another
vendor's words, a CSM's shorthand) is routed by whichever example happens to sit closest. A linear model
trained on everything labelled (the examples and `intent_phrasings.yaml`) learns which directions of
meaning separate the intents instead. Trained on one bundled vendor's questions and routing the other's,
it gains 8 of 570 and 0 of 119 (bench/bench_intent_model.py); on the held-out workspace, CSM intent went
from 93% to 97%. It only adds `learned_weight` x its probability to each row's score and picks among the
rows the examples and cues already hear, so they still decide; and it speaks for vendor staff only: its
classes are the vendor's intents (customers' are mapped by the planner).

Trained once, deterministically (zero start, fixed steps), when the intent cache is written
(`python -m assistant.intents --write-cache`); a process whose cache is stale trains it at start.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

PHRASINGS_PATH = Path(__file__).with_name("intent_phrasings.yaml")

# Fitting: chosen on the bundled vendors' tune questions only (cross-vendor folds, docs/understanding.md).
SCALE = 3.0  # unit vectors are short for a linear model: stretching them is a larger learning rate on W only
L2 = 1e-3
STEPS = 300
RATE = 2.0


@dataclass(frozen=True)
class Phrasing:
    """A labelled question as the scorer sees it: account names masked, the intents that answer it."""

    text: str
    intents: tuple[str, ...]


@dataclass(frozen=True)
class LearnedIntents:
    """Intent probabilities for a question vector; `weights` already include `SCALE`."""

    classes: tuple[str, ...]
    weights: np.ndarray  # (dimension, classes)
    bias: np.ndarray  # (classes,)

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        logits = vector.astype(np.float64) @ self.weights + self.bias
        exp = np.exp(logits - logits.max())
        return dict(zip(self.classes, (exp / exp.sum()).tolist(), strict=True))


def read_phrasings(path: Path = PHRASINGS_PATH) -> tuple[Phrasing, ...]:
    """The labelled phrasings (written by `python -m integrations.evaluation.phrasings`)."""
    if not path.is_file():
        return ()
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return tuple(Phrasing(str(text), tuple(intents)) for text, intents in raw.get("phrasings") or ())


def training_digest(examples: list[tuple[str, str]], phrasings: tuple[Phrasing, ...]) -> str:
    """What a trained model depends on: the labelled texts and the fitting constants."""
    data = [examples, [(p.text, p.intents) for p in phrasings], SCALE, L2, STEPS, RATE]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:16]


def _targets(labels: Sequence[tuple[str, ...]], classes: tuple[str, ...]) -> np.ndarray:
    """One row per text: its acceptable intents share the probability mass."""
    index = {c: i for i, c in enumerate(classes)}
    targets = np.zeros((len(labels), len(classes)))
    for row, names in enumerate(labels):
        known = [index[n] for n in names if n in index]
        targets[row, known] = 1 / len(known)
    return targets


def fit(vectors: np.ndarray, labels: Sequence[tuple[str, ...]], classes: tuple[str, ...]) -> LearnedIntents:
    """Softmax regression by full-batch gradient descent: the same data always gives the same model."""
    keep = [i for i, names in enumerate(labels) if set(names) & set(classes)]
    x = vectors[keep].astype(np.float64) * SCALE
    y = _targets([labels[i] for i in keep], classes)
    weights, bias = np.zeros((x.shape[1], len(classes))), np.zeros(len(classes))
    for _ in range(STEPS):
        logits = x @ weights + bias
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        gradient = (exp / exp.sum(axis=1, keepdims=True) - y) / len(x)
        weights -= RATE * (x.T @ gradient + L2 * weights)
        bias -= RATE * gradient.sum(axis=0)
    return LearnedIntents(classes, (weights * SCALE).astype(np.float32), bias.astype(np.float32))
