"""A view the project's tests call by hand still answers their call once it takes the request.

A suite calling views as functions inside a request context it pushed (``project_list_current_json()``,
``event_activity_json(event.id)``, often after ``from app.api import *``) met the ``request: Request`` parameter the
conversion puts first: a TypeError for a view with no parameter, the id bound to ``request`` for one with a path
parameter. Such a view now takes the request last, keyword-only, defaulting to the helper's request proxy (the
request of the context the test pushed); a view calling it passes its own by name. FastAPI still hands it the
request it serves (a ``Request``-annotated parameter is injected whatever its default) and binds path parameters by
name. A view the tests do not call keeps the request first. Side by side with Flask, called by hand and served.
"""

from __future__ import annotations

import asyncio
import inspect
import shutil
import sys

import libcst as cst
from fastapi.dependencies.utils import get_dependant
from side_by_side import assert_same, load

from codemods import runner

VIEWS = """\
from flask import Flask, jsonify, request

app = Flask(__name__)


def page_size():
    return int(request.args.get("limit", "2"))


@app.route("/event/<int:event_id>/activity.json")
def activity(event_id):
    return jsonify(event=event_id, limit=int(request.args.get("limit", "3")))


@app.route("/current/activity.json")
def current_activity():
    return activity(5)


@app.route("/projects.json")
def projects():
    return jsonify(size=page_size())


@app.route("/untested/<name>")
def untested(name):
    return jsonify(name=name, path=request.path)
"""

TESTS = """\
from storefront.views import *


def test_by_hand():
    with app.test_request_context("/?limit=4"):
        assert activity(7).json == {"event": 7, "limit": 4}
        assert current_activity().json == {"event": 5, "limit": 4}
        assert projects().json == {"size": 4}
"""

BY_HAND = [("/?limit=4", "activity", (7,)), ("/", "activity", (8,)), ("/?limit=4", "current_activity", ())]
BY_HAND += [("/?limit=6", "projects", ()), ("/", "projects", ())]
SERVED = [("GET", "/event/7/activity.json?limit=9"), ("GET", "/event/7/activity.json"), ("GET", "/projects.json")]
SERVED += [("GET", "/current/activity.json?limit=1"), ("GET", "/projects.json?limit=5"), ("GET", "/untested/a")]


def _project(tmp_path):
    project = tmp_path / "project"
    (project / "storefront").mkdir(parents=True)
    (project / "storefront" / "__init__.py").write_text("")
    (project / "storefront" / "views.py").write_text(VIEWS)
    (project / "checks").mkdir()
    (project / "checks" / "test_views.py").write_text(TESTS)
    converted = tmp_path / "converted"
    shutil.copytree(project, converted)
    runner.run("flask-to-fastapi", [converted / "storefront"])
    return project, converted


def _answers(app, by_hand: bool) -> list:
    views = sys.modules["storefront.views"]
    found = []
    for url, name, args in BY_HAND:
        with app.test_request_context(url):
            answer = getattr(views, name)(*args)
            found.append((asyncio.run(answer) if by_hand and inspect.isawaitable(answer) else answer).json)
    return found


def test_views_the_tests_call_take_the_request_last_by_default(tmp_path):
    project, converted = _project(tmp_path)
    text = (converted / "storefront" / "views.py").read_text()
    cst.parse_module(text)
    assert "def activity(event_id: int, *, request: Request = request_helper):" in text
    assert "def current_activity(*, request: Request = request_helper):" in text
    assert "activity(5, request=request)" in text  # a view calling it passes its own request by name
    assert "def projects(*, request: Request = request_helper):" in text
    assert "def untested(request: Request, name: str):" in text  # no test calls it: the request first, as before
    flask_app = load(project, "storefront.views")
    flasks = _answers(flask_app, by_hand=False)
    app = load(converted, "storefront.views")
    assert (
        _answers(app, by_hand=True)
        == flasks
        == [
            {"event": 7, "limit": 4},
            {"event": 8, "limit": 3},
            {"event": 5, "limit": 4},
            {"size": 6},
            {"size": 2},
        ]
    )
    views = sys.modules["storefront.views"]
    for name in ("activity", "current_activity", "projects"):  # FastAPI injects the request it serves
        assert get_dependant(path="/x/{event_id}", call=getattr(views, name)).request_param_name == "request"
    assert [p.name for p in get_dependant(path="/x/{event_id}", call=views.activity).path_params] == ["event_id"]
    assert_same(load(project, "storefront.views"), load(converted, "storefront.views"), SERVED)


def test_tests_calling_no_view_change_nothing(tmp_path):
    project = tmp_path / "project"
    (project / "storefront").mkdir(parents=True)
    (project / "storefront" / "__init__.py").write_text("")
    (project / "storefront" / "views.py").write_text(VIEWS)
    (project / "checks").mkdir()
    (project / "checks" / "test_views.py").write_text("from storefront.views import app\n\n\ndef test_x():\n    pass\n")
    runner.run("flask-to-fastapi", [project / "storefront"])
    text = (project / "storefront" / "views.py").read_text()
    assert "request_helper" not in text
    assert "def activity(request: Request, event_id: int):" in text
    assert "activity(request, 5)" in text
    assert "def current_activity(request: Request):" in text
