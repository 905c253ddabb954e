"""People and systems: departments, users, API keys."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TextIO

import click

from archive import (
    API_SCOPES,
    ROLES,
    SecurityLevel,
    find_department,
    find_user,
    import_departments,
    record,
)
from retention import end_of_day_utc
from web import administration as admin
from web.cli._common import CLI_ACTOR
from web.cli._common import services as _services
from web.cli._common import unit_of_work as _unit_of_work


@click.group()
def apikey() -> None:
    """API keys for integrating systems."""


@apikey.command("create")
@click.option("--name", required=True, help="who will use the key, e.g. the source system")
@click.option("--source-system", help="the system the key's uploads come from")
@click.option("--dept", "department", help="department code the key belongs to")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice([str(s) for s in API_SCOPES]),
    help="repeatable; default upload, read, search",
)
@click.option(
    "--clearance", type=click.Choice([lvl.label for lvl in SecurityLevel]), default="internal"
)
@click.option(
    "--expires",
    type=click.DateTime(["%Y-%m-%d"]),
    help="the last day (Japan time) the key works; none by default",
)
def apikey_create(
    name: str,
    source_system: str | None,
    department: str | None,
    scopes: tuple[str, ...],
    clearance: str,
    expires: datetime | None,
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    services = _services()
    with _unit_of_work(services) as session:
        key = admin.create_key(
            session,
            CLI_ACTOR,
            name=name,
            source_system=source_system,
            department=department,
            scopes=scopes or ("upload", "read", "search"),
            clearance=SecurityLevel.parse(clearance),
            expires_at=end_of_day_utc(expires.date()) if expires else None,
        )
    click.echo(key)


@apikey.command("revoke")
@click.option("--name", required=True)
def apikey_revoke(name: str) -> None:
    """Revoke a key: it stops working at once."""
    with _unit_of_work(_services()) as session:
        admin.revoke_key(session, CLI_ACTOR, name)
    click.echo(f"revoked {name}")


@click.group()
def dept() -> None:
    """Departments (部局 and 課, as a tree)."""


@dept.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--parent", help="code of the parent department")
@click.option("--name-en", help="English name")
def dept_add(code: str, name: str, parent: str | None, name_en: str | None) -> None:
    """Add a department."""
    with _unit_of_work(_services()) as session:
        admin.add_unit(session, CLI_ACTOR, code=code, name=name, parent=parent, name_en=name_en)
    click.echo(f"added {code}")


@dept.command("rename")
@click.argument("code")
@click.argument("name")
@click.option("--name-en", help="English name ('' for none; left out: unchanged)")
def dept_rename(code: str, name: str, name_en: str | None) -> None:
    """Rename a department (kept in its history)."""
    with _unit_of_work(_services()) as session:
        if name_en is None:
            name_en = find_department(session, code).name_en
        admin.rename_unit(session, CLI_ACTOR, code, name=name, name_en=name_en)
    click.echo(f"renamed {code}")


@dept.command("move")
@click.argument("code")
@click.option("--parent", help="code of the new parent department (left out: the top level)")
def dept_move(code: str, parent: str | None) -> None:
    """Move a department, with everything below it, under another parent."""
    services = _services()
    with _unit_of_work(services) as session:
        moved = admin.move_unit(session, CLI_ACTOR, code, parent=parent)
    admin.reindex_moved(services, moved)
    click.echo(f"moved {code} ({len(moved)} documents re-indexed)")


@dept.command("retire")
@click.argument("code")
def dept_retire(code: str) -> None:
    """Retire an empty department (組織改正): its records stay, nobody can join it."""
    with _unit_of_work(_services()) as session:
        admin.retire_unit(session, CLI_ACTOR, code)
    click.echo(f"retired {code}")


@dept.command("import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
def dept_import(csv_file: TextIO) -> None:
    """Add departments from a CSV with columns code,name,parent_code[,name_en]."""
    with _unit_of_work(_services()) as session:
        added = import_departments(session, csv_file)
        record(
            session,
            actor=CLI_ACTOR,
            action="department.import",
            detail={"added": [d.code for d in added]},
        )
    click.echo(f"added {len(added)} departments")


@click.group()
def user() -> None:
    """People who sign in to the web UI."""


@user.command("add")
@click.argument("login")
@click.option("--name", "display_name", required=True, help="display name")
@click.option("--dept", "department", help="department code")
@click.option(
    "--role", "roles", multiple=True, type=click.Choice(ROLES), help="repeatable; default staff"
)
@click.option(
    "--clearance", type=click.Choice([lvl.label for lvl in SecurityLevel]), default="internal"
)
@click.option("--oidc-subject", help="the user's subject at the OpenID Connect provider")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def user_add(
    login: str,
    display_name: str,
    department: str | None,
    roles: tuple[str, ...],
    clearance: str,
    oidc_subject: str | None,
    password_stdin: bool,
) -> None:
    """Add a user (prompts for a password unless --oidc-subject is given)."""
    password = _read_password(password_stdin) if password_stdin or not oidc_subject else None
    with _unit_of_work(_services()) as session:
        admin.add_person(
            session,
            CLI_ACTOR,
            login=login,
            display_name=display_name,
            department=department,
            roles=list(roles),
            clearance=SecurityLevel.parse(clearance),
            password=password,
            oidc_subject=oidc_subject,
        )
    click.echo(f"added {login}")


@user.command("edit")
@click.argument("login")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), help="repeatable")
@click.option("--dept", "department", help="department code ('' for none)")
@click.option("--clearance", type=click.Choice([lvl.label for lvl in SecurityLevel]))
def user_edit(
    login: str, roles: tuple[str, ...], department: str | None, clearance: str | None
) -> None:
    """Change a user's roles, department or clearance (what is left out stays)."""
    with _unit_of_work(_services()) as session:
        person = find_user(session, login)
        diff = admin.change_person(
            session,
            CLI_ACTOR,
            login,
            roles=list(roles) or person.roles.split(),
            department=(person.department.code if person.department else None)
            if department is None
            else department or None,
            clearance=SecurityLevel.parse(clearance)
            if clearance
            else SecurityLevel(person.clearance),
        )
    click.echo(f"changed {login}: {', '.join(diff) or 'nothing'}")


@user.command("unlock")
@click.argument("login")
def user_unlock(login: str) -> None:
    """Lift a lock-out after too many wrong passwords."""
    with _unit_of_work(_services()) as session:
        admin.unlock_person(session, CLI_ACTOR, login)
    click.echo(f"unlocked {login}")


@user.command("enable")
@click.argument("login")
def user_enable(login: str) -> None:
    """Let a disabled user sign in again."""
    with _unit_of_work(_services()) as session:
        admin.enable_person(session, CLI_ACTOR, login)
    click.echo(f"enabled {login}")


@user.command("passwd")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def user_passwd(login: str, password_stdin: bool) -> None:
    """Set a user's password (and lift a lock-out)."""
    password = _read_password(password_stdin)
    with _unit_of_work(_services()) as session:
        admin.reset_password(session, CLI_ACTOR, login, password)
    click.echo(f"password set for {login}")


@user.command("disable")
@click.argument("login")
def user_disable(login: str) -> None:
    """Disable a user and end their sessions."""
    with _unit_of_work(_services()) as session:
        admin.disable_person(session, CLI_ACTOR, login)
    click.echo(f"disabled {login}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("password", hide_input=True, confirmation_prompt=True))
