"""/v1/chat with a model configured: the real ChatOpenAI engine against the local OpenAI stub, streamed."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import DEMO_AS_OF
from tests.integration.http.conftest import make_app
from tests.integration.http.test_chat import sse_events
from tests.integration.openai_stub import OpenAIStub, Reply


def test_chat_streams_the_models_answer(http_data_dir: Path, widget) -> None:
    with OpenAIStub() as stub:
        stub.enqueue(Reply.tool("search_workspace", query="sync conflict on phones"),
                     Reply(text="Open the job on the dispatch board and resolve the conflict [1]."))
        app, _ = make_app(http_data_dir, llm_base_url=stub.base_url, llm_timeout_s=5)
        r = TestClient(app).post("/v1/chat", headers={**widget("globex"), "Accept": "text/event-stream"},
                                 json={"message": "How do I fix a sync conflict?", "as_of": DEMO_AS_OF})
        assert r.status_code == 200
        done = sse_events(r.text)[-1][1]
        assert (done["mode"], done["degraded"]) == ("llm", False)
        assert "resolve the conflict" in done["answer"] and len(stub.requests) == 2
