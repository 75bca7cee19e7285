"""An HTTP app over a private copy of the ingested demo workspace (tests here write keys and requests)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

LINK_HOST = "help.fieldloop.example"


@pytest.fixture(scope="session")
def http_data_dir(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("http") / "data"
    shutil.copytree(demo_data_dir, target)
    return target


def make_app(data_dir: Path, **overrides: Any) -> tuple[Any, Any]:
    from integrations.http.app import create_app
    from integrations.settings import Settings
    from integrations.wiring import Services

    settings = Settings(data_dir=data_dir, http_link_hosts=[LINK_HOST], **overrides)
    services = Services(settings)
    return create_app(services, settings), services


@pytest.fixture(scope="session")
def http_app(http_data_dir: Path) -> tuple[Any, Any]:
    return make_app(http_data_dir, http_rate_per_minute=100_000, http_rate_burst=100_000)


@pytest.fixture(scope="session")
def client(http_app: tuple[Any, Any]) -> TestClient:
    return TestClient(http_app[0])


@pytest.fixture(scope="session")
def api_key(http_app: tuple[Any, Any]) -> Callable[..., dict[str, str]]:
    """`api_key("csm", "dana@…")` → an Authorization header with a fresh key."""
    from integrations.http.keystore import KeyStore

    store = KeyStore(http_app[1].store.engine)

    def make(role: str, user: str = "dana@fieldloop.example") -> dict[str, str]:
        return {"Authorization": f"Bearer {store.create(role, user)[1]}"}

    return make


@pytest.fixture(scope="session")
def widget(http_app: tuple[Any, Any]) -> Callable[..., dict[str, str]]:
    """`widget("globex")` → an Authorization header with a fresh widget token for that customer."""
    from integrations.http.tokens import issue_widget_token

    def make(account: str, ttl_s: int = 600) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_widget_token(http_app[1].settings, account, ttl_s)}"}

    return make
