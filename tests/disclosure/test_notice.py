"""The decision notice as a legal document: 和暦, a document number per department and year,
the authority, the requester, each ground with its article, 教示, wrapped lines, the profile's words."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from docx import Document as DocxDocument

from tests.disclosure.conftest import REQUEST
from tests.retention.conftest import Officer

BASE = "/api/v1/disclosure/requests"
LONG = "令和7年度の道路工事契約に関する文書一式（設計図書、見積書、契約書、変更契約書を含む）" * 6


def _decided(officer: Officer, decided_on: str, **changes: object) -> str:
    created = officer.post(BASE, json={**REQUEST, **changes})
    assert created.status_code == 201, created.text
    rid = str(created.json()["id"])
    for state in ("searching", "reviewing"):
        assert officer.post(f"{BASE}/{rid}/state", json={"state": state}).status_code == 200
    decided = officer.post(
        f"{BASE}/{rid}/decision",
        json={
            "decision": "no_records",
            "reason": "保存期間満了により廃棄済み",
            "decided_on": decided_on,
        },
    )
    assert decided.status_code == 200, decided.text
    return rid


def _notice(officer: Officer, rid: str) -> tuple[str, float]:
    """The notice's text (spaces dropped) and how far right any character reaches (points)."""
    pdf = pdfium.PdfDocument(officer.get(f"{BASE}/{rid}/notice.pdf").content)
    text, right = "", 0.0
    for index in range(len(pdf)):
        page = pdf[index]
        assert (round(page.get_width()), round(page.get_height())) == (595, 842)  # A4
        textpage = page.get_textpage()
        text += textpage.get_text_range()
        right = max([right] + [textpage.get_charbox(i)[2] for i in range(textpage.count_chars())])
    return "".join(text.split()), right


def test_the_notice_reads_as_the_ordinance_writes_it(officer: Officer) -> None:
    first = _decided(officer, "2025-04-20", records_sought=LONG)
    text, right = _notice(officer, first)
    assert "公文書不存在による非公開決定通知書" in text and "不開示" not in text
    assert "大市総第1号" in text and "令和7年4月20日" in text and "令和7年4月10日付け" in text
    assert "市民花子様" in text and "大阪市長" in text and "総務局" in text
    assert "大阪市情報公開条例に基づき" in text and "保存期間満了により廃棄済み" in text
    assert "3か月以内に" in text and "6か月以内に" in text and "審査請求" in text
    assert "".join(LONG.split()) in text.replace("\n", "")  # every word of a long line, wrapped
    assert right <= 595 - 70  # within the right margin

    assert "大市総第2号" in _notice(officer, _decided(officer, "2025-05-01"))[0]
    assert "大市健第1号" in _notice(officer, _decided(officer, "2025-05-02", department="kenko"))[0]
    assert "大市総第1号" in _notice(officer, _decided(officer, "2026-04-02"))[0]  # a new year

    national = _decided(officer, "2025-06-02", profile="japan-national")
    text = _notice(officer, national)[0]
    assert "不存在（文書不存在による不開示）" in text and "非公開" not in text
    assert "国を被告として" in text and "行政文書不存在（文書不存在による不開示）決定通知書" in text
    docx = DocxDocument(io.BytesIO(officer.get(f"{BASE}/{national}/notice.docx").content))
    section = docx.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert any("令和7年6月2日" in p.text for p in docx.paragraphs)
