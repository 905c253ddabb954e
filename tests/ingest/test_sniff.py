from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ingest.errors import CorruptContent, EmptyContent
from ingest.sniff import Kind, sniff


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("invoices/ja_pdfme_seikyusho_invoice.pdf", Kind.PDF),
        ("docx/en_python-docx_tables.docx", Kind.DOCX),
        ("scans/en_tesseractjs_testocr.png", Kind.PNG),
        ("scans/ja_yasslab_nda_members_p1.jpg", Kind.JPEG),
        ("malformed/word-extractor_bad-xml.docx", Kind.DOCX),
    ],
)
def test_sniffs_corpus_files_by_content(corpus: Path, name: str, kind: Kind) -> None:
    assert sniff(corpus / name) == kind


def test_ignores_the_file_name(corpus: Path, tmp_path: Path) -> None:
    disguised = tmp_path / "invoice.txt"
    disguised.write_bytes((corpus / "scans/en_tesseractjs_testocr.png").read_bytes())
    assert sniff(disguised) == Kind.PNG


def test_zip_without_word_part_is_not_docx(tmp_path: Path) -> None:
    fake = tmp_path / "report.docx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("readme.txt", "not a word document")
    assert sniff(fake) == Kind.ZIP


def test_text_and_csv(tmp_path: Path) -> None:
    (tmp_path / "a.dat").write_text("a,b,c\n1,2,3\n4,5,6\n")
    (tmp_path / "b.dat").write_bytes("お知らせ 会議は午後三時から開催します。\n".encode("cp932"))
    assert sniff(tmp_path / "a.dat") == Kind.CSV
    assert sniff(tmp_path / "b.dat") == Kind.TEXT


def test_zero_bytes_is_empty(corpus: Path) -> None:
    with pytest.raises(EmptyContent, match="empty"):
        sniff(corpus / "malformed/zero-bytes.pdf")


def test_truncated_zip_is_corrupt(corpus: Path) -> None:
    with pytest.raises(CorruptContent, match="ZIP"):
        sniff(corpus / "malformed/truncated_commonpaper-one-way-nda_first-50pct.docx")


@pytest.mark.parametrize(
    "text",
    [
        "Date: 2017-09-17\nNotification of Change\nFrom: Parks and Recreation Department\n",
        "From: clerk@example.org\nSubject: minutes\n\nThe meeting is adjourned.\n",
    ],
)
def test_a_text_that_starts_like_a_mail_header_is_text(tmp_path: Path, text: str) -> None:
    """GIVEN a plain text whose first line reads 'Date: …' (libmagic: message/rfc822)
    WHEN sniffed THEN it is text, not an unknown kind the pipeline would refuse."""
    path = tmp_path / "notice"
    path.write_text(text)
    assert sniff(path) == Kind.TEXT
