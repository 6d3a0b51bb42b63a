"""Listeners on every ``Engine`` that cost nothing while no one needs them.

A listener on the ``Engine`` class (not on one engine) puts every connection of every engine on
SQLAlchemy's event path: each connect, statement, begin and commit is dispatched. For the job
fence that was 18% of the machine instructions of a request to an app that ran no job at all
(issue 18: FastAPI alone, 2.06M a request; with the fence's module imported, 2.44M). So the
listeners stay registered (SQLAlchemy forbids adding or removing one while another thread may be
dispatching that event) and what is switched is ``Engine._has_events``, the flag SQLAlchemy reads
at every event point: on while someone is on duty, off when no one is and no listener on the
``Engine`` class but these needs it. An engine with listeners of its own carries its own flag and
is never switched off.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _class_levels() -> list[dict[Any, Any]]:
    """Where SQLAlchemy keeps the listeners registered on ``Engine`` (or a subclass) itself: per event, a
    dict of class -> listeners (the same dicts for the life of the process)."""
    dispatch = Engine.dispatch
    return [getattr(dispatch, name)._clslevel.data for name in dispatch._event_names]


def _listeners_in(levels: list[dict[Any, Any]]) -> Iterator[Any]:
    return chain.from_iterable(chain.from_iterable(map(dict.values, levels)))  # in C: asked at every job run


class EngineWideListeners:
    """``listeners`` ((event name, function) pairs) on every engine, dispatched only on duty."""

    def __init__(self, listeners: Iterable[tuple[str, Callable[..., Any]]]) -> None:
        try:
            self._levels: list[dict[Any, Any]] | None = _class_levels()
            before = set(map(id, _listeners_in(self._levels)))
        except Exception:  # SQLAlchemy's internals moved: always dispatched (slower, never wrong)
            self._levels, before = None, set()
        for name, fn in listeners:
            event.listen(Engine, name, fn)
        # what SQLAlchemy registered for them (it wraps some), told apart from anyone else's by identity;
        # the functions are kept alive by SQLAlchemy's registry, so their ids stay theirs
        self._our_ids = frozenset(map(id, _listeners_in(self._levels or []))) - before
        self._duty = 0
        self._lock = threading.Lock()
        with self._lock:
            self._switch_off()

    def on_duty(self) -> None:
        """Someone needs the listeners: dispatch from the next event point on."""
        with self._lock:
            self._duty += 1
            Engine._has_events = True

    def off_duty(self) -> None:
        """One who needed them no longer does; the last one out switches dispatching off."""
        with self._lock:
            self._duty -= 1
            self._switch_off()

    def _switch_off(self) -> None:
        if self._duty == 0 and self._only_ours():
            Engine._has_events = False

    def _only_ours(self) -> bool:
        if self._levels is None:
            return False
        try:
            return self._our_ids.issuperset(map(id, _listeners_in(self._levels)))
        except Exception:  # SQLAlchemy's internals moved: stay dispatched (slower, never wrong)
            return False
