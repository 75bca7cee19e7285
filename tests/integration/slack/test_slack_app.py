"""The Slack bot end to end: signed requests into the real Bolt app, replies out through the real WebClient."""

from __future__ import annotations

import itertools
import json
import re
import time
from typing import Any

from tests.integration.slack.conftest import DANA, GUEST, INTERNAL, PRIYA, SHARED, STRANGER, SlackHarness

_ids = itertools.count(1)


def _event_id() -> str:
    return f"Ev{time.time_ns()}{next(_ids)}"


def mention(text: str, *, user: str = DANA, channel: str = INTERNAL, ts: str | None = None,
            thread_ts: str | None = None) -> dict[str, Any]:
    event = {"type": "app_mention", "user": user, "text": f"<@UBOT> {text}", "channel": channel,
             "ts": ts or f"{time.time():.6f}", "event_ts": "1"}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


# --- request signatures -----------------------------------------------------------------------------

def test_a_valid_signature_is_accepted_and_a_bad_one_rejected(slack: SlackHarness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc", "token": "x"})
    assert slack.signed(body).status_code == 200
    assert slack.signed(body).json() == {"challenge": "abc"}
    assert slack.signed(body, secret="wrong-secret").status_code == 401


def test_a_tampered_body_is_rejected(slack: SlackHarness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc", "token": "x"})
    ts = int(time.time())
    import hashlib
    import hmac

    from tests.integration.slack.conftest import SECRET

    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    tampered = body.replace("abc", "abd")
    response = slack.client.post("/slack/events", content=tampered, headers={
        "X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": signature, "Content-Type": "application/json"})
    assert response.status_code == 401


def test_a_stale_timestamp_is_rejected(slack: SlackHarness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc", "token": "x"})
    assert slack.signed(body, timestamp=int(time.time()) - 10 * 60).status_code == 401


# --- mentions and threads ----------------------------------------------------------------------------

def test_a_mention_is_answered_in_its_thread_with_header_citations_and_buttons(slack: SlackHarness,
                                                                               posted: Any) -> None:
    ts = f"{time.time():.6f}"
    response = slack.event(mention("How is Globex doing and what should I do next?", ts=ts), event_id=_event_id())
    assert response.status_code == 200
    call = posted(1)[0]
    assert call.params["channel"] == INTERNAL
    assert call.params["thread_ts"] == ts
    blocks = call.params["blocks"]
    assert blocks[0]["type"] == "header" and "Globex Logistics" in blocks[0]["text"]["text"]
    assert any(b["type"] == "context" and "[1]" in texts([b]) for b in blocks)
    actions = [b for b in blocks if b["type"] == "actions"]
    assert {e["action_id"] for e in actions[0]["elements"]} == {
        "advocate_feedback_up", "advocate_feedback_down", "advocate_show_evidence"}


def test_a_retried_event_gets_exactly_one_reply(slack: SlackHarness, posted: Any) -> None:
    event_id = _event_id()
    event = mention("Did we promise Contoso anything?")
    assert slack.event(event, event_id=event_id).status_code == 200
    for retry in ("1", "2"):
        retried = slack.event(event, event_id=event_id,
                              headers={"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"})
        assert retried.status_code == 200
    posted(1)
    time.sleep(1.5)  # a second reply, if any, would have been posted by now
    replies = [c for c in slack.stub.called("chat.postMessage") if c.params.get("thread_ts") == event["ts"]]
    assert len(replies) == 1


def test_a_follow_up_in_the_thread_keeps_the_account(slack: SlackHarness, posted: Any) -> None:
    ts = f"{time.time():.6f}"
    slack.event(mention("How is Initech doing?", ts=ts), event_id=_event_id())
    posted(1)
    slack.event(mention("and what should I do first?", ts=f"{time.time():.6f}", thread_ts=ts), event_id=_event_id())
    follow_up = posted(2)[1]
    assert follow_up.params["thread_ts"] == ts
    assert "Initech" in follow_up.params["blocks"][0]["text"]["text"]


def test_a_direct_message_is_answered(slack: SlackHarness, posted: Any) -> None:
    event = {"type": "message", "channel_type": "im", "user": DANA, "text": "Is Stark ready for a case study?",
             "channel": "DDANA", "ts": f"{time.time():.6f}"}
    slack.event(event, event_id=_event_id())
    call = posted(1)[0]
    assert call.params["channel"] == "DDANA"
    assert "Stark" in texts(call.params["blocks"])


def test_a_rate_limited_post_is_retried_after_retry_after(slack: SlackHarness, posted: Any) -> None:
    slack.stub.fail_next("chat.postMessage", 429, retry_after=1)
    ts = f"{time.time():.6f}"
    slack.event(mention("How is Hooli doing?", ts=ts), event_id=_event_id())
    calls = posted(2)  # the refused attempt and the retry
    assert [c.params["thread_ts"] for c in calls] == [ts, ts]


# --- who may see what ---------------------------------------------------------------------------------

INTERNAL_MARKERS = ("health", "loyalty", "internal", "activities", "tickets", "advocacy")


def _public_only(blocks: list[dict[str, Any]]) -> None:
    text = texts(blocks)
    assert "public docs only" in text
    cited_sources = set(re.findall(r"\((\w+) `", text))
    assert cited_sources == {"docs"}
    assert not any(b["type"] == "header" for b in blocks)  # no account, no health band


def test_a_slack_connect_channel_gets_public_docs_only(slack: SlackHarness, posted: Any) -> None:
    slack.event(mention("How is Globex doing? What did the last QBR say?", channel=SHARED), event_id=_event_id(),
                shared=True)
    blocks = posted(1)[0].params["blocks"]
    _public_only(blocks)
    assert "Marisol" not in texts(blocks) and "420" not in texts(blocks)


def test_people_outside_the_vendor_get_public_docs_only(slack: SlackHarness, posted: Any) -> None:
    for n, user in enumerate((STRANGER, GUEST), start=1):
        slack.event(mention("Tell me about Globex's renewal and health", user=user), event_id=_event_id())
        _public_only(posted(n)[n - 1].params["blocks"])


def test_a_shared_channel_gets_no_commands_and_no_evidence(slack: SlackHarness) -> None:
    before = len(slack.stub.called("response_url"))
    slack.command("health globex", channel=SHARED)
    reply = slack.stub.wait_for("response_url", before + 1)[-1]
    assert "vendor's own staff" in reply.params["text"]
    before = len(slack.stub.called("chat.postEphemeral"))
    slack.action("advocate_show_evidence", "any-key", channel=SHARED)  # refused before any lookup
    shown = slack.stub.wait_for("chat.postEphemeral", before + 1)[-1]
    assert shown.params["text"] == "Evidence is for the vendor's staff only."


# --- commands, buttons, home --------------------------------------------------------------------------

def _respond(slack: SlackHarness, text: str, user: str = DANA) -> dict[str, Any]:
    before = len(slack.stub.called("response_url"))
    assert slack.command(text, user=user).status_code == 200
    return slack.stub.wait_for("response_url", before + 1)[-1].params


def test_slash_health_names_the_band_and_next_actions(slack: SlackHarness) -> None:
    reply = _respond(slack, "health initech")
    assert reply["response_type"] == "ephemeral"
    blocks = reply["blocks"]
    assert blocks[0]["type"] == "header" and "Initech" in blocks[0]["text"]["text"]
    assert "Next actions" in texts(blocks)


def test_slash_health_resolves_a_name_and_reports_an_unknown_one(slack: SlackHarness) -> None:
    assert "Globex Logistics" in texts(_respond(slack, "health Globex Logistics")["blocks"])
    assert "unknown account" in _respond(slack, "health zzyzx-corp")["text"].lower()


def test_slash_advocacy_and_help(slack: SlackHarness) -> None:
    assert "advocacy" in _respond(slack, "advocacy stark")["blocks"][0]["text"]["text"]
    assert "/advocate health ACCOUNT" in texts(_respond(slack, "help")["blocks"])


def test_slash_portfolio_is_the_callers_book_or_a_named_csms(slack: SlackHarness) -> None:
    mine = texts(_respond(slack, "portfolio")["blocks"])
    assert "dana@fieldloop.example" in mine and "Globex" in mine and "Initech" not in mine
    lees = texts(_respond(slack, "portfolio lee@fieldloop.example")["blocks"])
    assert "Initech" in lees
    team = texts(_respond(slack, "portfolio", user=PRIYA)["blocks"])
    assert "Team portfolio" in team


def _press(slack: SlackHarness, posted: Any, question: str, action_id: str) -> str:
    """Ask, press one button of the reply, wait for the bot's ephemeral answer; the button's value."""
    slack.event(mention(question), event_id=_event_id())
    actions = next(b for b in posted(1)[0].params["blocks"] if b["type"] == "actions")["elements"]
    value = next(e["value"] for e in actions if e["action_id"] == action_id)
    before = len(slack.stub.called("chat.postEphemeral"))
    slack.action(action_id, value)
    slack.stub.wait_for("chat.postEphemeral", before + 1)
    return str(value)


def test_feedback_buttons_store_a_rating(slack: SlackHarness, posted: Any) -> None:
    conversation_id = _press(slack, posted, "How is Umbrella doing?", "advocate_feedback_down")
    from assistant.feedback import FeedbackStore

    assert FeedbackStore(slack.services.store.engine).ratings(conversation_id) == [("down", None)]


def test_show_evidence_posts_the_cited_snippets(slack: SlackHarness, posted: Any) -> None:
    _press(slack, posted, "Did we promise Contoso anything?", "advocate_show_evidence")
    shown = slack.stub.called("chat.postEphemeral")[-1]
    assert shown.params["user"] == DANA and "[1]" in texts(shown.params["blocks"])


def test_app_home_shows_the_users_own_book(slack: SlackHarness) -> None:
    before = len(slack.stub.called("views.publish"))
    slack.event({"type": "app_home_opened", "user": DANA, "channel": "DDANA", "tab": "home", "event_ts": "1"},
                event_id=_event_id())
    view = slack.stub.wait_for("views.publish", before + 1)[-1].params["view"]
    assert view["type"] == "home" and "Globex" in texts(view["blocks"])
