"""``Turns``: at most ``limit`` at once, the others in arrival order, and a turn never lost to a
cancelled waiter."""

from __future__ import annotations

import asyncio

import pytest

from compat.web.turns import Turns


async def take(turns: Turns) -> None:
    if turns.free and not turns.waiting:
        turns.free -= 1
    else:
        await turns.wait()


async def test_waiters_are_served_in_arrival_order_and_never_more_than_the_limit():
    turns = Turns(2)
    order: list[int] = []
    inside = 0
    most = 0
    release = asyncio.Event()

    async def request(n: int) -> None:
        nonlocal inside, most
        await take(turns)
        try:
            inside += 1
            most = max(most, inside)
            order.append(n)
            await release.wait()
            inside -= 1
        finally:
            turns.leave()

    tasks = []
    for n in range(6):
        tasks.append(asyncio.create_task(request(n)))
        await asyncio.sleep(0)  # arrive in this order
    await asyncio.sleep(0)
    assert order == [0, 1] and len(turns.waiting) == 4
    release.set()
    await asyncio.gather(*tasks)
    assert order == [0, 1, 2, 3, 4, 5] and most == 2 and turns.free == 2 and not turns.waiting


async def test_a_new_arrival_does_not_overtake_a_waiter():
    turns = Turns(1)
    await take(turns)
    waiter = asyncio.create_task(take(turns))
    await asyncio.sleep(0)
    turns.leave()  # handed to the waiter, not freed
    assert turns.free == 0
    late = asyncio.create_task(take(turns))
    await asyncio.sleep(0)
    assert waiter.done() and not late.done()
    turns.leave()
    await late
    turns.leave()
    assert turns.free == 1


async def test_a_waiter_cancelled_after_being_handed_its_turn_passes_it_on():
    turns = Turns(1)
    await take(turns)
    first = asyncio.create_task(take(turns))
    second = asyncio.create_task(take(turns))
    await asyncio.sleep(0)
    turns.leave()  # handed to first...
    first.cancel()  # ...which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await first
    await asyncio.wait_for(second, 1)  # the turn went on to second
    turns.leave()
    assert turns.free == 1 and not turns.waiting


async def test_a_waiter_cancelled_while_waiting_leaves_the_line():
    turns = Turns(1)
    await take(turns)
    waiter = asyncio.create_task(take(turns))
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    turns.leave()
    assert turns.free == 1 and not turns.waiting


def test_a_limit_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        Turns(0)
