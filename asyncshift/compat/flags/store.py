"""The hot-reloading store: the last good flags of one file, and the process-wide store.

A stage lookup sits on every call path (every repository call, every request), so it must cost
about a dict lookup. The store therefore caches the resolved stage per target and looks at the
file (a ``stat``, no read) at most once per ``poll_interval`` seconds, from a ``time.monotonic``
check inside the lookup itself. No poller thread: nothing to lose across ``fork``, and a forked
worker simply checks on its next lookup (``os.register_at_fork`` resets the lock it inherited).

A bad edit never takes effect: it is reported once, and the last good flags stay in force; so
does a file deleted under a running process (logged, never silently read as "every target at sync").
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from time import monotonic

from .environment import default_path, env_rollback
from .errors import FlagsError, Problem
from .model import Flags, Stage
from .parsing import decode_utf8, parse_flags

log = logging.getLogger(__name__)

DEFAULT_POLL_INTERVAL = 0.5  # seconds; flagd polls at ~0.5 s too

_STORES: weakref.WeakSet[FlagStore] = weakref.WeakSet()
_NOT_READ = object()


def _file_signature(path: str) -> tuple | None:
    """What changes when the file does (an editor's rename changes the inode); None if missing."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class FlagStore:
    """Holds the last good flags of one file and swaps in a new version when the file changes.

    ``path=None`` follows ``$ASYNCSHIFT_FLAGS`` (or ``./feature_flags.yaml``) at every check.
    ``stage()`` costs a clock read and a dict lookup; the file is stat'ed at most once per
    ``poll_interval`` seconds, and read only when its inode, size or times changed (or, for a
    second after a write, every time: two same-size writes in one clock tick share an mtime).
    """

    def __init__(self, path: str | os.PathLike | None = None, *, poll_interval: float = DEFAULT_POLL_INTERVAL):
        self._fixed_path = os.fspath(path) if path is not None else None
        self.poll_interval = poll_interval
        self._error: FlagsError | None = None
        self._lock = threading.Lock()
        self._signature: tuple | None = None  # (path, stat signature) last looked at
        self._recent = False  # the file was written less than a second before it was read
        self._text: object = _NOT_READ  # (path, text) last parsed, good or bad: each is parsed once
        self._flags = Flags(path=self.path)
        self._stages = self._flags._stages
        self._next_check = 0.0
        self.refresh()
        _STORES.add(self)

    @property
    def path(self) -> str:
        return self._fixed_path if self._fixed_path is not None else default_path()

    def stage(self, target: str) -> Stage:
        """The stage ``target`` runs at now (see ``Flags.stage``); the hot path of every call."""
        if monotonic() >= self._next_check:
            self._check()
        try:
            return self._stages[target]
        except KeyError:
            return self._flags.stage(target)

    def snapshot(self) -> Flags:
        """The current good ``Flags``, to read several settings from one consistent version."""
        if monotonic() >= self._next_check:
            self._check()
        return self._flags

    @property
    def last_error(self) -> FlagsError | None:
        """Why the file's current version is not in force (None when it is)."""
        if monotonic() >= self._next_check:
            self._check()
        return self._error

    def _check(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # another thread is checking; use the version in force meanwhile
        try:
            self._next_check = monotonic() + self.poll_interval
            self._refresh_locked()
        except Exception:  # a lookup must never fail because of the file: keep what is in force
            log.exception("checking the flags file %s failed (keeping the last good flags)", self.path)
        finally:
            self._lock.release()

    def refresh(self) -> Flags:
        """Check the file and the environment now, whatever the poll interval."""
        with self._lock:
            self._next_check = monotonic() + self.poll_interval
            self._refresh_locked()
        return self._flags

    def _refresh_locked(self) -> None:
        path = self.path
        signature = (path, _file_signature(path))
        if signature != self._signature or self._recent:
            self._signature = signature
            self._read(path, signature[1])
        rollback = env_rollback()
        if rollback != self._flags.rollback_env:
            self._install(self._flags.with_env_rollback(rollback))

    def _read(self, path: str, stat: tuple | None) -> None:
        text: str | bytes | None = None
        if stat is not None:
            try:
                with open(path, "rb") as fh:
                    text = fh.read()
            except OSError:
                self._signature = None  # replaced or removed meanwhile: look again next time
                return
        self._recent = stat is not None and time.time() - stat[3] / 1e9 < 1.0
        if (path, text) == self._text:
            return  # same content as last time: nothing to install, nothing to report again
        first, self._text = self._text is _NOT_READ, (path, text)
        if text is None and self._flags.exists:
            # Deleted (or moved) under a running process: sending every target back to sync
            # unasked could be as wrong as any stage; keep what is in force and say so.
            self._error = FlagsError(
                Problem(path, None, "the flags file is gone; restore it (or 'asyncshift rollback' to go back to sync)")
            )
            log.error("%s (keeping the last good flags)", self._error)
            return
        try:
            flags = Flags(path=path) if text is None else parse_flags(decode_utf8(text, path), path)
        except FlagsError as exc:
            self._error = exc
            kept = "every target runs at sync until it is fixed" if first else "keeping the last good flags"
            log.error("%s (%s)", exc, kept)
            return
        if not first:
            log.info("flags reloaded from %s", path)
        self._error = None
        self._install(flags.with_env_rollback(env_rollback()))

    def _install(self, flags: Flags) -> None:
        # Two plain attribute stores: a concurrent stage() sees the old or the new version, whole.
        self._flags = flags
        self._stages = flags._stages

    def _after_fork_in_child(self) -> None:
        self._lock = threading.Lock()  # the parent's may have been held by a thread that is gone
        self._next_check = 0.0  # look at the file on the child's first lookup


def _reset_stores_after_fork() -> None:
    for store in list(_STORES):
        store._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_stores_after_fork)

_default_store: FlagStore | None = None
_default_lock = threading.Lock()


def get_store() -> FlagStore:
    """The process-wide store, following ``$ASYNCSHIFT_FLAGS`` or ``./feature_flags.yaml``."""
    global _default_store
    if _default_store is None:
        with _default_lock:
            if _default_store is None:
                _default_store = FlagStore()
    return _default_store


def stage(target: str) -> Stage:
    """The stage ``target`` runs at now, from the process-wide store."""
    return (_default_store or get_store()).stage(target)
