"""compat.fairpool: a returned connection goes to the task that has waited longest."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.util import greenlet_spawn
from sqlalchemy.util.queue import AsyncAdaptedQueue, Empty

from compat.fairpool import FairAsyncQueue


async def served_in_order(queue_class: type) -> list[tuple[str, str]]:
    """A task returns the only connection and at once asks for one again (as a request does
    between two units of work) while another task is waiting: who gets it?"""
    queue = queue_class(maxsize=2)
    queue.put_nowait("c1")
    await greenlet_spawn(queue.get, True, 5)  # the only connection is in use
    served: list[tuple[str, str]] = []

    async def ask(name: str) -> None:
        served.append((name, await greenlet_spawn(queue.get, True, 5)))

    waiting = asyncio.create_task(ask("waiting"))
    await asyncio.sleep(0.01)
    asyncio.get_running_loop().call_later(0.05, queue.put_nowait, "c2")  # another one, later
    queue.put_nowait("c1")  # returned...
    await ask("returning")  # ...and asked for again in the same step
    await asyncio.wait_for(waiting, 5)
    return sorted(served, key=lambda s: s[1])


async def test_a_returned_connection_goes_to_the_longest_waiter():
    assert await served_in_order(FairAsyncQueue) == [("waiting", "c1"), ("returning", "c2")]


async def test_sqlalchemys_queue_lets_a_newcomer_take_it():  # why this module exists
    assert await served_in_order(AsyncAdaptedQueue) == [("returning", "c1"), ("waiting", "c2")]


async def test_a_waiter_that_times_out_leaves_the_line_and_raises_empty():
    queue = FairAsyncQueue(maxsize=1)
    with pytest.raises(Empty):
        await greenlet_spawn(queue.get, True, 0.01)
    queue.put_nowait("c1")  # nobody waits any more: it stays idle for the next one
    assert await greenlet_spawn(queue.get, True, 1) == "c1"


async def test_a_cancelled_waiter_hands_on_what_it_was_given():
    queue = FairAsyncQueue(maxsize=1)
    gone = asyncio.create_task(greenlet_spawn(queue.get, True, 5))
    await asyncio.sleep(0.01)
    after = asyncio.create_task(greenlet_spawn(queue.get, True, 5))
    await asyncio.sleep(0.01)
    gone.cancel()
    queue.put_nowait("c1")
    assert await asyncio.wait_for(after, 5) == "c1"
