"""The whole REST API fuzzed from its own ``/openapi.json`` (schemathesis) on both stacks.

Every operation gets schema-derived and boundary inputs (the coverage phase: huge and
negative numbers, nulls, wrong types, empty and missing values) and a bounded number of
generated ones, deterministically. Any 5xx, and any answer whose status, content type
or body the document does not declare, fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.engine import Status, events, from_schema
from schemathesis.python import asgi

from archive.access import SecurityLevel
from archive.users import find_user, open_session
from ingest.pipeline import process_document
from tests.factories import key_for, org, person, upload_as
from web.app import create_app
from web.security import SESSION_COOKIE
from web.services import Services

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]


def _officer_session(services: Services) -> dict[str, str]:
    """Headers of a signed-in person who is administrator, records and disclosure officer:
    an API key has no officer roles, and every handler should be reached."""
    person(
        services,
        "fuzzer",
        "somu",
        roles=("admin", "records_officer", "disclosure_officer"),
        clearance=SecurityLevel.SECRET,
    )
    with services.sessions.begin() as session:
        user = find_user(session, "fuzzer")
        token = open_session(session, user, lifetime=timedelta(hours=1), client_ip=None).token
    return {
        "Cookie": f"{SESSION_COOKIE}={services.signer.sign(token)}",
        "X-CSRF-Token": services.signer.csrf_token(token),
    }


@pytest.fixture
def api(services: Services) -> Iterator[schemathesis.BaseSchema]:
    """The app's schema, with a processed document to aim the document routes at."""
    org(services)
    app: FastAPI = create_app(services=services)
    key = key_for(services, "somu")
    with TestClient(app) as client:
        document = upload_as(client, key, "請求書 合計 10,000円".encode(), title="請求書")
    process_document(services.pipeline(), document)
    config = schemathesis.Config.from_dict(
        {
            "seed": 11,
            "headers": _officer_session(services),
            "parameters": {"document_id": document},
            "generation": {"max-examples": 4, "deterministic": True, "database": "none"},
            "phases": {"stateful": {"enabled": False}, "coverage": {"unexpected-methods": []}},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        }
    )
    yield schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    asgi.shutdown_lifespans()


def _problems(schema: schemathesis.BaseSchema) -> list[str]:
    found: list[str] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.status == Status.FAILURE:
            for checks in event.recorder.checks.values():
                found.extend(
                    f"{event.recorder.label}: {c.name}: {c.failure_info.failure.message}\n"
                    f"    {c.failure_info.code_sample}"
                    for c in checks
                    if c.failure_info is not None
                )
        elif isinstance(event, events.NonFatalError):
            found.append(f"{event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            found.append(f"schemathesis failed: {event.exception!r}")
    return found


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
def test_api_answers_only_what_it_declares(api: schemathesis.BaseSchema) -> None:
    """GIVEN every operation of /openapi.json WHEN fuzzed THEN no 5xx and no undeclared answer."""
    problems = _problems(api)
    assert not problems, "\n".join(dict.fromkeys(problems))
