"""What each OpenSearch lever gives on a kept index: the mix's request bodies, varied.

    . "$BUNKO_RUN_DIR/services.env"   # written by scripts/services/up.sh
    .venv/bin/python -m bench.search_opensearch INDEX [--rounds 3] [--variants shipped,keys,...]
        [--concurrent]

``INDEX`` is an index or alias loaded by ``bench/search.py --keep`` (its documents are
``bench/search_mix.py``'s). Each query of the mix is built once by ``search_body`` (the
request Bunko sends: the baseline, ``shipped``) and sent in every variant in turn, query
by query, so a variant and its baseline meet the same moment of a shared machine:

- ``keys``: facets on the numeric fields (fiscal year, level) counted on their keyword
  sub-fields (``fiscal_year.key``; global ordinals instead of a hash of longs);
- ``bounded``: without facets, matches counted exactly up to 10,000 only
  (``track_total_hits``), so the page of hits can skip documents that cannot reach it;
- ``plain``: no highlight (what the snippets cost);
- ``no_uni``: no highlight of the unigram sub-fields (``body.uni``) for queries whose
  words hold no CJK character.

With ``--concurrent`` the rounds alternate the index's concurrent segment search off and
on (``index.search.concurrent_segment_search.mode``, dynamic) and each variant is
reported both ways. Every variant's hits (ids, order) and facets are compared with the
baseline's, and its total too when exact: the mismatches are printed.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opensearchpy import OpenSearch

from bench.search_mix import QUERIES, Latency, requests
from search._opensearch_query import hit_of
from search.opensearch import OpenSearchIndex, search_body
from search.text import has_cjk

Body = dict[str, Any]
KEYWORD_OF = {"fiscal_year": "fiscal_year.key", "security_level": "security_level.key"}
BOUND = 10_000


def keys(body: Body) -> Body:
    out = copy.deepcopy(body)
    for agg in out.get("aggs", {}).values():
        agg["terms"]["field"] = KEYWORD_OF.get(agg["terms"]["field"], agg["terms"]["field"])
    return out


def bounded(body: Body) -> Body:
    return body if "aggs" in body else {**body, "track_total_hits": BOUND}


def plain(body: Body) -> Body:
    return {name: value for name, value in body.items() if name != "highlight"}


def no_uni(body: Body) -> Body:
    forms = _forms(body.get("highlight", {}).get("highlight_query", {}))
    if not forms or any(has_cjk(form) for form in forms):
        return body
    out = copy.deepcopy(body)
    fields = out["highlight"]["fields"]
    for name in [name for name in fields if name.endswith(".uni")]:
        del fields[name]
    return out


def _forms(node: object) -> set[str]:
    """The texts of the multi_match queries in ``node``."""
    if isinstance(node, dict):
        found = {node["multi_match"]["query"]} if "multi_match" in node else set()
        return found.union(*(_forms(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_forms(v) for v in node))
    return set()


VARIANTS: dict[str, Callable[[Body], Body]] = {
    "shipped": lambda body: body,
    "keys": keys,
    "bounded": bounded,
    "plain": plain,
    "no_uni": no_uni,
}


def outcome(response: dict[str, Any]) -> tuple[object, ...]:
    """What must not change: the hits in order, the facet buckets, the exact total and,
    when highlighted, the snippets."""
    total = response["hits"]["total"]
    buckets = {
        name: [(str(b["key"]), b["doc_count"]) for b in agg["buckets"]]
        for name, agg in response.get("aggregations", {}).items()
    }
    ids = [hit["_source"]["id"] for hit in response["hits"]["hits"]]
    hits = response["hits"]["hits"]
    snippets = [hit_of(h).snippet for h in hits] if any("highlight" in h for h in hits) else None
    return ids, buckets, total["value"] if total["relation"] == "eq" else None, snippets


Samples = dict[str, dict[str, list[tuple[float, int]]]]
"""Wall ms and the engine's ``took`` ms, per variant and query."""


def measure(
    client: OpenSearch, index: str, variants: list[str], rounds: int, concurrent: bool
) -> tuple[Samples, set[str]]:
    """The samples of each variant, and the variants and queries whose results differed."""
    bodies = _bodies(client, index)
    samples: Samples = {}
    mismatches: set[str] = set()
    for round_ in range(rounds + 1):
        both = concurrent and round_ % 2 == 1
        if concurrent:
            _concurrent(client, index, both)
        for (kind, query, _), body in zip(QUERIES, bodies, strict=True):
            label = f"{kind}: {query or '(empty)'}"
            expected = outcome(client.search(index=index, body=body))
            for name in variants:
                started = time.perf_counter()
                response = client.search(index=index, body=VARIANTS[name](body))
                wall = (time.perf_counter() - started) * 1000
                if not _same(outcome(response), expected):
                    mismatches.add(f"{name}: {label}")
                if round_ > 0:
                    column = samples.setdefault(name + (" +concurrent" if both else ""), {})
                    column.setdefault(label, []).append((wall, response["took"]))
    if concurrent:
        _concurrent(client, index, False)
    return samples, mismatches


def _bodies(client: OpenSearch, index: str) -> list[Body]:
    search_index = OpenSearchIndex(client, index, url="")
    bodies = []
    for request in requests():
        tree = request.tree
        tokens = search_index.tokens(tree)
        bodies.append(search_body(request, tree, request.effective_sort(tree), tokens))
    return bodies


def _same(got: tuple[object, ...], expected: tuple[object, ...]) -> bool:
    ids, buckets, total, snippets = got
    return (
        (ids, buckets) == expected[:2]
        and total in (None, expected[2])
        and snippets in (None, expected[3])
    )


def _concurrent(client: OpenSearch, index: str, on: bool) -> None:
    mode = "all" if on else "none"
    client.indices.put_settings(
        index=index, body={"index.search.concurrent_segment_search.mode": mode}
    )


def report(samples: Samples, mismatches: set[str]) -> None:
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print("| variant | wall p50 ms | wall p95 ms | took p50 ms | took p95 ms |")
    print("|---|---|---|---|---|")
    for name, per_query in samples.items():
        walls = Latency([w / 1000 for xs in per_query.values() for w, _ in xs])
        tooks = Latency([t / 1000 for xs in per_query.values() for _, t in xs])
        print(
            f"| {name} | {walls.pct(50):.1f} | {walls.pct(95):.1f}"
            f" | {tooks.pct(50):.0f} | {tooks.pct(95):.0f} |"
        )
    print("\nmedian wall ms per query: " + " / ".join(samples))
    for kind, query, _ in QUERIES:
        label = f"{kind}: {query or '(empty)'}"
        cells = " / ".join(
            f"{Latency([w / 1000 for w, _ in per_query[label]]).pct(50):.1f}"
            for per_query in samples.values()
        )
        print(f"  {label[:56]:56} {cells}")
    print(f"\nresults differing from the shipped body's: {len(mismatches)}")
    for line in sorted(mismatches):
        print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("index")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--concurrent", action="store_true")
    args = parser.parse_args()
    client = OpenSearch(hosts=[os.environ["BUNKO_TEST_OPENSEARCH_URL"]], timeout=120)
    samples, mismatches = measure(
        client, args.index, args.variants.split(","), args.rounds, args.concurrent
    )
    report(samples, mismatches)


if __name__ == "__main__":
    main()
