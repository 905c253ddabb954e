"""Each format extracts its text; each bad input ends in an IngestError with a reason."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from ingest.errors import (
    ContentTooLarge,
    CorruptContent,
    EmptyContent,
    EncryptedContent,
    IngestError,
    UnsupportedContent,
)
from ingest.extract import Limits, extract
from ingest.extract.text import decode
from ingest.sniff import Kind


def test_pdf_pages_and_language(corpus: Path) -> None:
    extraction = extract(corpus / "public/ja_mhlw_tsuchi_kinkyu-hinin_2019-11-21.pdf")
    assert extraction.kind == Kind.PDF
    assert [p.number for p in extraction.pages] == [1, 2]
    assert "厚生労働省" in extraction.pages[0].text
    assert extraction.language == "ja"
    assert extraction.pages_needing_ocr == ()


def test_pdf_english(corpus: Path) -> None:
    extraction = extract(corpus / "contracts/en_cuad_consulting_sphere3d_2020.pdf")
    assert "CONSULTING AGREEMENT" in extraction.pages[0].text
    assert extraction.language == "en"


def test_image_only_pdf_page_is_marked_for_ocr(corpus: Path) -> None:
    extraction = extract(corpus / "scans/en_ocrmypdf_linn-skewed_image-only.pdf")
    assert extraction.pages_needing_ocr == (1,)


def test_docx_tables_headers_and_footers_in_order(corpus: Path) -> None:
    text = extract(corpus / "docx/en_python-docx_header-footer.docx").text
    assert text.index("Header for section-1") < text.index("section with header")
    assert text.index("section with header") < text.index("Footer for section 1")
    contract = extract(corpus / "docx/en_commonpaper_cloud-service-agreement.docx").text
    assert "Order Form" in contract and "\t" in contract  # a table row


def test_docx_unicode(corpus: Path) -> None:
    text = extract(corpus / "docx/en_word-extractor_unicode-headers.docx").text
    assert "€" in text


def test_xlsx_sheets_are_pages(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "予算"
    sheet.append(["款", "項", "金額"])
    sheet.append(["総務費", "総務管理費", 1234567])
    workbook.create_sheet("Notes").append(["checked by", "records office"])
    workbook.save(tmp_path / "budget.xlsx")
    extraction = extract(tmp_path / "budget.xlsx")
    assert extraction.kind == Kind.XLSX
    assert extraction.pages[0].text == "予算\n款\t項\t金額\n総務費\t総務管理費\t1234567"
    assert "records office" in extraction.pages[1].text


def test_xlsx_cell_limit(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for _ in range(100):
        sheet.append(list(range(20)))
    workbook.save(tmp_path / "big.xlsx")
    with pytest.raises(ContentTooLarge, match="cells"):
        extract(tmp_path / "big.xlsx", limits=Limits(max_cells=1000))


@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "shift_jis", "euc_jp", "utf-16"])
def test_text_encodings(tmp_path: Path, encoding: str) -> None:
    text = "東京都大阪市の会議録です。議事は以下のとおり。請求書 ①"
    if encoding in ("shift_jis", "euc_jp"):
        text = text.replace("①", "")  # not in plain JIS X 0208
    path = tmp_path / "minutes.txt"
    path.write_bytes(text.encode(encoding))
    extraction = extract(path)
    assert extraction.pages[0].text == text
    assert extraction.language == "ja"


def test_csv_in_cp932(tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    path.write_bytes("支払先,金額\n株式会社サンプル,110000\n".encode("cp932"))
    assert "株式会社サンプル,110000" in extract(path).text


def test_multipage_tiff(tmp_path: Path) -> None:
    frames = [Image.new("L", (200, 100), color) for color in (255, 200, 150)]
    frames[0].save(tmp_path / "scan.tif", save_all=True, append_images=frames[1:])
    extraction = extract(tmp_path / "scan.tif")
    assert extraction.kind == Kind.TIFF
    assert extraction.pages_needing_ocr == (1, 2, 3)


# -- bad input: each fails with a reason (or succeeds), quickly -------------------------


def _fails(path: Path, error: type[IngestError], match: str, **kwargs: object) -> IngestError:
    started = time.monotonic()
    with pytest.raises(error, match=match) as caught:
        extract(path, **kwargs)  # type: ignore[arg-type]
    assert time.monotonic() - started < 30
    assert caught.value.permanent
    return caught.value


@pytest.mark.parametrize(
    ("name", "error", "match"),
    [
        ("malformed/zero-bytes.pdf", EmptyContent, "empty"),
        ("malformed/ocrmypdf_invalid_header-then-eof.pdf", CorruptContent, "unreadable PDF"),
        ("malformed/truncated_federal-register_first-40pct.pdf", CorruptContent, "unreadable PDF"),
        ("malformed/truncated_commonpaper-one-way-nda_first-50pct.docx", CorruptContent, "ZIP"),
        ("malformed/encrypted_rc4_pw-test.pdf", EncryptedContent, "password"),
        ("malformed/encrypted_aes256_user-pw-foo.pdf", EncryptedContent, "password"),
        ("malformed/encrypted_libreoffice_pw-openpassword.pdf", EncryptedContent, "password"),
    ],
)
def test_bad_corpus_files_fail_with_reason(
    corpus: Path, name: str, error: type[IngestError], match: str
) -> None:
    _fails(corpus / name, error, match)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("malformed/pdfminer_zen-of-python_corrupted.pdf", "Beautiful is better than ugly"),
        ("malformed/pdfminer_missing-xref-trailer.pdf", "Page1"),
        ("malformed/facturx_invalid-xml-encoding.pdf", "Invoice"),
        ("malformed/word-extractor_bad-xml.docx", "reviewing"),
    ],
)
def test_damaged_but_readable_files_succeed(corpus: Path, name: str, expected: str) -> None:
    assert expected in extract(corpus / name).text


def test_pdf_with_empty_user_password_opens(text_pdf: Callable[..., Path], tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(text_pdf(["Open to all readers"])))
    writer.encrypt(user_password="", owner_password="records", algorithm="AES-256")
    writer.write(tmp_path / "locked-for-editing.pdf")
    assert "Open to all readers" in extract(tmp_path / "locked-for-editing.pdf").text


def test_pdf_with_user_password_fails(text_pdf: Callable[..., Path], tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(text_pdf(["Secret"])))
    writer.encrypt(user_password="secret", owner_password="records", algorithm="AES-128")
    writer.write(tmp_path / "secret.pdf")
    _fails(tmp_path / "secret.pdf", EncryptedContent, "needs a password")


def test_pdf_page_tree_loop(text_pdf: Callable[..., Path], tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(text_pdf(["one", "two"])))
    pages = writer.root_object["/Pages"].get_object()
    assert isinstance(pages, DictionaryObject)
    kids = pages["/Kids"]
    assert isinstance(kids, ArrayObject)
    kids[1] = writer.root_object.raw_get("/Pages")  # the tree contains itself
    pages[NameObject("/Count")] = NumberObject(3)
    writer.write(tmp_path / "loop.pdf")
    _fails(tmp_path / "loop.pdf", CorruptContent, "cyclic")


def test_two_thousand_pages(text_pdf: Callable[..., Path]) -> None:
    path = text_pdf([f"Page {n} of the annual report" for n in range(1, 2001)])
    started = time.monotonic()
    extraction = extract(path)
    assert time.monotonic() - started < 60
    assert len(extraction.pages) == 2000
    assert "Page 2000 of" in extraction.pages[-1].text
    _fails(path, ContentTooLarge, "2000 pages exceed", limits=Limits(max_pages=1000))


def test_time_budget(text_pdf: Callable[..., Path]) -> None:
    path = text_pdf([f"Page {n}" for n in range(200)])
    _fails(path, ContentTooLarge, "longer than", limits=Limits(max_seconds=0))


def test_decompression_bomb_image(tmp_path: Path) -> None:
    Image.new("1", (20_000, 20_000)).save(tmp_path / "bomb.png")  # ~50 KB on disk
    _fails(tmp_path / "bomb.png", ContentTooLarge, "pixels")


def test_zip_disguised_as_docx(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "contract.docx", "w") as archive:
        archive.writestr("payload.bin", b"\x00" * 100)
    _fails(tmp_path / "contract.docx", UnsupportedContent, "ZIP archive")


def test_docx_zip_bomb(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("small")
    document.save(str(tmp_path / "bomb.docx"))
    with zipfile.ZipFile(tmp_path / "bomb.docx", "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\x00" * (80 << 20))
    _fails(tmp_path / "bomb.docx", ContentTooLarge, "inflates")


def test_zero_byte_text(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    _fails(tmp_path / "empty.txt", EmptyContent, "0 bytes")


def test_binary_garbage_named_txt(tmp_path: Path) -> None:
    import random

    (tmp_path / "notes.txt").write_bytes(random.Random(4).randbytes(4096))
    _fails(tmp_path / "notes.txt", UnsupportedContent, "binary")


def test_decoding_control_bytes_is_refused() -> None:
    with pytest.raises(CorruptContent, match="binary"):
        decode(b"\x00\x01\x02\x03" * 100)


def test_extracted_text_is_always_storable() -> None:
    """GIVEN text with a surrogate pair, a lone surrogate and a NUL WHEN cleaned THEN valid UTF-8 without NUL."""
    from ingest.extract import valid_text

    cleaned = valid_text("a\ud83d\ude00b\ud83dc\x00d")
    assert cleaned == "a😀b\ufffdcd"
    cleaned.encode("utf-8")
