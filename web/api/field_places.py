"""``/api/v1/documents/{id}/pages/{n}/words``: what is printed under a box on a page.

An officer who shows on the preview where a field's value is gets the words under the box
and the value they hold, offered as the correction (stored with its box by PATCH).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from archive import InvalidInput, translate_db_errors
from ingest import Box, Place, read_at, words_at
from web.access import readable_document
from web.deps import Reader, ServicesDep
from web.schemas import FieldBox, FieldName, Fraction

ACTION = "document.words"
router = APIRouter(prefix="/api/v1/documents", tags=["documents"])


class WordsAt(BaseModel):
    text: str
    """The words under the box, in reading order ("" when the page has no text layer)."""
    value: str | None
    """The value of ``field`` in them, as the API gives it (the text for a text field or no
    field); None when they hold none."""
    box: FieldBox | None
    """The box around those words, in fractions of the page."""


@router.get("/{document_id}/pages/{number}/words", response_model=WordsAt)
async def words_under_box(
    document_id: str,
    number: Annotated[int, Path(ge=1, le=2**31 - 1)],
    services: ServicesDep,
    principal: Reader,
    x0: Annotated[Fraction, Query()],
    y0: Annotated[Fraction, Query()],
    x1: Annotated[Fraction, Query()],
    y1: Annotated[Fraction, Query()],
    field: Annotated[FieldName | None, Query()] = None,
) -> WordsAt:
    """The words printed under the box (fractions of page ``number`` as shown, origin top
    left, ``x0 < x1``, ``y0 < y1``) and the value of ``field`` they hold; 422 for a box that
    is not one or a page the document does not have."""
    if not (x0 < x1 and y0 < y1):
        raise InvalidInput("a box needs x0 < x1 and y0 < y1", field="x0")
    place = Place(number, Box(x0, y0, x1, y1))

    def read() -> WordsAt:
        with translate_db_errors(), services.sessions() as session:
            document = readable_document(session, document_id, principal, ACTION)
            if number > (document.page_count or 1):
                raise InvalidInput(
                    f"page {number} is not a page of this document (it has"
                    f" {document.page_count or 1})",
                    field="number",
                )
            words = words_at(services.store, session, document.current_version, place)
        text, value, box = read_at(words, field or "")
        out = FieldBox(x0=box.x0, y0=box.y0, x1=box.x1, y1=box.y1) if box else None
        return WordsAt(text=text, value=value, box=out)

    return await run_in_threadpool(read)
