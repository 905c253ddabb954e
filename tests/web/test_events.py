"""The event feed and webhooks, on both stacks, with a real HTTP receiver on loopback."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.access import SecurityLevel
from archive.departments import add_department
from archive.webhook_delivery import DeliveryOptions, deliver
from archive.webhooks import WebhookDelivery
from tests.conftest import serving
from tests.factories import csrf_from, key_for, org, person, sign_in, upload_as
from tests.ops.test_metrics import samples
from web.app import create_app
from web.services import Services


@dataclass
class Receiver:
    """A webhook endpoint on loopback: answers ``statuses`` in turn (then 200), or stalls and fails."""

    statuses: list[int] = field(default_factory=list)
    stall_s: float = 0.0
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _headers, body in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = state.statuses.pop(0) if state.statuses else 200
            if state.stall_s:
                time.sleep(state.stall_s)  # past the sender's timeout: this one does not count
                status = 504
            if status == 200:
                state.received.append((dict(self.headers.items()), body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def other_department(services: Services, department: str) -> str:
    with services.sessions.begin() as session:
        add_department(session, code="kankyo", name="環境局")
    return "kankyo"


def _upload(client: TestClient, name: str = "memo.txt", text: str = "議事録 本文") -> str:
    response = client.post(
        "/api/v1/documents", files={"file": (name, text.encode())}, data={"metadata": "{}"}
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def test_feed_shows_a_department_its_own_documents_with_a_cursor_and_no_content(
    client: TestClient, services: Services, other_department: str
) -> None:
    """GIVEN an upload WHEN keys of two departments read the feed THEN only the owner's sees it, without its title."""
    document_id = _upload(client, "秘密の題名.txt")
    body = client.get("/api/v1/events").json()
    stored = [e for e in body["events"] if e["type"] == "document.stored"]
    assert [e["data"]["document_id"] for e in stored] == [document_id]
    assert stored[0]["data"]["links"]["document"] == f"/api/v1/documents/{document_id}"
    assert "秘密の題名" not in json.dumps(body, ensure_ascii=False)
    again = client.get("/api/v1/events", params={"after": body["next_after"]}).json()
    assert again == {"events": [], "next_after": body["next_after"]}
    typed = client.get("/api/v1/events", params={"type": "document.indexed"}).json()
    assert all(e["type"] == "document.indexed" for e in typed["events"])

    stranger = {"X-API-Key": key_for(services, other_department)}
    assert client.get("/api/v1/events", headers=stranger).json()["events"] == []


def test_officer_events_reach_only_officers(services: Services) -> None:
    """GIVEN a hold placed by a records officer WHEN staff and the officer read the feed THEN only the officer sees hold.placed."""
    org(services)
    staff = {"X-API-Key": key_for(services, "somu")}
    person(services, "tanaka", "somu", roles=("records_officer",), clearance=SecurityLevel.SECRET)
    with TestClient(create_app(services=services)) as officer:
        document_id = upload_as(officer, staff["X-API-Key"], "議事録".encode())
        sign_in(officer, "tanaka")
        officer.headers["X-CSRF-Token"] = csrf_from(officer.get("/").text)
        placed = officer.post(
            "/api/v1/retention/holds",
            json={"name": "監査", "reason": "会計検査", "document_ids": [document_id]},
        )
        assert placed.status_code == 201, placed.text
        seen = {e["type"] for e in officer.get("/api/v1/events").json()["events"]}
        assert {"hold.placed", "document.stored"} <= seen
        own = {e["type"] for e in officer.get("/api/v1/events", headers=staff).json()["events"]}
    assert "hold.placed" not in own and "document.stored" in own


