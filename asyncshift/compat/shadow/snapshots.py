"""The served answer, kept: what ``normalise`` will need of it, copied on the caller's path at about
a tenth of the cost of normalising, so that normalising can wait for the checking side."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from compat.shadow.orm import IMMUTABLE, column_keys, orm_columns

SCALARS = frozenset({type(None), bool, int, str})
_IMMUTABLE_SEEN: set[type] = set()  # exact types found to be one of IMMUTABLE (datetime, each enum...)


class ColumnValues(dict):  # type: ignore[type-arg]
    """An ORM object's attribute values as ``snapshot`` copied them, and which are its columns."""

    __slots__ = ("columns",)
    columns: tuple[str, ...]

    @classmethod
    def of(cls, loaded: dict[str, Any], columns: tuple[str, ...], mutable: Iterable[str]) -> ColumnValues:
        row = cls(loaded)
        row.pop("_sa_instance_state", None)  # keep the values, not the object and its session
        row.columns = columns
        for key in mutable:  # JSON values, which the caller may change in place (one level deep)
            value = row.get(key)
            if type(value) is list or type(value) is dict:
                row[key] = value.copy()
        return row


def snapshot(value: Any) -> Any:
    """What ``normalise`` will need of ``value``, copied now.

    ORM objects become their column values (a later rollback would expire them; the caller may
    change them), lists and dicts are copied, JSON values one level deep; anything else (immutable
    values, dataclasses, models) is kept as it is and normalised when the check runs."""
    kind = type(value)
    if kind in SCALARS or kind in _IMMUTABLE_SEEN:
        return value
    if kind is list or kind is tuple:
        return [snapshot(v) for v in value]
    if kind is dict:
        return {k: snapshot(v) for k, v in value.items()}
    mapper = getattr(kind, "__mapper__", None)
    if mapper is not None and not isinstance(value, type):
        return ColumnValues.of(value.__dict__, *column_keys(mapper))  # the state's dict: never trigger a load
    if isinstance(value, IMMUTABLE):
        _IMMUTABLE_SEEN.add(kind)
        return value
    columns = orm_columns(value)
    return value if columns is None else ColumnValues.of(columns, tuple(columns), tuple(columns))
