"""Per-call overhead of compat.bridge beside the usual tools, side by side in one run.

    .venv/bin/python bench/bench_bridge.py [--rounds 7] [--scale 1.0]

Each row: median over rounds of the mean µs per call of a trivial callee (an ``async def`` that
returns at once, or a ``def`` that returns at once), so only the bridging is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio.to_thread
from asgiref.sync import async_to_sync
from sqlalchemy.util import await_only, greenlet_spawn

from compat import bridge
from compat.bridge import register_loop, to_async, to_sync, unregister_loop

T = TypeVar("T")


async def acallee(x: int) -> int:
    return x


def callee(x: int) -> int:
    return x


def per_call(fn: Callable[[], object], n: int, rounds: int) -> float:
    """Median over ``rounds`` of the mean µs per call of ``n`` calls."""
    return interleaved({"": (fn, n)}, rounds)[""]


def interleaved(cases: dict[str, tuple[Callable[[], object], int]], rounds: int) -> dict[str, float]:
    """``per_call`` for several cases at once, their rounds taken in turn, so that noise from
    other processes on the machine falls on all of them alike."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for fn, _ in cases.values():
        fn()  # warm up (threads, loops, imports)
    for _ in range(rounds):
        for name, (fn, n) in cases.items():
            start = time.perf_counter()
            for _ in range(n):
                fn()
            samples[name].append((time.perf_counter() - start) / n * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def in_plain_thread(measure: Callable[[], T]) -> T:
    out: list[T] = []
    thread = threading.Thread(target=lambda: out.append(measure()))
    thread.start()
    thread.join()
    return out[0]


async def interleaved_async(cases: dict[str, Callable[[], Awaitable[object]]], n: int, rounds: int) -> dict[str, float]:
    """``interleaved`` for awaitable factories, timed inside the running loop."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for make in cases.values():
        await make()
    for _ in range(rounds):
        for name, make in cases.items():
            start = time.perf_counter()
            for _ in range(n):
                await make()
            samples[name].append((time.perf_counter() - start) / n * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def sync_side(n: int, rounds: int) -> list[tuple[str, float]]:
    bridged = to_sync(acallee)
    asgiref_fn = async_to_sync(acallee)

    def no_loop_cases() -> dict[str, float]:
        with asyncio.Runner() as runner:
            return interleaved(
                {
                    "to_sync, shared loop run by the caller": (lambda: bridged(1), n),
                    "reused asyncio.Runner": (lambda: runner.run(acallee(1)), n),
                    "asyncio.run per call": (lambda: asyncio.run(acallee(1)), max(n // 5, 20)),
                    "asgiref async_to_sync": (lambda: asgiref_fn(1), max(n // 20, 20)),
                },
                rounds,
            )

    rows = [(f"{name}, plain thread", us) for name, us in in_plain_thread(no_loop_cases).items()]
    main_thread = no_loop_cases()
    rows += [
        (f"{name}, main thread", main_thread[name])
        for name in ("to_sync, shared loop run by the caller", "reused asyncio.Runner")
    ]

    # keep a task alive on the shared loop: the daemon thread runs it, callers hop to it
    stop = threading.Event()

    async def keep_daemon_busy() -> None:
        async def idle() -> None:
            while not stop.is_set():
                await asyncio.sleep(0.05)

        asyncio.get_running_loop().create_task(idle())

    to_sync(keep_daemon_busy)()
    rows.append(
        (
            "to_sync, plain thread, shared loop held by its daemon",
            in_plain_thread(lambda: per_call(lambda: bridged(1), n, rounds)),
        )
    )
    stop.set()
    time.sleep(0.2)

    app_loop = asyncio.new_event_loop()
    app_thread = threading.Thread(target=app_loop.run_forever, daemon=True)
    app_thread.start()
    register_loop(app_loop)
    try:
        foreign = in_plain_thread(
            lambda: interleaved(
                {
                    "to_sync, foreign thread, registered app loop": (lambda: bridged(1), n),
                    "asyncio.run_coroutine_threadsafe(...).result()": (
                        lambda: asyncio.run_coroutine_threadsafe(acallee(1), app_loop).result(),
                        n,
                    ),
                },
                rounds,
            )
        )
        rows += list(foreign.items())
    finally:
        unregister_loop()
        app_loop.call_soon_threadsafe(app_loop.stop)
        app_thread.join()
        app_loop.close()

    async def in_greenlet() -> dict[str, float]:
        return await greenlet_spawn(
            interleaved,
            {
                "to_sync inside a greenlet (to_async blocking=False)": (lambda: bridged(1), n),
                "SQLAlchemy await_only inside a greenlet": (lambda: await_only(acallee(1)), n),
            },
            rounds,
        )

    rows += list(to_sync(in_greenlet)().items())
    return rows


def async_side(n: int, rounds: int) -> list[tuple[str, float]]:
    bridged = to_async(callee)
    cheap = to_async(callee, blocking=False)
    cases = {
        "to_async(blocking=True): bridge worker thread": lambda: bridged(1),
        "anyio.to_thread.run_sync": lambda: anyio.to_thread.run_sync(callee, 1),
        "asyncio.to_thread": lambda: asyncio.to_thread(callee, 1),
        "to_async(blocking=False): greenlet on the loop": lambda: cheap(1),
        "SQLAlchemy greenlet_spawn": lambda: greenlet_spawn(callee, 1),
    }
    return list(to_sync(interleaved_async)(cases, n, rounds).items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the calls per round")
    args = parser.parse_args()
    n = max(int(2000 * args.scale), 20)

    sync_rows = sync_side(n, args.rounds)
    async_rows = async_side(n, args.rounds)
    figures = dict(sync_rows + async_rows)

    ours = figures["to_sync, shared loop run by the caller, plain thread"]
    width = max(len(name) for name in figures)
    for title, rows, base in (
        ("async callee from sync code", sync_rows, ours),
        ("sync callee from async code", async_rows, figures["to_async(blocking=True): bridge worker thread"]),
    ):
        print(f"\n{title:<{width}}  {'µs/call':>8}  {'x ours':>7}")
        for name, us in rows:
            print(f"{name:<{width}}  {us:8.1f}  {us / base:7.2f}")

    runner = figures["reused asyncio.Runner, plain thread"]
    asgiref = figures["asgiref async_to_sync, plain thread"]
    to_thread = figures["to_async(blocking=True): bridge worker thread"]
    anyio_ = figures["anyio.to_thread.run_sync"]
    print("\ngoals")
    print(f"  to_sync vs asgiref async_to_sync (plain thread): {asgiref / ours:5.1f}x faster  (goal >= 10x)")
    print(f"  to_sync vs reused asyncio.Runner (plain thread): {ours / runner:5.2f}x          (goal <= 1.5x)")
    print(f"  to_async(blocking=True) vs anyio.to_thread:      {to_thread / anyio_:5.2f}x          (goal <= 1.0x)")
    print(f"  bridge worker threads: {bridge.max_workers()}")


if __name__ == "__main__":
    main()
