"""``bunko retention`` calls the same use cases as the API, audit included."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from archive.calendar import today_in_japan
from archive.models import AuditEvent
from tests.cli import bunko
from web.services import Services
from web.settings import Settings


def test_the_commands_record_what_the_api_records(
    services: Services, settings: Settings, tmp_path: Path
) -> None:
    """GIVEN a migrated database WHEN the plan is seeded, exported, imported back, the daily
    job run (and refused a future day) and the registers printed THEN each command records the
    API's action; a future --as-of exits non-zero with the API's reason."""
    plan = tmp_path / "plan.csv"
    for args in (
        ["retention", "plan", "seed"],
        ["retention", "plan", "export", str(plan)],
        ["retention", "plan", "import", str(plan)],
        ["retention", "run"],
        ["retention", "register", "--disposed"],
    ):
        done = bunko(settings, *args)
        assert done.returncode == 0, (args, done.stderr)
    future = (today_in_japan() + timedelta(days=1)).isoformat()
    refused = bunko(settings, "retention", "run", "--as-of", future)
    assert refused.returncode != 0 and "cannot be in the future" in refused.stderr
    with services.sessions() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert [a for a in actions if a.startswith("retention.")] == [
        "retention.series.defaults",
        "retention.series.export",
        "retention.series.import",
        "retention.run",
        "retention.disposed.export",
    ]
