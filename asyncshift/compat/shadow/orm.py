"""SQLAlchemy objects seen from outside: their state and column values, read without ever
triggering a load (a lazy load on the new path would fail; on either path it would be a query
the caller never made)."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import NoInspectionAvailable

IMMUTABLE = (str, int, float, enum.Enum, dt.date, dt.time, uuid.UUID, decimal.Decimal, bytes)

_COLUMN_KEYS: dict[Any, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # per mapper (mappers are few)


def column_keys(mapper: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A mapper's column attribute keys, and those whose values may be mutable (JSON, arrays)."""
    keys = _COLUMN_KEYS.get(mapper)
    if keys is None:
        attrs = mapper.column_attrs
        mutable = tuple(a.key for a in attrs if not all(_immutable_type(c.type) for c in a.columns))
        keys = _COLUMN_KEYS[mapper] = (tuple(a.key for a in attrs), mutable)
    return keys


def _immutable_type(sql_type: Any) -> bool:
    sql_type = getattr(sql_type, "impl_instance", sql_type)  # a TypeDecorator: what it stores
    try:
        return issubclass(sql_type.python_type, IMMUTABLE)
    except NotImplementedError:  # a type that does not say: treat its values as mutable
        return False


def orm_state(value: Any) -> Any | None:
    """The SQLAlchemy instance state of a mapped object, or None for anything else."""
    if isinstance(value, type):
        return None
    try:
        state = sa_inspect(value)
    except NoInspectionAvailable:
        return None
    return state if getattr(state, "mapper", None) is not None else None


def orm_columns(value: Any) -> dict[str, Any] | None:
    """A mapped object's loaded column values (None for a column not loaded), or None for
    anything that is not a mapped object."""
    state = orm_state(value)
    if state is None:
        return None
    loaded = state.dict  # never trigger a load
    return {key: loaded.get(key) for key in column_keys(state.mapper)[0]}
