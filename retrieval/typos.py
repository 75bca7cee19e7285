"""Typos in a question, fixed against the workspace's own words ("sync conflcit" → "sync conflict").

A misspelt word matches nothing in the lexical index and little in meaning, so the answer goes to
another page. Only a *non-word* is fixed: a word the docs do not use and that is no whole word of
the bundled model's English vocabulary ("passport", "weather" or "bake" are never "corrected" into
the docs' "password", "whether" or "make"). It becomes the docs' most frequent word one edit away
(a letter left out, added, changed or two letters swapped). The docs are public, so the vocabulary
says nothing about any account.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_LENGTH = 4  # shorter words have too many neighbours one edit away
SHORT = 6  # below this, only a swap or a missing letter is fixed


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Whole words of the bundled MiniLM tokenizer's vocabulary (about 20,000 common English words)."""
    from tokenizers import Tokenizer

    from retrieval.embeddings import TOKENIZER_PATH

    vocab = Tokenizer.from_file(str(TOKENIZER_PATH)).get_vocab()
    return frozenset(w for w in vocab if w.isalpha() and w.islower())


def _one_edit(word: str) -> list[list[str]]:
    """The words one edit away, most likely typo first: two letters swapped, a letter left out, a letter
    too many, a letter changed (a short word only the first two: it has too many neighbours)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    if len(word) < SHORT:
        return [swaps, inserts]
    deletes = [a + b[1:] for a, b in splits if b]
    changes = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    return [swaps, inserts, deletes, changes]


class TypoFixer:
    """Fixes non-words against a vocabulary with word counts."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> TypoFixer:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w.lower() for w in _WORD.findall(text))
        return cls(counts)

    def correction(self, word: str) -> str | None:
        """The vocabulary's word for a misspelt one, or None when the word is fine (or nothing is close)."""
        lower = word.lower()
        if len(lower) < MIN_LENGTH or lower in self.counts or lower in english_words():
            return None
        if lower.endswith("s") and lower[:-1] in english_words():
            return None  # "hows", "whats": a contraction without its apostrophe, not a typo
        for kind in _one_edit(lower):
            found = [w for w in kind if w in self.counts]
            if found:
                return max(found, key=lambda w: (self.counts[w], w))
        return None

    def fix(self, text: str) -> str:
        """The text with each misspelt word replaced (its capital kept); the text itself when none is."""
        def replace(match: re.Match[str]) -> str:
            word = match.group(0)
            fixed = self.correction(word)
            if fixed is None:
                return word
            return fixed.capitalize() if word[0].isupper() else fixed

        return _WORD.sub(replace, text)
