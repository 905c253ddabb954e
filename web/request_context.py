"""Per-request context: the request id, an access log line, and the request metrics.

A pure ASGI middleware, so the request id is set before any endpoint, dependency or
error handler runs, and streamed bodies are counted without being buffered.
"""

from __future__ import annotations

import logging
import re
import tempfile
import time
import uuid
from pathlib import Path

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archive import REQUEST_ID
from web.metrics import Metrics
from web.metrics import router as metrics_router
from web.services import Services

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")
access_log = logging.getLogger("bunko.access")


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's ``X-Request-ID`` if it is a plain token, else a new random id."""
    for name, value in headers:
        if name.lower() == b"x-request-id":
            presented = value.decode("latin-1").strip()
            if _ACCEPTED.fullmatch(presented):
                return presented
    return uuid.uuid4().hex


def route_template(scope: Scope) -> str:
    """The path template the router matched (``/api/v1/documents/{document_id}``), never the raw path."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "unmatched"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope["headers"])
        REQUEST_ID.set(request_id)  # not reset: the outermost error handler reads it too
        started = time.perf_counter()
        received = 0
        status = 500

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
            return message

        async def tagged_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message).append(HEADER, request_id)
            await send(message)

        try:
            await self.app(scope, counting_receive, tagged_send)
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            self.metrics.observe_request(scope["method"], route, status, elapsed, received)
            access_log.info(
                "%s %s %s",
                scope["method"],
                route,
                status,
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                    "bytes_in": received,
                    "client": (scope.get("client") or ("", 0))[0],
                },
            )


def install_request_context(app: FastAPI, services: Services) -> None:
    """Request ids, access log and metrics for every request; ``/metrics`` to read them."""
    settings = services.settings
    app.state.metrics = Metrics(
        services.sessions, settings.data_dir, settings.tmp_dir or Path(tempfile.gettempdir())
    )
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    app.include_router(metrics_router)
