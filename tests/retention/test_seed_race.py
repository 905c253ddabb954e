"""Two workers giving an empty file plan its default plan at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from retention.engine import assign_at_ingest
from retention.models import DocumentRetention
from tests.factories import key_for, org, upload_as
from web.app import create_app
from web.services import Services


@pytest.mark.parametrize("stack", [pytest.param("scale", marks=pytest.mark.live)])
def test_concurrent_first_documents_share_one_default_plan(services: Services) -> None:
    """GIVEN an empty plan and two documents read at once WHEN both seed the default plan
    THEN the second uses the first's plan instead of failing on its unique series codes.

    (SQLite lets one writer at a time, so the race exists only at scale.)
    """
    org(services)
    key = key_for(services, "somu")
    with TestClient(create_app(services=services)) as client:
        first, second = (
            upload_as(client, key, text.encode()) for text in ("請求書 一", "請求書 二")
        )
    errors: list[BaseException] = []
    holder = services.sessions()
    holder.begin()
    assign_at_ingest(holder, first, doc_type="invoice", fields={})  # seeds, not yet committed

    def other_worker() -> None:
        try:
            with services.sessions.begin() as session:
                assign_at_ingest(session, second, doc_type="invoice", fields={})
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=other_worker)
    thread.start()
    time.sleep(1)  # let the other worker reach the series insert, which waits for this commit
    holder.commit()
    holder.close()
    thread.join(60)
    assert not thread.is_alive() and errors == []
    with services.sessions() as session:
        rows = session.scalars(select(DocumentRetention)).all()
        assert {r.document_id for r in rows if r.series_id is not None} == {first, second}
