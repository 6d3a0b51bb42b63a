"""The repository: runs ``admin_assistant.domain.queries`` statements on the session it is given.

The aio twin (an ``AsyncSession``) is generated from this module. Writes happen in a savepoint, so a
refused write (duplicate, invalid) raises a domain error and leaves the caller's transaction usable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from admin_assistant.domain.errors import NotFound, from_integrity_error
from admin_assistant.domain.models import Base
from admin_assistant.domain.queries import DEFAULT_LIMIT, Spec, apply_changes

M = TypeVar("M", bound=Base)


class Repository(Generic[M]):
    spec: ClassVar[Spec[Any]]

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: int, **filters: Any) -> M:
        found = self.session.execute(*self.spec.get(key, filters)).scalar_one_or_none()
        if found is None:
            raise NotFound(self.spec.kind, key)
        return found

    def find(self, **filters: Any) -> M | None:
        return self.session.execute(*self.spec.list(filters, limit=1)).scalar_one_or_none()

    def list(self, *, offset: int = 0, limit: int | None = DEFAULT_LIMIT, **filters: Any) -> list[M]:
        return list(self.session.execute(*self.spec.list(filters, offset, limit)).scalars())

    def count(self, **filters: Any) -> int:
        return self.session.execute(*self.spec.count(filters)).scalar_one()

    def add(self, obj: M) -> M:
        self._write(lambda: self.session.add(obj))
        return obj

    def add_all(self, objs: Iterable[M]) -> list[M]:
        objs = list(objs)
        self._write(lambda: self.session.add_all(objs))
        return objs

    def update(self, key: int, changes: dict[str, Any], **filters: Any) -> M:
        obj = self.get(key, **filters)
        self._write(lambda: apply_changes(obj, changes, self.spec.kind))
        return obj

    def delete(self, key: int, **filters: Any) -> None:
        obj = self.get(key, **filters)
        # Not through _write's lambda: deleting may load the cascades, I/O that the aio twin awaits.
        try:
            with self.session.begin_nested():
                self.session.delete(obj)
                self.session.flush()
        except IntegrityError as exc:
            raise from_integrity_error(exc, self.spec.kind) from None

    def delete_many(self, **filters: Any) -> int:
        result = self.session.execute(*self.spec.delete(filters))
        return result.rowcount or 0

    def _write(self, change: Any) -> None:
        try:
            with self.session.begin_nested():
                change()
                self.session.flush()
        except IntegrityError as exc:
            raise from_integrity_error(exc, self.spec.kind) from None
