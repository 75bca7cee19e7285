"""Account profiles for synthetic workspaces: segment, money, dates, owner and an archetype per account.

The archetype is the story an account tells (a crisis, a silence, a champion who left…); the record
generators in `bench.workspace_records` read it so that every file tells the same story.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bench.workspace_vocab import (
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    LEGAL_SUFFIXES,
    NAME_STEMS,
    SEAT_PRICE,
    SEGMENTS,
    VENDOR_DOMAIN,
)

CITIES = ("Tulsa", "Boise", "Fresno", "Omaha", "Raleigh", "Tampa", "Spokane", "Akron", "Reno", "Dayton", "Toledo",
          "Madison", "Wichita", "Calgary", "Halifax", "Leeds", "Cork", "Austin", "Denver", "Tucson")


class Archetype(StrEnum):
    HEALTHY = "healthy"
    CRISIS = "crisis"  # an open, escalated sev-1 ticket
    SILENT = "silent"  # engagement stops some weeks before as-of
    NOISY_HAPPY = "noisy_happy"  # many small tickets solved fast, high CSAT
    CHAMPION_LEFT = "champion_left"
    FORGOTTEN_COMMITMENT = "forgotten_commitment"  # an open commitment past its due date
    OVER_ASKED = "over_asked"  # many asks, few gives, a recent decline
    ONBOARDING = "onboarding"  # new, no first value yet
    USAGE_DECLINE = "usage_decline"
    NEGATIVE_SENTIMENT = "negative_sentiment"
    EXPANSION = "expansion"  # active users near or above seats


ARCHETYPE_WEIGHTS: dict[Archetype, float] = {
    Archetype.HEALTHY: 0.30,
    Archetype.CRISIS: 0.06,
    Archetype.SILENT: 0.07,
    Archetype.NOISY_HAPPY: 0.07,
    Archetype.CHAMPION_LEFT: 0.07,
    Archetype.FORGOTTEN_COMMITMENT: 0.07,
    Archetype.OVER_ASKED: 0.06,
    Archetype.ONBOARDING: 0.08,
    Archetype.USAGE_DECLINE: 0.07,
    Archetype.NEGATIVE_SENTIMENT: 0.06,
    Archetype.EXPANSION: 0.09,
}
TROUBLED = frozenset({Archetype.CRISIS, Archetype.SILENT, Archetype.USAGE_DECLINE, Archetype.NEGATIVE_SENTIMENT,
                      Archetype.CHAMPION_LEFT})
HAPPY = frozenset({Archetype.HEALTHY, Archetype.EXPANSION, Archetype.NOISY_HAPPY})
# the first accounts cycle through every archetype so that even a small workspace shows them all
GUARANTEED_ORDER = tuple(a for a in Archetype if a is not Archetype.HEALTHY)
ACCOUNTS_PER_CSM = 60


@dataclass(frozen=True)
class AccountProfile:
    """One account's fixed facts; everything else is generated from these and the account's own seed."""

    index: int
    account_id: str
    name: str
    domain: str
    segment: str
    industry: str
    arr: int
    plan: str
    seats: int
    term_years: int
    contract_start: date
    renewal_date: date
    csm: str
    lifecycle_stage: str
    first_value_date: date | None
    archetype: Archetype


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def draw_staff(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """`count` distinct vendor handles like `dana.reyes@fieldloop.example`, none in `taken`."""
    handles: list[str] = []
    while len(handles) < count:
        first, last = person_name(rng)
        handle = f"{first.lower()}.{last.lower()}@{VENDOR_DOMAIN}"
        if handle not in taken:
            taken.add(handle)
            handles.append(handle)
    return handles


def draw_archetype(rng: random.Random, index: int) -> Archetype:
    if index < len(GUARANTEED_ORDER):
        return GUARANTEED_ORDER[index]
    return rng.choices(list(ARCHETYPE_WEIGHTS), weights=list(ARCHETYPE_WEIGHTS.values()))[0]


def draw_dates(rng: random.Random, archetype: Archetype, as_of: date) -> tuple[date, date, int]:
    """(contract_start, renewal_date, term_years), renewals spread over the next 18 months."""
    if archetype is Archetype.ONBOARDING:
        start = as_of - timedelta(days=rng.randint(20, 110))
        return start, start + timedelta(days=365), 1
    start = as_of - timedelta(days=rng.randint(150, 1800))
    term = rng.choice((1, 1, 2, 3))
    years = 1
    while _add_years(start, years) <= as_of:
        years += 1
    renewal = _add_years(start, years)
    if term > 1 and rng.random() < 0.5 and (renewal - as_of).days + 365 <= 548:
        renewal = _add_years(renewal, 1)
    return start, renewal, term


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def lifecycle_stage(rng: random.Random, archetype: Archetype, renewal: date, as_of: date) -> str:
    if archetype is Archetype.ONBOARDING:
        return "onboarding"
    if archetype is Archetype.EXPANSION:
        return "expansion"
    if (renewal - as_of).days <= 90:
        return "renewal"
    return rng.choice(("adoption", "value", "value"))


def unique_name(rng: random.Random, industry: str, index: int, used_ids: set[str]) -> tuple[str, str]:
    """A company name for `industry` and its slug as account id, unique among `used_ids`."""
    base = f"{rng.choice(NAME_STEMS)} {rng.choice(INDUSTRIES[industry])}"
    for attempt in range(8):
        name = base if attempt == 0 else f"{base} of {rng.choice(CITIES)}"
        if slugify(name) not in used_ids:
            break
    else:
        name = f"{base} {index}"
    used_ids.add(slugify(name))
    return name, slugify(name)


def draw_profile(rng: random.Random, index: int, as_of: date, csms: list[str], used_ids: set[str]) -> AccountProfile:
    """One account profile; `used_ids` keeps account ids unique across the workspace."""
    archetype = draw_archetype(rng, index)
    segment, _, (seats_lo, seats_hi), plans = rng.choices(SEGMENTS, weights=[s[1] for s in SEGMENTS])[0]
    plan, seats = rng.choice(plans), rng.randint(seats_lo, seats_hi)
    industry = rng.choice(list(INDUSTRIES))
    name, account_id = unique_name(rng, industry, index, used_ids)
    start, renewal, term = draw_dates(rng, archetype, as_of)
    first_value = None
    if archetype is not Archetype.ONBOARDING:
        first_value = min(start + timedelta(days=rng.randint(30, 140)), as_of - timedelta(days=7))
    return AccountProfile(
        index=index, account_id=account_id, name=name + rng.choice(LEGAL_SUFFIXES),
        domain=account_id.replace("-", "") + ".example",
        segment=segment, industry=industry, arr=round(seats * SEAT_PRICE[plan] * rng.uniform(0.7, 1.0) / 100) * 100,
        plan=plan, seats=seats, term_years=term, contract_start=start, renewal_date=renewal,
        csm=rng.choice(csms), lifecycle_stage=lifecycle_stage(rng, archetype, renewal, as_of),
        first_value_date=first_value, archetype=archetype,
    )


def draw_profiles(count: int, seed: int, as_of: date) -> tuple[list[AccountProfile], list[str], list[str]]:
    """All account profiles plus the CSM roster and the account-executive roster."""
    rng = random.Random(seed)
    taken: set[str] = set()
    csms = draw_staff(rng, max(1, round(count / ACCOUNTS_PER_CSM)), taken)
    executives = draw_staff(rng, max(1, count // 150 + 1), taken)
    used_ids: set[str] = set()
    profiles = [draw_profile(rng, i, as_of, csms, used_ids) for i in range(count)]
    return profiles, csms, executives
