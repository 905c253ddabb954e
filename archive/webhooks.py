"""Webhook subscriptions of API keys, and the deliveries owed to them.

A subscription belongs to one API key and sees exactly the events its key may see in the
feed (``archive.events.visible_to``), checked when the event is handed to it. Each
subscription keeps a cursor into the event log; ``fan_out`` turns the events after it
into deliveries, which ``archive.webhook_delivery`` then sends with retries.

The signing secret is never stored: it is derived from the server's secret key and the
subscription id (HMAC), shown once when the subscription is made.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from collections.abc import Collection, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from archive.db import Base, UTCDateTime
from archive.errors import Forbidden, InvalidInput, RecordNotFound
from archive.events import Event, EventType, visible_to
from archive.models import ApiKey, utcnow
from archive.policy import Permission, Principal, PrincipalKind, api_key_principal

MAX_URL_CHARS = 2000
FAN_OUT_BATCH = 500


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class Webhook(Base):
    """Where an API key wants events pushed."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), index=True)
    url: Mapped[str] = mapped_column(String(MAX_URL_CHARS))
    event_types: Mapped[str] = mapped_column(Text, default="")
    """Space-separated event types; empty means every type."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    """The id of the last event considered for this subscription."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    api_key: Mapped[ApiKey] = relationship(lazy="joined")

    @property
    def types(self) -> list[str]:
        return self.event_types.split()


class WebhookDelivery(Base):
    """One event owed to one subscription, and how sending it went."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id"), index=True)
    event_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebhookAttempt(Base):
    """The delivery log: one row per HTTP attempt."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


def signing_secret(server_secret: bytes, webhook_id: int) -> str:
    """The secret a subscriber checks signatures with (derived, so never stored)."""
    return hmac.new(
        server_secret, f"bunko-webhook:{webhook_id}".encode(), hashlib.sha256
    ).hexdigest()


def _checked_url(url: str) -> str:
    parts = urlsplit(url)
    if len(url) > MAX_URL_CHARS or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(
            f"url must be an http(s) URL of at most {MAX_URL_CHARS} characters", field="url"
        )
    return url


def _checked_types(types: Collection[str]) -> str:
    unknown = sorted(set(types) - {t.value for t in EventType})
    if unknown:
        raise InvalidInput(f"unknown event types: {', '.join(unknown)}", field="event_types")
    return " ".join(sorted(set(types)))


def subscribe(session: Session, principal: Principal, url: str, types: Collection[str]) -> Webhook:
    """A new subscription of the calling API key, for events from now on."""
    if principal.kind != PrincipalKind.APIKEY:
        raise InvalidInput("webhooks belong to API keys: call with the key", field="api_key")
    webhook = Webhook(
        api_key_id=principal.id,
        url=_checked_url(url),
        event_types=_checked_types(types),
        cursor=session.scalar(select(func.max(Event.id))) or 0,
    )
    session.add(webhook)
    session.flush()
    return webhook


def get_webhook(session: Session, principal: Principal, webhook_id: int) -> Webhook:
    """A subscription of the caller's key (any, for administrators); else ``RecordNotFound``."""
    webhook = session.get(Webhook, webhook_id)
    if webhook is None or not (principal.may(Permission.ADMIN) or _owns(principal, webhook)):
        raise RecordNotFound(f"webhook {webhook_id}")
    return webhook


def _owns(principal: Principal, webhook: Webhook) -> bool:
    return principal.kind == PrincipalKind.APIKEY and webhook.api_key_id == principal.id


def list_webhooks(session: Session, principal: Principal) -> Sequence[Webhook]:
    query = select(Webhook).order_by(Webhook.id)
    if not principal.may(Permission.ADMIN):
        if principal.kind != PrincipalKind.APIKEY:
            return []
        query = query.where(Webhook.api_key_id == principal.id)
    return session.scalars(query).all()


def set_active(session: Session, webhook: Webhook, active: bool, reason: str | None) -> None:
    """Turn a subscription on (from now: missed events are not replayed) or off."""
    if active and webhook.api_key.revoked_at is not None:
        raise Forbidden("the subscription's API key is revoked")
    if active and not webhook.active:
        webhook.cursor = session.scalar(select(func.max(Event.id))) or 0
    webhook.active = active
    webhook.disabled_reason = None if active else reason


def deliveries(
    session: Session, webhook: Webhook, *, before: int | None = None, limit: int = 50
) -> Sequence[WebhookDelivery]:
    """The subscription's deliveries, newest first."""
    query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
    if before is not None:
        query = query.where(WebhookDelivery.id < before)
    return session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit)).all()


def attempts_of(session: Session, delivery_ids: Collection[int]) -> dict[int, list[WebhookAttempt]]:
    found: dict[int, list[WebhookAttempt]] = {}
    query = select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(list(delivery_ids)))
    for attempt in session.scalars(query.order_by(WebhookAttempt.id)):
        found.setdefault(attempt.delivery_id, []).append(attempt)
    return found


def fan_out(session: Session, now: datetime) -> int:
    """Turn new events into deliveries for every active subscription that may see them."""
    created = 0
    newest = session.scalar(select(func.max(Event.id))) or 0
    for webhook in session.scalars(select(Webhook).where(Webhook.active, Webhook.cursor < newest)):
        if webhook.api_key.revoked_at is not None:
            set_active(session, webhook, False, "the API key was revoked")
            continue
        upto = min(newest, webhook.cursor + FAN_OUT_BATCH)
        query = select(Event.id).where(
            Event.id > webhook.cursor,
            Event.id <= upto,
            visible_to(api_key_principal(webhook.api_key)),
        )
        if webhook.types:
            query = query.where(Event.type.in_(webhook.types))
        for event_id in session.scalars(query.order_by(Event.id)):
            session.add(
                WebhookDelivery(webhook_id=webhook.id, event_id=event_id, next_attempt_at=now)
            )
            created += 1
        webhook.cursor = upto
    session.flush()
    return created
