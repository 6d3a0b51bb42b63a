"""Side-by-side runs: the serving side's answer is kept, the checking side runs off the caller's
path, the two are normalised and compared, and every run is recorded.

Like GitHub Scientist (control and candidate, exceptions recorded, timings), but the candidate
never delays or changes the caller's answer: it runs in the background, sampled, bounded in
flight and under a timeout, on either colour.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import dataclasses
import datetime as dt
import decimal
import enum
import logging
import queue
import random
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, Text, insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import NoInspectionAvailable

from compat import bridge

log = logging.getLogger(__name__)

MAX_DIFF_LINES = 8
DROP_LOG_INTERVAL = 60.0  # seconds between two log lines about unchecked calls
BUDGET_WINDOW = 10.0  # seconds of idle time whose share of checking time may be spent at once
MAX_VALUE_CHARS = 120

# --------------------------------------------------------------------------------- normalise


def normalise(value: Any, ignore: Iterable[str] = ()) -> Any:
    """A plain, comparable form: ORM objects by their columns, dataclasses and models as dicts,
    datetimes as ISO text, enums by value; fields named in ``ignore`` are left out everywhere."""
    ignored = frozenset(ignore)
    return _plain(value, ignored)


_SCALARS = frozenset({type(None), bool, int, str})
_COLUMN_KEYS: dict[Any, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # see _column_keys (mappers are few)


def _plain(value: Any, ignored: frozenset[str]) -> Any:
    kind = type(value)
    if kind in _SCALARS:  # the common cases first, by exact type: this runs on the caller's path
        return value
    if kind is dict:
        return {str(k): _plain(v, ignored) for k, v in value.items() if str(k) not in ignored}
    if kind is list:
        return [_plain(v, ignored) for v in value]
    if kind is _Columns:
        return value.normalised(ignored)
    if hasattr(kind, "__mapper__"):
        columns = _orm_columns(value)
        if columns is not None:
            return _plain(columns, ignored)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, enum.Enum):
        return _plain(value.value, ignored)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat() if value.tzinfo else value.isoformat()
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
    columns = _orm_columns(value)
    if columns is not None:
        return _plain(columns, ignored)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain({f.name: getattr(value, f.name) for f in dataclasses.fields(value)}, ignored)
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return _plain(dump(), ignored)
    return repr(value)


class _Columns(dict):  # type: ignore[type-arg]
    """An ORM object's attribute values as ``snapshot`` copied them, and which are its columns."""

    __slots__ = ("columns",)
    columns: tuple[str, ...]

    @classmethod
    def of(cls, loaded: dict[str, Any], columns: tuple[str, ...], mutable: Iterable[str]) -> _Columns:
        row = cls(loaded)
        row.pop("_sa_instance_state", None)  # keep the values, not the object and its session
        row.columns = columns
        for key in mutable:  # JSON values, which the caller may change in place (one level deep)
            value = row.get(key)
            if type(value) is list or type(value) is dict:
                row[key] = value.copy()
        return row

    def normalised(self, ignored: frozenset[str]) -> dict[str, Any]:
        return {key: _plain(self.get(key), ignored) for key in self.columns if key not in ignored}


def snapshot(value: Any) -> Any:
    """What ``normalise`` will need of ``value``, copied cheaply now, so that normalising can wait
    for the checking side instead of running on the caller's path (a tenth of the cost there).

    ORM objects become their column values (a later rollback would expire them; the caller may
    change them), lists and dicts are copied, JSON values one level deep; anything else (immutable
    values, dataclasses, models) is kept as it is and normalised when the check runs."""
    kind = type(value)
    if kind in _SCALARS or kind in _IMMUTABLE_SEEN:
        return value
    if kind is list or kind is tuple:
        return [snapshot(v) for v in value]
    if kind is dict:
        return {k: snapshot(v) for k, v in value.items()}
    mapper = getattr(kind, "__mapper__", None)
    if mapper is not None and not isinstance(value, type):
        return _Columns.of(value.__dict__, *_column_keys(mapper))  # the state's dict: never trigger a load
    if isinstance(value, _IMMUTABLE):
        _IMMUTABLE_SEEN.add(kind)
        return value
    columns = _orm_columns(value)
    return value if columns is None else _Columns.of(columns, tuple(columns), tuple(columns))


