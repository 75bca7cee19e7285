"""The judgements on the bundled demo workspace, one test per situation of its SITUATIONS.md (as of 2026-11-16).

Each case lists the acceptable bands, the flags that must be raised (and those that may be), the
advocacy verdict with the reasons it must give (and may give), and the records that prove it. Any
flag or reason outside those lists is a failure, as SITUATIONS.md says. A failure names the account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from accounts.book import AccountBook
from tools.advocacy import AdvocacyCheck, check_advocacy
from tools.config import load_judgement_config
from tools.health import HealthReport, assess_health
from tools.portfolio import summarize_portfolio

WORKSPACE = Path(__file__).resolve().parents[2] / "examples" / "demo-workspace"
AS_OF = date(2026, 11, 16)
CONFIG = load_judgement_config()


@dataclass(frozen=True)
class Situation:
    account: str
    bands: frozenset[str]
    flags: frozenset[str] = frozenset()  # must be raised
    may_flags: frozenset[str] = frozenset()
    verdict: str = "ready"
    reasons: frozenset[str] = frozenset()  # must be given
    may_reasons: frozenset[str] = frozenset()
    proof: dict[str, set[str]] = field(default_factory=dict)  # flag/reason code -> evidence ids it must cite
    suggested_kind: str | None = None
    suggested_contact: str | None = None
    never_kind: str | None = None


def S(account: str, bands: str, flags: str = "", verdict: str = "ready", reasons: str = "", **kw: object) -> Situation:
    words = lambda text: frozenset(text.split())  # noqa: E731
    return Situation(account, words(bands), words(flags), verdict=verdict, reasons=words(reasons),
                     **{k: words(v) if k.startswith("may_") else v for k, v in kw.items()})  # type: ignore[arg-type]


SITUATIONS = [
    S("globex", "red", "open_crisis negative_sentiment", "not_now", "open_crisis", may_reasons="low_health",
      proof={"open_crisis": {"t-68"}, "negative_sentiment": {"s-73"}}),
    S("initech", "red", "silence usage_decline renewal_soon", "not_now", "low_health",
      proof={"silence": {"a-92"}}),
    S("hooli", "green", may_flags="expansion_signal"),
    S("umbrella", "yellow green", "champion_left", "not_now", "champion_left", may_reasons="low_health",
      proof={"champion_left": {"c-umbrella-1"}}),
    S("contoso", "yellow", "overdue_commitment", "not_now", "low_health", proof={"overdue_commitment": {"a-97"}}),
    S("vandelay", "green", verdict="not_now", reasons="over_asked recently_declined",
      proof={"recently_declined": {"adv-46"}}),
    S("piedpiper", "yellow green", "no_value_yet", "not_yet", "no_value_yet"),
    S("stark", "green", suggested_kind="case_study", suggested_contact="c-stark-1"),
    S("wayne", "green", "expansion_signal", proof={"expansion_signal": {"a-130"}}),
    S("cyberdyne", "green", verdict="not_now", reasons="recently_declined", proof={"recently_declined": {"adv-47"}}),
    S("acme", "yellow", "renewal_soon objective_at_risk", "not_now", "low_health",
      proof={"objective_at_risk": {"obj-2"}}),
    S("soylent", "yellow red", "usage_decline", "not_now", "low_health"),
    S("tyrell", "yellow red", "negative_sentiment", "not_now", "low_health",
      proof={"negative_sentiment": {"s-57"}}),
    S("wonka", "green"),
    S("oscorp", "green"),
    S("gringotts", "green", never_kind="case_study"),
]


@pytest.fixture(scope="module")
def book() -> AccountBook:
    if not (WORKSPACE / "SITUATIONS.md").exists():
        pytest.skip("the demo workspace is not there")
    workspace = pytest.importorskip("accounts.workspace")
    return workspace.read_workspace(WORKSPACE)  # type: ignore[no-any-return]


def judged(book: AccountBook, account: str) -> tuple[HealthReport, AdvocacyCheck]:
    return (assess_health(book, account, as_of=AS_OF, config=CONFIG),
            check_advocacy(book, account, as_of=AS_OF, config=CONFIG))


def test_the_cases_cover_every_account_of_situations_md() -> None:
    if not (WORKSPACE / "SITUATIONS.md").exists():
        pytest.skip("the demo workspace is not there")
    table = (WORKSPACE / "SITUATIONS.md").read_text(encoding="utf-8").split("## Rules")[0]
    listed = re.findall(r"^\| `([a-z]+)` ", table, flags=re.MULTILINE)
    assert sorted(listed) == sorted(s.account for s in SITUATIONS)


@pytest.mark.parametrize("case", SITUATIONS, ids=lambda s: s.account)
def test_situation(book: AccountBook, case: Situation) -> None:
    health, advocacy = judged(book, case.account)
    flags = {f.code.value for f in health.flags}
    reasons = {r.code.value for r in advocacy.reasons}
    assert health.band.value in case.bands, f"{case.account}: band {health.band} (score {health.score})"
    assert case.flags <= flags, f"{case.account}: missing flags {case.flags - flags}"
    assert flags <= case.flags | case.may_flags, f"{case.account}: unexpected flags {flags - case.flags}"
    assert advocacy.verdict.value == case.verdict, f"{case.account}: verdict {advocacy.verdict} {reasons}"
    assert case.reasons <= reasons, f"{case.account}: missing reasons {case.reasons - reasons}"
    assert reasons <= case.reasons | case.may_reasons, f"{case.account}: unexpected reasons {reasons}"
    cited = {f.code.value: {e.id for e in f.evidence} for f in health.flags}
    for r in advocacy.reasons:
        cited.setdefault(r.code.value, set()).update(e.id for e in r.evidence)
    for code, ids in case.proof.items():
        assert ids <= cited.get(code, set()), f"{case.account}: {code} cites {cited.get(code)}, not {ids}"
    if case.suggested_kind is not None:
        assert advocacy.suggested is not None and advocacy.suggested.kind.value == case.suggested_kind
    if case.suggested_contact is not None:
        assert advocacy.suggested is not None and advocacy.suggested.contact_id == case.suggested_contact
    if case.never_kind is not None:
        assert advocacy.suggested is not None and advocacy.suggested.kind.value != case.never_kind
    assert health.data_quality == [], f"{case.account}: {health.data_quality}"


def test_traps(book: AccountBook) -> None:
    contoso, _ = judged(book, "contoso")
    overdue = next(f for f in contoso.flags if f.code == "overdue_commitment")
    assert "a-53" not in {e.id for e in overdue.evidence}  # done commitment
    globex, _ = judged(book, "globex")
    assert all("a-167" not in {e.id for e in f.evidence} for f in globex.flags)  # not yet due
    hooli, _ = judged(book, "hooli")
    support = next(c for c in hooli.components if c.name == "support")
    assert support.score is not None and support.score >= 85  # 30 small tickets are noise, not churn


def test_portfolio(book: AccountBook) -> None:
    summary = summarize_portfolio(book, as_of=AS_OF, config=CONFIG)
    assert summary.accounts == 16 and summary.arr_total == 3_907_000
    assert sum(summary.by_band.values()) == 16
    at_risk = [a.account_id for a in summary.at_risk]
    expected = ["globex", "umbrella", "tyrell", "contoso", "initech", "acme", "soylent", "piedpiper"]
    bands = {a: assess_health(book, a, as_of=AS_OF, config=CONFIG).band.value for a in expected}
    assert at_risk == [a for a in expected if bands[a] != "green"]
    assert {"globex", "initech"} <= set(at_risk)
    assert [a.arr for a in summary.at_risk] == sorted((a.arr for a in summary.at_risk), reverse=True)
    assert [(r.account_id, str(r.renewal_date)) for r in summary.renewals_next_90d] == [
        ("acme", "2027-01-10"), ("initech", "2027-01-31")]
    assert {r.account_id for r in summary.advocacy_ready} == {"hooli", "stark", "wayne", "wonka", "oscorp",
                                                               "gringotts"}
    assert [s.account_id for s in summary.silent] == ["initech"]
    assert [(o.account_id, o.activity_id) for o in summary.overdue_commitments] == [("contoso", "a-97")]


@pytest.mark.parametrize(("csm", "accounts"), [
    ("dana", {"globex", "umbrella", "stark", "cyberdyne", "tyrell"}),
    ("lee@fieldloop.example", {"initech", "contoso", "wayne", "acme", "wonka", "gringotts"}),
    ("priya", {"hooli", "vandelay", "piedpiper", "soylent", "oscorp"}),
])
def test_portfolio_per_csm(book: AccountBook, csm: str, accounts: set[str]) -> None:
    summary = summarize_portfolio(book, as_of=AS_OF, config=CONFIG, csm=csm)
    assert summary.accounts == len(accounts)
    assert {a.account_id for a in summary.at_risk} <= accounts
    assert {r.account_id for r in summary.advocacy_ready} <= accounts


def test_bought_but_unused_feature_gets_training(book: AccountBook) -> None:
    acme, _ = judged(book, "acme")
    training = [a for a in acme.next_actions if "reporting" in a.text.lower()]
    assert training, [a.text for a in acme.next_actions]
    others = [a.text for n in ("stark", "hooli", "wayne") for a in judged(book, n)[0].next_actions]
    assert not any("reporting" in text.lower() and "session" in text.lower() for text in others)
