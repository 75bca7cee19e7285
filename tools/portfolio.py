"""Portfolio: where is a CSM's (or everyone's) book at risk, what renews, who is ready to advocate.

One pass over the accounts: each is cut at as_of and judged once (health components and flags,
then advocacy from the same judgement). The 30-day trend and the next actions are skipped here, so
10,000 accounts take well under two seconds (bench/bench_judgements.py).
"""

from __future__ import annotations

import difflib
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from accounts.book import AccountBook
from accounts.errors import BadRequest
from accounts.models import Account, AdvocacyDirection, AskKind, AskOutcome, SourceKind
from tools.advocacy import AdvocacyCheck, check_view, may_be_ready
from tools.as_of import open_commitments, view_as_of
from tools.config import JudgementConfig
from tools.evidence import SERIOUS_FLAGS, Band, FlagCode, ReasonCode, Verdict
from tools.flags import overdue_commitments
from tools.health import HealthCore, judge_view
from tools.touches import touch_rhythm


class _Item(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_id: str
    name: str
    arr: int | float


class AtRiskAccount(_Item):
    band: Band
    score: int | None
    renewal_date: date | None
    flags: list[FlagCode]


class UpcomingRenewal(_Item):
    renewal_date: date
    days: int
    band: Band


class ReadyAdvocate(_Item):
    kind: AskKind
    contact_id: str | None
    net: int | float


class SilentAccount(_Item):
    days_silent: int
    usual_gap_days: float
    last_touch: date
    last_activity_id: str


class OverdueCommitment(_Item):
    activity_id: str
    title: str
    due: date
    days_overdue: int


class CommitmentDue(_Item):
    """An open commitment falling due within `commitments.upcoming_days`: keep it before it is overdue."""

    activity_id: str
    title: str
    due: date
    days_to_due: int


class NoValueYet(_Item):
    """An account that has not reached first value: onboarding still, no advocacy ask yet."""

    band: Band
    lifecycle_stage: str | None
    contract_start: date | None


class DeclinedAsk(_Item):
    """An advocacy ask the customer declined within `advocacy.decline_cooldown_days`: no ask until it passes."""

    advocacy_id: str
    ask_kind: str
    declined_on: date
    ask_again_from: date


class LargestAccount(_Item):
    band: Band
    renewal_date: date | None


class ExpansionAccount(LargestAccount):
    """An account with the `expansion_signal` flag: seats nearly all used, or more asked for."""

    flags: list[FlagCode]


class OverAskedAccount(_Item):
    """An account otherwise fit to be asked whose advocacy check says `over_asked`: we asked too much."""

    band: Band
    net: int | float
    detail: str
    advocacy_id: str | None = None


LARGEST = 10  # the biggest accounts by ARR a summary lists


class CsmRollup(BaseModel):
    """One CSM's share of the portfolio: what a manager compares across the team."""

    model_config = ConfigDict(frozen=True)

    csm: str
    accounts: int
    arr: int | float
    red: int
    at_risk: int
    at_risk_arr: int | float
    renewals: int  # in the renewal window (next 90 days by default)
    renewals_arr: int | float


class PortfolioSummary(BaseModel):
    """The `portfolio --json` contract (plus `csm` and the per-CSM roll-ups `by_csm`)."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    csm: str | None
    accounts: int
    arr_total: int | float
    by_band: dict[str, int]
    at_risk: list[AtRiskAccount]
    renewals_next_90d: list[UpcomingRenewal]
    advocacy_ready: list[ReadyAdvocate]
    silent: list[SilentAccount]
    overdue_commitments: list[OverdueCommitment]
    by_csm: list[CsmRollup] = []
    commitments_due_soon: list[CommitmentDue] = []
    no_value_yet: list[NoValueYet] = []
    recently_declined: list[DeclinedAsk] = []
    largest: list[LargestAccount] = []
    accounts_by_band: dict[str, list[LargestAccount]] = {}  # every account of the book per band, largest ARR first
    expansion: list[ExpansionAccount] = []  # the `expansion_signal` flag, largest ARR first
    over_asked: list[OverAskedAccount] = []  # advocacy `over_asked`, among accounts otherwise fit to ask


def _num(x: float | None) -> int | float:
    x = x or 0
    return int(x) if float(x).is_integer() else round(x, 2)


def csm_handle_matches(owner: str, handle: str) -> bool:
    """`dana` matches `Dana`, `dana@vendor.example`; an e-mail handle matches exactly (any case)."""
    owner = owner.strip().lower()
    wanted = handle.strip().lower()
    return owner == wanted or ("@" not in wanted and owner.split("@", 1)[0] == wanted)


def csm_matches(account: Account, handle: str) -> bool:
    """Whether the account's CSM is `handle` (see `csm_handle_matches`)."""
    return csm_handle_matches(account.csm, handle)


def select_accounts(book: AccountBook, csm: str | None) -> list[str]:
    ids = book.account_ids()
    if csm is None:
        return ids
    chosen = [a for a in ids if csm_matches(book.accounts[a], csm)]
    if not chosen:
        known = sorted({book.accounts[a].csm for a in ids if book.accounts[a].csm})
        close = difflib.get_close_matches(csm, known, n=3, cutoff=0.4)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise BadRequest(f"no account is owned by CSM {csm!r}{hint}")
    return chosen


def _rollups(book: AccountBook, ids: list[str], bands: dict[str, Band], at_risk: list[AtRiskAccount],
             renewals: list[UpcomingRenewal]) -> list[CsmRollup]:
    """Accounts, ARR, red and at-risk accounts and renewals per CSM, most ARR at risk first."""
    risky = {a.account_id: a.arr for a in at_risk}
    renewing = {r.account_id: r.arr for r in renewals}
    groups: dict[str, list[str]] = {}
    for account_id in ids:
        groups.setdefault(book.accounts[account_id].csm or "(no CSM)", []).append(account_id)
    rollups = [CsmRollup(
        csm=csm, accounts=len(owned), arr=_num(sum(book.accounts[a].arr or 0 for a in owned)),
        red=sum(1 for a in owned if bands[a] is Band.RED), at_risk=sum(1 for a in owned if a in risky),
        at_risk_arr=_num(sum(risky.get(a, 0) for a in owned)), renewals=sum(1 for a in owned if a in renewing),
        renewals_arr=_num(sum(renewing.get(a, 0) for a in owned))) for csm, owned in groups.items()]
    rollups.sort(key=lambda r: (-r.at_risk_arr, -r.red, r.csm))
    return rollups


def _is_at_risk(core: HealthCore) -> bool:
    return core.band is Band.RED or (core.band is Band.YELLOW and any(f.code in SERIOUS_FLAGS for f in core.flags))


def summarize_portfolio(
    book: AccountBook, *, as_of: date, config: JudgementConfig, csm: str | None = None
) -> PortfolioSummary:
    """Accounts, ARR, bands, accounts at risk (by ARR), renewals, advocacy-ready, silent, overdue."""
    by_band = {Band.GREEN.value: 0, Band.YELLOW.value: 0, Band.RED.value: 0}
    at_risk: list[AtRiskAccount] = []
    renewals: list[UpcomingRenewal] = []
    ready: list[ReadyAdvocate] = []
    silent: list[SilentAccount] = []
    overdue: list[OverdueCommitment] = []
    due_soon: list[CommitmentDue] = []
    no_value: list[NoValueYet] = []
    declined: list[DeclinedAsk] = []
    largest: list[LargestAccount] = []
    expansion: list[ExpansionAccount] = []
    over_asked: list[OverAskedAccount] = []
    arr_total = 0.0
    ids = select_accounts(book, csm)
    window = config.commercial.renewal_window_days
    bands: dict[str, Band] = {}
    for account_id in ids:
        core = judge_view(view_as_of(book.records(account_id), as_of, lean=True), config)
        bands[account_id] = core.band
        account = core.view.account
        base: dict[str, Any] = {"account_id": account_id, "name": account.name, "arr": _num(account.arr)}
        arr_total += account.arr or 0.0
        by_band[core.band.value] = by_band.get(core.band.value, 0) + 1
        codes = [f.code for f in core.flags]
        if _is_at_risk(core):
            at_risk.append(AtRiskAccount(**base, band=core.band, score=core.score,
                                         renewal_date=account.renewal_date, flags=codes))
        if account.renewal_date is not None and 0 <= (days := (account.renewal_date - as_of).days) <= window:
            renewals.append(UpcomingRenewal(**base, renewal_date=account.renewal_date, days=days, band=core.band))
        if FlagCode.SILENCE in codes and (rhythm := touch_rhythm(core.view, config)) is not None:
            silent.append(SilentAccount(**base, days_silent=rhythm.days_since, usual_gap_days=rhythm.median_gap,
                                        last_touch=rhythm.last_touch.date, last_activity_id=rhythm.last_touch.id))
        if FlagCode.OVERDUE_COMMITMENT in codes:
            overdue += [OverdueCommitment(**base, activity_id=o.activity.id, title=o.activity.title, due=o.due,
                                          days_overdue=o.days)
                        for o in overdue_commitments(core.view, config)]
        due_soon += _due_soon(core, base, config)
        declined += _declined(core, base, config)
        if FlagCode.NO_VALUE_YET in codes:
            stage = account.lifecycle_stage.value if account.lifecycle_stage else None
            no_value.append(NoValueYet(**base, band=core.band, contract_start=account.contract_start,
                                       lifecycle_stage=stage))
        largest.append(LargestAccount(**base, band=core.band, renewal_date=account.renewal_date))
        if FlagCode.EXPANSION_SIGNAL in codes:
            expansion.append(ExpansionAccount(**base, band=core.band, renewal_date=account.renewal_date, flags=codes))
        if may_be_ready(core, config):
            check = check_view(core, config)
            if check.verdict is Verdict.READY and check.suggested is not None:
                ready.append(ReadyAdvocate(**base, kind=check.suggested.kind,
                                           contact_id=check.suggested.contact_id, net=check.balance.net))
            over_asked += _over_asked(check, base, core.band)
    at_risk.sort(key=lambda a: (-a.arr, a.account_id))
    renewals.sort(key=lambda r: (r.renewal_date, -r.arr, r.account_id))
    ready.sort(key=lambda r: (-r.arr, r.account_id))
    silent.sort(key=lambda s: (-s.arr, s.account_id))
    overdue.sort(key=lambda o: (-o.days_overdue, o.account_id, o.activity_id))
    due_soon.sort(key=lambda c: (c.due, c.account_id, c.activity_id))
    no_value.sort(key=lambda a: (-a.arr, a.account_id))
    declined.sort(key=lambda d: (d.declined_on, d.account_id), reverse=True)
    largest.sort(key=lambda a: (-a.arr, a.account_id))
    expansion.sort(key=lambda a: (-a.arr, a.account_id))
    over_asked.sort(key=lambda a: (a.net, -a.arr, a.account_id))
    by_band_accounts = {b: [a for a in largest if a.band.value == b] for b in by_band}
    largest = largest[:LARGEST]
    return PortfolioSummary(as_of=as_of, csm=csm, accounts=len(ids), arr_total=_num(arr_total), by_band=by_band,
                            at_risk=at_risk, renewals_next_90d=renewals, advocacy_ready=ready, silent=silent,
                            overdue_commitments=overdue, by_csm=_rollups(book, ids, bands, at_risk, renewals),
                            commitments_due_soon=due_soon, no_value_yet=no_value, recently_declined=declined,
                            largest=largest, accounts_by_band=by_band_accounts, expansion=expansion,
                            over_asked=over_asked)


def _over_asked(check: AdvocacyCheck, base: dict[str, Any], band: Band) -> list[OverAskedAccount]:
    """The account when its advocacy check blocks on `over_asked`, with the first such reason and its latest ask."""
    reason = next((r for r in check.reasons if r.code is ReasonCode.OVER_ASKED), None)
    if reason is None:
        return []
    asks = [e.id for e in reason.evidence if e.source is SourceKind.ADVOCACY]
    return [OverAskedAccount(**base, band=band, net=check.balance.net, detail=reason.text,
                             advocacy_id=asks[0] if asks else None)]


def _due_soon(core: HealthCore, base: dict[str, Any], config: JudgementConfig) -> list[CommitmentDue]:
    """The account's open commitments due from as_of to `commitments.upcoming_days` ahead."""
    as_of, ahead = core.view.as_of, config.commitments.upcoming_days
    return [CommitmentDue(**base, activity_id=a.id, title=a.title, due=a.due, days_to_due=(a.due - as_of).days)
            for a in open_commitments(core.view) if a.due is not None and 0 <= (a.due - as_of).days <= ahead]


def _declined(core: HealthCore, base: dict[str, Any], config: JudgementConfig) -> list[DeclinedAsk]:
    """Asks the account declined within the advocacy check's cooldown (the same window, so both agree)."""
    cooldown = config.advocacy.decline_cooldown_days
    return [DeclinedAsk(**base, advocacy_id=e.id, ask_kind=e.kind, declined_on=e.date,
                        ask_again_from=e.date + timedelta(days=cooldown))
            for e in core.view.advocacy if e.direction is AdvocacyDirection.ASK
            and e.outcome is AskOutcome.DECLINED and 0 <= (core.view.as_of - e.date).days < cooldown]
