"""Open a SearchIndex from its URL, through a closed table of schemes."""

from __future__ import annotations

from urllib.parse import urlsplit

from search.base import SearchIndex

DEFAULT_INDEX_NAME = "bunko-documents"


def open_search_index(
    url: str,
    *,
    index_name: str = DEFAULT_INDEX_NAME,
    refresh: bool = False,
    shards: int | None = None,
) -> SearchIndex:
    """The index at ``url``; call ``ensure()`` before first use.

    - ``tantivy:///PATH`` (``tantivy:////abs/path`` for an absolute path): Tantivy in the
      directory PATH, the embedded default.
    - ``sqlite:///PATH`` (``sqlite:////abs/path`` for an absolute path): SQLite FTS5 in
      its own file.
    - ``http://HOST:PORT`` or ``https://USER:PASSWORD@HOST:PORT``: OpenSearch; documents live
      in indices named ``{index_name}-*`` behind the alias ``index_name``.

    ``refresh`` makes OpenSearch writes visible to searches before they return (tests,
    interactive edits); Tantivy and SQLite writes always are. ``shards`` is the number of
    primary shards of OpenSearch indices created from now on (None: ``DEFAULT_SHARDS``).
    """
    scheme = urlsplit(url).scheme
    if scheme == "tantivy":
        from search.tantivy_index import TantivyIndex

        path = url.removeprefix("tantivy:///")
        if not path:
            raise ValueError("tantivy search URL needs a path: tantivy:///PATH")
        return TantivyIndex(path)
    if scheme == "sqlite":
        from search.sqlite_fts import SqliteFtsIndex

        path = url.removeprefix("sqlite:///")
        if not path:
            raise ValueError("sqlite search URL needs a path: sqlite:///PATH")
        return SqliteFtsIndex(path)
    if scheme in ("http", "https"):
        from search.opensearch import DEFAULT_SHARDS, OpenSearchIndex

        return OpenSearchIndex.from_url(
            url, index_name=index_name, refresh=refresh, shards=shards or DEFAULT_SHARDS
        )
    raise ValueError(
        f"unsupported search URL scheme {scheme!r}: use tantivy, sqlite, http or https"
    )
