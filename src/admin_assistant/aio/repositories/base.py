"""The async repository: runs ``admin_assistant.domain.queries`` statements on an ``AsyncSession``.

Twin of ``admin_assistant.sync.repositories.base``. Writes happen in a savepoint, so a refused
write (duplicate, invalid) raises a domain error and leaves the caller's transaction usable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from admin_assistant.domain.errors import NotFound, from_integrity_error
from admin_assistant.domain.models import Base
from admin_assistant.domain.queries import DEFAULT_LIMIT, Spec, apply_changes

M = TypeVar("M", bound=Base)


class Repository(Generic[M]):
    spec: ClassVar[Spec[Any]]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: int, **filters: Any) -> M:
        found = (await self.session.execute(*self.spec.get(key, filters))).scalar_one_or_none()
        if found is None:
            raise NotFound(self.spec.kind, key)
        return found

    async def find(self, **filters: Any) -> M | None:
        return (await self.session.execute(*self.spec.list(filters, limit=1))).scalar_one_or_none()

    async def list(self, *, offset: int = 0, limit: int | None = DEFAULT_LIMIT, **filters: Any) -> list[M]:
        return list((await self.session.execute(*self.spec.list(filters, offset, limit))).scalars())

    async def count(self, **filters: Any) -> int:
        return (await self.session.execute(*self.spec.count(filters))).scalar_one()

    async def add(self, obj: M) -> M:
        await self._write(lambda: self.session.add(obj))
        return obj

    async def add_all(self, objs: Iterable[M]) -> list[M]:
        objs = list(objs)
        await self._write(lambda: self.session.add_all(objs))
        return objs

    async def update(self, key: int, changes: dict[str, Any], **filters: Any) -> M:
        obj = await self.get(key, **filters)
        await self._write(lambda: apply_changes(obj, changes, self.spec.kind))
        return obj

    async def delete(self, key: int, **filters: Any) -> None:
        obj = await self.get(key, **filters)
        await self._write(lambda: self.session.sync_session.delete(obj))

    async def delete_many(self, **filters: Any) -> int:
        result = await self.session.execute(*self.spec.delete(filters))
        return result.rowcount or 0

    async def _write(self, change: Any) -> None:
        try:
            async with self.session.begin_nested():
                change()
                await self.session.flush()
        except IntegrityError as exc:
            raise from_integrity_error(exc, self.spec.kind) from None
