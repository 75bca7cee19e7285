"""One account's tickets, usage, surveys and advocacy events, driven by its archetype.

Every function takes the account's `AccountContext` and returns rows in file column order; the
activity log lives in `bench.workspace_activities` and the success plan in `bench.workspace_plans`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from bench.workspace_accounts import HAPPY, TROUBLED, Archetype
from bench.workspace_context import AccountContext
from bench.workspace_phrases import (
    ASK_NOTES,
    CSAT_COMMENTS,
    GIVE_NOTES,
    NPS_COMMENTS,
    SEV1_SUBJECTS,
    TICKET_DETAIL,
    TICKET_IMPACT,
    TICKET_SUBJECTS,
)
from bench.workspace_vocab import CORE_FEATURES, FEATURES

A = Archetype
ASK_KINDS = {"social_share": 20, "review": 20, "quote": 10, "reference_call": 25, "case_study": 10,
             "webinar": 7, "speaking": 5, "other": 3}
GIVE_KINDS = {"free_service": 15, "training": 30, "exec_access": 10, "feature_delivered": 20, "intro": 10,
              "promotion": 10, "other": 5}


# --- tickets ---------------------------------------------------------------------------------------
def _stamp(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 18), rng.choice((0, 5, 12, 20, 30, 41, 45, 55))))


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _ticket_text(ctx: AccountContext, severity: int, opened: date) -> tuple[str, str]:
    """A subject and a description that fit the severity and one of the account's features."""
    rng = ctx.rng
    prose = ctx.prose(ctx.pick_contact(opened))
    feature = rng.choice(ctx.features)
    slots = prose.slots(opened, feature=FEATURES[feature])
    subject = rng.choice(SEV1_SUBJECTS) if severity == 1 else rng.choice(TICKET_SUBJECTS[feature])
    parts = [rng.choice(TICKET_IMPACT[severity]), *rng.sample(TICKET_DETAIL, rng.randint(1, 3))]
    return prose.fill(subject, opened, slots), prose.compose(parts, opened, slots)


def ticket_count(ctx: AccountContext) -> int:
    low, high = {"enterprise": (8, 22), "mid_market": (5, 14), "smb": (3, 8)}[ctx.profile.segment]
    if ctx.archetype is A.NOISY_HAPPY:
        low, high = 18, 30
    share = min(1.0, (ctx.engagement_end - ctx.history_start).days / 365)
    return max(3, round(ctx.rng.randint(low, high) * max(share, 0.3)))


def _severity(ctx: AccountContext) -> int:
    if ctx.archetype is A.NOISY_HAPPY:
        return ctx.rng.choice((3, 3, 4, 4, 4))
    return ctx.rng.choices((1, 2, 3, 4), weights=(1, 15, 48, 36))[0]


def _resolution_hours(ctx: AccountContext, severity: int) -> float:
    low, high = {1: (2, 24), 2: (8, 96), 3: (24, 240), 4: (24, 480)}[severity]
    if ctx.archetype is A.NOISY_HAPPY:
        low, high = 1, 20
    hours = ctx.rng.uniform(low, high)
    return hours * 2.5 if ctx.archetype is A.NEGATIVE_SENTIMENT else hours


def _csat(ctx: AccountContext) -> str:
    weights = {A.NOISY_HAPPY: (0, 0, 1, 4, 10), A.NEGATIVE_SENTIMENT: (5, 5, 3, 1, 0), A.CRISIS: (2, 3, 4, 3, 1)}
    return str(ctx.rng.choices((1, 2, 3, 4, 5), weights=weights.get(ctx.archetype, (1, 1, 3, 6, 7)))[0])


def ticket_row(ctx: AccountContext, n: int, opened_day: date, severity: int, *, force_open: bool = False,
               escalated: bool = False) -> list[str]:
    """One ticket; one still unresolved at as-of is open or pending (never a sev-1 unless `force_open`)."""
    rng = ctx.rng
    opened = _stamp(opened_day, rng)
    closed = opened + timedelta(hours=_resolution_hours(ctx, severity))
    as_of_start = datetime.combine(ctx.as_of, time(0, 0))
    is_open = force_open or closed >= as_of_start
    if is_open and not force_open:
        severity = max(severity, 2)
    subject, description = _ticket_text(ctx, severity, opened_day)
    status, closed_text, csat = rng.choice(("open", "open", "pending")), "", ""
    if not is_open:
        status = "solved" if (as_of_start - closed).days < 10 or rng.random() < 0.4 else "closed"
        closed_text = _iso(closed)
        csat = _csat(ctx) if rng.random() < 0.55 else ""
        escalated = escalated or (severity <= 2 and rng.random() < 0.08)
    return [f"{ctx.profile.account_id}-t-{n}", ctx.profile.account_id, _iso(opened), closed_text, str(severity),
            status, subject, description, "true" if escalated else "false", csat]


