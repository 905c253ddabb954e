"""``disclosure.due_soon``: announced once per due date, to disclosure officers, by the scheduler."""

from __future__ import annotations

import time
from datetime import date, timedelta

import httpx2 as httpx
from sqlalchemy import select

from archive.events import Event, EventType
from disclosure.reminders import announce_due_soon
from disclosure.requests import NewRequest, create_request, extend, get_request, pause, step
from retention.dates import today_in_japan
from tests.conftest import serving
from tests.factories import key_for, org
from web.services import Services

TODAY = date(2026, 11, 30)


def _file(services: Services, received_on: date, name: str = "市民 花子") -> str:
    spec = NewRequest(
        requester_name=name,
        requester_type="individual",
        records_sought="道路補修の契約書",
        channel="online",
        received_on=received_on,
    )
    with services.sessions.begin() as session:
        return create_request(session, spec, actor="user:kobayashi").id


def _announced(services: Services) -> list[dict[str, object]]:
    with services.sessions() as session:
        events = session.scalars(
            select(Event)
            .where(Event.type == EventType.DISCLOSURE_DUE_SOON.value)
            .order_by(Event.id)
        )
        return [event.payload["data"] for event in events]


def _announce(services: Services, today: date = TODAY) -> int:
    with services.sessions.begin() as session:
        return announce_due_soon(session, today=today, within_days=3)


def test_a_request_nearly_due_is_announced_once_per_due_date(services: Services) -> None:
    """GIVEN requests due soon and due later WHEN the scheduler runs again and again THEN each due date is announced once."""
    org(services)
    soon = _file(services, TODAY - timedelta(days=12))
    later = _file(services, TODAY, "遠い 先")
    assert _announce(services) == 1
    assert _announce(services) == 0
    [data] = _announced(services)
    assert data["request_id"] == soon and "花子" not in str(data)
    assert data["link"] == f"/api/v1/disclosure/requests/{soon}"
    due_on = date.fromisoformat(str(data["due_on"]))
    assert 0 <= (due_on - TODAY).days <= 3 and data["days_left"] == (due_on - TODAY).days

    with services.sessions.begin() as session:  # an extension moves the date: due soon again later
        moved = extend(session, get_request(session, soon), days=30, reason="量が多い", actor="k")
    assert _announce(services) == 0
    later_due = _due_on(services, later)
    assert _announce(services, moved - timedelta(days=1)) == 2  # the moved one, and `later`
    assert {d["request_id"]: d["due_on"] for d in _announced(services)[1:]} == {
        soon: moved.isoformat(),
        later: later_due.isoformat(),
    }


def _due_on(services: Services, request_id: str) -> date:
    with services.sessions() as session:
        return get_request(session, request_id).due_on


def test_withdrawn_and_paused_requests_are_not_announced(services: Services) -> None:
    """GIVEN overdue requests, one withdrawn and one whose clock is paused WHEN the scheduler runs THEN neither is announced."""
    org(services)
    withdrawn = _file(services, TODAY - timedelta(days=40))
    paused = _file(services, TODAY - timedelta(days=40), "補正 中")
    with services.sessions.begin() as session:
        step(session, get_request(session, withdrawn), "withdrawn", actor="k", note="取下げ")
        pause(session, get_request(session, paused), start_on=TODAY, reason="補正", actor="k")
    assert _announce(services) == 0


def test_the_running_service_tells_disclosure_officers_and_no_one_else(
    services: Services, stack: str
) -> None:
    """GIVEN bunko serve with its scheduler WHEN a request nearly due is filed over HTTP THEN its officers' feed gets disclosure.due_soon."""
    org(services)
    settings = services.settings.model_copy(update={"disclosure_due_soon_every_s": 0.5})
    portal = {"X-API-Key": key_for(services, "somu", scopes=("read", "disclosure"))}
    staff = {"X-API-Key": key_for(services, "somu")}
    with serving(services, stack, settings) as server:
        base = server.base
        filed = httpx.post(
            f"{base}/api/v1/disclosure/requests",
            json={
                "requester_name": "市民 花子",
                "requester_type": "individual",
                "records_sought": "2024年度の道路補修契約書",
                "channel": "online",
                "received_on": (today_in_japan() - timedelta(days=20)).isoformat(),
            },
            headers=portal,
            timeout=30,
        )
        assert filed.status_code == 201, filed.text
        feed: list[dict[str, object]] = []
        deadline = time.monotonic() + 90
        while not feed and time.monotonic() < deadline:
            time.sleep(0.3)
            feed = httpx.get(
                f"{base}/api/v1/events",
                params={"type": "disclosure.due_soon"},
                headers=portal,
                timeout=30,
            ).json()["events"]
        assert [e["data"]["request_id"] for e in feed] == [filed.json()["id"]]  # type: ignore[index]
        others = httpx.get(
            f"{base}/api/v1/events", params={"type": "disclosure.due_soon"}, headers=staff
        )
        assert others.status_code == 200 and others.json()["events"] == []
