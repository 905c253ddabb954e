"""Per-source rate limits (issue 17): an API key over its allowance gets 429 with
Retry-After and a JSON error; other keys and people are not affected."""

from __future__ import annotations

import dataclasses

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from tests.conftest import start_server, stop_server
from tests.factories import key_for, org
from web.app import create_app
from web.rate_limit import RateLimiter
from web.services import Services
from web.settings import Settings


def test_a_key_over_its_rate_waits_and_others_do_not(services: Services) -> None:
    """GIVEN 6 requests a minute with a burst of 2 WHEN a key makes a third at once THEN 429
    says to retry in 10 s; another key still gets through; 10 s later the first does too."""
    org(services)
    busy, quiet = key_for(services, "somu"), key_for(services, "somu")
    now = [1000.0]
    limited = dataclasses.replace(services, limiter=RateLimiter(6, 2, clock=lambda: now[0]))
    with TestClient(create_app(services=limited)) as client:
        for _ in range(2):
            assert client.get("/api/v1/documents", headers={"X-API-Key": busy}).status_code == 200
        refused = client.get("/api/v1/documents", headers={"X-API-Key": busy})
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "10"
        error = refused.json()["error"]
        assert error["code"] == "rate_limited" and error["retry_after"] == 10
        assert client.get("/api/v1/documents", headers={"X-API-Key": quiet}).status_code == 200
        now[0] += 10
        assert client.get("/api/v1/documents", headers={"X-API-Key": busy}).status_code == 200


def test_the_limit_is_a_setting_of_the_served_api(services: Services) -> None:
    """Through a real ``bunko serve`` with BUNKO_RATE_LIMIT_PER_MINUTE=1 and a burst of 2."""
    org(services)
    key = key_for(services, "somu")
    settings = services.settings.model_copy(
        update={"rate_limit_per_minute": 1, "rate_limit_burst": 2}
    )
    server, base = start_server(settings)
    try:
        codes = [
            httpx.get(f"{base}/api/v1/documents", headers={"X-API-Key": key}, timeout=10)
            for _ in range(3)
        ]
    finally:
        stop_server(server)
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert 1 <= int(codes[2].headers["retry-after"]) <= 60


@pytest.mark.parametrize("bad", [{"rate_limit_per_minute": -1}, {"rate_limit_burst": 0}])
def test_a_nonsense_limit_is_refused_at_start(bad: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        Settings(**bad)  # type: ignore[arg-type]
