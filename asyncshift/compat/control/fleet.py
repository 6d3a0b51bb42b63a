"""Fleet-wide flags: a change made on one process reaches every process within a second.

With PostgreSQL, the flags document lives in one row (``asyncshift_flags``) and every change is
announced with ``NOTIFY asyncshift_flags``. Each process runs one ``Fleet`` thread that

- LISTENs, and on a notification reads the row and installs it: writes it to the local flags file
  (atomically; the ``FlagStore`` is refreshed at once) or, when the file cannot be written,
  installs it into the store directly;
- watches the local flags file (every ``poll`` seconds, a small read) and publishes a local edit
  (``asyncshift flags set``, ``rollback``, ``promote``, auto-rollback) to the row, with a NOTIFY.

On start the row wins over the local file (a new process joins the fleet as it is), except that
an empty table is seeded from the file. Without PostgreSQL there is no fleet: each process
follows its own file, which stays the source of truth. Side-by-side records need nothing
special: every process's ``SqlRecorder`` writes to the same shared database.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, MetaData, Table, Text, func
from sqlalchemy.engine import make_url

from compat.flags import FlagsError, FlagStore, env_rollback, parse_flags, write_atomically

log = logging.getLogger(__name__)

CHANNEL = "asyncshift_flags"
TABLE = "asyncshift_flags"
ROW = "flags"

# The same table as SQLAlchemy metadata, for an application's migrations (PostgreSQL only).
fleet_metadata = MetaData()
asyncshift_flags = Table(
    TABLE,
    fleet_metadata,
    Column("name", Text, primary_key=True),
    Column("version", BigInteger, nullable=False),
    Column("document", Text, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("changed_by", Text, nullable=False),
)

CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    name text PRIMARY KEY,
    version bigint NOT NULL,
    document text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL
)
"""


def libpq_url(url: str) -> str | None:
    """A libpq URL for psycopg, or None when ``url`` is not PostgreSQL (no fleet then)."""
    parsed = make_url(url)
    if parsed.get_backend_name() not in ("postgresql", "postgres"):
        return None
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (FileNotFoundError, UnicodeDecodeError):
        return None


class Fleet:
    """Keeps this process's flags in step with every other process sharing the database."""

    def __init__(
        self, url: str, store: FlagStore, *, poll: float = 0.1, look_every: float = 5.0, connect_timeout: float = 5.0
    ) -> None:
        dsn = libpq_url(url)
        if dsn is None:
            raise ValueError(
                f"{make_url(url).get_backend_name()} has no LISTEN/NOTIFY: fleet-wide flags need "
                "PostgreSQL; with another database each process follows its own flags file"
            )
        self.dsn = dsn
        self.store = store
        self.poll = poll  # seconds between looks at the local file (and the longest wait for NOTIFY)
        self.look_every = look_every  # seconds between reads of the row without a notification
        self.connect_timeout = connect_timeout
        self.version = 0  # of the document last installed or published here
        self.known: str | None = None  # that document's text
        self.me = f"{socket.gethostname()}:{os.getpid()}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()

    # -------------------------------------------------------------------------------- database

    def _connect(self, **kwargs: Any) -> Any:
        import psycopg

        return psycopg.connect(self.dsn, autocommit=True, connect_timeout=int(self.connect_timeout), **kwargs)

    def fetch(self, conn: Any) -> tuple[int, str] | None:
        row = conn.execute(f"SELECT version, document FROM {TABLE} WHERE name = %s", (ROW,)).fetchone()
        return (row[0], row[1]) if row else None

    def publish(self, text: str, conn: Any = None) -> int:
        """Store ``text`` as the fleet's flags and tell every process (``NOTIFY``); its version."""
        parse_flags(text, self.store.path)  # never publish a document that does not validate
        own = conn is None
        conn = conn or self._connect()
        try:
            with conn.transaction():
                conn.execute(CREATE)
                version = conn.execute(
                    f"INSERT INTO {TABLE} (name, version, document, changed_by) VALUES (%s, 1, %s, %s) "
                    f"ON CONFLICT (name) DO UPDATE SET version = {TABLE}.version + 1, document = EXCLUDED.document, "
                    "changed_at = now(), changed_by = EXCLUDED.changed_by RETURNING version",
                    (ROW, text, self.me),
                ).fetchone()[0]
                conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(version)))
        finally:
            if own:
                conn.close()
        self.version, self.known = version, text
        log.info("flags v%s published to the fleet from %s", version, self.me)
        return version

    # ------------------------------------------------------------------------------- installing

    def install(self, version: int, text: str, seen: str | None = None) -> bool:
        """Make ``text`` this process's flags; False when it does not validate (kept out). With
        ``seen`` (the local file as the caller read it), a file edited since is left as it is: the
        edit is published next, never overwritten by an older fleet document."""
        path = self.store.path
        try:
            flags = parse_flags(text, path)
        except FlagsError as exc:
            log.error("fleet flags v%s not installed: %s", version, exc)
            return False
        self.version, self.known = version, text
        current = _read(path)
        if seen is not None and current != seen:
            return True
        if current != text:
            try:
                write_atomically(path, text)
            except OSError as exc:  # a read-only file (a mounted config): hold the fleet's version in memory
                log.warning("cannot write %s (%s); fleet flags v%s held in memory", path, exc.strerror, version)
                self.store._install(flags.with_env_rollback(env_rollback()))
                return True
        self.store.refresh()
        log.info("flags v%s from the fleet installed in %s", version, self.me)
        return True

    def sync_once(self, conn: Any, *, look: bool = False) -> None:
        """Publish the local file if it was edited here; with ``look``, also adopt the fleet's
        document if it moved on (a safety net for a notification missed while reconnecting)."""
        local = _read(self.store.path)
        if local is not None and local != self.known:
            try:
                self.publish(local, conn)
            except FlagsError as exc:
                log.error("local flags edit not published: %s", exc)
                self.known = local  # reported once; the store keeps the last good flags meanwhile
            return
        if look:
            found = self.fetch(conn)
            if found is not None and found[0] != self.version:
                self.install(*found, seen=local)

    # ----------------------------------------------------------------------------------- thread

    def _start_up(self, conn: Any) -> None:
        conn.execute(CREATE)
        found = self.fetch(conn)
        local = _read(self.store.path)
        if found is None:
            if local is not None:
                self.publish(local, conn)
        else:
            self.install(*found)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self._connect() as listener, self._connect() as conn:
                    listener.execute(f"LISTEN {CHANNEL}")
                    self._start_up(conn)
                    self.ready.set()
                    next_look = time.monotonic() + self.look_every
                    while not self._stop.is_set():
                        notified = any(True for _ in listener.notifies(timeout=self.poll, stop_after=1))
                        look = notified or time.monotonic() >= next_look
                        if look:
                            next_look = time.monotonic() + self.look_every
                        self.sync_once(conn, look=look)
            except Exception:
                if self._stop.is_set():
                    return
                log.exception("fleet flags connection lost; reconnecting in 1s (the local file stays in force)")
                self._stop.wait(1.0)

    def start(self) -> Fleet:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="asyncshift-fleet", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)


def start_fleet(url: str | None, store: FlagStore, **options: Any) -> Fleet | None:
    """Join the fleet when ``url`` is PostgreSQL; None (the file alone decides) otherwise."""
    if not url or libpq_url(url) is None:
        return None
    return Fleet(url, store, **options).start()
