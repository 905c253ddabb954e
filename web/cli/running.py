"""Running Bunko: the web service, workers, the database schema."""

from __future__ import annotations

import click

from archive import ArchiveError, has_active_admin
from web.cli._common import services as _services
from web.logs import configure_logging
from web.services import Services, prepare_backends
from web.worker import EmbeddedWorker, run_worker


@click.command()
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
    configure_logging()
    _tell_about_the_first_administrator(services)
    settings = services.settings
    worker = None
    if settings.embedded_worker and settings.broker_url.startswith("sqla+"):
        worker = EmbeddedWorker()
        worker.start()
    try:
        uvicorn.run(
            create_app(services=services),
            host=host or settings.host,
            port=port or settings.port,
            log_config=None,  # JSON lines from web.logs; the access log is web.request_context's
            access_log=False,
        )
    finally:
        if worker is not None:
            worker.stop()


def _tell_about_the_first_administrator(services: Services) -> None:
    """A fresh data directory has nobody who can sign in: say how to make the first one."""
    from web.pages.auth import FIRST_ADMIN  # the sign-in page's (``bunko worker`` needs no pages)

    with services.sessions() as session:
        if has_active_admin(session):
            return
    click.echo(
        "No administrator yet. Create the first one (it asks for a password), then sign in:\n"
        f"    {FIRST_ADMIN}",
        err=True,
    )


@click.command()
@click.option(
    "--concurrency", type=int, help="worker processes (default BUNKO_WORKER_CONCURRENCY or 1)"
)
@click.option(
    "--beat", is_flag=True, help="also run the scheduler (the sweep of waiting documents)"
)
def worker(concurrency: int | None, beat: bool) -> None:
    """Process documents from the queue (Celery worker)."""
    services = _services()
    try:
        prepare_backends(services)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    services.close()  # the worker's processes open their own connections after forking
    run_worker(
        services.settings,
        concurrency=concurrency or services.settings.worker_concurrency,
        beat=beat,
    )


@click.group()
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
