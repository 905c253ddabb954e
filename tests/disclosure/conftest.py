"""Disclosure fixtures: an organisation, a disclosure officer's browser, staff, and sample files."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from archive.access import SecurityLevel
from ingest.pipeline import Outcome, process_document
from tests.factories import csrf_from, key_for, org, person, sign_in
from tests.retention.conftest import Officer
from web.app import create_app
from web.services import Services

FONT = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
LINES = [
    "Public works contract 2025 Osaka",
    "申請者 山田太郎様 電話 06-1234-5678",
    "Contact PINEAPPLE at the north office",
    "予算額は総額三千万円である",
]


def text_pdf(path: Path, lines: list[str] = LINES, pages: int = 1) -> Path:
    """A text PDF in IPAGothic (as a word processor would make it), with metadata to strip."""
    if "TestGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestGothic", FONT))
    pdf = canvas.Canvas(str(path))
    pdf.setTitle("秘密 山田太郎 PINEAPPLE")
    pdf.setAuthor("山田太郎")
    for _page in range(pages):
        y = 760
        for line in lines:
            pdf.setFont("TestGothic", 16)
            pdf.drawString(60, y, line)
            y -= 40
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture
def organisation(services: Services) -> Services:
    org(services)
    return services


@pytest.fixture
def officer(organisation: Services) -> Iterator[Officer]:
    person(
        organisation,
        "kobayashi",
        "somu",
        roles=("disclosure_officer",),
        clearance=SecurityLevel.SECRET,
    )
    with TestClient(create_app(services=organisation)) as client:
        sign_in(client, "kobayashi")
        client.headers["X-CSRF-Token"] = csrf_from(client.get("/").text)
        yield Officer("kobayashi", client)


@pytest.fixture
def staff(organisation: Services) -> Iterator[Officer]:
    person(organisation, "sato", "somu", roles=("staff",))
    with TestClient(create_app(services=organisation)) as client:
        sign_in(client, "sato")
        client.headers["X-CSRF-Token"] = csrf_from(client.get("/").text)
        yield Officer("sato", client)


@pytest.fixture
def staff_key(organisation: Services) -> str:
    return key_for(organisation, "somu")


@pytest.fixture
def ingest(organisation: Services, staff_key: str, officer: Officer):
    """Upload a file as staff and run the pipeline on it; returns the document id."""

    def make(
        content: bytes, name: str = "doc.txt", media: str = "text/plain", **metadata: object
    ) -> str:
        response = officer.client.post(
            "/api/v1/documents",
            files={"file": (name, io.BytesIO(content), media)},
            data={"metadata": json.dumps(metadata)},
            headers={"X-API-Key": staff_key},
        )
        assert response.status_code == 202, response.text
        document_id = str(response.json()["id"])
        assert process_document(organisation.pipeline(), document_id) is Outcome.PROCESSED
        return document_id

    return make


REQUEST = {
    "requester_name": "市民 花子",
    "requester_contact": "hanako@example.jp",
    "requester_type": "individual",
    "records_sought": "令和7年度の道路工事契約に関する文書",
    "channel": "online",
    "received_on": "2025-04-10",
    "department": "somu",
}
