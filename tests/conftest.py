"""Shared fixtures: running the real CLI entry point in-process, and tiny workspaces."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.tiny_workspace import write_tiny_workspace

REPO = Path(__file__).resolve().parents[1]
DEMO_WORKSPACE = REPO / "examples" / "demo-workspace"
DEMO_AS_OF = "2026-11-16"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Runs `advocate ARGS` through the real entry point (exit-code mapping included), in-process."""
    from integrations.cli import main

    def run(*args: str) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["advocate", *args])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def tiny_workspace(tmp_path: Path) -> Path:
    return write_tiny_workspace(tmp_path / "workspace")


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace ingested once per test session (real embedder, SQLite, embedded Chroma)."""
    from integrations.settings import Settings
    from integrations.wiring import Services

    data_dir = tmp_path_factory.mktemp("demo-data")
    Services(Settings(data_dir=data_dir)).ingestor().ingest(DEMO_WORKSPACE)
    return data_dir


@pytest.fixture(scope="session")
def demo_services(demo_data_dir: Path) -> Any:
    """Services over the ingested demo workspace (shared: treat as read-only)."""
    from integrations.settings import Settings
    from integrations.wiring import Services

    return Services(Settings(data_dir=demo_data_dir))
