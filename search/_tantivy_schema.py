"""What the Tantivy index keeps of a document: its schema, analysers and documents.

The text is indexed in the forms the query language needs:

- ``tri`` / ``ttri`` / ``etri`` (body / title / earlier versions' text): the text in
  ``search.normalize.index_form``, case-folded, as overlapping character trigrams (a
  space is ``␣``), with positions. A word that is not a Latin word (大阪市, 契約を締結する,
  ``<script>``, API連携) of three or more characters is the phrase of its trigrams, so it is
  found wherever it is a substring (大阪市 in 大阪市役所), as FTS5's trigram table found it;
- ``grams`` / ``tgrams`` / ``egrams``: the same text's bigrams, with their counts but no
  positions, answer two-character words (契約); ``chars`` answers one-character words.
  Trigram positions are sparser than bigram positions and one trigram is as selective as
  two bigrams, so a phrase reads about half the positions it read over bigrams (the
  cost of the broad phrases at 1M documents), for an index about a fifth larger;
- ``en`` / ``ten``: Latin-script words stemmed (``search.text.latin_text``, English
  stemmer), so ``aws`` does not find "laws" and ``contracts`` finds "contract";
- ``facts``: the text's dates and amounts as tokens (``search.facts``);
- metadata as fast fields (filters, ranges, facets, order) and the access lists as
  indexed integers, so ``archive.access``'s rule is a clause of every query.

Each document's record (metadata, title, body) is stored as JSON: snippets come from it,
and ``delete`` and ``rebuild`` rewrite documents from it.
"""

from __future__ import annotations

import json
from typing import Any

import tantivy

from search.base import IndexedDocument
from search.facts import text_facts
from search.normalize import index_form
from search.text import fold, latin_text, normalize

SPACE = "\u2423"
"""How a space is written in the bigram fields (their tokens are separated by spaces)."""
Record = dict[str, Any]


def chars(text: str) -> str:
    return text.replace(" ", SPACE).replace("\n", SPACE)


def bigrams(text: str) -> list[str]:
    """The overlapping two-character tokens of ``text`` (already folded)."""
    return ngrams(text, 2)


def trigrams(text: str) -> list[str]:
    """The overlapping three-character tokens of ``text`` (already folded)."""
    return ngrams(text, 3)


def ngrams(text: str, width: int) -> list[str]:
    marked = chars(text)
    return [marked[i : i + width] for i in range(len(marked) - width + 1)]


def build_schema() -> Any:
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, fast=True, tokenizer_name="raw")
    b.add_text_field("record", stored=True, tokenizer_name="bunko_none")
    for name in ("tri", "ttri", "etri"):
        b.add_text_field(name, tokenizer_name="whitespace")
    for name in ("grams", "tgrams", "egrams"):
        b.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    b.add_text_field("chars", tokenizer_name="whitespace", index_option="basic")
    for name in ("en", "ten"):
        b.add_text_field(name, tokenizer_name="bunko_en")
    b.add_text_field("facts", tokenizer_name="whitespace", index_option="basic")
    keywords = ("doc_type", "subtype", "department_code", "series", "regno", "lang", "counterparty")
    for name in keywords:
        b.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in ("sort_day", "document_date", "fiscal_year", "security_level"):
        b.add_integer_field(name, stored=True, indexed=True, fast=True)
    b.add_float_field("amount", stored=True, indexed=True, fast=True)
    for name in ("owner_path", "grant_users", "grant_depts"):
        b.add_integer_field(name, indexed=True)
    return b.build()


def register(index: Any) -> None:
    builder = tantivy.TextAnalyzerBuilder
    index.register_tokenizer("bunko_none", builder(tantivy.Tokenizer.regex(r"[^\s\S]")).build())
    index.register_tokenizer("bunko_en", english_analyzer())


def english_analyzer() -> Any:
    """Latin words: split on what is not a letter or digit, lower case, English stemmer."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def record_of(doc: IndexedDocument) -> Record:
    """What the index keeps of ``doc``, in the forms filters compare (as FTS5 stored them)."""
    return {
        "id": doc.id,
        "title": index_form(doc.title),
        "body": doc.body,
        "earlier": doc.earlier_body,
        "doc_type": fold(doc.doc_type),
        "subtype": fold(doc.subtype) if doc.subtype else None,
        "department_code": normalize(doc.department_code),
        "security_level": int(doc.security_level),
        "sort_day": doc.sort_date.toordinal(),
        "document_date": doc.document_date.toordinal() if doc.document_date else None,
        "fiscal_year": doc.fiscal_year,
        "amount": float(doc.amount) if doc.amount is not None else None,
        "series": normalize(doc.series) if doc.series else None,
        "regno": normalize(doc.registration_number).upper() if doc.registration_number else None,
        "lang": fold(doc.lang) if doc.lang else None,
        "counterparty": fold(doc.counterparty) if doc.counterparty else None,
        "owner_path": [int(i) for i in doc.owner_path],
        "grant_users": [int(i) for i in doc.grant_users],
        "grant_depts": [int(i) for i in doc.grant_departments],
    }


_OPTIONAL = (
    "document_date",
    "fiscal_year",
    "amount",
    "series",
    "regno",
    "lang",
    "counterparty",
    "subtype",
)


def document_of(record: Record) -> Any:
    title, body = fold(record["title"]), fold(record["body"])
    earlier = fold(record.get("earlier", ""))
    values: dict[str, list[Any]] = {
        "id": [record["id"]],
        "record": [json.dumps(record, ensure_ascii=False)],
        **_grams("t", title),
        **_grams("", body),
        **_grams("e", earlier),
        "chars": [" ".join(set(chars(f"{title} {body}")))],
        "ten": [latin_text(record["title"])],
        "en": [latin_text(record["body"])],
        "facts": [" ".join(text_facts(f"{record['title']}\n{record['body']}").tokens)],
        "doc_type": [record["doc_type"]],
        "department_code": [record["department_code"]],
        "security_level": [record["security_level"]],
        "sort_day": [record["sort_day"]],
    }
    values |= {name: [record[name]] for name in _OPTIONAL if record.get(name) is not None}
    values |= {name: record[name] for name in ("owner_path", "grant_users", "grant_depts")}
    return tantivy.Document(**{k: v for k, v in values.items() if v})


def _grams(prefix: str, text: str) -> dict[str, list[Any]]:
    """``text``'s bigram and trigram fields (``prefix``: "" body, "t" title, "e" earlier)."""
    return {
        f"{prefix}grams": [" ".join(bigrams(text))],
        f"{prefix}tri": [" ".join(trigrams(text))],
    }
