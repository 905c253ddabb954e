"""Documents: filed in a department the caller may file for, read by its lineage and clearance."""

from __future__ import annotations

import hashlib
import io

import pytest

from archive import Forbidden, InvalidInput, RecordNotFound
from archive.access import SecurityLevel
from archive.documents import (
    DocumentMetadata,
    StagedContent,
    create_document,
    get_document,
    get_writable_document,
    plan_upload,
)
from archive.policy import Principal, user_principal
from archive.types import Sha256
from archive.users import find_user
from tests.factories import org, person
from web.services import Services


def _content(data: bytes) -> StagedContent:
    return StagedContent(
        file=io.BytesIO(data),
        sha256=Sha256(hashlib.sha256(data).hexdigest()),
        size=len(data),
        head=data[:512],
        filename="memo.txt",
        declared_media_type="text/plain",
    )


def _people(services: Services) -> dict[str, Principal]:
    org(services)
    person(services, "sato", "jinji", clearance=SecurityLevel.CONFIDENTIAL)
    person(services, "bucho", "somu")  # the bureau above 人事課, internal clearance
    person(services, "kenko", "kenko", clearance=SecurityLevel.SECRET)
    person(services, "kimura", None, roles=("records_officer",), clearance=SecurityLevel.SECRET)
    with services.sessions() as session:
        return {
            login: user_principal(find_user(session, login))
            for login in ("sato", "bucho", "kenko", "kimura")
        }


def test_the_owning_lineage_reads_up_to_its_clearance_and_other_bureaus_not_at_all(
    services: Services,
) -> None:
    who = _people(services)
    with services.sessions.begin() as session:
        internal = create_document(
            session,
            meta=DocumentMetadata(title="議事録"),
            content=_content(b"a"),
            principal=who["sato"],
        ).id
        confidential = create_document(
            session,
            meta=DocumentMetadata(title="人事評価", security_level=SecurityLevel.CONFIDENTIAL),
            content=_content(b"b"),
            principal=who["sato"],
        ).id
    with services.sessions() as session:
        read = get_document(session, internal, who["bucho"].scope)
        assert read.department is not None and read.department.code == "jinji"
        assert get_document(session, confidential, who["kimura"].scope).title == "人事評価"
        for reader, doc in (("bucho", confidential), ("kenko", internal), ("kenko", confidential)):
            with pytest.raises(RecordNotFound):
                get_document(session, doc, who[reader].scope)
        assert get_writable_document(session, internal, who["bucho"]).id == internal
        with pytest.raises(RecordNotFound):  # unreadable is not even forbidden
            get_writable_document(session, internal, who["kenko"])


@pytest.mark.parametrize(
    ("department", "error"),
    [
        ("kenko", Forbidden),
        ("nowhere", InvalidInput),
        ("", InvalidInput),
        ("../somu", InvalidInput),
    ],
)
def test_filing_elsewhere_is_refused_before_anything_is_stored(
    services: Services, department: str, error: type[Exception]
) -> None:
    who = _people(services)
    data = _content(b"x")
    with services.sessions() as session, pytest.raises(error):
        plan_upload(session, DocumentMetadata(department=department), data.sha256, who["sato"])


def test_a_document_must_belong_to_a_department(services: Services) -> None:
    who = _people(services)
    data = _content(b"x")
    with services.sessions() as session:
        with pytest.raises(InvalidInput) as refused:
            plan_upload(session, DocumentMetadata(), data.sha256, who["kimura"])
        assert refused.value.field == "metadata.department"
        assert (
            plan_upload(session, DocumentMetadata(department="kenko"), data.sha256, who["kimura"])
            is None
        )
