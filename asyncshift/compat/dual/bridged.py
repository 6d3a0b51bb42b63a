"""A sync caller's unit of work on one ``AsyncSession``, reached through the bridge: what a dual unit
of work (``compat.dual.units``) holds when a sync caller's repositories are not all on the old side.

Each repository call crosses to the loop (``compat.bridge.run_sync``): a new repository's call is
awaited there, an old one's runs on the session's ``sync_session`` in a greenlet, on the same
connection, so the unit is one transaction: it commits or rolls back at its end, in one more crossing.

A read-only unit on a database whose read-only units run in autocommit (``Database.read_only_options``:
PostgreSQL) has no transaction to keep between its calls: each call begins in autocommit, runs and
gives its connection back within the one crossing that runs it, so the unit's end is the session's
close in memory, in the caller's thread, where it took a crossing of its own (issue 18). The session
keeps its objects from one call to the next (``expire_on_commit`` is off), as one transaction's would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.util import greenlet_spawn

from compat import bridge
from compat.db import Database
from compat.dual.routing import NEW


class BridgedSession:
    """One ``AsyncSession`` for a sync caller: ``serve`` runs a repository call on it through the
    bridge, ``finish`` ends it (commit, or roll back after an error) and closes it on every path."""

    def __init__(self, database: Database, *, read_only: bool = False) -> None:
        self.session = database.async_sessions()
        self.released: dict[str, Any] | None = None  # the read-only options, when each call releases
        if read_only and isinstance(self.session.sync_session.get_bind(), Engine):  # not a caller's connection
            options = database.read_only_options()
            if options.get("isolation_level") == "AUTOCOMMIT":
                self.released = options
        self.held = False  # whether the session may hold a connection on the loop's side

    def serve(self, repo: Any, method: str, args: tuple, kwargs: dict, served_side: str) -> Any:
        if self.released is not None:
            self.held = True
            if served_side == NEW:
                return bridge.run_sync(self._released_async(getattr(repo, method), args, kwargs))
            return bridge.run_sync(greenlet_spawn(self._released_sync, getattr(repo, method), args, kwargs))
        if served_side == NEW:
            return bridge.run_sync(getattr(repo, method)(*args, **kwargs))
        return bridge.run_sync(greenlet_spawn(getattr(repo, method), *args, **kwargs))

    async def _released_async(self, call: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        """A new repository's call in a read-only unit: in autocommit, its connection given back after."""
        session = self.session.sync_session
        await greenlet_spawn(_begin_released, session, self.released)
        try:
            value = await call(*args, **kwargs)
        except BaseException:
            await greenlet_spawn(session.rollback)
            self.held = False
            raise
        await greenlet_spawn(session.commit)
        self.held = False
        return value

    def _released_sync(self, call: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        """An old repository's call in a read-only unit, in a greenlet on the loop: the same."""
        session = self.session.sync_session
        _begin_released(session, self.released)
        try:
            value = call(*args, **kwargs)
        except BaseException:
            session.rollback()
            self.held = False
            raise
        session.commit()
        self.held = False
        return value

    def finish(self, *, commit: bool) -> None:
        if self.released is not None and not self.held and not self.session.sync_session.in_transaction():
            self.session.sync_session.close()  # no connection to give back: its objects only, no I/O
            return

        async def end() -> None:
            try:
                if commit:
                    await self.session.commit()
                else:
                    await self.session.rollback()
            finally:
                await self.session.close()

        bridge.run_sync(end())


def _begin_released(session: Any, options: dict[str, Any]) -> None:
    if not session.in_transaction():
        session.begin()
        session.connection(execution_options=options)
