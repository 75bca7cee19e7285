"""The `advocate` command to the contract (issue 10, part 4), through typer's CliRunner on a real data dir.

Usage errors are exit 2 with one plain line; `--version`; `ask -` reads stdin; empty or oversized
input names the limit; conversation ids are issued by Advocate and a refusal never confirms one
exists; `--user` reaches the principal; the default as-of is today in ADVOCATE_TIMEZONE; a failed
command leaves no data dir behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner, Result

from integrations.cli import app
from tests.conftest import REPO
from tests.fixtures.tiny_workspace import write_tiny_workspace

CLASS_NAMES = re.compile(r"MissingParameter|UsageError|NoSuchOption|BadParameter|BadOptionUsage|Exception|Error:")
BOX = ("╭", "│", "╰")
HEX_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny workspace ingested once for this module (real embedder, SQLite, embedded Chroma)."""
    from integrations.settings import Settings
    from integrations.wiring import Services

    root = tmp_path_factory.mktemp("cli-usage")
    Services(Settings(data_dir=root / "data")).ingestor().ingest(write_tiny_workspace(root / "workspace"))
    return root / "data"


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in ("OPENAI_API_KEY", "ADVOCATE_OPENAI_API_KEY", "ADVOCATE_LLM_BASE_URL", "ADVOCATE_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def run(cli: CliRunner, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    return cli.invoke(app, list(args), input=stdin, env=env)


def assert_one_plain_line(result: Result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("error: ") and not CLASS_NAMES.search(line) and not any(b in line for b in BOX), line
    assert "Traceback" not in result.output
    return line


@pytest.mark.parametrize("args", [
    ("ask",), ("search",), ("health",), ("ingest",), ("advocacy-check",),
    ("ask", "q", "--as"), ("ask", "q", "--k", "3"), ("bogus",), ("search", "q", "--k", "0"),
    ("search", "q", "--k", "many"), ("search", "q", "--mode", "fuzzy"), ("ask", "q", "--as", "boss"),
    ("health", "acme", "--as-of", "yesterday"), ("--nope",), ("ask", "q", "--as", "customer"),
])
def test_usage_errors_are_exit_2_with_one_plain_line(cli: CliRunner, data_dir: Path, args: tuple[str, ...]) -> None:
    assert_one_plain_line(run(cli, *args, "--data-dir", str(data_dir)))


def test_missing_argument_names_it_and_where_to_look(cli: CliRunner) -> None:
    line = assert_one_plain_line(run(cli, "ask"))
    assert "QUESTION" in line and "advocate ask --help" in line


def test_bare_advocate_prints_help(cli: CliRunner) -> None:
    result = run(cli)
    assert result.exit_code == 2 and "ingest" in result.output and "ask" in result.output


def test_version(cli: CliRunner) -> None:
    result = run(cli, "--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"advocate {version('advocate')}"


def test_ask_reads_the_question_from_stdin(cli: CliRunner, data_dir: Path) -> None:
    question = "How is Acme doing and what should I do next?"
    common = ("--as-of", "2026-06-30", "--json", "--data-dir", str(data_dir))
    piped = run(cli, "ask", "-", *common, stdin=f"{question}\n")
    typed = run(cli, "ask", question, *common)
    assert piped.exit_code == typed.exit_code == 0, piped.stderr
    a, b = json.loads(piped.stdout), json.loads(typed.stdout)
    assert a.pop("conversation_id") != b.pop("conversation_id")
    assert a == b and "Acme" in a["answer"]


@pytest.mark.parametrize(("args", "stdin", "expected"), [
    (("ask", ""), None, "QUESTION is empty"),
    (("ask", "  \n\t "), None, "QUESTION is empty"),
    (("ask", "-"), "", "QUESTION is empty"),
    (("ask", "x" * 2001), None, "limit is 2,000"),
    (("ask", "-"), "word " * 1000, "limit is 2,000"),
    (("ask", "-"), "y" * 1_000_100, "limit of 2,000"),
    (("ask", "why\x00"), None, "control character (U+0000)"),
    (("search", ""), None, "QUERY is empty"),
    (("search", "-"), " ", "QUERY is empty"),
    (("search", "q" * 2001), None, "limit is 2,000"),
    (("health", " "), None, "ACCOUNT is empty"),
    (("health", "a" * 300), None, "longer than 255"),
    (("portfolio", "--csm", ""), None, "--csm is empty"),
    (("ask", "how are we?", "--as", "customer", "--account", ""), None, "--account is empty"),
    (("ask", "my accounts?", "--user", "dana@x\nlee@y"), None, "--user must be one line"),
])
def test_empty_or_oversized_input_is_exit_2_naming_the_limit(
    cli: CliRunner, data_dir: Path, args: tuple[str, ...], stdin: str | None, expected: str
) -> None:
    line = assert_one_plain_line(run(cli, *args, "--data-dir", str(data_dir), stdin=stdin))
    assert expected in line


def ask_json(cli: CliRunner, data_dir: Path, question: str, *extra: str) -> Result:
    return run(cli, "ask", question, "--as-of", "2026-06-30", "--json", "--data-dir", str(data_dir), *extra)


def test_conversation_ids_are_issued_and_continue(cli: CliRunner, data_dir: Path) -> None:
    first = ask_json(cli, data_dir, "How is Acme doing?", "--user", "dana@fieldloop.example")
    assert first.exit_code == 0, first.stderr
    cid = json.loads(first.stdout)["conversation_id"]  # stdout of --json is one JSON document
    assert HEX_ID.match(cid)
    follow = ask_json(cli, data_dir, "and what should I do first?", "--user", "dana@fieldloop.example",
                      "--conversation", cid)
    assert follow.exit_code == 0, follow.stderr
    assert json.loads(follow.stdout)["conversation_id"] == cid
    assert {"name": "health", "args": {"account_id": "acme"}} in json.loads(follow.stdout)["tools"]


def test_text_answer_ends_with_the_conversation_id(cli: CliRunner, data_dir: Path) -> None:
    result = run(cli, "ask", "How is Acme doing?", "--as-of", "2026-06-30", "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    match = re.fullmatch(r"Conversation: ([0-9a-f]{32}) \(follow up with --conversation \1\)", last)
    assert match, last


def test_a_refusal_never_confirms_that_a_conversation_exists(cli: CliRunner, data_dir: Path) -> None:
    owner = ("--user", "dana@fieldloop.example")
    cid = json.loads(ask_json(cli, data_dir, "How is Acme doing?", *owner).stdout)["conversation_id"]
    never_issued = assert_one_plain_line(ask_json(cli, data_dir, "and then?", "--conversation", "0" * 32))
    chosen = assert_one_plain_line(ask_json(cli, data_dir, "and then?", "--conversation", "my-own-id"))
    assert never_issued == chosen and "unknown conversation" in chosen
    for other in (("--user", "lee@fieldloop.example"), (), ("--as", "manager", *owner),
                  ("--as", "customer", "--account", "acme"), ("--account", "acme", *owner)):
        refused = assert_one_plain_line(ask_json(cli, data_dir, "and then?", "--conversation", cid, *other))
        assert refused == never_issued, other  # the same words: an attacker learns nothing
    # nobody could claim the id or lock its owner out
    again = ask_json(cli, data_dir, "and what should I do first?", "--conversation", cid, *owner)
    assert again.exit_code == 0, again.stderr


def test_default_as_of_is_today_in_the_workspace_time_zone(cli: CliRunner, data_dir: Path) -> None:
    days = {}
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):  # UTC+14 and UTC-12: never the same calendar day
        before = dt.datetime.now(ZoneInfo(zone)).date()
        result = run(cli, "health", "acme", "--json", "--data-dir", str(data_dir), env={"ADVOCATE_TIMEZONE": zone})
        assert result.exit_code == 0, result.stderr
        days[zone] = dt.date.fromisoformat(json.loads(result.stdout)["as_of"])
        assert days[zone] in {before, dt.datetime.now(ZoneInfo(zone)).date()}
    assert days["Pacific/Kiritimati"] > days["Etc/GMT+12"]
    before = dt.datetime.now(dt.UTC).date()
    utc = json.loads(run(cli, "health", "acme", "--json", "--data-dir", str(data_dir)).stdout)["as_of"]
    assert dt.date.fromisoformat(utc) in {before, dt.datetime.now(dt.UTC).date()}  # the default zone is UTC


def test_a_bad_time_zone_is_exit_2_naming_the_setting(cli: CliRunner, data_dir: Path) -> None:
    line = assert_one_plain_line(run(cli, "health", "acme", "--data-dir", str(data_dir),
                                     env={"ADVOCATE_TIMEZONE": "Mars/Olympus_Mons"}))
    assert "ADVOCATE_TIMEZONE" in line and "Mars/Olympus_Mons" in line


@pytest.mark.parametrize("args", [
    ("search", "sync conflict"), ("ask", "How is Acme doing?"), ("health", "acme"),
    ("advocacy-check", "acme"), ("portfolio",), ("portfolio", "--csm", "dana"),
])
def test_a_query_before_any_ingest_creates_no_data_dir(cli: CliRunner, tmp_path: Path, args: tuple[str, ...]) -> None:
    data = tmp_path / "never-ingested"
    line = assert_one_plain_line(run(cli, *args, "--data-dir", str(data)))
    assert "advocate ingest" in line and not data.exists()


def test_a_failed_ingest_creates_no_data_dir(cli: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    missing = assert_one_plain_line(run(cli, "ingest", str(tmp_path / "no-such-workspace"), "--data-dir", str(data)))
    assert "no such folder" in missing and not data.exists()
    broken = write_tiny_workspace(tmp_path / "broken", {"accounts.csv": "account_id,name\n,Nameless\n"})
    line = assert_one_plain_line(run(cli, "ingest", str(broken), "--data-dir", str(data)))
    assert "accounts.csv:2" in line and not data.exists()


def test_a_failed_ingest_keeps_an_existing_data_dir(cli: CliRunner, tmp_path: Path, data_dir: Path) -> None:
    broken = write_tiny_workspace(tmp_path / "broken", {"accounts.csv": "account_id,name\n,Nameless\n"})
    assert_one_plain_line(run(cli, "ingest", str(broken), "--data-dir", str(data_dir)))
    still = run(cli, "search", "sync conflict", "--json", "--data-dir", str(data_dir))
    assert still.exit_code == 0 and json.loads(still.stdout)["results"]


@pytest.mark.slow
def test_exit_codes_of_the_real_process(tmp_path: Path) -> None:
    """The console entry point in a real process: exit codes, one stderr line, stdout untouched."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADVOCATE_", "OPENAI"))}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    data = tmp_path / "data"

    def advocate(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "integrations.cli", *args, "--data-dir", str(data)],
                              input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)

    version_done = subprocess.run([sys.executable, "-m", "integrations.cli", "--version"], capture_output=True,
                                  text=True, env=env, cwd=tmp_path, timeout=120)
    assert (version_done.returncode, version_done.stdout.split()[0]) == (0, "advocate")
    for args, stdin, code, words in [
        (("ask",), "", 2, "Missing argument 'QUESTION'"),
        (("search", ""), "", 2, "QUERY is empty"),
        (("ask", "-"), "z" * 5000, 2, "limit is 2,000"),
        (("frobnicate",), "", 2, "No such command"),
        (("ask", "How is Acme?"), "", 2, "advocate ingest"),
        (("ingest", str(tmp_path / "missing")), "", 2, "no such folder"),
    ]:
        done = advocate(*args, stdin=stdin)
        assert done.returncode == code, (args, done.stderr)
        assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1 and words in done.stderr, args
        assert not CLASS_NAMES.search(done.stderr) and "Traceback" not in done.stderr
    assert not data.exists()
