"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import RequestResponseEndpoint

from web.api import (
    audit,
    batches,
    disclosure_records,
    documents,
    events,
    field_places,
    grants,
    health,
    processing,
    retention_disposition,
    retention_records,
    search,
    versions,
)
from web.api import disclosure as disclosure_api
from web.api import retention as retention_api
from web.errors import API_ERRORS, install_error_handlers
from web.pages import (
    admin,
    auth,
    document_retention,
    language,
    oidc_login,
    retention_batches,
    retention_holds,
    upload,
)
from web.pages import disclosure as disclosure_pages
from web.pages import disclosure_records as disclosure_record_pages
from web.pages import documents as document_pages
from web.pages import retention as retention_pages
from web.pages import search as search_pages
from web.pages import versions as version_pages
from web.pages.errors import install_page_errors
from web.request_context import install_request_context
from web.services import Services, build_services
from web.settings import Settings


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """Build the app for ``settings`` (read from the environment when not given)."""
    services = services or build_services(settings or Settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        services.close()

    app = FastAPI(
        title="Bunko",
        summary="Document management and records archive",
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    app.state.services = services
    install_error_handlers(app)
    install_page_errors(app)
    app.middleware("http")(_security_headers)
    install_request_context(app, services)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(health.router)
    for router in (
        documents.router,
        field_places.router,
        versions.router,
        grants.router,
        processing.router,
        batches.router,
        search.router,
        audit.router,
        retention_api.router,
        retention_records.router,
        retention_disposition.router,
        disclosure_api.router,
        disclosure_records.router,
        events.events_router,
        events.webhooks_router,
    ):
        app.include_router(router, responses=API_ERRORS)
    app.include_router(auth.router)
    app.include_router(oidc_login.router)
    app.include_router(retention_pages.router)
    app.include_router(retention_holds.router)
    app.include_router(retention_batches.router)
    app.include_router(disclosure_pages.router)
    app.include_router(disclosure_record_pages.router)
    app.include_router(language.router)
    app.include_router(search_pages.router)
    app.include_router(document_pages.router)
    app.include_router(version_pages.router)
    app.include_router(document_retention.router)
    app.include_router(upload.router)
    app.include_router(admin.router)
    return app


async def _security_headers(request: Request, call_next: RequestResponseEndpoint) -> Response:
    response = await call_next(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.headers.get("content-type", "").startswith("text/html"):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
        )
    return response
