"""The decision notice (開示決定通知書 / 部分公開決定通知書 …) as DOCX and PDF on A4.

The wording comes from an editable plain-text template: ``profiles/notice_<profile>.txt`` when
the jurisdiction has its own, else ``profiles/notice_ja.txt``. ``{field}`` placeholders are
filled in (a field may span several lines: the records, the grounds, the 教示); lines starting
with ``#`` are comments, ``^`` centres a line, ``>`` sets it right and ``!`` makes it a heading.
Long lines wrap within the page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from disclosure.profiles import PROFILE_DIR
from ingest import font_name, wrapped

TEMPLATE = PROFILE_DIR / "notice_ja.txt"
MARGIN = 25 * 72 / 25.4
"""25 mm on every side, as official documents (公用文) are set."""
SIZE = 10.5
TITLE_SIZE = 14.0


def template_for(profile: str) -> Path:
    own = PROFILE_DIR / f"notice_{profile}.txt"
    return own if own.exists() else TEMPLATE


@dataclass(frozen=True)
class Line:
    text: str
    align: str = "left"
    """``left``, ``center``, ``right`` or ``heading``."""


_MARKS = {"^": "center", ">": "right", "!": "heading"}


@dataclass(frozen=True)
class Notice:
    fields: dict[str, str]
    template: Path = TEMPLATE

    def lines(self) -> list[Line]:
        out = []
        for raw in self.template.read_text(encoding="utf-8").splitlines():
            if raw.startswith("#"):
                continue
            align = _MARKS.get(raw[:1], "left")
            body = raw[1:] if align != "left" else raw
            out += [Line(text, align) for text in body.format(**self.fields).split("\n")]
        return out


def notice_docx(notice: Notice) -> bytes:
    document = DocxDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    aligns = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "heading": WD_ALIGN_PARAGRAPH.LEFT,
    }
    for n, line in enumerate(notice.lines()):
        paragraph = document.add_paragraph()
        paragraph.alignment = aligns[line.align]
        run = paragraph.add_run(line.text)
        run.font.size = Pt(TITLE_SIZE if n == 0 else SIZE)
        run.bold = line.align in ("heading", "center")
    document.core_properties.author = ""
    document.core_properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_pdf(notice: Notice) -> bytes:
    font = font_name()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    width, height = A4
    text_width = width - 2 * MARGIN
    y = height - MARGIN
    for n, line in enumerate(notice.lines()):
        size = TITLE_SIZE if n == 0 else SIZE
        for piece in wrapped(line.text, font, text_width, size) if line.text else [""]:
            if y < MARGIN + size:
                pdf.showPage()
                y = height - MARGIN
            pdf.setFont(font, size)
            if line.align == "center":
                pdf.drawCentredString(width / 2, y - size, piece)
            elif line.align == "right":
                pdf.drawRightString(width - MARGIN, y - size, piece)
            else:
                pdf.drawString(MARGIN, y - size, piece)
            y -= size * (2.2 if n == 0 else 1.7)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
