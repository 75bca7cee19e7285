"""The real Bolt app, mounted on a FastAPI app, over a copy of the ingested demo workspace.

Requests are signed the way Slack signs them; the bot's WebClient talks to a local Slack Web API
stand-in (slack_api_stub.py). Nothing is mocked between the HTTP request and the Web API call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from pydantic import SecretStr

from tests.conftest import DEMO_AS_OF
from tests.integration.slack.slack_api_stub import SlackApiStub

SECRET = "test-signing-secret"
TEAM = "T0VENDOR"
DANA, PRIYA, STRANGER, GUEST = "UDANA", "UPRIYA", "USTRANGER", "UGUEST"
INTERNAL, SHARED = "CINTERNAL", "CSHARED"


@dataclass
class SlackHarness:
    client: Any  # fastapi.testclient.TestClient
    stub: SlackApiStub
    services: Any

    def signed(self, body: str, *, timestamp: int | None = None, secret: str = SECRET,
               headers: dict[str, str] | None = None, content_type: str = "application/json") -> Any:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        base = f"v0:{ts}:{body}".encode()
        signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
        return self.client.post("/slack/events", content=body, headers={
            "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type,
            **(headers or {})})

    def event(self, event: dict[str, Any], *, event_id: str, shared: bool = False,
              headers: dict[str, str] | None = None) -> Any:
        body = json.dumps({"token": "x", "team_id": TEAM, "api_app_id": "A1", "type": "event_callback",
                           "event_id": event_id, "event_time": int(time.time()), "is_ext_shared_channel": shared,
                           "event": event})
        return self.signed(body, headers=headers)

    def command(self, text: str, *, user: str = DANA, channel: str = INTERNAL) -> Any:
        body = urlencode({"token": "x", "team_id": TEAM, "channel_id": channel, "user_id": user,
                          "command": "/advocate", "text": text, "trigger_id": "1.2",
                          "response_url": f"{self.stub.url}/response/1"})
        return self.signed(body, content_type="application/x-www-form-urlencoded")

    def action(self, action_id: str, value: str, *, user: str = DANA, channel: str = INTERNAL) -> Any:
        payload = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": user},
                   "channel": {"id": channel}, "message": {"ts": "1.0", "thread_ts": "1.0"},
                   "response_url": f"{self.stub.url}/response/2", "trigger_id": "1.3",
                   "actions": [{"action_id": action_id, "value": value, "type": "button", "block_id": "b"}]}
        return self.signed(urlencode({"payload": json.dumps(payload)}),
                           content_type="application/x-www-form-urlencoded")


def _user(email: str, **extra: Any) -> dict[str, Any]:
    return {"id": email, "team_id": TEAM, "profile": {"email": email}, **extra}


@pytest.fixture(scope="module")
def slack_stub() -> Iterator[SlackApiStub]:
    stub = SlackApiStub(
        users={DANA: _user("dana@fieldloop.example"), PRIYA: _user("priya@fieldloop.example"),
               STRANGER: _user("ops@globex.example", team_id="T0GLOBEX", is_stranger=True),
               GUEST: _user("contractor@fieldloop.example", is_restricted=True)},
        channels={INTERNAL: {"id": INTERNAL, "is_shared": False, "is_ext_shared": False},
                  SHARED: {"id": SHARED, "is_shared": True, "is_ext_shared": True}},
    ).start()
    yield stub
    stub.stop()


@pytest.fixture(scope="module")
def slack_data_dir(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the ingested demo: the bot writes its own tables (events, threads, feedback)."""
    target = tmp_path_factory.mktemp("slack") / "data"
    shutil.copytree(demo_data_dir, target)
    return target


@pytest.fixture(scope="module")
def slack(slack_stub: SlackApiStub, slack_data_dir: Path) -> Iterator[SlackHarness]:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from integrations.settings import Settings
    from integrations.slack.app import build_bolt_app, mount_slack
    from integrations.wiring import Services

    settings = Settings(data_dir=slack_data_dir, slack_bot_token=SecretStr("xoxb-test"),
                        slack_signing_secret=SecretStr(SECRET), slack_api_url=slack_stub.api_url,
                        slack_managers="priya@fieldloop.example")
    services = Services(settings)
    api = FastAPI()
    mount_slack(api, build_bolt_app(services, today=lambda: dt.date.fromisoformat(DEMO_AS_OF)))
    with TestClient(api) as client:
        yield SlackHarness(client, slack_stub, services)


@pytest.fixture
def posted(slack_stub: SlackApiStub) -> Callable[[int], list[Any]]:
    """Waits for the n-th chat.postMessage since the test started and returns the new ones."""
    before = len(slack_stub.called("chat.postMessage"))

    def wait(n: int = 1) -> list[Any]:
        return slack_stub.wait_for("chat.postMessage", before + n)[before:]

    return wait
