"""Generate a large, realistic FieldLoop workspace for benchmarks (format: shared spec workspace-format.md).

    python bench/generate_workspace.py --accounts 1000 --out /tmp/ws [--seed 7] [--as-of 2026-11-16]
        [--weeks 26] [--docs-from examples/demo-workspace/docs] [--overwrite]

Deterministic for a given seed and arguments: every account draws from its own seeded RNG. Each account
gets an archetype (healthy, crisis, silent, champion_left, …) that drives all its records consistently.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.workspace_accounts import AccountProfile, draw_profiles
from bench.workspace_activities import activity_rows
from bench.workspace_context import build_context, contact_rows
from bench.workspace_docs import write_docs
from bench.workspace_plans import plan_yaml
from bench.workspace_records import advocacy_rows, survey_rows, ticket_rows, usage_rows

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_AS_OF = date(2026, 11, 16)
DEFAULT_DOCS = "examples/demo-workspace/docs"
CSV_COLUMNS = {
    "accounts.csv": ("account_id", "name", "segment", "industry", "arr", "plan", "licensed_seats", "contract_start",
                     "renewal_date", "csm", "lifecycle_stage", "first_value_date"),
    "contacts.csv": ("contact_id", "account_id", "name", "title", "email", "role", "active", "left_at"),
    "tickets.csv": ("ticket_id", "account_id", "opened_at", "closed_at", "severity", "status", "subject",
                    "description", "escalated", "csat"),
    "usage.csv": ("account_id", "date", "active_users", "sessions", "features"),
    "surveys.csv": ("response_id", "account_id", "contact_id", "date", "kind", "score", "comment"),
}
JSONL_FILES = ("activities.jsonl", "advocacy.jsonl")
LABELS_FILE = "bench_labels.csv"  # ground truth for benchmarks (account_id, archetype); not a workspace file
WORKSPACE_ENTRIES = (*CSV_COLUMNS, *JSONL_FILES, "success_plans", "docs", LABELS_FILE)


@dataclass(frozen=True)
class Options:
    accounts: int
    out: Path
    seed: int = 1
    as_of: date = DEFAULT_AS_OF
    weeks: int = 26
    docs_from: str | None = DEFAULT_DOCS


def usage_mondays(as_of: date, weeks: int) -> list[date]:
    """The Mondays of the last `weeks` complete weeks before `as_of`, oldest first."""
    last = as_of - timedelta(days=as_of.weekday() + 7)
    return [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def account_row(p: AccountProfile) -> list[str]:
    return [p.account_id, p.name, p.segment, p.industry, str(p.arr), p.plan, str(p.seats),
            p.contract_start.isoformat(), p.renewal_date.isoformat(), p.csm, p.lifecycle_stage,
            p.first_value_date.isoformat() if p.first_value_date else ""]


class WorkspaceWriter:
    """Open CSV and JSONL files of one workspace; counts rows as they are written."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.counts: dict[str, int] = dict.fromkeys((*CSV_COLUMNS, *JSONL_FILES, "success_plans"), 0)
        self._files = {name: (out / name).open("w", encoding="utf-8", newline="")
                       for name in (*CSV_COLUMNS, *JSONL_FILES)}
        self._csv = {name: csv.writer(self._files[name], lineterminator="\n") for name in CSV_COLUMNS}
        for name, columns in CSV_COLUMNS.items():
            self._csv[name].writerow(columns)
        (out / "success_plans").mkdir(exist_ok=True)

    def rows(self, name: str, rows: Sequence[Sequence[str]]) -> None:
        self._csv[name].writerows(rows)
        self.counts[name] += len(rows)

    def records(self, name: str, records: Sequence[dict[str, Any]]) -> None:
        self._files[name].write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        self.counts[name] += len(records)

    def plan(self, account_id: str, text: str | None) -> None:
        if text is not None:
            (self.out / "success_plans" / f"{account_id}.yaml").write_text(text, encoding="utf-8")
            self.counts["success_plans"] += 1

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()


