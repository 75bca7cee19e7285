"""What every `advocate` command shares: option types, building services, dates, output."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, overload

import typer

from accounts.errors import BadRequest
from integrations.settings import Settings
from integrations.wiring import NothingIngested, Services

if TYPE_CHECKING:
    from retrieval.ingest import IngestSummary

MAX_QUERY_CHARS = 2000  # a search query; questions: assistant.answer.MAX_QUESTION_CHARS
MAX_ID_CHARS = 255  # account ids, contact ids, CSM handles, e-mails (the store's column width)
STDIN_READ_CHARS = 1_000_000  # `-` reads at most this much; more is refused without reading it all
CONTROL_CHARS = frozenset(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))

DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help="Where the index and state live (env ADVOCATE_DATA_DIR).")
]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Judge as of this date (YYYY-MM-DD); default today.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (contract.md).")]
AudienceOption = Annotated[str, typer.Option("--as", help="csm, manager or customer.")]
AccountArgument = Annotated[str, typer.Argument(metavar="ACCOUNT", help="An account_id.")]
AccountOption = Annotated[str | None, typer.Option("--account", help="An account_id (required with --as customer).")]


def load_settings(data_dir: Path | None) -> Settings:
    """Settings from the environment (`--data-dir` wins); a bad ADVOCATE_* value is bad input, exit 2."""
    from pydantic import ValidationError

    try:
        return Settings() if data_dir is None else Settings(data_dir=data_dir)
    except ValidationError as err:
        first = err.errors()[0]
        name = "ADVOCATE_" + "_".join(str(part) for part in first["loc"]).upper()
        raise BadRequest(f"{name}: {first['msg'].removeprefix('Value error, ')}") from None


def services(data_dir: Path | None, *, ingested: bool = False) -> Services:
    """The services of a data dir; `ingested=True` for commands that only read one.

    A reading command checks for the store before anything opens it, so asking before any ingest
    (or with a mistyped --data-dir) says so and leaves no data dir behind.
    """
    svc = Services(load_settings(data_dir))
    if ingested:
        url = svc.settings.sqlalchemy_url
        if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
            raise NothingIngested(
                f"no workspace ingested in {svc.settings.data_dir}: run `advocate ingest PATH` first"
            )
        svc.require_ingested()
    return svc


def discard_if_fresh(svc: Services, existed: bool) -> None:
    """After a failed first ingest, remove the data dir it created, so a failed command leaves nothing.

    Only a dir that did not exist before this command and whose own store holds no committed ingest.
    """
    data_dir = svc.settings.data_dir
    if existed or not data_dir.exists() or svc.settings.database_url is not None:
        return
    try:
        committed = svc.store.meta("ingested_at") is not None
        svc.store.engine.dispose()
    except Exception:  # an unreadable store is kept for inspection, never deleted on a guess
        return
    if not committed:
        shutil.rmtree(data_dir, ignore_errors=True)


def ingest_workspace(svc: Services, path: Path, *, replace: bool = False) -> IngestSummary:
    """Ingest with a progress bar; a failed command (even the first, into a new data dir) leaves nothing."""
    from accounts.errors import WorkspaceError
    from integrations.progress import embedding_progress

    if not path.is_dir():  # before anything is created: a typo must not leave a data dir behind
        raise WorkspaceError(str(path), None, "no such folder" if not path.exists() else "not a folder")
    existed = svc.settings.data_dir.exists()
    try:
        with embedding_progress() as progress:
            return svc.ingestor().ingest(path, progress=progress, replace=replace)
    except BaseException:
        discard_if_fresh(svc, existed)
        raise


def parse_as_of(value: str | None, settings: Settings | None = None) -> dt.date:
    """--as-of, or today in the workspace's time zone (ADVOCATE_TIMEZONE, UTC by default)."""
    if value is None:
        return (settings or load_settings(None)).today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"--as-of: {value!r} is not a date (YYYY-MM-DD)") from None


def _plain(name: str, value: str) -> str:
    """The value if it is text a person typed: valid UTF-8, no control characters but tab and newline."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"{name} is not valid UTF-8") from None
    bad = next((ch for ch in value if ch in CONTROL_CHARS), None)
    if bad is not None:
        raise BadRequest(f"{name} contains a control character (U+{ord(bad):04X})")
    return value


def read_stdin(name: str) -> str:
    """Text piped to a `-` argument, bounded (never the whole of an endless pipe) and decoded as UTF-8."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return str(sys.stdin.read(STDIN_READ_CHARS + 1))
    raw = stream.read(STDIN_READ_CHARS * 4 + 1)
    try:
        return str(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise BadRequest(f"{name} on stdin is not UTF-8 (byte {err.start})") from None


def read_text(name: str, value: str, limit: int) -> str:
    """A question or query (`-` reads stdin), whitespace collapsed; empty or over `limit` is exit 2."""
    if value == "-":
        value = read_stdin(name)
        if len(value) > STDIN_READ_CHARS:
            raise BadRequest(f"{name} on stdin is longer than the limit of {limit:,} characters")
    text = " ".join(_plain(name, value).split())
    if not text:
        raise BadRequest(f"{name} is empty")
    if len(text) > limit:
        raise BadRequest(f"{name} is {len(text):,} characters long; the limit is {limit:,}")
    return text


@overload
def check_id(name: str, value: str) -> str: ...
@overload
def check_id(name: str, value: None) -> None: ...
@overload
def check_id(name: str, value: str | None) -> str | None: ...
def check_id(name: str, value: str | None) -> str | None:
    """An id-like value (account, contact, CSM, e-mail): non-empty, one line, at most MAX_ID_CHARS."""
    if value is None:
        return None
    value = _plain(name, value).strip()
    if not value:
        raise BadRequest(f"{name} is empty")
    if any(ch in "\t\n\r" for ch in value):
        raise BadRequest(f"{name} must be one line")
    if len(value) > MAX_ID_CHARS:
        raise BadRequest(f"{name} is longer than {MAX_ID_CHARS} characters")
    return value


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
