"""People and systems: departments, users, API keys."""

from __future__ import annotations

import sys
from typing import TextIO

import click

from archive import create_api_key, record
from archive.access import SecurityLevel
from archive.apikeys import revoke_api_key
from archive.departments import add_department, import_departments
from archive.policy import API_SCOPES, ROLES
from archive.users import add_user, disable_user, find_user, set_password
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
    type=click.Choice(API_SCOPES),
    help="repeatable; default upload, read, search",
)
@click.option(
    "--clearance", type=click.Choice([lvl.label for lvl in SecurityLevel]), default="internal"
)
def apikey_create(
    name: str,
    source_system: str | None,
    department: str | None,
    scopes: tuple[str, ...],
    clearance: str,
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    services = _services()
    with _unit_of_work(services) as session:
        _row, key = create_api_key(
            session,
            name=name,
            source_system=source_system,
            department_code=department,
            scopes=scopes or ("upload", "read", "search"),
            clearance=SecurityLevel.parse(clearance),
        )
        record(
            session, actor=CLI_ACTOR, action="apikey.create", target=name, detail={"scopes": scopes}
        )
    click.echo(key)


@apikey.command("revoke")
@click.option("--name", required=True)
def apikey_revoke(name: str) -> None:
    """Revoke a key: it stops working at once."""
    with _unit_of_work(_services()) as session:
        revoke_api_key(session, name)
        record(session, actor=CLI_ACTOR, action="apikey.revoke", target=name)
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
        add_department(session, code=code, name=name, parent_code=parent, name_en=name_en)
        record(session, actor=CLI_ACTOR, action="department.add", target=code)
    click.echo(f"added {code}")


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
        add_user(
            session,
            login=login,
            display_name=display_name,
            department_code=department,
            roles=list(roles) or ["staff"],
            clearance=SecurityLevel.parse(clearance),
            password=password,
            oidc_subject=oidc_subject,
        )
        record(
            session,
            actor=CLI_ACTOR,
            action="user.add",
            target=login,
            detail={"roles": roles, "clearance": clearance},
        )
    click.echo(f"added {login}")


@user.command("passwd")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def user_passwd(login: str, password_stdin: bool) -> None:
    """Set a user's password (and lift a lock-out)."""
    password = _read_password(password_stdin)
    with _unit_of_work(_services()) as session:
        set_password(find_user(session, login), password)
        record(session, actor=CLI_ACTOR, action="user.passwd", target=login)
    click.echo(f"password set for {login}")


@user.command("disable")
@click.argument("login")
def user_disable(login: str) -> None:
    """Disable a user and end their sessions."""
    with _unit_of_work(_services()) as session:
        disable_user(session, find_user(session, login))
        record(session, actor=CLI_ACTOR, action="user.disable", target=login)
    click.echo(f"disabled {login}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("password", hide_input=True, confirmation_prompt=True))
