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
    RecordNotFound,
    record,
    translate_db_errors,
)
from archive.disclosure_tables import DisclosureRequest, Redaction, RequestState, ResponsiveRecord
from archive.errors import Conflict
from archive.users import display_names
from disclosure import consultations, decision, records, release
from disclosure import requests as svc
from disclosure.deadlines import paused_days
from disclosure.profiles import DEFAULT_PROFILE, available_profiles, load_profile
from retention.dates import today_in_japan
from web.access import denials, deny
from web.deps import ServicesDep
from web.pages._common import Viewer, ViewerDep, check_csrf, page, require_permission
from web.pages.disclosure_messages import translated
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
            profiles=[load_profile(p) for p in available_profiles()],
            default_profile=DEFAULT_PROFILE,
            departments=svc.departments(session),
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
            request,
            services,
            viewer,
            error=translated(request, str(exc)),
            values=values,
            status_code=_status(exc),
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
        query = request.query_params.get("attach_query", "") if status_code == 200 else ""
        candidates = (
            records.preview_found(
                session, services.index, item, query=query, scope=viewer.principal.scope
            )
            if query.strip() and item.state in records.EDITABLE
            else None
        )
        if candidates is not None:
            record(
                session,
                actor=viewer.principal.actor,
                action="disclosure.records.preview",
                target=item.id,
                detail={"query": query, "found": len(candidates)},
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
                r.id: sum(1 for m in marks if m.record_id == r.id and m.status == "accepted")
                for r in attached
            },
            proposed={
                r.id: sum(1 for m in marks if m.record_id == r.id and m.status == "proposed")
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
        pages=sum(records.page_count(services.store, r) for r in attached),
        redactions=sum(1 for m in marks if m.status == "accepted"),
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
    if (
        s.values.get("state") == RequestState.WITHDRAWN.value
        and not s.values.get("state_note", "").strip()
    ):
        raise InvalidInput("say why the request is withdrawn", field="state_note")
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


def _detach(s: Step) -> None:
    row = records.get_record(s.session, s.item, _int(s.values, "record"), s.viewer.principal.scope)
    gone = {"record": row.id, "document": row.document_id, "title": row.title}
    removed = records.detach(
        s.session,
        s.services.store,
        s.services.index,
        s.item,
        row,
        scope=s.viewer.principal.scope,
        actor=s.actor,
    )
    s.audit("records.detach", redactions=removed, **gone)


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
    if s.values.get("confirm") != "yes":
        raise InvalidInput("confirm the summary before releasing", field="confirm")
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
    "detach": _detach,
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
            error=translated(request, str(exc)),
            values=values,
            status_code=_status(exc),
        )
    return RedirectResponse(f"/disclosure/requests/{request_id}", status_code=303)


PAGE_DPI = 110
"""The officer's page view: an A4 page is 910 × 1290 px, readable at 100 % and sharp when zoomed."""


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
    """The record's pages with every redaction drawn on them, and the proposals grouped by kind."""
    _officer(request, services, viewer)
    with translate_db_errors(), services.sessions() as session:
        item = svc.get_request(session, request_id)
        with denials(session, viewer.principal, "disclosure.record.view", item.id):
            row = records.get_record(session, item, record_id, viewer.principal.scope)
        if status_code == 200:
            record(
                session,
                actor=viewer.principal.actor,
                action="disclosure.record.view",
                target=item.id,
                detail={"record": row.id},
            )
            session.commit()
        marks = records.redactions_of(session, [row.id])
        view = records.page_view(services.store, row, marks)
        proposals: dict[str, list[object]] = {}
        for m in marks:
            if m.status == "proposed":
                proposals.setdefault(m.note if m.kind == "pii" else m.kind, []).append(m)
        return page(
            request,
            "disclosure_record.html",
            viewer,
            nav="disclosure",
            tab="requests",
            item=item,
            row=row,
            versions=records.version_states(session, [row])[row.id],
            marks=marks,
            view=view,
            proposals=proposals,
            grounds=load_profile(item.profile).grounds,
            editable=item.state in records.EDITABLE,
            error=error,
            values=values or {},
            found=request.query_params.get("found"),
            status_code=status_code,
        )


@router.get("/requests/{request_id}/records/{record_id}/pages/{number}.png")
def record_page_image(
    request: Request,
    request_id: str,
    record_id: RecordId,
    number: str,
    services: ServicesDep,
    viewer: ViewerDep,
) -> Response:
    """One page of the record as the officer marks it (unredacted: disclosure officers only).

    ``number`` is read after the permission check, so a stranger learns nothing from a 422.
    """
    _officer(request, services, viewer)
    if not number.isdigit() or len(number) > 6:
        raise RecordNotFound(f"the record has no page {number[:20]}")
    with translate_db_errors(), services.sessions() as session:
        item = svc.get_request(session, request_id)
        with denials(session, viewer.principal, "disclosure.record.page", item.id):
            row = records.get_record(session, item, record_id, viewer.principal.scope)
        png = records.page_image(services.store, row, int(number), PAGE_DPI)
        record(
            session,
            actor=viewer.principal.actor,
            action="disclosure.record.page",
            target=item.id,
            detail={"record": row.id, "page": int(number)},
        )
        session.commit()
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, no-store"})


