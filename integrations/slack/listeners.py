"""Bolt listeners: ack at once, then work in a lazy listener (Slack wants a 200 within 3 seconds).

Each listener is a few lines: who is asking (identity.py), what to say (bot.py / commands.py), and
one Web API call to say it. Retries of an event Slack already delivered are dropped by a global
middleware before any listener runs, so one event gets exactly one reply.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse

from integrations.slack.bot import Reply, SlackBot
from integrations.slack.commands import CommandRunner
from integrations.slack.identity import SlackCaller, is_shared_channel

log = logging.getLogger(__name__)
IGNORED_SUBTYPES = frozenset({"bot_message", "message_changed", "message_deleted", "channel_join", "channel_leave"})


def _ack(ack: Any) -> None:
    ack()


def register_listeners(app: App, bot: SlackBot) -> None:
    """Wire every listener of the Advocate bot onto a Bolt app."""
    commands = CommandRunner(bot)

    def caller_of(user: str, team: str | None, channel: str, client: Any, hint: bool | None = None) -> SlackCaller:
        shared = is_shared_channel(channel, client, hint=hint)
        return bot.directory.caller(user, client=client, team_id=team, shared_channel=shared)

    @app.middleware
    def drop_retried_events(body: dict[str, Any], next: Any) -> Any:
        event_id = body.get("event_id")
        if event_id and not bot.state.first_delivery(str(event_id)):
            log.info("dropping a repeated delivery of event %s", event_id)
            return BoltResponse(status=200, body="")
        return next()

    def post(client: Any, channel: str, thread_ts: str | None, reply: Reply) -> None:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=reply.text, blocks=reply.blocks,
                                unfurl_links=False, unfurl_media=False)

    def answer_event(body: dict[str, Any], event: dict[str, Any], client: Any) -> None:
        if event.get("subtype") in IGNORED_SUBTYPES or event.get("bot_id") or not event.get("user"):
            return
        team = body.get("team_id")
        channel = event["channel"]
        thread_ts = event.get("thread_ts") or event["ts"]
        caller = caller_of(event["user"], team, channel, client, hint=body.get("is_ext_shared_channel"))
        reply = bot.reply(event.get("text", ""), caller, team=team, channel=channel, thread_ts=thread_ts,
                          user=event["user"])
        post(client, channel, thread_ts, reply)

    app.event("app_mention")(ack=_ack, lazy=[answer_event])
    app.event({"type": "message", "channel_type": "im"})(ack=_ack, lazy=[answer_event])
    app.event("message")(ack=_ack, lazy=[])  # other channel messages: not for us, but acknowledged

    def run_command(body: dict[str, Any], respond: Any, client: Any) -> None:
        caller = caller_of(body["user_id"], body.get("team_id"), body["channel_id"], client)
        reply = commands.run(body.get("text", ""), caller, email_of=lambda uid: bot.directory.email_of(uid, client))
        respond(text=reply.text, blocks=reply.blocks, response_type="ephemeral")

    app.command("/advocate")(ack=_ack, lazy=[run_command])

    def rate(body: dict[str, Any], client: Any) -> None:
        action = body["actions"][0]
        channel = (body.get("channel") or {}).get("id", "")
        caller = caller_of(body["user"]["id"], (body.get("team") or {}).get("id"), channel, client)
        bot.rate(action["value"], "up" if action["action_id"].endswith("_up") else "down", caller)
        client.chat_postEphemeral(channel=channel, user=body["user"]["id"], text="Thanks, noted.",
                                  thread_ts=(body.get("message") or {}).get("thread_ts"))

    app.action("advocate_feedback_up")(ack=_ack, lazy=[rate])
    app.action("advocate_feedback_down")(ack=_ack, lazy=[rate])

    def show_evidence(body: dict[str, Any], client: Any) -> None:
        channel = (body.get("channel") or {}).get("id", "")
        user = body["user"]["id"]
        caller = caller_of(user, (body.get("team") or {}).get("id"), channel, client)
        # A channel can become shared after an answer was posted: evidence goes to vendor staff only.
        reply = (bot.evidence(body["actions"][0]["value"]) if not caller.public_only
                 else Reply("Evidence is for the vendor's staff only.", []))
        client.chat_postEphemeral(channel=channel, user=user, text=reply.text, blocks=reply.blocks or None,
                                  thread_ts=(body.get("message") or {}).get("thread_ts")
                                  or (body.get("message") or {}).get("ts"))

    app.action("advocate_show_evidence")(ack=_ack, lazy=[show_evidence])

    def publish_home(body: dict[str, Any], event: dict[str, Any], client: Any) -> None:
        if event.get("tab", "home") != "home":
            return
        caller = bot.directory.caller(event["user"], client=client, team_id=body.get("team_id"),
                                      shared_channel=False)
        client.views_publish(user_id=event["user"], view=commands.home(caller))

    app.event("app_home_opened")(ack=_ack, lazy=[publish_home])
