"""The `advocate` command line (contract.md): thin commands over the services in wiring.py.

Every user mistake becomes one line on stderr and exit code 2; anything else exit code 1 (with the
traceback only under --debug): see cli_errors.py. Heavy modules are imported inside the commands, so
`--help` and the judgement commands start fast. The whole surface is documented in docs/cli.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from integrations.cli_common import (
    MAX_QUERY_CHARS,
    AccountArgument,
    AccountOption,
    AsOfOption,
    AudienceOption,
    DataDirOption,
    JsonOption,
    check_id,
    emit,
    ingest_workspace,
    parse_as_of,
    parse_choice,
    read_text,
    services,
)
from integrations.cli_errors import AdvocateGroup, version_callback

app = typer.Typer(cls=AdvocateGroup, name="advocate", add_completion=False, no_args_is_help=True,
                  help="Advocate: a customer-success assistant.")


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Advocate: a customer-success assistant. `--debug` anywhere prints tracebacks of unexpected errors."""


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A workspace folder (docs/workspace-format.md).")],
    data_dir: DataDirOption = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the data of another workspace.")] = False,
) -> None:
    """Read a workspace into the store and the indexes; incremental (only changes are embedded)."""
    typer.echo(ingest_workspace(services(data_dir), path, replace=replace).line())


@app.command()
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="What to look for; `-` reads it from stdin.")],
    audience: AudienceOption = "csm",
    account: AccountOption = None,
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many passages.")] = 10,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, dense or lexical.")] = "hybrid",
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Ranked passages for a query, within what the caller may see (no answer). QUERY `-` reads stdin."""
    from accounts.access import Scope
    from retrieval.hybrid import SearchMode

    query = read_text("QUERY", query, MAX_QUERY_CHARS)
    account = check_id("--account", account)
    scope = Scope.for_audience(parse_choice("--as", audience, ("csm", "manager", "customer")), account)
    search_mode = SearchMode(parse_choice("--mode", mode, tuple(SearchMode)))
    svc = services(data_dir, ingested=True)
    day = parse_as_of(as_of, svc.settings)
    if account:
        svc.book([account])  # an unknown account is a clear error, not an empty result
    # recency weighting (ADVOCATE_RECENCY_WEIGHT) ages account history against this date
    passages = svc.retriever.search(query, scope, k, mode=search_mode, as_of=day)
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
    account: AccountArgument, as_of: AsOfOption = None, as_json: JsonOption = False, data_dir: DataDirOption = None
) -> None:
    """An account's health: score, band, components, flags and next actions, with evidence."""
    from integrations.render_judgements import render_health
    from tools.health import assess_health

    account = check_id("ACCOUNT", account)
    svc = services(data_dir, ingested=True)
    day = parse_as_of(as_of, svc.settings)
    book = svc.book([account])
    report = assess_health(book, account, as_of=day, config=svc.judgement_config)
    emit(report, as_json, render_health)


@app.command("advocacy-check")
def advocacy_check(
    account: AccountArgument,
    contact: Annotated[str | None, typer.Option("--contact", help="Check an ask of this contact.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Check this kind of ask (e.g. case_study).")] = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Is this a good moment to ask the account for advocacy, and for what?"""
    from integrations.render_judgements import render_advocacy
    from tools.advocacy import check_advocacy

    account, contact, kind = check_id("ACCOUNT", account), check_id("--contact", contact), check_id("--kind", kind)
    svc = services(data_dir, ingested=True)
    day = parse_as_of(as_of, svc.settings)
    book = svc.book([account])
    result = check_advocacy(book, account, as_of=day, config=svc.judgement_config, contact_id=contact, kind=kind)
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

    csm = check_id("--csm", csm)
    svc = services(data_dir, ingested=True)
    day = parse_as_of(as_of, svc.settings)
    book = svc.csm_book(csm) if csm else svc.book()
    summary = summarize_portfolio(book, as_of=day, config=svc.judgement_config, csm=csm)
    emit(summary, as_json, render_portfolio)


def register_module_commands() -> None:
    """Commands that live in modules of their own, registered here so `advocate --help` lists them."""
    from integrations.cli_assistant import register as register_assistant
    from integrations.cli_eval import register as register_eval
    from integrations.cli_slack import register as register_slack

    for register in (register_assistant, register_eval, register_slack):
        register(app)


register_module_commands()


def register_serve_commands() -> None:
    """`serve` and `keys` (the HTTP API) live in integrations/cli_serve.py."""
    from integrations.cli_serve import register

    register(app)


register_serve_commands()


def main() -> None:
    """Console entry point; exit codes and error lines are AdvocateGroup's (cli_errors.py)."""
    app()


if __name__ == "__main__":
    main()
