"""Prose for synthetic workspaces: sentence templates with slot fillers, composed so texts differ.

`Prose` holds one account's fixed context (company, people, integration) and draws the other slots
(feature, numbers, dates, regions) lazily: a slot used twice in one text keeps one value, so a
title and its body talk about the same feature.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from bench.workspace_activity_phrases import (
    BAD_TITLES,
    BODY,
    CLOSERS,
    COMMITMENT_CONTEXT,
    COMMITMENT_ITEMS,
    COMMUNITY_BODY,
    OPENERS,
    REQUEST_CONTEXT,
    REQUEST_ITEMS,
    TITLES,
)
from bench.workspace_vocab import FEATURES, REGIONS, TEAMS

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


class Slots(dict[str, str]):
    """A mapping for `str.format_map` that draws a missing slot once and then keeps it."""

    def __init__(self, fixed: Mapping[str, str], draw: Mapping[str, Callable[[Slots], str]]) -> None:
        super().__init__(fixed)
        self._draw = draw

    def __missing__(self, key: str) -> str:
        if key.endswith("_cap"):
            base = self[key.removesuffix("_cap")]
            value = base[:1].upper() + base[1:]
        else:
            value = self._draw[key](self)
        self[key] = value
        return value


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


class Prose:
    """Composes titles and bodies for one account from templates and slot values."""

    def __init__(self, rng: random.Random, context: Mapping[str, str], features: Sequence[str],
                 users_on: Callable[[date], int] | None = None) -> None:
        self.rng = rng
        self.context = dict(context)
        self.features = tuple(features) or ("dispatch",)
        self.users_on = users_on or (lambda day: 0)

    def slots(self, when: date, **fixed: str) -> Slots:
        """Fresh slot values for one text written on `when`; `fixed` overrides any slot."""
        rng = self.rng
        names = [FEATURES[f] for f in self.features]
        draw: dict[str, Callable[[Slots], str]] = {
            "feature": lambda s: rng.choice(names),
            "feature2": lambda s: rng.choice([f for f in names if f != s["feature"]] or names),
            "n": lambda s: str(rng.randint(2, 12)),
            "big": lambda s: str(rng.randint(20, 400)),
            "pct": lambda s: str(rng.randint(5, 40)),
            "days": lambda s: str(rng.randint(2, 9)),
            "hours": lambda s: str(rng.randint(6, 72)),
            "minutes": lambda s: str(rng.choice((15, 20, 25, 30, 45))),
            "date": lambda s: (when + timedelta(days=rng.randint(5, 30))).isoformat(),
            "date_past": lambda s: (when - timedelta(days=rng.randint(0, 6))).isoformat(),
            "weekday": lambda s: rng.choice(WEEKDAYS),
            "month": lambda s: (when + timedelta(days=rng.randint(20, 90))).strftime("%B"),
            "region": lambda s: rng.choice(REGIONS),
            "team": lambda s: rng.choice(TEAMS),
            "users": lambda s: str(self.users_on(when)),
        }
        return Slots({**self.context, **fixed}, draw)

    def fill(self, template: str, when: date, slots: Slots | None = None, *, cap: bool = True) -> str:
        """One template with its slots filled (capitalised unless `cap` is false)."""
        text = template.format_map(slots if slots is not None else self.slots(when))
        return capitalize(text) if cap else text

    def compose(self, parts: Sequence[str], when: date, slots: Slots | None = None) -> str:
        """Several templates filled with one shared set of slot values, joined as sentences."""
        slots = slots if slots is not None else self.slots(when)
        return " ".join(s for s in (self.fill(p, when, slots) for p in parts) if s)

    def title(self, kind: str, tone: str, when: date, slots: Slots) -> str:
        pool = BAD_TITLES[kind] if tone == "bad" and kind in BAD_TITLES else TITLES[kind]
        return self.fill(self.rng.choice(pool), when, slots)

    def body(self, kind: str, tone: str, when: date, slots: Slots) -> str:
        """1–6 sentences: an opener, a few tone-specific sentences (none for news), maybe a closer."""
        rng = self.rng
        if kind == "news":
            sentences: list[str] = []
        elif kind == "community_post":
            sentences = rng.sample(COMMUNITY_BODY, rng.randint(1, 2))
        else:
            sentences = rng.sample(BODY[tone], rng.choice((0, 1, 1, 2, 2, 3, 4)))
        parts = [rng.choice(OPENERS[kind]), *sentences]
        if kind in CLOSERS:
            parts.append(rng.choice(CLOSERS[kind]))
        return self.compose(parts, when, slots)

    def letter(self, pool: Sequence[str], when: date, slots: Slots, greeting: str = "", signoff: str = "") -> str:
        """A customer-visible text: optional greeting and sign-off around 1–3 sentences of `pool`."""
        sentences = self.compose(self.rng.sample(pool, min(len(pool), self.rng.randint(1, 3))), when, slots)
        head = self.fill(greeting, when, slots) + "\n\n" if greeting else ""
        tail = "\n\n" + self.fill(signoff, when, slots) if signoff else ""
        return head + sentences + tail

    def request(self, when: date) -> tuple[str, str]:
        slots = self.slots(when)
        item = self.fill(self.rng.choice(REQUEST_ITEMS), when, slots, cap=False)
        body = self.compose([f"{{contact_first}} asked us for {item}.", self.rng.choice(REQUEST_CONTEXT)], when, slots)
        return f"Request: {item}", body

    def commitment(self, when: date, item: str | None = None) -> tuple[str, str]:
        slots = self.slots(when)
        item = item or self.fill(self.rng.choice(COMMITMENT_ITEMS), when, slots, cap=False)
        body = self.compose([f"We committed to {item}.", self.rng.choice(COMMITMENT_CONTEXT)], when, slots)
        return f"Commitment: {item}", body
