"""Socket Mode end to end: the real SocketModeHandler opens a websocket and answers a pushed event.

A local server plays Slack's side of the protocol (https://api.slack.com/apis/socket-mode):
`apps.connections.open` returns a `ws://` URL, the socket says `hello`, pushes an `events_api`
envelope and expects the envelope id back as the acknowledgement.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from tests.conftest import DEMO_AS_OF
from tests.integration.slack.conftest import DANA, INTERNAL, TEAM
from tests.integration.slack.slack_api_stub import SlackApiStub


class SocketPeer:
    """Slack's end of one Socket Mode connection, on loopback."""

    def __init__(self) -> None:
        self.acks: list[str] = []
        self.to_send: list[dict[str, Any]] = []
        self.port = 0
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait(10)

    def _run(self) -> None:
        import websockets

        async def handler(socket: Any) -> None:
            await socket.send(json.dumps({"type": "hello", "num_connections": 1}))
            while True:
                while self.to_send:
                    await socket.send(json.dumps(self.to_send.pop(0)))
                try:
                    message = await asyncio.wait_for(socket.recv(), 0.1)
                except TimeoutError:
                    continue
                except Exception:
                    return
                self.acks.append(json.loads(message).get("envelope_id", ""))

        async def main() -> None:
            async with websockets.serve(handler, "127.0.0.1", 0) as server:
                self.port = next(iter(server.sockets)).getsockname()[1]
                self._ready.set()
                await asyncio.Future()

        self._loop.run_until_complete(main())


@pytest.fixture
def socket_peer(slack_stub: SlackApiStub) -> Iterator[SocketPeer]:
    peer = SocketPeer()
    original = slack_stub.answer

    def answer(method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{peer.port}/link"}
        return original(method, params)

    slack_stub.answer = answer  # type: ignore[method-assign]
    yield peer
    slack_stub.answer = original  # type: ignore[method-assign]


def test_socket_mode_acks_the_envelope_and_answers_in_the_thread(slack_stub: SlackApiStub, socket_peer: SocketPeer,
                                                                 slack_data_dir: Path) -> None:
    from integrations.settings import Settings
    from integrations.slack.app import socket_mode_handler
    from integrations.wiring import Services

    settings = Settings(data_dir=slack_data_dir, slack_bot_token=SecretStr("xoxb-test"),
                        slack_app_token=SecretStr("xapp-test"), slack_api_url=slack_stub.api_url)
    handler = socket_mode_handler(Services(settings), today=lambda: dt.date.fromisoformat(DEMO_AS_OF))
    ts = f"{time.time():.6f}"
    socket_peer.to_send.append({
        "envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False, "retry_attempt": 0,
        "payload": {"type": "event_callback", "team_id": TEAM, "event_id": f"EvSock{time.time_ns()}",
                    "is_ext_shared_channel": False,
                    "event": {"type": "app_mention", "user": DANA, "channel": INTERNAL, "ts": ts,
                              "text": "<@UBOT> How is Globex doing?"}}})
    before = len(slack_stub.called("chat.postMessage"))
    handler.connect()
    try:
        reply = slack_stub.wait_for("chat.postMessage", before + 1)[-1]
    finally:
        handler.close()
    assert "env-1" in socket_peer.acks
    assert reply.params["thread_ts"] == ts and "Globex" in json.dumps(reply.params["blocks"])
