"""An extension's view decorator calling the view through ``current_app.ensure_sync`` on a view that is async.

Flask-Limiter's ``limit()`` wrapper ends with ``current_app.ensure_sync(view)(*args, **kwargs)``: in Flask that runs
an ``async def`` view to its end (asgiref, Flask's ``async`` extra). On the converted app, the view made async
(``async def`` already, or by sqlalchemy-to-async) ran under the wrapper in the Flask request context
(``flask_request``), and Flask's ``ensure_sync`` raised "Install Flask with the 'async' extra in order to use async
views" (a 500 on every request to it), or, the extra installed, ran the coroutine on a loop of its own, away from the
app's. The Flask app behind the extensions hands the coroutine function back: the wrapper gives back its coroutine,
and ``flask_request`` awaits it on the app's loop. A stand-in extension (``flask_gate``, not converted) plays
Flask-Limiter's part.
"""

from __future__ import annotations

import asyncio

import pytest
from side_by_side import converted_with_library
from starlette.testclient import TestClient

EXTENSION = """\
import functools

import flask


class Gate:
    def __init__(self):
        self.calls = 0

    def counted(self, view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            self.calls += 1
            return flask.current_app.ensure_sync(view)(*args, **kwargs)

        return wrapper
"""
VIEWS = """\
import asyncio

from flask import Blueprint, Flask, jsonify
from flask_gate import Gate

gate = Gate()
bp = Blueprint('api', __name__)


@bp.route('/items/<int:item_id>')
@gate.counted
async def item(item_id):
    await asyncio.sleep(0)
    return jsonify(id=item_id, loop=id(asyncio.get_running_loop()))


@bp.route('/plain')
@gate.counted
def plain():
    return jsonify(ok=True)


app = Flask(__name__)
app.register_blueprint(bp)
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    files = {"shop/__init__.py": "", "shop/views.py": VIEWS}
    root = tmp_path_factory.mktemp("gate")
    with converted_with_library(root, {"flask_gate": EXTENSION}, files, "shop.views") as app:
        yield app


def test_an_async_view_called_through_ensure_sync_runs_on_the_apps_loop(converted):
    @converted.get("/loop-of-the-app")
    async def loop_of_the_app():
        return {"loop": id(asyncio.get_running_loop())}

    with TestClient(converted) as client:  # one loop for both requests
        answer = client.get("/items/7")
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"id": 7, "loop": client.get("/loop-of-the-app").json()["loop"]}


def test_a_sync_view_called_through_ensure_sync_is_unchanged(converted):
    answer = TestClient(converted).get("/plain")
    assert (answer.status_code, answer.json()) == (200, {"ok": True})
