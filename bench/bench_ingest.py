"""Ingest cost against its floor: the bare embedding time of the same chunks with the same model.

    python bench/bench_ingest.py [--accounts 200] [--out bench/out/ingest]

Measures, in one run: (1) a first ingest of a generated workspace into a fresh data dir; (2) the bare
embedding of exactly the chunks that ingest produced, with the same MiniLM model and batch size;
(3) a re-ingest of the unchanged workspace; (4) an ingest after 1% of the activities changed.
Targets (issue 2): (1) ≤ 1.3 × (2); (3) ≤ 5% of (1).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_workspace import Options, generate, prepare_out
from integrations.settings import Settings
from integrations.wiring import Services


def touch_activities(workspace: Path, share: float) -> int:
    """Rewrite the body of every n-th activity so `share` of them count as changed."""
    path = workspace / "activities.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    step = max(1, int(1 / share))
    for i in range(0, len(lines), step):
        row = json.loads(lines[i])
        row["body"] = row.get("body", "") + " (Edited after the follow-up call.)"
        lines[i] = json.dumps(row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(range(0, len(lines), step))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("bench/out/ingest"))
    args = parser.parse_args()
    workspace, data = args.out / "workspace", args.out / "data"
    prepare_out(workspace, overwrite=True)
    generate(Options(accounts=args.accounts, out=workspace, seed=11))
    shutil.rmtree(data, ignore_errors=True)

    svc = Services(Settings(data_dir=data))
    first = svc.ingestor().ingest(workspace)
    print(f"first ingest:     {first.seconds:7.1f} s  {first.line()}")

    texts = [c.text for c in Services(Settings(data_dir=data)).keywords.chunks]
    started = time.perf_counter()
    svc.embedder.embed_documents(texts)
    bare = time.perf_counter() - started
    print(f"bare embedding:   {bare:7.1f} s  ({len(texts)} chunks, {len(texts) / bare:.0f} chunks/s)")
    print(f"ingest / bare:    {first.seconds / bare:7.2f}  (target ≤ 1.30)")

    again = Services(Settings(data_dir=data)).ingestor().ingest(workspace)
    print(f"unchanged re-ingest: {again.seconds:5.1f} s = {100 * again.seconds / first.seconds:.1f}% of first "
          f"(target ≤ 5%)  {again.line()}")

    changed = touch_activities(workspace, 0.01)
    partial = Services(Settings(data_dir=data)).ingestor().ingest(workspace)
    print(f"1% changed ({changed} activities): {partial.seconds:5.1f} s  {partial.line()}")


if __name__ == "__main__":
    main()
