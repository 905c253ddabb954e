"""The access matrix: every route declares its rule, and no route reveals what a caller may not read.

``ROUTES`` is the one declaration table: each method and path of the app's route table with
the rule it applies. ``test_every_route_is_declared`` fails when a route exists that is not
declared (or a declared one is gone), so a new route cannot slip in without a rule, and
``test_every_route_applies_its_gate`` calls every declared route as a stranger and as plain
staff and checks the gate of its rule (401 / sign-in, 403 for officer and admin rules).

The matrix itself shares one populated stack per module and stack (``world``, built by
``tests/web/access_world.py``; the table is ``tests/web/access_rules.py``): 8 live
documents (人事課 and 健康局 × the four levels, one granted to a person, one to a bureau),
4 documents already transferred by an executed batch (certificate, transfer.zip, residual
records), a proposed batch and a disclosure request holding all 8 live documents. Rather than
the full cartesian product it uses 10 callers chosen to cover every branch of the rule once
or more: section staff, bureau staff reading its section, another bureau with secret
clearance, a key without department, an admin key (city-wide, internal), a person holding a
grant, records and disclosure officers below and at ``secret``. Each caller calls every
document route of ``ROUTES`` (``READ``/``WRITE`` rules with a ``{document_id}``) on every
live document, and officers call their lists, exports, packages, previews and pages; the
expected answer comes from ``may_read``, the README's rule written out independently of
``archive.policy``. Every body (JSON, HTML, CSV, ZIP members, PDF text via pypdf) is checked
for the titles and content markers of the documents the caller may not read.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from tests.conftest import STACKS, stack_services, stack_settings
from tests.factories import csrf_from, key_for, org, person, sign_in
from tests.web.access_rules import (
    OFFICER_RULES,
    PROBES,
    PUBLIC,
    RECORDS,
    ROUTES,
    UNPROBED,
    R,
)
from tests.web.access_world import (
    Caller,
    World,
    assert_no_leak,
    build_world,
    may_read,
    may_see_gone,
)
from web.app import create_app
from web.services import Services


def _app_routes(services: Services) -> set[str]:
    app = create_app(services=services)
    found = set()
    for ctx in iter_route_contexts(app.routes):
        methods = sorted(m for m in ctx.methods or () if m != "HEAD") or ["MOUNT"]
        found |= {f"{m} {ctx.path}" for m in methods}
    return found


def test_every_route_is_declared(services: Services) -> None:
    """GIVEN the app's route table WHEN compared with ROUTES THEN each route has exactly one rule."""
    routes = _app_routes(services)
    assert sorted(routes - ROUTES.keys()) == [], "declare the rule of these routes in ROUTES"
    assert sorted(ROUTES.keys() - routes) == [], "these declared routes no longer exist"


def _fill(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "1" if m.group(1).endswith("_id") else "x", path)


def test_every_route_applies_its_gate(services: Services) -> None:
    """GIVEN every declared route WHEN a stranger and plain staff call it
    THEN a stranger is refused unless the rule is public, and staff get 403 from officer and admin rules."""
    org(services)
    person(services, "gate-staff", "jinji")
    key = key_for(services, "jinji")
    with (
        TestClient(create_app(services=services)) as anonymous,
        TestClient(create_app(services=services)) as staff,
    ):
        sign_in(staff, "gate-staff")
        token = csrf_from(staff.get("/").text)
        for route, rule in ROUTES.items():
            method, path = route.split(" ", 1)
            if method == "MOUNT":
                continue
            # /metrics is for machines (a scraper): it answers like the API, not a page.
            url, api = _fill(path), path.startswith(("/api/", "/metrics"))
            stranger = anonymous.request(method, url, follow_redirects=False)
            if rule == PUBLIC:
                assert stranger.status_code not in (401, 403, 500), route
                continue
            if api:
                assert stranger.status_code == 401, route
                answer = staff.request(
                    method, url, headers={"X-API-Key": key, "X-CSRF-Token": token}
                )
            else:
                assert stranger.status_code == 303, route
                assert stranger.headers["location"].startswith("/login"), route
                form = (
                    {"csrf_token": token, "name": "x", "reason": "x"} if method == "POST" else None
                )
                answer = staff.request(method, url, data=form, follow_redirects=False)
            if rule in OFFICER_RULES:
                assert answer.status_code == 403, (route, answer.status_code, answer.text[:200])
            else:
                assert answer.status_code not in (401, 403) and answer.status_code < 500, route


