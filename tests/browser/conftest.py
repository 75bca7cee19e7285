"""A real uvicorn on loopback serving the app over a copy of the demo data, and headless Chromium.

Debian's /usr/bin/chromium driven by Playwright (no browser download). Without it the tests are
skipped, except under CI (.ci/run installs it and sets ADVOCATE_REQUIRE_BROWSER).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
LINK_HOST = "help.fieldloop.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    base: str
    services: Any
    host_origin: str  # a second origin allowed to embed the widget


class Quiet(threading.Thread):
    def __init__(self, server: Any) -> None:
        super().__init__(daemon=True)
        self.server = server

    def run(self) -> None:
        self.server.run()


@pytest.fixture(scope="session")
def live_server(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    import uvicorn

    from integrations.http.app import create_app
    from integrations.settings import Settings
    from integrations.wiring import Services

    data_dir = tmp_path_factory.mktemp("browser") / "data"
    shutil.copytree(demo_data_dir, data_dir)
    host_origin = f"http://127.0.0.1:{free_port()}"
    settings = Settings(data_dir=data_dir, http_link_hosts=[LINK_HOST], http_frame_ancestors=[host_origin])
    services = Services(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(services, settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = Quiet(server)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield LiveServer(f"http://127.0.0.1:{port}", services, host_origin)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")  # Playwright's sync API keeps an event loop running until it stops
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("ADVOCATE_REQUIRE_BROWSER"):  # set by .ci/run: CI must run the browser tests
            pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 760, "height": 900})
    # the docs site is not reachable here: answer its pages locally, so a clicked citation lands somewhere
    context.route(f"https://{LINK_HOST}/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>FieldLoop help</title><h1>Doc</h1>"))
    page = context.new_page()
    yield page
    context.close()


def widget_token(server: LiveServer, account: str) -> str:
    from integrations.http.tokens import issue_widget_token

    return issue_widget_token(server.services.settings, account, 600)