def write_account(writer: WorkspaceWriter, profile: AccountProfile, opts: Options, executive: str,
                  mondays: list[date]) -> None:
    """Every record of one account, in dependency order (tickets and advocacy feed the activity log)."""
    ctx = build_context(profile, opts.seed, opts.as_of, executive, opts.weeks)
    writer.rows("accounts.csv", [account_row(profile)])
    writer.rows("contacts.csv", contact_rows(ctx))
    writer.rows("tickets.csv", ticket_rows(ctx))
    advocacy = advocacy_rows(ctx)
    writer.rows("usage.csv", usage_rows(ctx, mondays))
    writer.records("activities.jsonl", activity_rows(ctx))
    writer.records("advocacy.jsonl", advocacy)
    writer.rows("surveys.csv", survey_rows(ctx))
    writer.plan(profile.account_id, plan_yaml(ctx))


def resolve_docs(docs_from: str | None) -> Path | None:
    """The docs folder to copy (as given, else relative to the repository); None if there is none with pages."""
    if not docs_from:
        return None
    for candidate in (Path(docs_from), REPO_ROOT / docs_from):
        if candidate.is_dir() and any(candidate.rglob("*.md")):
            return candidate
    return None


def write_workspace_docs(out: Path, docs_from: str | None) -> int:
    """Copy the docs folder if it exists, else write the generated FieldLoop pages; returns the page count."""
    source = resolve_docs(docs_from)
    if source is None:
        return write_docs(out / "docs")
    shutil.copytree(source, out / "docs")
    return sum(1 for _ in (out / "docs").rglob("*.md"))


def prepare_out(out: Path, overwrite: bool) -> None:
    """Create `out`; refuse to mix with an existing workspace unless `overwrite` (then remove only its files)."""
    existing = [out / name for name in WORKSPACE_ENTRIES if (out / name).exists()]
    if existing and not overwrite:
        raise SystemExit(f"{out} already holds a workspace ({existing[0].name}); pass --overwrite to replace it")
    for path in existing:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate(opts: Options) -> dict[str, int]:
    """Write the whole workspace under `opts.out`; returns rows (or files) written per file name."""
    profiles, _csms, executives = draw_profiles(opts.accounts, opts.seed, opts.as_of)
    mondays = usage_mondays(opts.as_of, opts.weeks)
    opts.out.mkdir(parents=True, exist_ok=True)
    writer = WorkspaceWriter(opts.out)
    try:
        for profile in profiles:
            write_account(writer, profile, opts, executives[profile.index % len(executives)], mondays)
    finally:
        writer.close()
    write_labels(opts.out / LABELS_FILE, profiles)
    return {**writer.counts, "docs": write_workspace_docs(opts.out, opts.docs_from)}


def write_labels(path: Path, profiles: Sequence[AccountProfile]) -> None:
    """Each account's archetype, so benchmarks can score flags and verdicts against the story told."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("account_id", "archetype"))
        writer.writerows((p.account_id, p.archetype.value) for p in profiles)


def disk_bytes(out: Path) -> int:
    return sum(f.stat().st_size for f in out.rglob("*") if f.is_file())


def parse_args(argv: Sequence[str] | None) -> tuple[Options, bool]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, required=True, help="number of accounts")
    parser.add_argument("--out", type=Path, required=True, help="workspace folder to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF, help="ISO date, default %(default)s")
    parser.add_argument("--weeks", type=int, default=26, help="weeks of usage rows before as-of")
    parser.add_argument("--docs-from", default=DEFAULT_DOCS, help="docs folder to copy; generated if missing")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing workspace in --out")
    args = parser.parse_args(argv)
    if args.accounts < 1 or args.weeks < 1:
        parser.error("--accounts and --weeks must be at least 1")
    return Options(args.accounts, args.out, args.seed, args.as_of, args.weeks, args.docs_from), args.overwrite


def main(argv: Sequence[str] | None = None) -> int:
    opts, overwrite = parse_args(argv)
    prepare_out(opts.out, overwrite)
    started = time.perf_counter()
    counts = generate(opts)
    elapsed = time.perf_counter() - started
    rows = sum(n for name, n in counts.items() if name not in ("success_plans", "docs"))
    detail = ", ".join(f"{name.split('.')[0]} {n:,}" for name, n in counts.items())
    print(f"wrote {rows:,} rows ({detail}) to {opts.out}: {disk_bytes(opts.out) / 1e6:.1f} MB in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
