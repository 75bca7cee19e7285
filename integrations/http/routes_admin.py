"""Operations: `/v1/ingest` (admin), and the probes `/healthz` (alive) and `/readyz` (data ingested).

An ingest through the API runs the same Ingestor as the CLI, in a worker thread, one at a time;
the running server sees the result on its next request (its caches are keyed by the ingest stamp).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from accounts.errors import BadRequest
from integrations.http.deps import Admin, State
from integrations.http.errors import ApiError
from integrations.http.schemas import IngestResponse, Liveness, Readiness

router = APIRouter(tags=["operations"])


@router.post("/v1/ingest", summary="Re-read the configured workspace (admin)")
def ingest(state: State, _: Admin) -> IngestResponse:
    services = state.services
    configured = state.settings.workspace or services.store.meta("workspace")
    if not configured:
        raise BadRequest("no workspace configured: set ADVOCATE_WORKSPACE or run `advocate ingest PATH` once")
    if not state.ingest_lock.acquire(blocking=False):
        raise ApiError(503, "busy", "an ingest is already running", {"Retry-After": "30"})
    try:
        summary = services.ingestor().ingest(Path(configured))  # the next request reads the new generation
    finally:
        state.ingest_lock.release()
    return IngestResponse(added=summary.added, updated=summary.updated, removed=summary.removed,
                          unchanged=summary.unchanged, chunks_embedded=summary.chunks_embedded,
                          chunks_total=summary.chunks_total, seconds=round(summary.seconds, 3),
                          summary=summary.line())


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> Liveness:
    return Liveness()


@router.get("/readyz", summary="Readiness: a workspace is ingested and the store answers")
def readyz(state: State) -> Readiness:
    stamp = state.services.store.meta("ingested_at")
    if stamp is None:
        raise ApiError(503, "not_ingested", "no workspace ingested yet", {"Retry-After": "30"})
    return Readiness(ingested_at=stamp)
