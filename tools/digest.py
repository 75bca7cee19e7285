"""The weekly digest: what changed in a book since a week ago, each line with the records behind it.

A pure function of (book, as_of, config, csm), like every judgement: it judges each account twice,
as of today and as of `days` earlier, and reports the differences a manager or a CSM acts on —
new risks, band moves, renewals entering their window, promises coming due, accounts that became
ready for an advocacy ask. Nothing is reported that was already true a week ago.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from accounts.book import AccountBook
from accounts.models import SourceKind
from tools.advocacy import check_view, may_be_ready
from tools.as_of import open_commitments, view_as_of
from tools.config import JudgementConfig
from tools.evidence import Band, Evidence, FlagCode, Verdict, ev
from tools.health import HealthCore, judge_view
from tools.portfolio import select_accounts

RISK_FLAGS = frozenset({FlagCode.OPEN_CRISIS, FlagCode.SILENCE, FlagCode.USAGE_DECLINE, FlagCode.CHAMPION_LEFT,
                        FlagCode.OVERDUE_COMMITMENT, FlagCode.NEGATIVE_SENTIMENT, FlagCode.OBJECTIVE_AT_RISK,
                        FlagCode.NO_VALUE_YET})
_BAND_ORDER = {Band.RED: 0, Band.YELLOW: 1, Band.GREEN: 2}


class ChangeKind(StrEnum):
    NEW_RISK = "new_risk"
    HEALTH_MOVE = "health_move"
    RENEWAL_WINDOW = "renewal_window"
    PROMISE_DUE = "promise_due"
    ADVOCACY_READY = "advocacy_ready"


class DigestLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ChangeKind
    account_id: str
    name: str
    csm: str | None
    text: str
    evidence: list[Evidence] = Field(default_factory=list)


class Digest(BaseModel):
    as_of: date
    since: date
    csm: str | None
    accounts: int
    lines: list[DigestLine]


def _ready(core: HealthCore, config: JudgementConfig) -> bool:
    return may_be_ready(core, config) and check_view(core, config).verdict is Verdict.READY


def account_changes(book: AccountBook, account_id: str, *, as_of: date, since: date,
                    config: JudgementConfig, days: int) -> list[DigestLine]:
    """One account's changes between `since` and `as_of`, most serious first."""
    records = book.records(account_id)
    now, then = (judge_view(view_as_of(records, day), config) for day in (as_of, since))
    account = records.account
    base = {"account_id": account_id, "name": account.name, "csm": account.csm}
    lines: list[DigestLine] = []
    before = {f.code for f in then.flags}
    for flag in now.flags:
        if flag.code in before:
            continue
        if flag.code in RISK_FLAGS:
            lines.append(DigestLine(kind=ChangeKind.NEW_RISK, text=flag.text, evidence=flag.evidence, **base))
        elif flag.code is FlagCode.RENEWAL_SOON:
            lines.append(DigestLine(kind=ChangeKind.RENEWAL_WINDOW, text=flag.text,
                                    evidence=flag.evidence or [ev(SourceKind.ACCOUNTS, account_id)], **base))
    if now.band is not then.band and Band.UNKNOWN not in (now.band, then.band):
        direction = "down" if _BAND_ORDER[now.band] < _BAND_ORDER[then.band] else "up"
        scores = f" (score {then.score} → {now.score})" if now.score is not None and then.score is not None else ""
        evidence = [e for f in now.flags for e in f.evidence][:4]
        lines.append(DigestLine(kind=ChangeKind.HEALTH_MOVE, evidence=evidence, **base,
                                text=f"Health moved {direction}: {then.band.value} → {now.band.value}{scores}."))
    horizon = as_of + timedelta(days=days)
    for item in open_commitments(now.view):
        if item.due is not None and as_of < item.due <= horizon:
            lines.append(DigestLine(kind=ChangeKind.PROMISE_DUE, evidence=[ev(SourceKind.ACTIVITIES, item.id)], **base,
                                    text=f"Promise due {item.due.isoformat()}: {item.title}"))
    if _ready(now, config) and not _ready(then, config):
        check = check_view(now, config)
        kind = check.suggested.kind.value.replace("_", " ") if check.suggested else "an advocacy ask"
        # the value it rests on, and the loyalty bank's latest entries
        gives = [ev(SourceKind.ADVOCACY, a.id) for a in now.view.advocacy[-3:]]
        evidence = [ev(SourceKind.ACCOUNTS, account_id), *gives,
                    *(e for a in check.before_asking for e in a.evidence)][:5]
        lines.append(DigestLine(kind=ChangeKind.ADVOCACY_READY, evidence=evidence, **base,
                                text=f"Ready for an advocacy ask ({kind}); the loyalty bank nets {check.balance.net}."))
    return lines


def weekly_digest(book: AccountBook, *, as_of: date, config: JudgementConfig, csm: str | None = None,
                  days: int = 7) -> Digest:
    """The changes of the last `days` days across the book (or one CSM's part of it)."""
    since = as_of - timedelta(days=days)
    ids = select_accounts(book, csm)
    order = list(ChangeKind)
    lines = [line for account_id in ids
             for line in account_changes(book, account_id, as_of=as_of, since=since, config=config, days=days)]
    lines.sort(key=lambda line: (order.index(line.kind), line.csm or "", line.name))
    return Digest(as_of=as_of, since=since, csm=csm, accounts=len(ids), lines=lines)
