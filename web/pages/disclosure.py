"""Disclosure officer pages: dashboard, requests and their workflow (records: ``disclosure_records``).

Every form posts to ``/disclosure/requests/{id}/{action}`` and calls the use case the API
calls (``disclosure.usecases``); a refused step re-renders the page with the error and with
what the officer typed. Requester data is personal data: every page needs ``disclosure``.
The form helpers below serve the record pages too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from archive import (
    AccessScope,
    Actor,
    ArchiveError,
    Conflict,
    InvalidInput,
    Permission,
    display_names,
    translate_db_errors,
)
from disclosure import (
    DEFAULT_PROFILE,
    Box,
    DisclosureRequest,
    Redaction,
    RedactionStatus,
    RequestState,
    ResponsiveRecord,
    available_profiles,
    load_profile,
    paused_days,
    record_cases,
)
from disclosure import consultation_service as consultations
from disclosure import decision_service as decision
from disclosure import marking_service as marking
from disclosure import record_service as records
from disclosure import request_cases as cases
from disclosure import request_service as svc
from retention import today_in_japan
from web.deps import ServicesDep
from web.pages._common import Viewer, ViewerDep, check_csrf, form_work, page, require_permission
from web.pages.disclosure_messages import translated
from web.services import Services

router = APIRouter(prefix="/disclosure", tags=["pages"], include_in_schema=False)
Values = dict[str, str]


def officer_only(request: Request, services: ServicesDep, viewer: ViewerDep) -> None:
    require_permission(request, services, viewer, Permission.DISCLOSURE)


async def officer_form(request: Request, services: Services, viewer: Viewer) -> Values:
    """A disclosure officer's posted form as text (the ticked ``redactions`` space-separated),
    after the permission and CSRF checks."""
    officer_only(request, services, viewer)
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    values["redactions"] = " ".join(str(v) for v in form.getlist("redactions"))
    check_csrf(viewer, values.get("csrf_token", ""))
    return values


def status_of(exc: ArchiveError) -> int:
    return 409 if isinstance(exc, Conflict) else getattr(exc, "status", 422)


def day(values: Values, name: str) -> date:
    try:
        return date.fromisoformat(values.get(name, "").strip())
    except ValueError:
        raise InvalidInput("give a date as YYYY-MM-DD", field=name) from None


def _number(values: Values, name: str) -> float:
    try:
        return float(values.get(name, ""))
    except ValueError:
        raise InvalidInput(f"{name}: a number is needed", field=name) from None


def box_of(values: Values) -> Box:
    """The box a redaction form gives (``x0``, ``y0``, ``x1``, ``y1``, in points)."""
    return (
        _number(values, "x0"),
        _number(values, "y0"),
        _number(values, "x1"),
        _number(values, "y1"),
    )


def whole(values: Values, name: str) -> int:
    try:
        return int(values.get(name, "").strip())
    except ValueError:
        raise InvalidInput("give a whole number", field=name) from None


def redaction_ids(values: Values) -> list[int]:
    """The redactions ticked on a record page (``redactions``, space-separated)."""
    try:
        return [int(i) for i in values.get("redactions", "").split()]
    except ValueError:
        raise InvalidInput("redaction ids are whole numbers", field="redaction") from None


@router.get("", response_class=HTMLResponse)
def dashboard(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    officer_only(request, services, viewer)
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
    officer_only(request, services, viewer)
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
            profiles=[load_profile(p) for p in available_profiles()],
            default_profile=DEFAULT_PROFILE,
            departments=svc.departments(session),
            today=today_in_japan(),
            status_code=status_code,
        )


class RequestForm(BaseModel):
    """The new-request form as typed (shown again when refused); ``spec`` reads it."""

    csrf_token: str = ""
    requester_name: str = ""
    requester_contact: str = ""
    requester_type: str = ""
    records_sought: str = ""
    channel: str = ""
    received_on: str = ""
    department: str = ""
    profile: str = ""

    def spec(self) -> svc.NewRequest:
        return svc.NewRequest(
            requester_name=self.requester_name,
            requester_contact=self.requester_contact,
            requester_type=self.requester_type,
            records_sought=self.records_sought,
            channel=self.channel,
            received_on=day({"received_on": self.received_on}, "received_on"),
            department=self.department or None,
            profile=self.profile or DEFAULT_PROFILE,
        )


@router.post("/requests")
def create(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    form: Annotated[RequestForm, Form()],
) -> Response:
    officer_only(request, services, viewer)
    check_csrf(viewer, form.csrf_token)
    values = form.model_dump()
    try:
        spec = form.spec()
        with translate_db_errors(), services.sessions.begin() as session:
            created = cases.create(session, spec, actor=viewer.principal.actor)
            target = f"/disclosure/requests/{created.id}"
    except ArchiveError as exc:
        return request_list(
            request,
            services,
            viewer,
            error=translated(request, str(exc)),
            values=values,
            status_code=status_of(exc),
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
    officer_only(request, services, viewer)
    with translate_db_errors(), services.sessions.begin() as session:
        item = (
            cases.view(session, request_id, actor=viewer.principal.actor)
            if status_code == 200
            else svc.get_request(session, request_id)
        )
        query = request.query_params.get("attach_query", "") if status_code == 200 else ""
        candidates = (
            record_cases.preview_found(
                session,
                services.index,
                item,
                query=query,
                scope=viewer.principal.scope,
                actor=viewer.principal.actor,
            )
            if query.strip() and item.state in records.EDITABLE
            else None
        )
        pauses = svc.tollings(session, item.id)
        events = svc.events(session, item.id)
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
            events=events,
            people=display_names(session, [item.officer, *(e.actor for e in events)]),
            pauses=pauses,
            paused=paused_days([(p.start_on, p.end_on) for p in pauses], today_in_japan()),
            open_pause=any(p.end_on is None for p in pauses),
            steps=svc.next_steps(item),
            consultations=consultations.consultations_of(session, item.id),
            not_before=consultations.release_not_before(session, item),
            records=attached,
            withheld=withheld,
            counts={
                r.id: sum(
                    1 for m in marks if m.record_id == r.id and m.status == RedactionStatus.ACCEPTED
                )
                for r in attached
            },
            proposed={
                r.id: sum(
                    1 for m in marks if m.record_id == r.id and m.status == RedactionStatus.PROPOSED
                )
                for r in attached
            },
            decisions=decision.DECISIONS,
            releasing=decision.RELEASING,
            summary=_release_summary(services, item, attached, marks),
            attach_query=query,
            candidates=candidates,
            editable=item.state in records.EDITABLE,
            open_states=svc.OPEN_STATES,
            today=today_in_japan(),
            error=error,
            values=values or {},
            status_code=status_code,
        )


@dataclass(frozen=True)
class ReleaseSummary:
    """What the officer confirms before releasing: how many records, pages and redactions."""

    records: int
    pages: int
    redactions: int


def _release_summary(
    services: Services,
    item: DisclosureRequest,
    attached: list[ResponsiveRecord],
    marks: list[Redaction],
) -> ReleaseSummary | None:
    if item.state != RequestState.DECIDED:
        return None
    return ReleaseSummary(
        records=len(attached),
        pages=sum(marking.page_count(services.store, r) for r in attached),
        redactions=sum(1 for m in marks if m.status == RedactionStatus.ACCEPTED),
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
    def actor(self) -> Actor:
        return self.viewer.principal.actor

    @property
    def scope(self) -> AccessScope:
        return self.viewer.principal.scope


def _state(s: Step) -> None:
    if (
        s.values.get("state") == RequestState.WITHDRAWN.value
        and not s.values.get("state_note", "").strip()
    ):
        raise InvalidInput("say why the request is withdrawn", field="state_note")
    cases.change_state(
        s.session,
        s.item,
        s.values.get("state", ""),
        actor=s.actor,
        note=s.values.get("state_note") or None,
    )


def _extend(s: Step) -> None:
    cases.extend(
        s.session,
        s.item,
        days=whole(s.values, "extend_days"),
        reason=s.values.get("extend_reason", ""),
        actor=s.actor,
    )


def _pause(s: Step) -> None:
    cases.pause(
        s.session,
        s.item,
        on=day(s.values, "pause_on"),
        reason=s.values.get("pause_reason", ""),
        actor=s.actor,
    )


def _resume(s: Step) -> None:
    cases.resume(s.session, s.item, on=day(s.values, "resume_on"), actor=s.actor)


def _consult(s: Step) -> None:
    cases.consult(
        s.session,
        s.item,
        third_party=s.values.get("consult_party", ""),
        sent_on=day(s.values, "consult_sent"),
        answer_due_on=day(s.values, "consult_due"),
        note=s.values.get("consult_note", ""),
        actor=s.actor,
    )


def _answer(s: Step) -> None:
    consultation_id = whole(s.values, "consultation")
    cases.answer(
        s.session,
        s.item,
        consultation_id,
        answered_on=day(s.values, f"answered_{consultation_id}"),
        objected=s.values.get(f"objected_{consultation_id}", "") == "yes",
        actor=s.actor,
    )


def _attach(s: Step) -> None:
    record_cases.attach(
        s.services.backends(s.session),
        s.item,
        query=s.values.get("attach_query", ""),
        also=s.values.get("attach_ids", "").split(),
        scope=s.scope,
        actor=s.actor,
    )


def _detach(s: Step) -> None:
    record_cases.detach(
        s.services.backends(s.session),
        s.item,
        whole(s.values, "record"),
        scope=s.scope,
        actor=s.actor,
    )


def _decide(s: Step) -> None:
    record_cases.decide(
        s.session,
        s.item,
        kind=s.values.get("decision", ""),
        reason=s.values.get("decision_reason", ""),
        decided_on=day(s.values, "decided_on") if s.values.get("decided_on") else None,
        scope=s.scope,
        actor=s.actor,
    )


def _release(s: Step) -> None:
    records.require_every_record(s.session, s.item, s.scope)
    if s.values.get("confirm") != "yes":
        raise InvalidInput("confirm the summary before releasing", field="confirm")
    record_cases.release_records(
        s.session,
        s.services.store,
        s.item,
        ocr=s.values.get("ocr") == "yes",
        scope=s.scope,
        actor=s.actor,
    )


ACTIONS: dict[str, tuple[str, Callable[[Step], None]]] = {
    "state": (cases.STATE, _state),
    "extend": (cases.EXTEND, _extend),
    "pause": (cases.PAUSE, _pause),
    "resume": (cases.RESUME, _resume),
    "consult": (cases.CONSULT, _consult),
    "answer": (cases.ANSWER, _answer),
    "attach": (record_cases.ATTACH, _attach),
    "detach": (record_cases.DETACH, _detach),
    "decide": (record_cases.DECIDE, _decide),
    "release": (record_cases.RELEASE, _release),
}
"""Each form: the audit action it is recorded as (a refusal too), and its handler."""


@router.post("/requests/{request_id}/{action}")
async def act(
    request: Request, request_id: str, action: str, services: ServicesDep, viewer: ViewerDep
) -> Response:
    """Every form of the request page: one unit of work, audited; a refusal keeps what was typed."""
    values = await officer_form(request, services, viewer)
    if action not in ACTIONS:
        return Response(status_code=404)
    audited, handler = ACTIONS[action]
    try:
        with form_work(services, viewer, audited, request_id) as session:
            handler(Step(session, services, viewer, svc.get_request(session, request_id), values))
    except (Conflict, InvalidInput) as exc:
        return request_page(
            request,
            request_id,
            services,
            viewer,
            error=translated(request, str(exc)),
            values=values,
            status_code=status_of(exc),
        )
    return RedirectResponse(f"/disclosure/requests/{request_id}", status_code=303)
