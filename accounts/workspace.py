"""Reading and validating a workspace folder (spec: workspace-format.md) into an AccountBook.

The whole workspace is read and checked before anything is stored, so an ingest either sees a
valid book or fails with one WorkspaceError naming the file, the line and the problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accounts.book import AccountBook
from accounts.errors import WorkspaceError
from accounts.models import (
    Account,
    Activity,
    AdvocacyDirection,
    AdvocacyEvent,
    AskKind,
    Contact,
    Doc,
    GiveKind,
    Record,
    SuccessPlan,
    SurveyResponse,
    Ticket,
    UsageRecord,
)
from accounts.parsing import RowError, build_record
from accounts.validators import identity_key
from accounts.workspace_files import WorkspaceFiles
from accounts.workspace_rows import decode_text, iter_csv_rows, iter_jsonl_rows
from accounts.workspace_yaml import load_yaml

DEFAULT_MAX_DOC_BYTES = 5 * 1024 * 1024
MAX_FILE_BYTES = 256 * 1024 * 1024  # any one CSV, JSONL or YAML file: bounds memory, far above real exports
MAX_PLAN_BYTES = 1024 * 1024  # one account's success plan
CSV_FILES: dict[str, tuple[type[Record], str]] = {
    "contacts.csv": (Contact, "contact_id"),
    "tickets.csv": (Ticket, "ticket_id"),
    "usage.csv": (UsageRecord, ""),
    "surveys.csv": (SurveyResponse, "response_id"),
}
JSONL_FILES: dict[str, type[Record]] = {"activities.jsonl": Activity, "advocacy.jsonl": AdvocacyEvent}


def read_text(path: Path, rel: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The decoded text of a checked, real path (see WorkspaceFiles)."""
    return decode_text(WorkspaceFiles.read_bytes(path, rel, max_bytes), rel)


class WorkspaceReader:
    """Reads one workspace folder; `read()` returns the book or raises WorkspaceError."""

    def __init__(self, root: Path, *, max_doc_bytes: int = DEFAULT_MAX_DOC_BYTES) -> None:
        self.root = root
        self.files = WorkspaceFiles(root)
        self.max_doc_bytes = max_doc_bytes
        self.account_ids: set[str] = set()

    def read(self) -> AccountBook:
        if not self.root.exists():
            raise WorkspaceError(str(self.root), None, "no such folder")
        if not self.root.is_dir():
            raise WorkspaceError(str(self.root), None, "not a folder (a workspace is a folder)")
        if self.files.file("accounts.csv") is None:
            raise WorkspaceError(
                str(self.root / "accounts.csv"), None, "missing: a workspace needs accounts.csv"
            )
        accounts = self._read_table("accounts.csv", Account, "account_id", iter_csv_rows, check_account=False)
        self.account_ids = {a.account_id for a in accounts}  # type: ignore[attr-defined]
        tables: dict[str, list[Any]] = {}
        for name, (model, id_field) in CSV_FILES.items():
            tables[name] = self._read_table(name, model, id_field, iter_csv_rows)
        for name, model in JSONL_FILES.items():
            tables[name] = self._read_table(name, model, "id", iter_jsonl_rows)
        return AccountBook.build(
            accounts,  # type: ignore[arg-type]
            contacts=tables["contacts.csv"],
            tickets=tables["tickets.csv"],
            usage=tables["usage.csv"],
            surveys=tables["surveys.csv"],
            activities=tables["activities.jsonl"],
            advocacy=tables["advocacy.jsonl"],
            success_plans=self._read_success_plans(),
            docs=self._read_docs(),
        )

    def _read_table(
        self, name: str, model: type[Record], id_field: str, rows: Any, *, check_account: bool = True
    ) -> list[Record]:
        path = self.files.file(name)
        if path is None:
            return []
        records: list[Record] = []
        first_seen: dict[str, tuple[int, str]] = {}  # identity → (line, id as written)
        for number, raw in rows(read_text(path, name), name):
            try:
                record = build_record(model, raw)
                if isinstance(record, AdvocacyEvent):
                    check_advocacy_kind(record)
            except RowError as err:
                raise WorkspaceError(name, number, str(err)) from None
            if check_account:
                self._check_account(name, number, record.account_id)  # type: ignore[attr-defined]
            shown = str(getattr(record, "record_id", ""))
            key = identity_key(shown) if model is Account else shown  # `Contoso` and `contoso`: one account
            if id_field or model is UsageRecord:
                if key in first_seen:
                    line, first = first_seen[key]
                    alike = "" if first == shown else f" as {first!r}: account ids ignore case and look-alike forms"
                    raise WorkspaceError(name, number, f"duplicate id {shown!r} (first at line {line}{alike})")
                first_seen[key] = (number, shown)
            records.append(record)
        return records

    def _check_account(self, rel: str, line: int | None, account_id: str) -> None:
        if account_id not in self.account_ids:
            raise WorkspaceError(rel, line, f"unknown account {account_id!r} (not in accounts.csv)")

    def _read_success_plans(self) -> list[SuccessPlan]:
        plans: dict[str, SuccessPlan] = {}
        for rel, path in self.files.walk("success_plans", (".yaml", ".yml"), recursive=False):
            raw = load_yaml(read_text(path, rel, MAX_PLAN_BYTES), rel)
            if not isinstance(raw, dict):
                raise WorkspaceError(rel, 1, "expected a mapping with account_id and objectives")
            try:
                plan = build_record(SuccessPlan, {**raw, "path": rel})
            except RowError as err:
                raise WorkspaceError(rel, None, str(err)) from None
            self._check_account(rel, None, plan.account_id)
            if plan.account_id in plans:
                other = plans[plan.account_id].path
                raise WorkspaceError(rel, None, f"duplicate success plan for {plan.account_id!r} (also {other})")
            plans[plan.account_id] = plan
        return list(plans.values())

    def _read_docs(self) -> list[Doc]:
        docs = []
        for rel, path in self.files.walk("docs", (".md",)):
            data = WorkspaceFiles.read_bytes(path, rel, self.max_doc_bytes, what="doc")
            docs.append(parse_doc(decode_text(data, rel), rel))
        return docs


