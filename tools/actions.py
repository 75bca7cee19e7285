"""Next actions: what a CSM should do next, ranked, each with why and the records behind it.

Each rule turns a flag (or a usage pattern) into a concrete step with a fixed priority; the list is
sorted by priority, most important first, and cut at `actions.max_actions`. No upsell during a crisis
or on a red account: the expansion conversation waits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Contact, ContactRole, SourceKind
from tools.config import JudgementConfig
from tools.evidence import Action, Band, Evidence, Flag, FlagCode, ev
from tools.flags import overdue_commitments
from tools.health_components_people import last_seen
from tools.plan_status import objective_states
from tools.usage_stats import lagging_features

if TYPE_CHECKING:
    from tools.as_of import AccountView
    from tools.health import HealthCore

Ranked = tuple[int, Action]


def _act(priority: int, text: str, why: str, evidence: list[Evidence]) -> Ranked:
    return priority, Action(text=text, why=why, evidence=evidence)


def _who(core: HealthCore) -> str:
    for role in (ContactRole.CHAMPION, ContactRole.SPONSOR, ContactRole.ADMIN):
        people = core.view.active_contacts(role)
        if people:
            return f"{people[0].name or people[0].contact_id} ({role.value})"
    return "your main contact"


def _engaged_first(view: AccountView, contacts: list[Contact]) -> list[Contact]:
    """The contacts we have dealt with most recently first (`last_seen`): the interim manager we trained last
    week is a likelier new champion than a name on the contract."""
    return sorted(contacts, key=lambda c: -(seen.toordinal() if (seen := last_seen(view, c)) else 0))


def _from_flag(flag: Flag, core: HealthCore, config: JudgementConfig) -> list[Ranked]:
    view = core.view
    code = flag.code
    if code is FlagCode.OPEN_CRISIS:
        return [_act(100, "Run a rescue plan: name an owner for the ticket, send daily updates to the customer, "
                     "set up an exec-to-exec call and agree a fix date", flag.text, flag.evidence)]
    if code is FlagCode.OVERDUE_COMMITMENT:
        return [_act(90 - i, f"Follow up our promise “{o.activity.title}” (due {o.due}): deliver it or agree a "
                     "new date with the customer today", f"{o.days} days overdue",
                     [ev(SourceKind.ACTIVITIES, o.activity.id)])
                for i, o in enumerate(overdue_commitments(view, config)[:3])]
    if code is FlagCode.CHAMPION_LEFT:
        candidates = [c.name or c.contact_id for c in _engaged_first(view, [
            c for c in view.active_contacts() if c.role is not ContactRole.BILLING])]
        who = f" (candidates: {', '.join(candidates[:3])})" if candidates else ""
        return [_act(85, f"Re-map stakeholders: find and brief a new champion{who}, and confirm the sponsor",
                     flag.text, flag.evidence)]
    if code is FlagCode.SILENCE:
        return [_act(80, f"Re-engage: reach out to {_who(core)} with something useful to them (a usage "
                     "insight, a relevant release) and propose a check-in", flag.text, flag.evidence)]
    if code is FlagCode.RENEWAL_SOON:
        urgent = 78 if core.band in (Band.RED, Band.YELLOW) else 70
        return [_act(urgent, "Prepare the renewal: a value recap against the success plan, confirm the "
                     "decision makers, open the commercial conversation", flag.text, flag.evidence)]
    if code is FlagCode.OBJECTIVE_AT_RISK:
        risky = [s for s in objective_states(view, config) if s.at_risk]
        return [_act(65, f"Review the objective “{risky[0].objective.title}” with the customer and agree a "
                     "recovery plan with dates and owners", flag.text, flag.evidence)]
    if code is FlagCode.NEGATIVE_SENTIMENT:
        return [_act(60, "Call the unhappy respondents, hear them out and close the loop on what they raised",
                     flag.text, flag.evidence)]
    if code is FlagCode.USAGE_DECLINE:
        return [_act(55, f"Ask {_who(core)} why usage dropped (team change, a competing tool, a blocker) and "
                     "agree a re-adoption plan", flag.text, flag.evidence)]
    if code is FlagCode.NO_VALUE_YET:
        pending = [s for s in objective_states(view, config) if s.effective_status.value != "achieved"]
        goal = f" (next: “{pending[0].objective.title}”)" if pending else ""
        late = "past" in flag.text
        return [_act(62 if late else 50, f"Drive to first value: agree the first measurable outcome and a "
                     f"date with the customer{goal}", flag.text, flag.evidence)]
    if code is FlagCode.EXPANSION_SIGNAL:
        if core.band is Band.RED or core.has(FlagCode.OPEN_CRISIS):
            return []
        return [_act(40, "Open an expansion conversation: more seats or a wider rollout", flag.text,
                     flag.evidence)]
    return []


def _training(core: HealthCore, config: JudgementConfig) -> list[Ranked]:
    ranked: list[Ranked] = []
    for lag in lagging_features(core.view, config)[:2]:
        if lag.last_used is None:
            text = f"Offer an onboarding session on “{lag.feature}”: they bought it and never started"
            why = f"“{lag.feature}” is licensed but has never been used"
            evidence = [ev(SourceKind.ACCOUNTS, core.view.account_id)]
        else:
            text = f"Offer a training session on “{lag.feature}” to the team that used it"
            why = (f"“{lag.feature}” was used in {lag.baseline_share:.0%} of periods before, "
                   f"{lag.recent_share:.0%} lately, while other features are still in use")
            evidence = [ev(SourceKind.USAGE, lag.last_used.record_id)]
        ranked.append(_act(50, text, why, evidence))
    return ranked


def next_actions(core: HealthCore, config: JudgementConfig) -> list[Action]:
    ranked: list[Ranked] = []
    for flag in core.flags:
        ranked.extend(_from_flag(flag, core, config))
    ranked.extend(_training(core, config))
    ranked.sort(key=lambda r: -r[0])  # stable: equal priorities keep flag order
    return [action for _, action in ranked[: config.actions.max_actions]]
