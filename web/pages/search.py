"""The search page (also the signed-in home page): query, facets as filters, cursor pages.

Searching goes through the API's own ``search_documents``, so the page gets exactly the
access trimming, audit entry and hit metadata that ``GET /api/v1/search`` gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from archive import Document, InvalidInput, Permission
from ingest import SUBTYPES
from search import InvalidCursor, QuerySyntaxError
from web.api.search import MAX_QUERY_CHARS, SearchOut, search_documents
from web.deps import ServicesDep, SessionDep
from web.i18n import translations
from web.pages._common import (
    ViewerDep,
    department_names,
    page,
    require_permission,
)
from web.pages.messages import QUERY, shown

router = APIRouter(tags=["pages"], include_in_schema=False)

PAGE_SIZE = 20
FACETS = ("type", "subtype", "department", "fiscal_year", "series", "security_level")
FILTER_OF_FACET = {
    "type": "type",
    "subtype": "subtype",
    "department": "dept",
    "fiscal_year": "fy",
    "series": "series",
    "security_level": "level",
}
"""Facet name -> the query-language field (and URL parameter) that filters on it."""
SORTS: dict[str, tuple[Literal["relevance", "date", "amount"], Literal["asc", "desc"]]] = {
    "relevance": ("relevance", "desc"),
    "newest": ("date", "desc"),
    "oldest": ("date", "asc"),
    "amount": ("amount", "desc"),
}
_FILTER_VALUE = re.compile(r"[\w.\-]{1,64}")
_CURSOR = re.compile(r"[A-Za-z0-9_\-]{1,2000}")
MAX_TRAIL = 200
"""Pages remembered for numbered links back (the cursors ride in the URL)."""


@dataclass(frozen=True)
class SearchForm:
    """Everything a search is, as the URL holds it."""

    q: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    cursor: str | None = None
    trail: tuple[str, ...] = ()
    """The cursors of the pages between the first and this one, for numbered links back."""

    @classmethod
    def from_request(
        cls, request: Request, q: str, sort: str | None, cursor: str | None, trail: str = ""
    ) -> SearchForm:
        filters = {
            name: value
            for name in FILTER_OF_FACET.values()
            if (value := request.query_params.get(name, "").strip())
            and _FILTER_VALUE.fullmatch(value)
        }
        default = "relevance" if q.strip() else "newest"
        pages = tuple(c for c in trail.split(".") if _CURSOR.fullmatch(c)) if cursor else ()
        return cls(q.strip(), filters, sort if sort in SORTS else default, cursor or None, pages)

    @property
    def page_number(self) -> int:
        return len(self.trail) + 2 if self.cursor else 1

    def page_url(self, number: int) -> str:
        """The already visited page ``number`` (1 is the first page)."""
        if number <= 1:
            return self.url()
        return self.url(cursor=self.trail[number - 2], trail=self.trail[: number - 2])

    def next_url(self, next_cursor: str) -> str:
        trail = (*self.trail, self.cursor) if self.cursor else ()
        return self.url(cursor=next_cursor, trail=trail)

    @property
    def query_text(self) -> str:
        """The query the search layer runs: the user's words and the chosen filters."""
        if not self.filters:
            return self.q
        parts = [f"({self.q})"] if self.q else []
        parts += [f"{name}:{value}" for name, value in self.filters.items()]
        return " ".join(parts)

    def url(self, **changes: object) -> str:
        """This search with ``changes``; a changed search starts again at its first page."""
        changed = replace(self, **{"cursor": None, "trail": (), **changes})  # type: ignore[arg-type]
        params = {"q": changed.q, **changed.filters}
        if changed.sort != ("relevance" if changed.q else "newest"):
            params["sort"] = changed.sort
        if changed.cursor:
            params["cursor"] = changed.cursor
            params["trail"] = ".".join(changed.trail)
        return "/search?" + urlencode({k: v for k, v in params.items() if v})

    def with_filter(self, name: str, value: str) -> str:
        return self.url(filters={**self.filters, name: value})

    def without_filter(self, name: str) -> str:
        return self.url(filters={k: v for k, v in self.filters.items() if k != name})


def _registered(session: SessionDep, result: SearchOut | None) -> dict[str, object]:
    """When each hit was registered (its first upload), beside the document's own date."""
    ids = [hit.id for hit in result.hits] if result else []
    rows = session.execute(select(Document.id, Document.created_at).where(Document.id.in_(ids)))
    return {document_id: created for document_id, created in rows}


def _run(
    session: SessionDep, services: ServicesDep, viewer: ViewerDep, form: SearchForm
) -> tuple[SearchOut | None, str | None]:
    t = translations(viewer.lang).gettext
    sort, order = SORTS[form.sort]
    try:
        result = search_documents(
            session,
            services,
            viewer.principal,
            q=form.query_text,
            sort=sort,
            order=order,
            size=PAGE_SIZE,
            cursor=form.cursor,
            facets=",".join(FACETS),
        )
    except QuerySyntaxError as exc:
        where = t(" (at character {n})").format(n=exc.position + 1) if not form.filters else ""
        return None, t("The query could not be read: {problem}{where}.").format(
            problem=shown(exc.message, t, QUERY), where=where
        )
    except InvalidCursor:
        return None, t("This results page has expired. Start again from the first page.")
    except InvalidInput as exc:
        return None, shown(str(exc), t, QUERY)
    return result, None


Q = Annotated[str, Query(max_length=MAX_QUERY_CHARS)]
Cursor = Annotated[str | None, Query(max_length=2000)]


@router.get("/", response_class=HTMLResponse)
@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: SessionDep,
    services: ServicesDep,
    viewer: ViewerDep,
    q: Q = "",
    sort: str | None = None,
    cursor: Cursor = None,
    trail: Annotated[str, Query(max_length=MAX_TRAIL * 200)] = "",
) -> HTMLResponse:
    require_permission(request, services, viewer, Permission.SEARCH)
    form = SearchForm.from_request(request, q, sort, cursor, trail)
    result, error = _run(session, services, viewer, form)
    return page(
        request,
        "search.html",
        viewer,
        status_code=400 if error else 200,
        form=form,
        result=result,
        error=error,
        departments=department_names(session, viewer.lang),
        registered=_registered(session, result),
        page_size=PAGE_SIZE,
        facet_filter=FILTER_OF_FACET,
        subtype_names={name: subtype.en for name, subtype in SUBTYPES.items()},
        sorts=list(SORTS),
    )
