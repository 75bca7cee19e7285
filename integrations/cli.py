"""The `advocate` command line (contract.md): thin commands over the services in wiring.py.

Every user mistake becomes one line on stderr and exit code 2; anything else exit code 1 (with the
traceback only under --debug). Heavy modules are imported inside the commands, so `--help` and the
judgement commands start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from accounts.errors import AdvocateError
from integrations.cli_common import (
    AccountOption,
    AsOfOption,
    AudienceOption,
    DataDirOption,
    JsonOption,
    emit,
    parse_as_of,
    parse_choice,
    services,
)

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Advocate: a customer-success assistant.")


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="A workspace folder (workspace-format.md).")],
    data_dir: DataDirOption = None,
) -> None:
    """Read a workspace into the store and the indexes; incremental (only changes are embedded)."""
    from integrations.progress import embedding_progress

    svc = services(data_dir)
    with embedding_progress() as progress:
        summary = svc.ingestor().ingest(path, progress=progress)
    typer.echo(summary.line())


@app.command()
def search(
    query: str,
    audience: AudienceOption = "csm",
    account: AccountOption = None,
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many passages.")] = 10,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, dense or lexical.")] = "hybrid",
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Ranked passages for a query, within what the caller may see (no answer)."""
    from accounts.access import Scope
    from retrieval.hybrid import SearchMode

    scope = Scope.for_audience(parse_choice("--as", audience, ("csm", "manager", "customer")), account)
    svc = services(data_dir)
    if account:
        svc.book([account])  # an unknown account is a clear error, not an empty result
    search_mode = SearchMode(parse_choice("--mode", mode, tuple(SearchMode)))
    # recency weighting (ADVOCATE_RECENCY_WEIGHT) ages account history against this date
    passages = svc.retriever.search(query, scope, k, mode=search_mode, as_of=parse_as_of(as_of))
    results = {"results": [p.to_contract() for p in passages]}
    emit(results, as_json, render_search)


def render_search(results: dict[str, list[dict[str, Any]]]) -> str:
    if not results["results"]:
        return "No passages found."
    lines = []
    for n, r in enumerate(results["results"], start=1):
        owner = f" [{r['account_id']}]" if r["account_id"] else ""
        lines.append(f"{n}. {r['title']}{owner}  ({r['source']} {r['id']}, score {r['score']:.2f})")
        lines.append(f"   {r['snippet']}")
    return "\n".join(lines)


@app.command()
def health(
    account: str, as_of: AsOfOption = None, as_json: JsonOption = False, data_dir: DataDirOption = None
) -> None:
    """An account's health: score, band, components, flags and next actions, with evidence."""
    from integrations.render_judgements import render_health
    from tools.health import assess_health

    svc = services(data_dir)
    book = svc.book([account])
    report = assess_health(book, account, as_of=parse_as_of(as_of), config=svc.judgement_config)
    emit(report, as_json, render_health)


@app.command("advocacy-check")
def advocacy_check(
    account: str,
    contact: Annotated[str | None, typer.Option("--contact", help="Check an ask of this contact.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Check this kind of ask (e.g. case_study).")] = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Is this a good moment to ask the account for advocacy, and for what?"""
    from integrations.render_judgements import render_advocacy
    from tools.advocacy import check_advocacy

    svc = services(data_dir)
    book = svc.book([account])
    result = check_advocacy(
        book, account, as_of=parse_as_of(as_of), config=svc.judgement_config, contact_id=contact, kind=kind
    )
    emit(result, as_json, render_advocacy)


@app.command()
def portfolio(
    csm: Annotated[str | None, typer.Option("--csm", help="Only this CSM's accounts.")] = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Portfolio figures: bands, ARR at risk, renewals, advocacy-ready, silent, overdue commitments."""
    from integrations.render_judgements import render_portfolio
    from tools.portfolio import summarize_portfolio

    svc = services(data_dir)
    book = svc.csm_book(csm) if csm else svc.book()
    summary = summarize_portfolio(book, as_of=parse_as_of(as_of), config=svc.judgement_config, csm=csm)
    emit(summary, as_json, render_portfolio)


def register_assistant_commands() -> None:
    """`ask` and `demo` live in their own module; registered here so `advocate --help` lists them."""
    from integrations.cli_assistant import register

    register(app)


register_assistant_commands()


def register_serve_commands() -> None:
    """`serve` and `keys` (the HTTP API) live in integrations/cli_serve.py."""
    from integrations.cli_serve import register

    register(app)


register_serve_commands()


def main() -> None:
    """Console entry point: maps typed errors to exit codes."""
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        app(standalone_mode=False)
    except AdvocateError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("aborted", err=True)
        sys.exit(1)
    except Exception as err:  # the edge: one line, not a traceback, unless asked
        import click

        if isinstance(err, click.exceptions.ClickException):
            err.show()
            sys.exit(2)
        if debug:
            raise
        typer.echo(f"error: {type(err).__name__}: {err} (run with --debug for details)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
