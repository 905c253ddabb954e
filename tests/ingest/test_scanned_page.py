"""A scanned PDF page that is only its image is read from the image, not rendered; every other
page (turned, flipped, clipped, masked, transparent, with text or a second image) is rendered.

Each PDF is generated around one strip of 12 pt text at 200 dpi, so the text is known; the
image read directly must show what PDFium's render shows.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

from ingest.extract import Limits, extract
from ingest.extract.pdf import open_pdf
from ingest.ocr import apply_ocr
from ingest.render import page_images
from ingest.scanned_page import own_image
from ingest.sniff import Kind
from tests.ingest.test_ocr_resolution import LINE, text_scan

DPI = 200
SCAN = text_scan(DPI)
WIDTH, HEIGHT = SCAN.width * 72 / DPI, SCAN.height * 72 / DPI
PLACED = f"q {WIDTH} 0 0 {HEIGHT} 0 0 cm /Im0 Do Q"


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def image_stream(
    data: bytes, colours: PdfObject | None, bits: int, **entries: PdfObject
) -> StreamObject:
    """An image XObject of the scan's size holding ``data`` (DCT unless ``Filter`` is given)."""
    stream = StreamObject()
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(SCAN.width),
            NameObject("/Height"): NumberObject(SCAN.height),
            NameObject("/BitsPerComponent"): NumberObject(bits),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    if colours is not None:
        stream[NameObject("/ColorSpace")] = colours
    stream.update({NameObject(f"/{key}"): value for key, value in entries.items()})
    stream.set_data(data)
    return stream


def gray_jpeg(**entries: PdfObject) -> StreamObject:
    return image_stream(jpeg(SCAN), NameObject("/DeviceGray"), 8, **entries)


def one_bit(**entries: PdfObject) -> StreamObject:
    bits = zlib.compress(SCAN.point(lambda v: 255 if v > 128 else 0).convert("1").tobytes())
    return image_stream(
        bits, entries.pop("ColorSpace", None), 1, Filter=NameObject("/FlateDecode"), **entries
    )


def image_pdf(
    path: Path,
    image: StreamObject,
    content: str = PLACED,
    *,
    page: dict[str, PdfObject] | None = None,
    resources: dict[str, PdfObject] | None = None,
    second: StreamObject | None = None,
) -> Path:
    """A one-page PDF of the scan's size drawing ``image`` as /Im0 with ``content`` (and
    naming ``second`` as /Im1)."""
    writer = PdfWriter()
    blank = writer.add_blank_page(WIDTH, HEIGHT)
    images = {NameObject("/Im0"): writer._add_object(image)}
    if second is not None:
        images[NameObject("/Im1")] = writer._add_object(second)
    blank[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/XObject"): DictionaryObject(images),
            **{NameObject(f"/{k}"): v for k, v in (resources or {}).items()},
        }
    )
    stream = DecodedStreamObject()
    stream.set_data(content.encode())
    blank[NameObject("/Contents")] = writer._add_object(stream)
    blank.update({NameObject(f"/{k}"): v for k, v in (page or {}).items()})
    writer.write(path)
    return path


def pillow_pdf(path: Path, image: Image.Image) -> Path:
    """The scan saved by Pillow: JPEG for grey, RGB and CMYK (CMYK with a /Decode array
    inverting it), CCITT G4 for 1-bit, and an /Indexed palette."""
    image.save(path, "PDF", resolution=DPI)
    return path


def rendered(path: Path, size: tuple[int, int] | None = None) -> np.ndarray:
    """The page rendered at the scan's resolution, or to ``size`` pixels."""
    document = pdfium.PdfDocument(path)
    try:
        page = document[0]
        scale = DPI / 72 if size is None else max(size) / max(page.get_size())
        image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
        return np.asarray(image if size is None else image.resize(size), dtype=np.int16)
    finally:
        document.close()


def read_directly(path: Path) -> Image.Image | None:
    document = pdfium.PdfDocument(path)
    try:
        image = own_image(document[0], 1, lambda: open_pdf(path))
        return None if image is None else image.copy()
    finally:
        document.close()


def first_page_image(path: Path) -> Image.Image:
    with closing(page_images(path, Kind.PDF, [1], Limits())) as pages:
        return next(pages).image.copy()


def same_picture(image: Image.Image, render: np.ndarray) -> bool:
    """The image shows what the render shows (within a pixel row of resampling and JPEG noise)."""
    pixels = np.asarray(image.convert("L"), dtype=np.int16)
    rows, cols = min(pixels.shape[0], render.shape[0]), min(pixels.shape[1], render.shape[1])
    assert (
        abs(pixels.shape[0] - render.shape[0]) <= 1 and abs(pixels.shape[1] - render.shape[1]) <= 1
    )
    return float(np.abs(pixels[:rows, :cols] - render[:rows, :cols]).mean()) < 2


TAKEN: dict[str, Callable[[Path], Path]] = {
    "grey JPEG": lambda p: pillow_pdf(p, SCAN),
    "RGB JPEG": lambda p: pillow_pdf(p, SCAN.convert("RGB")),
    "CMYK JPEG with a /Decode array": lambda p: pillow_pdf(p, SCAN.convert("CMYK")),
    "1-bit CCITT G4": lambda p: pillow_pdf(
        p, SCAN.point(lambda v: 255 if v > 128 else 0).convert("1")
    ),
    "indexed colours": lambda p: pillow_pdf(p, SCAN.convert("P")),
    "inverted by /Decode": lambda p: image_pdf(
        p, gray_jpeg(Decode=ArrayObject([FloatObject(1), FloatObject(0)]))
    ),
    "1-bit Flate": lambda p: image_pdf(p, one_bit(ColorSpace=NameObject("/DeviceGray"))),
}


