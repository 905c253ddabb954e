"""``/api/v1/search``: full-text search in the query language, trimmed by access, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import ScalarSelect

from archive import (
    Department,
    Document,
    DocumentField,
    InvalidInput,
    Principal,
    RecordId,
    SecurityLevel,
    readable,
    record,
)
from ingest import AMOUNT_FIELDS
from search import EXACT_TOTAL_UP_TO, Facet, Hit, SearchRequest, Sort, SortKey
from web.access import readable_document
from web.deps import Reader, Searcher, ServicesDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["search"])

MAX_QUERY_CHARS = 2000


class HitOut(BaseModel):
    id: str
    title: str
    doc_type: str | None
    subtype: str | None
    department: str | None
    document_date: date | None
    amount: Decimal | None
    currency: str | None
    security_level: str
    status: str
    snippet: str = Field(
        description="HTML-escaped text around the match; matches in <mark>…</mark>"
    )
    score: float | None
    url: str


class BucketOut(BaseModel):
    value: str
    count: int


class SearchOut(BaseModel):
    total: int = Field(
        description="matching documents the caller may read; a lower bound when total_exact is false"
    )
    total_exact: bool = Field(
        description=f"false when {EXACT_TOTAL_UP_TO:,} or more match and no facets were asked"
        " for: the engine stopped counting (facets count every match, so their totals are exact)"
    )
    hits: list[HitOut]
    facets: dict[str, list[BucketOut]]
    next_cursor: str | None


def _field_value(*names: str) -> ScalarSelect[str]:
    """The first (oldest) value of the hit's fields named ``names``, as a column."""
    return (
        select(DocumentField.value)
        .where(DocumentField.document_id == Document.id, DocumentField.name.in_(names))
        .order_by(DocumentField.id)
        .limit(1)
        .scalar_subquery()
    )


def _hits(session: Session, principal: Principal, hits: list[Hit]) -> list[HitOut]:
    """Hit metadata from the database in one query of the columns shown, read through the
    access rule once more (the index may lag)."""
    if not hits:
        return []
    readable_documents = (
        select(
            Document.id,
            Document.title,
            Document.doc_type,
            Document.subtype,
            Department.code,
            Document.document_date,
            Document.security_level,
            Document.status,
            _field_value(*AMOUNT_FIELDS).label("amount"),
            _field_value("currency").label("currency"),
        )
        .outerjoin(Department, Document.department_id == Department.id)
        .where(Document.id.in_([hit.id for hit in hits]), readable(principal.scope))
    )
    rows = {row.id: row for row in session.execute(readable_documents)}
    return [
        HitOut(
            id=row.id,
            title=row.title,
            doc_type=row.doc_type,
            subtype=row.subtype,
            department=row.code,
            document_date=row.document_date,
            amount=Decimal(row.amount) if row.amount is not None else None,
            currency=row.currency,
            security_level=SecurityLevel(row.security_level).label,
            status=row.status.value,
            snippet=hit.snippet,
            score=hit.score,
            url=f"/api/v1/documents/{row.id}",
        )
        for hit in hits
        if (row := rows.get(hit.id)) is not None
    ]


@router.get("/search", response_model=SearchOut)
def search_documents(
    session: SessionDep,
    services: ServicesDep,
    principal: Searcher,
    q: Annotated[
        str, Query(max_length=MAX_QUERY_CHARS, description="query language; empty lists by date")
    ] = "",
    sort: Literal["relevance", "date", "amount"] | None = None,
    order: Literal["asc", "desc"] = "desc",
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: str | None = None,
    facets: Annotated[
        str,
        Query(
            description="comma-separated: type,subtype,department,fiscal_year,series,security_level"
        ),
    ] = "type,subtype,department,fiscal_year,series,security_level",
) -> SearchOut:
    """Documents the caller may read that match ``q``; facets and snippets come from them only."""
    names = {name.strip() for name in facets.split(",") if name.strip()}
    unknown = names - {f.value for f in Facet}
    if unknown:
        raise InvalidInput(f"unknown facets {sorted(unknown)}", field="facets")
    wanted = frozenset(Facet(name) for name in names)
    request = SearchRequest(
        scope=principal.scope,
        query=q or None,
        sort=Sort(SortKey(sort), descending=order == "desc") if sort else None,
        size=size,
        cursor=cursor,
        facets=wanted,
    )
    result = services.index.search(request)
    hits = _hits(session, principal, result.hits)
    record(
        session,
        actor=principal.actor,
        action="search",
        detail={"q": q, "sort": sort, "hits": result.total},
    )
    session.commit()
    return SearchOut(
        total=result.total,
        total_exact=result.total_exact,
        hits=hits,
        facets={
            facet.value: [BucketOut(value=b.value, count=b.count) for b in buckets]
            for facet, buckets in result.facets.items()
        },
        next_cursor=result.next_cursor,
    )


@router.get("/documents/{document_id}/similar", response_model=list[HitOut])
def similar_documents(
    document_id: str,
    session: SessionDep,
    services: ServicesDep,
    principal: Reader,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[HitOut]:
    """Readable documents whose text resembles this one's."""
    document = readable_document(session, document_id, principal, "document.similar")
    return _hits(
        session, principal, services.index.similar(RecordId(document.id), principal.scope, limit)
    )
