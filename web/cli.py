"""The ``bunko`` command."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import click
from sqlalchemy.orm import Session

from archive import Actor, ArchiveError, create_api_key, record
from archive.access import SecurityLevel
from archive.apikeys import revoke_api_key
from archive.audit import verify_chain
from archive.departments import add_department, import_departments
from archive.integrity import find_orphans, referenced_keys, verify_blobs
from archive.policy import API_SCOPES, ROLES
from archive.users import add_user, disable_user, find_user, set_password
from web.services import Services, build_services, prepare_backends
from web.settings import Settings


def _services() -> Services:
    try:
        return build_services(Settings())
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


CLI_ACTOR = Actor(f"cli:{getpass.getuser()}")


@contextmanager
def _unit_of_work(services: Services) -> Iterator[Session]:
    """One transaction; archive errors become a clean CLI error message."""
    try:
        with services.sessions.begin() as session:
            yield session
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def main() -> None:
    """Bunko: document management and records archive."""


@main.command()
@click.option("--host", help="address to listen on (default BUNKO_HOST or 127.0.0.1)")
@click.option("--port", type=int, help="port (default BUNKO_PORT or 8000)")
def serve(host: str | None, port: int | None) -> None:
    """Run the web service (migrates the database first)."""
    import uvicorn

    from web.app import create_app

    services = _services()
    try:
        prepare_backends(services)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    settings = services.settings
    uvicorn.run(create_app(services=services), host=host or settings.host, port=port or settings.port)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema and create the storage bucket if needed."""
    services = _services()
    try:
        prepare_backends(services)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("database and storage ready")


@main.group()
def apikey() -> None:
    """API keys for integrating systems."""


@apikey.command("create")
@click.option("--name", required=True, help="who will use the key, e.g. the source system")
@click.option("--source-system", help="the system the key's uploads come from")
@click.option("--dept", "department", help="department code the key belongs to")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(API_SCOPES), help="repeatable; default upload, read, search")
@click.option("--clearance", type=click.Choice([lvl.label for lvl in SecurityLevel]), default="internal")
def apikey_create(name: str, source_system: str | None, department: str | None, scopes: tuple[str, ...], clearance: str) -> None:
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
        record(session, actor=CLI_ACTOR, action="apikey.create", target=name, detail={"scopes": scopes})
    click.echo(key)


@apikey.command("revoke")
@click.option("--name", required=True)
def apikey_revoke(name: str) -> None:
    """Revoke a key: it stops working at once."""
    with _unit_of_work(_services()) as session:
        revoke_api_key(session, name)
        record(session, actor=CLI_ACTOR, action="apikey.revoke", target=name)
    click.echo(f"revoked {name}")


@main.group()
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
        record(session, actor=CLI_ACTOR, action="department.import", detail={"added": [d.code for d in added]})
    click.echo(f"added {len(added)} departments")


@main.group()
def user() -> None:
    """People who sign in to the web UI."""


@user.command("add")
@click.argument("login")
@click.option("--name", "display_name", required=True, help="display name")
@click.option("--dept", "department", help="department code")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), help="repeatable; default staff")
@click.option("--clearance", type=click.Choice([lvl.label for lvl in SecurityLevel]), default="internal")
@click.option("--oidc-subject", help="the user's subject at the OpenID Connect provider")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def user_add(
    login: str, display_name: str, department: str | None, roles: tuple[str, ...], clearance: str,
    oidc_subject: str | None, password_stdin: bool,
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
        record(session, actor=CLI_ACTOR, action="user.add", target=login, detail={"roles": roles, "clearance": clearance})
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


@main.group()
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Prove the audit chain intact, or name the first altered or missing entry (exit 1)."""
    services = _services()
    with services.sessions() as session:
        report = verify_chain(session)
    if report.ok:
        click.echo(f"audit log intact: {report.checked} entries")
        return
    click.echo(f"audit log broken at entry {report.first_bad_seq}: {report.problem} ({report.checked} entries verified before it)")
    sys.exit(1)


@main.command()
@click.option("--orphans", is_flag=True, help="also list blobs that no document refers to")
def verify(orphans: bool) -> None:
    """Re-hash every blob; exit 1 if any is missing or corrupt (or, with --orphans, orphaned)."""
    services = _services()
    with services.sessions() as session:
        keys = referenced_keys(session)
    with click.progressbar(length=len(keys), label="verifying", file=sys.stderr) as bar:
        report = verify_blobs(services.store, keys, on_progress=lambda _k: bar.update(1))
    if orphans:
        report.orphans = find_orphans(services.store, keys)
    for label, found in (("missing", report.missing), ("corrupt", report.corrupt), ("orphan", report.orphans)):
        for key in found:
            click.echo(f"{label} {key}")
    click.echo(
        f"checked {report.checked} blobs: {len(report.missing)} missing, {len(report.corrupt)} corrupt"
        + (f", {len(report.orphans)} orphaned" if orphans else "")
    )
    sys.exit(0 if report.ok else 1)
