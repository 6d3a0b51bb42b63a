"""The Flask-SQLAlchemy helper's own ``_run_to_end`` (a template's coroutine call, an RQ job, ``drop_all`` closing the
sessions still in a transaction, an app factory's replaced engine disposed) keeps one event loop per thread.

A loop made and closed per call freed its epoll and self-pipe descriptors each time and the next loop took the same
numbers, so a number closed twice elsewhere (a test's file object whose descriptor the code under test closed through
``os.fdopen``, collected later) closed a running loop's epoll: 'OSError: [Errno 9] Bad file descriptor'. What a call
opened on its loop (an async driver's pooled connection stays on its loop) was left on a closed loop instead of
going back to that loop's pool for the next call.
"""

from __future__ import annotations

from pathlib import Path

from codemod_helpers import run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = """\
import os

from flask_sqlalchemy import SQLAlchemy


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE_URL"]}
    hooks = {"teardown": []}


app = App()
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)

    def count(self):
        return db.session.query(User).count()
"""

RUN = """\
import asyncio, os, tempfile, threading

import _flask_sqlalchemy_async as helper

loops = []


async def value(x):
    loops.append(asyncio.get_running_loop())
    await asyncio.sleep(0)
    return x


assert helper._run_to_end(value(1)) == 1
held = []
handle = open(tempfile.mktemp(), "wb")  # a test's file; the code under test closes its descriptor
os.close(handle.fileno())
held.append(handle)
del handle


async def collected_meanwhile():
    held.clear()  # the file object closes its number again
    await asyncio.sleep(0.01)
    return "done"


assert helper._run_to_end(collected_meanwhile()) == "done"


async def raising():
    raise ValueError("the caller's own failure")


try:
    helper._run_to_end(raising())
except ValueError:
    pass
assert helper._run_to_end(value(2)) == 2  # a failed call leaves the loop usable
assert len({id(loop) for loop in loops}) == 1, "a loop per call in the main thread"


async def nested():
    return helper._run_to_end(value(3))  # a loop runs here: another, in a thread of its own


assert helper._run_to_end(nested()) == 3
assert loops[-1] is not loops[0] and loops[-1].is_closed()  # that thread's loop ends with its call
worker_loops = []


def worker():
    for x in (4, 5):
        assert helper._run_to_end(value(x)) == x
        worker_loops.append(loops[-1])


thread = threading.Thread(target=worker)
thread.start()
thread.join()
assert worker_loops[0] is worker_loops[1] and worker_loops[0] is not loops[0]
del thread
import gc

gc.collect()
assert worker_loops[0].is_closed(), "a thread's loop is closed when the thread ends"
print("ok")
"""


def test_the_helpers_run_to_end_keeps_one_loop_per_thread(tmp_path: Path):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "_flask_sqlalchemy_async.py" in notes.files
    done = run_with_flask_db(tmp_path, converted, notes, "file", RUN)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")
