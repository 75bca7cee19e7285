"""`advocate slack` (the bot, in Socket Mode or HTTP mode) and `advocate digest` (the weekly post).

`digest` is made for cron: it prints Markdown (or `--json`) on stdout and, with `--channel`, posts
the same digest to Slack as Block Kit. Register with `register(app)` from integrations/cli.py.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from integrations.cli_common import AsOfOption, DataDirOption, JsonOption, parse_as_of, services

if TYPE_CHECKING:
    from accounts.book import AccountBook

CsmOption = Annotated[str | None, typer.Option("--csm", help="Only this CSM's accounts (e-mail or handle).")]


def slack(
    socket: Annotated[bool, typer.Option("--socket", help="Socket Mode (an app-level token, no public URL).")] = False,
    host: Annotated[str, typer.Option("--host", help="HTTP mode: the address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="HTTP mode: the port.")] = 3000,
    data_dir: DataDirOption = None,
) -> None:
    """Run the Slack bot: Socket Mode with --socket, else HTTP mode (POST /slack/events)."""
    svc = services(data_dir)
    svc.require_ingested()
    if socket:
        from integrations.slack.app import run_socket_mode

        run_socket_mode(svc)
        return
    import uvicorn
    from fastapi import FastAPI

    from integrations.slack.app import build_bolt_app, mount_slack

    api = FastAPI(title="Advocate Slack events")
    mount_slack(api, build_bolt_app(svc))
    uvicorn.run(api, host=host, port=port, log_level="info")


def digest(
    channel: Annotated[str | None, typer.Option("--channel", help="Also post it to this Slack channel id.")] = None,
    csm: CsmOption = None,
    per_csm: Annotated[bool, typer.Option("--per-csm", help="One digest per CSM instead of one for the team.")] = False,
    days: Annotated[int, typer.Option("--days", min=1, max=90, help="What changed in the last N days.")] = 7,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """What changed since last week: new risks, health moves, renewals, promises due, advocacy-ready."""
    from integrations.render_digest import render_digest_markdown
    from tools.digest import weekly_digest

    svc = services(data_dir)
    day = parse_as_of(as_of)
    books: list[tuple[str | None, AccountBook]]
    if per_csm:
        handles = sorted({a.csm for a in svc.store.load_accounts() if a.csm})
        books = [(h, svc.csm_book(h)) for h in handles]
    else:
        books = [(csm, svc.csm_book(csm) if csm else svc.book())]
    digests = [weekly_digest(book, as_of=day, config=svc.judgement_config, csm=handle, days=days)
               for handle, book in books]
    if as_json:
        payload = [d.model_dump(mode="json") for d in digests]
        sys.stdout.write(json.dumps(payload if per_csm else payload[0], indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("\n\n".join(render_digest_markdown(d) for d in digests) + "\n")
    if channel:
        from integrations.slack.app import post_digest, web_client

        client = web_client(svc.settings)
        for d in digests:
            post_digest(client, channel, d)
        typer.echo(f"posted {len(digests)} digest(s) to {channel}", err=True)


def register(app: typer.Typer) -> None:
    """Add `slack` and `digest` to the `advocate` command."""
    app.command("slack")(slack)
    app.command("digest")(digest)
