"""Probes, docs, widget files, limits (413, 429, 503) and the admin ingest."""

from __future__ import annotations


def test_probes_and_docs(client, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from tests.integration.http.conftest import make_app

    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["status"] == "ready"
    empty = TestClient(make_app(tmp_path / "empty")[0])
    r = empty.get("/readyz")
    assert r.status_code == 503 and r.json()["error"]["code"] == "not_ingested"
    assert empty.get("/healthz").status_code == 200
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/v1/chat" in docs.text and "cdn" not in docs.text.lower()
    assert "/v1/accounts/{account_id}/health" in client.get("/openapi.json").json()["paths"]


def test_widget_files_and_their_policy(client) -> None:
    page = client.get("/widget")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert 'src="widget/app.js"' in page.text and "<script>" not in page.text  # no inline script
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "data-token" in client.get("/widget.js").text
    assert not any(sink in client.get("/widget/app.js").text for sink in ("innerHTML", "outerHTML", "eval("))
    assert client.get("/widget/widget.css").status_code == 200
    assert client.get("/widget/secrets.txt").status_code == 404


def test_unknown_route_and_method_are_json(client) -> None:
    assert client.get("/v2/nothing").json()["error"]["code"] == "not_found"
    r = client.get("/v1/chat")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_body_over_the_limit_is_413_with_or_without_length(client, widget) -> None:
    h = widget("globex")
    big = b'{"message": "' + b"x" * 70_000 + b'"}'
    r = client.post("/v1/chat", headers={**h, "Content-Type": "application/json"}, content=big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    chunked = client.post("/v1/chat", headers={**h, "Content-Type": "application/json"},
                          content=iter([big[:40_000], big[40_000:]]))
    assert chunked.status_code == 413


def test_rate_limit_per_credential_with_retry_after(http_data_dir, widget) -> None:
    from fastapi.testclient import TestClient

    from tests.integration.http.conftest import make_app

    client = TestClient(make_app(http_data_dir, http_rate_per_minute=1, http_rate_burst=2)[0])
    first, second = widget("globex"), widget("globex")
    codes = [client.get("/v1/widget/config", headers=first).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    r = client.get("/v1/widget/config", headers=first)
    assert r.json()["error"]["code"] == "rate_limited" and int(r.headers["retry-after"]) >= 1
    assert client.get("/v1/widget/config", headers=second).status_code == 200  # per credential


def test_ingest_is_admin_only_and_keeps_customer_requests(client, api_key, widget) -> None:
    assert client.post("/v1/ingest", headers=api_key("csm")).status_code == 403
    assert client.post("/v1/ingest", headers=widget("globex")).status_code == 403
    request = client.post("/v1/csm-requests", headers=widget("wayne"), json={"message": "Renewal pricing question"})
    assert request.status_code == 201
    request_id = request.json()["id"]
    r = client.post("/v1/ingest", headers=api_key("admin", "ops@fieldloop.example"))
    assert r.status_code == 200, r.text
    assert r.json()["removed"] == 0 and r.json()["chunks_embedded"] >= 1  # the request is now embedded too
    found = client.get("/v1/search?q=renewal+pricing+question+talk+to+CSM&k=10&account=wayne",
                       headers=api_key("csm")).json()["results"]
    assert request_id in [x["id"] for x in found]
    answer = client.post("/v1/chat", headers=api_key("csm"),
                         json={"message": "How is Wayne doing and what should I do next?"}).json()["answer"]
    assert "Customer asked to talk to their CSM: Renewal pricing question" in answer
