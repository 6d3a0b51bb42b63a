"""What every sync service is built on: ``units``, a factory of units of work.

``units()`` is a context manager that yields repositories (``.users``, ``.calendars``...), commits
when the block ends and rolls back when it raises. Services open one unit per public call and
touch the database only through the repositories, so the dual adapters can hand them routed ones.
Twin of ``admin_assistant.aio.services.base``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from admin_assistant.sync.repositories import Repositories

Units = Callable[[], AbstractContextManager[Any]]


def units_of(database: Any) -> Units:
    """``units`` over ``database.unit_of_work()`` (a ``compat.db.Database``): one session per unit."""

    @contextlib.contextmanager
    def unit() -> Iterator[Repositories]:
        with database.unit_of_work() as session:
            yield Repositories.on(session)

    return unit


class Service:
    """Holds ``units``; a subclass adds the methods."""

    def __init__(self, units: Units) -> None:
        self.units = units
