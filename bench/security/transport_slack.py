"""Slack as a probe transport: the real Bolt app, signed Events API requests, a local Slack Web API.

Slack has no customer principal: vendor staff are recognised by their e-mail (`users.info`), and
everyone else gets the public docs only. So a probe's customer principal becomes an OUTSIDER, in
turn a stranger from another workspace asking in an internal channel and an external member asking
inside a Slack Connect channel; what an outsider receives must hold no canary at all
(`customers_public_only`). Vendor principals are mapped users on the vendor's domain.

`ask` is an `app_mention`; the reply is the bot's `chat.postMessage` in that thread, its blocks
turned into text and citation lines, plus the snippets behind "Show evidence" when it offers the
button (what a user sees on a click). Slack has no search: `search` asks the query as a question.
A conversation is a thread, so an id cannot be named: a known id posts into its thread, any other
id opens a new thread (`names_conversations = False`: the id-claim checks do not apply).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json
import re
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from accounts.access import Audience
from bench.security.transport import Received

if TYPE_CHECKING:
    from assistant.principal import Principal

SECRET = "probe-signing-secret"
TEAM, INTERNAL, SHARED = "T0VENDOR", "CINTERNAL", "CSHARED"
VENDOR_DOMAIN = "fieldloop.example"
MANAGER_EMAIL = f"manager@{VENDOR_DOMAIN}"
REPLY_TIMEOUT_S = 60.0
_CITATION = re.compile(r"^\[\d+\] ")


def block_texts(node: Any) -> list[str]:
    """Every `text` string in a Block Kit payload, depth first (headers, sections, contexts, buttons)."""
    if isinstance(node, list):
        return [t for item in node for t in block_texts(item)]
    if not isinstance(node, dict):
        return []
    found = [node["text"]] if isinstance(node.get("text"), str) else []
    return found + [t for key, value in node.items() if key != "text" or not isinstance(value, str)
                    for t in block_texts(value)]


def _button(blocks: list[Any], action_id: str) -> str | None:
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == action_id:
                return str(element.get("value"))
    return None


class SlackTransport:
    """Probes as Slack messages to the real Bolt app; customers become outsiders (public docs only)."""

    name = "slack"
    names_conversations = False
    customers_public_only = True

    def __init__(self, data_dir: Path, as_of: dt.date) -> None:
        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from pydantic import SecretStr

        from integrations.settings import Settings
        from integrations.slack.app import build_bolt_app, mount_slack
        from integrations.wiring import Services
        from tests.integration.slack.slack_api_stub import SlackApiStub

        self.stub = SlackApiStub(channels={INTERNAL: {"id": INTERNAL, "is_shared": False, "is_ext_shared": False},
                                           SHARED: {"id": SHARED, "is_shared": True, "is_ext_shared": True}},
                                 team_id=TEAM).start()
        settings = Settings(data_dir=data_dir, slack_bot_token=SecretStr("xoxb-probe"),
                            slack_signing_secret=SecretStr(SECRET),
                            slack_api_url=self.stub.api_url, slack_managers=MANAGER_EMAIL,
                            slack_vendor_domains=VENDOR_DOMAIN)
        api = FastAPI()
        mount_slack(api, build_bolt_app(Services(settings), today=lambda: as_of))
        self.client = TestClient(api)
        self._ids = itertools.count(1)
        self._run = secrets.token_hex(4)  # event ids stay unique across runs on one data dir (retries are dropped)
        self._turn = itertools.count()
        self._threads: dict[str, tuple[str, str]] = {}  # conversation id -> (channel, thread ts)

    def close(self) -> None:
        self.stub.stop()

    # --- who is asking --------------------------------------------------------------------------
    def _user(self, principal: Principal) -> tuple[str, str]:
        """(Slack user id, channel) for a principal; outsiders alternate: stranger, Slack Connect member."""
        if principal.is_customer:
            tag = hashlib.sha256(str(principal.account_id).encode()).hexdigest()[:8].upper()
            if next(self._turn) % 2 == 0:
                user_id, channel = f"UX{tag}", INTERNAL
                profile = {"team_id": f"T0X{tag}", "is_stranger": True}
            else:
                user_id, channel, profile = f"UC{tag}", SHARED, {"team_id": f"T0C{tag}"}
            email = f"user@{tag.lower()}.customer.example"
        else:
            email = MANAGER_EMAIL if principal.audience is Audience.MANAGER else \
                (principal.user or f"csm@{VENDOR_DOMAIN}")
            user_id, channel, profile = "UV" + hashlib.sha256(email.encode()).hexdigest()[:8].upper(), INTERNAL, \
                {"team_id": TEAM}
        self.stub.users.setdefault(user_id, {"id": user_id, "profile": {"email": email}, **profile})
        return user_id, channel

    # --- the wire -------------------------------------------------------------------------------
    def _signed(self, body: str, content_type: str) -> Any:
        ts = str(int(time.time()))
        signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        return self.client.post("/slack/events", content=body, headers={
            "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type})

    def _await(self, method: str, before: int, match: dict[str, str]) -> Any | None:
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while time.monotonic() < deadline:
            for call in self.stub.called(method)[before:]:
                if all(call.params.get(k) == v for k, v in match.items()):
                    return call
            time.sleep(0.02)
        return None

    def _mention(self, user_id: str, channel: str, text: str, thread_ts: str | None) -> tuple[Any, str] | str:
        """Send one app_mention; the bot's reply call, or why there is none."""
        ts = f"{time.time():.6f}{next(self._ids):04d}"
        event: dict[str, Any] = {"type": "app_mention", "user": user_id, "text": f"<@UBOT> {text}", "ts": ts,
                                 "channel": channel, "event_ts": ts}
        if thread_ts:
            event["thread_ts"] = thread_ts
        body = json.dumps({"token": "x", "team_id": TEAM, "api_app_id": "A1", "type": "event_callback",
                           "event_id": f"EvProbe{self._run}{next(self._ids)}", "event_time": int(time.time()),
                           "is_ext_shared_channel": channel == SHARED, "event": event})
        before = len(self.stub.called("chat.postMessage"))
        response = self._signed(body, "application/json")
        if response.status_code != 200:
            return f"/slack/events answered {response.status_code}: {response.text[:300]}"
        call = self._await("chat.postMessage", before, {"channel": channel, "thread_ts": thread_ts or ts})
        return (call, thread_ts or ts) if call else f"no reply within {REPLY_TIMEOUT_S:.0f}s"

    def _evidence(self, user_id: str, channel: str, thread_ts: str, key: str) -> list[str]:
        """Click "Show evidence" as the asker; the texts of the ephemeral reply."""
        payload = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": user_id}, "channel": {"id": channel},
                   "message": {"ts": thread_ts, "thread_ts": thread_ts}, "trigger_id": "1.1",
                   "actions": [{"action_id": "advocate_show_evidence", "value": key, "type": "button",
                                "block_id": "advocate_feedback"}]}
        before = len(self.stub.called("chat.postEphemeral"))
        self._signed(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
        call = self._await("chat.postEphemeral", before, {"channel": channel, "user": user_id})
        return [*block_texts(call.params.get("blocks") or []), str(call.params.get("text", ""))] if call else []

    # --- the transport --------------------------------------------------------------------------
    def ask(self, principal: Principal, question: str, conversation_id: str | None = None) -> Received:
        try:
            user_id, channel = self._user(principal)
            thread = self._threads.get(conversation_id or "")
            if thread:
                channel = thread[0]
            sent = self._mention(user_id, channel, question, thread[1] if thread else None)
            if isinstance(sent, str):
                return Received("error", error=sent)
            call, thread_ts = sent
            blocks = call.params.get("blocks") or []
            texts = block_texts(blocks)
            citations: list[dict[str, Any]] = [{"line": t} for t in texts if _CITATION.match(t)]
            key = _button(blocks, "advocate_show_evidence")
            if key:
                citations.append({"evidence": self._evidence(user_id, channel, thread_ts, key)})
            conversation = _button(blocks, "advocate_feedback_up")
            if conversation:
                self._threads[conversation] = (channel, thread_ts)
            text = "\n".join([str(call.params.get("text", "")), *texts])
            return Received("ok", text, citations, conversation_id=conversation)
        except Exception as err:  # the probe records what happened; it never stops the run
            return Received("error", error=f"{type(err).__name__}: {err}")

    def search(self, principal: Principal, query: str, k: int = 10) -> Received:
        """Slack has no search: the query is asked as a message (what a Slack user would do)."""
        return self.ask(principal, query)
