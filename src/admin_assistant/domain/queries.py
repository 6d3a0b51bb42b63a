"""The statements behind every repository, built once and run by either stack.

Both colours execute the same ``select()``: the sync repositories with ``Session.execute``, the
async ones with ``AsyncSession.execute``. Same statements, same rows, same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Delete, Select, delete, func, select

from admin_assistant.domain.errors import Invalid
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

Filter = Callable[[Any], ColumnElement[bool]]


def _owned_calendars(owner_id: int) -> Any:
    return select(Calendar.id).where(Calendar.owner_id == owner_id).scalar_subquery()


def _owned_configurations(owner_id: int) -> Any:
    return select(ArchiveConfiguration.id).where(ArchiveConfiguration.owner_id == owner_id).scalar_subquery()


def _starts_before(value: dt.datetime) -> ColumnElement[bool]:
    return Appointment.start < as_utc(value, "end of range")


def _ends_after(value: dt.datetime) -> ColumnElement[bool]:
    return Appointment.end > as_utc(value, "start of range")


@dataclass(frozen=True)
class Spec(Generic[M]):
    """What a repository needs to know about its model: name, order, and the filters it accepts.

    ``filters`` maps a keyword to a function building its clause; a keyword given as ``None``
    is not applied, so callers can pass optional filters straight through.
    """

    model: type[M]
    kind: str
    order_by: tuple[Any, ...]
    filters: Mapping[str, Filter] = field(default_factory=dict)

    def where(self, given: Mapping[str, Any]) -> list[ColumnElement[bool]]:
        unknown = sorted(set(given) - set(self.filters))
        if unknown:
            raise Invalid(f"{self.kind} cannot be filtered by {', '.join(unknown)}; use {', '.join(sorted(self.filters))}")
        return [self.filters[name](value) for name, value in given.items() if value is not None]

    def get(self, key: int, given: Mapping[str, Any]) -> Select[tuple[M]]:
        return select(self.model).where(self.model.id == key, *self.where(given))  # type: ignore[attr-defined]

    def list(self, given: Mapping[str, Any], offset: int = 0, limit: int | None = DEFAULT_LIMIT) -> Select[tuple[M]]:
        if offset < 0:
            raise Invalid(f"offset must be 0 or more, got {offset}")
        statement = select(self.model).where(*self.where(given)).order_by(*self.order_by).offset(offset)
        if limit is not None:
            if not 1 <= limit <= MAX_LIMIT:
                raise Invalid(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
            statement = statement.limit(limit)
        return statement

    def count(self, given: Mapping[str, Any]) -> Select[tuple[int]]:
        return select(func.count()).select_from(self.model).where(*self.where(given))

    def delete(self, given: Mapping[str, Any]) -> Delete:
        clauses = self.where(given)
        if not clauses:
            raise Invalid(f"deleting every {self.kind} at once is refused; give at least one filter")
        return delete(self.model).where(*clauses).execution_options(synchronize_session=False)


USERS = Spec(
    User,
    "user",
    (User.id,),
    {
        "email": lambda v: User.email == v.strip().lower(),
        "api_token_hash": lambda v: User.api_token_hash == v,
    },
)

CALENDARS = Spec(
    Calendar,
    "calendar",
    (Calendar.id,),
    {
        "owner_id": lambda v: Calendar.owner_id == v,
        "kind": lambda v: Calendar.kind == v,
        "name": lambda v: Calendar.name == v,
    },
)

APPOINTMENTS = Spec(
    Appointment,
    "appointment",
    (Appointment.start, Appointment.id),
    {
        "calendar_id": lambda v: Appointment.calendar_id == v,
        "owner_id": lambda v: Appointment.calendar_id.in_(_owned_calendars(v)),
        # [start, end): appointments that overlap the range, not only those inside it.
        "start": _ends_after,
        "end": _starts_before,
        "archived": lambda v: Appointment.archived.is_(bool(v)),
        "external_id": lambda v: Appointment.external_id == v,
        "external_ids": lambda v: Appointment.external_id.in_(list(v)),
    },
)

ARCHIVE_CONFIGURATIONS = Spec(
    ArchiveConfiguration,
    "archive configuration",
    (ArchiveConfiguration.id,),
    {
        "owner_id": lambda v: ArchiveConfiguration.owner_id == v,
        "active": lambda v: ArchiveConfiguration.active.is_(bool(v)),
        "name": lambda v: ArchiveConfiguration.name == v,
    },
)

ARCHIVE_RUNS = Spec(
    ArchiveRun,
    "archive run",
    (ArchiveRun.started_at.desc(), ArchiveRun.id.desc()),
    {
        "configuration_id": lambda v: ArchiveRun.configuration_id == v,
        "owner_id": lambda v: ArchiveRun.configuration_id.in_(_owned_configurations(v)),
        "status": lambda v: ArchiveRun.status == v,
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
