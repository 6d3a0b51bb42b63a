"""The job fence's listeners on every engine are dispatched only while a fenced run may still send a
statement: a request served outside job runs takes none of SQLAlchemy's event path for them (it cost
18% of a request's instructions, issue 18), and a fenced run is still checked. Each case runs in a fresh
interpreter: what is on the ``Engine`` class is process-wide."""

from __future__ import annotations

import subprocess
import sys
import textwrap

PRELUDE = """
import datetime as dt, gc
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from compat.jobs import fencing

calls = []
engine = create_engine("sqlite://")
def fence():
    return fencing.Fence("job", dt.datetime(2026, 1, 1), "runner", 1, engine.url)
def statements_dispatched():
    # a listener on the engine itself would switch its own flag on: count through the fence's own
    # statement listener instead, which a lost fence in the context makes raise
    lost = fence()
    lost.lost = True
    token = fencing._current.set(lost)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        return False
    except fencing.LeaseLost:
        return True
    finally:
        fencing._current.reset(token)
"""


def run(body: str) -> None:
    script = PRELUDE + textwrap.dedent(body)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]


def test_outside_fenced_runs_engines_dispatch_nothing_and_inside_they_do() -> None:
    run("""
        assert not engine._has_events
        assert not statements_dispatched()
        with fencing.holding(fence()):
            assert engine._has_events
            assert statements_dispatched()
        assert not engine._has_events
        assert not statements_dispatched()
    """)


def test_two_runs_at_once_keep_them_until_the_last_ends() -> None:
    run("""
        one, two = fencing.holding(fence()), fencing.holding(fence())
        one.__enter__(); two.__enter__()
        one.__exit__(None, None, None)
        assert statements_dispatched()
        two.__exit__(None, None, None)
        assert not statements_dispatched()
    """)


def test_a_run_that_lost_its_lease_is_refused_until_it_is_gone() -> None:
    run("""
        left = fence()
        with fencing.holding(left):
            left.abandon()
        assert engine._has_events  # its work may still run somewhere (a bridge worker left to end)
        del left
        gc.collect()
        assert not engine._has_events
    """)


def test_someone_elses_listener_on_the_engine_class_keeps_dispatching_on() -> None:
    run("""
        seen = []
        listener = lambda *args: seen.append(args)
        event.listen(Engine, "before_execute", listener)
        with fencing.holding(fence()):
            pass
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        assert seen, "a listener of the application's on Engine was switched off"
        event.remove(Engine, "before_execute", listener)
        with fencing.holding(fence()):
            pass
        assert not engine._has_events
    """)
