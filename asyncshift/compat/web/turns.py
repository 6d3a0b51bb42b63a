"""``Turns``: at most ``limit`` requests at once, the others served in arrival order.

An ``asyncio.Semaphore`` does the same, but every request pays for its ``acquire`` coroutine, its
``locked()`` scan of the waiters and its ``release``: five calls on the strangler's hot path. Here
a request that finds a free turn and nobody waiting takes it with two attribute reads, inline
(``free and not waiting``); only a request that must wait pays for ``wait()``.
"""

from __future__ import annotations

import asyncio
import collections


class Turns:
    """``if turns.free and not turns.waiting: turns.free -= 1 else: await turns.wait()``, then
    ``turns.leave()`` when done (in a ``finally``). Made on the loop that uses it."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"Turns needs a limit of at least 1, got {limit}")
        self.free = limit
        self.waiting: collections.deque[asyncio.Future[None]] = collections.deque()

    async def wait(self) -> None:
        """Wait for a turn behind the requests that came first."""
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # handed a turn, then cancelled: pass it on
                self.leave()
            elif turn in self.waiting:  # else ``leave`` has already dropped it
                self.waiting.remove(turn)
            raise

    def leave(self) -> None:
        """Hand the turn to the first request waiting, or free it."""
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self.free += 1
