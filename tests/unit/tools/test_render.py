"""Terminal renderings: plain text that names what matters."""

from __future__ import annotations

from integrations.render_judgements import bar, render_advocacy, render_health, render_portfolio
from tests.unit.tools.factory import AS_OF, CONFIG, ago, bare, book, healthy
from tools.advocacy import check_advocacy
from tools.health import assess_health
from tools.portfolio import summarize_portfolio


def test_bar_uses_eighths() -> None:
    assert bar(50, 100, 10) == "█████"
    assert bar(0, 100) == "" and bar(1, 0) == ""
    assert bar(1, 8, 1) == "▏"


def test_health_rendering() -> None:
    b = healthy().ticket("t-9", 3, severity=1, hours=None).ticket("t-x", 20, severity=3, hours=-2)
    text = render_health(assess_health(book(b), "acme", as_of=AS_OF, config=CONFIG))
    assert "Acme (acme) — health as of 2026-06-30" in text
    assert "○ red" in text and "capped by open_crisis" in text and "open_crisis" in text and "[tickets t-9]" in text
    assert "Next actions" in text and "1. Run a rescue plan" in text
    assert "Data quality" in text and "\x1b[" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_advocacy_rendering() -> None:
    ready = render_advocacy(check_advocacy(book(healthy()), "acme", as_of=AS_OF, config=CONFIG))
    assert "Verdict: READY — ask Priya Champion (c-champ) for a review" in ready
    b = healthy().ask("d", 10, "case_study", outcome="declined")
    not_now = render_advocacy(check_advocacy(book(b), "acme", as_of=AS_OF, config=CONFIG))
    assert "Verdict: NOT NOW" in not_now and "recently_declined" in not_now and "Before asking" in not_now


def test_portfolio_rendering_has_the_distribution_and_lists() -> None:
    late = healthy("late").activity("p-1", 30, "commitment", title="Send SSO fix", status="open", due=ago(4))
    text = render_portfolio(summarize_portfolio(book(healthy(), late, bare("thin")), as_of=AS_OF, config=CONFIG))
    assert "3 accounts, ARR $300,000" in text and "Health distribution" in text
    assert "█" in text and "Overdue commitments" in text and "Send SSO fix (p-1)" in text
    assert "Silent accounts: none" in text
