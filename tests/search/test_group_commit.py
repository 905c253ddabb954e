"""Group commit: writers that arrive during a commit share the next one; errors reach all."""

from __future__ import annotations

import threading

import pytest

from search._group_commit import GroupCommit


def test_writers_waiting_during_a_commit_share_the_next_one() -> None:
    """GIVEN a commit in progress WHEN three more threads submit THEN they are written
    together in one more commit, and each returns only after its own items are written."""
    groups: list[list[int]] = []
    first_started, release = threading.Event(), threading.Event()

    def write(items: list[int]) -> None:
        if not groups:
            first_started.set()
            release.wait(timeout=30)
        groups.append(items)

    group = GroupCommit(write)
    leader = threading.Thread(target=group.submit, args=([0],))
    leader.start()
    assert first_started.wait(timeout=30)
    waiters = [threading.Thread(target=group.submit, args=([i],)) for i in (1, 2, 3)]
    for waiter in waiters:
        waiter.start()
    while len(group._pending) < 3:
        threading.Event().wait(0.005)
    release.set()
    for thread in [leader, *waiters]:
        thread.join(timeout=30)
    assert groups[0] == [0]
    assert sorted(groups[1]) == [1, 2, 3]
    assert len(groups) == 2


def test_a_failed_write_fails_every_writer_of_its_group_and_not_the_next() -> None:
    calls: list[list[str]] = []

    def write(items: list[str]) -> None:
        calls.append(items)
        if "bad" in items:
            raise OSError("disk gone")

    group = GroupCommit(write)
    with pytest.raises(OSError, match="disk gone"):
        group.submit(["bad"])
    group.submit(["good"])  # the group after a failure is written normally
    assert calls == [["bad"], ["good"]]
