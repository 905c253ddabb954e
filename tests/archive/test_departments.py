"""Departments: a tree of paths that moves as a whole, a history of every change, and refusals."""

from __future__ import annotations

import pytest

from archive import InvalidInput
from archive.departments import (
    add_department,
    department_history,
    find_department,
    move_department,
    rename_department,
    retire_department,
)
from tests.factories import org, person
from web.services import Services


def test_a_move_carries_the_subtree_and_every_change_is_in_the_history(services: Services) -> None:
    org(services)
    with services.sessions.begin() as session:
        add_department(session, code="kyuyo", name="給与係", parent_code="jinji")
        jinji, kenko = find_department(session, "jinji"), find_department(session, "kenko")
        moved = move_department(session, jinji, "kenko", actor="user:admin")
        kyuyo = find_department(session, "kyuyo")
        assert sorted(moved) == sorted([jinji.id, kyuyo.id])
        assert kyuyo.path == f"{kenko.path}{jinji.id}/{kyuyo.id}/"
        assert move_department(session, jinji, "kenko", actor="user:admin") == []  # no change
        assert rename_department(
            session, jinji, name="人事課", name_en="HR", actor="user:admin"
        ) == ["name_en"]
        retire_department(session, kyuyo, actor="user:admin")
    with services.sessions() as session:
        changes = [(c.department.code, c.field, c.new_value) for c in department_history(session)]
    assert changes == [
        ("kyuyo", "retired", "retired"),
        ("jinji", "name_en", "HR"),
        ("jinji", "parent", "kenko"),
    ]


@pytest.mark.parametrize(
    ("code", "name", "parent", "field"),
    [
        ("", "空", None, "code"),
        ("so mu", "空白", None, "code"),
        ("総務", "全角", None, "code"),
        ("x" * 10_000, "長い", None, "code"),
        ("somu", "重複", None, "code"),
        ("new", "", None, "name"),
        ("new", "親なし", "nowhere", "department"),
        ("new", "<script>", "retired", "department"),
    ],
)
def test_bad_departments_are_refused_with_the_field(
    services: Services, code: str, name: str, parent: str | None, field: str
) -> None:
    org(services)
    with services.sessions.begin() as session:
        add_department(session, code="retired", name="廃止局")
        retire_department(session, find_department(session, "retired"), actor="user:admin")
    with services.sessions.begin() as session, pytest.raises(InvalidInput) as refused:
        add_department(session, code=code, name=name, parent_code=parent)
    assert refused.value.field == field


def test_no_cycle_and_no_retiring_a_department_with_people_or_children(services: Services) -> None:
    org(services)
    person(services, "sato", "kenko")
    with services.sessions.begin() as session:
        somu, kenko = find_department(session, "somu"), find_department(session, "kenko")
        with pytest.raises(InvalidInput, match="under itself"):
            move_department(session, somu, "jinji", actor="user:admin")
        with pytest.raises(InvalidInput, match="elsewhere first"):
            retire_department(session, somu, actor="user:admin")  # 人事課 is below it
        with pytest.raises(InvalidInput, match="elsewhere first"):
            retire_department(session, kenko, actor="user:admin")  # sato works there
        assert somu.retired_at is None and kenko.retired_at is None
