"""Hand-built account books for judgement tests: a builder per account, dates relative to AS_OF."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from accounts.book import AccountBook
from accounts.models import (
    Account,
    Activity,
    AdvocacyEvent,
    Contact,
    Milestone,
    Objective,
    SuccessPlan,
    SurveyResponse,
    Ticket,
    UsageRecord,
)
from tools.config import JudgementConfig, load_judgement_config

AS_OF = date(2026, 6, 30)
CONFIG: JudgementConfig = load_judgement_config()


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour))


@dataclass
class Builder:
    """Records of one account; every helper returns self so calls chain."""

    account: Account
    contacts: list[Contact] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    usage: list[UsageRecord] = field(default_factory=list)
    surveys: list[SurveyResponse] = field(default_factory=list)
    advocacy: list[AdvocacyEvent] = field(default_factory=list)
    plan: SuccessPlan | None = None

    @property
    def aid(self) -> str:
        return self.account.account_id

    def contact(self, cid: str, role: str, *, name: str = "", **kw: Any) -> Builder:
        self.contacts.append(Contact.model_validate(
            {"contact_id": cid, "account_id": self.aid, "role": role, "name": name or cid, **kw}))
        return self

    def activity(self, aid: str, days_ago: int, type: str = "meeting", **kw: Any) -> Builder:
        kw.setdefault("title", f"{type} {aid}")
        self.activities.append(Activity.model_validate(
            {"id": aid, "account_id": self.aid, "date": ago(days_ago), "type": type, **kw}))
        return self

    def touches_every(self, gap: int, *, last: int, count: int, type: str = "meeting", prefix: str = "t") -> Builder:
        for i in range(count):
            self.activity(f"{prefix}{i}", last + i * gap, type)
        return self

    def ticket(self, tid: str, days_ago: int, *, severity: int = 3, hours: float | None = 4,
               escalated: bool = False, csat: int | None = None, status: str | None = None) -> Builder:
        opened = at(ago(days_ago))
        closed = None if hours is None else opened + timedelta(hours=hours)
        self.tickets.append(Ticket.model_validate({
            "ticket_id": tid, "account_id": self.aid, "opened_at": opened, "closed_at": closed, "severity": severity,
            "status": status or ("open" if hours is None else "solved"), "subject": f"subject {tid}",
            "escalated": escalated, "csat": csat}))
        return self

    def weekly_usage(self, users: list[int], *, features: tuple[str, ...] = ("a", "b", "c"),
                     last: int = 0) -> Builder:
        """One row per week, the last `users` value `last` days ago, earlier ones a week apart each."""
        n = len(users)
        for i, u in enumerate(users):
            self.usage.append(UsageRecord(account_id=self.aid, date=ago(last + 7 * (n - 1 - i)),
                                          active_users=u, sessions=u * 3, features=features))
        return self

    def survey(self, rid: str, days_ago: int, score: int, *, kind: str = "nps", contact_id: str = "",
               comment: str = "") -> Builder:
        self.surveys.append(SurveyResponse.model_validate({
            "response_id": rid, "account_id": self.aid, "contact_id": contact_id, "date": ago(days_ago),
            "kind": kind, "score": score, "comment": comment}))
        return self

    def give(self, eid: str, days_ago: int, kind: str = "training", contact_id: str = "") -> Builder:
        self.advocacy.append(AdvocacyEvent.model_validate({
            "id": eid, "account_id": self.aid, "date": ago(days_ago), "direction": "give", "kind": kind,
            "contact_id": contact_id}))
        return self

    def ask(self, eid: str, days_ago: int, kind: str = "review", *, contact_id: str = "",
            outcome: str = "completed") -> Builder:
        self.advocacy.append(AdvocacyEvent.model_validate({
            "id": eid, "account_id": self.aid, "date": ago(days_ago), "direction": "ask", "kind": kind,
            "contact_id": contact_id, "outcome": outcome}))
        return self

    def objective(self, oid: str, status: str = "on_track", *, due_in: int | None = 60,
                  milestones: tuple[Milestone, ...] = (), updated_ago: int = 10) -> Builder:
        objectives = (self.plan.objectives if self.plan else ()) + (Objective.model_validate({
            "id": oid, "title": f"objective {oid}", "status": status, "milestones": milestones,
            "due": None if due_in is None else AS_OF + timedelta(days=due_in)}),)
        self.plan = SuccessPlan(account_id=self.aid, updated=ago(updated_ago), objectives=objectives)
        return self


def account(account_id: str = "acme", **kw: Any) -> Account:
    values: dict[str, Any] = {
        "name": account_id.title(), "arr": 100_000.0, "licensed_seats": 50, "csm": "dana@vendor.example",
        "contract_start": ago(400), "renewal_date": AS_OF + timedelta(days=200), "first_value_date": ago(300),
    }
    values.update(kw)
    return Account(account_id=account_id, **values)


def bare(account_id: str = "acme", **kw: Any) -> Builder:
    return Builder(account(account_id, **kw))


def healthy(account_id: str = "acme", **kw: Any) -> Builder:
    """A green account: value reached, engaged every week, growing usage, promoters, a plan on track."""
    b = bare(account_id, **kw)
    b.contact("c-champ", "champion", name="Priya Champion").contact("c-spon", "sponsor", name="Sam Sponsor")
    b.contact("c-admin", "admin", name="Ada Admin")
    b.touches_every(7, last=3, count=20)
    b.activity("a-priya", 5, "call", body="Talked to Priya Champion and Sam Sponsor about the roadmap")
    b.weekly_usage([40] * 8 + [42] * 4)
    b.survey("s-1", 40, 9, contact_id="c-champ").survey("s-2", 40, 10, contact_id="c-spon")
    b.ticket("t-1", 60, severity=3, hours=5, csat=5)
    b.objective("obj-1", "achieved", due_in=-30).objective("obj-2", "on_track", due_in=90)
    return b


def book(*builders: Builder) -> AccountBook:
    return AccountBook.build(
        [b.account for b in builders],
        contacts=[c for b in builders for c in b.contacts],
        activities=[a for b in builders for a in b.activities],
        tickets=[t for b in builders for t in b.tickets],
        usage=[u for b in builders for u in b.usage],
        surveys=[s for b in builders for s in b.surveys],
        advocacy=[e for b in builders for e in b.advocacy],
        success_plans=[b.plan for b in builders if b.plan is not None],
    )
