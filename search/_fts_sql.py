"""Translation of a SearchRequest into SQL over the FTS5 index file.

A search evaluates its match (words, filters and the access rule) once, into the
connection's temporary table ``matched`` (rid, score, and the columns pages and facets
need); bm25 scores are added to it, and the page and the facets are read from it alone. Every user value is a bound parameter; MATCH arguments are
single FTS5 strings (double quotes doubled), so no FTS5 operator or column filter can be
injected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archive import AccessScope, SecurityLevel
from search._fts_schema import id_list
from search.base import FACET_FIELDS, FACET_SIZE, Facet, SearchRequest, Sort, SortKey
from search.cursor import decode_cursor
from search.errors import InvalidCursor
from search.facts import query_facts
from search.normalize import index_form
from search.query import (
    And,
    Field,
    FieldKind,
    FieldMatch,
    Node,
    Not,
    Or,
    Phrase,
    Range,
    Term,
    text_leaves,
)
from search.text import fold, has_cjk, is_short_token

# The columns of ``doc_meta`` that pages and facets read, copied along with each match so
# that neither goes back to ``doc_meta``.
_CARRIED = (
    "id",
    "sort_day",
    "amount",
    "doc_type",
    "subtype",
    "department_code",
    "fiscal_year",
    "series",
    "security_level",
)
MATCHED_TABLE = f"CREATE TEMP TABLE IF NOT EXISTS matched (rid INTEGER PRIMARY KEY, score REAL, {', '.join(_CARRIED)})"

_KEYWORD_COLUMNS = {
    Field.TYPE: "d.doc_type",
    Field.SUBTYPE: "d.subtype",
    Field.DEPT: "d.department_code",
    Field.SERIES: "d.series",
    Field.REGNO: "d.regno",
    Field.LANG: "d.lang",
    Field.COUNTERPARTY: "d.counterparty_fold",
}
_RANGE_COLUMNS = {
    Field.DATE: "d.document_date",
    Field.AMOUNT: "d.amount",
    Field.FY: "d.fiscal_year",
    Field.LEVEL: "d.security_level",
}
# bm25 weights per column: a match in the title counts more than one in the body.
BM25 = "bm25(docs_tri, 3.0, 1.0)"
_BM25_EN = "bm25(docs_en, 3.0, 1.0, 0.0)"
_WORDS = "{title body} : "
_FACTS = "facts : "

Statement = tuple[str, list[Any]]


@dataclass
class Sql:
    """A WHERE fragment and its bound parameters."""

    text: str
    params: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class CompiledSearch:
    """The SQL a search runs, in order, inside one read transaction (rolled back afterwards)."""

    tree: Node | None
    sort: Sort
    ranked: bool
    match: Statement
    """Fills ``temp.matched`` with every readable matching document; its row count is the total."""
    rank: list[Statement]
    """Add each matched row's bm25 over the query's positive words to its score."""
    page: Statement
    """Rows of (rid, id, sort keys...), ``size + 1`` of them to tell whether a next page exists."""
    facets: dict[Facet, Statement]


def fts_string(term: str) -> str:
    """``term`` as one FTS5 string literal, so the MATCH argument can hold no operator."""
    return '"' + term.replace('"', '""') + '"'


def substring_form(term: str) -> str:
    """The form of a query word the text indexes look for: in ``index_form``, case-folded."""
    return fold(index_form(term))


def _is_words(form: str) -> bool:
    """Whether ``form`` is matched as Latin-script words (no CJK, something to tokenise)."""
    return not has_cjk(form) and any(char.isalnum() for char in form)


def compile_search(request: SearchRequest) -> CompiledSearch:
    """Translate ``request`` into SQL over the index file's tables (also used by the benchmark)."""
    tree = request.tree
    sort = request.effective_sort(tree)
    where = _and(
        access_sql(request.scope),
        _where(tree, earlier=request.all_versions) if tree is not None else Sql("1"),
    )
    rank = _rank(tree) if sort.key is SortKey.RELEVANCE else []
    carried = ", ".join(_CARRIED)
    match = (
        f"INSERT INTO temp.matched (rid, score, {carried}) SELECT d.rid, 0, {carried}"
        f" FROM doc_meta d WHERE {where.text}",  # fixed fragments; every value is bound
        where.params,
    )
    facets = {
        facet: (
            f"SELECT {column} AS v, count(*) AS n FROM temp.matched"
            f" WHERE {column} IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT ?",
            [FACET_SIZE],
        )
        for facet, column in FACET_FIELDS.items()
        if facet in request.facets
    }
    ranked = bool(rank)
    return CompiledSearch(
        tree, sort, ranked, match, rank, _page(request, sort, ranked=ranked), facets
    )


