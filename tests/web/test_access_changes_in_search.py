"""Search totals and facet counts follow access changes in the request that makes them.

No worker runs here: a change that only queued a re-index would leave the old entry
counting in totals and facets (a term oracle) until some worker got to it.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from archive.access import SecurityLevel
from tests.factories import key_for
from tests.web.test_search_api import indexed, search  # noqa: F401 - fixture
from web.services import Services

QUERY = "personnel"  # only in the confidential memo of 人事課 (jinji)


def _counted(client: TestClient, key: str) -> tuple[int, dict[str, int]]:
    """The total for QUERY and its security-level facet, as the caller sees them."""
    body = search(client, key, q=QUERY, facets="security_level,department")
    levels = {bucket["value"]: bucket["count"] for bucket in body["facets"]["security_level"]}
    return body["total"], levels


def _admin(services: Services) -> dict[str, str]:
    key = key_for(
        services, None, scopes=("admin", "read", "upload"), clearance=SecurityLevel.SECRET
    )
    return {"X-API-Key": key}


def test_a_grant_and_its_revocation_reach_totals_and_facets_at_once(
    indexed,  # noqa: F811 - fixture
    services: Services,
) -> None:
    """GIVEN a confidential memo another bureau may not read WHEN an administrator grants it
    to that bureau and then revokes the grant THEN its total and facets follow each step."""
    client, keys, ids = indexed
    admin = _admin(services)
    assert _counted(client, keys["kenko"]) == (0, {})
    granted = client.post(
        f"/api/v1/documents/{ids['memo']}/grants", json={"department": "kenko"}, headers=admin
    )
    assert granted.status_code == 201, granted.text
    assert _counted(client, keys["kenko"]) == (1, {"confidential": 1})
    revoked = client.delete(
        f"/api/v1/documents/{ids['memo']}/grants/{granted.json()['id']}", headers=admin
    )
    assert revoked.status_code == 204, revoked.text
    assert _counted(client, keys["kenko"]) == (0, {})


def test_a_level_raise_reaches_totals_and_facets_at_once(
    indexed,  # noqa: F811 - fixture
    services: Services,
) -> None:
    """GIVEN a confidential memo its section reads WHEN it is raised to secret
    THEN the section's confidential staff no longer count it, and a secret reader does."""
    client, keys, ids = indexed
    admin = _admin(services)
    assert _counted(client, keys["jinji"]) == (1, {"confidential": 1})
    raised = client.patch(
        f"/api/v1/documents/{ids['memo']}", json={"security_level": "secret"}, headers=admin
    )
    assert raised.status_code == 200, raised.text
    assert _counted(client, keys["jinji"]) == (0, {})
    assert _counted(client, keys["somu"]) == (1, {"secret": 1})