def ticket_rows(ctx: AccountContext) -> list[list[str]]:
    """Tickets over the history; a crisis account also gets a fresh, open, escalated sev-1."""
    rng = ctx.rng
    days = sorted(ctx.random_day(ctx.history_start, ctx.engagement_end) for _ in range(ticket_count(ctx)))
    rows = [ticket_row(ctx, n, day, _severity(ctx)) for n, day in enumerate(days, start=1)]
    if ctx.archetype is A.CRISIS:
        opened = ctx.as_of - timedelta(days=rng.randint(1, 10))
        row = ticket_row(ctx, len(rows) + 1, opened, 1, force_open=True, escalated=True)
        rows.append(row)
        ctx.crisis_ticket = (row[0], row[6], opened)
        for _ in range(rng.randint(1, 3)):
            rows.append(ticket_row(ctx, len(rows) + 1, ctx.random_day(opened, ctx.as_of - timedelta(days=1)), 2))
    return sorted(rows, key=lambda r: r[2])


# --- usage -----------------------------------------------------------------------------------------
def _adoption(ctx: AccountContext, week: date, base: float, weeks_left: int) -> float:
    """Share of seats active in `week`, shaped by the archetype; `weeks_left` counts down to as-of."""
    rng, arch = ctx.rng, ctx.archetype
    noise = rng.uniform(-0.05, 0.05)
    if arch is A.ONBOARDING:
        age = (week - ctx.profile.contract_start).days / 7
        return max(0.02, min(0.5, 0.04 + age * 0.03) + noise / 2)
    if arch is A.SILENT and week > ctx.engagement_end:
        return rng.uniform(0.0, 0.06)
    if arch is A.USAGE_DECLINE and weeks_left < 12:
        return max(0.05, base * (0.35 + 0.65 * weeks_left / 12) + noise)
    if arch is A.EXPANSION:
        return min(1.1, base + 0.25 + (26 - min(weeks_left, 26)) * 0.006 + noise)
    if arch is A.CRISIS and weeks_left < 2:
        return max(0.05, base * 0.6 + noise)
    return max(0.05, base + noise)


def usage_rows(ctx: AccountContext, mondays: list[date]) -> list[list[str]]:
    """One row per Monday from the contract start on; features widen with adoption."""
    rng, p = ctx.rng, ctx.profile
    base = rng.uniform(0.55, 0.8)
    order = list(ctx.features)
    rng.shuffle(order)
    order = sorted(order, key=lambda f: f not in CORE_FEATURES)
    first_monday = p.contract_start - timedelta(days=p.contract_start.weekday())
    rows = []
    for i, week in enumerate(mondays):
        if week < first_monday:
            continue
        share = _adoption(ctx, week, base, len(mondays) - 1 - i)
        users = max(0, min(round(p.seats * 1.1), round(p.seats * share)))
        sessions = round(users * rng.uniform(4, 11))
        used = order[: max(1 if users else 0, round(len(order) * min(1.0, share * 1.3 + rng.uniform(-0.1, 0.1))))]
        rows.append([p.account_id, week.isoformat(), str(users), str(sessions), ";".join(used)])
    ctx.weekly_users = [(date.fromisoformat(r[1]), int(r[2])) for r in rows]
    return rows


# --- surveys ---------------------------------------------------------------------------------------
def _nps_score(ctx: AccountContext, day: date) -> int:
    arch, rng = ctx.archetype, ctx.rng
    if arch is A.NEGATIVE_SENTIMENT and (ctx.as_of - day).days < 150:
        return rng.randint(0, 5)
    if arch in HAPPY:
        return rng.choice((8, 9, 9, 10, 10))
    if arch in TROUBLED:
        return rng.randint(4, 8)
    return rng.randint(6, 9)


