"""`advocate serve` and `advocate keys …`: run the HTTP API, make API keys and widget tokens.

The last word `advocate keys …` prints is the key or token itself (contract.md), so scripts can
take it with `| awk '{print $NF}'`. Register with `register(app)` from integrations/cli.py.
"""

from __future__ import annotations

from typing import Annotated

import typer

from integrations.cli_common import DataDirOption, services

keys_app = typer.Typer(no_args_is_help=True, help="Make API keys and widget tokens for `advocate serve`.")


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    data_dir: DataDirOption = None,
) -> None:
    """HTTP API + self-serve widget (docs/http.md); one process, blocking work in worker threads."""
    import uvicorn

    from integrations.http.app import create_app

    svc = services(data_dir)
    svc.preload = True  # a long-running server warms a new generation before swapping it in
    app = create_app(svc, svc.settings)
    typer.echo(f"Advocate on http://{host}:{port}  (widget: /widget, API docs: /docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


@keys_app.command("create")
def create_key(
    role: Annotated[str, typer.Option("--role", help="csm, manager or admin.")],
    user: Annotated[str, typer.Option("--user", help="The person's e-mail (\"me\" in \"my accounts\").")],
    data_dir: DataDirOption = None,
) -> None:
    """Print a new API key (shown once; only its hash is stored)."""
    from integrations.http.keystore import KeyStore

    key_id, key = KeyStore(services(data_dir).store.engine).create(role, user)
    typer.echo(f"API key {key_id} for {user} ({role}), shown once: {key}")


@keys_app.command("widget-token")
def widget_token(
    account: Annotated[str, typer.Argument(help="The account_id the token stands for.")],
    ttl: Annotated[str | None, typer.Option(
        "--ttl", help="How long it is valid: 30m, 1h, 7d (at most 30d); default ADVOCATE_WIDGET_TOKEN_TTL_S (1h).")]
    = None,
    data_dir: DataDirOption = None,
) -> None:
    """Print a signed widget token for ACCOUNT (the bearer is that customer, until it expires)."""
    from integrations.http.tokens import issue_widget_token, parse_ttl

    svc = services(data_dir)
    seconds = parse_ttl(ttl) if ttl else svc.settings.widget_token_ttl_s
    svc.book([account])  # an unknown account is exit 2 naming the closest ids
    token = issue_widget_token(svc.settings, account, seconds)
    typer.echo(f"widget token for {account}, valid {ttl or f'{seconds} s'}: {token}")


def register(app: typer.Typer) -> None:
    """Add `serve` and `keys` to the `advocate` command."""
    app.command("serve")(serve)
    app.add_typer(keys_app, name="keys")