@pytest.mark.parametrize("kind", TAKEN)
def test_a_page_that_is_one_covering_image_is_read_from_it(kind: str, tmp_path: Path) -> None:
    """GIVEN a page whose only content is an upright image covering it THEN the image is
    read without rendering, shows what the render shows, and its text is read."""
    path = TAKEN[kind](tmp_path / "scan.pdf")
    image = read_directly(path)
    assert image is not None and image.mode == "L" and image.size == SCAN.size
    assert same_picture(image, rendered(path))
    if kind == "inverted by /Decode":
        return  # white on black: the same picture, not a page of text
    assert apply_ocr(path, extract(path)).pages[0].text == LINE


def _alpha_state() -> dict[str, PdfObject]:
    state = DictionaryObject({NameObject("/ca"): FloatObject(0.5)})
    return {"ExtGState": DictionaryObject({NameObject("/G0"): state})}


RENDERED: dict[str, Callable[[Path], Path]] = {
    "turned by its matrix": lambda p: image_pdf(
        p, gray_jpeg(), f"q 0 {WIDTH} -{HEIGHT} 0 {HEIGHT} 0 cm /Im0 Do Q"
    ),
    "flipped by its matrix": lambda p: image_pdf(
        p, gray_jpeg(), f"q {WIDTH} 0 0 -{HEIGHT} 0 {HEIGHT} cm /Im0 Do Q"
    ),
    "turned by /Rotate": lambda p: image_pdf(p, gray_jpeg(), page={"Rotate": NumberObject(90)}),
    "covering half the page": lambda p: image_pdf(
        p, gray_jpeg(), f"q {WIDTH / 2} 0 0 {HEIGHT} 0 0 cm /Im0 Do Q"
    ),
    "clipped": lambda p: image_pdf(
        p, gray_jpeg(), f"q 0 0 {WIDTH / 2} {HEIGHT} re W n {PLACED[2:]}"
    ),
    "with a soft mask": lambda p: image_pdf(
        p,
        gray_jpeg(
            SMask=image_stream(
                zlib.compress(b"\x00" * SCAN.width * SCAN.height),
                NameObject("/DeviceGray"),
                8,
                Filter=NameObject("/FlateDecode"),
            )
        ),
    ),
    "with a colour-key mask": lambda p: image_pdf(
        p, gray_jpeg(Mask=ArrayObject([NumberObject(0), NumberObject(100)]))
    ),
    "with a stencil mask": lambda p: image_pdf(
        p, gray_jpeg(Mask=one_bit(ImageMask=BooleanObject(True)))
    ),
    "an image mask": lambda p: image_pdf(p, one_bit(ImageMask=BooleanObject(True))),
    "half transparent": lambda p: image_pdf(
        p, gray_jpeg(), f"q /G0 gs {PLACED[2:]}", resources=_alpha_state()
    ),
    "drawn twice": lambda p: image_pdf(p, gray_jpeg(), f"{PLACED} {PLACED}"),
    "with text beside it": lambda p: image_pdf(
        p,
        gray_jpeg(),
        f"{PLACED} BT /F1 9 Tf 2 2 Td (hidden words) Tj ET",
        resources={
            "Font": DictionaryObject(
                {
                    NameObject("/F1"): DictionaryObject(
                        {
                            NameObject("/Type"): NameObject("/Font"),
                            NameObject("/Subtype"): NameObject("/Type1"),
                            NameObject("/BaseFont"): NameObject("/Helvetica"),
                        }
                    )
                }
            )
        },
    ),
}


@pytest.mark.parametrize("kind", RENDERED)
def test_any_other_page_is_rendered(kind: str, tmp_path: Path) -> None:
    """GIVEN a page that is not exactly one opaque, upright image covering it THEN it is not
    read from its image: OCR sees the rendered page."""
    path = RENDERED[kind](tmp_path / "page.pdf")
    assert read_directly(path) is None
    image = first_page_image(path)
    assert same_picture(image, rendered(path, image.size))


def test_two_images_on_a_page_are_rendered(tmp_path: Path) -> None:
    """GIVEN a page drawing a second image over the first THEN the page is rendered, and
    a page naming a second image it does not draw is rendered too (which one is drawn is
    not checked against pypdf's reading)."""
    drawn = image_pdf(
        tmp_path / "two.pdf",
        gray_jpeg(),
        f"{PLACED} {PLACED.replace('Im0', 'Im1')}",
        second=one_bit(),
    )
    named = image_pdf(tmp_path / "named.pdf", gray_jpeg(), second=one_bit())
    assert read_directly(drawn) is None and read_directly(named) is None
    assert same_picture(first_page_image(drawn), rendered(drawn))


@pytest.mark.parametrize("cut", [4000, 200, 0])
def test_a_truncated_or_empty_jpeg_reads_as_its_render_does(cut: int, tmp_path: Path) -> None:
    """GIVEN a scan whose JPEG stream is cut short (or empty) THEN the page image is what the
    render shows (PDFium decodes what is there, or nothing), OCR ends without an error and
    the document does not hang or take the worker down."""
    path = image_pdf(
        tmp_path / "cut.pdf", image_stream(jpeg(SCAN)[:cut], NameObject("/DeviceGray"), 8)
    )
    assert same_picture(first_page_image(path), rendered(path))
    apply_ocr(path, extract(path))
