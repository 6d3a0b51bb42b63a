"""``_run_to_end`` (written into a converted unittest module) keeps one event loop in the main thread.

A loop made and closed per call freed its epoll and self-pipe descriptors each time and the next loop took the same
numbers. A descriptor number closed twice (a test's file object whose descriptor the code under test closed through
``os.fdopen``, collected later) then closed the running loop's epoll: 'OSError: [Errno 9] Bad file descriptor' in
whichever test ran next, in its ``setUp`` mid-commit, and every later ``setUp`` failed on the session it left.
"""

from __future__ import annotations

import subprocess
import sys

from codemods.sqlalchemy_to_async import unittest_cases

SCRIPT = """\
import asyncio, os, tempfile, threading

{helper}

async def value(x):
    await asyncio.sleep(0)
    return x

assert _run_to_end(value(1)) == 1  # a test's setUp, before
held = []
handle = open(tempfile.mktemp(), "wb")  # the test's file; the code under test closes its descriptor
os.close(handle.fileno())
held.append(handle)
del handle


async def collected_meanwhile():
    held.clear()  # the file object closes its number again
    await asyncio.sleep(0.01)
    return "done"


assert _run_to_end(collected_meanwhile()) == "done"


async def raising():
    raise ValueError("the test's own failure")


try:
    _run_to_end(raising())
except ValueError:
    pass
assert _run_to_end(value(2)) == 2  # a failed call leaves the loop usable


async def nested():
    return _run_to_end(value(3))  # a loop runs here: another, in a thread of its own


assert _run_to_end(nested()) == 3
done = []
worker = threading.Thread(target=lambda: done.append(_run_to_end(value(4))))
worker.start()
worker.join()
assert done == [4]
print("ok")
"""


def test_a_descriptor_closed_twice_between_calls_does_not_reach_the_next_calls_loop(tmp_path):
    helper = unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER)
    script = tmp_path / "run.py"
    script.write_text(SCRIPT.format(helper=helper))
    done = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", str(script)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
