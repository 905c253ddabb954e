"""The disclosure officer pages, in Japanese and English: a request from receipt to release in a browser session."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from sqlalchemy import select

from archive.models import AuditEvent
from disclosure.models import DisclosureRequest
from retention.models import HoldItem
from tests.disclosure.conftest import REQUEST, text_pdf
from tests.factories import csrf_from
from tests.retention.conftest import Officer
from web.i18n import translations
from web.pages import disclosure as disclosure_pages
from web.pages.disclosure_messages import PATTERNS

API = "/api/v1/disclosure/requests"
DISCLOSURE = Path(__file__).resolve().parents[2] / "disclosure"
WEB_PAGE = Path(disclosure_pages.__file__)
FORM = {k: v for k, v in REQUEST.items()}


def _form(officer: Officer, url: str, token: str, **data: str):
    return officer.post(url, data={"csrf_token": token, **data}, follow_redirects=False)


def test_an_officer_takes_a_request_from_receipt_to_release(
    officer: Officer, ingest, tmp_path: Path
) -> None:
    ingest(
        text_pdf(tmp_path / "c.pdf").read_bytes(),
        name="contract.pdf",
        media="application/pdf",
        title="道路工事契約書",
    )
    listing = officer.get("/disclosure/requests", headers={"Accept-Language": "ja"})
    assert listing.status_code == 200 and "新しい請求を受け付ける" in listing.text
    assert (
        "Record a new request"
        in officer.get("/disclosure/requests", headers={"Accept-Language": "en"}).text
    )
    token = csrf_from(listing.text)

    # A validation error keeps what the officer typed.
    missing = _form(officer, "/disclosure/requests", token, **{**FORM, "requester_name": " "})
    assert (
        missing.status_code == 422
        and "令和7年度の道路工事契約に関する文書" in missing.text
        and "hanako@example.jp" in missing.text
    )
    assert _form(officer, "/disclosure/requests", "wrong", **FORM).status_code == 403  # CSRF
    created = _form(officer, "/disclosure/requests", token, **FORM)
    assert created.status_code == 303
    here = created.headers["location"]
    rid = here.rsplit("/", 1)[1]

    page = officer.get(here, headers={"Accept-Language": "ja"}).text
    assert "2025-04-24" in page and "受付日の翌日から起算" in page and "市民 花子" in page
    assert (
        "文書の探索を開始" in page
        and "取下げとして記録" in page
        and "審査を開始" not in page
        and "請求を終了" not in page
    )
    assert _form(officer, f"{here}/state", token, state="reviewing").status_code == 409
    assert _form(officer, f"{here}/state", token, state="searching").status_code == 303

    too_long = _form(officer, f"{here}/extend", token, extend_days="31", extend_reason="大量の文書")
    assert (
        too_long.status_code == 409
        and 'value="大量の文書"' in too_long.text
        and 'value="31"' in too_long.text
    )
    assert (
        _form(
            officer, f"{here}/extend", token, extend_days="10", extend_reason="大量の文書"
        ).status_code
        == 303
    )
    assert (
        _form(
            officer, f"{here}/pause", token, pause_on="2025-04-14", pause_reason="補正"
        ).status_code
        == 303
    )
    assert _form(officer, f"{here}/resume", token, resume_on="2025-04-16").status_code == 303
    english = officer.get(here, headers={"Accept-Language": "en"}).text
    assert "Extension used: 10 / 30" in english and "Clock paused: 2 days" in english

    assert (
        _form(
            officer,
            f"{here}/consult",
            token,
            consult_party="株式会社 北建設",
            consult_sent="2025-04-15",
            consult_due="2025-04-25",
        ).status_code
        == 303
    )
    (consultation,) = officer.get(f"{API}/{rid}/consultations").json()
    answered = _form(
        officer,
        f"{here}/answer",
        token,
        consultation=str(consultation["id"]),
        **{f"answered_{consultation['id']}": "2025-04-18", f"objected_{consultation['id']}": "no"},
    )
    assert answered.status_code == 303

    assert _form(officer, f"{here}/attach", token, attach_query="PINEAPPLE").status_code == 303
    (rec,) = officer.get(f"{API}/{rid}/records").json()
    record_url = f"{here}/records/{rec['id']}"
    assert "道路工事契約書" in officer.get(here).text
    found = _form(
        officer,
        f"{record_url}/find",
        token,
        pattern="PINEAPPLE",
        category="corporate",
        note="取引先",
    )
    assert found.status_code == 303 and found.headers["location"].endswith("?found=1#proposals")
    bad = _form(
        officer,
        f"{record_url}/find",
        token,
        pattern="(",
        regex="yes",
        category="personal",
        note="x",
    )
    assert bad.status_code == 422 and 'value="("' in bad.text
    outside = _form(
        officer,
        f"{record_url}/box",
        token,
        page="1",
        x0="10",
        y0="10",
        x1="5000",
        y1="40",
        category="personal",
        note="欄外",
    )
    assert outside.status_code == 422 and 'value="5000"' in outside.text
    region = _form(
        officer,
        f"{record_url}/box",
        token,
        page="1",
        x0="10",
        y0="10",
        x1="120",
        y1="40",
        category="personal",
        note="印影",
    )
    assert region.status_code == 303
    assert any(
        m["kind"] == "box"
        for m in officer.get(f"{API}/{rid}/records/{rec['id']}/redactions").json()
    )
    assert _form(officer, f"{record_url}/pii", token).status_code == 303
    marks = officer.get(f"{API}/{rid}/records/{rec['id']}/redactions").json()
    proposals = [m for m in marks if m["status"] == "proposed"]
    assert (
        proposals
        and "個人情報の候補" in officer.get(record_url, headers={"Accept-Language": "ja"}).text
    )
    for m in proposals:
        status = "accepted" if m["note"] in ("name", "取引先") else "rejected"
        assert (
            _form(
                officer, f"{record_url}/status", token, redaction=str(m["id"]), status=status
            ).status_code
            == 303
        )
    assert officer.get(f"{API}/{rid}/records/{rec['id']}/preview.pdf").content[:4] == b"%PDF"

    assert _form(officer, f"{here}/state", token, state="reviewing").status_code == 303
    refused = _form(
        officer,
        f"{here}/decide",
        token,
        decision="full",
        decision_reason="",
        decided_on="2025-04-20",
    )
    assert refused.status_code == 409 and "部分公開としてください" in refused.text
    decided = _form(
        officer,
        f"{here}/decide",
        token,
        decision="partial",
        decision_reason="個人情報・法人情報",
        decided_on="2025-04-20",
    )
    assert decided.status_code == 303
    page = officer.get(here, headers={"Accept-Language": "ja"}).text
    assert (
        "決定済み" in page
        and "notice.pdf" in page
        and "公開実施" in page
        and "文書の探索を開始" not in page
    )
    assert officer.get(f"{API}/{rid}/notice.pdf").content[:4] == b"%PDF"
    confirm = officer.get(here, headers={"Accept-Language": "ja"}).text
    assert "公開（交付）の実施" in confirm and "解除" not in confirm
    assert 'id="release-pages">1<' in confirm and 'id="release-redactions">' in confirm
    unconfirmed = _form(officer, f"{here}/release", token)
    assert unconfirmed.status_code == 422 and "package.zip" not in unconfirmed.text
    assert _form(officer, f"{here}/release", token, confirm="yes").status_code == 303
    page = officer.get(here).text
    assert "package.zip" in page and "請求を終了" in page
    package = zipfile.ZipFile(io.BytesIO(officer.get(f"{API}/{rid}/package.zip").content))
    assert "manifest.json" in package.namelist() and b"PINEAPPLE" not in package.read(
        next(n for n in package.namelist() if n.startswith("records/"))
    )
    assert _form(officer, f"{here}/state", token, state="closed").status_code == 303
    assert "請求を終了" not in officer.get(here).text

    board = officer.get("/disclosure", headers={"Accept-Language": "ja"})
    assert board.status_code == 200 and "担当課別" in board.text and "somu" in board.text


def test_staff_without_the_role_cannot_open_the_pages(officer: Officer, staff: Officer) -> None:
    rid = officer.post(API, json=REQUEST).json()["id"]
    for url in ("/disclosure", "/disclosure/requests", f"/disclosure/requests/{rid}"):
        response = staff.get(url)
        assert response.status_code == 403 and "市民 花子" not in response.text
    token = csrf_from(staff.get("/").text)
    assert staff.post("/disclosure/requests", data={"csrf_token": token, **FORM}).status_code == 403
    assert (
        staff.post(
            f"/disclosure/requests/{rid}/state",
            data={"csrf_token": token, "state": "withdrawn", "state_note": "x"},
        ).status_code
        == 403
    )
    assert officer.get(f"{API}/{rid}").json()["state"] == "received"


def test_the_record_page_draws_every_mark_and_edits_boxes(
    officer: Officer, ingest, tmp_path: Path
) -> None:
    """The pages are rendered with each mark placed on them; boxes move and go; hits wait for review."""
    ingest(
        text_pdf(tmp_path / "c.pdf", pages=2).read_bytes(),
        name="contract.pdf",
        media="application/pdf",
        title="道路工事契約書",
    )
    rid = officer.post(API, json=REQUEST).json()["id"]
    here = f"/disclosure/requests/{rid}"
    token = csrf_from(officer.get(here).text)
    assert _form(officer, f"{here}/attach", token, attach_query="PINEAPPLE").status_code == 303
    (rec,) = officer.get(f"{API}/{rid}/records").json()
    url = f"{here}/records/{rec['id']}"

    image = officer.get(f"{url}/pages/2.png")
    assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.headers["cache-control"] == "private, no-store"
    for bad in ("3", "0", "abc", "99999999999"):
        assert officer.get(f"{url}/pages/{bad}.png").status_code in (404, 422), bad

    found = _form(officer, f"{url}/find", token, pattern="PINEAPPLE", category="corporate")
    assert found.headers["location"].endswith("?found=2#proposals")
    page = officer.get(url, headers={"Accept-Language": "ja"}).text
    assert page.count('class="mark mark-proposed"') == 2 and "ContactPINEAPPLEatthenorthoffice" in (
        page.replace(" ", "")
    )
    assert "検索の該当箇所 (2)" in page and "選択したものを承認" in page
    marks = officer.get(f"{API}/{rid}/records/{rec['id']}/redactions").json()
    ids = [str(m["id"]) for m in marks]
    assert {m["status"] for m in marks} == {"proposed"}
    bulk = officer.post(
        f"{url}/status",
        data={"csrf_token": token, "status": "accepted", "redactions": ids},
        follow_redirects=False,
    )
    assert bulk.status_code == 303
    marks = officer.get(f"{API}/{rid}/records/{rec['id']}/redactions").json()
    assert {m["status"] for m in marks} == {"accepted"}
    assert _form(officer, f"{url}/status", token, status="accepted").status_code == 422
    unknown = officer.post(
        f"{url}/status",
        data={"csrf_token": token, "status": "accepted", "redactions": [ids[0], "999999"]},
    )
    assert unknown.status_code == 404

    box = {"page": "1", "x0": "10", "y0": "10", "x1": "120", "y1": "40", "category": "personal"}
    assert _form(officer, f"{url}/box", token, **box).headers["location"].endswith("#page-1")
    drawn = next(
        m
        for m in officer.get(f"{API}/{rid}/records/{rec['id']}/redactions").json()
        if m["kind"] == "box"
    )
    moved = _form(
        officer,
        f"{url}/move",
        token,
        redaction=str(drawn["id"]),
        x0="50",
        y0="60",
        x1="90",
        y1="80",
    )
    assert moved.status_code == 303
    after = {m["id"]: m for m in officer.get(f"{API}/{rid}/records/{rec['id']}/redactions").json()}
    assert after[drawn["id"]]["box"] == [50, 60, 90, 80]
    for form in (
        {"redaction": str(drawn["id"]), "x0": "50", "y0": "60", "x1": "9000", "y1": "80"},
        {"redaction": str(drawn["id"]), "x0": "90", "y0": "60", "x1": "50", "y1": "80"},
        {"redaction": str(drawn["id"]), "x0": "a", "y0": "60", "x1": "90", "y1": "80"},
        {"redaction": "x", "x0": "50", "y0": "60", "x1": "90", "y1": "80"},
    ):
        assert _form(officer, f"{url}/move", token, **form).status_code == 422, form
    outside = {"redaction": str(drawn["id"]), "x0": "50", "y0": "60", "x1": "9000", "y1": "80"}
    ja = officer.post(
        f"{url}/move",
        data={"csrf_token": token, **outside},
        headers={"Accept-Language": "ja"},
    ).text
    assert "枠が1ページの外にはみ出しています（595 × 842 pt）" in ja and "the box lies" not in ja
    en = officer.post(
        f"{url}/move",
        data={"csrf_token": token, **outside},
        headers={"Accept-Language": "en"},
    ).text
    assert "the box lies outside page 1 (595 × 842 pt)" in en
    assert _form(officer, f"{url}/delete", token, redaction="999999").status_code == 404
    assert _form(officer, f"{url}/delete", token, redaction="").status_code == 422
    assert _form(officer, f"{url}/delete", token, redaction=str(drawn["id"])).status_code == 303
    left = officer.get(f"{API}/{rid}/records/{rec['id']}/redactions").json()
    assert drawn["id"] not in {m["id"] for m in left} and len(left) == 2
    assert _form(officer, f"{url}/nonsense", token).status_code == 404


def test_numbers_departments_and_a_withdrawal_with_its_reason(officer: Officer) -> None:
    """Numbers do not read as era years; the department comes from a list; withdrawing needs a reason."""
    listing = officer.get("/disclosure/requests", headers={"Accept-Language": "ja"}).text
    assert '<select id="department" name="department">' in listing and "総務局" in listing
    assert "大阪市情報公開条例" in listing
    token = csrf_from(listing)
    here = _form(officer, "/disclosure/requests", token, **FORM).headers["location"]
    number = officer.get(f"{API}/{here.rsplit('/', 1)[1]}").json()["number"]
    assert number == "2025-0001"
    unknown = _form(officer, "/disclosure/requests", token, **{**FORM, "department": "nope"})
    assert unknown.status_code == 422 and "令和7年度の道路工事契約に関する文書" in unknown.text
    for blank in ("", "   "):
        refused = _form(officer, f"{here}/state", token, state="withdrawn", state_note=blank)
        assert refused.status_code == 422 and '<details class="withdraw" open>' in refused.text
    assert (
        _form(
            officer, f"{here}/state", token, state="withdrawn", state_note="請求者から取下書"
        ).status_code
        == 303
    )
    page = officer.get(here, headers={"Accept-Language": "ja"}).text
    assert "請求者から取下書" in page and "取下げ" in page and " JST</td>" in page
    assert "<td>Kobayashi</td>" in page and "user:kobayashi" not in page  # people by name


def test_attaching_by_search_is_previewed_and_a_mistake_removed(
    officer: Officer, ingest, organisation, tmp_path: Path
) -> None:
    """The officer sees what a query attaches first; a record attached by mistake goes, audited."""
    ingest(
        text_pdf(tmp_path / "c.pdf").read_bytes(),
        name="contract.pdf",
        media="application/pdf",
        title="道路工事契約書",
    )
    rid = officer.post(API, json=REQUEST).json()["id"]
    here = f"/disclosure/requests/{rid}"
    preview = officer.get(here, params={"attach_query": "PINEAPPLE"}).text
    assert "道路工事契約書" in preview and 'id="attach-confirm"' in preview
    assert officer.get(f"{API}/{rid}/records").json() == []  # nothing attached by looking
    empty = officer.get(here, params={"attach_query": "nothingmatchesthis"}).text
    assert 'id="attach-confirm"' not in empty and 'id="attach-preview-list"></ol>' in empty
    hostile = officer.get(here, params={"attach_query": "<script>x" * 300})
    assert hostile.status_code < 500 and "<script>x" not in hostile.text
    token = csrf_from(preview)
    assert _form(officer, f"{here}/attach", token, attach_query="PINEAPPLE").status_code == 303
    again = officer.get(here, params={"attach_query": "PINEAPPLE"}).text
    assert (
        'id="attach-confirm"' not in again
        and "添付済み"
        in officer.get(
            here, params={"attach_query": "PINEAPPLE"}, headers={"Accept-Language": "ja"}
        ).text
    )
    (rec,) = officer.get(f"{API}/{rid}/records").json()
    box = {"page": "1", "x0": "10", "y0": "10", "x1": "120", "y1": "40", "category": "personal"}
    assert _form(officer, f"{here}/records/{rec['id']}/box", token, **box).status_code == 303

    for bad in ("", "abc", "1e9"):
        assert _form(officer, f"{here}/detach", token, record=bad).status_code == 422, bad
    assert _form(officer, f"{here}/detach", token, record="999999").status_code == 404
    assert _form(officer, f"{here}/detach", token, record=str(rec["id"])).status_code == 303
    assert officer.get(f"{API}/{rid}/records").json() == []
    with organisation.sessions() as session:
        entry = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "disclosure.records.detach")
        ).one()
        detail = json.loads(entry.detail)
        assert detail["title"] == "道路工事契約書" and detail["redactions"] == 1
        item = session.get(DisclosureRequest, rid)
        assert item is not None and item.hold_id is not None
        (held,) = session.scalars(select(HoldItem).where(HoldItem.hold_id == item.hold_id))
        assert held.released_at is not None
    assert _form(officer, f"{here}/attach", token, attach_query="PINEAPPLE").status_code == 303
    assert len(officer.get(f"{API}/{rid}/records").json()) == 1


_FIXED = re.compile(
    r"raise (?:InvalidInput|InvalidTransition|BadRedaction|Conflict)\(\s*\"((?:[^\"\\]|\\.)+)\"\s*[,)]"
)


def test_every_refusal_of_the_disclosure_services_reads_in_japanese() -> None:
    """Fixed messages are their own msgids; messages with values go through a pattern."""
    ja = translations("ja")
    sources = [*DISCLOSURE.glob("*.py"), WEB_PAGE]
    fixed = {m.group(1) for path in sources for m in _FIXED.finditer(path.read_text())}
    assert len(fixed) > 25
    assert sorted(m for m in fixed if ja.gettext(m) == m) == []
    assert sorted(msgid for _, msgid in PATTERNS if ja.gettext(msgid) == msgid) == []
