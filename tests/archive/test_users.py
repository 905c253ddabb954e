"""People: passwords that lock after repeated failures, the last administrator kept, refusals."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from archive import InvalidInput
from archive.access import SecurityLevel
from archive.models import utcnow
from archive.users import (
    MAX_FAILED_LOGINS,
    LoginFailed,
    add_user,
    authenticate,
    disable_user,
    display_names,
    find_user,
    update_user,
)
from tests.factories import PASSWORD, org, person
from web.services import Services


def test_wrong_passwords_lock_the_account_for_a_while(services: Services) -> None:
    org(services)
    person(services, "sato", "somu")
    now = utcnow()

    def refusal(login: str, password: str, at: datetime | None = None) -> str:
        with services.sessions.begin() as session, pytest.raises(LoginFailed) as failed:
            authenticate(session, login, password, now=at)
        assert str(failed.value) == "login failed"  # the reason is for the audit log only
        return failed.value.reason

    for _ in range(MAX_FAILED_LOGINS):
        assert refusal("sato", "not the password", now) == "wrong password"
    assert refusal("sato", PASSWORD, now) == "locked"  # even the right one, for now
    assert refusal("nobody", PASSWORD) == "unknown user"
    with services.sessions.begin() as session:
        assert authenticate(session, "sato", PASSWORD, now=now + timedelta(minutes=16)).login
        disable_user(session, find_user(session, "sato"))
    assert refusal("sato", PASSWORD) == "disabled"


def test_the_last_active_administrator_stays_one(services: Services) -> None:
    org(services)
    person(services, "admin", None, roles=("admin",), clearance=SecurityLevel.SECRET)
    with services.sessions.begin() as session:
        admin = find_user(session, "admin")
        with pytest.raises(InvalidInput, match="last active administrator"):
            update_user(
                session,
                admin,
                roles=["staff"],
                department_code="somu",
                clearance=SecurityLevel.SECRET,
            )
        with pytest.raises(InvalidInput, match="last active administrator"):
            disable_user(session, admin)
        assert display_names(session, ["user:admin", "apikey:x", None]) == {"user:admin": "Admin"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"login": ""}, "login"),
        ({"login": "   "}, "login"),
        ({"login": "x" * 101}, "login"),
        ({"login": "sato"}, "login"),  # exists already
        ({"display_name": "名" * 201}, "display_name"),
        ({"roles": ["root"]}, "roles"),
        ({"password": "short"}, "password"),
        ({"department_code": "nowhere"}, "department"),
    ],
)
def test_bad_people_are_refused_with_the_field(
    services: Services, changes: dict[str, Any], field: str
) -> None:
    org(services)
    person(services, "sato", "somu")
    with services.sessions.begin() as session, pytest.raises(InvalidInput) as refused:
        _add_suzuki(session, **changes)
    assert refused.value.field == field


def _add_suzuki(
    session: Session,
    *,
    login: str = "suzuki",
    display_name: str = "鈴木",
    department_code: str = "somu",
    roles: list[str] | None = None,
    password: str = "a long enough password",
) -> None:
    add_user(
        session,
        login=login,
        display_name=display_name,
        department_code=department_code,
        roles=["staff"] if roles is None else roles,
        password=password,
    )
