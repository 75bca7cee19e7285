"""chunk_text: budgets, boundaries, overlap, headings, and chunks that fit MiniLM."""

from __future__ import annotations

import random
import re
from itertools import pairwise

import pytest

from retrieval.chunking import DEFAULT_MAX_TOKENS, TextChunk, chunk_text
from retrieval.embeddings import MiniLMEmbedder
from retrieval.tokens import TokenCounter

SENTENCES = [
    "The customer signed a three-year contract in March and asked for a dedicated onboarding manager.",
    "Adoption of the reporting module stayed low because the finance team still exports spreadsheets every week.",
    "Their champion, the head of operations, left the company in June, and no new sponsor has been named yet.",
    "We agreed to run two training sessions for the regional offices before the end of the quarter.",
    "Support tickets about slow dashboards doubled after the migration, although most were closed within a day.",
    "The renewal conversation should start early, since procurement needs ninety days to approve any change.",
    "Usage in the European teams grew steadily, while the American teams logged in less often than last year.",
    "A quarterly business review is planned for October, with the roadmap and the success plan on the agenda.",
    "They asked whether single sign-on could be enforced for contractors without breaking the existing workflow.",
    "Invoices go to the accounts payable mailbox, and the last payment arrived twelve days after its due date.",
]


@pytest.fixture(scope="module")
def counter() -> TokenCounter:
    return TokenCounter()


def prose(paragraphs: int, seed: int = 5, per_paragraph: tuple[int, int] = (3, 6)) -> str:
    rng = random.Random(seed)
    return "\n\n".join(
        " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(*per_paragraph))) for _ in range(paragraphs)
    )


def assert_well_formed(text: str, chunks: list[TextChunk], counter: TokenCounter, max_tokens: int) -> None:
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        body = text[chunk.start_char : chunk.end_char]
        assert body.strip() == body != ""
        assert chunk.text.endswith(body)
        assert counter.count(chunk.text) <= max_tokens
    covered = set().union(*(range(c.start_char, c.end_char) for c in chunks))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_blank_text_gives_no_chunk(counter: TokenCounter) -> None:
    assert chunk_text("", counter=counter) == []
    assert chunk_text("  \n\n\t ", counter=counter) == []


def test_short_text_is_one_chunk_even_with_headings(counter: TokenCounter) -> None:
    text = "\n# Notes\n\nShort call with the sponsor.\n\n## Next\n\nSend the deck.  \n"
    [chunk] = chunk_text(text, counter=counter)
    assert chunk.text == text.strip()
    assert (chunk.start_char, chunk.end_char, chunk.index) == (1, len(text.rstrip()), 0)
    assert chunk.heading == "# Notes"


def test_long_prose_is_cut_at_sentence_ends_with_overlap(counter: TokenCounter) -> None:
    text = " ".join(SENTENCES * 6)  # one long paragraph
    chunks = chunk_text(text, max_tokens=120, overlap_tokens=30, counter=counter)
    assert len(chunks) > 3
    assert_well_formed(text, chunks, counter, 120)
    for chunk in chunks:
        assert chunk.text.endswith(".") and chunk.text[0].isupper()
    for before, after in pairwise(chunks):
        assert before.start_char < after.start_char < before.end_char < after.end_char
        shared = text[after.start_char : before.end_char]
        assert 0 < counter.count(shared) <= 30


def test_no_overlap_when_asked(counter: TokenCounter) -> None:
    text = " ".join(SENTENCES * 4)
    chunks = chunk_text(text, max_tokens=100, overlap_tokens=0, counter=counter)
    assert len(chunks) > 2
    assert all(a.end_char < b.start_char for a, b in pairwise(chunks))


def test_paragraph_ends_are_preferred_to_sentence_ends(counter: TokenCounter) -> None:
    text = "\n\n".join(" ".join(SENTENCES[i : i + 3]) for i in range(0, 9, 3))  # three paragraphs of ~60 tokens
    chunks = chunk_text(text, max_tokens=150, overlap_tokens=0, counter=counter)
    paragraph_ends = {m.start() for m in re.finditer(r"\n\n", text)} | {len(text)}
    assert len(chunks) == 2
    assert all(c.end_char in paragraph_ends for c in chunks)


