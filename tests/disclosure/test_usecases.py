"""One use case per operation: a refused page form is recorded under the operation's action."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.access import SecurityLevel
from archive.models import AuditEvent
from tests.disclosure.conftest import REQUEST
from tests.factories import csrf_from, key_for, person, sign_in, upload_as
from tests.retention.conftest import Officer
from web.app import create_app
from web.services import Services


@pytest.fixture
def internal_officer(organisation: Services) -> Iterator[Officer]:
    person(organisation, "mori", "somu", roles=("disclosure_officer",))
    with TestClient(create_app(services=organisation)) as client:
        sign_in(client, "mori")
        client.headers["X-CSRF-Token"] = csrf_from(client.get("/").text)
        yield Officer("mori", client)


def test_attaching_a_record_above_clearance_from_the_page_is_recorded_as_the_api_records_it(
    organisation: Services, officer: Officer, internal_officer: Officer
) -> None:
    """GIVEN a request and a secret document WHEN an officer cleared to internal attaches it
    from the request page THEN 404 and nothing attached, and the refusal is in the audit log
    as disclosure.records.attach (the API's action), not as the form's name."""
    secret = upload_as(
        officer.client,
        key_for(organisation, "somu", clearance=SecurityLevel.SECRET),
        b"secret memo",
        security_level="secret",
    )
    rid = officer.post("/api/v1/disclosure/requests", json=REQUEST).json()["id"]
    page = internal_officer.get(f"/disclosure/requests/{rid}")
    refused = internal_officer.post(
        f"/disclosure/requests/{rid}/attach",
        data={"csrf_token": csrf_from(page.text), "attach_ids": secret},
        follow_redirects=False,
    )
    assert refused.status_code == 404
    assert officer.get(f"/api/v1/disclosure/requests/{rid}/records").json() == []
    with organisation.sessions() as session:
        denied = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.actor == "user:mori", AuditEvent.outcome == "denied"
            )
        ).all()
    assert denied == ["disclosure.records.attach"]
