"""What one side of a side-by-side check did: its value or its exception, and how long it took."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any


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


def timed_call(fn: Callable[[], Any]) -> Outcome:
    """Run one side's sync callable; what it raised is kept, never raised."""
    start = time.perf_counter()
    try:
        return Outcome(value=fn(), seconds=time.perf_counter() - start)
    except Exception as exc:
        return Outcome(error=exc, seconds=time.perf_counter() - start)


async def timed_await(fn: Callable[[], Awaitable[Any]], timeout: float | None = None) -> Outcome:
    """Await one side's async callable, under ``timeout`` when given; what it raised is kept, never raised."""
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
