"""Certificates of disposition (廃棄・移管証明): one per executed batch, as CSV and as PDF.

The PDF embeds a Japanese TrueType font (IPAGothic, Debian ``fonts-ipafont-gothic``) when
one is installed, and otherwise names the standard Japanese CID font HeiseiKakuGo-W5,
which PDF readers supply themselves.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from archive import csv_bytes
from retention.dates import JST
from retention.models import ItemOutcome

FONT_FILES = (
    Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
)
STATEMENT_DESTROY = (
    "上記の記録は、承認された廃棄計画に基づき、原本・派生物・抽出テキスト・検索索引のすべてを消去し、"
    "復元できない状態とした。 The records above were destroyed under an approved disposition: every "
    "original, rendition, extracted text and index entry was removed and cannot be reconstructed."
)
STATEMENT_TRANSFER = (
    "上記の記録は、BagIt 形式の移管パッケージに収め検証した後、公文書館へ移管し本システムから削除した。 "
    "The records above were packaged as a validated BagIt bag for transfer to the archives and then removed."
)
CSV_COLUMNS = (
    "batch_id",
    "document_id",
    "title",
    "series",
    "file_id",
    "disposition_date",
    "action",
    "outcome",
    "detail",
    "sha256",
    "reviewed_by",
    "approved_by",
    "executed_by",
    "executed_at",
)


@dataclass(frozen=True)
class CertificateLine:
    document_id: str
    title: str
    series: str
    file_id: str | None
    disposition_date: str
    action: str
    outcome: str
    detail: str
    sha256: str


@dataclass(frozen=True)
class CertificateHeader:
    batch_id: str
    as_of: str
    reviewed_by: str
    reviewed_at: datetime
    approved_by: str
    approved_at: datetime
    executed_by: str
    executed_at: datetime
    transfer_bag: str | None


def _font() -> str:
    for path in FONT_FILES:
        if path.exists():
            if "BunkoGothic" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("BunkoGothic", str(path)))
            return "BunkoGothic"
    if "HeiseiKakuGo-W5" not in pdfmetrics.getRegisteredFontNames():
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    return "HeiseiKakuGo-W5"


def _jst(moment: datetime) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")


def render_csv(header: CertificateHeader, lines: Sequence[CertificateLine]) -> bytes:
    rows = (
        [
            header.batch_id,
            line.document_id,
            line.title,
            line.series,
            line.file_id,
            line.disposition_date,
            line.action,
            line.outcome,
            line.detail,
            line.sha256,
            header.reviewed_by,
            header.approved_by,
            header.executed_by,
            header.executed_at,
        ]
        for line in lines
    )
    return csv_bytes(CSV_COLUMNS, rows)


def render_pdf(header: CertificateHeader, lines: Sequence[CertificateLine]) -> bytes:
    # Imported here, not on import: ReportLab's layout engine and CID fonts take a tenth of a
    # second or more, paid by every process that imports ``retention`` (the server, its worker).
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    base = ParagraphStyle("base", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontSize=15, leading=20)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"Certificate of disposition {header.batch_id}",
        author="Bunko",
        subject="廃棄・移管証明書",
    )
    done = [
        line for line in lines if line.outcome in (ItemOutcome.DESTROYED, ItemOutcome.TRANSFERRED)
    ]
    story = [
        Paragraph("廃棄・移管証明書 / Certificate of Disposition", title),
        Spacer(1, 3 * mm),
        Paragraph(f"バッチ / Batch: {header.batch_id}　基準日 / As of: {header.as_of}", base),
        Paragraph(
            f"審査 / Reviewed by: {header.reviewed_by} ({_jst(header.reviewed_at)})　"
            f"承認 / Approved by: {header.approved_by} ({_jst(header.approved_at)})　"
            f"執行 / Executed by: {header.executed_by} ({_jst(header.executed_at)})",
            base,
        ),
        Paragraph(
            f"廃棄 / Destroyed: {sum(1 for x in done if x.outcome == 'destroyed')}　"
            f"移管 / Transferred: {sum(1 for x in done if x.outcome == 'transferred')}　"
            f"除外・保留 / Excluded or not executed: {len(lines) - len(done)}",
            base,
        ),
    ]
    if header.transfer_bag:
        story.append(Paragraph(f"移管パッケージ / Transfer package: {header.transfer_bag}", base))
    story.append(Spacer(1, 3 * mm))
    rows = [
        [
            Paragraph(h, base)
            for h in (
                "ID",
                "件名 / Title",
                "分類 / Series",
                "満了日 / Expiry",
                "措置 / Action",
                "結果 / Outcome",
                "SHA-256",
            )
        ]
    ]
    for line in lines:
        rows.append(
            [
                Paragraph(line.document_id, base),
                Paragraph(line.title, base),
                Paragraph(line.series, base),
                Paragraph(line.disposition_date, base),
                Paragraph(line.action, base),
                Paragraph(line.outcome + (f": {line.detail}" if line.detail else ""), base),
                Paragraph(line.sha256.replace(" ", "<br/>"), base),
            ]
        )
    table = Table(
        rows,
        colWidths=[42 * mm, 55 * mm, 28 * mm, 22 * mm, 18 * mm, 40 * mm, 68 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    if any(x.outcome == ItemOutcome.DESTROYED for x in done):
        story.append(Paragraph(STATEMENT_DESTROY, base))
    if any(x.outcome == ItemOutcome.TRANSFERRED for x in done):
        story.append(Paragraph(STATEMENT_TRANSFER, base))
    doc.build(story)
    return out.getvalue()
