"""Scale of input: chunking must be linear in a doc's size, and an ingest's peak memory bounded.

    python -m bench.security.scale chunk BYTES            (child: chunk one generated doc, print JSON)
    python -m bench.security.scale baseline DOCS PERSIST  (child: plain LangChain + Chroma ingest, JSON)

`run_scale` runs those children with time limits and memory readings: chunking rate at growing
doc sizes (a 5 MB doc must chunk at about the rate of a 50 KB one), then `advocate ingest` of a
few MB of public docs against a plain LangChain + Chroma ingest of the same files with the same
embedding model (fixed-size character splits, no scopes, no keyword index).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from pathlib import Path

from bench.security.hostile_cases import base_workspace
from bench.security.report import FamilyReport
from bench.security.subproc import cli_command, run_limited
from bench.security.workspace import DEMO_WORKSPACE

MIN_RATE_SHARE = 0.5  # the largest doc must chunk at no less than half the smallest doc's rate


def public_text(size: int, *, headings: bool = False) -> str:
    """`size` bytes of real documentation prose (the demo docs, repeated; headings stripped unless asked)."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((DEMO_WORKSPACE / "docs").rglob("*.md"))]
    text = "\n\n".join(re.sub(r"(?s)^---\n.*?\n---\n", "", p) for p in parts)
    if not headings:
        text = re.sub(r"(?m)^#+ .*$", "", text)
    return (text * (size // len(text) + 1))[:size]


def chunk_child(size: int, headings: bool) -> None:
    """Read a workspace holding one `size`-byte doc and chunk it exactly as ingest does (no embedding)."""
    import tempfile

    from accounts.models import SourceKind
    from accounts.workspace import read_workspace
    from retrieval.ingest import ChunkingConfig, chunk_record
    from retrieval.record_text import describe_record
    from retrieval.tokens import TokenCounter

    counter = TokenCounter()
    counter.count("warm up")
    with tempfile.TemporaryDirectory() as tmp:
        ws = base_workspace(Path(tmp))
        (ws / "docs" / "big.md").write_text(public_text(size, headings=headings), encoding="utf-8")
        started = time.perf_counter()
        book = read_workspace(ws, max_doc_bytes=max(size * 2, 1 << 20))
        chunks = 0
        for kind, record in book.iter_records():
            if kind is SourceKind.DOCS and (text := describe_record(kind, record, book)) is not None:
                chunks += len(chunk_record(text, ChunkingConfig(), counter))
    print(json.dumps({"chunks": chunks, "seconds": time.perf_counter() - started}))


def baseline_child(docs: Path, persist: Path) -> None:
    """A plain LangChain + Chroma ingest of the same docs with the same MiniLM model."""
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    from retrieval.embeddings import MiniLMEmbedder

    class MiniLM(Embeddings):
        def __init__(self) -> None:
            self.model = MiniLMEmbedder(threads=1)

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return self.model.embed_documents(texts).tolist()  # type: ignore[no-any-return]

        def embed_query(self, text: str) -> list[float]:
            return self.model.embed_query(text).tolist()  # type: ignore[no-any-return]

    started = time.perf_counter()
    texts: list[str] = []
    for path in sorted(docs.rglob("*.md")):
        body = path.read_text(encoding="utf-8")
        texts += [body[i:i + 700] for i in range(0, len(body), 600)]
    Chroma.from_texts(texts, MiniLM(), persist_directory=str(persist), collection_name="baseline")
    print(json.dumps({"chunks": len(texts), "seconds": time.perf_counter() - started}))


def chunking_rates(sizes: list[int], report: FamilyReport, timeout_s: float) -> None:
    rates: dict[int, float] = {}
    for size in sizes:
        out = run_limited([sys.executable, "-m", "bench.security.scale", "chunk", str(size)], timeout_s=timeout_s)
        label = f"chunk a {size / 1e6:.2f} MB doc without headings"
        if out.code != 0:
            why = f"not done within {timeout_s:.0f} s" if out.timed_out else out.err.strip()[-200:]
            report.failed(label, f"{why} (peak {out.peak_mb:.0f} MB)")
            report.metrics[f"chunking.{size}"] = f"unfinished after {out.seconds:.0f} s, {out.peak_mb:.0f} MB"
            continue
        data = json.loads(out.out)
        rates[size] = data["chunks"] / max(data["seconds"], 1e-6)
        report.metrics[f"chunking.{size}"] = (f"{data['chunks']} chunks in {data['seconds']:.2f} s "
                                              f"({rates[size]:.0f} chunks/s), {out.peak_mb:.0f} MB peak")
        report.passed(label)
    smallest = rates.get(sizes[0])
    largest = rates.get(sizes[-1])
    ok = bool(smallest and largest and largest >= MIN_RATE_SHARE * smallest)
    share = f"{largest / smallest:.2f}" if smallest and largest else "n/a"
    report.check(ok, f"chunking is linear: rate at {sizes[-1] / 1e6:.1f} MB vs {sizes[0] / 1e6:.2f} MB",
                 f"rate share {share}, needs >= {MIN_RATE_SHARE}")


def ingest_memory(base: Path, mb: float, report: FamilyReport, timeout_s: float) -> None:
    """`advocate ingest` of `mb` MB of public docs (30 KB files), against the plain LangChain + Chroma ingest."""
    root = base / "scale"
    shutil.rmtree(root, ignore_errors=True)
    ws = base_workspace(root)
    text, per_file = public_text(int(mb * 1e6), headings=True), 30_000
    for n, start in enumerate(range(0, len(text), per_file)):
        (ws / "docs" / f"page-{n:04d}.md").write_text(text[start:start + per_file], encoding="utf-8")
    out = run_limited(cli_command("ingest", str(ws), "--data-dir", str(root / "data")), timeout_s=timeout_s)
    label = f"ingest {mb:.1f} MB of public docs"
    if report.check(out.code == 0, label, f"exit {out.code} after {out.seconds:.0f} s: {out.err.strip()[-200:]}"):
        report.metrics["ingest.advocate"] = f"{out.seconds:.0f} s, {out.peak_mb:.0f} MB peak; {out.out.strip()}"
    baseline = run_limited([sys.executable, "-m", "bench.security.scale", "baseline", str(ws / "docs"),
                            str(root / "baseline")], timeout_s=timeout_s)
    if baseline.code == 0:
        data = json.loads(baseline.out)
        report.metrics["ingest.langchain_chroma"] = (f"{baseline.seconds:.0f} s, {baseline.peak_mb:.0f} MB peak; "
                                                     f"{data['chunks']} chunks")
        if out.code == 0:
            report.metrics["ingest.peak_memory_ratio"] = round(out.peak_mb / max(baseline.peak_mb, 1), 2)
    else:
        report.notes.append(f"LangChain + Chroma baseline did not run: {baseline.err.strip()[-200:]}")
    shutil.rmtree(root, ignore_errors=True)


def run_scale(base: Path, report: FamilyReport, *, sizes: list[int], ingest_mb: float,
              timeout_s: float = 300.0) -> FamilyReport:
    chunking_rates(sizes, report, timeout_s)
    if ingest_mb > 0:
        ingest_memory(base, ingest_mb, report, timeout_s * 4)
    return report


if __name__ == "__main__":
    if sys.argv[1] == "chunk":
        chunk_child(int(sys.argv[2]), headings=sys.argv[3:] == ["headings"])
    elif sys.argv[1] == "baseline":
        baseline_child(Path(sys.argv[2]), Path(sys.argv[3]))
