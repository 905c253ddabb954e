"""Disclosure officer pages: dashboard, requests, their workflow, responsive records and redaction.

Every form posts to ``/disclosure/requests/{id}/{action}`` (or the record's) and calls the same
``disclosure`` services as the API; a refused step re-renders the page with the error and with
what the officer typed. Requester data is personal data: every page needs ``disclosure``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from archive import (
    ArchiveError,
    InvalidInput,
    NotCleared,
    NotReadable,
    record,
    translate_db_errors,
)
from archive.disclosure_tables import DisclosureRequest, RequestState
from archive.errors import Conflict
from disclosure import consultations, decision, records, release
from disclosure import requests as svc
from disclosure.deadlines import paused_days
from disclosure.profiles import DEFAULT_PROFILE, available_profiles, load_profile
from retention.dates import today_in_japan
from web.access import denials, deny
from web.deps import ServicesDep
from web.pages._common import Viewer, ViewerDep, check_csrf, page, require_permission
from web.schemas import RecordId
from web.services import Services

router = APIRouter(prefix="/disclosure", tags=["pages"], include_in_schema=False)
Values = dict[str, str]


def _officer(request: Request, services: ServicesDep, viewer: ViewerDep) -> None:
    require_permission(request, services, viewer, "disclosure")


def _deny(services: Services, viewer: Viewer, action: str, request_id: str) -> None:
    with translate_db_errors(), services.sessions() as session:
        deny(session, viewer.principal, action, request_id)


def _status(exc: ArchiveError) -> int:
    return 409 if isinstance(exc, Conflict) else getattr(exc, "status", 422)


def _day(values: Values, name: str) -> date:
    try:
        return date.fromisoformat(values.get(name, "").strip())
    except ValueError:
        raise InvalidInput("give a date as YYYY-MM-DD", field=name) from None


def _float(values: Values, name: str) -> float:
    try:
        return float(values.get(name, ""))
    except ValueError:
        raise InvalidInput(f"{name}: a number is needed", field=name) from None


def _int(values: Values, name: str) -> int:
    try:
        return int(values.get(name, "").strip())
    except ValueError:
        raise InvalidInput("give a whole number", field=name) from None


@router.get("", response_class=HTMLResponse)
def dashboard(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    _officer(request, services, viewer)
    with translate_db_errors(), services.sessions() as session:
        board = svc.dashboard(session, today=today_in_japan())
        return page(
            request,
            "disclosure_dashboard.html",
            viewer,
            nav="disclosure",
            tab="dashboard",
            board=board,
        )


@router.get("/requests", response_class=HTMLResponse)
def request_list(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    state: str | None = None,
    error: str | None = None,
    values: Values | None = None,
    status_code: int = 200,
) -> Response:
    _officer(request, services, viewer)
    if state not in {s.value for s in RequestState}:
        state = None
    with translate_db_errors(), services.sessions() as session:
        rows = svc.list_requests(session, state=state)
        return page(
            request,
            "disclosure_requests.html",
            viewer,
            nav="disclosure",
            tab="requests",
            rows=rows,
            state=state,
            states=list(RequestState),
            error=error,
            values=values or {},
            requester_types=svc.REQUESTER_TYPES,
            channels=svc.CHANNELS,
            profiles=available_profiles(),
            default_profile=DEFAULT_PROFILE,
            today=today_in_japan(),
            status_code=status_code,
        )


@router.post("/requests")
async def create(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    _officer(request, services, viewer)
    values = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(viewer, values.get("csrf_token", ""))
    try:
        spec = svc.NewRequest(
            requester_name=values.get("requester_name", ""),
            requester_contact=values.get("requester_contact", ""),
            requester_type=values.get("requester_type", ""),
            records_sought=values.get("records_sought", ""),
            channel=values.get("channel", ""),
            received_on=_day(values, "received_on"),
            department=values.get("department") or None,
            profile=values.get("profile") or DEFAULT_PROFILE,
        )
        with translate_db_errors(), services.sessions.begin() as session:
            created = svc.create_request(session, spec, actor=viewer.principal.actor.name)
            record(
                session,
                actor=viewer.principal.actor,
                action="disclosure.request.create",
                target=created.id,
                detail={
                    "number": created.number,
                    "profile": created.profile,
                    "due_on": created.due_on,
                },
            )
            target = f"/disclosure/requests/{created.id}"
    except ArchiveError as exc:
        return request_list(
            request, services, viewer, error=str(exc), values=values, status_code=_status(exc)
        )
    return RedirectResponse(target, status_code=303)


@router.get("/requests/{request_id}", response_class=HTMLResponse)
def request_page(
    request: Request,
    request_id: str,
    services: ServicesDep,
    viewer: ViewerDep,
    error: str | None = None,
    values: Values | None = None,
    status_code: int = 200,
) -> Response:
    _officer(request, services, viewer)
    with translate_db_errors(), services.sessions.begin() as session:
        item = svc.get_request(session, request_id)
        if status_code == 200:
            record(
                session,
                actor=viewer.principal.actor,
                action="disclosure.request.view",
                target=item.id,
            )
        pauses = svc.tollings(session, item.id)
        attached, withheld = records.readable_records(session, item.id, viewer.principal.scope)
        marks = records.redactions_of(session, [r.id for r in attached])
        return page(
            request,
            "disclosure_request.html",
            viewer,
            nav="disclosure",
            tab="requests",
            item=item,
            profile=load_profile(item.profile),
            events=svc.events(session, item.id),
            pauses=pauses,
            paused=paused_days([(p.start_on, p.end_on) for p in pauses], today_in_japan()),
            open_pause=any(p.end_on is None for p in pauses),
            steps=svc.next_steps(item),
            consultations=consultations.consultations_of(session, item.id),
            not_before=consultations.release_not_before(session, item),
            records=attached,
            withheld=withheld,
            counts={
                r.id: sum(1 for m in marks if m.record_id == r.id and m.status == "accepted")
                for r in attached
            },
            proposed={
                r.id: sum(1 for m in marks if m.record_id == r.id and m.status == "proposed")
                for r in attached
            },
            decisions=decision.DECISIONS,
            releasing=decision.RELEASING,
            editable=item.state in records.EDITABLE,
            open_states=svc.OPEN_STATES,
            today=today_in_japan(),
            error=error,
            values=values or {},
            status_code=status_code,
        )


@dataclass(frozen=True)
class Step:
    """What a form handler gets: the open unit of work, the request and what was typed."""

    session: Session
    services: Services
    viewer: Viewer
    item: DisclosureRequest
    values: Values

    @property
    def actor(self) -> str:
        return self.viewer.principal.actor.name

    def audit(self, action: str, **detail: object) -> None:
        record(
            self.session,
            actor=self.viewer.principal.actor,
            action=f"disclosure.{action}",
            target=self.item.id,
            detail=detail,
        )


def _state(s: Step) -> None:
    before = s.item.state.value
    svc.step(
        s.session,
        s.item,
        s.values.get("state", ""),
        actor=s.actor,
        note=s.values.get("state_note") or None,
    )
    s.audit("request.state", **{"from": before, "to": s.item.state.value})


def _extend(s: Step) -> None:
    days = _int(s.values, "extend_days")
    svc.extend(
        s.session, s.item, days=days, reason=s.values.get("extend_reason", ""), actor=s.actor
    )
    s.audit("request.extend", days=days, due_on=s.item.due_on)


def _pause(s: Step) -> None:
    on = _day(s.values, "pause_on")
    svc.pause(
        s.session, s.item, start_on=on, reason=s.values.get("pause_reason", ""), actor=s.actor
    )
    s.audit("request.pause", on=on)


def _resume(s: Step) -> None:
    on = _day(s.values, "resume_on")
    svc.resume(s.session, s.item, end_on=on, actor=s.actor)
    s.audit("request.resume", on=on, due_on=s.item.due_on)


def _consult(s: Step) -> None:
    row = consultations.consult(
        s.session,
        s.item,
        third_party=s.values.get("consult_party", ""),
        sent_on=_day(s.values, "consult_sent"),
        answer_due_on=_day(s.values, "consult_due"),
        note=s.values.get("consult_note", ""),
        actor=s.actor,
    )
    s.audit(
        "consultation.send",
        consultation=row.id,
        sent_on=row.sent_on,
        answer_due_on=row.answer_due_on,
    )


def _answer(s: Step) -> None:
    consultation_id = _int(s.values, "consultation")
    objected = s.values.get(f"objected_{consultation_id}", "") == "yes"
    consultations.answer(
        s.session,
        s.item,
        consultation_id,
        answered_on=_day(s.values, f"answered_{consultation_id}"),
        objected=objected,
        actor=s.actor,
    )
    s.audit("consultation.answer", consultation=consultation_id, objected=objected)


def _attach(s: Step) -> None:
    added = records.attach_found(
        s.session,
        s.services.store,
        s.services.index,
        s.item,
        query=s.values.get("attach_query", ""),
        also=s.values.get("attach_ids", "").split(),
        scope=s.viewer.principal.scope,
        actor=s.actor,
    )
    s.audit("records.attach", documents=[r.document_id for r in added], hold=s.item.hold_id)


def _decide(s: Step) -> None:
    records.require_every_record(s.session, s.item, s.viewer.principal.scope)
    kind = s.values.get("decision", "")
    decided_on = _day(s.values, "decided_on") if s.values.get("decided_on") else today_in_japan()
    decision.decide(
        s.session,
        s.item,
        decision=kind,
        reason=s.values.get("decision_reason", ""),
        decided_on=decided_on,
        actor=s.actor,
    )
    s.audit("decide", decision=kind, hold_until=s.item.hold_until)


def _release(s: Step) -> None:
    records.require_every_record(s.session, s.item, s.viewer.principal.scope)
    package = release.release(
        s.session,
        s.services.store,
        s.item,
        today=today_in_japan(),
        actor=s.actor,
        ocr=s.values.get("ocr") == "yes",
    )
    s.audit("release", package=package.key, files=package.files)


ACTIONS: dict[str, Callable[[Step], None]] = {
    "state": _state,
    "extend": _extend,
    "pause": _pause,
    "resume": _resume,
    "consult": _consult,
    "answer": _answer,
    "attach": _attach,
    "decide": _decide,
    "release": _release,
}


@router.post("/requests/{request_id}/{action}")
async def act(
    request: Request, request_id: str, action: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    """Every form of the request page: one unit of work, audited; a refusal keeps what was typed."""
    _officer(request, services, viewer)
    values = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(viewer, values.get("csrf_token", ""))
    handler = ACTIONS.get(action)
    if handler is None:
        return Response(status_code=404)
    try:
        with translate_db_errors(), services.sessions.begin() as session:
            handler(Step(session, services, viewer, svc.get_request(session, request_id), values))
    except (NotReadable, NotCleared):
        _deny(services, viewer, f"disclosure.{action}", request_id)
        raise
    except (Conflict, InvalidInput) as exc:
        return request_page(
            request,
            request_id,
            services,
            viewer,
            error=str(exc),
            values=values,
            status_code=_status(exc),
        )
    return RedirectResponse(f"/disclosure/requests/{request_id}", status_code=303)


@router.get("/requests/{request_id}/records/{record_id}", response_class=HTMLResponse)
def record_page(
    request: Request,
    request_id: str,
    record_id: RecordId,
    services: ServicesDep,
    viewer: ViewerDep,
    error: str | None = None,
    values: Values | None = None,
    status_code: int = 200,
) -> Response:
    _officer(request, services, viewer)
    with translate_db_errors(), services.sessions() as session:
        item = svc.get_request(session, request_id)
        with denials(session, viewer.principal, "disclosure.record.view", item.id):
            row = records.get_record(session, item, record_id, viewer.principal.scope)
        return page(
            request,
            "disclosure_record.html",
            viewer,
            nav="disclosure",
            tab="requests",
            item=item,
            row=row,
            versions=records.version_states(session, [row])[row.id],
            marks=records.redactions_of(session, [row.id]),
            grounds=load_profile(item.profile).grounds,
            editable=item.state in records.EDITABLE,
            error=error,
            values=values or {},
            found=request.query_params.get("found"),
            status_code=status_code,
        )


@router.post("/requests/{request_id}/records/{record_id}/{action}")
async def mark(
    request: Request,
    request_id: str,
    record_id: RecordId,
    action: str,
    services: ServicesDep,
    viewer: ViewerDep,
) -> Response:
    """Search-and-redact, a page region, PII proposals, and accepting or rejecting a redaction."""
    _officer(request, services, viewer)
    values = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(viewer, values.get("csrf_token", ""))
    if action not in ("find", "box", "pii", "status"):
        return Response(status_code=404)
    here = f"/disclosure/requests/{request_id}/records/{record_id}"
    try:
        with translate_db_errors(), services.sessions.begin() as session:
            item = svc.get_request(session, request_id)
            records.check_editable(item)
            row = records.get_record(session, item, record_id, viewer.principal.scope)
            actor = viewer.principal.actor
            if action == "find":
                found = records.search_and_redact(
                    session,
                    services.store,
                    row,
                    pattern=values.get("pattern", ""),
                    regex=values.get("regex") == "yes",
                    category=values.get("category", ""),
                    note=values.get("note", ""),
                    actor=actor.name,
                )
                record(
                    session,
                    actor=actor,
                    action="disclosure.redaction.find",
                    target=item.id,
                    detail={
                        "record": row.id,
                        "found": len(found),
                        "regex": values.get("regex") == "yes",
                    },
                )
                here += f"?found={len(found)}"
            elif action == "box":
                box = (
                    _float(values, "x0"),
                    _float(values, "y0"),
                    _float(values, "x1"),
                    _float(values, "y1"),
                )
                mark = records.Mark(
                    _int(values, "page"), box, values.get("category", ""), values.get("note", "")
                )
                records.add_boxes(session, services.store, row, [mark], actor=actor.name)
                record(
                    session,
                    actor=actor,
                    action="disclosure.redaction.add",
                    target=item.id,
                    detail={"record": row.id, "boxes": 1},
                )
            elif action == "pii":
                proposals = records.propose_pii(session, services.store, row, actor=actor.name)
                record(
                    session,
                    actor=actor,
                    action="disclosure.redaction.propose",
                    target=item.id,
                    detail={"record": row.id, "proposed": len(proposals)},
                )
            else:
                redaction_id = _int(values, "redaction")
                records.set_status(session, row, redaction_id, values.get("status", ""))
                record(
                    session,
                    actor=actor,
                    action="disclosure.redaction.status",
                    target=item.id,
                    detail={"redaction": redaction_id, "status": values.get("status")},
                )
    except (NotReadable, NotCleared):
        _deny(services, viewer, f"disclosure.redaction.{action}", request_id)
        raise
    except (Conflict, InvalidInput) as exc:
        return record_page(
            request,
            request_id,
            record_id,
            services,
            viewer,
            error=str(exc),
            values=values,
            status_code=_status(exc),
        )
    return RedirectResponse(here, status_code=303)
