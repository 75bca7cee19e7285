"""`create_app(services, settings)`: the FastAPI application of `advocate serve`.

Routers are mounted here and nothing else happens here; other adapters (Slack's events) mount
their routes on the returned app. Every response gets conservative security headers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from integrations.http import routes_admin, routes_chat, routes_judgements, routes_widget
from integrations.http.conversations import ConversationOwners
from integrations.http.deps import HttpState, request_ports
from integrations.http.errors import install_error_handlers
from integrations.http.keystore import KeyStore
from integrations.http.limits import AnswerGate, BodySizeLimit, RateLimiter
from integrations.http.links import DocLinks
from integrations.settings import Settings

if TYPE_CHECKING:
    from integrations.wiring import Services

log = logging.getLogger(__name__)
DESCRIPTION = ("Advocate's assistant over HTTP: chat (JSON or server-sent events), judgements, search, "
               "feedback, ingest, and a self-serve widget for customers. See docs/http.md.")
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]


class SecurityHeaders:
    """Adds nosniff and no-referrer to every response (plain ASGI: streaming passes through untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def build_state(services: Services, settings: Settings) -> HttpState:
    store = services.store
    return HttpState(
        services=services, settings=settings, keys=KeyStore(store.engine), owners=ConversationOwners(store.engine),
        limiter=RateLimiter(settings.http_rate_per_minute, settings.http_rate_burst),
        gate=AnswerGate(settings.http_max_concurrent_answers, settings.http_time_budget_s),
        doc_links=DocLinks(store, settings.http_link_hosts),
    )


def warm_up(services: Services) -> None:
    """Load the whole book once, so per-account requests take their part of it instead of querying SQL."""
    from accounts.errors import AdvocateError

    try:
        request_ports(services).book()
    except AdvocateError:  # nothing ingested yet: the first request after an ingest loads it
        log.info("nothing to warm up: no workspace ingested")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    asyncio.get_running_loop().run_in_executor(None, warm_up, app.state.advocate.services)
    yield


def create_app(services: Services, settings: Settings | None = None) -> FastAPI:
    settings = settings or services.settings
    app = FastAPI(title="Advocate", version="1", description=DESCRIPTION, docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    app.state.advocate = build_state(services, settings)
    install_error_handlers(app)
    for module in (routes_chat, routes_judgements, routes_admin, routes_widget):
        app.include_router(module.router)

    if settings.slack_bot_token is not None and settings.slack_signing_secret is not None:
        from integrations.slack.app import build_bolt_app, mount_slack

        mount_slack(app, build_bolt_app(services))  # POST /slack/events: Events API, commands, buttons
    app.add_middleware(BodySizeLimit, max_bytes=settings.http_max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
