"""Prose for synthetic workspaces: sentence templates with slot fillers, composed so texts differ.

`Prose` holds one account's context (names, features, numbers) and draws slot values lazily, so a
slot used twice in one text (e.g. `{feature}`) keeps one value within that text.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from bench.workspace_vocab import FEATURES, INTEGRATIONS, LEGACY_TOOLS, REGIONS, TEAMS

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

# --- activity titles, by type -------------------------------------------------------------------
TITLES: dict[str, tuple[str, ...]] = {
    "meeting": ("QBR with {team} leadership", "Weekly sync with {contact_first}", "{feature_cap} workshop",
                "Quarterly business review", "Roadmap session", "Check-in on {feature}",
                "Rollout planning for {region}", "Success plan review", "Executive alignment with {sponsor}"),
    "email": ("Re: {feature_cap} rollout", "Follow-up from our call", "Re: questions on {feature}",
              "Training materials for {region}", "Re: next steps", "Agenda for {weekday}",
              "Re: {integration} integration", "Recap and action items"),
    "call": ("Call with {contact_first}", "Check-in call", "Call about {feature}", "Quick call re: renewal",
             "Escalation follow-up call", "Call with {sponsor}"),
    "note": ("Account note", "Internal note: {feature}", "Risk review", "Notes after {team} sync",
             "Observation from usage data", "Pipeline note"),
    "community_post": ("Community: tips for {feature}", "Community question about {feature}",
                       "Community: how we run {region} with FieldLoop"),
    "news": ("{company} in the news", "Press: {company} expands", "Mention of {company} on LinkedIn"),
}

# --- sentence pools ---------------------------------------------------------------------------
OPENERS: dict[str, tuple[str, ...]] = {
    "meeting": ("Met with {contact} and {n} people from the {team} team.",
                "Ran the session with {contact_first} on {weekday}.",
                "{contact} joined with their {team} leads.",
                "Good turnout: {contact_first}, {sponsor} and a few dispatchers."),
    "email": ("Hi {contact_first}, thanks for the time on {weekday}.",
              "Hi {contact_first}, following up on our conversation.",
              "Hello {contact_first}, as promised here is the summary.",
              "Hi {contact_first}, quick update from our side."),
    "call": ("Spoke with {contact_first} for about {minutes} minutes.",
             "{contact} called in about {feature}.",
             "Short call with {contact_first} ahead of their {team} review."),
    "note": ("Writing this down so it is not lost.", "Context for whoever picks this up.",
             "Reviewed the account this morning.", "Usage data and recent tickets reviewed."),
    "community_post": ("{contact} posted in the FieldLoop community.",
                       "{contact_first} shared a write-up in the community forum."),
    "news": ("{company} announced a new multi-year service contract covering {big} sites.",
             "Local press covered {company} opening a branch in {region}.",
             "{sponsor} of {company} was interviewed about technician shortages.",
             "{company} announced the acquisition of a smaller competitor with {n}0 technicians."),
}

BODY: dict[str, tuple[str, ...]] = {
    "good": ("{feature_cap} is now used by every dispatcher in {region}.",
             "They cut average drive time by {pct}% since turning on {feature}.",
             "First-time fix rate went up {pct}% quarter over quarter.",
             "{contact_first} said the technicians love {feature} and nobody wants to go back to {legacy}.",
             "The {team} team closed {big} work orders last week without paper.",
             "They want to present their results at the next user group.",
             "Invoices now go out the same day the job is finished, down from {days} days.",
             "Adoption is strong: {users} active users out of {seats} seats.",
             "{sponsor} mentioned FieldLoop positively in their all-hands.",
             "They asked about rolling out {feature2} to {region} next quarter."),
    "neutral": ("We walked through {feature} settings and answered questions on {feature2}.",
                "They are still evaluating how {feature2} fits their process.",
                "Reviewed the open tickets; nothing blocking at the moment.",
                "{contact_first} asked for a refresher training for {n} new dispatchers.",
                "The {integration} integration is on their roadmap for next quarter.",
                "We agreed to revisit the success plan on {date}.",
                "They have {users} active users on {seats} seats; steady for now.",
                "Budget planning for next year starts in {month}.",
                "They asked how other customers in their industry use {feature}.",
                "Some technicians in {region} still fill in paper forms for parts."),
    "bad": ("{contact_first} is frustrated that {feature} keeps failing in the field.",
            "Technicians lost {n} jobs of data when {feature} did not sync.",
            "{sponsor} asked whether FieldLoop is the right platform long term.",
            "They mentioned that {legacy} was 'at least predictable'.",
            "Dispatchers are working around {feature} with spreadsheets again.",
            "Three tickets on the same issue in {days} days, and no root cause yet.",
            "{contact_first} said the last release broke their {integration} export.",
            "They feel support answers are slow: {hours} hours for a first reply on a sev-2.",
            "Tone of the meeting was tense; {sponsor} joined unexpectedly.",
            "They are collecting quotes from other vendors before renewal."),
}

CLOSERS: dict[str, tuple[str, ...]] = {
    "meeting": ("Next step: follow-up session on {date}.", "Action items shared in the recap email.",
                "We owe them a short write-up by {weekday}.", ""),
    "email": ("Let me know if {weekday} works for a follow-up.", "Best, {csm_first}",
              "Happy to set up a session with our product team.", "Thanks, {csm_first}"),
    "call": ("Will check back next week.", "Logged the follow-ups in the plan.", ""),
    "note": ("Keep an eye on this before renewal.", "No action needed yet.", "Flagged in the team channel.", ""),
    "community_post": ("The post got {n} replies.", "Several other customers upvoted it.", ""),
    "news": ("Could be a good moment to reach out.", "Worth mentioning in the next QBR.", ""),
}

# --- requests and commitments -----------------------------------------------------------------
REQUEST_ITEMS = ("an export of all work orders with custom fields", "a sandbox environment for testing",
                 "a bulk import of {big} customer sites", "custom fields on the technician checklist",
                 "a training session for {n} new dispatchers", "a fix for duplicate invoices in {integration}",
                 "route optimization that respects lunch breaks", "a quote for {n}0 more seats",
                 "SSO enforcement for all users", "a webhook for job status changes",
                 "a report of first-time fix rate by technician", "offline access to equipment manuals")
COMMITMENT_ITEMS = ("send the roadmap for {feature}", "deliver the custom report on first-time fix rate",
                    "run an onsite training in {region}", "fix the {integration} invoice sync issue",
                    "share a written root-cause analysis", "set up the sandbox environment",
                    "enable the beta of {feature} for their team", "review their dispatch rules with an expert",
                    "provide a migration plan from {legacy}", "follow up with pricing for {n}0 additional seats")


class Prose:
    """Composes titles and bodies for one account; slot values are drawn lazily from `context`."""

    def __init__(self, rng: random.Random, context: Mapping[str, str], features: Sequence[str]) -> None:
        self.rng = rng
        self.context = dict(context)
        self.features = tuple(features) or ("dispatch",)

    def _slots(self, when: date) -> dict[str, str]:
        rng = self.rng
        draw: dict[str, Callable[[], str]] = {
            "feature": lambda: FEATURES[rng.choice(self.features)],
            "feature2": lambda: FEATURES[rng.choice(self.features)],
            "n": lambda: str(rng.randint(2, 12)),
            "big": lambda: str(rng.randint(20, 400)),
            "pct": lambda: str(rng.randint(5, 40)),
            "days": lambda: str(rng.randint(2, 9)),
            "hours": lambda: str(rng.randint(6, 72)),
            "minutes": lambda: str(rng.choice((15, 20, 25, 30, 45))),
            "date": lambda: (when + timedelta(days=rng.randint(5, 30))).isoformat(),
            "date_past": lambda: (when - timedelta(days=rng.randint(0, 6))).isoformat(),
            "weekday": lambda: rng.choice(WEEKDAYS),
            "month": lambda: (when + timedelta(days=rng.randint(20, 90))).strftime("%B"),
            "region": lambda: rng.choice(REGIONS),
            "team": lambda: rng.choice(TEAMS),
            "integration": lambda: rng.choice(INTEGRATIONS),
            "legacy": lambda: rng.choice(LEGACY_TOOLS),
        }
        return _LazySlots(self.context, draw)

    def fill(self, template: str, when: date, slots: dict[str, str] | None = None) -> str:
        """One template with its slots filled."""
        text = template.format_map(slots if slots is not None else self._slots(when))
        return text[:1].upper() + text[1:]

    def compose(self, parts: Sequence[str], when: date) -> str:
        """Several templates filled with one shared set of slot values, joined as sentences."""
        slots = self._slots(when)
        return " ".join(s for s in (self.fill(p, when, slots) for p in parts) if s)

    def title(self, kind: str, when: date) -> str:
        return self.fill(self.rng.choice(TITLES[kind]), when)

    def body(self, kind: str, tone: str, when: date, extra: Sequence[str] = ()) -> str:
        """1–6 sentences: an opener, a few tone-specific sentences, any `extra`, and maybe a closer."""
        rng = self.rng
        count = rng.choice((0, 1, 1, 2, 2, 3, 4))
        parts = [rng.choice(OPENERS[kind]), *rng.sample(BODY[tone], count), *extra]
        if kind in CLOSERS:
            parts.append(rng.choice(CLOSERS[kind]))
        return self.compose(parts, when)

    def request(self, when: date) -> tuple[str, str]:
        item = self.fill(self.rng.choice(REQUEST_ITEMS), when)
        body = self.compose([f"{{contact_first}} asked us for {item}.", self.rng.choice(
            ("They need it before {date}.", "It came up during the {team} sync.", "Not urgent, but they "
             "asked twice.", "It blocks their rollout in {region}."))], when)
        return f"Request: {item}", body

    def commitment(self, when: date, item: str | None = None) -> tuple[str, str]:
        item = item or self.fill(self.rng.choice(COMMITMENT_ITEMS), when)
        body = self.compose([f"We committed to {item}.", self.rng.choice(
            ("{csm_first} confirmed it in writing to {contact_first}.", "Promised during the QBR.",
             "Owner on our side: {csm_first}.", "{contact_first} will hold us to the date."))], when)
        return f"Commitment: {item}", body


class _LazySlots(dict[str, str]):
    """A mapping for `str.format_map` that draws a missing slot once and then keeps it."""

    def __init__(self, fixed: Mapping[str, str], draw: Mapping[str, Callable[[], str]]) -> None:
        super().__init__(fixed)
        self._draw = draw

    def __missing__(self, key: str) -> str:
        if key.endswith("_cap"):
            base = self[key.removesuffix("_cap")]
            value = base[:1].upper() + base[1:]
        else:
            value = self._draw[key]()
        self[key] = value
        return value
