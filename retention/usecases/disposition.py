"""Disposition as operations: the daily run, review and approval of a batch.

Execution is ``retention.execution.execute``: it runs its own transactions (it is
resumable) and writes its own audit entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from archive import AccessScope, Actor, InvalidInput, RecordNotFound, record
from retention import disposition
from retention.backends import Backends
from retention.dates import today_in_japan
from retention.execution import certificate_of
from retention.models import DispositionAction, DispositionBatch, DispositionCertificate
from retention.visibility import require_whole_batch

RUN = "retention.run"
REVIEW = "retention.batch.review"
APPROVE = "retention.batch.approve"
CERTIFICATE = "retention.certificate"
TRANSFER_DOWNLOAD = "retention.transfer.download"


def run(
    backends: Backends,
    *,
    actor: Actor,
    as_of: date | None = None,
) -> disposition.DailyRun:
    """Propose a batch of what was due by ``as_of`` (default: today in Japan, never later).

    Nothing is removed by this. The audit entry names the batch and the day it ran as of.
    """
    session = backends.session
    today = today_in_japan()
    day = as_of or today
    if day > today:
        raise InvalidInput(
            "as_of cannot be in the future: records are never disposed of early", field="as_of"
        )
    result = disposition.run_daily(backends, as_of=day, actor=actor.name)
    record(
        session,
        actor=actor,
        action=RUN,
        target=result.batch_id,
        detail={"as_of": day, "proposed": result.proposed, "held": len(result.held)},
    )
    return result


def review(
    session: Session,
    batch_id: str,
    *,
    actor: Actor,
    scope: AccessScope,
    exclusions: Mapping[str, str],
    decisions: Mapping[str, DispositionAction],
) -> DispositionBatch:
    """Review a proposed batch: exclude items (``{document id: reason}``) and decide "review" items."""
    batch = disposition.get_batch(session, batch_id)
    disposition.review(
        session, batch, actor=actor.name, scope=scope, exclusions=exclusions, decisions=decisions
    )
    record(
        session,
        actor=actor,
        action=REVIEW,
        target=batch_id,
        detail={"exclusions": dict(exclusions), "decisions": dict(decisions)},
    )
    return batch


def approve(
    session: Session, batch_id: str, *, actor: Actor, scope: AccessScope
) -> DispositionBatch:
    """Approve a reviewed batch: a different officer from the one who reviewed it."""
    batch = disposition.get_batch(session, batch_id)
    disposition.approve(session, batch, actor=actor.name, scope=scope)
    record(session, actor=actor, action=APPROVE, target=batch_id)
    return batch


def certificate(
    session: Session, batch_id: str, *, actor: Actor, scope: AccessScope, fmt: str
) -> DispositionCertificate:
    """The certificate of an executed batch, for an officer cleared for every item."""
    require_whole_batch(session, disposition.get_batch(session, batch_id), scope)
    found = certificate_of(session, batch_id)
    record(session, actor=actor, action=CERTIFICATE, target=batch_id, detail={"format": fmt})
    return found


def transfer_package(session: Session, batch_id: str, *, actor: Actor, scope: AccessScope) -> Path:
    """Where the batch's BagIt transfer package lies, for an officer cleared for every item."""
    batch = disposition.get_batch(session, batch_id)
    require_whole_batch(session, batch, scope)
    if not batch.transfer_bag or not Path(batch.transfer_bag).is_dir():
        raise RecordNotFound(f"batch {batch_id} has no transfer package here")
    record(session, actor=actor, action=TRANSFER_DOWNLOAD, target=batch_id)
    return Path(batch.transfer_bag)
