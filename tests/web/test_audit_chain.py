"""The audit chain against someone who can write the database: re-hashing, truncation, downgrade.

The chain is keyed (HMAC, key outside the database) and its head is checkpointed into
signed files that ``bunko audit verify`` compares with.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from archive.audit import GENESIS, entry_hash
from archive.models import AuditEvent
from tests.cli import bunko
from tests.factories import key_for, org, upload_as
from web.services import Services


def _log(anonymous: TestClient, services: Services, uploads: int) -> None:
    org(services)
    staff = key_for(services, "somu")
    for n in range(uploads):
        upload_as(anonymous, staff, f"minutes {n}".encode())


def _rehash(services: Services, *, start: int, key: bytes | None, actor: str | None = None) -> None:
    """Rewrite entries from ``start`` on as an attacker would: fix every hash after the change."""
    with services.sessions.begin() as session:
        rows = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        prev = GENESIS
        for row in rows:
            if row.seq >= start:
                if actor is not None and row.seq == start:
                    row.actor = actor
                row.prev_hash = prev
                row.hash = entry_hash(row, key)
            prev = row.hash


def _newest(services: Services) -> int:
    with services.sessions() as session:
        return max(session.scalars(select(AuditEvent.seq)))


def test_an_entry_rewritten_and_rehashed_without_the_key_is_found(
    anonymous: TestClient, services: Services
) -> None:
    _log(anonymous, services, 4)
    assert bunko(services.settings, "audit", "verify").returncode == 0
    _rehash(services, start=3, key=None, actor="apikey:someone-else")
    plain = bunko(services.settings, "audit", "verify")
    assert plain.returncode == 1 and "broken at entry 3" in plain.stdout, plain.stdout
    _rehash(services, start=3, key=b"a guessed key", actor="apikey:someone-else")
    guessed = bunko(services.settings, "audit", "verify")
    assert guessed.returncode == 1 and "broken at entry 3" in guessed.stdout, guessed.stdout


def test_deleting_the_newest_entries_is_found_by_the_last_checkpoint(
    anonymous: TestClient, services: Services, tmp_path: Path
) -> None:
    _log(anonymous, services, 3)
    elsewhere = tmp_path / "offsite" / "checkpoint.json"
    elsewhere.parent.mkdir()
    taken = bunko(services.settings, "audit", "checkpoint", "--out", str(elsewhere))
    assert taken.returncode == 0, taken.stdout + taken.stderr
    seq = json.loads(elsewhere.read_text())["seq"]
    assert (services.settings.checkpoint_dir / f"audit-{seq:012d}.json").read_text() == (
        elsewhere.read_text()
    )
    upload_as(anonymous, key_for(services, "somu"), b"later minutes")
    ok = bunko(services.settings, "audit", "verify")
    assert ok.returncode == 0 and "matches checkpoint" in ok.stdout, ok.stdout

    with services.sessions.begin() as session:  # the newest entries go, the rest is a valid chain
        session.execute(delete(AuditEvent).where(AuditEvent.seq >= seq - 1))
    truncated = bunko(services.settings, "audit", "verify")
    assert truncated.returncode == 1 and "newest entries were deleted" in truncated.stdout
    for checkpoint in services.settings.checkpoint_dir.iterdir():
        checkpoint.unlink()  # the local checkpoints are gone too: the copy kept elsewhere finds it
    offsite = bunko(services.settings, "audit", "verify", "--checkpoint", str(elsewhere))
    assert offsite.returncode == 1 and "newest entries were deleted" in offsite.stdout

    forged = json.loads(elsewhere.read_text()) | {"seq": 2}
    elsewhere.write_text(json.dumps(forged))
    refused = bunko(services.settings, "audit", "verify", "--checkpoint", str(elsewhere))
    assert refused.returncode == 1 and "signature does not match" in refused.stdout


def test_no_checkpoint_is_signed_for_a_broken_log(
    anonymous: TestClient, services: Services
) -> None:
    _log(anonymous, services, 2)
    with services.sessions.begin() as session:
        edited = session.get(AuditEvent, 2)
        assert edited is not None
        edited.actor = "apikey:someone-else"
    refused = bunko(services.settings, "audit", "checkpoint")
    assert refused.returncode == 1 and "broken at entry 2" in refused.stdout
    assert not services.settings.checkpoint_dir.exists()


def test_entries_from_before_the_chain_was_keyed_still_verify_and_are_sealed(
    anonymous: TestClient, services: Services
) -> None:
    _log(anonymous, services, 2)
    _rehash(services, start=1, key=None)  # the log as the unkeyed release wrote it
    legacy = _newest(services)
    upload_as(anonymous, key_for(services, "somu"), b"after the upgrade")
    upgraded = bunko(services.settings, "audit", "verify")
    assert upgraded.returncode == 0, upgraded.stdout
    assert f"the first {legacy} from before the chain was keyed" in upgraded.stdout

    assert bunko(services.settings, "audit", "checkpoint").returncode == 0
    upload_as(anonymous, key_for(services, "somu"), b"after the checkpoint")
    # Without the key, a forger can only make every entry look unkeyed: the checkpoint's
    # entry then no longer has its hash.
    _rehash(services, start=legacy + 1, key=None)
    downgraded = bunko(services.settings, "audit", "verify")
    assert downgraded.returncode == 1 and "the log was rewritten" in downgraded.stdout


def test_rewriting_the_unkeyed_start_breaks_the_first_keyed_entry(
    anonymous: TestClient, services: Services
) -> None:
    _log(anonymous, services, 2)
    _rehash(services, start=1, key=None)
    legacy = _newest(services)
    upload_as(anonymous, key_for(services, "somu"), b"after the upgrade")
    with services.sessions.begin() as session:
        rows = list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.seq <= legacy).order_by(AuditEvent.seq)
            )
        )
        rows[0].actor, prev = "apikey:someone-else", GENESIS
        for row in rows:
            row.prev_hash = prev
            row.hash = prev = entry_hash(row, None)
    rewritten = bunko(services.settings, "audit", "verify")
    assert rewritten.returncode == 1 and f"broken at entry {legacy + 1}" in rewritten.stdout
