"""Docs as real documentation exports write them: front matter only behind a first line of exactly `---`."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.errors import WorkspaceError
from accounts.workspace import parse_doc, read_workspace
from tests.fixtures.tiny_workspace import write_tiny_workspace


@pytest.mark.parametrize(
    "text",
    [
        "--------\n# Release notes\n\nBody text.\n",
        "----\n\n# Release notes\n\nBody text.\n\n----\n\nMore.\n",
        "---- Release notes ----\n# Release notes\n",
    ],
)
def test_markdown_rule_first_is_a_doc_not_front_matter(text: str) -> None:
    doc = parse_doc(text, "docs/notes.md")
    assert doc.title == "Release notes" and doc.body == text and doc.extra == {}


def test_front_matter_behind_exact_dashes() -> None:
    doc = parse_doc("---\ntitle: SSO\nowner: docs-team\n---\n# Heading\n\nBody.\n", "docs/sso.md")
    assert (doc.title, doc.body, doc.extra) == ("SSO", "# Heading\n\nBody.\n", {"owner": "docs-team"})
    crlf = parse_doc("---\r\ntitle: SSO\r\n---\r\nBody.\r\n", "docs/sso.md")
    assert crlf.title == "SSO" and crlf.body.strip() == "Body."


def test_a_longer_rule_does_not_close_front_matter() -> None:
    doc = parse_doc("---\ntitle: SSO\n...\n--------\nBody.\n", "docs/sso.md")
    assert doc.title == "SSO" and doc.body == "--------\nBody.\n"
    with pytest.raises(WorkspaceError, match="never closed") as caught:
        parse_doc("---\ntitle: SSO\n--------\nBody.\n", "docs/sso.md")
    assert (caught.value.path, caught.value.line) == ("docs/sso.md", 1)


def test_workspace_with_a_rule_first_doc_ingests(tmp_path: Path) -> None:
    release = "--------\n# Release 4.2\n\nNew dispatch board.\n"
    root = write_tiny_workspace(tmp_path / "ws", {"docs/release.md": release})
    docs = {d.path: d for d in read_workspace(root).docs}
    assert docs["docs/release.md"].title == "Release 4.2"
