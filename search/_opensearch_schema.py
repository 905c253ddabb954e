"""What OpenSearch keeps of a document: the analysis settings, the mapping and the source.

Japanese is analysed with CJK bigrams (``analysis-common``'s ``cjk_bigram``) and searched
as phrases of adjacent bigrams, which is exact substring matching for two characters and
more — the same semantics as the FTS5 trigram backend; single CJK characters use the
``.uni`` sub-field (one token per ideograph). The ``.en`` sub-field (English stemming) makes
contract find contracts.

Why bigrams (``bench/search_analysis.py``, 30 documents, 20 hand-labelled queries,
macro precision / recall): CJK bigram phrases 0.933 / 1.000 (identical to FTS5 trigram);
standard tokenizer + shingles 0.875 / 1.000; SudachiPy split mode A 1.000 / 1.000; mode C
1.000 / 0.627. Bigrams lose precision only where one word is a substring of another
(京都 in 東京都, 水道 in 下水道, 市長 in 都市長期); SudachiPy A avoids that, but would add a
dictionary dependency and Python tokenisation to both backends, and a dictionary misses
unknown words (new company names, OCR fragments) that substring matching still finds.
Bigrams keep one semantics on both backends; a SudachiPy sub-field for ranking is the
next step if precision matters more.
"""

from __future__ import annotations

from typing import Any

from search.base import IndexedDocument
from search.facts import text_facts
from search.normalize import index_form
from search.text import fold, normalize

SETTINGS: dict[str, Any] = {
    "analysis": {
        "analyzer": {
            "ja_bigram": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["cjk_width", "lowercase", "cjk_bigram"],
            },
            "ja_unigram": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["cjk_width", "lowercase"],
            },
        }
    }
}

_TEXT = {
    "type": "text",
    "analyzer": "ja_bigram",
    # Pairs of adjacent bigrams as terms of their own: a word of three CJK characters
    # (大阪市) is one term instead of a phrase of two, a longer phrase reads the positions of
    # rarer terms. Matches are the same (a phrase without slop); scores come from the pairs.
    "index_phrases": True,
    "fields": {
        "uni": {"type": "text", "analyzer": "ja_unigram"},
        "en": {"type": "text", "analyzer": "english"},
    },
}
FACT_FIELDS: dict[str, Any] = {"dates": {"type": "keyword"}, "amounts": {"type": "keyword"}}
"""The text's dates (ISO) and amounts (canonical decimals), from ``search.facts``."""
EARLIER_FIELD: dict[str, Any] = {"earlier": _TEXT}
"""Earlier versions' text: searched only by ``versions:all``."""
SUBTYPE_FIELD: dict[str, Any] = {"subtype": {"type": "keyword"}}
"""The finer type (``ingest.classify.SUBTYPES``) under ``doc_type``."""
MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "keyword"},
        "title": _TEXT,
        "body": _TEXT,
        **EARLIER_FIELD,
        "doc_type": {"type": "keyword"},
        **SUBTYPE_FIELD,
        "department_id": {"type": "integer"},
        "department_code": {"type": "keyword"},
        "owner_path": {"type": "integer"},
        "security_level": {"type": "byte"},
        "grant_users": {"type": "integer"},
        "grant_departments": {"type": "integer"},
        "document_date": {"type": "date", "format": "strict_date"},
        "sort_date": {"type": "date", "format": "strict_date"},
        "fiscal_year": {"type": "integer"},
        "amount": {"type": "double"},
        "currency": {"type": "keyword"},
        "counterparty": {"type": "keyword", "index": False},
        "counterparty_fold": {"type": "keyword"},
        "regno": {"type": "keyword"},
        "series": {"type": "keyword"},
        "lang": {"type": "keyword"},
        "created_at": {"type": "date"},
        **FACT_FIELDS,
    },
}


def source(doc: IndexedDocument) -> dict[str, Any]:
    """The JSON document OpenSearch stores for ``doc``: normalised the same way as FTS5's rows."""
    body = doc.body
    title = index_form(doc.title)
    facts = text_facts(f"{title}\n{body}")
    return {
        "id": doc.id,
        "title": title,
        "body": body,
        "earlier": doc.earlier_body or None,
        "dates": facts.iso_dates,
        "amounts": sorted(facts.amounts),
        "doc_type": fold(doc.doc_type),
        "subtype": fold(doc.subtype) if doc.subtype else None,
        "department_id": doc.department_id,
        "department_code": normalize(doc.department_code),
        "owner_path": list(doc.owner_path),
        "security_level": int(doc.security_level),
        "grant_users": list(doc.grant_users),
        "grant_departments": list(doc.grant_departments),
        "document_date": doc.document_date.isoformat() if doc.document_date else None,
        "sort_date": doc.sort_date.isoformat(),
        "fiscal_year": doc.fiscal_year,
        "amount": float(doc.amount) if doc.amount is not None else None,
        "currency": doc.currency,
        "counterparty": doc.counterparty,
        "counterparty_fold": fold(doc.counterparty) if doc.counterparty else None,
        "regno": normalize(doc.registration_number).upper() if doc.registration_number else None,
        "series": normalize(doc.series) if doc.series else None,
        "lang": fold(doc.lang) if doc.lang else None,
        "created_at": doc.created_at.isoformat(),
    }