@pytest.fixture(scope="module", params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    """One populated stack per module: the matrix shares it (it only reads, or is refused)."""
    return str(request.param)


@pytest.fixture(scope="module")
def world(
    stack: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[World]:
    settings = stack_settings(stack, tmp_path_factory.mktemp("matrix"), request)
    lifetime = stack_services(settings, stack)
    built = build_world(next(lifetime))
    yield built
    for client in built.clients:
        client.__exit__(None, None, None)
    next(lifetime, None)


# --- the matrix --------------------------------------------------------------------------------

DOCUMENT_ROUTES = sorted(
    route
    for route, rule in ROUTES.items()
    if ("{document_id}" in route and route not in UNPROBED and rule != RECORDS) or route in PROBES
)
MISSING = "00000000-0000-0000-0000-000000000000"


def _document_url(route: str, document_id: str) -> tuple[str, str]:
    method, path = route.split(" ", 1)
    values = {"document_id": document_id, "kind": "text", "number": "1"}
    return method, re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def test_document_routes_follow_the_read_rule(world: World) -> None:
    """GIVEN every caller and every live document WHEN each document route is called
    THEN a readable document answers, an unreadable one answers exactly like a missing one,
    and no body carries what the caller may not read."""
    for caller in world.callers.values():
        for route in DOCUMENT_ROUTES:
            page = not route.split(" ", 1)[1].startswith("/api/")
            if page and caller.login is None:
                continue  # pages are for people; keys are sent to sign in (the gate test)
            gate = OFFICER_RULES.get(ROUTES[route])
            probe = PROBES.get(route, {})
            if gate is not None and gate not in caller.permissions:
                for doc in world.live[:: len(world.live) - 1]:  # refused before any document
                    answer = caller.call(*_document_url(route, doc.id), **probe)
                    assert answer.status_code == 403, (caller.name, route)
                continue
            # One request id for both: error bodies carry it, and nothing else may differ.
            same_id = {"X-Request-ID": "access-matrix"}
            missing = caller.call(*_document_url(route, MISSING), **probe, headers=same_id)
            for doc in world.live:
                answer = caller.call(*_document_url(route, doc.id), **probe, headers=same_id)
                what = f"{route} on {doc.title}"
                assert_no_leak(world, caller, answer, what)
                if not may_read(caller, doc):
                    assert answer.status_code == missing.status_code == 404, (caller.name, what)
                    same = answer.content.replace(doc.id.encode(), MISSING.encode())
                    assert same == missing.content, (caller.name, what)
                else:
                    assert answer.status_code < 500, (caller.name, what, answer.text[:300])
                    if not route.endswith(".png"):
                        assert answer.status_code != 404, (caller.name, what, answer.text[:300])
                    if route in (
                        "GET /api/v1/documents/{document_id}",
                        "GET /documents/{document_id}",
                    ):
                        assert doc.title in answer.text, (caller.name, what)


def test_lists_and_search_show_only_readable_documents(world: World) -> None:
    """GIVEN every caller WHEN listing and searching THEN exactly the readable documents come back."""
    for caller in world.callers.values():
        readable = {d.id for d in world.live if may_read(caller, d)}
        every = {d.id for d in world.live}
        listed = caller.call("GET", "/api/v1/documents", params={"limit": 200})
        assert_no_leak(world, caller, listed, "document list")
        assert {i["id"] for i in listed.json()["items"]} & every == readable, caller.name
        found = caller.call("GET", "/api/v1/search", params={"q": "matrixcommon", "size": 50})
        assert_no_leak(world, caller, found, "search")
        assert {h["id"] for h in found.json()["hits"]} == readable, caller.name
        if caller.login is not None:
            assert_no_leak(
                world,
                caller,
                caller.call("GET", "/search", params={"q": "matrixcommon"}),
                "search page",
            )


def _officers(world: World, permission: str) -> list[Caller]:
    found = [c for c in world.callers.values() if permission in c.permissions]
    assert len(found) == 2
    return found


def test_records_officers_see_above_their_clearance_only_as_counts(world: World) -> None:
    """GIVEN records officers cleared to confidential and to secret WHEN they read the registers,
    batches, certificates and transfer package THEN each sees only the records it may read,
    the rest as a count, and cannot act on or export a batch holding any it may not read."""
    for caller in _officers(world, "records"):
        readable = [d for d in world.live if may_read(caller, d)]
        visible_gone = [d for d in world.gone if may_see_gone(caller, d)]
        hidden_live, hidden_gone = (
            len(world.live) - len(readable),
            len(world.gone) - len(visible_gone),
        )
        due = caller.call("GET", f"{R}/due", params={"fiscal_year": 2025})
        assert_no_leak(world, caller, due, "due")
        assert {i["document_id"] for i in due.json()["items"]} == {d.id for d in readable}
        assert due.json()["withheld"] == hidden_live
        for url, shown in ((f"{R}/register.csv", readable), (f"{R}/disposed.csv", visible_gone)):
            answer = caller.call("GET", url)
            assert answer.status_code == 200
            assert_no_leak(world, caller, answer, url)
            assert all(d.title in answer.text for d in shown), (caller.name, url)
        for batch, shown, hidden in (
            (world.transferred_batch, visible_gone, hidden_gone),
            (world.proposed_batch, readable, hidden_live),
        ):
            answer = caller.call("GET", f"{R}/batches/{batch}")
            assert_no_leak(world, caller, answer, "batch")
            assert {i["document_id"] for i in answer.json()["items"]} == {d.id for d in shown}
            assert answer.json()["withheld"] == hidden
            page = caller.call("GET", f"/retention/batches/{batch}")
            assert page.status_code == 200
            assert_no_leak(world, caller, page, "batch page")
            assert (f"閲覧権限のない {hidden} 件" in page.text) == bool(hidden), caller.name
        for url in (
            "/retention/due",
            "/retention/forecast?as_of=2999-01-01",
            "/retention/batches",
            "/retention/holds",
            f"{R}/batches",
            f"{R}/holds",
        ):
            answer = caller.call("GET", url)
            assert answer.status_code == 200, url
            assert_no_leak(world, caller, answer, url)
        exports = [
            f"{R}/batches/{world.transferred_batch}/{n}"
            for n in ("certificate.pdf", "certificate.csv", "transfer.zip")
        ]
        for url in exports:
            answer = caller.call("GET", url)
            assert answer.status_code == (403 if hidden_gone else 200), (caller.name, url)
            squeezed = assert_no_leak(world, caller, answer, url)
            if not hidden_gone and not url.endswith(".pdf"):
                assert all(d.title in squeezed for d in world.gone), url
        for doc in world.gone:
            tomb = caller.call("GET", f"{R}/disposed/{doc.id}")
            assert tomb.status_code == (200 if may_see_gone(caller, doc) else 404), (
                caller.name,
                doc.title,
            )
            assert_no_leak(world, caller, tomb, "residual record")
            page = caller.call("GET", f"/documents/{doc.id}")
            assert page.status_code == (410 if may_see_gone(caller, doc) else 404), doc.title
            assert_no_leak(world, caller, page, "tombstone page")
        if hidden_live:  # an officer who may read everything would really review it
            refused = caller.call("POST", f"{R}/batches/{world.proposed_batch}/review", json={})
            assert refused.status_code == 403 and "clearance" in refused.text


def test_disclosure_officers_cannot_see_preview_or_redact_above_their_clearance(
    world: World,
) -> None:
    """GIVEN a request holding records of every level WHEN disclosure officers cleared to
    internal and to secret work on it THEN each sees, previews and searches only the records
    it may read; the rest are a count, and 404 like missing ones."""
    base = f"/api/v1/disclosure/requests/{world.request_id}"
    for caller in _officers(world, "disclosure"):
        readable = {d.id for d in world.live if may_read(caller, d)}
        hidden = len(world.live) - len(readable)
        listed = caller.call("GET", f"{base}/records")
        assert_no_leak(world, caller, listed, "records")
        assert {r["document_id"] for r in listed.json()} == readable
        assert listed.headers["X-Withheld"] == str(hidden)
        page = caller.call("GET", f"/disclosure/requests/{world.request_id}")
        assert page.status_code == 200
        assert_no_leak(world, caller, page, "request page")
        assert (f"閲覧権限のない {hidden} 件" in page.text) == bool(hidden)
        notice = caller.call("GET", f"{base}/notice.pdf")
        assert notice.status_code == (403 if hidden else 404), caller.name
        for doc in world.live:
            record = world.records[doc.id]
            urls: list[tuple[str, str, dict[str, Any]]] = [
                ("GET", f"{base}/records/{record}/preview.pdf", {}),
                ("GET", f"{base}/records/{record}/redactions", {}),
                ("GET", f"/disclosure/requests/{world.request_id}/records/{record}", {}),
            ]
            if doc.id not in readable:
                urls.append(
                    (
                        "POST",
                        f"{base}/records/{record}/redactions/find",
                        {"json": {"pattern": doc.marker, "category": "personal"}},
                    )
                )
                urls.append(("POST", f"{base}/records", {"json": {"document_ids": [doc.id]}}))
            for method, url, kw in urls:
                answer = caller.call(method, url, **kw)
                assert_no_leak(world, caller, answer, url)
                expected = (200, 201) if doc.id in readable else (404,)
                assert answer.status_code in expected, (caller.name, url, answer.status_code)


def test_denied_reads_are_audited(world: World) -> None:
    """GIVEN section staff and a document of another bureau WHEN it asks for the derivatives,
    similar documents, retention or changes the title THEN each is a 404 recorded as denied."""
    caller = world.callers["section-staff"]
    doc = next(d for d in world.live if d.owner == "kenko" and d.level == "internal")
    calls = {
        "document.download": ("GET", f"/api/v1/documents/{doc.id}/derivatives/text", {}),
        "document.similar": ("GET", f"/api/v1/documents/{doc.id}/similar", {}),
        "retention.view": ("GET", f"/api/v1/documents/{doc.id}/retention", {}),
        "document.update": ("PATCH", f"/api/v1/documents/{doc.id}", {"json": {"title": "x"}}),
    }
    # The shared world's other tests leave denials of other keys on this document too: the
    # request id picks out this caller's own attempts.
    probe = {"X-Request-ID": f"denied-reads-{uuid.uuid4().hex[:8]}"}
    for method, url, kw in calls.values():
        assert caller.call(method, url, headers=probe, **kw).status_code == 404, url
    auditor = world.callers["records-secret"]
    log = auditor.call(
        "GET", "/api/v1/audit", params={"target": doc.id, "outcome": "denied", "limit": 200}
    )
    denied = {
        e["action"]
        for e in log.json()["items"]
        if json.loads(e["detail"]).get("request_id") == probe["X-Request-ID"]
    }
    assert set(calls) <= denied
    disclosure = world.callers["disclosure-internal"]
    secret = next(d for d in world.live if d.level == "secret" and d.owner == "jinji")
    url = f"/api/v1/disclosure/requests/{world.request_id}/records/{world.records[secret.id]}/preview.pdf"
    assert disclosure.call("GET", url).status_code == 404
    log = auditor.call(
        "GET", "/api/v1/audit", params={"target": world.request_id, "outcome": "denied"}
    )
    assert ("user:disclosure-internal", "disclosure.preview") in {
        (e["actor"], e["action"]) for e in log.json()["items"]
    }
