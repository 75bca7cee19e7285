"""Flags: named situations a CSM must know about, each with the records that show it.

One finder per flag code; `detect_flags` runs them all in the order of `FlagCode` (most urgent
first). A finder returns None when its situation does not hold on the as-of date.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.models import Activity, ActivityType, ContactRole, SourceKind, SurveyKind
from tools.as_of import AccountView, is_open_item, open_commitments
from tools.config import JudgementConfig
from tools.evidence import Evidence, Flag, FlagCode, ev
from tools.health_components_people import (
    has_negative_comment,
    is_negative,
    latest_responses,
    negative_comment_ids,
)
from tools.plan_status import objective_states
from tools.touches import touch_rhythm
from tools.usage_stats import usage_stats

MAX_EVIDENCE = 6
WORD = re.compile(r"[a-z]+")


def _flag(code: FlagCode, text: str, evidence: list[Evidence]) -> Flag:
    return Flag(code=code, text=text, evidence=evidence[:MAX_EVIDENCE])


_BARE = {code: Flag(code=code, text="", evidence=[]) for code in FlagCode}  # portfolio mode: the code alone


def find_open_crisis(view: AccountView, config: JudgementConfig) -> Flag | None:
    """An open severity-1 ticket or an open escalated ticket."""
    crisis = [s.ticket for s in view.tickets if s.open and (s.ticket.severity == 1 or s.ticket.escalated)]
    if not crisis:
        return None
    if view.lean:
        return _BARE[FlagCode.OPEN_CRISIS]
    t = crisis[0]
    kind = "severity-1" if t.severity == 1 else f"escalated severity-{t.severity}"
    age = view.days_since(t.opened_at.date())
    more = f" (+{len(crisis) - 1} more)" if len(crisis) > 1 else ""
    return _flag(FlagCode.OPEN_CRISIS, f"Open {kind} ticket {t.ticket_id} “{t.subject}”, "
                 f"open {age} days{more}", [ev(SourceKind.TICKETS, c.ticket_id) for c in crisis])


def find_silence(view: AccountView, config: JudgementConfig) -> Flag | None:
    rhythm = touch_rhythm(view, config)
    if rhythm is None or not rhythm.silent:
        return None
    if view.lean:
        return _BARE[FlagCode.SILENCE]
    last = rhythm.last_touch
    return _flag(FlagCode.SILENCE, f"No customer touch for {rhythm.days_since} days (last: {last.type.value} "
                 f"“{last.title}” on {last.date}); this account's usual gap is {rhythm.median_gap:g} days, "
                 f"so silence starts after {rhythm.threshold:g}", [ev(SourceKind.ACTIVITIES, last.id)])


def find_usage_decline(view: AccountView, config: JudgementConfig) -> Flag | None:
    cfg = config.usage_decline
    stats = usage_stats(view, config)
    if stats.latest is None:
        return None
    if stats.stopped:
        before = view.usage[-4:]
        was = sum(r.active_users for r in before) / len(before)
        if was < cfg.min_baseline_users:
            return None
        if view.lean:
            return _BARE[FlagCode.USAGE_DECLINE]
        return _flag(FlagCode.USAGE_DECLINE, f"No product usage recorded since {stats.latest.date} "
                     f"(was {was:.0f} active users)", [ev(SourceKind.USAGE, stats.latest.record_id)])
    change = stats.change
    if change is None or stats.baseline_users is None or stats.baseline_users < cfg.min_baseline_users:
        return None
    if change > -cfg.min_drop:
        return None
    if view.lean:
        return _BARE[FlagCode.USAGE_DECLINE]
    return _flag(FlagCode.USAGE_DECLINE, f"Active users down {-change:.0%}: {stats.recent_users:.0f} "
                 f"now vs {stats.baseline_users:.0f} in the prior {config.adoption.baseline_days} days",
                 [ev(SourceKind.USAGE, stats.recent[-1].record_id), ev(SourceKind.USAGE, stats.baseline[0].record_id)])


def find_champion_left(view: AccountView, config: JudgementConfig) -> Flag | None:
    """A champion left (within the lookback, or inactive without a date) and none is active now."""
    if view.active_contacts(ContactRole.CHAMPION):
        return None
    start = view.as_of - timedelta(days=config.relationship.champion_left_lookback_days)
    gone = [s for s in view.contacts if s.contact.role is ContactRole.CHAMPION and not s.active
            and (s.left_on is None or s.left_on > start)]
    if not gone:
        return None
    if view.lean:
        return _BARE[FlagCode.CHAMPION_LEFT]
    c = gone[-1].contact
    when = f"left on {gone[-1].left_on}" if gone[-1].left_on else "is marked inactive"
    return _flag(FlagCode.CHAMPION_LEFT, f"Champion {c.name or c.contact_id} ({c.title or 'no title'}) {when}; "
                 "no active champion now", [ev(SourceKind.CONTACTS, s.contact.contact_id) for s in gone])


def find_renewal_soon(view: AccountView, config: JudgementConfig) -> Flag | None:
    renewal = view.account.renewal_date
    if renewal is None:
        return None
    days = (renewal - view.as_of).days
    if not 0 <= days <= config.commercial.renewal_window_days:
        return None
    if view.lean:
        return _BARE[FlagCode.RENEWAL_SOON]
    return _flag(FlagCode.RENEWAL_SOON, f"Renewal on {renewal}, in {days} days",
                 [ev(SourceKind.ACCOUNTS, view.account_id)])


def find_overdue_commitment(view: AccountView, config: JudgementConfig) -> Flag | None:
    overdue = overdue_commitments(view, config)
    if not overdue:
        return None
    if view.lean:
        return _BARE[FlagCode.OVERDUE_COMMITMENT]
    worst = overdue[0]
    more = f" (+{len(overdue) - 1} more)" if len(overdue) > 1 else ""
    return _flag(FlagCode.OVERDUE_COMMITMENT, f"We promised “{worst.activity.title}” by {worst.due}: "
                 f"{worst.days} days overdue{more}", [ev(SourceKind.ACTIVITIES, o.activity.id) for o in overdue])


@dataclass(frozen=True, slots=True)
class Overdue:
    activity: Activity
    due: date
    days: int  # days past due


def overdue_commitments(view: AccountView, config: JudgementConfig) -> list[Overdue]:
    """Open commitments past due (+ grace), most overdue first."""
    grace = config.commitments.grace_days
    found = [Overdue(a, a.due, (view.as_of - a.due).days) for a in open_commitments(view)
             if a.due is not None and (view.as_of - a.due).days > grace]
    return sorted(found, key=lambda o: (o.due, o.activity.id))


def find_negative_sentiment(view: AccountView, config: JudgementConfig) -> Flag | None:
    """The latest NPS answer is a detractor, or negative ratings (detractors, low CSAT, negative
    comments) are a large share of the recent ones (latest per contact, plus rated tickets)."""
    cfg = config.sentiment
    responses = latest_responses(view, cfg.recent_days)
    start = view.as_of - timedelta(days=cfg.recent_days)
    rated = [s.ticket for s in view.tickets if s.closed_on is not None and s.closed_on > start
             and s.ticket.csat is not None]
    commented = negative_comment_ids(view, cfg) if cfg.recent_days <= cfg.window_days else None
    surveys = [r.response_id for r in responses if is_negative(r, cfg) or (
        r.response_id in commented if commented is not None else has_negative_comment(r, cfg))]
    tickets = [t.ticket_id for t in rated if (t.csat or 5) <= cfg.csat_low_max]
    n_negative, total = len(surveys) + len(tickets), len(responses) + len(rated)
    latest = next((r for r in reversed(responses) if r.kind is SurveyKind.NPS), None)  # sorted by date, id
    detractor = latest is not None and latest.score <= cfg.detractor_max
    if not detractor and (not n_negative or n_negative / total < cfg.negative_share):
        return None
    if view.lean:
        return _BARE[FlagCode.NEGATIVE_SENTIMENT]
    negative = [ev(SourceKind.SURVEYS, i) for i in surveys] + [ev(SourceKind.TICKETS, i) for i in tickets]
    if detractor and latest is not None:
        return _flag(FlagCode.NEGATIVE_SENTIMENT, f"Latest NPS answer is a detractor: {latest.score} on "
                     f"{latest.date}; {n_negative} of {total} recent ratings negative", negative)
    return _flag(FlagCode.NEGATIVE_SENTIMENT, f"{len(negative)} of {total} survey/ticket ratings in the last "
                 f"{cfg.recent_days} days are negative", negative)


def find_objective_at_risk(view: AccountView, config: JudgementConfig) -> Flag | None:
    risky = [s for s in objective_states(view, config) if s.at_risk]
    if not risky:
        return None
    if view.lean:
        return _BARE[FlagCode.OBJECTIVE_AT_RISK]
    s = risky[0]
    why = s.effective_status.value.replace("_", " ")
    if s.past_due:
        why += f", due {s.objective.due} passed"
    if s.overdue_milestones:
        why += f", milestone “{s.overdue_milestones[0].title}” overdue"
    more = f" (+{len(risky) - 1} more)" if len(risky) > 1 else ""
    return _flag(FlagCode.OBJECTIVE_AT_RISK, f"Objective “{s.objective.title}”: {why}{more}",
                 [ev(SourceKind.SUCCESS_PLANS, r.objective.id) for r in risky])


def find_expansion_signal(view: AccountView, config: JudgementConfig) -> Flag | None:
    cfg = config.expansion
    seats = view.account.licensed_seats
    stats = usage_stats(view, config)
    evidence = []
    texts = []
    if seats and stats.recent and not stats.stopped and stats.peak_recent_users >= cfg.seat_utilisation * seats:
        peak = max(stats.recent, key=lambda r: r.active_users)
        texts.append(f"{peak.active_users} active users on {seats} seats")
        evidence.append(ev(SourceKind.USAGE, peak.record_id))
    start = view.as_of - timedelta(days=cfg.window_days)
    recent = view.activities[bisect_right(view.activities, start, key=lambda a: a.date):]
    for a in recent:
        if a.type is ActivityType.REQUEST and is_open_item(a, view.as_of):
            text = f"{a.title} {a.body}".lower()
            if not any(p in text for p in cfg.capacity_prefixes):
                continue
            words = WORD.findall(text)
            if cfg.growth_words.intersection(words) and any(w.startswith(cfg.capacity_prefixes) for w in words):
                texts.append(f"open request “{a.title}” ({a.date})")
                evidence.append(ev(SourceKind.ACTIVITIES, a.id))
    if not texts:
        return None
    if view.lean:
        return _BARE[FlagCode.EXPANSION_SIGNAL]
    return _flag(FlagCode.EXPANSION_SIGNAL, "Room to grow: " + "; ".join(texts[:3]), evidence)


def find_no_value_yet(view: AccountView, config: JudgementConfig) -> Flag | None:
    if view.value_reached_on() is not None:
        return None
    if view.lean:
        return _BARE[FlagCode.NO_VALUE_YET]
    start = view.account.contract_start
    text = "No first value recorded (no first_value_date, no achieved objective)"
    if start is not None and start <= view.as_of:
        days = view.days_since(start)
        late = days > config.value.time_to_value_days
        text += f"; contract started {days} days ago" + (
            f", past the {config.value.time_to_value_days}-day time-to-value target" if late else "")
    return _flag(FlagCode.NO_VALUE_YET, text, [ev(SourceKind.ACCOUNTS, view.account_id)])


FINDERS: dict[FlagCode, Callable[[AccountView, JudgementConfig], Flag | None]] = {
    FlagCode.OPEN_CRISIS: find_open_crisis,
    FlagCode.SILENCE: find_silence,
    FlagCode.USAGE_DECLINE: find_usage_decline,
    FlagCode.CHAMPION_LEFT: find_champion_left,
    FlagCode.RENEWAL_SOON: find_renewal_soon,
    FlagCode.OVERDUE_COMMITMENT: find_overdue_commitment,
    FlagCode.NEGATIVE_SENTIMENT: find_negative_sentiment,
    FlagCode.OBJECTIVE_AT_RISK: find_objective_at_risk,
    FlagCode.EXPANSION_SIGNAL: find_expansion_signal,
    FlagCode.NO_VALUE_YET: find_no_value_yet,
}


def detect_flags(view: AccountView, config: JudgementConfig) -> list[Flag]:
    return [flag for finder in FINDERS.values() if (flag := finder(view, config)) is not None]
