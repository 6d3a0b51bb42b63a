"""The web benchmarks' load generator, and the figures read from what it measured.

An asyncio HTTP/1.1 keep-alive client: one connection per simulated user, each sending its next
request as soon as the last one answered. Answers count when they arrive inside the measured
window, as wrk counts them: at 1000 connections a slow stack's answers take longer than the
window, and counting only requests sent inside it would show none.
"""

import asyncio
import statistics
import time
from dataclasses import dataclass, field

from web_upstream import HOST, content_length


@dataclass
class Result:
    completed: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    answered: int = 0  # every answer, warm-up included (for the server's CPU per request)
    cpu_seconds: float = 0.0  # the server process's user + system time over the whole cell


async def load(
    port: int, path: str, token: str, connections: int, warmup: float, duration: float, timeout: float
) -> Result:
    request = (
        f"GET {path} HTTP/1.1\r\nhost: {HOST}:{port}\r\nauthorization: Bearer {token}\r\n"
        "user-agent: bench_web\r\naccept: */*\r\n\r\n"
    ).encode()
    start = time.perf_counter() + 0.5  # every connection opened before anyone counts
    window = (start + warmup, start + warmup + duration)
    result = Result()

    def failed() -> None:  # a failure counts once the window has begun (a timeout may be seen after it)
        if time.perf_counter() >= window[0]:
            result.errors += 1

    async def user() -> None:
        reader = writer = None
        while time.perf_counter() < window[1]:
            if writer is None:
                try:
                    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
                except (TimeoutError, OSError):
                    failed()
                    await asyncio.sleep(0.05)
                    continue
            sent = time.perf_counter()
            try:
                writer.write(request)
                status = await asyncio.wait_for(read_response(reader), timeout)  # type: ignore[arg-type]
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                writer.close()
                reader = writer = None
                failed()
                continue
            answered = time.perf_counter()
            result.answered += 1
            if window[0] <= answered <= window[1]:  # answered inside the window, whenever it was sent
                if 200 <= status < 300:
                    result.completed += 1
                    result.latencies.append(answered - sent)
                else:
                    result.errors += 1
        if writer is not None:
            writer.close()

    await asyncio.gather(*(user() for _ in range(connections)))
    return result


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = content_length(head)
    if length:
        await reader.readexactly(length)
    return status


def cpu_ms(result: Result) -> float:
    """The server's CPU milliseconds per answer over the whole cell (warm-up included)."""
    return result.cpu_seconds * 1000 / result.answered if result.answered else float("nan")


def stats(result: Result, duration: float) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) of the answers inside the measured window."""
    if not result.latencies:
        return 0.0, float("nan"), float("nan")
    ordered = sorted(result.latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return result.completed / duration, p50, p99


def line(result: Result, duration: float) -> str:
    """One cell's figures on one line, as the runs print them while they go."""
    rps, p50, p99 = stats(result, duration)
    return (
        f"{rps:8.0f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  errors {result.errors}  "
        f"cpu {cpu_ms(result):5.2f} ms/req"
    )
