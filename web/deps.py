"""Request dependencies: services, database session, the authenticated caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from archive import Actor, InvalidApiKey, authenticate_api_key, translate_db_errors
from web.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    with translate_db_errors(), services.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def _presented_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return request.headers.get("x-api-key")


def current_actor(request: Request, services: ServicesDep) -> Actor:
    """The caller, authenticated by API key (``Authorization: Bearer`` or ``X-API-Key``)."""
    presented = _presented_key(request)
    if presented:
        with translate_db_errors(), services.sessions() as session:
            try:
                key = authenticate_api_key(session, presented)
            except InvalidApiKey:
                key = None
        if key is not None:
            return Actor(f"apikey:{key.name}", request.client.host if request.client else None)
    raise HTTPException(401, "a valid API key is required", headers={"WWW-Authenticate": "Bearer"})


ActorDep = Annotated[Actor, Depends(current_actor)]
