"""A small planted workspace (canaries in every account, injected instructions), ingested once.

The fast subset of `python -m bench.security`: the same probes, fewer of them. Tests marked
`xfail(strict=True)` measure a weakness another branch fixes; flip them when it is merged.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bench.security.workspace import PlantedWorkspace, build_planted

AS_OF = dt.date(2026, 11, 16)


@pytest.fixture(scope="session")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[PlantedWorkspace, Any]:
    """(workspace, services): two accounts, one doc, 24 injected records; real embedder, SQLite, Chroma."""
    from integrations.settings import Settings
    from integrations.wiring import Services

    root = tmp_path_factory.mktemp("security")
    ws = build_planted(root / "workspace", accounts=("globex", "acme"), docs=1)
    services = Services(Settings(data_dir=root / "data"))
    services.ingestor().ingest(ws.path)
    return ws, services


@pytest.fixture(scope="session")
def planted_data_dir(planted: tuple[PlantedWorkspace, Any]) -> Path:
    return Path(planted[1].settings.data_dir)
