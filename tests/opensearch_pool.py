"""OpenSearch aliases for tests: each made ahead of the test that takes it, dropped in batches.

Making a test's index (its template, the index, the alias: ``OpenSearchIndex.ensure``) took
~0.45 s and dropping it again ~0.25 s, on the critical path of every scale-stack test. Here
the product's own ``ensure()`` makes the next alias in a background thread while the current
test runs, so the test's ``prepare_backends`` finds its alias as ``bunko serve`` finds an
existing one (re-putting the same template changes nothing: ~10 ms). A released alias is
dropped with the others of its batch: aliases share a batch prefix, so one wildcard call
deletes a batch's indices and one its templates. Every test still has an alias no other test
ever used.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Future, ThreadPoolExecutor

from opensearchpy import OpenSearch

from search import open_search_index

BATCH = 16
"""Aliases per batch: a batch is dropped when its last alias is released."""


class AliasPool:
    """Fresh aliases on the OpenSearch at ``url``, named ``{prefix}…`` (one process's pool).

    ``make_ahead`` is called while a test runs (``pytest_runtest_call``): the cluster applies
    its changes one at a time, so work sent during a test's set-up would hold up the set-up's
    own ``ensure()``.
    """

    def __init__(self, url: str, prefix: str) -> None:
        self.url = url
        self.prefix = prefix
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alias-pool")
        self._next: Future[str] | None = None
        self._batch = ""
        self._issued = 0
        self._open: dict[str, int] = {}
        """Aliases of each batch made and not yet released."""
        self._dropped: set[str] = set()
        self._drops: list[Future[None]] = []

    def take(self) -> str:
        """A new alias whose index exists; release it when its test is over."""
        made, self._next = self._next or self._make(), None
        return made.result()

    def make_ahead(self) -> None:
        """Drop the batches all released, and make the next test's alias, in the background."""
        for batch, held in self._open.items():
            if not held and batch != self._batch and batch not in self._dropped:
                self._drop(batch)
        if self._next is None:
            self._next = self._make()

    def release(self, alias: str) -> None:
        """The alias's test is over: its batch is dropped once all of the batch is released."""
        self._open[alias[: len(self._batch)]] -= 1

    def close(self) -> None:
        """Drop every batch not dropped yet (the alias made for a next test included)."""
        if self._next is not None:
            self._next.result()
        for batch in [b for b in self._open if b not in self._dropped]:
            self._drop(batch)
        self._worker.shutdown(wait=True)
        for drop in self._drops:
            drop.result()  # a drop that failed fails the run's end, not silently

    def _drop(self, batch: str) -> None:
        self._dropped.add(batch)
        self._drops.append(self._worker.submit(drop_aliases, self.url, f"{batch}*"))

    def _make(self) -> Future[str]:
        if self._issued % BATCH == 0:
            self._batch = f"{self.prefix}{uuid.uuid4().hex[:8]}"
            self._open[self._batch] = 0
        self._issued += 1
        self._open[self._batch] += 1
        return self._worker.submit(self._ensure, f"{self._batch}{uuid.uuid4().hex[:4]}")

    def _ensure(self, alias: str) -> str:
        index = open_search_index(self.url, index_name=alias, refresh=True)
        try:
            index.ensure()
        finally:
            index.close()
        return alias


def drop_aliases(url: str, pattern: str) -> None:
    """Delete the indices and the index templates of every alias matching ``pattern``."""
    client = OpenSearch(url)
    try:
        client.indices.delete(index=pattern, ignore_unavailable=True)
        # The templates go too: thousands of them left behind made every index creation
        # of a later test (and run) slower, each one rewriting the cluster state.
        client.indices.delete_index_template(name=pattern, ignore=404)
    finally:
        client.close()
