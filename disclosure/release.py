"""Release: redacted PDFs, the notice, a redaction log and a manifest, packed as one ZIP blob."""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from archive import BlobKey, BlobStore, csv_bytes
from disclosure.consultations import release_not_before
from disclosure.decision import RELEASING, Decision, grounds_used
from disclosure.errors import InvalidTransition
from disclosure.locate import Box
from disclosure.marking import opened
from disclosure.models import (
    DisclosureRequest,
    Redaction,
    RedactionStatus,
    RequestState,
    ResponsiveRecord,
)
from disclosure.notice import Notice, notice_docx, notice_pdf, template_for
from disclosure.profiles import load_profile
from disclosure.records import records_of, redactions_of
from disclosure.render import write_redacted
from disclosure.requests import move
from disclosure.wareki import wareki

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Package:
    key: str
    files: dict[str, str]
    """name → SHA-256"""


def redacted_pdf(
    store: BlobStore, record: ResponsiveRecord, redactions: list[Redaction], out: Path, *, ocr: bool
) -> int:
    boxes: dict[int, list[Box]] = {}
    for row in redactions:
        boxes.setdefault(row.page, []).append((row.x0, row.y0, row.x1, row.y1))
    with opened(store, record) as pdf:
        return write_redacted(pdf, boxes, out, ocr=ocr)


def build_notice(session: Session, request: DisclosureRequest) -> Notice:
    """The notice's fields in the profile's own words, dates in 和暦."""
    profile = load_profile(request.profile)
    terms = profile.terms
    decision = request.decision or Decision.FULL
    records = records_of(session, request.id)
    redacted = {
        r.record_id
        for r in redactions_of(session, [r.id for r in records], status=RedactionStatus.ACCEPTED)
    }
    shown = [
        f"・{r.title}（{terms['partial'] if r.id in redacted else terms['full']}）"
        for r in records
        if decision in RELEASING
    ]
    grounds = grounds_used(session, request)
    department = request.department
    fields = {
        "decision_title": terms[decision],
        "decision_label": terms[decision],
        "withheld_heading": f"{terms['disclose']}しない部分及びその根拠規定",
        "notice_number": request.notice_number or "",
        "issued_on": wareki(request.decided_on or request.received_on),
        "received_on": wareki(request.received_on),
        "requester_name": request.requester_name,
        "authority": profile.authority,
        "department": department.name if department else "",
        "profile_name": profile.name,
        "records_sought": request.records_sought,
        "records": "\n".join(shown) or "（なし）",
        "grounds": "\n".join(f"・{ground}" for ground in grounds.values()) or "（なし）",
        "reason": request.decision_reason or "（なし）",
        "appeal": "\n".join(profile.appeal),
    }
    return Notice(fields, template_for(profile.code))


def release(
    session: Session,
    store: BlobStore,
    request: DisclosureRequest,
    *,
    today: date,
    actor: str,
    ocr: bool = False,
) -> Package:
    """Produce and store the release package, then mark the request released."""
    if request.state != RequestState.DECIDED:
        raise InvalidTransition(
            f"a {request.state.value} request cannot be released (decide it first)"
        )
    if request.decision not in RELEASING:
        raise InvalidTransition(
            f"a {request.decision} decision releases nothing: close the request instead"
        )
    not_before = release_not_before(session, request)
    if not_before is not None and today < not_before:
        raise InvalidTransition(f"a third party objected: release is possible from {not_before}")
    files: dict[str, bytes] = {}
    log: list[list[object]] = []
    grounds = load_profile(request.profile).grounds
    with tempfile.TemporaryDirectory(prefix="bunko-release-") as scratch:
        for n, record in enumerate(records_of(session, request.id), start=1):
            rows = redactions_of(session, [record.id], status=RedactionStatus.ACCEPTED)
            name = f"{n:02d}-{record.document_id[:8]}.pdf"
            out = Path(scratch) / name
            redacted_pdf(store, record, rows, out, ocr=ocr)
            files[f"records/{name}"] = out.read_bytes()
            record.released_key = _put(store, files[f"records/{name}"])
            for row in rows:
                log.append([name, row.page, row.category, grounds.get(row.category, ""), row.note])
    notice = build_notice(session, request)
    files["notice.docx"] = notice_docx(notice)
    files["notice.pdf"] = notice_pdf(notice)
    files["redaction_log.csv"] = csv_bytes(("file", "page", "category", "ground", "note"), log)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    manifest = {
        "request": request.number,
        "decision": request.decision,
        "decided_on": str(request.decided_on),
        "files": [
            {"name": k, "sha256": v, "size": len(files[k])} for k, v in sorted(digests.items())
        ],
    }
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    request.package_key = _put(store, _zip(files))
    move(
        session, request, RequestState.RELEASED, actor=actor, note=f"package {request.package_key}"
    )
    return Package(request.package_key, digests)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), files[name])
    return buffer.getvalue()


def _put(store: BlobStore, data: bytes) -> str:
    key = hashlib.sha256(data).hexdigest()
    store.put(BlobKey(key), io.BytesIO(data), len(data))
    return key
