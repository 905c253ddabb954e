"""``/healthz`` (the process is up) and ``/readyz`` (every backend answers); no authentication."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from web.deps import ServicesDep
from web.services import check_backends

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(services: ServicesDep) -> JSONResponse:
    backends = await run_in_threadpool(check_backends, services)
    ready = all(state == "ok" for state in backends.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "backends": backends},
        status_code=200 if ready else 503,
    )
