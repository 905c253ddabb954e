"""``/api/v1/events`` (the feed) and ``/api/v1/webhooks`` (pushed to an API key's URL)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from archive import (
    MAX_URL_CHARS,
    DeliveryStatus,
    EventType,
    Webhook,
    attempts_of,
    deliveries,
    get_webhook,
    list_events,
    list_webhooks,
    record,
    set_active,
    signing_secret,
    subscribe,
)
from web.deps import Reader, ServicesDep, SessionDep
from web.schemas import RecordId

events_router = APIRouter(prefix="/api/v1/events", tags=["events"])
webhooks_router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

EventId = Annotated[int, Query(ge=0, le=2**63 - 1, description="the last event id already seen")]
PageSize = Annotated[int, Query(ge=1, le=500)]


class EventOut(BaseModel):
    id: int
    type: str
    at: str
    data: dict[str, Any]


class EventPage(BaseModel):
    events: list[EventOut]
    next_after: int = Field(description="pass as `after` to read on; unchanged when nothing new")


@events_router.get("", response_model=EventPage)
def read_events(
    session: SessionDep,
    principal: Reader,
    after: EventId = 0,
    event_type: Annotated[list[EventType] | None, Query(alias="type")] = None,
    limit: PageSize = 100,
) -> EventPage:
    """Events after ``after``, oldest first, of the given types, that the caller may see."""
    found = list_events(
        session, principal, after=after, types=[t.value for t in event_type or ()], limit=limit
    )
    record(
        session,
        actor=principal.actor,
        action="events.read",
        detail={"after": after, "returned": len(found)},
    )
    session.commit()
    return EventPage(
        events=[EventOut(**event.payload) for event in found],
        next_after=found[-1].id if found else after,
    )


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=MAX_URL_CHARS, description="http(s) URL that receives POSTs")
    event_types: list[EventType] = Field(
        default_factory=list, max_length=len(EventType), description="empty: every type"
    )


class WebhookOut(BaseModel):
    id: int
    url: str
    event_types: list[str]
    active: bool
    disabled_reason: str | None
    created_at: datetime

    @classmethod
    def of(cls, webhook: Webhook) -> WebhookOut:
        return cls(
            id=webhook.id,
            url=webhook.url,
            event_types=webhook.types,
            active=webhook.active,
            disabled_reason=webhook.disabled_reason,
            created_at=webhook.created_at,
        )


class WebhookCreated(WebhookOut):
    secret: str = Field(description="checks the Bunko-Signature header; shown only now")


class AttemptOut(BaseModel):
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    id: int
    event_id: int
    status: str
    attempts: list[AttemptOut]
    next_attempt_at: datetime | None
    delivered_at: datetime | None


@webhooks_router.post("", response_model=WebhookCreated, status_code=201)
def create_webhook(
    body: WebhookIn, session: SessionDep, services: ServicesDep, principal: Reader
) -> WebhookCreated:
    """Subscribe the calling API key; events from now on are POSTed to ``url``, signed."""
    webhook = subscribe(session, principal, body.url, [t.value for t in body.event_types])
    record(
        session,
        actor=principal.actor,
        action="webhook.create",
        target=str(webhook.id),
        detail={"url": webhook.url, "types": webhook.types},
    )
    session.commit()
    secret = signing_secret(services.signer.derive_key("webhooks"), webhook.id)
    return WebhookCreated(**WebhookOut.of(webhook).model_dump(), secret=secret)


@webhooks_router.get("", response_model=list[WebhookOut])
def get_webhooks(session: SessionDep, principal: Reader) -> list[WebhookOut]:
    """The calling key's subscriptions (every one, for administrators)."""
    return [WebhookOut.of(w) for w in list_webhooks(session, principal)]


@webhooks_router.get("/{webhook_id}/deliveries", response_model=list[DeliveryOut])
def get_deliveries(
    webhook_id: RecordId,
    session: SessionDep,
    principal: Reader,
    before: RecordId | None = None,
    limit: PageSize = 50,
) -> list[DeliveryOut]:
    """The delivery log, newest first: each delivery with every attempt's status."""
    webhook = get_webhook(session, principal, webhook_id)
    found = deliveries(session, webhook, before=before, limit=limit)
    tries = attempts_of(session, [d.id for d in found])
    return [
        DeliveryOut(
            id=d.id,
            event_id=d.event_id,
            status=d.status,
            attempts=[
                AttemptOut.model_validate(a, from_attributes=True) for a in tries.get(d.id, [])
            ],
            next_attempt_at=d.next_attempt_at if d.status == DeliveryStatus.PENDING else None,
            delivered_at=d.delivered_at,
        )
        for d in found
    ]


class WebhookChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    active: bool


@webhooks_router.patch("/{webhook_id}", response_model=WebhookOut)
def change_webhook(
    webhook_id: RecordId, body: WebhookChange, session: SessionDep, principal: Reader
) -> WebhookOut:
    """Turn a subscription off, or back on after it was disabled (from now on: nothing is replayed)."""
    webhook = get_webhook(session, principal, webhook_id)
    set_active(session, webhook, body.active, f"turned off by {principal.actor.name}")
    record(
        session,
        actor=principal.actor,
        action="webhook.enable" if body.active else "webhook.disable",
        target=str(webhook.id),
    )
    session.commit()
    return WebhookOut.of(webhook)
