"""Each question set's workspace, ingested once into a scratch data dir keyed by a content hash.

The hash covers the workspace files, the chunking settings and the code that shapes the store and
indexes (accounts/, retrieval/), so a rerun on unchanged inputs skips ingest entirely, and a change
to any of them ingests afresh into a new dir (older dirs of the same workspace are removed).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from integrations.settings import Settings
from integrations.wiring import Services

DONE_MARK = ".eval-ingested"


def _code_dirs() -> list[Path]:
    import accounts
    import retrieval

    return [Path(accounts.__file__).parent, Path(retrieval.__file__).parent]


def content_hash(workspace: Path, settings: Settings) -> str:
    """sha256 of every workspace file (path and bytes), the chunking settings and the indexing code."""
    digest = hashlib.sha256(f"{settings.chunk_tokens}|{settings.chunk_overlap}".encode())
    roots = [(workspace, "*"), *((d, "*.py") for d in _code_dirs())]
    for root, pattern in roots:
        for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}".encode())  # moving the repo keeps the key
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ingested_services(workspace: Path, work_dir: Path) -> tuple[Services, float]:
    """Services over a data dir holding this workspace, and the seconds spent ingesting (0 when cached)."""
    base = Settings()
    name = workspace.name
    key = content_hash(workspace, base)
    data_dir = work_dir / f"{name}-{key}"
    settings = base.model_copy(update={"data_dir": data_dir, "database_url": None, "chroma_url": None})
    if (data_dir / DONE_MARK).is_file():
        return Services(settings), 0.0
    for stale in work_dir.glob(f"{name}-*"):
        if stale.is_dir() and stale != data_dir:
            shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(data_dir, ignore_errors=True)
    services = Services(settings)
    summary = services.ingestor().ingest(workspace)
    (data_dir / DONE_MARK).write_text(summary.line() + "\n", encoding="utf-8")
    return services, summary.seconds
