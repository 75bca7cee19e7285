"""`advocate ingest` exactly as shipped, except that chunks are embedded by the hashing embedder.

For the crash benchmark and test: what a kill can break is the store, Chroma and the keyword
folders, not the model, and with MiniLM on a shared 2-core machine each kill would cost a minute.

    python bench/crash_ingest.py ingest WORKSPACE --data-dir DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from integrations import wiring
from integrations.cli import main
from retrieval.embeddings import HashingEmbedder

wiring.Services.embedder = property(lambda self: HashingEmbedder())  # type: ignore[assignment]

if __name__ == "__main__":
    main()
