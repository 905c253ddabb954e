"""The one place where errors become HTTP responses: ``{"error": {"code", "message", ...}}``."""

from __future__ import annotations

import errno
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from archive import (
    DB_ERRORS,
    ArchiveError,
    BackendUnavailable,
    BlobIntegrityError,
    BlobNotFound,
    Conflict,
    Forbidden,
    InvalidInput,
    RecordNotFound,
    UploadTooLarge,
    current_request_id,
)
from search import QuerySyntaxError, SearchError, SearchUnavailable
from web.rate_limit import RateLimited

log = logging.getLogger("bunko.web")

_STATUS: list[tuple[type[ArchiveError], int, str]] = [
    (RecordNotFound, 404, "not_found"),
    (Forbidden, 403, "forbidden"),
    (Conflict, 409, "conflict"),
    (UploadTooLarge, 413, "too_large"),
    (InvalidInput, 422, "invalid"),
    (BackendUnavailable, 503, "unavailable"),
    (BlobNotFound, 500, "blob_missing"),
    (BlobIntegrityError, 500, "blob_corrupt"),
]


class ErrorDetail(BaseModel):
    code: str = Field(description="what went wrong, e.g. not_found, invalid, query_syntax")
    message: str
    field: str | None = Field(None, description="the input that was refused")
    backend: str | None = Field(None, description="the backend that did not answer (503)")
    position: int | None = Field(None, description="where a search query is wrong (400)")
    retry_after: int | None = Field(None, description="seconds to wait (429)")
    rows: list[dict[str, Any]] | None = Field(
        None, description="a bulk-intake manifest's invalid rows: row, field, reason (422)"
    )


class ErrorOut(BaseModel):
    """Every error answer of the API: ``{"error": {"code", "message", "field"?, ...}}``."""

    error: ErrorDetail


def _declared(description: str) -> dict[str, Any]:
    # Named as JSON, or FastAPI would file it under the route's own type (text/csv, a PDF).
    schema = {"$ref": "#/components/schemas/ErrorOut"}
    return {
        "model": ErrorOut,
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


API_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _declared("malformed request: an empty file, a search query that cannot be parsed"),
    401: _declared("no or an invalid API key or session"),
    403: _declared("a missing scope, role or CSRF token"),
    404: _declared("no such record, or one the caller may not read"),
    409: _declared("conflicts with the record's current state"),
    413: _declared("larger than the size limit"),
    429: _declared("an API key over its rate limit (with Retry-After and retry_after)"),
    422: _declared("invalid input; ``field`` names it"),
    503: _declared("a backend is unavailable; ``backend`` names it (with Retry-After)"),
}
"""The error answers every API route may give, declared once for the OpenAPI document."""


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The JSON error, with the request's id so a caller can quote it to an administrator."""
    return {
        "error": {
            "code": code,
            "message": message,
            **{k: v for k, v in extra.items() if v is not None},
            **({"request_id": rid} if (rid := current_request_id()) else {}),
        }
    }


def _archive_error(_request: Request, exc: Exception) -> JSONResponse:
    status, code = 500, "internal"
    for kind, kind_status, kind_code in _STATUS:
        if isinstance(exc, kind):
            status, code = kind_status, kind_code
            break
    extra: dict[str, Any] = {}
    if isinstance(exc, InvalidInput):
        extra["field"] = exc.field
        extra["rows"] = getattr(exc, "rows", None)
        status = exc.status
    if isinstance(exc, BackendUnavailable):
        extra["backend"] = exc.backend
    if status >= 500:
        log.error("%s: %s", type(exc).__name__, exc)
    message = str(exc) if status != 404 else "no such document"
    headers = {"Retry-After": "5"} if status == 503 else None
    return JSONResponse(error_body(code, message, **extra), status_code=status, headers=headers)


def _db_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("database error: %s", exc)
    return JSONResponse(
        error_body("unavailable", "database unavailable", backend="database"),
        status_code=503,
        headers={"Retry-After": "5"},
    )


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body"))
    return JSONResponse(
        error_body(
            "invalid", f"{where}: {first.get('msg', 'invalid request')}", field=where or None
        ),
        status_code=422,
    )


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return JSONResponse(
        error_body(str(exc.status_code), str(exc.detail)),
        status_code=exc.status_code,
        headers=exc.headers,
    )


def _disconnect(_request: Request, _exc: Exception) -> JSONResponse:
    return JSONResponse(error_body("disconnected", "client disconnected"), status_code=400)


def _search_error(_request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, SearchUnavailable):
        return JSONResponse(
            error_body("unavailable", str(exc), backend="search"),
            status_code=503,
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, QuerySyntaxError):
        return JSONResponse(
            error_body("query_syntax", exc.message, position=exc.position, field="q"),
            status_code=400,
        )
    return JSONResponse(error_body("invalid_cursor", str(exc), field="cursor"), status_code=400)


def _os_error(request: Request, exc: Exception) -> JSONResponse:
    """A full disk (spooling an upload, or the embedded database) is a 503, not a defect."""
    assert isinstance(exc, OSError)
    if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
        return _unexpected(request, exc)
    log.error("disk full: %s", exc)
    return JSONResponse(
        error_body("unavailable", "no space left on the server's disk", backend="storage"),
        status_code=503,
        headers={"Retry-After": "60"},
    )


def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return JSONResponse(error_body("internal", "internal error"), status_code=500)


def _rate_limited(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    return JSONResponse(
        error_body("rate_limited", str(exc), retry_after=exc.retry_after_s),
        status_code=429,
        headers={"Retry-After": str(exc.retry_after_s)},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ArchiveError, _archive_error)
    app.add_exception_handler(RateLimited, _rate_limited)
    for db_error in DB_ERRORS:
        app.add_exception_handler(db_error, _db_error)
    app.add_exception_handler(SearchError, _search_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(ClientDisconnect, _disconnect)
    app.add_exception_handler(OSError, _os_error)
    app.add_exception_handler(Exception, _unexpected)
