"""The same administration from the ``bunko`` CLI, and what a fresh install tells its operator."""

from __future__ import annotations

from datetime import timedelta

import httpx2 as httpx
from sqlalchemy import func, select

from archive.access import SecurityLevel
from archive.models import ApiKey, AuditEvent, Department, DepartmentChange, User, utcnow
from tests.cli import bunko
from tests.conftest import start_server, stop_server
from tests.factories import org, person
from web.services import Services


def test_the_cli_edits_people_and_reorganises_departments(services: Services) -> None:
    org(services)
    person(services, "admin", None, roles=("admin",))
    person(services, "sato", "jinji")

    demote = bunko(services.settings, "user", "edit", "admin", "--role", "staff")
    assert demote.returncode != 0 and "last active administrator" in demote.stderr
    edited = bunko(
        services.settings,
        "user",
        "edit",
        "sato",
        "--role",
        "records_officer",
        "--clearance",
        "secret",
    )
    assert edited.returncode == 0, edited.stderr
    with services.sessions.begin() as session:
        sato = session.scalar(select(User).where(User.login == "sato"))
        assert sato is not None and sato.department is not None
        assert (sato.roles, sato.department.code) == ("records_officer", "jinji")
        assert sato.clearance == int(SecurityLevel.SECRET)
        sato.locked_until = utcnow() + timedelta(minutes=5)
        sato.active = False
    assert bunko(services.settings, "user", "unlock", "sato").returncode == 0
    assert bunko(services.settings, "user", "enable", "sato").returncode == 0

    spaced = bunko(services.settings, "dept", "add", "doboku kyoku", "土木局")
    assert spaced.returncode != 0 and "without spaces" in spaced.stderr
    assert bunko(services.settings, "dept", "rename", "jinji", "職員課").returncode == 0
    assert bunko(services.settings, "dept", "move", "jinji", "--parent", "kenko").returncode == 0
    assert bunko(services.settings, "user", "edit", "sato", "--dept", "kenko").returncode == 0
    assert bunko(services.settings, "dept", "retire", "jinji").returncode == 0

    with services.sessions() as session:
        changes = [
            (c.field, c.old_value, c.new_value)
            for c in session.scalars(select(DepartmentChange).order_by(DepartmentChange.id))
        ]
        actions = {
            action: n
            for action, n in session.execute(
                select(AuditEvent.action, func.count()).group_by(AuditEvent.action)
            )
        }
        jinji = session.scalar(select(Department).where(Department.code == "jinji"))
        assert jinji is not None and jinji.retired_at is not None
    assert changes == [
        ("name", "人事課", "職員課"),
        ("parent", "somu", "kenko"),
        ("retired", None, "retired"),
    ]
    for action in ("user.unlock", "user.enable", "department.rename", "department.move"):
        assert actions[action] == 1
    assert actions["user.update"] == 2


def test_cli_keys_expire_and_the_server_refuses_them(services: Services) -> None:
    org(services)
    past = bunko(services.settings, "apikey", "create", "--name", "old", "--expires", "2001-01-01")
    assert past.returncode != 0 and "future" in past.stderr
    created = bunko(
        services.settings,
        "apikey",
        "create",
        "--name",
        "temp",
        "--dept",
        "somu",
        "--expires",
        "2999-12-31",
    )
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()

    server, base = start_server(services.settings)
    try:
        assert "No administrator yet" in server.output()
        assert "bunko user add admin" in server.output()
        headers = {"X-API-Key": key}
        assert httpx.get(f"{base}/api/v1/documents", headers=headers, timeout=10).status_code == 200
        with services.sessions.begin() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.name == "temp"))
            assert row is not None and row.last_used_at is not None
            row.expires_at = utcnow() - timedelta(seconds=1)
        refused = httpx.get(f"{base}/api/v1/documents", headers=headers, timeout=10)
        assert refused.status_code == 401 and refused.json()["error"]["code"]
    finally:
        stop_server(server)
