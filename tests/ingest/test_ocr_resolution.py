"""Pages are OCRed at their scan's own resolution, enlarged only when their text lines are small.

Scans are generated: one line of 12 pt text drawn at a known dpi and embedded in a PDF (or
saved as PNG) with that resolution, so the right render size and the right text are known.
"""

from __future__ import annotations

import zlib
from contextlib import closing
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from ingest.errors import ContentTooLarge
from ingest.extract import Limits, extract
from ingest.ocr import apply_ocr
from ingest.render import PageImage, page_images
from ingest.resolution import effective_dpi, enlargement
from ingest.sniff import Kind

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINE = "Invoice 4711 total 1234567 yen"


def text_scan(dpi: float, line: str = LINE, *, points: float = 12) -> Image.Image:
    """A 4.5 x 0.6 inch strip of scanned paper with ``line`` in ``points`` pt type at ``dpi``."""
    image = Image.new("L", (round(4.5 * dpi), round(0.6 * dpi)), 255)
    font = ImageFont.truetype(FONT, round(points / 72 * dpi))
    ImageDraw.Draw(image).text((0.1 * dpi, 0.15 * dpi), line, font=font, fill=0)
    return image


def first_page(path: Path, kind: Kind = Kind.PDF) -> PageImage:
    with closing(page_images(path, kind, [1], Limits())) as pages:
        page = next(pages)
        return PageImage(page.number, page.image.copy(), page.dpi)


@pytest.mark.parametrize("dpi", [75, 150, 200, 300, 600])
def test_a_scanned_pdf_is_read_at_its_own_resolution(dpi: int, tmp_path: Path) -> None:
    """GIVEN a PDF of a scan at ``dpi`` THEN it is rendered at that resolution and the OCR
    text is right (at 75 dpi because its small lines are enlarged before Tesseract)."""
    scan = text_scan(dpi)
    path = tmp_path / f"scan-{dpi}.pdf"
    scan.save(path, resolution=dpi)

    page = first_page(path)
    assert page.dpi == dpi
    assert page.image.width == pytest.approx(scan.width, abs=2)
    assert page.image.height == pytest.approx(scan.height, abs=2)
    assert apply_ocr(path, extract(path)).pages[0].text == LINE


def test_an_image_is_read_as_it_is(tmp_path: Path) -> None:
    for dpi in (100, 150, 400):
        path = tmp_path / f"scan-{dpi}.png"
        text_scan(dpi).save(path, dpi=(dpi, dpi))
        page = first_page(path, Kind.PNG)
        assert page.image.width == round(4.5 * dpi), dpi
        assert page.dpi == dpi


@pytest.mark.parametrize("declared", [0.01, 1, 1e6])
def test_an_absurd_declared_resolution_is_ignored(declared: float, tmp_path: Path) -> None:
    """GIVEN an A4-sized 200 dpi scan declaring ``declared`` dpi THEN it is read as the A4 page it is."""
    path = tmp_path / "absurd.png"
    Image.new("L", (1654, 2339), 255).save(path, dpi=(declared, declared))
    page = first_page(path, Kind.PNG)
    assert page.image.size == (1654, 2339)
    assert page.dpi == 200


def test_a_page_without_a_scan_is_rendered_at_300_dpi(tmp_path: Path) -> None:
    """A small logo does not set the resolution of a page of outlined text."""
    path = tmp_path / "logo.pdf"
    write_image_pdf(path, page=(612, 792), image=(72, 72), placed=(72, 72))
    page = first_page(path)
    assert page.dpi == 300
    assert page.image.size[0] == pytest.approx(2550, abs=2)
    assert page.image.size[1] == pytest.approx(3300, abs=2)


@pytest.mark.parametrize("dpi", [None, 100])  # OCR, and a preview at a fixed resolution
def test_a_decompression_bomb_inside_a_pdf_is_refused_before_rendering(
    dpi: int | None, tmp_path: Path
) -> None:
    path = tmp_path / "bomb.pdf"
    write_image_pdf(path, page=(612, 792), image=(10_000, 10_000), placed=(612, 792))
    with (
        pytest.raises(ContentTooLarge, match="10000x10000 pixels"),
        closing(page_images(path, Kind.PDF, [1], Limits(), dpi)) as pages,
    ):
        next(pages)


def test_a_colour_page_is_rendered_in_the_greys_of_pdfiums_own_grey_rendering(
    tmp_path: Path,
) -> None:
    """GIVEN a colour scan and typeset colour text in a PDF THEN the page image Tesseract reads
    is grey and, pixel for pixel, within 2 of 255 of PDFium's grayscale rendering (drawn
    into a grey bitmap instead, for a third of the CPU)."""
    scan = Image.new("RGB", (600, 200), (250, 245, 230))
    draw = ImageDraw.Draw(scan)
    font = ImageFont.truetype(FONT, 40)
    for row, colour in enumerate([(200, 0, 0), (0, 120, 0), (0, 0, 180)]):
        draw.text((20, 10 + 60 * row), LINE[:16], font=font, fill=colour)
    path = tmp_path / "colour.pdf"
    scan.save(path, resolution=150)

    page = first_page(path)
    with closing(pdfium.PdfDocument(path)) as document:
        reference = document[0].render(scale=150 / 72, grayscale=True).to_pil().convert("L")
    assert page.image.mode == "L"
    assert page.image.size == reference.size
    difference = ImageChops.difference(page.image, reference)
    assert int(np.asarray(difference).max()) <= 2
    assert ImageStat.Stat(page.image).stddev[0] > 20  # the text is there, not a blank page


def test_the_rules() -> None:
    assert effective_dpi(2480, 3508, 300) == 300
    assert effective_dpi(2480, 3508, None) == pytest.approx(3508 / 11.69)
    assert effective_dpi(2480, 3508, 5) == pytest.approx(3508 / 11.69)  # a 700-inch page
    assert effective_dpi(2480, 3508, float("nan")) == pytest.approx(3508 / 11.69)
    assert enlargement(None) == enlargement(20) == enlargement(60) == 1
    assert enlargement(13) == 2 and enlargement(2) == enlargement(0) == 4


def write_image_pdf(
    path: Path, *, page: tuple[float, float], image: tuple[int, int], placed: tuple[float, float]
) -> Path:
    """A one-page PDF drawing a white 1-bit image of ``image`` pixels over ``placed`` points."""
    width, height = image
    stream = StreamObject()
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(width),
            NameObject("/Height"): NumberObject(height),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerComponent"): NumberObject(1),
            NameObject("/Filter"): NameObject("/FlateDecode"),
        }
    )
    stream.set_data(zlib.compress(b"\xff" * ((width + 7) // 8 * height)))
    writer = PdfWriter()
    blank = writer.add_blank_page(*page)
    blank[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(stream)})}
    )
    content = DecodedStreamObject()
    content.set_data(f"q {placed[0]} 0 0 {placed[1]} 0 0 cm /Im0 Do Q".encode())
    blank[NameObject("/Contents")] = writer._add_object(content)
    blank[NameObject("/MediaBox")] = ArrayObject(
        [FloatObject(0), FloatObject(0), FloatObject(page[0]), FloatObject(page[1])]
    )
    writer.write(path)
    return path
