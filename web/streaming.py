"""Answers that are not JSON: a blob streamed without holding it in memory, CSV."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.responses import Response, StreamingResponse

from archive import CHUNK, BlobKey, BlobStore


def stream_blob(
    store: BlobStore, key: str, *, media_type: str, size: int, headers: dict[str, str] | None = None
) -> StreamingResponse:
    """Open the blob now (so a missing one fails before the response starts) and stream it."""
    stream = store.open(BlobKey(key))

    def chunks() -> Iterator[bytes]:
        with stream:
            while chunk := stream.read(CHUNK):
                yield chunk

    return StreamingResponse(
        chunks(),
        media_type=media_type,
        headers={
            "Content-Length": str(size),
            "X-Content-Type-Options": "nosniff",
            **(headers or {}),
        },
    )


class CsvResponse(Response):
    """A CSV answer (``response_class=CsvResponse`` declares it as such in the OpenAPI document)."""

    media_type = "text/csv"
