"""One account's generation context: its seeded RNG, key dates, systems, people and prose composers.

Built once per account by `build_context`; the record generators (`bench.workspace_records`,
`bench.workspace_activities`, `bench.workspace_plans`) all read and enrich the same context.
"""

from __future__ import annotations

import bisect
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.workspace_accounts import AccountProfile, Archetype, person_name
from bench.workspace_text import Prose
from bench.workspace_vocab import (
    CORE_FEATURES,
    IDENTITY_PROVIDERS,
    INTEGRATIONS,
    LEGACY_TOOLS,
    PLAN_FEATURES,
    TITLES_BY_ROLE,
)

A = Archetype


@dataclass(frozen=True)
class Person:
    contact_id: str
    first: str
    name: str
    title: str
    email: str
    role: str
    left_at: date | None = None

    def active_on(self, day: date) -> bool:
        return self.left_at is None or day < self.left_at


@dataclass
class AccountContext:
    """What the generators of one account share: profile, seeded RNG, key dates, people, prose."""

    profile: AccountProfile
    rng: random.Random
    as_of: date
    executive: str
    history_start: date
    engagement_end: date  # last day of engagement: as-of, or earlier for a silent account
    features: tuple[str, ...]
    systems: dict[str, str]  # the account's own integration, identity provider and legacy tool
    people: list[Person] = field(default_factory=list)
    crisis_ticket: tuple[str, str, date] | None = None  # (ticket_id, subject, opened)
    declined_ask: tuple[date, str, str] | None = None  # (date, kind, contact_id)
    weekly_users: list[tuple[date, int]] = field(default_factory=list)  # (Monday, active users), oldest first
    _prose: dict[str, Prose] = field(default_factory=dict)

    @property
    def archetype(self) -> Archetype:
        return self.profile.archetype

    @property
    def champion(self) -> Person:
        return next(p for p in self.people if p.role == "champion")

    @property
    def sponsor(self) -> Person:
        return next(p for p in self.people if p.role == "sponsor")

    def people_on(self, day: date) -> list[Person]:
        return [p for p in self.people if p.active_on(day)] or self.people[:1]

    def pick_contact(self, day: date) -> Person:
        """Mostly the champion while they are there, else anyone still at the customer."""
        champion = self.champion
        if champion.active_on(day) and self.rng.random() < 0.5:
            return champion
        return self.rng.choice(self.people_on(day))

    def random_day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def prose(self, contact: Person | None = None) -> Prose:
        """A prose composer speaking about `contact` (the champion by default)."""
        contact = contact or self.champion
        if contact.contact_id in self._prose:
            return self._prose[contact.contact_id]
        context = {
            "company": self.profile.name, "contact": contact.name, "contact_first": contact.first,
            "csm_first": self.profile.csm.split(".")[0].title(), "sponsor": self.sponsor.name,
            "champion": self.champion.name, "seats": str(self.profile.seats), "plan": self.profile.plan,
            "arr": f"{self.profile.arr:,}", "term": str(self.profile.term_years), "industry": self.profile.industry,
            **self.systems,
        }
        self._prose[contact.contact_id] = Prose(self.rng, context, self.features, self.users_on)
        return self._prose[contact.contact_id]

    def users_on(self, day: date) -> int:
        """Active users in the usage week at or before `day` (the first week's before usage starts)."""
        weeks = self.weekly_users
        if not weeks:
            return max(1, round(self.profile.seats * 0.7))
        at = bisect.bisect_right(weeks, (day, sys.maxsize)) - 1
        return weeks[max(at, 0)][1]


def build_context(profile: AccountProfile, seed: int, as_of: date, executive: str, weeks: int) -> AccountContext:
    rng = random.Random(seed * 1_000_003 + profile.index)
    history_start = max(profile.contract_start, as_of - timedelta(days=max(365, weeks * 7)))
    end = as_of
    if profile.archetype is A.SILENT:
        end = as_of - timedelta(days=rng.randint(35, 84))
    features = PLAN_FEATURES.get(profile.plan, CORE_FEATURES)
    systems = {"integration": rng.choice(INTEGRATIONS), "idp": rng.choice(IDENTITY_PROVIDERS),
               "legacy": rng.choice(LEGACY_TOOLS)}
    ctx = AccountContext(profile, rng, as_of, executive, history_start, end, features, systems)
    ctx.people = draw_people(ctx)
    return ctx


def draw_people(ctx: AccountContext) -> list[Person]:
    """The customer's contacts: a champion, a sponsor, usually an admin and billing, then users."""
    rng, p = ctx.rng, ctx.profile
    size = {"enterprise": (5, 12), "mid_market": (3, 7), "smb": (2, 4)}[p.segment]
    roles = ["champion", "sponsor"]
    if p.segment != "smb" or rng.random() < 0.5:
        roles.append("admin")
    if rng.random() < 0.5:
        roles.append("billing")
    roles += ["user"] * max(0, rng.randint(*size) - len(roles))
    people: list[Person] = []
    names: set[str] = set()
    for n, role in enumerate(roles, start=1):
        first, last = person_name(rng)
        while f"{first} {last}" in names:
            first, last = person_name(rng)
        names.add(f"{first} {last}")
        left_at = None
        if role == "champion" and p.archetype is A.CHAMPION_LEFT:
            left_at = ctx.as_of - timedelta(days=rng.randint(14, 75))
        elif role == "user" and rng.random() < 0.1:
            left_at = ctx.random_day(ctx.history_start, ctx.as_of - timedelta(days=1))
        people.append(Person(f"{p.account_id}-c-{n}", first, f"{first} {last}", rng.choice(TITLES_BY_ROLE[role]),
                             f"{first.lower()}.{last.lower()}@{p.domain}", role, left_at))
    return people


def contact_rows(ctx: AccountContext) -> list[list[str]]:
    return [[p.contact_id, ctx.profile.account_id, p.name, p.title, p.email, p.role,
             "false" if p.left_at else "true", p.left_at.isoformat() if p.left_at else ""] for p in ctx.people]