def _page(request: SearchRequest, sort: Sort, *, ranked: bool) -> Statement:
    keys = _sort_keys(sort, ranked=ranked)
    names = [f"k{i}" for i in range(len(keys))]
    after, after_params = "", []
    if request.cursor is not None:
        after_params = decode_cursor(request.cursor, sort)
        if len(after_params) != len(keys) + 1:
            raise InvalidCursor("malformed cursor")
        after = f"WHERE ({', '.join([*names, 'id'])}) > ({', '.join('?' * (len(keys) + 1))})"
    key_columns = ", ".join(f"{expr} AS {name}" for expr, name in zip(keys, names, strict=True))
    return (
        f"SELECT rid, id, {', '.join(names)} FROM (SELECT rid, id, {key_columns} FROM temp.matched)"
        f" {after} ORDER BY {', '.join([*names, 'id'])} LIMIT ?",
        [*after_params, request.size + 1],
    )


def _and(*parts: Sql) -> Sql:
    return Sql(" AND ".join(f"({p.text})" for p in parts), [v for p in parts for v in p.params])


def access_sql(scope: AccessScope) -> Sql:
    """The access rule of ``archive.access`` as a WHERE fragment over ``doc_meta d``."""
    branches = [Sql("d.security_level = ?", [int(SecurityLevel.PUBLIC)])]
    if scope.city_wide:
        branches.append(Sql("d.security_level <= ?", [int(scope.clearance)]))
    elif scope.department_id is not None:
        owned = [int(scope.clearance), id_list([scope.department_id])]
        branches.append(Sql("d.security_level <= ? AND instr(d.owner_path, ?) > 0", owned))
    if scope.user_id is not None:
        branches.append(Sql("instr(d.grant_users, ?) > 0", [id_list([scope.user_id])]))
    branches.extend(
        Sql("instr(d.grant_depts, ?) > 0", [id_list([dept])]) for dept in scope.department_lineage
    )
    return Sql(
        "(" + " OR ".join(f"({b.text})" for b in branches) + ")",
        [v for b in branches for v in b.params],
    )


def _where(node: Node, *, negated: bool = False, earlier: bool = False) -> Sql:
    """``node`` as a condition over ``doc_meta d``; with ``earlier``, words and phrases also
    match earlier versions' text.

    Outside NOT, a comparison with a missing value (NULL) and a false one both drop the
    row, so plain comparisons serve and can use the indexes. Under NOT, missing must
    count as false, so the comparison is wrapped in ``ifnull(..., 0)``.
    """
    match node:
        case Term(text):
            return _in_earlier(_leaf(text, phrase=False), text, earlier)
        case Phrase(text):
            return _in_earlier(_leaf(text, phrase=True), text, earlier)
        case FieldMatch(field, value):
            column = _KEYWORD_COLUMNS[field]
            test = (
                f"instr({column}, ?) > 0" if field.kind is FieldKind.CONTAINS else f"{column} = ?"
            )
            return Sql(f"ifnull({test}, 0)" if negated else test, [value])
        case Range():
            return _range(node, negated=negated)
        case And(children):
            return _and(*(_where(c, negated=negated, earlier=earlier) for c in children))
        case Or(children):
            parts = [_where(c, negated=negated, earlier=earlier) for c in children]
            return Sql(
                " OR ".join(f"({p.text})" for p in parts), [v for p in parts for v in p.params]
            )
        case Not(child):
            inner = _where(child, negated=True, earlier=earlier)
            return Sql(f"NOT ({inner.text})", inner.params)
    raise TypeError(f"not a query node: {node!r}")


def _in_earlier(current: Sql, text: str, earlier: bool) -> Sql:
    """``current``, or with ``earlier`` also the word as literal text of an earlier version."""
    if not earlier:
        return current
    return Sql(
        f"({current.text}) OR d.rid IN (SELECT rid FROM doc_earlier WHERE instr(body, ?) > 0)",
        [*current.params, substring_form(text)],
    )


