"""One HTTP suite, seven ways to serve it, two databases.

``client`` drives, through ``httpx.ASGITransport``, one of: Flask alone (under a2wsgi), FastAPI
alone, or the strangler in front of both with every web target at ``sync``, at ``async``, mixed
(and the services and repositories mixed below them), at ``shadow`` and at ``live``. Every test
expects the same answers from each. Under ``shadow``/``live`` each response waits for its replay
(so the next request cannot change what the replay reads) and, at teardown, every replay must
have matched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from a2wsgi import WSGIMiddleware
from web.harness import Person, person

from admin_assistant.aio.web import create_app as create_fastapi_app
from admin_assistant.sync.web import create_app as create_flask_app
from admin_assistant.wiring.app import Application, build
from admin_assistant.wiring.web import build_strangler
from compat import bridge
from compat.db import Database
from compat.flags import FlagStore
from compat.shadow import MemoryRecorder

SECRET = "test-secret-key"

FLAGS = {
    "strangler-sync": "default: sync\n",
    "strangler-async": "default: async\n",
    "strangler-mixed": (
        "default: sync\n"
        "targets:\n"
        "  web.routes.users: async\n"
        "  web.routes.appointments: async\n"
        "  web.routes.archive: async\n"
        "  web.routes.pages: async\n"
        "  services.calendars: async\n"
        "  services.archive: async\n"
        "  repositories.appointments: async\n"
        "  repositories.users: async\n"
    ),
    "strangler-shadow": "default: sync\ntargets:\n  web: shadow\n",
    "strangler-live": "default: sync\ntargets:\n  web: live\n",
}
VARIANTS = ["flask", "fastapi", *FLAGS]


@dataclass
class Stack:
    """One way of serving the app, over one database."""

    variant: str
    application: Application
    recorder: MemoryRecorder
    app: Any
    flags_path: Path

    @property
    def compares(self) -> bool:
        return self.variant in ("strangler-shadow", "strangler-live")


_stacks: dict[tuple[str, str], Stack] = {}


def make_stack(variant: str, database: Database, folder: Path) -> Stack:
    flags_path = folder / f"flags-{variant}.yaml"
    flags_path.write_text("version: 1\nrollback: false\n" + FLAGS.get(variant, "default: sync\n"))
    recorder = MemoryRecorder()
    application = build(database, store=FlagStore(flags_path, poll_interval=0.05), recorder=recorder)
    if variant == "flask":
        app: Any = WSGIMiddleware(create_flask_app(application, secret=SECRET), workers=16)
    elif variant == "fastapi":
        app = create_fastapi_app(application, secret=SECRET)
    else:
        app = build_strangler(application, secret=SECRET, scheduling=False)
    return Stack(variant, application, recorder, app, flags_path)


@pytest.fixture(params=VARIANTS)
def stack(request: pytest.FixtureRequest, clean_database: Database, tmp_path_factory: pytest.TempPathFactory) -> Stack:
    key = (request.param, str(clean_database.url))
    if key not in _stacks:
        _stacks[key] = make_stack(request.param, clean_database, tmp_path_factory.mktemp("web"))
    found = _stacks[key]
    found.recorder.comparisons.clear()
    return found


@pytest.fixture(autouse=True)
async def registered_loop() -> AsyncIterator[None]:
    """Flask views reach async code on the tests' loop, as they do on the server's. Registered per
    test (every replay is awaited before its response returns): left registered, the loop would
    be "registered but not running" for the sync tests of other suites that run in between."""
    bridge.register_loop()
    yield
    bridge.unregister_loop()


@pytest.fixture
async def client(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    hooks: dict[str, list[Any]] = {}
    if stack.compares:

        async def wait_for_replay(_response: httpx.Response) -> None:
            await stack.application.checker.drain()

        hooks["response"] = [wait_for_replay]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(stack.app), base_url="http://testserver", event_hooks=hooks
    ) as http:
        yield http
    if stack.compares:
        await stack.application.checker.drain()
        web = [c for c in stack.recorder.comparisons if c.target.startswith("web")]
        bad = [f"{c.method}: {c.status} {c.diff} {c.candidate_error or ''}" for c in web if not c.matched]
        assert not bad, "replays that differ:\n" + "\n".join(bad)


@pytest.fixture
async def ada(stack: Stack) -> Person:
    return await person(stack.application, "ada@example.org", "Ada Lovelace", "Europe/London")


@pytest.fixture
async def grace(stack: Stack) -> Person:
    return await person(stack.application, "grace@example.org", "Grace Hopper")
