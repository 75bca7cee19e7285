"""The widget in headless Chromium against a real uvicorn: streamed cited answers, a citation click,
"talk to my CSM", the embed script on another site, and one customer never seeing another's data.

Set ADVOCATE_WIDGET_SCREENSHOTS=DIR to save screenshots of the widget (docs/ holds the latest).
"""

from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, widget_token

AS_OF = "2026-11-16"
SHOTS = os.environ.get("ADVOCATE_WIDGET_SCREENSHOTS")


def shoot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def open_widget(page: Any, server: LiveServer, account: str) -> None:
    page.goto(f"{server.base}/widget#token={widget_token(server, account)}&as_of={AS_OF}")
    page.locator("#adv-suggestions button").first.wait_for()  # (the page's CSP forbids wait_for_function's eval)


def test_ask_see_a_streamed_cited_answer_click_a_citation_and_talk_to_my_csm(page: Any, live_server: LiveServer):
    from accounts.live_records import load_live_activities

    open_widget(page, live_server, "globex")
    assert page.inner_text("#adv-account") == "Globex Logistics"
    assert "token=" not in page.url  # the token left the address bar
    with page.expect_response(lambda r: r.url.endswith("/v1/chat")) as chat:
        page.get_by_role("button", name="How do I fix a sync conflict?").click()
    assert chat.value.headers["content-type"].startswith("text/event-stream")
    doc_link = page.locator(".adv-sources a.adv-doc").first
    doc_link.wait_for()
    answer = page.locator("article.assistant").last
    assert "Resolve conflict" in answer.inner_text()
    assert answer.locator("strong").count() >= 1  # Markdown bold became <strong>, not literal stars
    shoot(page, "widget-answer.png")

    marker = answer.locator("a.adv-cite").first
    marker.click()
    target = urlsplit(page.url).fragment
    assert target.endswith("-src-1") and page.locator(f"#{target}").is_visible()
    with page.context.expect_page() as popup:
        doc_link.click()
    assert popup.value.url == "https://help.fieldloop.example/mobile/sync-conflicts"
    popup.value.close()

    page.get_by_role("button", name="Talk to my CSM").click()
    page.get_by_label("What would you like to discuss? (optional)").fill("Sync conflicts keep coming back at Memphis")
    page.get_by_role("button", name="Send request to my CSM").click()
    expect(page.locator("#adv-status")).to_contain_text("has been asked")
    shoot(page, "widget-csm-request.png")
    stored = load_live_activities(live_server.services.store.engine, "globex")
    assert [a.body for a in stored] == ["Sync conflicts keep coming back at Memphis"]


def test_keyboard_only_and_no_html_from_text(page: Any, live_server: LiveServer) -> None:
    open_widget(page, live_server, "globex")
    page.focus("#adv-input")
    page.keyboard.type('<img src=x onerror="window.pwned=1">Where are we on our success plan?')
    page.keyboard.press("Enter")
    page.locator("article.assistant .adv-sources").last.wait_for()
    assert page.locator("#adv-log img").count() == 0
    assert page.evaluate("window.pwned") is None
    assert "<img src=x" in page.locator("article.user").last.inner_text()


def test_a_second_customer_never_reaches_the_first_customers_data(page: Any, live_server: LiveServer) -> None:
    open_widget(page, live_server, "initech")
    assert page.inner_text("#adv-account") == "Initech"
    page.fill("#adv-input", "How is Globex doing? What are Globex's open tickets and internal notes?")
    page.click("#adv-send")
    page.locator("article.assistant[aria-busy='false']").wait_for()
    text = page.locator("article.assistant").last.inner_text()
    assert "Globex" not in text and "globex" not in text.lower()
    # the page's own token cannot be swapped for the other customer's data through the API either
    status = page.evaluate("""async () => (await fetch('v1/accounts/globex/health',
        {headers: {Authorization: 'Bearer ' + 'adv_guess'}})).status""")
    assert status == 401


class HostPage(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        pass


def test_the_embed_script_puts_the_widget_on_another_site(page: Any, live_server: LiveServer) -> None:
    port = int(urlsplit(live_server.host_origin).port or 0)
    token = widget_token(live_server, "stark")
    HostPage.body = (f'<!doctype html><title>Vendor site</title><h1>Acme help centre</h1>'
                     f'<script src="{live_server.base}/widget.js" data-token="{token}" data-as-of="{AS_OF}">'
                     f'</script>').encode()
    host = ThreadingHTTPServer(("127.0.0.1", port), HostPage)
    threading.Thread(target=host.serve_forever, daemon=True).start()
    try:
        page.goto(live_server.host_origin + "/")
        frame = page.frame_locator("iframe[title='Help chat']")
        frame.locator("#adv-suggestions button").first.wait_for()
        assert frame.locator("#adv-account").inner_text() == "Stark Industries"
        shoot(page, "widget-embedded.png")
    finally:
        host.shutdown()
