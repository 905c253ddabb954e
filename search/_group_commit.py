"""Group commit: writes that arrive while another is being committed share the next commit.

A commit costs about the same for one document as for hundreds (it syncs files), so
threads that write at the same time should not each pay for one. The first writer leads:
it writes everything pending in one go and commits. Writers that arrive meanwhile wait;
when the leader is done, the first of them leads the next group, which holds all of them.
Every ``submit`` returns only once its items are committed, or raises what the write raised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Ticket(Generic[T]):
    items: list[T]
    wake: threading.Event = field(default_factory=threading.Event)
    done: bool = False
    error: Exception | None = None


class GroupCommit(Generic[T]):
    """Calls ``write`` with the items of every writer waiting, one group at a time."""

    def __init__(self, write: Callable[[list[T]], None]) -> None:
        self._write = write
        self._lock = threading.Lock()
        self._pending: list[_Ticket[T]] = []
        self._leading = False

    def submit(self, items: list[T]) -> None:
        ticket = _Ticket(items)
        with self._lock:
            self._pending.append(ticket)
            lead = not self._leading
            self._leading = True
        if not lead:
            ticket.wake.wait()
        if not ticket.done:  # woken to lead the next group (which holds this ticket)
            self._lead()
        if ticket.error is not None:
            raise ticket.error

    def _lead(self) -> None:
        with self._lock:
            group, self._pending = self._pending, []
        try:
            self._write([item for ticket in group for item in ticket.items])
        except Exception as exc:
            for ticket in group:
                ticket.error = exc
        for ticket in group:
            ticket.done = True
        with self._lock:
            if self._pending:
                self._pending[0].wake.set()
            else:
                self._leading = False
        for ticket in group:
            ticket.wake.set()