_IMMUTABLE = (str, int, float, enum.Enum, dt.date, dt.time, uuid.UUID, decimal.Decimal, bytes)
_IMMUTABLE_SEEN: set[type] = set()  # exact types found to be one of those (datetime, each enum...)


def _column_keys(mapper: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
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
        return issubclass(sql_type.python_type, _IMMUTABLE)
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


def _orm_columns(value: Any) -> dict[str, Any] | None:
    state = orm_state(value)
    if state is None:
        return None
    loaded = state.dict  # never trigger a load: a lazy load on the async side would fail
    return {key: loaded.get(key) for key in _column_keys(state.mapper)[0]}


def differences(control: Any, candidate: Any, path: str = "$") -> list[str]:
    """Where two normalised values differ, as ``path: control != candidate`` lines."""
    if type(control) is not type(candidate):
        return [f"{path}: {_short(control)} != {_short(candidate)}"]
    if isinstance(control, dict):
        found: list[str] = []
        for key in sorted(set(control) | set(candidate)):
            if key not in candidate:
                found.append(f"{path}.{key}: {_short(control[key])} != (missing)")
            elif key not in control:
                found.append(f"{path}.{key}: (missing) != {_short(candidate[key])}")
            else:
                found.extend(differences(control[key], candidate[key], f"{path}.{key}"))
        return found
    if isinstance(control, list):
        if len(control) != len(candidate):
            return [f"{path}: {len(control)} items != {len(candidate)} items"]
        found = []
        for index, (a, b) in enumerate(zip(control, candidate, strict=True)):
            found.extend(differences(a, b, f"{path}[{index}]"))
        return found
    return [] if control == candidate else [f"{path}: {_short(control)} != {_short(candidate)}"]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


# ------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Outcome:
    """What one side did: its value or its exception, and how long it took."""

    value: Any = None
    error: BaseException | None = None
    seconds: float = 0.0
    timed_out: bool = False

    @property
    def error_text(self) -> str | None:
        if self.timed_out:
            return "timeout"
        if self.error is None:
            return None
        return f"{type(self.error).__name__}: {self.error}"[:500]


@dataclass(frozen=True)
class Comparison:
    """One side-by-side run, as recorded. ``served`` is the side the caller got: ``old`` or ``new``."""

    target: str
    method: str
    stage: str
    served: str
    status: str  # match | mismatch | error | timeout
    diff: str = ""
    control_ms: float = 0.0
    candidate_ms: float | None = None
    control_error: str | None = None
    candidate_error: str | None = None
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    @property
    def matched(self) -> bool:
        return self.status == "match"


def compare(
    target: str,
    method: str,
    stage: str,
    served: str,
    control: Outcome,
    candidate: Outcome,
    ignore: Iterable[str] = (),
    noise: Callable[[list[str]], list[str]] | None = None,
) -> Comparison:
    """Judge a run: equal normalised values (or the same exception type on both sides) match.
    ``noise`` (see ``compat.noise``) is handed the differences and keeps those that are not noise."""
    common = dict(
        target=target,
        method=method,
        stage=stage,
        served=served,
        control_ms=control.seconds * 1000,
        candidate_ms=None if candidate.timed_out else candidate.seconds * 1000,
        control_error=control.error_text,
        candidate_error=candidate.error_text,
    )
    if candidate.timed_out:
        return Comparison(status="timeout", **common)
    if control.error is not None or candidate.error is not None:
        same = type(control.error) is type(candidate.error) and control.error is not None
        if same:
            return Comparison(status="match", **common)
        return Comparison(status="error", diff=f"control {control.error_text} / candidate {candidate.error_text}", **common)
    old, new = (control, candidate) if served == "old" else (candidate, control)
    found = differences(normalise(old.value, ignore), normalise(new.value, ignore))  # "path: old != new"
    if found and noise is not None:
        found = noise(found)
    if not found:
        return Comparison(status="match", **common)
    more = f"\n... and {len(found) - MAX_DIFF_LINES} more" if len(found) > MAX_DIFF_LINES else ""
    return Comparison(status="mismatch", diff="\n".join(found[:MAX_DIFF_LINES]) + more, **common)


# ----------------------------------------------------------------------------------- recorders


class Recorder(Protocol):
    def record(self, comparison: Comparison) -> None: ...


class MemoryRecorder:
    """Keeps comparisons in a list: for tests and for ``asyncshift compare``."""

    def __init__(self) -> None:
        self.comparisons: list[Comparison] = []
        self._lock = threading.Lock()

    def record(self, comparison: Comparison) -> None:
        with self._lock:
            self.comparisons.append(comparison)

    def flush(self, timeout: float = 5.0) -> None:  # same interface as SqlRecorder
        return None


shadow_metadata = MetaData()
shadow_results = Table(
    "shadow_results",
    shadow_metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("target", String(200), nullable=False, index=True),
    Column("method", String(200), nullable=False),
    Column("stage", String(16), nullable=False),
    Column("served", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("matched", Boolean, nullable=False),
    Column("diff", Text, nullable=False, default=""),
    Column("control_ms", Float, nullable=False),
    Column("candidate_ms", Float, nullable=True),
    Column("control_error", Text, nullable=True),
    Column("candidate_error", Text, nullable=True),
)


class SqlRecorder:
    """Writes comparisons to the ``shadow_results`` table from a daemon thread, in batches, so
    recording never waits on the caller's path. The table is created if it is missing."""

    def __init__(self, engine: Engine, *, batch: int = 200) -> None:
        self.engine = engine
        self.batch = batch
        self._queue: queue.Queue[Comparison] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._ready = False

    def record(self, comparison: Comparison) -> None:
        self._queue.put(comparison)
        if self._thread is None or not self._thread.is_alive():
            with self._lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._drain, name="asyncshift-recorder", daemon=True)
                    self._thread.start()

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until everything recorded so far is written (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.005)

    def _drain(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=5)
            except queue.Empty:
                return
            rows = [first]
            while len(rows) < self.batch:
                try:
                    rows.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write(rows)
            except Exception:  # never let recording take the application down
                log.exception("could not record %d side-by-side results", len(rows))
            finally:
                for _ in rows:
                    self._queue.task_done()

    def _write(self, rows: list[Comparison]) -> None:
        if not self._ready:
            shadow_metadata.create_all(self.engine, checkfirst=True)
            self._ready = True
        values = [
            {
                "at": c.at,
                "target": c.target,
                "method": c.method,
                "stage": c.stage,
                "served": c.served,
                "status": c.status,
                "matched": c.matched,
                "diff": c.diff,
                "control_ms": c.control_ms,
                "candidate_ms": c.candidate_ms,
                "control_error": c.control_error,
                "candidate_error": c.candidate_error,
            }
            for c in rows
        ]
        with self.engine.begin() as connection:
            connection.execute(insert(shadow_results), values)


# -------------------------------------------------------------------------------------- checker


def timed_call(fn: Callable[[], Any]) -> Outcome:
    start = time.perf_counter()
    try:
        return Outcome(value=fn(), seconds=time.perf_counter() - start)
    except Exception as exc:
        return Outcome(error=exc, seconds=time.perf_counter() - start)


async def timed_await(fn: Callable[[], Awaitable[Any]], timeout: float | None = None) -> Outcome:
    start = time.perf_counter()
    try:
        if timeout is None:
            value = await fn()
        else:
            value = await asyncio.wait_for(fn(), timeout)
        return Outcome(value=value, seconds=time.perf_counter() - start)
    except TimeoutError:
        return Outcome(timed_out=True, seconds=time.perf_counter() - start)
    except Exception as exc:
        return Outcome(error=exc, seconds=time.perf_counter() - start)


@dataclass
class Checker:
    """Runs checking sides off the caller's path and records how they compare.

    ``sample_rate``, ``timeout``, ``ignore_fields``, ``max_in_flight`` and ``max_share`` come from
    the flags' ``shadow`` settings when a ``settings`` callable is given (read per run, so edits
    apply). A check that would exceed ``max_in_flight`` is dropped and counted, never queued.

    ``max_share`` bounds what checking costs the served path: the checks of this process may take
    at most that share of the wall-clock time (measured from start to end of each check, waits
    included, so the bound errs on the safe side); a sampled call beyond it skips its check and is
    counted as dropped. Idle time builds up an allowance of at most ``BUDGET_WINDOW`` seconds' worth,
    and a long check delays the next ones by at most that long.

    Optional: ``noise`` (a ``compat.noise.NoiseLearner``) learns from a second run of the control,
    when ``check`` is given ``control_again``, which fields differ by nature; ``inputs`` (a
    ``compat.inputs.InputRecorder``) keeps a sample of call ``arguments`` for ``asyncshift compare``.
    """

    recorder: Recorder
    settings: Callable[[], Any] | None = None
    sample_rate: float = 1.0
    timeout: float = 2.0
    ignore_fields: tuple[str, ...] = ()
    max_in_flight: int = 32
    max_share: float | None = None
    dropped: int = 0
    _in_flight: int = 0
    clock: Callable[[], float] = time.monotonic  # for max_share
    _allowance: float = 0.0
    _allowance_at: float | None = None
    _typical: float = 0.01  # seconds a check takes (moving average), charged when a call is admitted
    _drop_logged_at: float = float("-inf")
    _drop_logged_count: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _pool: concurrent.futures.ThreadPoolExecutor | None = None
    noise: Any = None
    inputs: Any = None

    def _current(self) -> tuple[float, float, tuple[str, ...], int, float | None]:
        if self.settings is None:
            return self.sample_rate, self.timeout, self.ignore_fields, self.max_in_flight, self.max_share
        shadow = self.settings()
        return (shadow.sample_rate, shadow.timeout, tuple(shadow.ignore_fields),
                shadow.max_in_flight or self.max_in_flight, shadow.max_share)

    def wants(self) -> bool:
        """Check this call? Cheap: a random draw for the sample, then no (counted as dropped) when
        the checks in flight or the time checks took already fill their bounds."""
        rate, _timeout, _ignore, limit, share = self._current()
        if rate < 1.0 and random.random() >= rate:
            return False
        if self._in_flight >= limit or (share is not None and share < 1.0 and not self._within_share(share)):
            self._drop()
            return False
        return True

    def _drop(self) -> None:
        """Count a sampled call left unchecked, and say so in the log once a minute at most."""
        now = time.monotonic()
        with self._lock:
            self.dropped += 1
            if now - self._drop_logged_at < DROP_LOG_INTERVAL:
                return
            self._drop_logged_at, unlogged = now, self.dropped - self._drop_logged_count
            self._drop_logged_count = self.dropped
        log.info("sampled calls left unchecked since the last report: %d (the checks in flight or their time "
                 "filled shadow.max_in_flight / shadow.max_share; raise them to check more, at more cost)", unlogged)

    def _charge(self, seconds: float, charged: float, share: float | None) -> None:
        """What a check cost beyond the ``charged`` estimate its admission paid (see ``max_share``);
        the debt one long check leaves is bounded, so the checks after it wait at most
        ``BUDGET_WINDOW`` seconds. Under ``_lock``."""
        self._typical += (seconds - self._typical) / 8
        if share is None or share >= 1.0:
            return
        self._accrue(share)
        self._allowance = max(self._allowance - (seconds - charged), -share * BUDGET_WINDOW)

    def _within_share(self, share: float) -> bool:
        """Admit a check if the allowance is not spent, paying its typical cost now: a call may be
        admitted long before its check starts (a web replay starts once the answer is sent), and
        a burst of admissions must not all see the same unspent allowance."""
        with self._lock:
            self._accrue(share)
            if self._allowance < 0:
                return False
            self._allowance -= self._typical
            return True

    def _accrue(self, share: float) -> None:
        """Idle or busy, time earns checks its share, up to ``BUDGET_WINDOW`` seconds' worth."""
        now = self.clock()
        since = now - self._allowance_at if self._allowance_at is not None else 0.0
        self._allowance = min(self._allowance + since * share, share * BUDGET_WINDOW)
        self._allowance_at = now

    def check(
        self,
        *,
        target: str,
        method: str,
        stage: str,
        served: str,
        control: Outcome,
        candidate: Callable[[], Any],
        candidate_is_async: bool,
        control_again: Callable[[], Any] | None = None,
        control_again_is_async: bool = False,
        arguments: tuple[tuple, dict] | None = None,
    ) -> None:
        """Start the candidate in the background; compare and record when it ends.

        ``control_again`` re-runs the serving side (reads only) so ``noise`` can learn from it;
        ``arguments`` are the call's ``(args, kwargs)``, kept by ``inputs`` when JSON-able."""
        _rate, timeout, ignore, limit, share = self._current()
        started, charged = self.clock(), self._typical  # about what admitting this call paid
        if arguments is not None and self.inputs is not None:
            self.inputs.offer(target, method, *arguments)
        learn = control_again is not None and self.noise is not None and self.noise.wants(target, method)
        with self._lock:
            full = self._in_flight >= limit
            if not full:
                self._in_flight += 1
        if full:
            self._drop()
            return

        def finish(outcome: Outcome, again: Outcome | None = None) -> None:
            try:
                noise = None
                if self.noise is not None:
                    if again is not None and again.error is None and control.error is None:
                        self.noise.observe(target, method, control.value, again.value)
                    noise = lambda found: self.noise.filter(target, method, found)  # noqa: E731
                self.recorder.record(compare(target, method, stage, served, control, outcome, ignore, noise))
            except Exception:
                log.exception("side-by-side record for %s.%s failed", target, method)
            finally:
                with self._lock:
                    self._in_flight -= 1
                    self._charge(self.clock() - started, charged, share)

        if not candidate_is_async:  # a worker thread runs it, so the timeout can abandon it
            sync_candidate = candidate
            candidate = lambda: bridge.call_async(sync_candidate)  # noqa: E731
        if learn:
            assert control_again is not None
            again_fn = control_again if control_again_is_async else (lambda: bridge.call_async(control_again))
            only_candidate = candidate

            async def both() -> tuple[Outcome, Outcome]:
                return tuple(await asyncio.gather(timed_await(only_candidate, timeout), timed_await(again_fn, timeout)))

            run: Callable[[], Awaitable[Any]] = both
        else:
            single = candidate

            async def one() -> tuple[Outcome]:
                return (await timed_await(single, timeout),)

            run = one
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None:
            task = loop.create_task(run())
            self._tasks.add(task)
            task.add_done_callback(lambda t: (self._tasks.discard(t), finish(*t.result())))
        else:
            # The caller's context goes along: inside a bridge worker it names the loop that owns
            # the caller's async engines, so the candidate runs there, not on some other loop.
            context = contextvars.copy_context()
            self._executor().submit(context.run, lambda: finish(*bridge.run_sync(run())))

    def _executor(self) -> concurrent.futures.ThreadPoolExecutor:
        if self._pool is None:
            with self._lock:
                if self._pool is None:
                    self._pool = concurrent.futures.ThreadPoolExecutor(
                        max_workers=min(32, self.max_in_flight), thread_name_prefix="asyncshift-checker"
                    )
        return self._pool

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for the checks in flight (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while self._in_flight and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        flush = getattr(self.recorder, "flush", None)
        if flush is not None:
            flush()

    def drain_sync(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self._in_flight and time.monotonic() < deadline:
            time.sleep(0.005)
        flush = getattr(self.recorder, "flush", None)
        if flush is not None:
            flush()
