"""Guidance ahead of need: a product area the customer has not adopted that fits a goal of its plan.

The customer's recent usage rows say which features its people use; the docs' `product_area` (or
title) name the features there are; the success plan's open objectives say what the customer wants.
A doc for an unused feature whose words overlap an open objective is worth pointing at before the
customer thinks to ask.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from accounts.book import AccountRecords
from accounts.models import Doc, Objective, ObjectiveStatus
from assistant.words import content_words

RECENT_DAYS = 90
MIN_SCORE = 3.0
MIN_OVERLAP = 2
BODY_CHARS = 800
TITLE_BONUS = 1.0
# Doc areas that are housekeeping, not a product capability a customer "adopts".
NON_FEATURE_AREAS = frozenset({"account", "admin", "getting started", "troubleshooting", "release notes", "security",
                               "api", "integrations", "support", "jobs"})


def feature_key(text: str) -> str:
    """"Offline sync", "offline_sync" and "offline-sync" are one feature."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@dataclass(frozen=True)
class Suggestion:
    doc: Doc
    objective: Objective
    feature: str
    overlap: frozenset[str]


def used_features(records: AccountRecords, as_of: dt.date) -> set[str]:
    start = as_of - dt.timedelta(days=RECENT_DAYS)
    return {feature_key(f) for u in records.usage if start <= u.date <= as_of for f in u.features}


def doc_keys(doc: Doc) -> set[str]:
    """Words naming what a doc is about: its product area and its file name."""
    stem = doc.path.rsplit("/", 1)[-1].removesuffix(".md")
    return {w for w in feature_key(f"{doc.product_area} {stem}").split() if len(w) >= 4}


def is_adopted(doc: Doc, used: set[str]) -> bool:
    used_words = {w for f in used for w in f.split() if len(w) >= 4}
    return bool(doc_keys(doc) & used_words)


def _idf(docs: tuple[Doc, ...]) -> dict[str, float]:
    """Rarer words prove more: a word in every doc ("user", "fieldloop") proves nothing."""
    counts: dict[str, int] = {}
    for doc in docs:
        for word in content_words(f"{doc.title} {doc.body[:BODY_CHARS]}"):
            counts[word] = counts.get(word, 0) + 1
    return {w: math.log((1 + len(docs)) / (1 + n)) for w, n in counts.items()}


def suggest(records: AccountRecords, docs: tuple[Doc, ...], as_of: dt.date) -> Suggestion | None:
    """The best doc for an unadopted feature that fits an open objective, or None."""
    plan = records.success_plan
    used = used_features(records, as_of)
    if plan is None or not used:
        return None
    goals = [o for o in plan.objectives if o.status is not ObjectiveStatus.ACHIEVED]
    idf = _idf(docs)
    best: tuple[float, Suggestion] | None = None
    for doc in docs:
        if feature_key(doc.product_area) in NON_FEATURE_AREAS or is_adopted(doc, used):
            continue
        doc_words = content_words(f"{doc.title} {doc.body[:BODY_CHARS]}")
        title_words = content_words(doc.title)
        for goal in goals:
            overlap = content_words(f"{goal.title} {goal.kpi.replace('_', ' ')}") & doc_words
            score = sum(idf.get(w, 0.0) for w in overlap) + (TITLE_BONUS if overlap & title_words else 0.0)
            if len(overlap) >= MIN_OVERLAP and score >= MIN_SCORE and (best is None or score > best[0]):
                best = (score, Suggestion(doc, goal, doc.product_area, frozenset(overlap)))
    return best[1] if best else None
