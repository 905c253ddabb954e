"""Sessions: a transaction that only reads does not queue behind a writer."""

from __future__ import annotations

from sqlalchemy import select

from archive import Department, begin_reading, make_engine, make_session_factory
from web.services import Services


def test_a_reading_transaction_reads_while_a_writer_holds_its_transaction(
    services: Services, department: str
) -> None:
    """GIVEN a writer in the middle of a transaction that renamed a department WHEN a session
    begun with ``begin_reading`` (on an engine that waits at most 50 ms for a lock) reads the
    department THEN it reads the committed name: it took no write lock (on SQLite a
    transaction begun as usual, ``BEGIN IMMEDIATE``, would be refused as "locked")."""
    impatient = make_engine(services.settings.database_url, timeout_s=0.05)
    try:
        with services.sessions.begin() as writer:
            row = writer.scalar(select(Department).where(Department.code == department))
            assert row is not None
            row.name = "改名中"
            writer.flush()
            with make_session_factory(impatient)() as reader:
                begin_reading(reader)
                name = reader.scalar(select(Department.name).where(Department.code == department))
            assert name == "総務局"
            writer.rollback()
    finally:
        impatient.dispose()
