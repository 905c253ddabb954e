"""Sending webhook deliveries: signed POSTs, retried with exponential backoff.

A run (``deliver``) fans new events out, claims the deliveries that are due in a short
transaction, sends each with no transaction open (a slow subscriber never holds the
database), and records every attempt. A delivery that still fails after
``give_up_after_s`` (over 24 hours by default) fails for good, and its subscription is
disabled with a ``webhook.disabled`` event that its key can read.

Each request carries ``Bunko-Signature: t=<unix time>,v1=<hex>``, the HMAC-SHA256 of
``"<t>." + body`` under the subscription's secret, so a receiver can check origin and
refuse replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from archive.events import Event, EventType, emit
from archive.models import utcnow
from archive.webhooks import (
    DeliveryStatus,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
    fan_out,
    set_active,
    signing_secret,
)

SIGNATURE_HEADER = "Bunko-Signature"


@dataclass(frozen=True)
class DeliveryOptions:
    server_secret: bytes
    retry_base_s: float = 10.0
    retry_cap_s: float = 3600.0
    give_up_after_s: float = 24 * 3600 + 600
    timeout_s: float = 10.0
    batch: int = 50


@dataclass(frozen=True)
class _Job:
    delivery_id: int
    webhook_id: int
    url: str
    event_id: int
    event_type: str
    body: bytes


@dataclass(frozen=True)
class _Result:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Bunko-Signature`` header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def backoff_s(options: DeliveryOptions, attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failure: doubling from the base, capped."""
    return float(min(options.retry_cap_s, options.retry_base_s * 2 ** max(attempts - 1, 0)))


def deliver(sessions: sessionmaker[Session], options: DeliveryOptions) -> int:
    """Fan out, then send every delivery that is due; the number of attempts made."""
    with sessions.begin() as session:
        fan_out(session, utcnow())
    with sessions.begin() as session:
        jobs = _claim(session, options)
    for job in jobs:
        result = _send(job, options)
        with sessions.begin() as session:
            _settle(session, job, result, options)
    return len(jobs)


def _claim(session: Session, options: DeliveryOptions) -> list[_Job]:
    now = utcnow()
    query = (
        select(WebhookDelivery, Webhook, Event)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .join(Event, Event.id == WebhookDelivery.event_id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING.value,
            WebhookDelivery.next_attempt_at <= now,
            Webhook.active,
        )
        .order_by(WebhookDelivery.id)
        .limit(options.batch)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    )
    jobs = []
    for delivery, webhook, event in session.execute(query):
        # A lease: if this worker dies mid-send, the delivery is due again after it.
        delivery.next_attempt_at = now + timedelta(seconds=options.timeout_s + 60)
        body = json.dumps(event.payload, ensure_ascii=False, sort_keys=True).encode()
        jobs.append(_Job(delivery.id, webhook.id, webhook.url, event.id, event.type, body))
    return jobs


def _send(job: _Job, options: DeliveryOptions) -> _Result:
    secret = signing_secret(options.server_secret, job.webhook_id)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Bunko-Webhooks/1",
        "Bunko-Event-Id": str(job.event_id),
        "Bunko-Event-Type": job.event_type,
        "Bunko-Delivery-Id": str(job.delivery_id),
        SIGNATURE_HEADER: signature(secret, int(time.time()), job.body),
    }
    started = time.monotonic()
    try:
        response = requests.post(
            job.url,
            data=job.body,
            headers=headers,
            timeout=options.timeout_s,
            allow_redirects=False,
        )
        response.close()
        status, error = (
            response.status_code,
            None if response.ok else f"HTTP {response.status_code}",
        )
    except requests.RequestException as exc:
        status, error = None, f"{type(exc).__name__}: {exc}"[:500]
    return _Result(status, error, int((time.monotonic() - started) * 1000))


def _settle(session: Session, job: _Job, result: _Result, options: DeliveryOptions) -> None:
    delivery = session.get_one(WebhookDelivery, job.delivery_id)
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            status_code=result.status_code,
            error=result.error,
            duration_ms=result.duration_ms,
        )
    )
    delivery.attempts += 1
    now = utcnow()
    if result.ok:
        delivery.status = DeliveryStatus.DELIVERED.value
        delivery.delivered_at = now
    elif now - delivery.created_at >= timedelta(seconds=options.give_up_after_s):
        _give_up(session, session.get_one(Webhook, job.webhook_id), result.error or "failed")
    else:
        delivery.next_attempt_at = now + timedelta(seconds=backoff_s(options, delivery.attempts))


def _give_up(session: Session, webhook: Webhook, last_error: str) -> None:
    """Fail what is still owed and disable the subscription, with an event saying so."""
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.webhook_id == webhook.id,
            WebhookDelivery.status == DeliveryStatus.PENDING.value,
        )
        .values(status=DeliveryStatus.FAILED.value)
    )
    reason = f"deliveries kept failing; last error: {last_error}"
    set_active(session, webhook, False, reason)
    emit(
        session,
        EventType.WEBHOOK_DISABLED,
        api_key_id=webhook.api_key_id,
        webhook_id=webhook.id,
        reason=reason[:300],
    )
