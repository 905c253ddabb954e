"""The decision notice (開示決定通知書) as DOCX and PDF, from the editable template ``profiles/notice_ja.txt``.

The template is plain text with ``{field}`` placeholders; lines starting with ``#`` are
comments. The records and, for each redaction category used, its legal ground follow as tables.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document as DocxDocument
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from disclosure.convert import font_name
from disclosure.profiles import PROFILE_DIR

TEMPLATE = PROFILE_DIR / "notice_ja.txt"


@dataclass(frozen=True)
class Notice:
    fields: dict[str, str]
    records: list[tuple[str, str]]
    """(title, how it is disclosed)"""
    grounds: dict[str, str]

    def lines(self, template: Path = TEMPLATE) -> list[str]:
        text = template.read_text(encoding="utf-8")
        return [
            line.format(**self.fields) for line in text.splitlines() if not line.startswith("#")
        ]


def notice_docx(notice: Notice) -> bytes:
    document = DocxDocument()
    lines = notice.lines()
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    document.add_heading("対象公文書", level=2)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "公文書の名称", "公開の区分"
    for title, how in notice.records:
        row = table.add_row()
        row.cells[0].text, row.cells[1].text = title, how
    if notice.grounds:
        document.add_heading("公開しない部分とその理由（根拠条項）", level=2)
        for category, ground in notice.grounds.items():
            document.add_paragraph(f"{category}: {ground}", style="List Bullet")
    document.core_properties.author = ""
    document.core_properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_pdf(notice: Notice) -> bytes:
    font = font_name()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    _width, height = A4
    y = height - 64

    def line(text: str, size: float = 10.5) -> None:
        nonlocal y
        if y < 64:
            pdf.showPage()
            y = height - 64
        pdf.setFont(font, size)
        pdf.drawString(56, y, text)
        y -= size * 1.8

    lines = notice.lines()
    line(lines[0], 16)
    for text in lines[1:]:
        line(text)
    line("対象公文書", 12)
    for title, how in notice.records:
        line(f"・{title}（{how}）")
    if notice.grounds:
        line("公開しない部分とその理由（根拠条項）", 12)
        for category, ground in notice.grounds.items():
            line(f"・{category}: {ground}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
