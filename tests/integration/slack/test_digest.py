"""The weekly digest on the demo workspace: what changed, cited, as Markdown and as a Slack post."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tools.digest import ChangeKind, weekly_digest


def _digest(demo_services: Any, day: str, csm: str | None = None) -> Any:
    book = demo_services.csm_book(csm) if csm else demo_services.book()
    return weekly_digest(book, as_of=dt.date.fromisoformat(day), config=demo_services.judgement_config, csm=csm)


def test_a_week_with_a_new_silence_reports_the_risk_and_the_band_move(demo_services: Any) -> None:
    digest = _digest(demo_services, "2026-10-01")
    initech = [line for line in digest.lines if line.account_id == "initech"]
    assert {line.kind for line in initech} == {ChangeKind.NEW_RISK, ChangeKind.HEALTH_MOVE}
    assert all(line.evidence for line in digest.lines)  # every line cites its records
    assert any(line.kind is ChangeKind.ADVOCACY_READY and line.account_id == "hooli" for line in digest.lines)


def test_promises_coming_due_and_renewals_entering_the_window(demo_services: Any) -> None:
    due = _digest(demo_services, "2026-11-16")
    assert [(line.kind, line.evidence[0].id) for line in due.lines if line.kind is ChangeKind.PROMISE_DUE] == [
        (ChangeKind.PROMISE_DUE, "a-167")]
    renewals = _digest(demo_services, "2026-10-15")
    assert [line.account_id for line in renewals.lines if line.kind is ChangeKind.RENEWAL_WINDOW] == ["acme"]


def test_what_was_already_true_last_week_is_not_news(demo_services: Any) -> None:
    assert _digest(demo_services, "2026-11-01").lines == []


def test_a_csm_digest_covers_only_their_accounts(demo_services: Any) -> None:
    digest = _digest(demo_services, "2026-10-01", csm="priya@fieldloop.example")
    assert digest.lines and {line.csm for line in digest.lines} == {"priya@fieldloop.example"}


def test_digest_cli_prints_markdown_and_posts_to_slack(run_cli: Any, demo_data_dir: Any, slack_stub: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVOCATE_SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("ADVOCATE_SLACK_API_URL", slack_stub.api_url)
    before = len(slack_stub.called("chat.postMessage"))
    result = run_cli("digest", "--as-of", "2026-10-01", "--channel", "CMANAGERS", "--data-dir", str(demo_data_dir))
    assert result.code == 0, result.err
    assert result.out.startswith("# Weekly digest: 2026-09-24 → 2026-10-01")
    assert "**Initech**" in result.out and "[activities a-92]" in result.out
    post = slack_stub.wait_for("chat.postMessage", before + 1)[-1].params
    assert post["channel"] == "CMANAGERS" and post["blocks"][0]["type"] == "header"
    assert len(post["blocks"]) <= 50


def test_digest_without_a_slack_token_says_so(run_cli: Any, demo_data_dir: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADVOCATE_SLACK_BOT_TOKEN", raising=False)
    result = run_cli("digest", "--channel", "C1", "--as-of", "2026-10-01", "--data-dir", str(demo_data_dir))
    assert result.code == 2 and "ADVOCATE_SLACK_BOT_TOKEN" in result.err
