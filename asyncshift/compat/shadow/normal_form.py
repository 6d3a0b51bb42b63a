"""Normalising: a plain, comparable form of whatever a side returned, so that two answers built
by different code (sync and async, ORM objects and models) compare by their values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from compat.shadow.orm import orm_columns
from compat.shadow.snapshots import SCALARS, ColumnValues


def normalise(value: Any, ignore: Iterable[str] = ()) -> Any:
    """A plain, comparable form: ORM objects by their columns, dataclasses and models as dicts,
    datetimes as ISO text, enums by value; fields named in ``ignore`` are left out everywhere."""
    ignored = frozenset(ignore)
    return _plain(value, ignored)


def _plain(value: Any, ignored: frozenset[str]) -> Any:
    kind = type(value)
    if kind in SCALARS:  # the common cases first, by exact type: this runs on the caller's path
        return value
    if kind is dict:
        return {str(k): _plain(v, ignored) for k, v in value.items() if str(k) not in ignored}
    if kind is list:
        return [_plain(v, ignored) for v in value]
    if kind is ColumnValues:
        return {key: _plain(value.get(key), ignored) for key in value.columns if key not in ignored}
    if hasattr(kind, "__mapper__"):
        columns = orm_columns(value)
        if columns is not None:
            return _plain(columns, ignored)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, enum.Enum):
        return _plain(value.value, ignored)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time | uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v, ignored) for k, v in value.items() if str(k) not in ignored}
    if isinstance(value, list | tuple):
        return [_plain(v, ignored) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v, ignored) for v in value), key=repr)
    columns = orm_columns(value)
    if columns is not None:
        return _plain(columns, ignored)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain({f.name: getattr(value, f.name) for f in dataclasses.fields(value)}, ignored)
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return _plain(dump(), ignored)
    return repr(value)
