"""Searchable PDFs: OCR text as an invisible layer under the page images.

On a PDF, each page's layer is drawn as a Form XObject holding Tesseract's content stream as
it is (still compressed): pypdf parses and rewrites a content stream it merges, which cost
more than a tenth of the OCR time of a page (thousands of hex strings per page), whereas
the one-operator stream that draws the form is parsed in no time.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, FloatObject, NameObject

from ingest.extract.pdf import open_pdf, pdf_errors
from ingest.sniff import Kind


def write_searchable_pdf(
    source: Path, kind: Kind, page_pdfs: dict[int, tuple[Path, int, float]], target: Path
) -> None:
    """Write ``target``: ``source`` with the OCR layers of ``page_pdfs`` (page number ->
    the PDF Tesseract wrote, the page's index in it, and the degrees its page image was
    straightened by).

    For a PDF source each layer is text only and is laid over its page, turned back by its
    angle so the text lies on the skewed scan, and the original pages stay as they were.
    For an image source the layers hold the (straightened) image too and become the pages.
    """
    layers = functools.cache(PdfReader)  # one reader per PDF Tesseract wrote
    with pdf_errors():
        if kind == Kind.PDF:
            writer = PdfWriter(clone_from=open_pdf(source))
            for number, (layer, index, angle) in page_pdfs.items():
                _overlay(writer, number, layers(layer).pages[index], angle)
        else:
            writer = PdfWriter()
            for number in sorted(page_pdfs):
                layer, index, _ = page_pdfs[number]
                writer.append(layers(layer), pages=[index])
        with target.open("wb") as out:
            writer.write(out)


def _overlay(writer: PdfWriter, number: int, text: PageObject, angle: float) -> None:
    page = writer.pages[number - 1]
    if page.rotation % 360:
        # pdfium renders /Rotate applied; make the page upright so the layer lines up with it.
        page.transfer_rotation_to_content()
    box = page.cropbox
    width, height = float(text.mediabox.width), float(text.mediabox.height)
    scale_x, scale_y = float(box.width) / width, float(box.height) / height
    # The image was turned clockwise by ``angle`` about its centre: turn its text back.
    upright = Transformation().translate(-width / 2, -height / 2).rotate(angle)
    placed = upright.translate(width / 2, height / 2).scale(scale_x, scale_y)
    page.merge_transformed_page(
        _drawing_form(text), placed.translate(float(box.left), float(box.bottom))
    )


def _drawing_form(text: PageObject) -> PageObject:
    """A page of ``text``'s size whose only content draws ``text`` as a Form XObject."""
    contents = text.raw_get("/Contents").get_object()
    if not isinstance(contents, DictionaryObject) or "/Resources" not in text:
        return text  # not the one stream Tesseract writes: merge the page itself
    # The layer's reader is discarded after the merge: its stream becomes the form in place.
    contents[NameObject("/Type")] = NameObject("/XObject")
    contents[NameObject("/Subtype")] = NameObject("/Form")
    contents[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in text.mediabox)
    contents[NameObject("/Resources")] = text.raw_get("/Resources")
    wrapper = PageObject.create_blank_page(None, text.mediabox.width, text.mediabox.height)
    wrapper[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/XObject"): DictionaryObject(
                {NameObject("/OcrLayer"): text.raw_get("/Contents")}
            )
        }
    )
    drawing = ContentStream(None, None)
    drawing.set_data(b"/OcrLayer Do")
    wrapper[NameObject("/Contents")] = drawing
    return wrapper
