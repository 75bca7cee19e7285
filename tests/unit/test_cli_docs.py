"""The project documents its own CLI: docs/cli.md names every command and option, and the README links
only inside the repository (issue 10: it pointed at spec files outside it)."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from integrations.cli import app

REPO = Path(__file__).resolve().parents[2]


def test_cli_reference_names_every_command_and_option() -> None:
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    group = get_command(app)
    missing = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if f"advocate {name}" not in text:
            missing.append(f"command `advocate {name}`")
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("-") and opt != "--help" and opt not in text:
                    missing.append(f"option {opt} of `advocate {name}`")
    for opt in ("--version", "--debug", "ADVOCATE_TIMEZONE", "conversation_id"):
        if opt not in text:
            missing.append(opt)
    assert not missing, f"docs/cli.md does not mention: {', '.join(missing)}"


def test_readme_links_stay_inside_the_repository() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "../" not in readme and "shared/spec" not in readme
    for target in re.findall(r"\]\(([^)#]+)", readme):
        assert not target.startswith(("/", "..")), target
    for doc in ("docs/cli.md", "docs/workspace-format.md", "docs/judgements.md", "docs/benchmarks.md"):
        assert f"]({doc})" in readme, doc
    assert (REPO / "docs" / "cli.md").is_file()