FRONT_MATTER_OPEN = "---"
FRONT_MATTER_CLOSE = ("---", "...")


def split_front_matter(text: str, rel: str) -> tuple[str, str] | None:
    """(YAML, body) when the first line is exactly `---` (a Markdown rule `--------` is not front matter)."""
    first, _, rest = text.partition("\n")
    if first.rstrip() != FRONT_MATTER_OPEN:
        return None
    offset = 0
    for line in rest.split("\n"):
        if line.rstrip() in FRONT_MATTER_CLOSE:
            return rest[:offset], rest[offset + len(line) + 1 :]
        offset += len(line) + 1
    raise WorkspaceError(rel, 1, "front matter opened with a line of --- but never closed by another")


def parse_doc(text: str, rel: str) -> Doc:
    """A Markdown page with optional YAML front matter; the title falls back to the first heading."""
    meta: dict[str, Any] = {}
    body = text
    parts = split_front_matter(text, rel)
    if parts is not None:
        yaml_text, body = parts
        loaded = load_yaml(yaml_text, rel, first_line=2, what="front matter")
        if loaded is not None and not isinstance(loaded, dict):
            raise WorkspaceError(rel, 2, "front matter must be a mapping")
        meta = loaded or {}
        body = body.lstrip("\n")
    title = str(meta.pop("title", "") or first_heading(body) or Path(rel).stem.replace("-", " ").title())
    known = {k: str(meta.pop(k)) for k in ("url", "product_area") if k in meta}
    return Doc(path=rel, title=title, body=body, extra={k: str(v) for k, v in meta.items()}, **known)


def first_heading(markdown: str) -> str:
    for line in markdown.split("\n"):
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def check_advocacy_kind(event: AdvocacyEvent) -> None:
    """A give's kind must be a GiveKind and an ask's an AskKind."""
    allowed = GiveKind if event.direction is AdvocacyDirection.GIVE else AskKind
    if event.kind not in {k.value for k in allowed}:
        choices = ", ".join(k.value for k in allowed)
        raise RowError(f"field kind: {event.kind!r} is not a kind of {event.direction} ({choices})")


def read_workspace(path: str | Path, *, max_doc_bytes: int = DEFAULT_MAX_DOC_BYTES) -> AccountBook:
    """Read and validate a whole workspace folder."""
    return WorkspaceReader(Path(path), max_doc_bytes=max_doc_bytes).read()