def _leaf(text: str, *, phrase: bool) -> Sql:
    """A word or phrase: CJK as a substring, Latin-script as words (stemmed; a phrase also
    literally), and, when it is a date or an amount, any form of that value in the text."""
    form = substring_form(text)
    if not _is_words(form):
        match = _text_match(form)
    else:
        match = _en_match(_WORDS + fts_string(form))
        if phrase and len(form) >= 3:
            match = _and(match, _text_match(form))
    facts = query_facts(index_form(text))
    if not facts:
        return match
    value = _en_match(_FACTS + "(" + " OR ".join(fts_string(t) for t in facts.tokens) + ")")
    return Sql(f"({match.text}) OR ({value.text})", [*match.params, *value.params])


def _en_match(expression: str) -> Sql:
    return Sql("d.rid IN (SELECT rowid FROM docs_en WHERE docs_en MATCH ?)", [expression])


def _text_match(term: str) -> Sql:
    if len(term) >= 3:
        return Sql(
            "d.rid IN (SELECT rowid FROM docs_tri WHERE docs_tri MATCH ?)", [fts_string(term)]
        )
    if is_short_token(term):
        return Sql(
            "d.rid IN (SELECT rowid FROM docs_short WHERE docs_short MATCH ?)", [fts_string(term)]
        )
    # Punctuation and mixed-script fragments under three characters: a literal scan.
    return Sql(
        "d.rid IN (SELECT t.rid FROM docs t WHERE instr(lower(t.title), ?) > 0 OR instr(lower(t.body), ?) > 0)",
        [term, term],
    )


def _range(node: Range, *, negated: bool) -> Sql:
    column = _RANGE_COLUMNS[node.field]
    clauses: list[str] = []
    params: list[Any] = []
    for bound, op in (
        (node.low, ">=" if node.include_low else ">"),
        (node.high, "<=" if node.include_high else "<"),
    ):
        if bound is None:
            continue
        clauses.append(f"{column} {op} ?")
        params.append(_sql_value(node.field, bound))
    test = " AND ".join(clauses)
    return Sql(f"ifnull({test}, 0)" if negated else test, params)


def _sql_value(field: Field, bound: Any) -> Any:
    if field.kind is FieldKind.DATE:
        return bound.isoformat()
    if field.kind is FieldKind.NUMBER:
        return float(bound)
    return bound


def _rank(tree: Node | None) -> list[Statement]:
    """UPDATEs adding to each matched row its bm25 rank over the query's positive words, if any.

    Lower is better, as FTS5 ranks; a row without any of the words keeps 0.
    """
    leaves = [substring_form(leaf) for leaf in text_leaves(tree)]
    words = [t for t in leaves if _is_words(t)]
    cjk = [t for t in leaves if not _is_words(t)]
    updates: list[Statement] = []
    for table, bm25, prefix, terms in (
        ("docs_tri", BM25, "", [t for t in cjk if len(t) >= 3]),
        ("docs_short", "bm25(docs_short)", "", [t for t in cjk if is_short_token(t)]),
        ("docs_en", _BM25_EN, _WORDS, words),
    ):
        if terms:
            updates.append(
                (
                    f"UPDATE temp.matched AS m SET score = m.score + r.s"
                    f" FROM (SELECT rowid AS rid, {bm25} AS s FROM {table} WHERE {table} MATCH ?) AS r"
                    " WHERE r.rid = m.rid",
                    [prefix + "(" + " OR ".join(fts_string(t) for t in terms) + ")"],
                )
            )
    return updates


def _sort_keys(sort: Sort, *, ranked: bool) -> list[str]:
    """SQL expressions over ``temp.matched`` that, ascending and followed by id, give ``sort``'s order."""
    sign = "-" if sort.descending else ""
    if sort.key is SortKey.RELEVANCE:
        # Without words to rank by (filters only), relevance falls back to newest first.
        return ["score"] if ranked else ["-sort_day"]
    if sort.key is SortKey.DATE:
        return [f"{sign}sort_day"]
    return ["amount IS NULL", f"ifnull({sign}amount, 0)"]
