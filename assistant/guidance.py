"""Guidance ahead of need: a product area the customer has not adopted that fits a goal of its plan.

The customer's recent usage rows say which features its people use; the docs' `product_area` (or
title) name the features there are; the success plan's open objectives say what the customer wants.
A doc for an unused feature whose words overlap an open objective is worth pointing at before the
customer thinks to ask.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from accounts.book import AccountRecords
from accounts.models import Doc, Objective, ObjectiveStatus
from assistant.words import content_words

RECENT_DAYS = 90
MIN_OVERLAP = 2
BODY_CHARS = 800
# Words every doc and goal share: they prove no fit.
_WEAK = frozenset({"time", "team", "use", "using", "fieldloop", "feature", "set", "new", "work", "job",
                   "reduce", "improve", "increase", "cut", "get", "make", "per"})


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


def doc_feature(doc: Doc) -> str:
    return feature_key(doc.product_area or doc.title)


def suggest(records: AccountRecords, docs: tuple[Doc, ...], as_of: dt.date) -> Suggestion | None:
    """The best doc for an unadopted feature that fits an open objective, or None."""
    plan = records.success_plan
    used = used_features(records, as_of)
    if plan is None or not used:
        return None
    goals = [o for o in plan.objectives if o.status is not ObjectiveStatus.ACHIEVED]
    best: tuple[int, Suggestion] | None = None
    for doc in docs:
        feature = doc_feature(doc)
        if not doc.product_area or feature in used or any(feature in u or u in feature for u in used):
            continue
        doc_words = content_words(f"{doc.title} {doc.product_area} {doc.body[:BODY_CHARS]}") - _WEAK
        for goal in goals:
            overlap = content_words(f"{goal.title} {goal.kpi.replace('_', ' ')}") & doc_words
            if len(overlap) >= MIN_OVERLAP and (best is None or len(overlap) > best[0]):
                best = (len(overlap), Suggestion(doc, goal, doc.product_area, frozenset(overlap)))
    return best[1] if best else None
