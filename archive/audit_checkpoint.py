"""Signed checkpoints of the audit chain's head, kept outside the database.

A keyed chain cannot be rewritten without the key, but its newest entries can still be
deleted: what is left is a valid, shorter chain. A checkpoint records the head (sequence
number and hash) at one moment, signed with the audit key; it is written to a file that
can be copied anywhere (another host, a WORM bucket, paper). Verifying against it finds
the entry it names still in the log with the same hash, or reports truncation or rewriting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.audit import ChainReport
from archive.errors import InvalidInput
from archive.models import AuditEvent


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    taken_at: str

    def signed(self, key: bytes) -> str:
        """The checkpoint as a JSON document with its signature."""
        document = {**asdict(self), "signature": _signature(self, key)}
        return json.dumps(document, indent=2) + "\n"


def _signature(checkpoint: Checkpoint, key: bytes) -> str:
    payload = json.dumps(asdict(checkpoint), sort_keys=True).encode()
    return hmac.new(key, b"bunko-audit-checkpoint\n" + payload, hashlib.sha256).hexdigest()


def head_of(report: ChainReport, now: datetime) -> Checkpoint:
    """The checkpoint of a verified chain's newest entry."""
    if not report.ok:
        raise InvalidInput("the audit chain is broken: fix or explain that before a checkpoint")
    return Checkpoint(report.checked, report.head_hash, now.isoformat(timespec="seconds"))


def read_checkpoint(text: str, key: bytes) -> Checkpoint:
    """Parse a signed checkpoint; ``InvalidInput`` unless it is well formed and signed with ``key``."""
    try:
        document = json.loads(text)
        found = Checkpoint(
            seq=int(document["seq"]),
            hash=str(document["hash"]),
            taken_at=str(document["taken_at"]),
        )
        signature = str(document["signature"])
    except (ValueError, KeyError, TypeError):
        raise InvalidInput("not an audit checkpoint", field="checkpoint") from None
    if not hmac.compare_digest(_signature(found, key), signature):
        raise InvalidInput(
            "the checkpoint's signature does not match this installation's audit key",
            field="checkpoint",
        )
    return found


def compare(session: Session, checkpoint: Checkpoint) -> str | None:
    """Why the log does not contain ``checkpoint``'s head unchanged, or None when it does."""
    entry = session.get(AuditEvent, checkpoint.seq)
    if entry is None:
        last = session.scalar(select(func.max(AuditEvent.seq))) or 0
        return (
            f"the log ends at entry {last}, but the checkpoint of {checkpoint.taken_at} "
            f"saw entry {checkpoint.seq}: the newest entries were deleted"
        )
    if entry.hash != checkpoint.hash:
        return (
            f"entry {checkpoint.seq} is not the one checkpointed at {checkpoint.taken_at} "
            "(the log was rewritten)"
        )
    return None
