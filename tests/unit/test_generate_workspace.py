"""The benchmark workspace generator: deterministic, complete, valid per the spec, and telling its stories."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from accounts.models import (
    ActivityType,
    AskKind,
    AskOutcome,
    ContactRole,
    GiveKind,
    ItemStatus,
    LifecycleStage,
    ObjectiveStatus,
    Segment,
    TicketStatus,
)
from bench.generate_workspace import DEFAULT_AS_OF, LABELS_FILE, REPO_ROOT, Options, generate, main

AS_OF = DEFAULT_AS_OF
ACCOUNTS = 25
FILES = ("accounts.csv", "contacts.csv", "activities.jsonl", "tickets.csv", "usage.csv", "surveys.csv",
         "advocacy.jsonl")


def write(out: Path, seed: int = 1, accounts: int = ACCOUNTS, docs_from: str | None = None) -> dict[str, int]:
    return generate(Options(accounts=accounts, out=out, seed=seed, as_of=AS_OF, weeks=26, docs_from=docs_from))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "ws"
    out.mkdir()
    write(out)
    return out


def rows(workspace: Path, name: str) -> list[dict[str, Any]]:
    path = workspace / name
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def labels(workspace: Path) -> dict[str, str]:
    return {r["account_id"]: r["archetype"] for r in rows(workspace, LABELS_FILE)}


def test_same_seed_gives_identical_bytes_and_another_seed_differs(workspace: Path, tmp_path: Path) -> None:
    write(tmp_path / "again")
    write(tmp_path / "other", seed=2)
    assert tree_bytes(tmp_path / "again") == tree_bytes(workspace)
    assert (tmp_path / "other" / "accounts.csv").read_bytes() != (workspace / "accounts.csv").read_bytes()


def test_the_script_gives_the_same_bytes_in_a_fresh_process_with_another_hash_seed(tmp_path: Path) -> None:
    script = REPO_ROOT / "bench" / "generate_workspace.py"
    args = ["--accounts", "6", "--seed", "3", "--out", str(tmp_path / "cli"), "--docs-from", ""]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, str(script), *args], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    write(tmp_path / "inproc", seed=3, accounts=6)
    assert tree_bytes(tmp_path / "cli") == tree_bytes(tmp_path / "inproc")


def test_every_file_of_the_format_is_written_and_parses(workspace: Path) -> None:
    for name in FILES:
        assert rows(workspace, name), name
    plans = sorted((workspace / "success_plans").glob("*.yaml"))
    assert len(plans) >= ACCOUNTS // 2
    for plan in plans:
        assert yaml.safe_load(plan.read_text(encoding="utf-8"))["objectives"]
    docs = sorted((workspace / "docs").rglob("*.md"))
    assert len(docs) >= 25
    assert all(d.read_text(encoding="utf-8").startswith("---\ntitle: ") for d in docs)


def test_the_account_book_reader_accepts_the_workspace(workspace: Path) -> None:
    from accounts.workspace import read_workspace

    book = read_workspace(workspace)
    assert len(book.accounts) == ACCOUNTS
    assert len(book.docs) >= 25


def test_every_reference_points_at_an_existing_account_and_contact(workspace: Path) -> None:
    accounts = {r["account_id"] for r in rows(workspace, "accounts.csv")}
    contact_account = {r["contact_id"]: r["account_id"] for r in rows(workspace, "contacts.csv")}
    for name in FILES[1:]:
        assert {r["account_id"] for r in rows(workspace, name)} <= accounts, name
    for name in ("surveys.csv", "advocacy.jsonl"):
        for r in rows(workspace, name):
            assert contact_account[r["contact_id"]] == r["account_id"], (name, r)
    for plan in (workspace / "success_plans").glob("*.yaml"):
        assert yaml.safe_load(plan.read_text(encoding="utf-8"))["account_id"] in accounts
    assert set(labels(workspace)) == accounts


@pytest.mark.parametrize(("name", "key"), [
    ("accounts.csv", "account_id"), ("contacts.csv", "contact_id"), ("activities.jsonl", "id"),
    ("tickets.csv", "ticket_id"), ("surveys.csv", "response_id"), ("advocacy.jsonl", "id"),
])
def test_ids_are_unique(workspace: Path, name: str, key: str) -> None:
    ids = Counter(r[key] for r in rows(workspace, name))
    assert ids.most_common(1)[0][1] == 1


def test_account_and_contact_values_are_valid(workspace: Path) -> None:
    for r in rows(workspace, "accounts.csv"):
        assert r["segment"] in set(Segment) and r["lifecycle_stage"] in set(LifecycleStage)
        assert float(r["arr"]) > 0 and int(r["licensed_seats"]) > 0 and "@" in r["csm"]
        renewal = date.fromisoformat(r["renewal_date"])
        assert date.fromisoformat(r["contract_start"]) < AS_OF < renewal <= AS_OF + timedelta(days=549)
        assert (r["first_value_date"] == "") == (r["lifecycle_stage"] == "onboarding")
    for r in rows(workspace, "contacts.csv"):
        assert r["role"] in set(ContactRole) and r["active"] in ("true", "false")
        assert (r["active"] == "false") == bool(r["left_at"])


def test_activity_values_are_valid(workspace: Path) -> None:
    for r in rows(workspace, "activities.jsonl"):
        assert r["type"] in set(ActivityType) and r["visibility"] in ("internal", "customer")
        assert date.fromisoformat(r["date"]) <= AS_OF and r["title"] and r["body"]
        if r["type"] in ("request", "commitment"):
            assert r["status"] in set(ItemStatus)
        if "due" in r:
            date.fromisoformat(r["due"])


def test_ticket_usage_survey_and_advocacy_values_are_valid(workspace: Path) -> None:
    for r in rows(workspace, "tickets.csv"):
        assert r["severity"] in ("1", "2", "3", "4") and r["status"] in set(TicketStatus)
        assert r["escalated"] in ("true", "false") and r["csat"] in ("", "1", "2", "3", "4", "5")
        opened = datetime.fromisoformat(r["opened_at"])
        if r["closed_at"]:
            assert datetime.fromisoformat(r["closed_at"]) >= opened
        assert (r["closed_at"] == "") == (r["status"] in ("open", "pending"))
    for r in rows(workspace, "usage.csv"):
        assert date.fromisoformat(r["date"]).weekday() == 0 and date.fromisoformat(r["date"]) < AS_OF
        assert int(r["active_users"]) >= 0 and int(r["sessions"]) >= 0
    for r in rows(workspace, "surveys.csv"):
        low, high = (0, 10) if r["kind"] == "nps" else (1, 5)
        assert r["kind"] in ("nps", "csat") and low <= int(r["score"]) <= high
    for r in rows(workspace, "advocacy.jsonl"):
        if r["direction"] == "give":
            assert r["kind"] in set(GiveKind) and "outcome" not in r
        else:
            assert r["direction"] == "ask" and r["kind"] in set(AskKind) and r["outcome"] in set(AskOutcome)


def test_success_plans_are_valid(workspace: Path) -> None:
    for plan in (workspace / "success_plans").glob("*.yaml"):
        data = yaml.safe_load(plan.read_text(encoding="utf-8"))
        assert isinstance(data["updated"], date)
        for objective in data["objectives"]:
            assert objective["status"] in set(ObjectiveStatus) and isinstance(objective["due"], date)
            for milestone in objective["milestones"]:
                assert milestone["done"] is None or milestone["done"] <= data["updated"]


def test_archetypes_leave_their_marks(workspace: Path) -> None:
    by_story = labels(workspace)
    tickets, activities = rows(workspace, "tickets.csv"), rows(workspace, "activities.jsonl")
    open_sev1 = {t["account_id"] for t in tickets
                 if t["severity"] == "1" and t["status"] in ("open", "pending") and t["escalated"] == "true"}
    overdue = {a["account_id"] for a in activities if a["type"] == "commitment" and a["status"] == "open"
               and date.fromisoformat(a.get("due", "9999-12-31")) < AS_OF}
    champions_gone = {c["account_id"] for c in rows(workspace, "contacts.csv")
                      if c["role"] == "champion" and c["active"] == "false"}
    recent_declines = {a["account_id"] for a in rows(workspace, "advocacy.jsonl")
                       if a.get("outcome") == "declined" and (AS_OF - date.fromisoformat(a["date"])).days <= 30}
    assert open_sev1 == {a for a, s in by_story.items() if s == "crisis"} != set()
    assert overdue == {a for a, s in by_story.items() if s == "forgotten_commitment"} != set()
    assert champions_gone == {a for a, s in by_story.items() if s == "champion_left"} != set()
    assert {a for a, s in by_story.items() if s == "over_asked"} <= recent_declines


def test_silent_accounts_go_quiet_and_expansion_accounts_fill_their_seats(workspace: Path) -> None:
    by_story = labels(workspace)
    last_activity: dict[str, date] = defaultdict(lambda: date.min)
    for a in rows(workspace, "activities.jsonl"):
        last_activity[a["account_id"]] = max(last_activity[a["account_id"]], date.fromisoformat(a["date"]))
    seats = {r["account_id"]: int(r["licensed_seats"]) for r in rows(workspace, "accounts.csv")}
    last_users = {r["account_id"]: int(r["active_users"]) for r in rows(workspace, "usage.csv")}
    for account, story in by_story.items():
        if story == "silent":
            assert (AS_OF - last_activity[account]).days >= 35
        if story == "expansion":
            assert last_users[account] >= 0.85 * seats[account]


def test_prose_varies(workspace: Path) -> None:
    bodies = [a["body"] for a in rows(workspace, "activities.jsonl")]
    assert len(set(bodies)) > 0.9 * len(bodies)
    assert Counter(a["visibility"] for a in rows(workspace, "activities.jsonl")).keys() == {"internal", "customer"}


def test_docs_are_copied_from_a_given_folder(tmp_path: Path) -> None:
    source = tmp_path / "docs-src" / "guides"
    source.mkdir(parents=True)
    (source / "one.md").write_text("# One\n", encoding="utf-8")
    counts = write(tmp_path / "ws", accounts=3, docs_from=str(tmp_path / "docs-src"))
    assert counts["docs"] == 1
    assert (tmp_path / "ws" / "docs" / "guides" / "one.md").read_text(encoding="utf-8") == "# One\n"


def test_cli_reports_one_line_and_refuses_to_overwrite_without_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ws"
    assert main(["--accounts", "3", "--out", str(out), "--docs-from", ""]) == 0
    report = capsys.readouterr().out
    assert report.count("\n") == 1 and "rows" in report and "MB" in report
    with pytest.raises(SystemExit, match="--overwrite"):
        main(["--accounts", "3", "--out", str(out)])
    assert main(["--accounts", "2", "--out", str(out), "--overwrite"]) == 0
    assert len(rows(out, "accounts.csv")) == 2
