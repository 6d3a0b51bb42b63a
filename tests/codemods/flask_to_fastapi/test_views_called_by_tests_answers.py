"""A view the project's tests call by hand answers them what Flask's view did: a response for ``jsonify`` of
literals, the text for a page.

``return jsonify(items=[])`` became ``return {"items": []}`` (FastAPI encodes a literal as Flask would): served,
the same answer; called by a test as a function (``search("ab").json`` in a request context it pushed), a dict, which
has no ``.json`` (AttributeError). Where the tests call the view, its literal goes through the helper's
``JSONResponse`` as its other returns do. A page (``return render_template(...)``, a str) became
``HTMLResponse(...)``, which a test reading Flask's str (``"archived" in str(page)``) met as its repr; it is now the
helper's ``make_response`` of it, the response and the text at once. A view the tests do not call is left as before.
Side by side with Flask.
"""

from __future__ import annotations

import asyncio
import inspect
import shutil
import sys

import pytest
from side_by_side import assert_same, load

from codemods import runner

VIEWS = """\
from flask import Flask, jsonify, request

app = Flask(__name__)
FOUND = {"ab": [], "abc": ["ABC"]}


@app.route("/search/<q>.json")
def search(q):
    if len(q) < 3:
        return jsonify(items=[])
    return jsonify(items=FOUND[q], path=request.path)


@app.route("/page/<name>")
def page(name):
    return f"<h1>archived {name}</h1>"


@app.route("/untested.json")
def untested():
    return jsonify(items=[])
"""

TESTS = """\
from shop.views import *


def test_by_hand():
    with app.test_request_context("/?q=ab"):
        assert search("ab").json == {"items": []}
        assert "archived ab" in str(page("ab"))
"""

BY_HAND = [("/", "search", ("ab",)), ("/x", "search", ("abc",))]
SERVED = [("GET", "/search/ab.json"), ("GET", "/search/abc.json"), ("GET", "/untested.json"), ("GET", "/page/x")]


def _answers(app, by_hand: bool) -> list:
    views = sys.modules["shop.views"]
    found = []
    for url, name, args in BY_HAND:
        with app.test_request_context(url):
            answer = getattr(views, name)(*args)
            found.append((asyncio.run(answer) if by_hand and inspect.isawaitable(answer) else answer).json)
    return found


@pytest.fixture(autouse=True)
def _forget_the_package():
    """The package this test imports is not left to the tests after it (one of theirs has that name)."""
    yield
    for name in [m for m in sys.modules if m.split(".")[0] == "shop"]:
        del sys.modules[name]


def test_views_the_tests_call_answer_as_flask_s(tmp_path):
    project = tmp_path / "project"
    (project / "shop").mkdir(parents=True)
    (project / "shop" / "__init__.py").write_text("")
    (project / "shop" / "views.py").write_text(VIEWS)
    (project / "checks").mkdir()
    (project / "checks" / "test_views.py").write_text(TESTS)
    converted = tmp_path / "converted"
    shutil.copytree(project, converted)
    runner.run("flask-to-fastapi", [converted / "shop"])
    text = (converted / "shop" / "views.py").read_text()
    assert 'return JSONResponse({"items": []})' in text
    assert 'return make_response(f"<h1>archived {name}</h1>")' in text
    assert 'def untested():\n    return {"items": []}' in text  # no test calls it: the literal, as before
    flasks = _answers(load(project, "shop.views"), by_hand=False)
    answers = _answers(load(converted, "shop.views"), by_hand=True)
    assert answers == flasks == [{"items": []}, {"items": ["ABC"], "path": "/x"}]
    with load(project, "shop.views").test_request_context("/"):
        flask_page = sys.modules["shop.views"].page("ab")
    with load(converted, "shop.views").test_request_context("/"):
        page = asyncio.run(sys.modules["shop.views"].page("ab"))
    assert str(page) == flask_page == "<h1>archived ab</h1>" and "archived" in page
    assert_same(load(project, "shop.views"), load(converted, "shop.views"), SERVED)
