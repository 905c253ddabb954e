"""Retention fixtures: an organisation, two records officers signed in, documents that went through the pipeline."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from archive.access import SecurityLevel
from ingest.pipeline import Outcome, process_document
from tests.factories import csrf_from, key_for, org, person, sign_in, upload_as
from web.app import create_app
from web.services import Services


@dataclass
class Officer:
    """A records officer's browser: API calls carry the session cookie and the CSRF header."""

    login: str
    client: TestClient

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.client.get(url, **kw)

    def post(self, url: str, **kw: Any) -> httpx.Response:
        return self.client.post(url, **kw)

    def put(self, url: str, **kw: Any) -> httpx.Response:
        return self.client.put(url, **kw)


def _officer(services: Services, login: str) -> Iterator[Officer]:
    person(services, login, "somu", roles=("records_officer",), clearance=SecurityLevel.SECRET)
    with TestClient(create_app(services=services)) as client:
        sign_in(client, login)
        client.headers["X-CSRF-Token"] = csrf_from(client.get("/").text)
        yield Officer(login, client)


@pytest.fixture
def organisation(services: Services) -> Services:
    org(services)
    return services


@pytest.fixture
def officer(organisation: Services) -> Iterator[Officer]:
    yield from _officer(organisation, "tanaka")


@pytest.fixture
def second_officer(organisation: Services) -> Iterator[Officer]:
    yield from _officer(organisation, "suzuki")


@pytest.fixture
def staff_key(organisation: Services) -> str:
    return key_for(organisation, "somu")


@pytest.fixture
def ingest(organisation: Services, staff_key: str, officer: Officer) -> Callable[..., str]:
    """Upload a text document as staff and run the whole pipeline on it; returns its id."""

    def make(text: str, **metadata: object) -> str:
        document_id = upload_as(officer.client, staff_key, text.encode(), **metadata)
        assert process_document(organisation.pipeline(), document_id) is Outcome.PROCESSED
        return document_id

    return make
