"""A scanned PDF page's own pixels: its one image, decoded as it is instead of rendered.

PDFium rendering a 200 dpi page at its image's resolution cost ~35 ms of CPU where decoding
the image alone costs ~5 ms, and rendering resamples the scan by a fraction of a pixel. So a
page that is exactly one opaque, upright image covering the page is read from the image:
nothing else on the page (no text, drawings or forms), no ``/Rotate``, no clip, no rotation
or flip in the image's matrix, no transparency, and no mask in the image's dictionary
(``/SMask``, ``/Mask``, ``/ImageMask``: PDFium's decode ignores them, and what a mask hides
must not be read). Anything else is rendered, as before.
"""

from __future__ import annotations

from collections.abc import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

COVER_TOLERANCE_PT = 1.0
"""How far the image's edges may lie from the page's (crop box) edges, in points."""
_MASKS = ("/SMask", "/Mask", "/ImageMask")


def own_image(
    page: pdfium.PdfPage, number: int, reader: Callable[[], PdfReader | None]
) -> Image.Image | None:
    """Page ``number``'s scanned image in grey, or None when the page must be rendered.

    ``reader`` gives the same PDF read by pypdf (None if it cannot be), asked only for a page
    PDFium sees as one covering image: PDFium does not tell whether an image has a mask.
    """
    image = _single_upright_image(page)
    if image is None or not _unmasked(reader(), number, image.get_px_size()):
        return None
    try:
        # PDFium's own buffer, freed when the last image made from it is (not closed here).
        bitmap = image.get_bitmap(render=False)
    except pdfium.PdfiumError:
        return None  # PDFium cannot decode it alone: the render shows what it can
    if bitmap.format not in (pdfium_c.FPDFBitmap_Gray, pdfium_c.FPDFBitmap_BGR):
        return None  # a colour-key mask gives it an alpha channel: render it
    pixels: Image.Image = bitmap.to_pil()
    return pixels if pixels.mode == "L" else pixels.convert("L")


def _single_upright_image(page: pdfium.PdfPage) -> pdfium.PdfImage | None:
    if page.get_rotation() or pdfium_c.FPDFPage_CountObjects(page) != 1:
        return None
    (image,) = page.get_objects(max_depth=0)
    if not isinstance(image, pdfium.PdfImage) or pdfium_c.FPDFPageObj_HasTransparency(image):
        return None
    clip = pdfium_c.FPDFPageObj_GetClipPath(image)
    if clip and pdfium_c.FPDFClipPath_CountPaths(clip) > 0:
        return None
    a, b, c, d, _, _ = image.get_matrix().get()
    if b or c or a <= 0 or d <= 0:
        return None  # turned, flipped or empty
    box = page.get_cropbox()
    edges = zip(image.get_bounds(), box, strict=True)
    if any(abs(edge - side) > COVER_TOLERANCE_PT for edge, side in edges):
        return None
    return image


def _unmasked(reader: PdfReader | None, number: int, size: tuple[int, int]) -> bool:
    """Whether page ``number`` draws from one image XObject of ``size`` pixels with no mask."""
    if reader is None:
        return False
    try:
        resources = reader.pages[number - 1].get("/Resources")
        objects = resources.get_object().get("/XObject") if resources is not None else None
        if objects is None:
            return False
        images = [value.get_object() for value in objects.get_object().values()]
        if len(images) != 1 or not isinstance(images[0], DictionaryObject):
            return False
        (image,) = images
        return (
            image.get("/Subtype") == "/Image"
            and (image.get("/Width"), image.get("/Height")) == size
            and not any(key in image for key in _MASKS)
        )
    except Exception:  # pypdf reads a damaged file its own way: render the page
        return False
