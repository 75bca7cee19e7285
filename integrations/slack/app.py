"""Assemble the Bolt app, and run it in HTTP mode (mounted on `advocate serve`) or Socket Mode.

The WebClient retries Slack's 429 answers after the `Retry-After` it is given (twice), and can be
pointed at another Web API base URL (`ADVOCATE_SLACK_API_URL`): the tests run the real Bolt app
against a local stand-in that speaks Slack's Web API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import Request
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from starlette.concurrency import run_in_threadpool

from accounts.errors import BadRequest
from integrations.slack.bot import SlackBot
from integrations.slack.identity import SlackDirectory
from integrations.slack.listeners import register_listeners

if TYPE_CHECKING:
    from fastapi import FastAPI
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from integrations.settings import Settings
    from integrations.wiring import Services
    from tools.digest import Digest

EVENTS_PATH = "/slack/events"


def web_client(settings: Settings) -> WebClient:
    if settings.slack_bot_token is None:
        raise BadRequest("Slack is not configured: set ADVOCATE_SLACK_BOT_TOKEN (and the signing secret or app token)")
    kwargs: dict[str, Any] = {"token": settings.slack_bot_token.get_secret_value()}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url.rstrip("/") + "/"
    client = WebClient(**kwargs)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client


def csm_emails(services: Services) -> list[str]:
    """The CSM e-mails in the book: their domains are the vendor's, unless configured otherwise."""
    try:
        return [a.csm for a in services.store.load_accounts() if a.csm and "@" in a.csm]
    except Exception:  # nothing ingested yet: only the configured domains count
        return []


def build_bolt_app(services: Services, *, client: WebClient | None = None,
                   today: Callable[[], dt.date] | None = None) -> App:
    """The Advocate bot as a Bolt app (request signatures verified with the configured secret)."""
    settings = services.settings
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    app = App(client=client or web_client(settings), signing_secret=secret, name="advocate",
              process_before_response=False)
    bot = SlackBot(services, SlackDirectory.from_settings(settings, csm_emails(services)), today=today)
    register_listeners(app, bot)
    return app


def mount_slack(api: FastAPI, bolt: App) -> None:
    """`POST /slack/events` on the HTTP app: Events API, slash commands and interactivity.

    Bolt's own FastAPI adapter dispatches on the event loop; here dispatch runs in a worker thread
    so a slow signature check or ack never stalls other requests.
    """
    @api.post(EVENTS_PATH, include_in_schema=False)
    async def slack_events(request: Request) -> Any:
        body = await request.body()
        response = await run_in_threadpool(bolt.dispatch, to_bolt_request(request, body))
        return to_starlette_response(response)


def socket_mode_handler(services: Services, *, today: Callable[[], dt.date] | None = None) -> SocketModeHandler:
    """Socket Mode: no public URL needed; Slack pushes events over a websocket opened with the app token.

    `apps.connections.open` goes through the bot's WebClient, so the configured API URL applies.
    """
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = services.settings
    if settings.slack_app_token is None:
        raise BadRequest("Socket Mode needs ADVOCATE_SLACK_APP_TOKEN (an xapp-… app-level token)")
    return SocketModeHandler(build_bolt_app(services, today=today), settings.slack_app_token.get_secret_value())


def run_socket_mode(services: Services) -> None:
    socket_mode_handler(services).start()


def post_digest(client: WebClient, channel: str, digest: Digest) -> None:
    """One weekly digest as a Block Kit message (the Markdown text is the notification fallback)."""
    from integrations.render_digest import digest_sections, digest_title, evidence_text, render_digest_markdown
    from integrations.slack.blocks import digest_blocks, fallback_text

    sections = [(heading, [f"**{line.name}**: {line.text}" + (f" ({evidence_text(line)})" if line.evidence else "")
                           for line in items]) for heading, items in digest_sections(digest)]
    summary = f"{digest.accounts} accounts, {len(digest.lines)} changes since last week."
    client.chat_postMessage(channel=channel, text=fallback_text(render_digest_markdown(digest)),
                            blocks=digest_blocks(digest_title(digest), summary, sections),
                            unfurl_links=False, unfurl_media=False)