@dataclass(frozen=True)
class MarkStep:
    """What a redaction form handler gets: the open unit of work, the record and what was typed."""

    step: Step
    row: ResponsiveRecord

    def box(self) -> tuple[float, float, float, float]:
        v = self.step.values
        return (_float(v, "x0"), _float(v, "y0"), _float(v, "x1"), _float(v, "y1"))

    def ids(self) -> list[int]:
        try:
            return [int(i) for i in self.step.values.get("redactions", "").split()]
        except ValueError:
            raise InvalidInput("redaction ids are whole numbers", field="redaction") from None

    def audit(self, action: str, **detail: object) -> None:
        self.step.audit(f"redaction.{action}", record=self.row.id, **detail)


def _find(m: MarkStep) -> str:
    v, s = m.step.values, m.step
    found = records.search_and_redact(
        s.session,
        s.services.store,
        m.row,
        pattern=v.get("pattern", ""),
        regex=v.get("regex") == "yes",
        category=v.get("category", ""),
        note=v.get("note", ""),
        actor=s.actor,
        status="proposed",
    )
    m.audit("find", found=len(found), regex=v.get("regex") == "yes")
    return f"?found={len(found)}#proposals"


def _box(m: MarkStep) -> str:
    v, s = m.step.values, m.step
    mark = records.Mark(_int(v, "page"), m.box(), v.get("category", ""), v.get("note", ""))
    (added,) = records.add_boxes(s.session, s.services.store, m.row, [mark], actor=s.actor)
    m.audit("add", boxes=1, redaction=added.id)
    return f"#page-{added.page}"


def _pii(m: MarkStep) -> str:
    s = m.step
    proposals = records.propose_pii(s.session, s.services.store, m.row, actor=s.actor)
    m.audit("propose", proposed=len(proposals))
    return "#proposals"


def _set_status(m: MarkStep) -> str:
    ids = [_int(m.step.values, "redaction")] if m.step.values.get("redaction") else m.ids()
    status = m.step.values.get("status", "")
    records.set_statuses(m.step.session, m.row, ids, status)
    m.audit("status", redactions=ids, status=status)
    return ""


def _move(m: MarkStep) -> str:
    s = m.step
    redaction_id = _int(s.values, "redaction")
    moved = records.move_box(s.session, s.services.store, m.row, redaction_id, m.box())
    m.audit("move", redaction=redaction_id, box=[moved.x0, moved.y0, moved.x1, moved.y1])
    return f"#page-{moved.page}"


def _delete(m: MarkStep) -> str:
    redaction_id = _int(m.step.values, "redaction")
    gone = records.delete_redaction(m.step.session, m.row, redaction_id)
    m.audit(
        "delete",
        redaction=redaction_id,
        page=gone.page,
        kind=gone.kind,
        box=[gone.x0, gone.y0, gone.x1, gone.y1],
    )
    return f"#page-{gone.page}"


MARK_ACTIONS: dict[str, Callable[[MarkStep], str]] = {
    "find": _find,
    "box": _box,
    "pii": _pii,
    "status": _set_status,
    "move": _move,
    "delete": _delete,
}


@router.post("/requests/{request_id}/records/{record_id}/{action}")
async def mark(
    request: Request,
    request_id: str,
    record_id: RecordId,
    action: str,
    services: ServicesDep,
    viewer: ViewerDep,
) -> Response:
    """Search-and-redact and PII proposals, drawn boxes (add, move, delete), accepting or rejecting."""
    _officer(request, services, viewer)
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    values["redactions"] = " ".join(str(v) for v in form.getlist("redactions"))
    check_csrf(viewer, values.get("csrf_token", ""))
    handler = MARK_ACTIONS.get(action)
    if handler is None:
        return Response(status_code=404)
    here = f"/disclosure/requests/{request_id}/records/{record_id}"
    try:
        with translate_db_errors(), services.sessions.begin() as session:
            item = svc.get_request(session, request_id)
            records.check_editable(item)
            row = records.get_record(session, item, record_id, viewer.principal.scope)
            here += handler(MarkStep(Step(session, services, viewer, item, values), row))
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
            error=translated(request, str(exc)),
            values=values,
            status_code=_status(exc),
        )
    return RedirectResponse(here, status_code=303)