@pytest.mark.parametrize(
    "params",
    [
        {"after": "-1"},
        {"after": str(2**63)},
        {"after": "x"},
        {"limit": "0"},
        {"limit": "501"},
        {"type": "document.exploded"},
    ],
)
def test_bad_feed_parameters_are_422(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/api/v1/events", params=params)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "body",
    [
        {"url": "file:///etc/passwd"},
        {"url": "javascript:alert(1)"},
        {"url": "http://"},
        {"url": "http://example.org/" + "a" * 2000},
        {"url": "http://127.0.0.1/", "event_types": ["nope"]},
        {"url": "http://127.0.0.1/", "extra": 1},
        {"url": 5},
        {},
    ],
)
def test_bad_webhooks_are_refused(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/api/v1/webhooks", json=body)
    assert response.status_code == 422, response.text
    assert client.get("/api/v1/webhooks").json() == []


def test_webhooks_belong_to_their_key(
    client: TestClient, services: Services, department: str, receiver: Receiver
) -> None:
    """GIVEN a key's webhook WHEN another key asks for it THEN it is not found (404), nor listed."""
    made = client.post("/api/v1/webhooks", json={"url": receiver.url}).json()
    other = {"X-API-Key": key_for(services, department)}
    assert client.get("/api/v1/webhooks", headers=other).json() == []
    response = client.get(f"/api/v1/webhooks/{made['id']}/deliveries", headers=other)
    assert response.status_code == 404
    assert (
        client.patch(
            f"/api/v1/webhooks/{made['id']}", json={"active": False}, headers=other
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/webhooks/{2**63}/deliveries").status_code == 422


def _options(services: Services, **changes: float) -> DeliveryOptions:
    base = services.pipeline().webhooks
    assert base is not None
    return DeliveryOptions(
        server_secret=base.server_secret,
        retry_base_s=changes.get("retry_base_s", 0.2),
        give_up_after_s=changes.get("give_up_after_s", 3600),
        timeout_s=changes.get("timeout_s", 2),
    )


def _check_signature(secret: str, headers: dict[str, str], body: bytes) -> None:
    fields = dict(part.split("=", 1) for part in headers["Bunko-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(fields["v1"], expected.hexdigest())
    assert abs(int(fields["t"]) - time.time()) < 300


def test_deliveries_are_signed_retried_with_backoff_and_logged(
    client: TestClient, services: Services, receiver: Receiver
) -> None:
    """GIVEN a receiver that fails twice, then times out, then recovers THEN the event arrives once, signed, every attempt logged."""
    made = client.post(
        "/api/v1/webhooks", json={"url": receiver.url, "event_types": ["document.stored"]}
    ).json()
    document_id = _upload(client)
    options = _options(services, timeout_s=1)
    receiver.statuses = [500, 503]
    deadline = time.monotonic() + 30

    def attempts() -> int:
        return sum(len(d["attempts"]) for d in _log(client, made["id"]))

    def until(done: Callable[[], bool]) -> None:
        while not done() and time.monotonic() < deadline:
            deliver(services.sessions, options)
            time.sleep(0.1)

    until(lambda: attempts() >= 2)
    receiver.stall_s = 1.5
    until(lambda: attempts() >= 3)
    receiver.stall_s = 0
    until(lambda: bool(receiver.received))
    [(headers, body)] = receiver.received
    assert json.loads(body)["data"]["document_id"] == document_id
    assert headers["Bunko-Event-Type"] == "document.stored"
    _check_signature(made["secret"], headers, body)
    [delivery] = _log(client, made["id"])
    assert delivery["status"] == "delivered"
    codes = [a["status_code"] for a in delivery["attempts"]]
    assert codes[:2] == [500, 503] and codes[-1] == 200
    assert any("Timeout" in (a["error"] or "") for a in delivery["attempts"])


def _log(client: TestClient, webhook_id: int) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/webhooks/{webhook_id}/deliveries")
    assert response.status_code == 200, response.text
    return list(response.json())


def test_a_subscription_failing_past_the_limit_is_disabled_with_an_event(
    client: TestClient, services: Services, receiver: Receiver
) -> None:
    """GIVEN a receiver that always fails WHEN the give-up time passes THEN the webhook is disabled and says so."""
    made = client.post(
        "/api/v1/webhooks", json={"url": receiver.url, "event_types": ["document.stored"]}
    ).json()
    _upload(client)
    receiver.statuses = [500]
    deliver(services.sessions, _options(services, give_up_after_s=0))
    [hook] = client.get("/api/v1/webhooks").json()
    assert hook["active"] is False and "HTTP 500" in hook["disabled_reason"]
    events = client.get("/api/v1/events", params={"type": "webhook.disabled"}).json()["events"]
    assert [e["data"]["webhook_id"] for e in events] == [made["id"]]
    with services.sessions() as session:
        statuses = set(session.scalars(select(WebhookDelivery.status)))
    assert statuses == {"failed"}
    admin = key_for(services, None, scopes=("admin",), clearance=SecurityLevel.SECRET)
    scraped = samples(client.get("/metrics", headers={"X-API-Key": admin}).text)
    assert scraped[("bunko_webhook_deliveries", frozenset({("status", "failed")}))] == 1
    assert scraped[("bunko_webhook_attempts", frozenset({("outcome", "failed")}))] == 1
    assert scraped[("bunko_webhook_attempts", frozenset({("outcome", "ok")}))] == 0
    # Turned back on, it gets what happens from then on.
    assert client.patch(f"/api/v1/webhooks/{made['id']}", json={"active": True}).json()["active"]
    second = _upload(client, "second.txt", "二通目")
    deliver(services.sessions, _options(services))
    assert [b["data"]["document_id"] for b in receiver.bodies()] == [second]


def test_webhook_reaches_an_integrating_system_through_the_running_service(
    services: Services, stack: str, department: str, receiver: Receiver
) -> None:
    """GIVEN bunko serve (and a worker) WHEN a system subscribes and uploads over HTTP THEN it is told the document is indexed."""
    key = key_for(services, department)
    settings = services.settings.model_copy(update={"webhook_every_s": 0.5})
    with serving(services, stack, settings) as server:
        base = server.base
        headers = {"X-API-Key": key}
        made = httpx.post(
            f"{base}/api/v1/webhooks",
            json={"url": receiver.url, "event_types": ["document.indexed"]},
            headers=headers,
            timeout=10,
        ).json()
        upload = httpx.post(
            f"{base}/api/v1/documents",
            files={"file": ("memo.txt", "会議録".encode())},
            headers=headers,
            timeout=30,
        )
        assert upload.status_code == 202, upload.text
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not receiver.received:
            time.sleep(0.3)
        [(hook_headers, body)] = receiver.received
        assert json.loads(body)["data"]["document_id"] == upload.json()["id"]
        _check_signature(made["secret"], hook_headers, body)