def survey_rows(ctx: AccountContext) -> list[list[str]]:
    """NPS campaigns about twice a year, plus a few relationship CSAT responses."""
    rng, aid = ctx.rng, ctx.profile.account_id
    rows: list[list[Any]] = []
    campaigns = max(1, (ctx.engagement_end - ctx.history_start).days // 180)
    days = [ctx.random_day(ctx.history_start, ctx.engagement_end) for _ in range(campaigns)]
    if ctx.archetype is A.NEGATIVE_SENTIMENT:  # a fresh wave of detractors
        days.append(ctx.as_of - timedelta(days=rng.randint(5, 60)))
    for day in days:
        for person in rng.sample(ctx.people_on(day), min(len(ctx.people_on(day)), rng.randint(1, 3))):
            score = _nps_score(ctx, day)
            band = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
            comment = "" if rng.random() < 0.15 else ctx.prose(person).compose(
                rng.sample(NPS_COMMENTS[band], rng.choice((1, 1, 2))), day)
            rows.append([day, person.contact_id, "nps", score, comment])
    for _ in range(rng.randint(0, 3)):
        day = ctx.random_day(ctx.history_start, ctx.engagement_end)
        score = int(_csat(ctx))
        band = "high" if score >= 4 else "mid" if score == 3 else "low"
        rows.append([day, ctx.pick_contact(day).contact_id, "csat", score, rng.choice(CSAT_COMMENTS[band])])
    rows.sort(key=lambda r: (r[0], r[1]))
    return [[f"{aid}-s-{n}", aid, r[1], r[0].isoformat(), r[2], str(r[3]), r[4]] for n, r in enumerate(rows, 1)]


# --- advocacy --------------------------------------------------------------------------------------
def _advocacy_counts(ctx: AccountContext) -> tuple[int, int]:
    rng, arch = ctx.rng, ctx.archetype
    if arch is A.OVER_ASKED:
        return rng.randint(0, 1), rng.randint(5, 9)
    if arch is A.ONBOARDING:
        return rng.randint(0, 2), int(rng.random() < 0.2)
    if arch in HAPPY:
        return rng.randint(1, 4), rng.randint(0, 3)
    return rng.randint(0, 2), rng.randint(0, 2)


def _ask_outcome(ctx: AccountContext, day: date) -> str:
    if (ctx.as_of - day).days < 45 and ctx.rng.random() < 0.5:
        return "pending"
    declined = 6 if ctx.archetype in TROUBLED else 2
    return ctx.rng.choices(("accepted", "completed", "declined"), weights=(3, 6, declined))[0]


def advocacy_rows(ctx: AccountContext) -> list[dict[str, str]]:
    """Gives (deposits) and asks (withdrawals); an over-asked account ends with a recent decline."""
    rng, aid = ctx.rng, ctx.profile.account_id
    gives, asks = _advocacy_counts(ctx)
    events: list[tuple[date, str, str, str, str]] = []  # (date, direction, kind, contact_id, outcome)
    for _ in range(gives):
        day = ctx.random_day(ctx.history_start, ctx.engagement_end)
        kind = rng.choices(list(GIVE_KINDS), weights=list(GIVE_KINDS.values()))[0]
        events.append((day, "give", kind, ctx.pick_contact(day).contact_id, ""))
    for _ in range(asks):
        day = ctx.random_day(ctx.history_start, ctx.engagement_end)
        kind = rng.choices(list(ASK_KINDS), weights=list(ASK_KINDS.values()))[0]
        contact = ctx.sponsor if kind in ("case_study", "speaking") else ctx.pick_contact(day)
        events.append((day, "ask", kind, contact.contact_id, _ask_outcome(ctx, day)))
    if ctx.archetype is A.OVER_ASKED:
        day = ctx.as_of - timedelta(days=rng.randint(5, 30))
        kind = rng.choice(("case_study", "reference_call", "webinar", "speaking"))
        events.append((day, "ask", kind, ctx.champion.contact_id, "declined"))
        ctx.declined_ask = (day, kind, ctx.champion.contact_id)
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    rows = []
    for n, (day, direction, kind, contact_id, outcome) in enumerate(events, start=1):
        notes = GIVE_NOTES if direction == "give" else ASK_NOTES
        row = {"id": f"{aid}-adv-{n}", "account_id": aid, "date": day.isoformat(), "direction": direction,
               "kind": kind, "contact_id": contact_id}
        if outcome:
            row["outcome"] = outcome
        row["note"] = ctx.prose().fill(rng.choice(notes[kind]), day)
        rows.append(row)
    return rows
