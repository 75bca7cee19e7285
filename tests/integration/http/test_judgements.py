"""Health, advocacy check, portfolio and search over HTTP: contract shapes, who may call, errors."""

from __future__ import annotations

from tests.conftest import DEMO_AS_OF


def test_health_is_the_cli_contract_for_staff_only(client, api_key, widget) -> None:
    r = client.get(f"/v1/accounts/globex/health?as_of={DEMO_AS_OF}", headers=api_key("csm"))
    assert r.status_code == 200
    body = r.json()
    assert {"account_id", "as_of", "score", "band", "trend", "components", "flags", "next_actions"} <= set(body)
    assert body["account_id"] == "globex" and body["as_of"] == DEMO_AS_OF
    forbidden = client.get("/v1/accounts/globex/health", headers=widget("globex"))
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"


def test_unknown_account_is_404_naming_the_closest(client, api_key) -> None:
    r = client.get("/v1/accounts/globx/health", headers=api_key("manager"))
    assert r.status_code == 404
    assert r.json()["error"] == {"code": "unknown_account", "message": "unknown account 'globx'; closest: globex"}


def test_advocacy_check(client, api_key, widget) -> None:
    h = api_key("csm")
    r = client.get(f"/v1/accounts/stark/advocacy-check?as_of={DEMO_AS_OF}&kind=case_study", headers=h)
    assert r.status_code == 200
    assert r.json()["verdict"] in {"ready", "not_yet", "not_now"} and "balance" in r.json()
    assert client.get("/v1/accounts/stark/advocacy-check?kind=bribe", headers=h).status_code == 422
    assert client.get("/v1/accounts/stark/advocacy-check?as_of=2026-13-01", headers=h).status_code == 422
    assert client.get("/v1/accounts/stark/advocacy-check", headers=widget("stark")).status_code == 403


def test_portfolio_whole_and_mine(client, api_key, widget) -> None:
    h = api_key("manager", "lee@fieldloop.example")
    whole = client.get(f"/v1/portfolio?as_of={DEMO_AS_OF}", headers=h).json()
    mine = client.get(f"/v1/portfolio?as_of={DEMO_AS_OF}&csm=me", headers=h).json()
    assert whole["accounts"] == 16 and 0 < mine["accounts"] < 16
    assert client.get("/v1/portfolio", headers=widget("globex")).status_code == 403


def test_search_keeps_a_customer_in_its_scope(client, widget, api_key) -> None:
    staff = client.get("/v1/search?q=globex+renewal+risk&k=20", headers=api_key("csm")).json()["results"]
    assert any(r["visibility"] == "internal" for r in staff)  # the query does reach internal notes for staff
    for params in ("q=globex+renewal+risk&k=20", "q=globex+renewal+risk&k=20&account=globex"):
        results = client.get(f"/v1/search?{params}", headers=widget("initech")).json()["results"]
        assert results, params
        assert all(r["account_id"] in (None, "initech") for r in results)
        assert all(r["visibility"] in ("public", "customer") for r in results)


def test_search_errors(client, api_key) -> None:
    h = api_key("csm")
    assert client.get("/v1/search?q=x&k=0", headers=h).status_code == 422
    assert client.get("/v1/search", headers=h).status_code == 422
    assert client.get("/v1/search?q=x&account=nope", headers=h).status_code == 404
    top = client.get("/v1/search?q=sync+conflict&k=3", headers=h).json()["results"]
    assert len(top) == 3 and {"id", "source", "path", "account_id", "title", "score", "snippet"} <= set(top[0])
