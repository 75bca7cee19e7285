"""Benchmark the judgements: one account's health (warm) and the portfolio over 10,000 accounts.

    python bench/bench_judgements.py [--accounts 10000] [--workspace PATH] [--as-of 2026-11-16]

Without --workspace the book is built synthetically here (deterministic, seeded): per account 4
contacts, ~35 activities over a year, ~10 tickets, 26 weekly usage rows, 4 surveys, 3 advocacy
events and a 3-objective success plan (a little more than bench/generate_workspace.py draws).
Targets: health warm <= 20 ms, portfolio <= 2 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from accounts.book import AccountBook
from accounts.models import (
    Account,
    Activity,
    ActivityType,
    AdvocacyDirection,
    AdvocacyEvent,
    AskOutcome,
    Contact,
    ContactRole,
    ItemStatus,
    Milestone,
    Objective,
    ObjectiveStatus,
    SuccessPlan,
    SurveyKind,
    SurveyResponse,
    Ticket,
    TicketStatus,
    UsageRecord,
)
from tools.advocacy import check_advocacy
from tools.config import load_judgement_config
from tools.health import assess_health
from tools.portfolio import summarize_portfolio

FEATURES = ("dispatch", "reports", "sso", "api", "mobile", "billing", "alerts")
TOUCH = (ActivityType.MEETING, ActivityType.EMAIL, ActivityType.EMAIL, ActivityType.CALL, ActivityType.NOTE)
ROLES = (ContactRole.CHAMPION, ContactRole.SPONSOR, ContactRole.ADMIN, ContactRole.USER)


def synthetic_book(n: int, as_of: date, seed: int = 7) -> AccountBook:
    """A book of n accounts built with model_construct (the data are known good; speed matters)."""
    rng = random.Random(seed)
    accounts, contacts, acts, tickets, usage, surveys, adv, plans = [], [], [], [], [], [], [], []
    for i in range(n):
        aid = f"acct-{i:05d}"
        seats = rng.choice((10, 25, 50, 100, 250))
        accounts.append(Account.model_construct(
            account_id=aid, name=f"Account {i}", arr=float(seats * rng.randint(400, 1200)), licensed_seats=seats,
            contract_start=as_of - timedelta(days=rng.randint(120, 900)), csm=f"csm{i % 40}@vendor.example",
            renewal_date=as_of + timedelta(days=rng.randint(-10, 365)), segment=None, industry="", plan="",
            lifecycle_stage=None, extra={},
            first_value_date=None if rng.random() < 0.15 else as_of - timedelta(days=rng.randint(10, 500))))
        for j, role in enumerate(ROLES):
            left = as_of - timedelta(days=rng.randint(1, 300)) if rng.random() < 0.05 else None
            contacts.append(Contact.model_construct(
                contact_id=f"{aid}-c{j}", account_id=aid, name=f"Person {i}-{j}", title="", email="",
                role=role, active=left is None, left_at=left, extra={}))
        gap = rng.choice((7, 10, 14, 21))
        stop = rng.choice((0, 0, 0, 0, 60))
        for k in range(365 // gap):
            day = as_of - timedelta(days=stop + k * gap + rng.randint(0, 2))
            acts.append(Activity.model_construct(
                id=f"{aid}-a{k}", account_id=aid, date=day, type=rng.choice(TOUCH), author="csm", title="touch",
                body="notes", visibility="internal", status=None, due=None, extra={}))
        for k in range(2):
            acts.append(Activity.model_construct(
                id=f"{aid}-p{k}", account_id=aid, date=as_of - timedelta(days=rng.randint(5, 120)),
                type=ActivityType.COMMITMENT, author="csm", title="send report", body="", visibility="internal",
                status=rng.choice((ItemStatus.OPEN, ItemStatus.DONE)), due=as_of + timedelta(days=rng.randint(-30, 30)),
                extra={}))
        for k in range(rng.randint(2, 18)):
            opened = datetime.combine(as_of - timedelta(days=rng.randint(0, 200)), datetime.min.time())
            sev = rng.choice((1, 2, 3, 3, 4, 4, 4)) if rng.random() < 0.1 else rng.choice((3, 4))
            closed = None if rng.random() < 0.1 else opened + timedelta(hours=rng.randint(1, 300))
            tickets.append(Ticket.model_construct(
                ticket_id=f"{aid}-t{k}", account_id=aid, opened_at=opened, closed_at=closed, severity=sev,
                status=TicketStatus.OPEN if closed is None else TicketStatus.SOLVED, subject="issue",
                description="", escalated=rng.random() < 0.03, csat=rng.choice((None, 3, 4, 5, 5)), extra={}))
        users = rng.randint(seats // 3, seats)
        drift = rng.choice((-0.02, 0.0, 0.0, 0.01))
        for w in range(26):
            users = max(0, int(users * (1 + drift)))
            usage.append(UsageRecord.model_construct(
                account_id=aid, date=as_of - timedelta(days=7 * (25 - w)), active_users=users, sessions=users * 4,
                features=tuple(f for f in FEATURES if rng.random() < 0.6), extra={}))
        for k in range(4):
            kind = rng.choice((SurveyKind.NPS, SurveyKind.CSAT))
            surveys.append(SurveyResponse.model_construct(
                response_id=f"{aid}-s{k}", account_id=aid, contact_id=f"{aid}-c{k}", kind=kind,
                date=as_of - timedelta(days=rng.randint(0, 300)),
                comment="fine" if rng.random() < 0.8 else "frustrating",
                score=rng.randint(0, 10) if kind is SurveyKind.NPS else rng.randint(1, 5), extra={}))
        for k in range(3):
            give = rng.random() < 0.5
            adv.append(AdvocacyEvent.model_construct(
                id=f"{aid}-e{k}", account_id=aid, date=as_of - timedelta(days=rng.randint(0, 400)),
                direction=AdvocacyDirection.GIVE if give else AdvocacyDirection.ASK,
                kind="training" if give else rng.choice(("review", "case_study", "reference_call")),
                contact_id=f"{aid}-c0", outcome=None if give else rng.choice(list(AskOutcome)), note="", extra={}))
        objectives = tuple(Objective.model_construct(
            id=f"obj-{k}", title=f"objective {k}", kpi="", baseline=None, target=None, current=None,
            due=as_of + timedelta(days=rng.randint(-60, 200)), status=rng.choice(list(ObjectiveStatus)),
            milestones=(Milestone.model_construct(title="m", due=as_of - timedelta(days=10), done=None),))
            for k in range(3))
        plans.append(SuccessPlan.model_construct(account_id=aid, updated=as_of - timedelta(days=20),
                                                 objectives=objectives, path="", extra={}))
    return AccountBook.build(accounts, contacts=contacts, activities=acts, tickets=tickets, usage=usage,
                             surveys=surveys, advocacy=adv, success_plans=plans)


def _timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def machine_speed() -> float:
    """Microseconds for sum(range(1000)), best of 200: a yardstick to compare runs on busy machines."""
    return min(_timed(lambda: sum(range(1000)), 200)) * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--workspace", type=Path, help="a workspace folder to read instead of the synthetic book")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 16))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config = load_judgement_config()
    start = time.perf_counter()
    if args.workspace:
        from accounts.workspace import read_workspace  # the lead's reader

        book = read_workspace(args.workspace)
    else:
        book = synthetic_book(args.accounts, args.as_of)
    records = sum(len(r.activities) + len(r.tickets) + len(r.usage) + len(r.surveys) + len(r.advocacy)
                  + len(r.contacts) for r in book.all_records())
    print(f"book: {len(book.accounts)} accounts, {records} records, built in {time.perf_counter() - start:.1f} s")
    one = book.account_ids()[len(book.accounts) // 2]
    assess_health(book, one, as_of=args.as_of, config=config)  # warm up
    health = _timed(lambda: assess_health(book, one, as_of=args.as_of, config=config), 200)
    advocacy = _timed(lambda: check_advocacy(book, one, as_of=args.as_of, config=config), 200)
    portfolio = _timed(lambda: summarize_portfolio(book, as_of=args.as_of, config=config), args.repeat)
    summary = summarize_portfolio(book, as_of=args.as_of, config=config)
    print(f"machine yardstick: sum(range(1000)) takes {machine_speed():.1f} us (about 8-11 on an idle machine)")
    print(f"health (one account, warm, incl. 30-day trend): median {statistics.median(health) * 1000:.2f} ms, "
          f"max {max(health) * 1000:.2f} ms  (target <= 20 ms)")
    print(f"advocacy-check (one account, warm): median {statistics.median(advocacy) * 1000:.2f} ms")
    print(f"portfolio ({len(book.accounts)} accounts): median {statistics.median(portfolio):.2f} s, "
          f"best {min(portfolio):.2f} s  (target <= 2 s)")
    print(f"  by_band {summary.by_band}, at_risk {len(summary.at_risk)}, ready {len(summary.advocacy_ready)}, "
          f"silent {len(summary.silent)}, overdue {len(summary.overdue_commitments)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
