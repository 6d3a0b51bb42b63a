"""A request a ``with client:`` block kept current is no longer current once the block ends, in each context it
was made current in: the test thread's own (a sync fixture's login request) and an async test's.

pytest-asyncio runs a loop scope's async tests and fixtures in a context it keeps, the sync fixtures in the test
thread's own. A suite's sync ``logged_in_client`` fixture logs in (kept in the thread's context), its async test asks
a page (kept in pytest-asyncio's), its teardown logs out and the ``client`` fixture ends the block (the thread's
again). A token is undone only in the context it was set in: the login request, replaced from the async test's
context, stayed current in the thread's, and the next module's async fixtures (copies of it) ran in it: its
database session was that request's, on the app the module before had made ("no such table"). Seen as Python 3.12's
pytest-asyncio runs it; the async context is checked where ``Task.get_context`` exists (3.12+).
"""

from __future__ import annotations

import asyncio
import contextvars
import sys

from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient
from codemods.flask_to_fastapi.testclient_contexts import helper_context

APP = """\
from flask import Flask, session

app = Flask(__name__)
app.config["SECRET_KEY"] = "s"


@app.route("/login", methods=["POST"])
def login():
    session["user"] = "ada"
    return "in"


@app.route("/home")
def home():
    return session.get("user", "nobody")


@app.route("/logout")
def logout():
    session.clear()
    return "out"
"""


def test_the_kept_requests_are_undone_where_they_were_kept(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "keptcontexts.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    app = load(tmp_path / "out", "keptcontexts")
    current = helper_context(app)._current
    client = FlaskStyleClient(app)
    kept = contextvars.copy_context()  # the async tests' context pytest-asyncio keeps

    async def async_test() -> str:
        return client.get("/home").text

    def in_kept_context(coroutine):
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(loop.create_task(coroutine, context=kept))
        finally:
            loop.close()

    with client:  # the client fixture
        assert client.post("/login").text == "in"  # the logged-in client fixture, in the thread's context
        assert in_kept_context(async_test()) == "ada"  # the test
        assert client.get("/logout").text == "out"  # the fixture's teardown
    assert current.get(None) is None  # the thread's context: no request
    if sys.version_info >= (3, 12):

        async def next_fixture():
            return current.get(None)

        assert in_kept_context(next_fixture()) is None  # the next async fixture's: none either
