"""E-mail, HTML, RTF, PPTX, OpenDocument and the other image formats: sniffed and read."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import httpx2 as httpx
import pytest
from PIL import Image

from ingest.errors import ContentTooLarge, CorruptContent, UnsupportedContent
from ingest.extract import Limits, extract
from ingest.sniff import Kind, sniff
from tests.factories import key_for, org
from tests.ingest.conftest import write_text_pdf
from tests.ingest.formats import (
    ODF_SHEET,
    ODF_SLIDES,
    ODF_TEXT,
    docx_bytes,
    office_samples,
    write_email,
    write_odf,
    write_pptx,
)
from tests.ingest.running import running
from web.services import Services


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("email", Kind.EMAIL),
        ("html", Kind.HTML),
        ("rtf", Kind.RTF),
        ("pptx", Kind.PPTX),
        ("odt", Kind.ODF),
    ],
)
def test_each_format_is_sniffed_by_content_and_read(tmp_path: Path, label: str, kind: Kind) -> None:
    path, word = office_samples(tmp_path)[label]
    disguised = path.rename(tmp_path / "upload.bin")
    assert sniff(disguised) == kind
    assert word in extract(disguised).text


def test_a_text_that_quotes_a_tag_is_text_not_html(tmp_path: Path) -> None:
    """GIVEN a plain text with ``<script>`` in a line (libmagic: text/html) WHEN sniffed
    THEN it is text, read as written, not a page whose scripts are dropped."""
    path = tmp_path / "note"
    path.write_text("請求書\n備考 <script>x</script>\n")
    assert sniff(path) == Kind.TEXT
    assert "<script>x</script>" in extract(path).text


@pytest.mark.parametrize("kind", [Kind.BMP, Kind.GIF, Kind.WEBP])
def test_other_images_are_pages_for_ocr(tmp_path: Path, kind: Kind) -> None:
    path = tmp_path / "scan"
    Image.new("RGB", (200, 100), "white").save(path, format=kind.value.upper())
    extraction = extract(path)
    assert (extraction.kind, extraction.pages_needing_ocr) == (kind, (1,))


def test_email_headers_body_and_attachments(tmp_path: Path) -> None:
    """GIVEN an ISO-2022-JP mail with a Word file, a PDF, a picture and an unreadable file
    WHEN read THEN page 1 is the decoded headers and body, then one page per attachment read,
    and what was not read is said in the warnings."""
    pdf = write_text_pdf(tmp_path / "a.pdf", ["Quotation pdfattached"]).read_bytes()
    picture = tmp_path / "photo.png"
    Image.new("RGB", (50, 50), "white").save(picture)
    path = write_email(
        tmp_path / "mail.eml",
        "いつもお世話になっております。請求書を送付します。",
        attachments={
            "請求書.docx": docx_bytes("請求金額 110,000円"),
            "見積.pdf": pdf,
            "photo.png": picture.read_bytes(),
            "broken.docx": b"PK\x03\x04 not a zip",
        },
    )
    extraction = extract(path)
    first, *attached = [page.text for page in extraction.pages]
    assert first.splitlines()[:2] == ["Subject: 請求書の送付", "From: 経理課 <keiri@example.jp>"]
    assert "請求書を送付します。" in first
    assert extraction.language == "ja"
    assert attached[0] == "Attachment: 請求書.docx\n請求金額 110,000円"
    assert "pdfattached" in attached[1]
    assert attached[2:] == ["Attachment: photo.png", "Attachment: broken.docx"]
    assert any("'photo.png' not read" in note for note in extraction.warnings)
    assert any("'broken.docx' not read: damaged ZIP" in note for note in extraction.warnings)


def test_html_only_mail_is_read_as_its_visible_text(tmp_path: Path) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(
        b"MIME-Version: 1.0\r\nSubject: =?UTF-8?B?5pyI5aCx?=\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<p>Monthly <b>report</b></p><script>evil()</script>"
    )
    assert extract(path).pages[0].text == "Subject: 月報\n\nMonthly report"


def test_a_forwarded_message_is_read_like_the_message(tmp_path: Path) -> None:
    inner = write_email(tmp_path / "inner.eml", "元のメッセージ本文", attachments={})
    outer = tmp_path / "outer.eml"
    outer.write_bytes(
        b"MIME-Version: 1.0\r\nSubject: Fwd\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain\r\n\r\nsee below\r\n--b\r\n"
        b"Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
        + inner.read_bytes()
        + b"\r\n--b--\r\n"
    )
    pages = extract(outer).pages
    assert "元のメッセージ本文" in pages[1].text


def test_a_mail_with_an_unknown_charset_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-unknown-9\r\n\r\nplain words\r\n"
    )
    assert "plain words" in extract(path).text


def test_html_drops_scripts_styles_and_keeps_cells_apart(tmp_path: Path) -> None:
    path = tmp_path / "page"
    path.write_text(
        "<!doctype html><html><head><title>表</title><style>p{color:red}</style></head><body>"
        "<table><tr><td>品名</td><td>金額</td></tr></table><p>a<br>b</p>"
        "<script>alert('x')</script><noscript>js off</noscript></body></html>"
    )
    assert extract(path).text == "表\n品名\t金額\na\nb"


def test_rtf_in_shift_jis_and_unicode_escapes(tmp_path: Path) -> None:
    path = tmp_path / "memo"
    path.write_text(
        r"{\rtf1\ansi\ansicpg932{\fonttbl{\f0\fcharset128 MS Mincho;}}\f0 \'8c\'5f\'96\'f1\par"
        r" \u35531?\u27714?\par}"
    )
    assert extract(path).text == "契約\n請求"


def test_pptx_slides_tables_and_notes(tmp_path: Path) -> None:
    deck = write_pptx(
        tmp_path / "deck", "令和6年度 事業報告", "来館者数 12,345人", notes="説明者 佐藤"
    )
    pages = extract(deck).pages
    assert pages[0].text == (
        "令和6年度 事業報告\n来館者数 12,345人\n項目\t金額\n人件費\t3,300,000\n説明者 佐藤"
    )
    assert pages[1].text == "Annual report"


def test_opendocument_text_sheets_and_slides(tmp_path: Path) -> None:
    text = write_odf(
        tmp_path / "a",
        ODF_TEXT,
        '<office:text><text:h>公告 第12号</text:h><text:p>大阪市<text:s text:c="2"/>告示'
        "<text:tab/>令和6年4月1日</text:p><table:table><table:table-row>"
        "<table:table-cell><text:p>品名</text:p></table:table-cell>"
        "<table:table-cell><text:p>金額</text:p></table:table-cell>"
        "</table:table-row></table:table></office:text>",
    )
    sheets = write_odf(
        tmp_path / "b",
        ODF_SHEET,
        '<office:spreadsheet><table:table table:name="集計"><table:table-row>'
        "<table:table-cell><text:p>年度</text:p></table:table-cell><table:table-cell table:"
        'number-columns-repeated="16000"/><table:table-cell><text:p>2024</text:p>'
        '</table:table-cell></table:table-row></table:table><table:table table:name="S2"/>'
        "</office:spreadsheet>",
    )
    slides = write_odf(
        tmp_path / "c",
        ODF_SLIDES,
        "<office:presentation><draw:page><draw:frame><draw:text-box><text:p>議会報告</text:p>"
        "</draw:text-box></draw:frame></draw:page><draw:page/></office:presentation>",
    )
    assert extract(text).text == "公告 第12号\n大阪市  告示\t令和6年4月1日\n品名\t金額"
    assert [page.text for page in extract(sheets).pages] == ["集計\n年度\t2024", "S2"]
    assert [page.text for page in extract(slides).pages] == ["議会報告", ""]


def test_opendocument_entities_are_not_resolved(tmp_path: Path) -> None:
    """GIVEN a content.xml declaring an external entity (XXE) WHEN read THEN the file on the
    server is not read into the document's text."""
    secret = tmp_path / "secret.txt"
    secret.write_text("topsecretvalue")
    path = write_odf(
        tmp_path / "x",
        ODF_TEXT,
        "<office:text><text:p>&xxe;</text:p></office:text>",
        prolog=f'<!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}">]>',
    )
    assert "topsecretvalue" not in extract(path).text


