"""`advocate eval`: answer labelled question sets and print the scores beside the plain-RAG baseline.

With no argument, the bundled sets (examples/evals/*.yaml) run, each ingesting its workspace into a
scratch data dir of the eval's own (cached by content hash). `--gate` exits 1 when the assistant is
below the thresholds (examples/evals/gates.yaml, or `--gates PATH`). Register with `register(app)`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from integrations.cli_common import JsonOption, emit, parse_choice

EVALS_DIR = Path("examples") / "evals"
DEFAULT_WORK_DIR = Path(".advocate-eval")


def find_bundled(name: str = "") -> Path:
    """examples/evals (or a file in it) beside the installed packages (repo checkout), else under the cwd."""
    for root in (Path(__file__).resolve().parent.parent, Path.cwd()):
        candidate = root / EVALS_DIR / name
        if candidate.exists():
            return candidate
    from accounts.errors import BadRequest

    raise BadRequest(f"{EVALS_DIR / name} not found beside the package or in the cwd")


def bundled_sets() -> list[Path]:
    return sorted(p for p in find_bundled().glob("*.yaml") if not p.name.startswith("gates"))


def eval_command(
    sets: Annotated[list[Path] | None, typer.Argument(help="Question-set YAML files (default: the bundled sets).")]
    = None,
    as_json: JsonOption = False,
    gate: Annotated[bool, typer.Option("--gate", help="Exit 1 when below the thresholds.")] = False,
    gates: Annotated[Path | None, typer.Option("--gates", help="Thresholds YAML (default: the bundled one).")]
    = None,
    split: Annotated[str, typer.Option("--split", help="all, tune or heldout questions.")] = "all",
    audience: Annotated[str, typer.Option("--audience", help="all, csm, manager or customer.")] = "all",
    baseline: Annotated[bool, typer.Option("--baseline/--no-baseline", help="Also run plain RAG.")] = True,
    llm: Annotated[bool, typer.Option("--llm", help="Answer with the configured model, not offline.")] = False,
    failures: Annotated[int, typer.Option("--failures", min=0, help="List this many failed questions.")] = 0,
    work_dir: Annotated[Path, typer.Option("--work-dir", help="Scratch dir for ingested workspaces.")]
    = DEFAULT_WORK_DIR,
) -> None:
    """Score the assistant on labelled questions (facts, intents, citations, not-found, leaks, latency)."""
    from integrations.evaluation.questions import load_question_set
    from integrations.evaluation.report import check_gates, load_gates, render_failures, render_table, summarize
    from integrations.evaluation.report import to_json as report_json
    from integrations.evaluation.runner import run_sets

    split = parse_choice("--split", split, ("all", "tune", "heldout"))
    audience = parse_choice("--audience", audience, ("all", "csm", "manager", "customer"))
    loaded = [load_question_set(p) for p in (sets or bundled_sets())]
    runs = run_sets(loaded, work_dir, baseline=baseline, llm=llm,
                    keep=lambda q: split in ("all", q.split) and audience in ("all", q.audience))
    rows = summarize(runs)
    gate_failures = check_gates(rows, load_gates(gates or find_bundled("gates.yaml"))) if gate else None
    if as_json:
        emit(report_json(runs, rows, gate_failures), True, str)
    else:
        typer.echo(render_table(rows))
        for name, run in runs.items():
            typer.echo(f"{name}: ingest {run.ingest_seconds:.1f} s, questions {run.run_seconds:.1f} s")
        if failures:
            typer.echo(render_failures([r for run in runs.values() for r in run.results], failures))
        if gate_failures is not None:
            typer.echo("gates: passed" if not gate_failures else "gates FAILED:\n  " + "\n  ".join(gate_failures))
    if gate_failures:
        sys.exit(1)  # below the thresholds: a result, not a usage error (2)


def register(app: typer.Typer) -> None:
    """Add `eval` to the `advocate` command."""
    app.command("eval")(eval_command)
