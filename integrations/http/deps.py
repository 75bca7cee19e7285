"""What every request needs, in one place: the app's state, the assistant's ports, the caller.

`request_ports` is the one function that decides which snapshot of the data a request reads: the
committed ingest generation's, taken once per request, so a new ingest is seen on the next request
and never mixed into one.
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
    from integrations.snapshot import Snapshot
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

    def llm(self, ports: Snapshot) -> Any:
        """The model engine bound to this snapshot when a model is configured, else None."""
        return self.services.llm_engine(ports)


def request_ports(services: Services) -> Snapshot:
    """The data one request reads: the current snapshot (book, indexes, caches of one committed generation)."""
    return services.snapshot()


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
