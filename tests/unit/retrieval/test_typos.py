"""Misspelt question words are fixed against the docs' words; real words and contractions never are."""

from __future__ import annotations

import pytest

from retrieval.typos import TypoFixer

DOCS = ("Resolve a sync conflict from the office. Offline mode keeps 500 jobs. The API rate limit is 600 "
        "requests per minute. Appointment reminders go out 24 hours ahead. If you cancel, data is kept 30 days. "
        "Reset a password from the sign-in page. The list of jobs. Make a job.")


@pytest.mark.parametrize(("asked", "fixed"), [
    ("how do i fix a sync conflcit", "how do i fix a sync conflict"),          # two letters swapped
    ("how many jobs can the app hold ofline", "how many jobs can the app hold offline"),  # a letter left out
    ("whats the api rate limt", "whats the api rate limit"),                  # missing letter beats "list"
    ("Apointment reminders?", "Appointment reminders?"),                      # the capital is kept
    ("what if we cancle", "what if we cancel"),
])
def test_a_misspelt_word_becomes_the_docs_word(asked: str, fixed: str) -> None:
    assert TypoFixer.from_texts([DOCS]).fix(asked) == fixed


@pytest.mark.parametrize("asked", ["how do I renew my passport", "what's the weather in Paris",
                                   "hows the board", "an odd word like zzzzzz"])
def test_real_words_contractions_and_far_words_stay(asked: str) -> None:
    assert TypoFixer.from_texts([DOCS]).fix(asked) == asked


def test_the_vocabulary_is_what_it_was_built_from() -> None:
    """Snapshots build it from the public docs only: a word of an internal note is never a correction."""
    docs_only = TypoFixer.from_texts([DOCS])
    assert docs_only.correction("discont") is None
    assert TypoFixer.from_texts([DOCS, "Internal: discount authority up to 10%."]).correction("discont") == "discount"
