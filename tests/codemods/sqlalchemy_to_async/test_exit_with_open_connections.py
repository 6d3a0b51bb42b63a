"""A converted program ends with aiosqlite connections still open: the async db helpers stop their threads
before the interpreter waits for them (a session nobody closed kept a converted test suite from exiting)."""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

TEMPLATES = Path(__file__).resolve().parents[3] / "asyncshift/codemods/sqlalchemy_to_async/template"


@pytest.mark.parametrize("helper", ["_flask_sqlalchemy_async", "_alchemical_async"])
def test_an_open_aiosqlite_connection_is_stopped_before_the_interpreter_waits_for_it(helper, tmp_path, monkeypatch):
    if helper == "_alchemical_async":
        pytest.importorskip("alchemical")
    monkeypatch.syspath_prepend(str(TEMPLATES))
    module = importlib.import_module(helper)
    hooks = list(threading._threading_atexits)
    engine = module._stopped_at_exit(create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"))
    registered = [hook for hook in threading._threading_atexits if hook not in hooks]
    threading._threading_atexits[:] = hooks  # this process's own exit is not the test's

    async def open_and_keep():
        connection = await engine.connect()
        await connection.execute(text("select 1"))
        return connection, (await connection.get_raw_connection()).driver_connection

    kept, raw = asyncio.run(open_and_keep())
    assert raw._thread.is_alive()  # what the interpreter would wait for at exit, for ever
    assert len(registered) == 1
    registered[0]()
    raw._thread.join(5)
    assert not raw._thread.is_alive()
    sys.modules.pop(helper, None)
