"""Small files of the formats read besides PDF, Office Open XML, images and text, written here."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pptx
from docx import Document as WordDocument
from pptx.util import Inches

ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
)
ODF_TEXT = "application/vnd.oasis.opendocument.text"
ODF_SHEET = "application/vnd.oasis.opendocument.spreadsheet"
ODF_SLIDES = "application/vnd.oasis.opendocument.presentation"


def write_odf(path: Path, mimetype: str, body: str, *, prolog: str = "") -> Path:
    """An OpenDocument package whose ``content.xml`` body is ``body``."""
    with zipfile.ZipFile(path, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        package.writestr(
            "content.xml",
            f'<?xml version="1.0"?>{prolog}<office:document-content {ODF_NAMESPACES}>'
            f"<office:body>{body}</office:body></office:document-content>",
        )
    return path


def write_pptx(path: Path, title: str, body: str, notes: str = "") -> Path:
    """Two slides: ``title`` and ``body`` with a table of two rows, then a second title."""
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    assert slide.shapes.title is not None
    slide.shapes.title.text = title
    slide.placeholders[1].text = body
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(4), Inches(1)).table
    for (row, column), text in {(0, 0): "項目", (0, 1): "金額", (1, 0): "人件費"}.items():
        table.cell(row, column).text = text
    table.cell(1, 1).text = "3,300,000"
    if notes:
        slide.notes_slide.notes_text_frame.text = notes
    second = deck.slides.add_slide(deck.slide_layouts[5])
    assert second.shapes.title is not None
    second.shapes.title.text = "Annual report"
    deck.save(str(path))
    return path


def docx_bytes(text: str) -> bytes:
    word = WordDocument()
    word.add_paragraph(text)
    stream = io.BytesIO()
    word.save(stream)
    return stream.getvalue()


def write_email(path: Path, body: str, *, html: str = "", attachments: dict[str, bytes]) -> Path:
    """A MIME message in ISO-2022-JP (as Japanese mail clients send) with ``attachments``."""
    message = EmailMessage()
    message["Subject"] = "請求書の送付"
    message["From"] = "経理課 <keiri@example.jp>"
    message["To"] = "somu@example.jp"
    message["Date"] = "Mon, 01 Apr 2024 10:00:00 +0900"
    message.set_content(body, charset="iso-2022-jp")
    if html:
        message.add_alternative(html, subtype="html")
    for name, data in attachments.items():
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    path.write_bytes(bytes(message))
    return path


def office_samples(folder: Path) -> dict[str, tuple[Path, str]]:
    """One file of each of these formats: {label: (file, a word its text must contain)}."""
    rtf = r"{\rtf1\ansi\ansicpg932{\fonttbl{\f0\fcharset128 MS Mincho;}}\f0 "
    (folder / "memo.rtf").write_text(rtf + r"\'90\'bf\'8b\'81\'8f\'91 rtfmarker\par}")
    (folder / "notice.html").write_text(
        "<html><head><title>お知らせ</title><script>var x='scriptword'</script></head>"
        "<body><p>図書館 htmlmarker</p></body></html>",
        encoding="utf-8",
    )
    return {
        "email": (
            write_email(
                folder / "mail.eml",
                "請求書を送付します。mailmarker",
                attachments={"請求書.docx": docx_bytes("添付の請求書 attachmarker")},
            ),
            "attachmarker",
        ),
        "html": (folder / "notice.html", "htmlmarker"),
        "rtf": (folder / "memo.rtf", "請求書 rtfmarker"),
        "pptx": (write_pptx(folder / "deck.pptx", "事業報告", "pptxmarker"), "pptxmarker"),
        "odt": (
            write_odf(
                folder / "notice.odt",
                ODF_TEXT,
                "<office:text><text:p>odtmarker</text:p></office:text>",
            ),
            "odtmarker",
        ),
    }
