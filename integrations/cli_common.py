"""What every `advocate` command shares: option types, building services, dates, output."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from accounts.errors import BadRequest
from integrations.settings import Settings
from integrations.wiring import Services

DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help="Where the index and state live (env ADVOCATE_DATA_DIR).")
]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Judge as of this date (YYYY-MM-DD); default today.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (contract.md).")]
AudienceOption = Annotated[str, typer.Option("--as", help="csm, manager or customer.")]
AccountOption = Annotated[str | None, typer.Option("--account", help="An account_id (required with --as customer).")]


def services(data_dir: Path | None) -> Services:
    settings = Settings() if data_dir is None else Settings(data_dir=data_dir)
    return Services(settings)


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"--as-of: {value!r} is not a date (YYYY-MM-DD)") from None


def emit(data: Any, as_json: bool, render: Callable[[Any], str]) -> None:
    if as_json:
        payload = data.model_dump(mode="json") if hasattr(data, "model_dump") else data
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(data).rstrip() + "\n")


def parse_choice(option: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise BadRequest(f"{option}: {value!r} is not one of {', '.join(choices)}")
    return value
