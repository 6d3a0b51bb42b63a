"""An extension's sync decorator (``@jwt_required``: its wrapper calls the view and returns what it gives) on a view
that is ``async def`` (sqlalchemy-to-async makes a converted view async when it awaits the database): the wrapper
gives the view's coroutine, awaited in the Flask request context, its body read first (no 500 reading the request
synchronously on the event loop)."""

from __future__ import annotations

import sys

import pytest
from side_by_side import convert_tree, load
from starlette.testclient import TestClient

EXTENSION = """\
import functools

import flask
from werkzeug.local import LocalProxy


def token_required(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if flask.request.headers.get('Authorization') != 'Token secret':
            flask.abort(401)
        flask.g.token_user = flask.request.get_json()['user'] + ':' + flask.request.method
        return fn(*args, **kwargs)

    return wrapper


current_user = LocalProxy(lambda: flask.g.token_user)
"""
VIEWS = """\
from flask import Flask, jsonify
from flask_tokens import current_user, token_required

app = Flask(__name__)


@app.route('/me/<int:n>', methods=['POST'])
@token_required
async def me(n):
    return jsonify(user=str(current_user), n=n)
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("tokens_async")
    (root / "lib").mkdir()
    (root / "lib" / "flask_tokens.py").write_text(EXTENSION)  # installed, not converted
    package = root / "src" / "atokens"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "views.py").write_text(VIEWS)
    convert_tree(root / "src", root / "out")
    assert "async def me(n: int):" in (root / "out" / "atokens" / "views.py").read_text()
    sys.path.insert(0, str(root / "lib"))
    try:
        yield TestClient(load(root / "out", "atokens.views"))
    finally:
        sys.path.remove(str(root / "lib"))
        for name in [n for n in sys.modules if n in ("atokens", "flask_tokens") or n.startswith("atokens.")]:
            del sys.modules[name]


def test_the_async_view_runs_in_the_request_context_the_sync_wrapper_made(client):
    answer = client.post("/me/3", json={"user": "ann"}, headers={"Authorization": "Token secret"})
    assert (answer.status_code, answer.json()) == (200, {"user": "ann:POST", "n": 3})


def test_the_extensions_own_abort_answers(client):
    assert client.post("/me/3", json={"user": "ann"}).status_code == 401
