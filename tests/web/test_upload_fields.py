"""Upload-path items of issue 11 defect 12: RFC 5987 file names, bad text, keys without a department."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from archive.access import SecurityLevel
from tests.factories import key_for, org
from tests.web.test_orphans import orphans
from tests.web.test_upload_bad_input import nothing_stored
from web.services import Services


def raw_upload(client: TestClient, disposition: str, metadata: bytes = b"{}") -> httpx.Response:
    body = (
        b'--b\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n'
        + metadata
        + b"\r\n--b\r\nContent-Disposition: "
        + disposition.encode("latin-1")
        + b"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n"
    )
    return client.post(
        "/api/v1/documents",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=b"},
    )


@pytest.mark.parametrize(
    ("disposition", "name"),
    [
        (
            "form-data; name=\"file\"; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.txt",
            "請求書.txt",
        ),
        ('form-data; name="file"; filename*="utf-8\'\'a%20b.txt"', "a b.txt"),
        (
            'form-data; name="file"; filename="fallback.txt"; filename*=UTF-8\'\'%E5%A5%91.txt',
            "契.txt",
        ),
        ("form-data; name=\"file\"; filename*=ISO-8859-1'en'caf%E9.txt", "café.txt"),
        ("form-data; name=\"file\"; filename*=no-such-charset''x%41.txt", "xA.txt"),
    ],
)
def test_a_file_part_named_by_rfc5987_is_accepted(
    client: TestClient, disposition: str, name: str
) -> None:
    response = raw_upload(client, disposition)
    assert response.status_code == 202, response.text
    doc = client.get(response.json()["status_url"]).json()
    assert doc["current_version"]["original_filename"] == name


@pytest.mark.parametrize(
    ("metadata", "field"),
    [
        (b'{"title": "\xff\xfe"}', "metadata"),
        (b'{"title": "a\x00b"}', "metadata"),
        (b'{"title": "a\\u0000b"}', "metadata.title"),
        (b'{"external_id": "\\u0000", "source_system": "s"}', "metadata.external_id"),
    ],
)
def test_invalid_utf8_or_nul_in_metadata_is_422_naming_the_field(
    client: TestClient, services: Services, metadata: bytes, field: str
) -> None:
    response = raw_upload(client, 'form-data; name="file"; filename="a.txt"', metadata)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field
    assert nothing_stored(services)


def test_nul_in_a_patch_is_422(client: TestClient) -> None:
    doc = raw_upload(client, 'form-data; name="file"; filename="a.txt"').json()["id"]
    response = client.patch(f"/api/v1/documents/{doc}", json={"title": "a\x00b"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "title"


def test_an_upload_that_would_belong_to_no_department_is_refused(
    services: Services, anonymous: TestClient
) -> None:
    org(services)
    no_department = key_for(services, None)
    city_wide = key_for(
        services, None, scopes=("admin", "upload", "read"), clearance=SecurityLevel.SECRET
    )
    files = {"file": ("a.txt", b"nobody's", "text/plain")}
    refused = anonymous.post("/api/v1/documents", files=files, headers={"X-API-Key": no_department})
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "metadata.department"
    assert "department" in refused.json()["error"]["message"]
    filed = anonymous.post(
        "/api/v1/documents",
        files=files,
        data={"metadata": '{"department": "kenko"}'},
        headers={"X-API-Key": city_wide},
    )
    assert filed.status_code == 202, filed.text
    assert orphans(services) == []
