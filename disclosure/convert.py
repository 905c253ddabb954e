"""The working PDF of a responsive record: the page images and coordinates redaction works on.

* PDF: the original itself.
* Images (scans): one page per frame, at the image's size.
* DOCX, plain text, XML e-invoices, e-mails, HTML, RTF, PPTX and OpenDocument: the text (ingest's extractor: paragraphs, tables, headers and footers)
  typeset on A4 in IPAGothic (``ingest.typeset``). The layout of the Word file is not kept, its
  words are: the released copy is a faithful text rendition, and redaction then works as on
  any text PDF. The conversion is deterministic, so boxes marked on it stay valid at release.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image, ImageSequence

from archive import InvalidInput
from ingest import IMAGE_KINDS, TYPESET_KINDS, Kind, extract, sniff, typeset


def working_pdf(original: Path, out: Path) -> Path:
    """Write the PDF that redaction marks and renders for ``original``; return ``out``."""
    kind = sniff(original)
    if kind == Kind.PDF:
        shutil.copyfile(original, out)
    elif kind in TYPESET_KINDS:
        typeset([page.text for page in extract(original, kind).pages], out)
    elif kind in IMAGE_KINDS:
        _images_to_pdf(original, out)
    else:
        raise InvalidInput(
            f"{kind.value} documents cannot be redacted yet: attach a PDF, an image or a document with text"
        )
    return out


def _images_to_pdf(original: Path, out: Path) -> None:
    with Image.open(original) as image:
        frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(image)]
    dpi = 300
    frames[0].save(out, format="PDF", save_all=True, append_images=frames[1:], resolution=dpi)
