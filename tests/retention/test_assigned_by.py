"""Who gave a record its series, as stored in ``assigned_by`` and read back."""

from __future__ import annotations

import pytest

from retention.assigned_by import UNASSIGNED, AssignedBy, Assigner


@pytest.mark.parametrize(
    ("stored", "kind", "ref", "by_a_rule"),
    [
        ("unassigned", Assigner.NOBODY, "", True),
        ("rule:12", Assigner.RULE, "12", True),
        ("file:0b6f", Assigner.FILE, "0b6f", False),
        ("user:tanaka", Assigner.CALLER, "user:tanaka", False),
        ("apikey:erp", Assigner.CALLER, "apikey:erp", False),
        ("", Assigner.CALLER, "", False),
        ("rule", Assigner.CALLER, "rule", False),
        ("<script>:x", Assigner.CALLER, "<script>:x", False),
    ],
)
def test_stored_forms_read_back_as_they_were_written(
    stored: str, kind: Assigner, ref: str, by_a_rule: bool
) -> None:
    """GIVEN an ``assigned_by`` as stored (well formed, empty or odd) WHEN parsed THEN its
    kind and reference are found, a rule's choice (or none) may be made again, and it is
    written back unchanged."""
    found = AssignedBy.parse(stored)
    assert (found.kind, found.ref, found.by_a_rule) == (kind, ref, by_a_rule)
    assert str(found) == stored


def test_the_writers_build_what_the_readers_expect() -> None:
    assert str(AssignedBy.rule(7)) == "rule:7" and str(AssignedBy.file("f1")) == "file:f1"
    assert str(AssignedBy.caller("tanaka")) == "user:tanaka"
    assert str(AssignedBy.caller("apikey:erp")) == "apikey:erp"
    assert AssignedBy.parse(None) is UNASSIGNED and str(UNASSIGNED) == "unassigned"
