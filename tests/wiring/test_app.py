"""The wired application: rollback flips while calls run, and nothing fails or is lost."""

from __future__ import annotations

import asyncio

import pytest

from admin_assistant.wiring.app import build
from compat import bridge
from compat.flags import FlagStore, set_rollback
from compat.shadow import MemoryRecorder

FLAGS = """\
version: 1
rollback: false
default: sync
targets:
  services: live
  repositories: async
"""


@pytest.fixture
def application(clean_database, tmp_path):
    path = tmp_path / "feature_flags.yaml"
    path.write_text(FLAGS)
    return build(clean_database, store=FlagStore(path, poll_interval=0.01), recorder=MemoryRecorder())


async def test_rollback_flipping_under_concurrent_writes_fails_no_call_and_loses_no_write(application):
    owner = (await application.aio.users.create("ada@example.org", "Ada")).user
    stop = asyncio.Event()
    flips = 0

    async def flipper() -> None:
        nonlocal flips
        while not stop.is_set():
            await asyncio.to_thread(set_rollback, application.store.path, flips % 2 == 0)
            flips += 1
            await asyncio.sleep(0.01)

    async def writer(n: int) -> list[int]:
        made = []
        for i in range(8):
            name = f"cal-{n}-{i}"
            if i % 2:
                made.append((await application.aio.calendars.create(owner.id, name)).id)
            else:
                made.append((await bridge.call_async(application.sync.calendars.create, owner.id, name)).id)
        return made

    flipping = asyncio.create_task(flipper())
    made = await asyncio.gather(*(writer(n) for n in range(8)))
    stop.set()
    await flipping
    await application.checker.drain()
    listed = await application.aio.calendars.list(owner.id, limit=1000)
    assert flips > 3
    assert sorted(c.id for c in listed) == sorted(i for ids in made for i in ids)
    assert len(listed) == 64