@pytest.mark.parametrize(
    ("write", "match"),
    [
        (
            lambda p: write_odf(p, ODF_TEXT, "<office:text><text:p>unclosed</office:text>"),
            "OpenDocument",
        ),
        (lambda p: _zip(p, {"mimetype": ODF_TEXT, "styles.xml": "<x/>"}), "ZIP archive"),
        (
            lambda p: _zip(p, {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}),
            "PowerPoint",
        ),
        (lambda p: p.write_bytes(b"{\\rtf1 " + b"{" * 10 + b"\xff\xfe"), None),
        (lambda p: p.write_bytes(b"MIME-Version: 1.0\r\n\r\n"), None),
    ],
)
def test_malformed_files_fail_with_a_reason_or_read_what_is_there(
    tmp_path: Path, write: object, match: str | None
) -> None:
    path = tmp_path / "bad"
    write(path)  # type: ignore[operator]
    if match is None:
        extract(path)
        return
    with pytest.raises((CorruptContent, UnsupportedContent), match=match):
        extract(path)


def test_spreadsheet_cell_limit_and_slide_limit(tmp_path: Path) -> None:
    row = "<table:table-row>" + "<table:table-cell/>" * 30 + "</table:table-row>"
    sheets = write_odf(
        tmp_path / "s",
        ODF_SHEET,
        f'<office:spreadsheet><table:table table:name="t">{row * 5}'
        "</table:table></office:spreadsheet>",
    )
    with pytest.raises(ContentTooLarge, match="cells"):
        extract(sheets, limits=Limits(max_cells=100))
    deck = write_pptx(tmp_path / "deck", "a", "b")
    with pytest.raises(ContentTooLarge, match="pages"):
        extract(deck, limits=Limits(max_pages=1))


