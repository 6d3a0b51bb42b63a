"""The statements behind every repository, built once and run by either stack.

Both colours execute the same ``select()``: the sync repositories with ``Session.execute``, the
async ones with ``AsyncSession.execute``. Same statements, same rows, same order.

Each statement is built once per shape (which filters are given, whether there is an offset or a
limit) with a bind parameter for every value, and handed out with this call's parameters: reusing
the object spares rebuilding it and lets SQLAlchemy memoise its cache key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    Delete,
    Integer,
    Select,
    bindparam,
    delete,
    func,
    select,
)

from admin_assistant.domain.errors import Invalid, NotFound
from admin_assistant.domain.models import (
    Appointment,
    ArchiveConfiguration,
    ArchiveRun,
    Base,
    Calendar,
    User,
    as_utc,
)

M = TypeVar("M", bound=Base)
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
# What the id columns (INTEGER: 32 bits on PostgreSQL) and an offset (bound as BIGINT) hold: a
# driver refuses a value past them with an error of its own, so such a value is answered here,
# the same way on both stacks and databases.
MIN_ID, MAX_ID = -(2**31), 2**31 - 1
MAX_OFFSET = 2**63 - 1


def _in_range(value: Any) -> bool:
    return not isinstance(value, int) or MIN_ID <= value <= MAX_ID


Params = dict[str, Any]
Shape = tuple[str, frozenset[str], bool, bool]

# Parameter names of the key, offset and limit; filters' parameters are named after the filter.
KEY, OFFSET, LIMIT = "key_", "offset_", "limit_"


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Filter:
    """A keyword's clause, built once around its bind parameter, and how a given value is bound.

    ``value`` runs on every call (normalising, validating); ``clause`` only when a shape is built.
    """

    clause: Callable[[BindParameter[Any]], ColumnElement[bool]]
    value: Callable[[Any], Any] = _same
    expanding: bool = False


def _owned_calendars(owner_id: BindParameter[Any]) -> Any:
    return select(Calendar.id).where(Calendar.owner_id == owner_id).scalar_subquery()


def _owned_configurations(owner_id: BindParameter[Any]) -> Any:
    return select(ArchiveConfiguration.id).where(ArchiveConfiguration.owner_id == owner_id).scalar_subquery()


def _start_of_range(value: dt.datetime) -> dt.datetime | None:
    return as_utc(value, "start of range")


def _end_of_range(value: dt.datetime) -> dt.datetime | None:
    return as_utc(value, "end of range")


@dataclass(frozen=True)
class Spec(Generic[M]):
    """What a repository needs to know about its model: name, order, and the filters it accepts.

    ``filters`` maps a keyword to its ``Filter``; a keyword given as ``None`` is not applied, so
    callers can pass optional filters straight through. ``get``, ``list``, ``count`` and ``delete``
    answer ``(statement, params)`` for ``session.execute(statement, params)``.
    """

    model: type[M]
    kind: str
    order_by: tuple[Any, ...]
    filters: Mapping[str, Filter] = field(default_factory=dict)
    # One statement per shape. Shared by threads: a race only builds a statement twice.
    _statements: dict[Shape, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def params(self, given: Mapping[str, Any]) -> Params:
        """The bound value of every filter given (not ``None``), in the order given."""
        unknown = set(given).difference(self.filters)
        if unknown:
            raise Invalid(
                f"{self.kind} cannot be filtered by {', '.join(sorted(unknown))}; use {', '.join(sorted(self.filters))}"
            )
        for name, value in given.items():
            if not _in_range(value):
                raise Invalid(f"{name} {value} is out of range; at most {MAX_ID}")
        filters = self.filters
        return {name: filters[name].value(value) for name, value in given.items() if value is not None}

    def where(self, names: frozenset[str]) -> list[ColumnElement[bool]]:
        """The clauses of the filters named, in declaration order, each on its bind parameter."""
        return [f.clause(bindparam(name, expanding=f.expanding)) for name, f in self.filters.items() if name in names]

    def get(self, key: int, given: Mapping[str, Any]) -> tuple[Select[tuple[M]], Params]:
        if not _in_range(key):  # no row has it
            raise NotFound(self.kind, key)
        params = self.params(given)
        shape: Shape = ("get", frozenset(params), False, False)
        statement = self._statements.get(shape)
        if statement is None:
            statement = select(self.model).where(self.model.id == bindparam(KEY), *self.where(shape[1]))  # type: ignore[attr-defined]
            statement = self._statements.setdefault(shape, statement)
        params[KEY] = key
        return statement, params

    def list(
        self, given: Mapping[str, Any], offset: int = 0, limit: int | None = DEFAULT_LIMIT
    ) -> tuple[Select[tuple[M]], Params]:
        if offset < 0:
            raise Invalid(f"offset must be 0 or more, got {offset}")
        if offset > MAX_OFFSET:
            raise Invalid(f"offset must be at most {MAX_OFFSET}, got {offset}")
        params = self.params(given)
        if limit is not None and not 1 <= limit <= MAX_LIMIT:
            raise Invalid(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
        shape: Shape = ("list", frozenset(params), offset > 0, limit is not None)
        statement = self._statements.get(shape)
        if statement is None:
            statement = select(self.model).where(*self.where(shape[1])).order_by(*self.order_by)
            if shape[2]:
                statement = statement.offset(bindparam(OFFSET, type_=BigInteger()))  # any offset up to MAX_OFFSET
            if shape[3]:
                statement = statement.limit(bindparam(LIMIT, type_=Integer()))
            statement = self._statements.setdefault(shape, statement)
        if offset > 0:
            params[OFFSET] = offset
        if limit is not None:
            params[LIMIT] = limit
        return statement, params

    def count(self, given: Mapping[str, Any]) -> tuple[Select[tuple[int]], Params]:
        params = self.params(given)
        shape: Shape = ("count", frozenset(params), False, False)
        statement = self._statements.get(shape)
        if statement is None:
            statement = select(func.count()).select_from(self.model).where(*self.where(shape[1]))
            statement = self._statements.setdefault(shape, statement)
        return statement, params

    def delete(self, given: Mapping[str, Any]) -> tuple[Delete, Params]:
        params = self.params(given)
        if not params:
            raise Invalid(f"deleting every {self.kind} at once is refused; give at least one filter")
        shape: Shape = ("delete", frozenset(params), False, False)
        statement = self._statements.get(shape)
        if statement is None:
            statement = delete(self.model).where(*self.where(shape[1])).execution_options(synchronize_session=False)
            statement = self._statements.setdefault(shape, statement)
        return statement, params


USERS = Spec(
    User,
    "user",
    (User.id,),
    {
        "email": Filter(lambda p: User.email == p, lambda v: v.strip().lower()),
        "api_token_hash": Filter(lambda p: User.api_token_hash == p),
    },
)

CALENDARS = Spec(
    Calendar,
    "calendar",
    (Calendar.id,),
    {
        "owner_id": Filter(lambda p: Calendar.owner_id == p),
        "kind": Filter(lambda p: Calendar.kind == p),
        "name": Filter(lambda p: Calendar.name == p),
    },
)

APPOINTMENTS = Spec(
    Appointment,
    "appointment",
    (Appointment.start, Appointment.id),
    {
        "calendar_id": Filter(lambda p: Appointment.calendar_id == p),
        "owner_id": Filter(lambda p: Appointment.calendar_id.in_(_owned_calendars(p))),
        # [start, end): appointments that overlap the range, not only those inside it.
        "start": Filter(lambda p: Appointment.end > p, _start_of_range),
        "end": Filter(lambda p: Appointment.start < p, _end_of_range),
        # ``==`` rather than ``IS``, which takes no bind parameter on PostgreSQL; the column is NOT NULL.
        "archived": Filter(lambda p: Appointment.archived == p, bool),
        "external_id": Filter(lambda p: Appointment.external_id == p),
        "external_ids": Filter(lambda p: Appointment.external_id.in_(p), list, expanding=True),
    },
)

ARCHIVE_CONFIGURATIONS = Spec(
    ArchiveConfiguration,
    "archive configuration",
    (ArchiveConfiguration.id,),
    {
        "owner_id": Filter(lambda p: ArchiveConfiguration.owner_id == p),
        # ``==`` as for ``archived``: the column is NOT NULL.
        "active": Filter(lambda p: ArchiveConfiguration.active == p, bool),
        "name": Filter(lambda p: ArchiveConfiguration.name == p),
    },
)

ARCHIVE_RUNS = Spec(
    ArchiveRun,
    "archive run",
    (ArchiveRun.started_at.desc(), ArchiveRun.id.desc()),
    {
        "configuration_id": Filter(lambda p: ArchiveRun.configuration_id == p),
        "owner_id": Filter(lambda p: ArchiveRun.configuration_id.in_(_owned_configurations(p))),
        "status": Filter(lambda p: ArchiveRun.status == p),
    },
)


def apply_changes(obj: Base, changes: Mapping[str, Any], kind: str) -> None:
    """Set column attributes on ``obj`` (validators run); refuse names that are not columns."""
    columns = {c.key for c in obj.__mapper__.column_attrs} - {"id"}
    unknown = sorted(set(changes) - columns)
    if unknown:
        raise Invalid(f"{kind} has no field {', '.join(unknown)}; fields are {', '.join(sorted(columns))}")
    names = list(changes)
    if {"start", "end"} <= set(names) and getattr(obj, "end", None) is not None:
        # Move the pair without an intermediate state that ends before it starts.
        new_start = as_utc(changes["start"], "start")
        if new_start is not None and new_start >= obj.end:  # type: ignore[attr-defined]
            names.remove("end")
            names.insert(0, "end")
    for name in names:
        setattr(obj, name, changes[name])