def test_headings_start_chunks_and_prefix_later_ones(counter: TokenCounter) -> None:
    body_a, body_b = prose(4, seed=1), prose(4, seed=2)
    code = "```bash\n# not a heading\nls\n```"
    text = f"# Onboarding\n\n{body_a}\n\n{code}\n\n## Billing\n\n{body_b}\n"
    chunks = chunk_text(text, counter=counter)
    assert_well_formed(text, chunks, counter, DEFAULT_MAX_TOKENS)
    billing = text.index("## Billing")
    assert billing in {c.start_char for c in chunks}
    assert not any(c.start_char < billing < c.end_char for c in chunks)  # no chunk spans two sections
    assert "# not a heading" not in {c.heading for c in chunks}
    for chunk in chunks:
        expected = "# Onboarding" if chunk.start_char < billing else "## Billing"
        assert chunk.heading == expected
        assert chunk.text.startswith(expected)
        if chunk.start_char not in (0, billing):  # later chunks of a section: heading + newline + body
            assert chunk.text == f"{expected}\n{text[chunk.start_char : chunk.end_char]}"


def test_a_heading_with_no_body_joins_the_next_section(counter: TokenCounter) -> None:
    text = f"# Guide\n\n## Install\n\n{prose(5, seed=3)}"
    chunks = chunk_text(text, counter=counter)
    assert chunks[0].start_char == 0 and chunks[0].text.startswith("# Guide\n\n## Install\n\n")
    assert all(c.heading == "# Guide\n## Install" for c in chunks)
    assert chunks[1].text.startswith("# Guide\n## Install\n")


def test_run_on_text_is_cut_between_words_with_overlap(counter: TokenCounter) -> None:
    rng = random.Random(2)
    words = [rng.choice(["renewal", "seat", "usage", "champion", "ticket", "invoice"]) for _ in range(1500)]
    text = " ".join(words)
    chunks = chunk_text(text, max_tokens=100, overlap_tokens=20, counter=counter)
    assert_well_formed(text, chunks, counter, 100)
    for before, after in pairwise(chunks):
        assert text[after.start_char - 1] == " " and text[before.end_char] == " "  # whole words
        assert after.start_char < before.end_char


def test_multibyte_text_is_cut_safely(counter: TokenCounter) -> None:
    text = "これは日本語の長い文章です" * 120 + "🎉" * 200
    chunks = chunk_text(text, max_tokens=64, overlap_tokens=8, counter=counter)
    assert_well_formed(text, chunks, counter, 64)
    assert all(c.text == text[c.start_char : c.end_char] for c in chunks)


def test_default_chunks_of_long_english_prose_fit_minilm(counter: TokenCounter) -> None:
    embedder = MiniLMEmbedder()
    text = f"# Account history\n\n{prose(40, seed=9, per_paragraph=(1, 9))}"
    chunks = chunk_text(text, counter=counter)
    assert len(chunks) > 10
    assert all(embedder.fits_model(c.text) for c in chunks)


def test_fits_hook_enforces_the_model_limit_on_dense_text(counter: TokenCounter) -> None:
    embedder = MiniLMEmbedder()
    rng = random.Random(4)
    text = " ".join(f"https://status.example.com/{rng.getrandbits(24)}/a_b-c.html" for _ in range(400))
    assert not all(embedder.fits_model(c.text) for c in chunk_text(text, counter=counter))  # URLs: many pieces
    chunks = chunk_text(text, counter=counter, fits=embedder.fits_model)
    assert_well_formed(text, chunks, counter, DEFAULT_MAX_TOKENS)
    assert all(embedder.fits_model(c.text) for c in chunks)


def test_bad_budgets_are_rejected(counter: TokenCounter) -> None:
    with pytest.raises(ValueError):
        chunk_text("text", max_tokens=8, counter=counter)
    with pytest.raises(ValueError):
        chunk_text("text", max_tokens=100, overlap_tokens=60, counter=counter)
    with pytest.raises(ValueError):
        chunk_text("text", overlap_tokens=-1, counter=counter)


def test_default_counter_is_used_when_none_is_given() -> None:
    assert chunk_text("One sentence.") == [TextChunk("One sentence.", 0, 0, 13, "")]