def test_zip_bomb_inside_an_opendocument_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(zipfile.ZipInfo("mimetype"), ODF_TEXT)
        package.writestr("content.xml", "<a>" + " " * (80 << 20) + "</a>")
    with pytest.raises(ContentTooLarge, match="inflates"):
        extract(path)


def _zip(path: Path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_hostile_files_of_these_formats_fail_with_a_reason_through_the_service(
    services: Services, stack: str, tmp_path: Path
) -> None:
    """GIVEN a running Bunko WHEN a GIF bomb, an OpenDocument ZIP bomb, an OpenDocument with an
    external entity and a damaged presentation are uploaded over HTTP THEN the bombs and the
    damaged file fail with their reason, the entity is kept unresolved, and the service answers."""
    org(services)
    key = key_for(services, "somu")
    side = 65_000
    gif = tmp_path / "bomb.gif"
    gif.write_bytes(
        b"GIF89a"
        + struct.pack("<HHBBB", side, side, 0, 0, 0)
        + b","
        + struct.pack("<HHHHB", 0, 0, side, side, 0)
        + b"\x02\x02\x44\x01\x00;"
    )
    odt = tmp_path / "bomb.odt"
    with zipfile.ZipFile(odt, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(zipfile.ZipInfo("mimetype"), ODF_TEXT)
        package.writestr("content.xml", "<a>" + " " * (80 << 20) + "</a>")
    secret = tmp_path / "secret.txt"
    secret.write_text("topsecretvalue")
    xxe = write_odf(
        tmp_path / "xxe.odt",
        ODF_TEXT,
        "<office:text><text:p>entity &xxe;</text:p></office:text>",
        prolog=f'<!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}">]>',
    )
    pptx = tmp_path / "broken.pptx"
    _zip(pptx, {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})
    expected = {  # the unresolved entity last: its text is read below
        gif: ("failed", "decompression bomb"),
        odt: ("failed", "inflates"),
        pptx: ("failed", "PowerPoint"),
        xxe: ("indexed", ""),
    }
    with running(services.settings, stack) as bunko:
        for path, (status, reason) in expected.items():
            body = bunko.wait(key, bunko.upload(key, path))
            assert body["status"] == status, (path.name, body["status_reason"])
            assert reason in str(body["status_reason"]), (path.name, body["status_reason"])
        text = httpx.get(
            f"{bunko.base}/api/v1/documents/{body['id']}/derivatives/text",
            headers={"X-API-Key": key},
            timeout=10,
        ).text
        assert "entity &xxe;" in text and "topsecretvalue" not in text
        assert httpx.get(f"{bunko.base}/healthz", timeout=10).status_code == 200
