"""`advocate ask` end to end with a model configured (ADVOCATE_LLM_BASE_URL → the local stub server):
the composition root wires the real ChatOpenAI engine, and a failing model degrades to offline."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accounts.models import Visibility
from integrations.settings import Settings
from integrations.wiring import Services
from tests.conftest import DEMO_AS_OF, CliResult
from tests.integration.openai_stub import OpenAIStub, Reply


def ask(run_cli: Callable[..., CliResult], data_dir: Path, *args: str) -> dict[str, Any]:
    result = run_cli("ask", *args, "--as-of", DEMO_AS_OF, "--json", "--data-dir", str(data_dir))
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_ask_uses_the_configured_model(
    demo_data_dir: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    with OpenAIStub() as stub:
        stub.enqueue(
            Reply.tool("search_workspace", query="sync conflict on phones"),
            Reply(text="Open the job on the dispatch board and resolve the conflict [1]."),
        )
        monkeypatch.setenv("ADVOCATE_LLM_BASE_URL", stub.base_url)
        monkeypatch.setenv("ADVOCATE_LLM_TIMEOUT_S", "5")
        out = ask(run_cli, demo_data_dir, "How do I fix a sync conflict?", "--as", "customer", "--account", "globex")
        assert (out["mode"], out["degraded"]) == ("llm", False)
        assert "resolve the conflict" in str(out["answer"])
        assert len(stub.requests) == 2
        sent = json.dumps(stub.requests)
        book = Services(Settings(data_dir=demo_data_dir)).store.load_book(include_docs=False)
        for other in book.all_records():
            for activity in other.activities:
                if other.account_id != "globex" or activity.visibility is Visibility.INTERNAL:
                    assert f'id=\\"{activity.id}\\"' not in sent, activity.id  # never shown to the model
        assert 'id=\\"docs/mobile/sync-conflicts.md\\"' in sent  # the pattern above is the real wire format
        assert all(c["source"] in ("docs", "tickets", "activities", "success_plans") for c in out["citations"])


def test_ask_degrades_when_the_model_fails(
    demo_data_dir: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    with OpenAIStub() as stub:
        stub.answer_always(Reply.error(500))
        monkeypatch.setenv("ADVOCATE_LLM_BASE_URL", stub.base_url)
        monkeypatch.setenv("ADVOCATE_LLM_MAX_RETRIES", "0")
        out = ask(run_cli, demo_data_dir, "How is Globex doing and what should I do next?")
        assert (out["mode"], out["degraded"]) == ("offline", True)
        assert "t-68" in json.dumps(out["citations"])
