"""Nothing outside the workspace folder is ever read: symlinks (files and folders) that resolve
outside are refused by name, loops are refused, FIFOs never block, links that stay inside work."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from accounts.errors import WorkspaceError
from accounts.workspace import read_workspace
from tests.conftest import CliResult
from tests.fixtures.tiny_workspace import FILES, write_tiny_workspace

CANARY = "CANARY-outside-the-workspace-7731"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the workspace holding files that look valid and carry a canary."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(f"# Secret\n\n{CANARY}\n")
    (folder / "acme.yaml").write_text(f"account_id: acme\nobjectives:\n  - id: o\n    title: {CANARY}\n")
    (folder / "accounts.csv").write_text(FILES["accounts.csv"].replace("Acme Corp", CANARY))
    (folder / "contacts.csv").write_text(FILES["contacts.csv"].replace("Ann Lee", CANARY))
    return folder


def refused(root: Path) -> WorkspaceError:
    with pytest.raises(WorkspaceError) as caught:
        read_workspace(root)
    assert CANARY not in str(caught.value)
    return caught.value


@pytest.mark.parametrize(
    "link, target",
    [
        ("docs/passwd.md", "secret.md"),
        ("docs/guides/deep.md", "secret.md"),
        ("docs/external", "."),
        ("success_plans/acme.yaml", "acme.yaml"),
        ("accounts.csv", "accounts.csv"),
        ("contacts.csv", "contacts.csv"),
    ],
)
def test_symlink_resolving_outside_is_refused(tmp_path: Path, outside: Path, link: str, target: str) -> None:
    overrides: dict[str, str | bytes | None] = {link: None}
    if link.startswith("success_plans/"):
        overrides["success_plans/acme.yaml"] = None
    root = write_tiny_workspace(tmp_path / "ws", overrides)
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(outside / target)
    err = refused(root)
    assert err.path == link and "outside the workspace" in err.message


def test_relative_traversal_and_system_files_are_refused(tmp_path: Path, outside: Path) -> None:
    root = write_tiny_workspace(tmp_path / "ws")
    (root / "docs" / "up.md").symlink_to(Path("..", "..", "outside", "secret.md"))
    assert refused(root).path == "docs/up.md"
    (root / "docs" / "up.md").unlink()
    (root / "docs" / "passwd.md").symlink_to("/etc/passwd")
    assert refused(root).path == "docs/passwd.md"


def test_whole_docs_or_plans_folder_linked_outside(tmp_path: Path, outside: Path) -> None:
    root = write_tiny_workspace(tmp_path / "ws", {"docs/mobile/sync-conflicts.md": None, "docs/sso-setup.md": None})
    (root / "docs").symlink_to(outside)
    assert refused(root).path == "docs"
    (root / "success_plans" / "acme.yaml").unlink()
    (root / "success_plans").rmdir()
    (root / "docs").unlink()
    (root / "success_plans").symlink_to(outside)
    assert refused(root).path == "success_plans"


def test_links_inside_the_workspace_are_followed(tmp_path: Path) -> None:
    root = write_tiny_workspace(tmp_path / "ws", {"extra/faq.md": "# FAQ\n\nInside the workspace.\n"})
    (root / "docs" / "alias.md").symlink_to(Path("sso-setup.md"))
    (root / "docs" / "more").symlink_to(Path("..", "extra"))
    docs = {d.path: d for d in read_workspace(root).docs}
    assert docs["docs/alias.md"].body == docs["docs/sso-setup.md"].body
    assert docs["docs/more/faq.md"].title == "FAQ"


def test_symlink_loops_are_refused(tmp_path: Path) -> None:
    root = write_tiny_workspace(tmp_path / "ws")
    (root / "docs" / "mobile" / "again").symlink_to(Path(".."))
    err = refused(root)
    assert err.path == "docs/mobile/again" and "loop" in err.message
    (root / "docs" / "mobile" / "again").unlink()
    (root / "docs" / "self.md").symlink_to(Path("self.md"))
    err = refused(root)
    assert err.path == "docs/self.md" and "loop" in err.message


def test_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    root = write_tiny_workspace(tmp_path / "ws")
    os.mkfifo(root / "docs" / "pipe.md")
    err = refused(root)
    assert err.path == "docs/pipe.md" and "not a regular file" in err.message


def test_cli_exit_2_names_the_link_and_stores_nothing(
    tmp_path: Path, outside: Path, run_cli: Callable[..., CliResult]
) -> None:
    root = write_tiny_workspace(tmp_path / "ws")
    (root / "docs" / "passwd.md").symlink_to(outside / "secret.md")
    data = tmp_path / "data"
    result = run_cli("ingest", str(root), "--data-dir", str(data))
    assert result.code == 2 and "docs/passwd.md" in result.err and "Traceback" not in result.err
    assert CANARY not in result.out + result.err
    stored = [f for f in data.rglob("*") if f.is_file()] if data.exists() else []
    assert not [f for f in stored if CANARY.encode() in f.read_bytes()]
