"""Access trimming inside the query: hits, totals, facets, snippets and similar documents."""

from __future__ import annotations

import pytest

from archive.access import AccessScope
from archive.types import RecordId
from search import Facet, SearchIndex
from tests.search.documents import (
    ANCESTOR,
    ANONYMOUS,
    CHILD_DEPT,
    CITY_WIDE,
    GRANTEE,
    LOW_CLEARANCE,
    OTHER_DEPT,
    SAME_DEPT,
    all_documents,
    readable,
)
from tests.search.helpers import ids, run


def test_other_department_sees_nothing_of_a_matching_confidential_document(
    search_index: SearchIndex,
) -> None:
    # "personnel evaluation" only occurs in the confidential document of 契約課.
    result = run(search_index, "personnel evaluation", OTHER_DEPT, facets=frozenset(Facet))
    assert (result.total, result.hits) == (0, [])
    assert all(buckets == [] for buckets in result.facets.values())
    assert run(search_index, "personnel evaluation", SAME_DEPT).total == 1


def test_facets_never_count_unreadable_documents(search_index: SearchIndex) -> None:
    result = run(search_index, "契約", OTHER_DEPT, facets=frozenset(Facet))
    levels = {b.value: b.count for b in result.facets[Facet.SECURITY_LEVEL]}
    assert "confidential" not in levels and "secret" not in levels
    assert "ZA-HR" not in {b.value for b in result.facets[Facet.SERIES]}
    assert "evaluation" not in " ".join(hit.snippet for hit in result.hits)


@pytest.mark.parametrize(
    ("scope", "doc_id", "allowed"),
    [
        (ANONYMOUS, "english", True),  # public
        (ANONYMOUS, "osaka", False),
        (GRANTEE, "secret_granted", True),  # granted by name, whatever the clearance
        (CITY_WIDE, "secret_granted", True),  # city-wide with clearance
        (CHILD_DEPT, "secret_granted", False),  # owner, but not cleared for secret
        (ANCESTOR, "granted_dept", True),  # granted to the caller's department
        (SAME_DEPT, "granted_dept", True),  # granted to an ancestor of the caller's department
        (GRANTEE, "granted_dept", False),  # ancestor of the owner, but not cleared
        (OTHER_DEPT, "granted_dept", True),  # ancestor of the owner, cleared
        (SAME_DEPT, "confidential", True),  # own department, cleared
        (ANCESTOR, "confidential", True),  # ancestor of the owner
        (LOW_CLEARANCE, "confidential", False),  # own department, not cleared
        (OTHER_DEPT, "confidential", False),
        (CHILD_DEPT, "parent_internal", False),  # a sub-department does not read its parent's
        (OTHER_DEPT, "parent_internal", True),
        (AccessScope(city_wide=True), "osaka", False),  # city-wide needs clearance for internal
    ],
)
def test_each_branch_of_the_rule(
    search_index: SearchIndex, scope: AccessScope, doc_id: str, allowed: bool
) -> None:
    assert (doc_id in ids(search_index, None, scope)) is allowed


@pytest.mark.parametrize(
    "scope", [ANONYMOUS, OTHER_DEPT, SAME_DEPT, GRANTEE, CHILD_DEPT, LOW_CLEARANCE]
)
def test_listing_is_exactly_the_readable_set(search_index: SearchIndex, scope: AccessScope) -> None:
    expected = {d.id for d in all_documents() if readable(d, scope)}
    assert ids(search_index, None, scope) == expected
    assert run(search_index, None, scope).total == len(expected)


def test_similar_is_trimmed_too(search_index: SearchIndex) -> None:
    assert search_index.similar(RecordId("confidential"), OTHER_DEPT) == []
    readable_ids = {d.id for d in all_documents() if readable(d, ANONYMOUS)}
    assert {hit.id for hit in search_index.similar(RecordId("road_1"), ANONYMOUS)} <= readable_ids
