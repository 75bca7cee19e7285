"""The HTTP API as a probe transport: the real FastAPI app (`create_app`) driven by a TestClient.

Credentials decide the principal over HTTP, so each probe principal gets the credential a real
caller would hold: a customer a widget token for its account (one per principal, like one widget
visitor), vendor staff an API key with their role and user. Conversation ids are the ones the API
issues; a foreign or made-up id is passed through untouched, and the edge must refuse it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accounts.access import Audience
from bench.security.transport import Received

if TYPE_CHECKING:
    from assistant.principal import Principal

UNLIMITED = 1_000_000  # probes are not a rate-limit test: the bucket must never refuse one


class HttpTransport:
    """`POST /v1/chat` and `GET /v1/search` on an app over `data_dir`; 4xx is "refused", 5xx "error"."""

    name = "http"
    names_conversations = True  # a caller can present any conversation id (the edge must check it)
    customers_public_only = False

    def __init__(self, data_dir: Path, as_of: dt.date) -> None:
        from fastapi.testclient import TestClient

        from integrations.http.app import create_app
        from integrations.http.keystore import KeyStore
        from integrations.settings import Settings
        from integrations.wiring import Services

        self.settings = Settings(data_dir=data_dir, http_rate_per_minute=UNLIMITED, http_rate_burst=UNLIMITED,
                                 http_max_concurrent_answers=1, slack_bot_token=None)
        self.services = Services(self.settings)
        self.client = TestClient(create_app(self.services, self.settings), raise_server_exceptions=False)
        self.keys = KeyStore(self.services.store.engine)
        self.as_of = as_of
        self._tokens: dict[Principal, str] = {}

    def _headers(self, principal: Principal) -> dict[str, str]:
        """The bearer token of this principal, made on first use and kept (so its conversations stay its own)."""
        if principal not in self._tokens:
            if principal.is_customer:
                from integrations.http.tokens import issue_widget_token

                self._tokens[principal] = issue_widget_token(self.settings, str(principal.account_id), 3600)
            else:
                role = "csm" if principal.audience is Audience.CSM else "manager"
                self._tokens[principal] = self.keys.create(role, principal.user or "probe@fieldloop.example")[1]
        return {"Authorization": f"Bearer {self._tokens[principal]}"}

    @staticmethod
    def _received(response: Any) -> Received:
        if response.status_code >= 500:
            return Received("error", error=f"{response.status_code}: {response.text[:500]}")
        if response.status_code >= 400:
            try:
                err = response.json()["error"]
                return Received("refused", error=f"{response.status_code} {err['code']}: {err['message']}")
            except (ValueError, KeyError, TypeError):
                return Received("refused", error=f"{response.status_code}: {response.text[:500]}")
        data = response.json()
        if "results" in data:
            return Received("ok", citations=data["results"])
        return Received("ok", data["answer"], data["citations"], data["tools"], data.get("conversation_id"),
                        data["mode"], data["degraded"])

    def ask(self, principal: Principal, question: str, conversation_id: str | None = None) -> Received:
        body: dict[str, Any] = {"message": question, "as_of": self.as_of.isoformat()}
        if conversation_id is not None:
            body["conversation_id"] = conversation_id
        try:
            return self._received(self.client.post("/v1/chat", json=body, headers=self._headers(principal)))
        except Exception as err:  # the probe records what happened; it never stops the run
            return Received("error", error=f"{type(err).__name__}: {err}")

    def search(self, principal: Principal, query: str, k: int = 10) -> Received:
        params: dict[str, Any] = {"q": query, "k": k, "as_of": self.as_of.isoformat()}
        if principal.account_id and not principal.is_customer:
            params["account"] = principal.account_id  # a vendor's focus, as `search --account`
        try:
            return self._received(self.client.get("/v1/search", params=params, headers=self._headers(principal)))
        except Exception as err:
            return Received("error", error=f"{type(err).__name__}: {err}")
