"""What every service is built on: ``units``, a factory of units of work.

``units()`` is a context manager that yields repositories (``.users``, ``.calendars``...), commits
when the block ends and rolls back when it raises. Services open one unit per public call and
touch the database only through the repositories, so the dual adapters can hand them routed ones.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import ClassVar, Protocol

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from ..repositories import Repositories

Units = Callable[[], AbstractContextManager[Repositories]]


class Database(Protocol):
    """What ``units_of`` needs of a database: a unit of work on each stack (``compat.db.Database`` has both).

    Declared here, not imported: the stacks run without the toolkit. The pair is what the codemod reads to
    write the async twin (``dual_members``): ``unit_of_work`` there is ``async_unit_of_work``."""

    def unit_of_work(self) -> AbstractContextManager[Session]: ...

    def async_unit_of_work(self) -> AbstractAsyncContextManager[AsyncSession]: ...


def units_of(database: Database) -> Units:
    """``units`` over ``database.unit_of_work()``: one session per unit."""

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
