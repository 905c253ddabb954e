"""Page previews: one page of a PDF or image rendered to PNG, kept as a derivative blob.

A preview shows the record's content, so it lives where the record's other derivatives
live: in the blob store (shared by every node), under a ``derivatives`` row of the version
(kind ``PREVIEW_KIND``, the page number). Disposition removes a version's derivatives
with it, so a destroyed record leaves no preview behind on any node. Rendering happens
on the first view of a page; access is checked before the store is consulted. Earlier
releases cached previews on each node's disk under ``cache/previews``:
``prepare_backends`` deletes that directory.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
from contextlib import closing
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive import PAGE_PREVIEW, BlobKey, Derivative, DocumentVersion, replace_derivative
from ingest import IMAGE_KINDS, RENDITION, Kind, Limits, page_images, sniff
from web.services import Services

PREVIEW_DPI = 72
"""An A4 page becomes about 600 x 840 px: legible beside its text, ~100 KB as PNG."""
PREVIEW_KIND = f"{PAGE_PREVIEW}-{PREVIEW_DPI}dpi"
MAX_SIDE = 1400
PREVIEWABLE_MEDIA = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/tiff",
    "image/bmp",
    "image/gif",
    "image/webp",
)


def has_previews(media_type: str, rendition: bool = False) -> bool:
    """True if pages can be shown: the original is a PDF or an image, or it has a PDF
    ``rendition`` (an XML e-invoice), whose pages are shown instead."""
    return media_type in PREVIEWABLE_MEDIA or rendition


def preview_png(services: Services, version_id: str, page: int) -> bytes | None:
    """The PNG of page ``page`` (1-based) of the version, rendered and stored on a miss; None if it has none."""
    with services.sessions() as session:
        version = session.get(DocumentVersion, version_id)
        if version is None:
            return None
        stored = session.scalar(
            select(Derivative.blob_key).where(
                Derivative.version_id == version_id,
                Derivative.kind == PREVIEW_KIND,
                Derivative.page == page,
            )
        )
        # An XML e-invoice shows the pages of its PDF rendition.
        blob_key = (
            version.blob_key
            if has_previews(version.media_type)
            else session.scalar(
                select(Derivative.blob_key).where(
                    Derivative.version_id == version_id, Derivative.kind == RENDITION
                )
            )
        )
    if blob_key is None:
        return None
    if stored is not None:
        with services.store.open(BlobKey(stored)) as stream:
            return stream.read()
    png = _render(services, blob_key, page)
    if png is not None:
        _keep(services, version_id, page, png)
    return png


def _render(services: Services, blob_key: str, page: int) -> bytes | None:
    with tempfile.NamedTemporaryFile(dir=services.settings.tmp_dir, suffix=".orig") as original:
        with services.store.open(BlobKey(blob_key)) as stream:
            shutil.copyfileobj(stream, original)
        original.flush()
        path = Path(original.name)
        kind = sniff(path)
        if kind != Kind.PDF and kind not in IMAGE_KINDS:
            return None
        with closing(page_images(path, kind, [page], Limits(), dpi=PREVIEW_DPI)) as pages:
            # A copy: the rendered bitmap's memory is released when the generator closes.
            picture = next((found.image.copy() for found in pages), None)
    if picture is None:
        return None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    if picture.mode not in ("1", "L", "RGB"):
        picture = picture.convert("RGB")
    encoded = io.BytesIO()
    picture.save(encoded, "PNG", optimize=True)
    return encoded.getvalue()


def _keep(services: Services, version_id: str, page: int, png: bytes) -> None:
    """Store the preview and its row; a blob left without a row is removed again."""
    key = BlobKey(hashlib.sha256(png).hexdigest())
    services.store.put(key, io.BytesIO(png), len(png))
    with services.sessions() as session:
        version = session.get(DocumentVersion, version_id)
        if version is not None:
            replace_derivative(
                session,
                version,
                kind=PREVIEW_KIND,
                page=page,
                key=key,
                size=len(png),
                media_type="image/png",
            )
            try:
                session.commit()
                return
            except IntegrityError:  # another request stored it first, or the version went
                session.rollback()
        # Destroyed while the page was rendered: its preview must not outlive it.
        if session.scalar(select(Derivative.id).where(Derivative.blob_key == key)) is None:
            services.store.delete(key)
