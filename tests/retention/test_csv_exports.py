"""Every CSV export neutralises cells a spreadsheet would run as formulas (CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest

from archive.csv_export import csv_bytes, safe_cell, unquote_cell
from tests.retention.conftest import Officer
from tests.retention.test_disposition import OLD, _approved_batch

HOSTILE = (
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "＝1+1",
)


def _rows(body: bytes | str) -> list[list[str]]:
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body.lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _assert_inert(rows: list[list[str]], *expected: str) -> None:
    """No cell would start a formula, and every hostile text is still there, quoted."""
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert not cell.lstrip(" \u3000").startswith(("=", "+", "-", "@", "＝", "\t", "\r")), cell
    for text in expected:
        assert "'" + text in cells, text


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_cell_is_quoted_and_reads_back_unchanged(text: str) -> None:
    cell = safe_cell(text)
    assert cell == "'" + text and unquote_cell(str(cell)) == text
    assert _rows(csv_bytes(("title",), [[text]])) == [["title"], ["'" + text]]


def test_plain_text_numbers_and_dates_are_written_as_they_are() -> None:
    assert [safe_cell(v) for v in ("山田 =x", "it's", -5, 2.5, None, True)] == [
        "山田 =x",
        "it's",
        -5,
        2.5,
        "",
        "true",
    ]
    assert unquote_cell("'quoted") == "'quoted"


def test_registers_and_certificate_neutralise_hostile_titles(
    officer: Officer, second_officer: Officer, ingest
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    titles = (*HOSTILE[:4], HOSTILE[-1])  # upload strips leading blanks and control characters
    for n, title in enumerate(titles):
        doc = ingest(f"起案文書 {n} ひまわり", title=title, document_date=OLD)
        assigned = officer.put(f"/api/v1/documents/{doc}/retention", json={"series": "KOBUN-01"})
        assert assigned.status_code == 200, assigned.text
    register = officer.get("/api/v1/retention/register.csv")
    assert register.status_code == 200 and register.content.startswith(b"\xef\xbb\xbf")
    _assert_inert(_rows(register.content), *titles)

    batch = _approved_batch(officer, second_officer)
    executed = officer.post(f"/api/v1/retention/batches/{batch['id']}/execute").json()
    assert {i["outcome"] for i in executed["items"]} == {"destroyed"}, executed
    certificate = officer.get(f"/api/v1/retention/batches/{batch['id']}/certificate.csv")
    _assert_inert(_rows(certificate.content), *titles)
    _assert_inert(_rows(officer.get("/api/v1/retention/disposed.csv").content), *titles)


def test_file_plan_export_neutralises_and_reimports_hostile_names(officer: Officer) -> None:
    created = officer.post(
        "/api/v1/retention/series",
        json={"code": "EVIL-01", "name": HOSTILE[0], "period_years": 5, "legal_basis": "-1"},
    )
    assert created.status_code in (200, 201), created.text
    exported = officer.get("/api/v1/retention/series.csv")
    assert exported.status_code == 200
    _assert_inert(_rows(exported.text), HOSTILE[0], "-1")
    reimported = officer.client.post(
        "/api/v1/retention/series/import",
        content=exported.text.encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert reimported.status_code == 200, reimported.text
    (evil,) = [s for s in officer.get("/api/v1/retention/series").json() if s["code"] == "EVIL-01"]
    assert evil["name"] == HOSTILE[0] and evil["legal_basis"] == "-1"
