"""Roles and key scopes as permissions and scopes; what is kept of a gone document, by level."""

from __future__ import annotations

import pytest
from sqlalchemy import literal, select

from archive import create_api_key
from archive.access import AccessScope, SecurityLevel
from archive.policy import Permission, api_key_principal, readable_level, user_principal
from archive.users import find_user
from tests.factories import org, person
from web.services import Services


def test_roles_and_scopes_become_permissions_and_reach(services: Services) -> None:
    org(services)
    person(services, "sato", "jinji", roles=("staff",))
    person(services, "kimura", None, roles=("records_officer", "staff"))
    with services.sessions.begin() as session:
        staff = user_principal(find_user(session, "sato"), client_ip="198.51.100.7")
        officer = user_principal(find_user(session, "kimura"))
        key, _secret = create_api_key(
            session, name="erp", department_code="kenko", scopes=("admin",)
        )
        admin_key = api_key_principal(key)
        jinji = find_user(session, "sato").department
        assert jinji is not None and staff.scope.department_lineage == jinji.lineage
    assert staff.permissions == {"upload", "read", "search"} and not staff.scope.city_wide
    assert staff.actor.name == "user:sato" and staff.actor.client_ip == "198.51.100.7"
    assert officer.may(Permission.RECORDS) and officer.may(Permission.AUDIT)
    assert officer.scope.city_wide and not officer.may(Permission.ADMIN)
    assert officer.scope.department_lineage == ()
    assert admin_key.permissions == {"admin", "audit"} and admin_key.scope.city_wide
    assert admin_key.actor.name == "apikey:erp"


def test_a_gone_documents_level_is_judged_as_the_rule_judges_levels(services: Services) -> None:
    org(services)
    person(services, "sato", "jinji", clearance=SecurityLevel.SECRET)
    person(services, "kimura", None, roles=("records_officer",), clearance=SecurityLevel.INTERNAL)
    with services.sessions() as session:
        staff = user_principal(find_user(session, "sato")).scope
        officer = user_principal(find_user(session, "kimura")).scope

        def kept(level: SecurityLevel, scope: AccessScope) -> bool:
            return bool(session.scalar(select(readable_level(literal(int(level)), scope))))

        assert kept(SecurityLevel.PUBLIC, staff) and kept(SecurityLevel.PUBLIC, officer)
        assert not kept(SecurityLevel.INTERNAL, staff)  # grants and ownership went with it
        assert kept(SecurityLevel.INTERNAL, officer)
        assert not kept(SecurityLevel.CONFIDENTIAL, officer)  # above the officer's clearance


def test_a_misspelt_permission_fails_loudly(services: Services) -> None:
    """GIVEN a caller WHEN asked about a misspelt permission (as a template could) THEN it
    raises instead of quietly answering no; the enum's members answer as their names."""
    org(services)
    person(services, "kimura", None, roles=("records_officer",))
    with services.sessions() as session:
        officer = user_principal(find_user(session, "kimura"))
    assert officer.may(Permission("records")) and "records" in officer.permissions
    with pytest.raises(ValueError):
        officer.may("record")  # type: ignore[arg-type]
