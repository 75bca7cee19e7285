"""Advocacy timing: may marketing ask this customer for a case study (or a review, a call…) now?

`not_yet` until real value; `not_now` in a crisis, after a recent decline, when the loyalty bank is
overdrawn or asks come too often, when the champion has left, when health is low, or when a note
rules out the kind asked about; otherwise `ready`, with an ask sized to the balance (never a ruled-out
kind) and the best contact. Every other verdict has a reason; `before_asking` says what to do first
(no ask at all during a crisis), `revisit_on` when to look again.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from accounts.book import AccountBook
from accounts.errors import BadRequest
from accounts.models import AdvocacyDirection, AdvocacyEvent, AskKind, AskOutcome, Contact, SourceKind
from tools.as_of import AccountView, view_as_of
from tools.config import AdvocacyConfig, JudgementConfig
from tools.evidence import Action, Evidence, FlagCode, Reason, ReasonCode, Verdict, ev
from tools.health import HealthCore, judge_view
from tools.refusals import Refusal, find_hold, find_refusals


class Balance(BaseModel):
    """The loyalty bank over `advocacy.balance_window_days`, in weighted points.

    `affords` = net + `base_credit` (the goodwill reserve): what an ask may cost now. Answers quote
    it rather than recompute it, so "net" and "affords" never disagree. `evidence` names the gives
    and asks counted, newest first: the bank's figures rest on them.
    """

    model_config = ConfigDict(frozen=True)

    given: int | float
    asked: int | float
    net: int | float
    affords: int | float = 0
    evidence: list[Evidence] = []


class Suggestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: AskKind
    contact_id: str | None
    contact_name: str = ""


class AdvocacyCheck(BaseModel):
    """The `advocacy-check --json` contract (plus the account `name`)."""

    model_config = ConfigDict(frozen=True)

    account_id: str
    name: str
    as_of: date
    verdict: Verdict
    reasons: list[Reason]
    balance: Balance
    suggested: Suggestion | None
    before_asking: list[Action]
    revisit_on: date | None = None  # extension: when to check again (None when ready)


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(x, 1)


def _asks(view: AccountView) -> list[AdvocacyEvent]:
    return [e for e in view.advocacy if e.direction is AdvocacyDirection.ASK]


def balance_of(view: AccountView, config: JudgementConfig) -> Balance:
    """Weighted gives minus weighted asks; a declined ask still spent goodwill (declined_ask_factor)."""
    cfg = config.advocacy
    start = view.as_of - timedelta(days=cfg.balance_window_days)
    given = asked = 0.0
    counted = []
    for e in view.advocacy:
        if e.date <= start:
            continue
        counted.append(e)
        if e.direction is AdvocacyDirection.GIVE:
            given += cfg.give_weight(e.kind)
        else:
            factor = cfg.declined_ask_factor if e.outcome is AskOutcome.DECLINED else 1.0
            asked += cfg.ask_weight(e.kind) * factor
    counted.sort(key=lambda e: (e.date, e.id), reverse=True)
    return Balance(given=_num(given), asked=_num(asked), net=_num(given - asked),
                   affords=_num(given - asked + cfg.base_credit),
                   evidence=[Evidence(source=SourceKind.ADVOCACY, id=e.id) for e in counted])


def loyalty_balance(book: AccountBook, account_id: str, *, as_of: date, config: JudgementConfig) -> Balance:
    return balance_of(view_as_of(book.records(account_id), as_of), config)


def affordable_kind(available: float, cfg: AdvocacyConfig,
                    refused: frozenset[AskKind] = frozenset()) -> AskKind | None:
    """The heaviest ask the balance affords (social_share < review < … < speaking by default), never a refused kind."""
    allowed = (k for k in AskKind if k is not AskKind.OTHER and k not in refused)
    kinds = sorted(allowed, key=lambda k: cfg.ask_weights[k])
    fitting = [k for k in kinds if cfg.ask_weights[k] <= available]
    return fitting[-1] if fitting else None


def _name(kind: AskKind) -> str:
    return kind.value.replace("_", " ")


def _reason(code: ReasonCode, text: str, evidence: list[Evidence] | None = None) -> Reason:
    return Reason(code=code, text=text, evidence=evidence or [])


def _todo(text: str, why: str, evidence: list[Evidence] | None = None) -> Action:
    return Action(text=text, why=why, evidence=evidence or [])


class _Check:
    """Collects reasons and to-dos while the rules run."""

    def __init__(self, core: HealthCore, config: JudgementConfig) -> None:
        self.core, self.view, self.cfg, self.core_config = core, core.view, config.advocacy, config
        self.reasons: list[Reason] = []
        self.before: list[Action] = []
        self.revisit: list[date] = []
        self.refusals: dict[AskKind, Refusal] = find_refusals(self.view)

    @property
    def crisis(self) -> bool:
        """No ask of any kind, not even a lighter one or to someone else, while a crisis is open."""
        return any(r.code is ReasonCode.OPEN_CRISIS for r in self.reasons)

    def block(self, code: ReasonCode, text: str, evidence: list[Evidence], todo: str,
              until: date | None = None) -> None:
        self.reasons.append(_reason(code, text, evidence))
        self.before.append(_todo(todo, text, evidence))
        self.revisit.append(until or self.view.as_of + timedelta(days=self.cfg.revisit_days))

    def check_refusal(self, kind: AskKind | None) -> None:
        """A kind of ask a note rules out is blocked, with the note cited (customer_declined_kind)."""
        refusal = self.refusals.get(kind) if kind is not None else None
        if refusal is None:
            return
        note, kind = refusal.activity, refusal.kind
        self.reasons.append(_reason(ReasonCode.CUSTOMER_DECLINED_KIND, f"A {_name(kind)} is ruled "
                                    f"out in {note.type.value} {note.id} ({note.date}): “{refusal.sentence}”",
                                    [ev(SourceKind.ACTIVITIES, note.id)]))
        other = affordable_kind(balance_of(self.view, self.core_config).affords, self.cfg, frozenset(self.refusals))
        self.before.append(_todo(f"Do not ask for a {_name(kind)}" + (
            f"; a {_name(other)} fits their rules" if other and not self.crisis else ""),
            "a note on the account rules it out", [ev(SourceKind.ACTIVITIES, note.id)]))

    def flag(self, code: FlagCode) -> tuple[str, list[Evidence]] | None:
        found = next((f for f in self.core.flags if f.code == code), None)
        return None if found is None else (found.text, found.evidence)

    def days_since(self, e: AdvocacyEvent) -> int:
        return self.view.days_since(e.date)

    def check_moment(self) -> None:
        view, cfg = self.view, self.cfg
        if view.value_reached_on() is None:
            self.block(ReasonCode.NO_VALUE_YET, "The customer has not reached real value yet (no first value "
                       "date, no achieved objective)", [ev(SourceKind.ACCOUNTS, view.account_id)],
                       "Help them reach their first measurable outcome before asking for anything")
        if (crisis := self.flag(FlagCode.OPEN_CRISIS)) is not None:
            self.block(ReasonCode.OPEN_CRISIS, crisis[0], crisis[1], "Resolve the open crisis ticket first")
        if (left := self.flag(FlagCode.CHAMPION_LEFT)) is not None:
            self.block(ReasonCode.CHAMPION_LEFT, left[0], left[1], "Find and win over a new champion first")
        if self.core.band in cfg.low_health_bands:
            self.block(ReasonCode.LOW_HEALTH, f"Health is {self.core.band.value} (score {self.core.score})",
                       [ev(SourceKind.ACCOUNTS, view.account_id)],
                       "Fix what makes the account unhealthy (see its next actions) first")
        declined = [e for e in _asks(view)
                    if e.outcome is AskOutcome.DECLINED and self.days_since(e) < cfg.decline_cooldown_days]
        if declined:
            last = declined[-1]
            until = last.date + timedelta(days=cfg.decline_cooldown_days)
            self.block(ReasonCode.RECENTLY_DECLINED, f"They declined a {last.kind} ask on {last.date}",
                       [ev(SourceKind.ADVOCACY, last.id)], f"Wait until {until} (decline cooldown)", until)
        hold = find_hold(view)
        if hold is not None and view.as_of < hold.until:  # a pause a note sets outlasts the usual cooldown
            note = hold.activity
            self.block(ReasonCode.RECENTLY_DECLINED, f"No ask of any kind before {hold.until}, as "
                       f"{note.type.value} {note.id} ({note.date}) says: “{hold.sentence}”",
                       [ev(SourceKind.ACTIVITIES, note.id)], f"Wait until {hold.until} (the note's pause on asks)",
                       hold.until)
        recent = [e for e in _asks(view) if self.days_since(e) < cfg.account_window_days]
        if len(recent) >= cfg.max_asks_per_account:
            until = recent[-cfg.max_asks_per_account].date + timedelta(days=cfg.account_window_days)
            self.block(ReasonCode.OVER_ASKED, f"Already {len(recent)} asks in the last {cfg.account_window_days} "
                       f"days (at most {cfg.max_asks_per_account} per window)",
                       [ev(SourceKind.ADVOCACY, e.id) for e in recent], f"Wait until {until} before asking again",
                       until)

    def check_balance(self, balance: Balance, kind: AskKind | None) -> AskKind | None:
        """Overdrawn when net + base_credit < 0; else size the ask (or check the one asked about)."""
        cfg = self.cfg
        asks = [ev(SourceKind.ADVOCACY, e.id) for e in _asks(self.view)][-5:]
        available = float(balance.affords)
        if available < 0:
            self.block(ReasonCode.OVER_ASKED, f"The loyalty bank is overdrawn: asked {balance.asked} points, "
                       f"given {balance.given} in {cfg.balance_window_days} days", asks,
                       f"Reciprocate first: a give worth at least {-available:g} points (training, exec "
                       "access, a delivered feature request)")
            return kind
        if kind is not None:
            if cfg.ask_weight(kind) > available:
                lighter = None if self.crisis else affordable_kind(available, cfg, frozenset(self.refusals))
                self.block(ReasonCode.OVER_ASKED, f"A {_name(kind)} costs {cfg.ask_weight(kind):g} points; the "
                           f"balance affords {available:g}", asks, "Give more first" + (
                               f", or ask for something lighter (a {_name(lighter)})" if lighter else ""))
            return kind
        chosen = affordable_kind(available, cfg, frozenset(self.refusals))
        if chosen is None and not self.reasons:
            ruled_out = affordable_kind(available, cfg)  # what it would afford, were it not for their notes
            allowed = sorted((k for k in AskKind if k is not AskKind.OTHER and k not in self.refusals),
                             key=cfg.ask_weight)
            if ruled_out is not None and allowed:  # "phone references only": the balance affords none they allow
                self.check_refusal(ruled_out)
                self.block(ReasonCode.OVER_ASKED, f"The balance ({available:g} points) affords no ask their notes "
                           f"allow; a {_name(allowed[0])} costs {cfg.ask_weight(allowed[0]):g}", asks,
                           f"Reciprocate with a give first, then ask for a {_name(allowed[0])}")
            else:
                self.block(ReasonCode.OVER_ASKED, f"The balance ({available:g} points) affords no ask", asks,
                           "Reciprocate with a give first")
        return chosen

    def last_ask_to(self, contact_id: str) -> AdvocacyEvent | None:
        return next((e for e in reversed(_asks(self.view)) if e.contact_id == contact_id), None)

    def recently_asked(self, contact: Contact) -> bool:
        last = self.last_ask_to(contact.contact_id)
        return last is not None and self.days_since(last) < self.cfg.contact_cooldown_days

    def check_contact(self, contact: Contact) -> None:
        state = next(s for s in self.view.contacts if s.contact is contact)
        evidence = [ev(SourceKind.CONTACTS, contact.contact_id)]
        if not state.active:
            self.block(ReasonCode.CONTACT_UNAVAILABLE, f"{contact.name or contact.contact_id} is no longer at "
                       "the customer", evidence, "Choose an active contact")
        last = self.last_ask_to(contact.contact_id)
        if last is not None and self.days_since(last) < self.cfg.contact_cooldown_days:
            until = last.date + timedelta(days=self.cfg.contact_cooldown_days)
            self.block(ReasonCode.OVER_ASKED, f"{contact.name or contact.contact_id} was asked on {last.date}",
                       [ev(SourceKind.ADVOCACY, last.id)],
                       f"Wait until {until}" + ("" if self.crisis else ", or ask someone else"), until)

    def best_contact(self) -> Contact | None:
        cfg = self.cfg
        candidates = []
        for role in cfg.contact_role_order:
            candidates += self.view.active_contacts(role)
        fresh = [c for c in candidates if not self.recently_asked(c)]
        if candidates and not fresh:
            self.block(ReasonCode.OVER_ASKED, f"Every suitable contact was asked in the last "
                       f"{cfg.contact_cooldown_days} days", [ev(SourceKind.CONTACTS, c.contact_id) for c in candidates],
                       "Wait, or build a relationship with another contact")
        return fresh[0] if fresh else None


def may_be_ready(core: HealthCore, config: JudgementConfig) -> bool:
    """A cheap pre-check for the portfolio: False when a blocking reason is certain (no value, low health,
    a crisis, the champion gone), so the full check can be skipped."""
    if core.band in config.advocacy.low_health_bands or core.view.value_reached_on() is None:
        return False
    return not any(f.code in (FlagCode.OPEN_CRISIS, FlagCode.CHAMPION_LEFT) for f in core.flags)


def check_view(core: HealthCore, config: JudgementConfig, *, contact_id: str | None = None,
               kind: AskKind | str | None = None) -> AdvocacyCheck:
    """The advocacy verdict from an already judged account (the portfolio reuses its health)."""
    view = core.view
    ask_kind = _parse_kind(kind)
    check = _Check(core, config)
    check.check_moment()
    check.check_refusal(ask_kind)
    balance = balance_of(view, config)
    chosen = check.check_balance(balance, ask_kind)
    if contact_id is not None:
        contact = next((s.contact for s in view.contacts if s.contact.contact_id == contact_id), None)
        if contact is None:
            raise BadRequest(f"contact {contact_id!r} is not a contact of account {view.account_id!r}")
        check.check_contact(contact)
    else:
        contact = check.best_contact()
    if contact is None and not check.reasons:
        check.before.append(_todo("Identify who would speak for them: no active champion, sponsor, admin "
                                  "or user on record", "an ask needs a person"))
    if view.value_reached_on() is None:
        verdict = Verdict.NOT_YET
    else:
        verdict = Verdict.NOT_NOW if check.reasons else Verdict.READY
    suggested = None
    if verdict is Verdict.READY and chosen is not None:
        suggested = Suggestion(kind=chosen, contact_id=contact.contact_id if contact else None,
                               contact_name=contact.name if contact else "")
    fallback = view.as_of + timedelta(days=check.cfg.revisit_days)
    revisit = None if verdict is Verdict.READY else max(check.revisit, default=fallback)
    return AdvocacyCheck(account_id=view.account_id, name=view.account.name, as_of=view.as_of,
                         verdict=verdict, reasons=check.reasons, balance=balance, suggested=suggested,
                         before_asking=check.before, revisit_on=revisit)


def _parse_kind(kind: AskKind | str | None) -> AskKind | None:
    if kind is None or isinstance(kind, AskKind):
        return kind
    try:
        return AskKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in AskKind)
        raise BadRequest(f"unknown ask kind {kind!r}; one of: {known}") from None


def check_advocacy(book: AccountBook, account_id: str, *, as_of: date, config: JudgementConfig,
                   contact_id: str | None = None, kind: AskKind | str | None = None) -> AdvocacyCheck:
    """May we ask this customer for advocacy now, what, and whom? Raises UnknownAccount, BadRequest."""
    core = judge_view(view_as_of(book.records(account_id), as_of), config)
    return check_view(core, config, contact_id=contact_id, kind=kind)
