"""The hostile inputs: each case writes a small workspace (or none) and lists the commands to run.

Real exports and real attackers send NUL bytes, huge questions, huge or deeply nested files, look-alike
ids, symlinks out of the workspace and YAML alias bombs. Each step says which exit codes are
acceptable and which strings must never be printed (data from outside the workspace).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

OUTSIDE_MARKER = "root:x:0:0"  # the first line of /etc/passwd: data from outside every workspace
HEADER = ("account_id,name,segment,industry,arr,plan,licensed_seats,contract_start,renewal_date,csm,"
          "lifecycle_stage,first_value_date\n")
ROWS = ("acme,Acme Corp,smb,HVAC services,50000,Professional,10,2025-01-01,2027-01-01,dana@fieldloop.example,"
        "adoption,\n"
        "globex,Globex Logistics,smb,Logistics,90000,Enterprise,40,2025-03-01,2027-02-28,dana@fieldloop.example,"
        "value,2026-01-20\n")
YAML_BOMB = "\n".join(["account_id: acme", "updated: 2026-05-01", 'a: &a ["lol","lol","lol","lol","lol","lol","lol"]']
                      + [f"{c}: &{c} [{','.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
                      + ["objectives:", "  - id: obj-1", "    title: *i", "    status: on_track"]) + "\n"


@dataclass(frozen=True)
class Step:
    """One command: its arguments (after `advocate`), stdin, acceptable exit codes, strings never to print."""

    args: tuple[str, ...]
    codes: tuple[int, ...]
    stdin: bytes | None = None
    forbidden: tuple[str, ...] = ()
    only_if_ok: bool = False  # run only when the previous step exited 0 (e.g. search after an ingest)


@dataclass(frozen=True)
class Case:
    """A named hostile input: `prepare(dir)` writes what it needs and returns the steps to run there."""

    name: str
    prepare: Callable[[Path], list[Step]]
    time_s: float = 60.0
    memory_mb: float = 1024.0
    quick: bool = True


def base_workspace(root: Path, rows: str = ROWS) -> Path:
    ws = root / "workspace"
    (ws / "docs").mkdir(parents=True, exist_ok=True)
    (ws / "accounts.csv").write_text(HEADER + rows, encoding="utf-8")
    (ws / "docs" / "guide.md").write_text("# Password reset\n\nAdmins reset a technician's password from Users.\n",
                                          encoding="utf-8")
    return ws


def ingest(ws: Path, codes: tuple[int, ...] = (2,)) -> Step:
    return Step(("ingest", str(ws)), codes)


def searches(query: str, *forbidden: str) -> list[Step]:
    """A customer and a CSM search after an ingest that was accepted: neither may see `forbidden`."""
    return [Step(("search", query, *who, "--json"), (0,), forbidden=forbidden, only_if_ok=True)
            for who in (("--as", "customer", "--account", "globex"), ("--as", "csm"))]


def nul_in_csv(root: Path) -> list[Step]:
    ws = base_workspace(root, ROWS.replace("Acme Corp", "Ac\x00me Corp"))
    return [ingest(ws, (0, 2)),
            Step(("health", "acme", "--json"), (0,), forbidden=("\x00", "\\u0000"), only_if_ok=True)]


def nul_in_question(root: Path) -> list[Step]:
    return [ingest(base_workspace(root), (0,)),
            Step(("ask", "-", "--as", "customer", "--account", "acme"), (0, 2),
                 stdin=b"How do I reset\x00 a password?")]


def megabyte_question(root: Path) -> list[Step]:
    return [ingest(base_workspace(root), (0,)),
            Step(("ask", "-", "--as", "customer", "--account", "acme"), (2,), stdin=b"password reset " * 70_000),
            Step(("search", "password reset " * 8_000, "--as", "customer", "--account", "acme"), (2,))]


def ten_megabyte_doc(root: Path) -> list[Step]:
    ws = base_workspace(root)
    (ws / "docs" / "huge.md").write_text("# Huge\n\n" + "Technicians sync their phones. " * 340_000, encoding="utf-8")
    return [ingest(ws)]


def nested_json(root: Path) -> list[Step]:
    ws = base_workspace(root)
    body = "[" * 100_000 + "]" * 100_000
    (ws / "activities.jsonl").write_text('{"id": "a-1", "account_id": "acme", "date": "2026-01-01", "type": "note", '
                                         f'"body": {body}}}\n', encoding="utf-8")
    return [ingest(ws)]


def homoglyph_ids(root: Path) -> list[Step]:
    return [ingest(base_workspace(root), (0,)),
            Step(("health", "\u0430cme"), (2,)),
            Step(("ask", "How are we doing?", "--as", "customer", "--account", "glob\u0435x"), (2,)),
            Step(("search", "password", "--as", "customer", "--account", "\u0430cme"), (2,))]


def case_duplicate_ids(root: Path) -> list[Step]:
    return [ingest(base_workspace(root, ROWS + ROWS.splitlines()[0].replace("acme,", "ACME,", 1) + "\n"))]


def symlinked_doc(root: Path) -> list[Step]:
    ws = base_workspace(root)
    os.symlink("/etc/passwd", ws / "docs" / "passwd.md")
    return [ingest(ws, (0, 2)), *searches("root daemon nologin bin bash", OUTSIDE_MARKER)]


def symlinked_accounts(root: Path) -> list[Step]:
    outside = root / "elsewhere.csv"
    outside.write_text(HEADER + ROWS.replace("Acme Corp", "Outside Corp"), encoding="utf-8")
    ws = base_workspace(root)
    (ws / "accounts.csv").unlink()
    os.symlink(outside, ws / "accounts.csv")
    return [ingest(ws)]


def yaml_bomb(root: Path) -> list[Step]:
    ws = base_workspace(root)
    (ws / "success_plans").mkdir()
    (ws / "success_plans" / "acme.yaml").write_text(YAML_BOMB, encoding="utf-8")
    return [ingest(ws, (0, 2)), Step(("ask", "How is Acme doing?", "--as", "csm"), (0,), only_if_ok=True)]


def public_visibility(root: Path) -> list[Step]:
    ws = base_workspace(root)
    (ws / "activities.jsonl").write_text(json.dumps({
        "id": "a-pub", "account_id": "acme", "date": "2026-01-01", "type": "news", "title": "Press mention",
        "body": "Acme's secret cnrypubleak0000 expansion plan.", "visibility": "public"}) + "\n", encoding="utf-8")
    return [ingest(ws, (0, 2)), *searches("cnrypubleak0000 expansion plan", "cnrypubleak0000")[:1]]


def valid_separators(root: Path) -> list[Step]:
    ws = base_workspace(root)
    (ws / "activities.jsonl").write_text(json.dumps({
        "id": "a-1", "account_id": "acme", "date": "2026-01-01", "type": "note", "title": "Line separator",
        "body": "first\u2028second"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (ws / "contacts.csv").write_text('contact_id,account_id,name,title,email,role,active,left_at\n'
                                     'c-1,acme,"Dana\x85Lee","Ops\x0cLead",dana@acme.example,champion,true,\n',
                                     encoding="utf-8")
    return [ingest(ws, (0,))]


def markdown_rule_doc(root: Path) -> list[Step]:
    ws = base_workspace(root)
    (ws / "docs" / "ruled.md").write_text("--------\n\n# Release notes\n\nNew dispatch board.\n", encoding="utf-8")
    return [ingest(ws, (0,))]


def short_csv_row(root: Path) -> list[Step]:
    return [ingest(base_workspace(root, ROWS + "initech,Initech,smb\n"))]


def empty_search(root: Path) -> list[Step]:
    return [ingest(base_workspace(root), (0,)), Step(("search", ""), (2,))]


CASES = (
    Case("nul-in-csv", nul_in_csv), Case("nul-in-question", nul_in_question, quick=False),
    Case("1mb-question", megabyte_question, quick=False), Case("10mb-doc", ten_megabyte_doc),
    Case("nested-json", nested_json), Case("homoglyph-ids", homoglyph_ids, quick=False),
    Case("case-duplicate-ids", case_duplicate_ids, quick=False), Case("symlink-doc-outside", symlinked_doc),
    Case("symlink-accounts-outside", symlinked_accounts), Case("yaml-alias-bomb", yaml_bomb, time_s=30),
    Case("visibility-public", public_visibility), Case("valid-separators", valid_separators, quick=False),
    Case("markdown-rule-doc", markdown_rule_doc, quick=False), Case("short-csv-row", short_csv_row, quick=False),
    Case("empty-search", empty_search, quick=False),
)
