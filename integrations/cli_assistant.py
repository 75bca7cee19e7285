"""`advocate ask` and `advocate demo`: the assistant on the command line (contract.md).

Thin like every front end: parse options, build the principal, call `assistant.answer`, render.
Register with `register(app)` from integrations/cli.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from integrations.cli_common import (
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

if TYPE_CHECKING:
    from assistant.principal import Principal
    from assistant.types import Answer
    from integrations.wiring import Services

DEMO_DATA_DIR = Path(".advocate-demo")
DEMO_AS_OF = dt.date(2026, 11, 16)
DEMO_WORKSPACE = Path("examples") / "demo-workspace"
# (audience, account, question): the showcase, three per audience.
DEMO_QUESTIONS: tuple[tuple[str, str | None, str], ...] = (
    ("csm", None, "How is Globex doing and what should I do next?"),
    ("csm", None, "Did I promise Contoso anything?"),
    ("csm", None, "Is Stark ready for a case study?"),
    ("customer", "globex", "How do I fix a sync conflict?"),
    ("customer", "globex", "Where are we on our success plan?"),
    ("manager", None, "Which renewals this quarter are at risk?"),
    ("manager", None, "Who is ready for an advocacy ask?"),
)


def principal_of(audience: str, account: str | None, user: str | None = None) -> Principal:
    """Who is asking, from the options (a customer without --account is exit 2 here, before any I/O)."""
    from accounts.access import Audience
    from accounts.errors import BadRequest
    from assistant.principal import Principal

    chosen = Audience(parse_choice("--as", audience, ("csm", "manager", "customer")))
    if chosen is Audience.CUSTOMER and not account:
        raise BadRequest("--as customer requires --account (the caller is that customer)")
    return Principal(chosen, account, user=user)


def ask_once(svc: Services, question: str, principal: Principal, as_of: dt.date,
             conversation: str | None) -> Answer:
    from assistant.answer import answer

    ports = svc.snapshot()  # one committed generation for the whole answer, even if an ingest commits meanwhile
    return answer(question, principal, ports=ports, as_of=as_of, conversation_id=conversation,
                  llm=svc.llm_engine(ports))


def render_answer(result: Answer) -> str:
    """Plain text: the Markdown answer, then the numbered sources."""
    lines = [result.answer, ""]
    if result.citations:
        lines.append("Sources:")
        lines += [f"[{n}] {c.source.value} {c.id}: {c.title}" for n, c in enumerate(result.citations, start=1)]
    if result.degraded:
        lines.append("(the configured model failed; this is the offline answer)")
    if result.conversation_id:
        cid = result.conversation_id
        lines += ["", f"Conversation: {cid} (follow up with --conversation {cid})"]
    return "\n".join(lines)


def ask(
    question: Annotated[str, typer.Argument(
        metavar="QUESTION", help="The question, in your own words; `-` reads it from stdin.")],
    audience: AudienceOption = "csm",
    account: AccountOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    conversation: Annotated[str | None, typer.Option(
        "--conversation", help="Continue a conversation: the id a previous answer printed.")] = None,
    user: Annotated[str | None, typer.Option(
        "--user", help="Who is asking (an e-mail or CSM handle): \"my accounts\" means theirs.")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Answer a question from the account book, the history and the docs, with citations.

    Without --conversation a new conversation starts; its id (issued by Advocate) ends the answer
    (`conversation_id` in --json): pass it as --conversation ID to ask a follow-up.
    """
    from assistant.answer import MAX_QUESTION_CHARS

    question = read_text("QUESTION", question, MAX_QUESTION_CHARS)
    principal = principal_of(audience, check_id("--account", account), check_id("--user", user))
    svc = services(data_dir, ingested=True)
    day = parse_as_of(as_of, svc.settings)
    result = ask_once(svc, question, principal, day, conversation)
    emit(result, as_json, render_answer)


def find_demo_workspace() -> Path:
    """The bundled demo workspace: next to the installed packages (repo checkout), else under the cwd."""
    for root in (Path(__file__).resolve().parent.parent, Path.cwd()):
        candidate = root / DEMO_WORKSPACE
        if (candidate / "accounts.csv").is_file():
            return candidate
    from accounts.errors import BadRequest

    raise BadRequest(f"demo workspace not found: looked for {DEMO_WORKSPACE} beside the package and in the cwd")


def demo(data_dir: DataDirOption = None) -> None:
    """Ingest the bundled demo workspace (once) and ask showcase questions as a CSM, a customer and a manager."""
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.rule import Rule

    from integrations.wiring import NothingIngested

    console = Console()
    try:
        svc = services(data_dir or DEMO_DATA_DIR, ingested=True)
    except NothingIngested:
        workspace = find_demo_workspace()  # before anything is created
        svc = services(data_dir or DEMO_DATA_DIR)
        console.print(f"Ingesting the demo workspace {workspace} into {svc.settings.data_dir} (once)…")
        console.print(ingest_workspace(svc, workspace).line())
    for audience, account, question in DEMO_QUESTIONS:
        who = f"{audience} of {account}" if account else audience
        console.print(Rule(f"[bold]{who}[/bold] asks: {question}"))
        result = ask_once(svc, question, principal_of(audience, account), DEMO_AS_OF, None)
        console.print(Panel(Markdown(result.answer), title=f"as of {DEMO_AS_OF} · {result.mode}", expand=True))
        console.print(_sources(result))


def _sources(result: Answer) -> Any:
    from rich.text import Text

    text = Text()
    for n, c in enumerate(result.citations, start=1):
        text.append(f"[{n}] ", style="bold")
        text.append(f"{c.source.value} {c.id}", style="cyan")
        text.append(f" — {c.title}\n", style="dim")
    return text


def register(app: typer.Typer) -> None:
    """Add `ask` and `demo` to the `advocate` command."""
    app.command("ask")(ask)
    app.command("demo")(demo)
