"""The ``bunko`` command."""

from __future__ import annotations

import sys

import click

from archive import ArchiveError, Department, create_api_key
from archive.integrity import find_orphans, referenced_keys, verify_blobs
from web.services import Services, build_services, prepare_backends
from web.settings import Settings


def _services() -> Services:
    try:
        return build_services(Settings())
    except ValueError as exc:
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
def apikey_create(name: str) -> None:
    """Create a key and print it once (only its hash is stored)."""
    services = _services()
    with services.sessions.begin() as session:
        try:
            _row, key = create_api_key(session, name=name)
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(key)


@main.group()
def dept() -> None:
    """Departments."""


@dept.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--parent", help="code of the parent department")
def dept_add(code: str, name: str, parent: str | None) -> None:
    """Add a department."""
    from sqlalchemy import select

    services = _services()
    with services.sessions.begin() as session:
        parent_id = None
        if parent:
            parent_row = session.scalar(select(Department).where(Department.code == parent))
            if parent_row is None:
                raise click.ClickException(f"no department {parent!r}")
            parent_id = parent_row.id
        session.add(Department(code=code, name=name, parent_id=parent_id))
    click.echo(f"added {code}")


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
