"""Full-text search: the SearchIndex protocol, OpenSearch and SQLite FTS5 backends, query language."""
