"""What every service is built on: ``units``, a factory of units of work.

``units()`` is a context manager that yields repositories (``.users``, ``.calendars``...), commits
when the block ends and rolls back when it raises. Services open one unit per public call and
touch the database only through the repositories, so the dual adapters can hand them routed ones.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, ClassVar

from ..repositories import Repositories

Units = Callable[[], AbstractContextManager[Repositories]]


def units_of(database: Any) -> Units:
    """``units`` over ``database.unit_of_work()`` (a ``compat.db.Database``): one session per unit."""

    @contextlib.contextmanager
    def unit() -> Iterator[Repositories]:
        with database.unit_of_work() as session:
            yield Repositories.on(session)

    return unit


class Service:
    """Holds ``units``; a subclass adds the methods and names those that only read in
    ``read_methods``: the dual adapters may run a read on both sides and open read-only units for it
    (a subclass that names none is judged by its methods' names)."""

    read_methods: ClassVar[frozenset[str] | None] = None

    def __init__(self, units: Units) -> None:
        self.units = units
