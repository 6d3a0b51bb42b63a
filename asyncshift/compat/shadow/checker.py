"""The checker: runs the checking side of a call off the caller's path (sampled, bounded in flight
and in time, under a timeout, on either colour), then compares and records the two sides."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import logging
import random
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from compat import bridge
from compat.shadow.budget import ShareBudget
from compat.shadow.comparison import compare
from compat.shadow.outcome import Outcome, timed_await
from compat.shadow.recorders import Recorder

log = logging.getLogger(__name__)

DROP_LOG_INTERVAL = 60.0  # seconds between two log lines about unchecked calls


class CheckSettings(NamedTuple):
    """The settings checks run under now: the flags' ``shadow`` ones when the checker reads them."""

    sample_rate: float
    timeout: float
    ignore_fields: tuple[str, ...]
    max_in_flight: int
    max_share: float | None


@dataclass
class Checker:
    """Runs checking sides off the caller's path and records how they compare.

    ``sample_rate``, ``timeout``, ``ignore_fields``, ``max_in_flight`` and ``max_share`` come from
    the flags' ``shadow`` settings when a ``settings`` callable is given (read per run, so edits
    apply). A check that would exceed ``max_in_flight`` is dropped and counted, never queued.

    ``max_share`` bounds what checking costs the served path (see ``ShareBudget``): the checks of
    this process may take at most that share of the wall-clock time; a sampled call beyond it
    skips its check and is counted as dropped.

    Optional: ``noise`` (a ``compat.noise.NoiseLearner``) learns from a second run of the served
    side, when ``check`` is given ``served_again``, which fields differ by nature; ``inputs`` (a
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
    budget: ShareBudget = field(default_factory=ShareBudget, repr=False)
    _drop_logged_at: float = float("-inf")
    _drop_logged_count: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _pool: concurrent.futures.ThreadPoolExecutor | None = None
    noise: Any = None
    inputs: Any = None

    def in_force(self) -> CheckSettings:
        """The settings a check would run under now: the flags' ``shadow`` settings when the checker
        was given ``settings``, else its own fields."""
        if self.settings is None:
            return CheckSettings(self.sample_rate, self.timeout, self.ignore_fields, self.max_in_flight, self.max_share)
        shadow = self.settings()
        return CheckSettings(
            shadow.sample_rate,
            shadow.timeout,
            tuple(shadow.ignore_fields),
            shadow.max_in_flight or self.max_in_flight,
            shadow.max_share,
        )

    def wants(self) -> bool:
        """Check this call? Cheap: a random draw for the sample, then no (counted as dropped) when
        the checks in flight or the time checks took already fill their bounds."""
        rate, _timeout, _ignore, limit, share = self.in_force()
        if rate < 1.0 and random.random() >= rate:
            return False
        if self._in_flight >= limit or (
            share is not None and share < 1.0 and not self.budget.admit(share, self.clock())
        ):
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
        log.info(
            "sampled calls left unchecked since the last report: %d (the checks in flight or their time "
            "filled shadow.max_in_flight / shadow.max_share; raise them to check more, at more cost)",
            unlogged,
        )

    def check(
        self,
        *,
        target: str,
        method: str,
        stage: str,
        served_side: str,
        served: Outcome,
        checking: Callable[[], Any],
        checking_is_async: bool,
        served_again: Callable[[], Any] | None = None,
        served_again_is_async: bool = False,
        arguments: tuple[tuple, dict] | None = None,
    ) -> None:
        """Start the checking side in the background; compare and record when it ends.

        ``served_side`` (``old`` or ``new``) is the path whose answer the caller got, ``served``
        what it did; ``checking`` runs the other path (``checking_is_async``: it returns an
        awaitable). ``served_again`` re-runs the served side (reads only) so ``noise`` can learn
        from it; ``arguments`` are the call's ``(args, kwargs)``, kept by ``inputs`` when JSON-able."""
        _rate, timeout, ignore, limit, share = self.in_force()
        started, charged = self.clock(), self.budget.typical  # about what admitting this call paid
        if arguments is not None and self.inputs is not None:
            self.inputs.offer(target, method, *arguments)
        learn = served_again is not None and self.noise is not None and self.noise.wants(target, method)
        with self._lock:
            full = self._in_flight >= limit
            if not full:
                self._in_flight += 1
        if full:
            self._drop()
            return

        def finish(checked: Outcome, again: Outcome | None = None) -> None:
            try:
                noise = None
                if self.noise is not None:
                    if again is not None and again.error is None and served.error is None:
                        self.noise.observe(target, method, served.value, again.value)
                    noise = lambda found: self.noise.filter(target, method, found)  # noqa: E731
                self.recorder.record(compare(target, method, stage, served_side, served, checked, ignore, noise))
            except Exception:
                log.exception("side-by-side record for %s.%s failed", target, method)
            finally:
                now = self.clock()  # charged before the check leaves the flight: drain() waits for both
                self.budget.charge(now - started, charged, share, now)
                with self._lock:
                    self._in_flight -= 1

        if not checking_is_async:  # a worker thread runs it, so the timeout can abandon it
            sync_checking = checking
            checking = lambda: bridge.call_async(sync_checking)  # noqa: E731
        if learn:
            assert served_again is not None
            again_fn = served_again if served_again_is_async else (lambda: bridge.call_async(served_again))
            only_checking = checking

            async def both() -> tuple[Outcome, Outcome]:
                return tuple(await asyncio.gather(timed_await(only_checking, timeout), timed_await(again_fn, timeout)))

            run: Callable[[], Awaitable[Any]] = both
        else:
            single = checking

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
            # the caller's async engines, so the checking side runs there, not on some other loop.
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
