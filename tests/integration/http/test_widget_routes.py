"""The widget's routes: its config, and "talk to my CSM" reaching the CSM's next answer."""

from __future__ import annotations

PROMISES = "What have you promised us, and what have we asked for?"


def test_widget_config_is_for_customers(client, widget, api_key) -> None:
    config = client.get("/v1/widget/config", headers=widget("globex")).json()
    assert config["account_name"] == "Globex Logistics" and config["suggested_questions"]
    assert config["link_hosts"] == ["help.fieldloop.example"]
    assert client.get("/v1/widget/config", headers=api_key("csm")).status_code == 403


def test_talk_to_my_csm_reaches_the_csms_next_answer_and_only_that_account(client, widget, api_key) -> None:
    r = client.post("/v1/csm-requests", headers=widget("initech"), json={"message": "Help with the HVAC rollout plan"})
    assert r.status_code == 201 and r.json()["account_id"] == "initech" and r.json()["status"] == "open"
    answer = client.post("/v1/chat", headers=api_key("csm"),
                         json={"message": "How is Initech doing and what should I do next?"}).json()
    assert "Help with the HVAC rollout plan" in answer["answer"]
    assert r.json()["id"] in [c["id"] for c in answer["citations"]]
    # the customer sees its own request (customer-visible); another customer never does
    own = client.post("/v1/chat", headers=widget("initech"), json={"message": PROMISES}).json()
    assert "HVAC rollout plan" in own["answer"]
    other = client.post("/v1/chat", headers=widget("globex"), json={"message": PROMISES}).json()
    assert "HVAC rollout plan" not in other["answer"]


def test_talk_to_my_csm_is_for_customers_and_bounded(client, widget, api_key) -> None:
    assert client.post("/v1/csm-requests", headers=api_key("csm"), json={"message": "hi"}).status_code == 403
    assert client.post("/v1/csm-requests", headers=widget("globex"), json={"message": "x" * 2001}).status_code == 422
    unknown = client.post("/v1/csm-requests", headers=widget("no-such-account"), json={})
    assert unknown.status_code == 404
