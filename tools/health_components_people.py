"""Health components about what the customer says, agreed and owns: sentiment, outcomes,
relationship, commercial."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

from accounts.models import Contact, ContactRole, ObjectiveStatus, SourceKind, SurveyKind, SurveyResponse
from tools.as_of import AccountView
from tools.config import JudgementConfig, SentimentConfig
from tools.evidence import ComponentName, ComponentPart, component, ev
from tools.plan_status import objective_states

MAX_EVIDENCE = 5


def latest_responses(view: AccountView, days: int) -> list[SurveyResponse]:
    """The latest response of each contact (per survey kind) dated within `days` of as_of.

    A contact's latest response within a shorter window is its latest within a wider one, if recent
    enough: so a wider list already computed for this view is filtered rather than recomputed.
    """
    memo: dict[int, list[SurveyResponse]] = view.memo.setdefault("latest_responses", {})
    found = memo.get(days)
    if found is not None:
        return found
    start = view.as_of - timedelta(days=days)
    wider = [d for d in memo if d > days]
    if wider:
        found = [r for r in memo[min(wider)] if r.date > start]
    else:
        latest: dict[tuple[str, str], SurveyResponse] = {}
        for r in view.surveys:  # sorted by date: later ones overwrite
            if r.date > start:
                latest[(r.contact_id or r.response_id, r.kind)] = r
        found = sorted(latest.values(), key=lambda r: (r.date, r.response_id))
    memo[days] = found
    return found


def response_points(r: SurveyResponse, cfg: SentimentConfig) -> float:
    """NPS: detractor score x 5 (0–30), passive 65, promoter 100. CSAT: the configured table."""
    if r.kind is SurveyKind.NPS:
        if r.score <= cfg.detractor_max:
            return 5.0 * max(0, r.score)
        return 100.0 if r.score >= cfg.promoter_min else 65.0
    return cfg.csat_points.get(r.score, 0.0)


def is_negative(r: SurveyResponse, cfg: SentimentConfig) -> bool:
    if r.kind is SurveyKind.NPS:
        return r.score <= cfg.detractor_max
    return r.score <= cfg.csat_low_max


def has_negative_comment(r: SurveyResponse, cfg: SentimentConfig) -> bool:
    """A comment with a negative term, from someone who is not a promoter / not fully satisfied."""
    if not r.comment:
        return False
    if (r.kind is SurveyKind.NPS and r.score >= cfg.promoter_min) or (
        r.kind is SurveyKind.CSAT and r.score >= 4
    ):
        return False
    return has_negative_term(r.comment, cfg)


def has_negative_term(text: str, cfg: SentimentConfig) -> bool:
    """Whether a text holds one of the negative terms (word starts, e.g. "frustrat")."""
    lowered = text.lower()
    return any(term in lowered for term in cfg.negative_terms)


def negative_comment_ids(view: AccountView, cfg: SentimentConfig) -> set[str]:
    """Ids of the latest responses (sentiment window) whose comment is negative; computed once per view."""
    found: set[str] | None = view.memo.get("negative_comments")
    if found is None:
        found = view.memo["negative_comments"] = {
            r.response_id for r in latest_responses(view, cfg.window_days) if has_negative_comment(r, cfg)}
    return found


def score_sentiment(view: AccountView, config: JudgementConfig) -> ComponentPart:
    cfg = config.sentiment
    responses = latest_responses(view, cfg.window_days)
    if not responses:
        return component(ComponentName.SENTIMENT, None,
                         f"not scored: no survey response in {cfg.window_days} days")
    base = sum(response_points(r, cfg) for r in responses) / len(responses)
    commented = negative_comment_ids(view, cfg)
    penalty = min(cfg.comment_penalty * len(commented), cfg.comment_penalty_cap)
    if view.lean:
        return component(ComponentName.SENTIMENT, base - penalty, "")
    nps = [r.score for r in responses if r.kind is SurveyKind.NPS]
    csat = [r.score for r in responses if r.kind is SurveyKind.CSAT]
    parts = [f"{len(responses)} latest responses"]
    if nps:
        parts.append(f"NPS scores {', '.join(str(s) for s in nps)}")
    if csat:
        parts.append(f"CSAT {', '.join(str(s) for s in csat)}")
    if commented:
        parts.append(f"{len(commented)} negative comment(s)")
    ranked = sorted(responses, key=lambda r: (not is_negative(r, cfg), r.response_id not in commented))
    evidence = [ev(SourceKind.SURVEYS, r.response_id) for r in ranked[:MAX_EVIDENCE]]
    return component(ComponentName.SENTIMENT, base - penalty, "; ".join(parts), evidence)


def score_outcomes(view: AccountView, config: JudgementConfig) -> ComponentPart:
    cfg = config.outcomes
    states = objective_states(view, config)
    if not states:
        why = "no success plan" if view.plan is None else "success plan without objectives"
        return component(ComponentName.OUTCOMES, None, f"not scored: {why} known on as_of")
    total = 0.0
    for s in states:
        total += max(0.0, cfg.status_points.get(s.effective_status, 0.0)
                     - cfg.overdue_milestone_penalty * len(s.overdue_milestones))
    if view.lean:
        return component(ComponentName.OUTCOMES, total / len(states), "")
    counts: dict[str, int] = {}
    for s in states:
        counts[s.effective_status] = counts.get(s.effective_status, 0) + 1
    overdue = sum(len(s.overdue_milestones) for s in states)
    detail = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    if overdue:
        detail += f"; {overdue} overdue milestone(s)"
    ranked = sorted(states, key=lambda s: s.effective_status is ObjectiveStatus.ACHIEVED)
    evidence = [ev(SourceKind.SUCCESS_PLANS, s.objective.id) for s in ranked[:MAX_EVIDENCE]]
    return component(ComponentName.OUTCOMES, total / len(states), f"objectives: {detail}", evidence)


def contact_seen(view: AccountView, contact: Contact, days: int) -> bool:
    """Seen lately: named in an activity, answered a survey, or took part in an advocacy event."""
    key = f"seen_since:{days}"
    seen: tuple[set[str], str] | None = view.memo.get(key)
    if seen is None:  # who answered or took part lately, and one string of the recent activities
        start = view.as_of - timedelta(days=days)
        ids = {r.contact_id for r in view.surveys if r.date > start}
        ids.update(e.contact_id for e in view.advocacy if e.date > start)
        recent = view.activities[bisect_right(view.activities, start, key=lambda a: a.date):]
        seen = view.memo[key] = (ids, "\n".join(f"{a.title}\n{a.body}" for a in recent))
    ids, text = seen
    if contact.contact_id in ids:
        return True
    return bool(contact.name and contact.name in text) or bool(contact.email and contact.email in text)


def last_seen(view: AccountView, contact: Contact) -> date | None:
    """When we last dealt with a contact, on or before as_of: the dated twin of `contact_seen` (named in an
    activity, answered a survey, took part in an advocacy event), and a record they wrote counts too."""
    name, email = contact.name.lower(), contact.email.strip().lower()
    days = [a.date for a in view.activities if (email and a.author.strip().lower() == email)
            or (name and (name in a.title.lower() or name in a.body.lower()))]
    days += [r.date for r in view.surveys if r.contact_id == contact.contact_id]
    days += [e.date for e in view.advocacy if e.contact_id == contact.contact_id]
    return max(days, default=None)


def score_relationship(view: AccountView, config: JudgementConfig) -> ComponentPart:
    cfg = config.relationship
    if not view.contacts:
        return component(ComponentName.RELATIONSHIP, None, "not scored: no contacts on record")
    score = 0.0
    parts: list[str] = []
    evidence = []
    for role, points in ((ContactRole.CHAMPION, cfg.champion_points), (ContactRole.SPONSOR, cfg.sponsor_points)):
        people = view.active_contacts(role)
        if not people:
            parts.append(f"no active {role.value}")
            continue
        seen = next((c for c in people if contact_seen(view, c, cfg.seen_days)), None)
        best = seen or people[0]
        score += points if seen else points / 2
        if view.lean:
            continue
        evidence.append(ev(SourceKind.CONTACTS, best.contact_id))
        state = "active" if seen else f"not seen in {cfg.seen_days} days"
        parts.append(f"{role.value} {best.name or best.contact_id} {state}")
    active = len(view.active_contacts())
    score += cfg.breadth_points * min(1.0, active / cfg.breadth_target)
    parts.append(f"{active} active contact(s)")
    return component(ComponentName.RELATIONSHIP, score, "; ".join(parts), evidence)


def renewal_points(days: int, config: JudgementConfig) -> float:
    cfg = config.commercial
    if days < 0:
        return cfg.lapsed_points
    for row in cfg.renewal_points:
        if days <= row.within_days:
            return row.points
    return cfg.beyond_points


def score_commercial(view: AccountView, config: JudgementConfig) -> ComponentPart:
    renewal = view.account.renewal_date
    if renewal is None:
        return component(ComponentName.COMMERCIAL, None, "not scored: no renewal date")
    days = (renewal - view.as_of).days
    if view.lean:
        return component(ComponentName.COMMERCIAL, renewal_points(days, config), "")
    when = f"renewal {renewal} ({days} days away)" if days >= 0 else f"renewal date {renewal} passed"
    return component(ComponentName.COMMERCIAL, renewal_points(days, config), when,
                     [ev(SourceKind.ACCOUNTS, view.account_id)])
