"""The whole REST API fuzzed from its own ``/openapi.json`` (schemathesis) on both stacks.

Every operation gets schema-derived and boundary inputs (the coverage phase: huge and
negative numbers, nulls, wrong types, empty and missing values) and a bounded number of
generated ones, deterministically. Any 5xx, and any answer whose status, content type
or body the document does not declare, fails the test.

The operations are fuzzed in three test modules, by OpenAPI tag: ``retention``
(tests/web/test_api_schema_retention.py), ``disclosure``
(tests/web/test_api_schema_disclosure.py) and every other tag (tests/web/test_api_schema.py),
so that the suite's processes (a test file each) share the work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

SPLIT_TAGS = ("retention", "disclosure")
"""The tags fuzzed in a module of their own, ``test_api_schema_{tag}``;
tests/web/test_api_schema.py takes the rest."""

MODULE = "test_api_schema"
"""The name of the module that fuzzes the rest, and of the others' before ``_{tag}``."""


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


@contextmanager
def fuzzed_api(services: Services) -> Iterator[schemathesis.BaseSchema]:
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
    # The description is built on its first request: on a loaded machine that took over the
    # loader's default 10 s, and the set-up failed before any operation was fuzzed.
    try:
        yield schemathesis.openapi.from_asgi("/openapi.json", app, config=config, timeout=120)
    finally:
        asgi.shutdown_lifespans()


def assert_answers_only_what_it_declares(schema: schemathesis.BaseSchema) -> None:
    """Fuzz every operation of ``schema``: no 5xx, no undeclared answer (and some operation
    was fuzzed at all: a filter that matches nothing fails)."""
    found: list[str] = []
    fuzzed: set[str] = set()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            fuzzed.add(event.recorder.label)
            if event.status == Status.FAILURE:
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
    assert fuzzed, "no operation was fuzzed"
    assert not found, "\n".join(dict.fromkeys(found))


def part_of(module: str) -> Callable[[schemathesis.BaseSchema], schemathesis.BaseSchema]:
    """The operations ``module`` fuzzes: ``test_api_schema_{tag}`` those tagged ``tag`` and no
    tag before it in SPLIT_TAGS, ``test_api_schema`` those with none of SPLIT_TAGS. So every
    operation is fuzzed in exactly one module, whatever tags it carries."""
    tag = module.rpartition(".")[2].removeprefix(MODULE).removeprefix("_")
    if not tag:
        return lambda schema: schema.exclude(tag=list(SPLIT_TAGS))
    earlier = list(SPLIT_TAGS[: SPLIT_TAGS.index(tag)])  # a tag not in the table fails here
    if not earlier:
        return lambda schema: schema.include(tag=tag)
    return lambda schema: schema.include(tag=tag).exclude(tag=earlier)


def fuzzing_test(module: str) -> Callable[[Services], None]:
    """The test of one module (its ``__name__``): its part of the app's operations
    (``part_of``), fuzzed on the test's stack."""
    cut = part_of(module)

    @pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
    def test(services: Services) -> None:
        """GIVEN the module's operations of /openapi.json WHEN fuzzed
        THEN no 5xx and no undeclared answer."""
        with fuzzed_api(services) as schema:
            assert_answers_only_what_it_declares(cut(schema))

    return test
