"""Holding the claim on a document while its steps run."""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from archive import (
    BackendUnavailable,
    renew,
    translate_db_errors,
)
from ingest.context import PipelineContext

log = logging.getLogger("bunko.ingest")


class ClaimRenewal:
    """Renews the claim on a document every quarter lease while its steps run."""

    def __init__(self, ctx: PipelineContext, document_id: str) -> None:
        self._ctx, self._document_id = ctx, document_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bunko-lease", daemon=True)

    def __enter__(self) -> None:
        self._thread.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        every = self._ctx.lease.total_seconds() / 4
        while not self._stop.wait(every):
            try:
                with translate_db_errors(), self._ctx.sessions.begin() as session:
                    renew(session, self._document_id)
            except BackendUnavailable as exc:  # the next renewal may get through
                log.warning("could not renew the claim on %s: %s", self._document_id, exc)
