"""/v1/chat (JSON and server-sent events), conversations bound to credentials, /v1/feedback."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import DEMO_AS_OF

ASK_KEYS = {"answer", "citations", "tools", "mode", "degraded", "conversation_id"}


def sse_events(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_chat_json_is_the_ask_contract_with_doc_links(client, widget) -> None:
    r = client.post("/v1/chat", headers=widget("globex"),
                    json={"message": "How do I fix a sync conflict?", "as_of": DEMO_AS_OF})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= ASK_KEYS and body["mode"] == "offline" and body["conversation_id"]
    docs = [c for c in body["citations"] if c["source"] == "docs"]
    assert docs and docs[0]["url"] == "https://help.fieldloop.example/mobile/sync-conflicts"
    assert all(c["url"] is None for c in body["citations"] if c["source"] != "docs")


def test_chat_streams_server_sent_events_that_add_up_to_the_answer(client, widget) -> None:
    headers = {**widget("globex"), "Accept": "text/event-stream"}
    r = client.post("/v1/chat", headers=headers, json={"message": "Where are we on our success plan?",
                                                       "as_of": DEMO_AS_OF})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r.text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-1] == "done" and names.count("delta") >= 2
    done = events[-1][1]
    assert "".join(data["text"] for name, data in events if name == "delta") == done["answer"]
    assert set(done) >= ASK_KEYS and done["citations"]


def test_a_conversation_continues_for_its_credential_only(client, widget, api_key) -> None:
    mine = widget("globex")
    first = client.post("/v1/chat", headers=mine, json={"message": "Which of our tickets are open?",
                                                        "as_of": DEMO_AS_OF}).json()
    cid = first["conversation_id"]
    again = client.post("/v1/chat", headers=mine, json={"message": "and the success plan?", "conversation_id": cid,
                                                        "as_of": DEMO_AS_OF})
    assert again.status_code == 200 and again.json()["conversation_id"] == cid
    # the same customer with another token (another visitor), another customer, vendor staff: all refused
    for other in (widget("globex"), widget("initech"), api_key("manager")):
        r = client.post("/v1/chat", headers=other, json={"message": "what did I ask?", "conversation_id": cid})
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        assert cid not in r.text
    # an id never issued gets the very same refusal: a refusal does not confirm that an id exists
    never = client.post("/v1/chat", headers=widget("initech"), json={"message": "what did I ask?",
                                                                     "conversation_id": "0" * 32})
    assert (never.status_code, never.json()) == (r.status_code, r.json())


def test_chat_bad_bodies_are_422_json(client, widget) -> None:
    h = widget("globex")
    for body in ({"message": ""}, {"message": "hi", "as_of": "yesterday"}, {"message": "hi", "role": "csm"},
                 {"message": "x" * 2001}, {"message": "hi", "conversation_id": "a b"}, {}):
        r = client.post("/v1/chat", headers=h, json=body)
        assert r.status_code == 422, body
        assert set(r.json()["error"]) == {"code", "message"}
    r = client.post("/v1/chat", headers={**h, "Content-Type": "application/json"}, content=b"{not json")
    assert r.status_code == 422


def test_feedback_only_on_your_own_conversation(client, widget) -> None:
    mine = widget("globex")
    cid = client.post("/v1/chat", headers=mine, json={"message": "Where are we on our success plan?"}).json()[
        "conversation_id"]
    r = client.post("/v1/feedback", headers=mine, json={"conversation_id": cid, "rating": "up", "comment": "clear"})
    assert r.status_code == 201 and r.json()["rating"] == "up"
    assert client.post("/v1/feedback", headers=widget("globex"),
                       json={"conversation_id": cid, "rating": "down"}).status_code == 403
    unknown = client.post("/v1/feedback", headers=mine, json={"conversation_id": "nope", "rating": "up"})
    assert unknown.status_code == 403
    assert client.post("/v1/feedback", headers=mine, json={"conversation_id": cid, "rating": "meh"}).status_code == 422


def test_vendor_staff_chat_about_any_account(client, api_key) -> None:
    r = client.post("/v1/chat", headers=api_key("csm"), json={"message": "How is Globex doing?", "as_of": DEMO_AS_OF})
    assert r.status_code == 200
    assert {t["name"] for t in r.json()["tools"]} >= {"health"}
