"""Sessions: a transaction that only reads does not queue behind a writer; writers queue."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from archive import (
    DatabaseUnavailable,
    Department,
    begin_reading,
    make_engine,
    make_session_factory,
    translate_db_errors,
)
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


def test_a_writer_waits_for_the_lock_and_writes_once_it_is_free(
    services: Services, department: str
) -> None:
    """GIVEN a writer holding its transaction WHEN another session begins a write and the
    first commits a little later THEN the second waited for the lock and wrote after it."""
    renamed = threading.Event()

    def rename_then_commit() -> None:
        with services.sessions.begin() as first:
            row = first.scalar(select(Department).where(Department.code == department))
            assert row is not None
            row.name = "先"
            first.flush()
            renamed.set()
            time.sleep(0.05)  # the second session begins meanwhile

    holder = threading.Thread(target=rename_then_commit)
    holder.start()
    renamed.wait()
    with services.sessions.begin() as second:
        row = second.scalar(select(Department).where(Department.code == department))
        assert row is not None
        assert row.name == "先" or services.settings.database_url.startswith("postgresql")
        row.name = "後"
    holder.join()
    with services.sessions() as session:
        assert session.scalar(select(Department.name).where(Department.code == department)) == "後"


def test_a_writer_that_cannot_get_the_lock_in_time_is_told_the_database_is_unavailable(
    services: Services, department: str
) -> None:
    """GIVEN a writer holding its transaction on SQLite WHEN another session, on an engine
    that waits at most 50 ms, begins a write THEN it gets ``DatabaseUnavailable`` ("locked")
    rather than waiting on; on PostgreSQL (row locks) it writes another row at once."""
    impatient = make_engine(services.settings.database_url, timeout_s=0.05)
    sqlite = services.settings.database_url.startswith("sqlite")
    try:
        with services.sessions.begin() as writer:
            row = writer.scalar(select(Department).where(Department.code == department))
            assert row is not None
            row.name = "改名中"
            writer.flush()
            if sqlite:
                with (
                    pytest.raises(DatabaseUnavailable, match="locked"),
                    translate_db_errors(),
                    make_session_factory(impatient).begin() as other,
                ):
                    other.execute(select(1))
            else:
                with make_session_factory(impatient).begin() as other:
                    assert other.execute(select(1)).scalar() == 1
            writer.rollback()
    finally:
        impatient.dispose()
