"""What every request needs, in one place: the app's state, the assistant's ports, the caller.

`request_ports` is the one function that decides which snapshot of the data a request reads;
when ingest generations land (`Services.snapshot()`), only it changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request

from integrations.http.auth import authenticate
from integrations.http.conversations import ConversationOwners
from integrations.http.credentials import Credential, Role
from integrations.http.errors import ApiError
from integrations.http.keystore import KeyStore
from integrations.http.limits import AnswerGate, RateLimiter
from integrations.http.links import DocLinks
from integrations.settings import Settings

if TYPE_CHECKING:
    from assistant.ports import AssistantPorts
    from integrations.wiring import Services


@dataclass
class HttpState:
    """Long-lived parts of one server: services, keys, owners, limits."""

    services: Services
    settings: Settings
    keys: KeyStore
    owners: ConversationOwners
    limiter: RateLimiter
    gate: AnswerGate
    doc_links: DocLinks
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    _llm: Any = None
    _llm_lock: threading.Lock = field(default_factory=threading.Lock)

    def llm(self) -> Any:
        """The model engine when one is configured (built on first use: it needs an ingested index), else None."""
        if not self.settings.llm_configured:
            return None
        with self._llm_lock:
            if self._llm is None:
                self._llm = self.services.llm_engine()
            return self._llm


def request_ports(services: Services) -> AssistantPorts:
    """The data one request reads. Today the services themselves (their caches follow each ingest)."""
    return services


def after_ingest(services: Services) -> None:
    """Forget what was loaded from the previous ingest (the keyword index), so the next request reads the new one.

    A stop-gap until ingest generations land: with `Services.snapshot()` this becomes a no-op.
    """
    for name in ("keywords", "retriever"):
        services.__dict__.pop(name, None)


def get_state(request: Request) -> HttpState:
    state: HttpState = request.app.state.advocate
    return state


State = Annotated[HttpState, Depends(get_state)]


def get_credential(request: Request, state: State) -> Credential:
    """The authenticated caller, rate-limited per credential."""
    try:
        credential = authenticate(request.headers.get("authorization"), state.settings, state.keys)
    except ApiError:
        state.limiter.check(f"ip:{request.client.host if request.client else '?'}")  # slows token guessing
        raise
    state.limiter.check(credential.credential_id)
    return credential


Caller = Annotated[Credential, Depends(get_credential)]


def require_staff(caller: Caller) -> Credential:
    if caller.is_customer:
        raise ApiError(403, "forbidden", "this route is for the vendor's staff, not customers")
    return caller


def require_admin(caller: Caller) -> Credential:
    if caller.role is not Role.ADMIN:
        raise ApiError(403, "forbidden", "this route needs an admin key")
    return caller


Staff = Annotated[Credential, Depends(require_staff)]
Admin = Annotated[Credential, Depends(require_admin)]
