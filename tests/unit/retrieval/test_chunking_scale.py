"""Chunking is linear in a doc's size: the text is tokenised about once, not once per candidate slice.

Measured as the characters handed to the tokenizer (a property of the algorithm, not of the machine);
bench/bench_chunking.py has the timings.
"""

from __future__ import annotations

import pytest

from bench.bench_chunking import base64_blob, manual, reference, run_on
from retrieval.chunking import chunk_text
from retrieval.tokens import TokenCounter


class CountingCounter(TokenCounter):
    """A real TokenCounter that also adds up how many characters it was asked to encode."""

    def __init__(self) -> None:
        super().__init__()
        self.encoded_chars = 0

    def encode(self, text: str) -> list[int]:
        self.encoded_chars += len(text)
        return super().encode(text)


@pytest.mark.parametrize("make", [manual, reference, run_on, base64_blob], ids=lambda f: f.__name__)
def test_tokenizer_work_is_linear_in_doc_size(make: object) -> None:
    counter = CountingCounter()
    work = []
    for size in (40_000, 160_000):
        text = make(size, 1)  # type: ignore[operator]
        counter.encoded_chars = 0
        chunks = chunk_text(text, counter=counter)
        assert chunks and all(counter.count(c.text) <= 180 for c in chunks[:50])
        work.append(counter.encoded_chars / len(text))
    assert work[1] < 6, f"{work[1]:.1f} characters tokenised per character of text"
    assert work[1] < work[0] * 1.25 + 0.5, work  # four times the text: about the same work per character


@pytest.mark.parametrize(
    "text",
    ["hello world", "これは日本語の長い文章です🎉🎉 naïve café — done.", "\ud800 lone surrogate",
     "<|endoftext|> x", ""],
)
def test_token_starts_match_tiktoken(text: str) -> None:
    counter = TokenCounter()
    expected = counter.encoding.decode_with_offsets(counter.encode(text))[1] if text else []
    assert counter.token_starts(text) == expected
