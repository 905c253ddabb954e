"""Page previews: one page of a PDF or image rendered to PNG, cached on local disk.

Why a disk cache and not derivative blobs: a preview is cheap to make again and is not
part of the record. Stored in the blob store it would fall under object lock and the
record's retention, need a database row written by a GET, and have to be destroyed at
disposition. On disk it is disposable: the key is the original's SHA-256 (plus page and
resolution), so an entry can never be stale, any process may drop the directory, and a
cold cache only costs one render. Access is checked before the cache is consulted.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from contextlib import closing
from pathlib import Path

from archive.types import Sha256
from ingest.extract.base import Limits
from ingest.render import page_images
from ingest.sniff import IMAGE_KINDS, Kind, sniff
from web.services import Services

PREVIEW_DPI = 72
"""An A4 page becomes about 600 x 840 px: legible beside its text, ~100 KB as PNG."""
MAX_SIDE = 1400
PREVIEWABLE_MEDIA = ("application/pdf", "image/png", "image/jpeg", "image/tiff")


def has_previews(media_type: str) -> bool:
    return media_type in PREVIEWABLE_MEDIA


def cache_dir(services: Services) -> Path:
    return services.settings.data_dir / "cache" / "previews"


def preview_png(services: Services, blob_key: Sha256, page: int) -> Path | None:
    """The cached PNG of page ``page`` (1-based) of the blob, rendered on a miss; None if it has none."""
    target = cache_dir(services) / f"{blob_key}-p{page}-{PREVIEW_DPI}.png"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=services.settings.tmp_dir, suffix=".orig") as original:
        with services.store.open(blob_key) as stream:
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
    fd, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(fd, "wb") as out:
        out.write(encoded.getvalue())
    os.replace(partial, target)  # atomic: a reader never sees half a PNG
    return target
