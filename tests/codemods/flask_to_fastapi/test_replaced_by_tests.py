"""A function the project's tests replace by name keeps its signature: the suite's fake takes what it took.

``monkeypatch.setattr(views, "theme", fake)``, ``mock.patch("app.views.badge")`` or ``views.color = fake`` in the
tests (not among the converted files: read from the folder the package is imported from) replace a helper that
reads the request. Handed the request first (``theme(request, override=x)``), the fake got an argument it does
not take: TypeError, a 500 in every view calling it. Such a helper reads the helper's request proxy instead.
"""

from __future__ import annotations

import shutil

from side_by_side import load

from codemods import runner
from codemods.flask_to_fastapi.testclient import FlaskStyleClient

VIEWS = """\
from flask import Flask, request

app = Flask(__name__)


def theme(override=None):
    return override or request.args.get("theme", "plain")


def badge():
    return request.args.get("badge", "none")


def color():
    return request.args.get("color", "grey")


def footer():
    return request.args.get("footer", "small")


@app.route("/")
def index():
    return {"theme": theme(override=None), "badge": badge(), "color": color(), "footer": footer()}
"""

TESTS = """\
from unittest import mock

from app import views


def test_theme(monkeypatch):
    monkeypatch.setattr(views, "theme", lambda override=None: "fake")


@mock.patch("app.views.badge")
def test_badge(badge):
    badge.return_value = "fake"


def test_color():
    views.color = lambda: "fake"
"""


def test_functions_the_tests_replace_keep_their_signature(tmp_path):
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    (project / "app" / "__init__.py").write_text("")
    (project / "app" / "views.py").write_text(VIEWS)
    (project / "tests").mkdir()
    (project / "tests" / "test_views.py").write_text(TESTS)
    converted = tmp_path / "converted"
    shutil.copytree(project, converted)
    runner.run("flask-to-fastapi", [converted / "app"])
    text = (converted / "app" / "views.py").read_text()
    assert "def theme(override=None):" in text
    assert "def badge():" in text and "def color():" in text
    assert "def footer(request: Request):" in text  # no test replaces it: it is handed the request
    module = load(converted, "app.views", "app")
    views = __import__("sys").modules["app.views"]
    views.theme = lambda override=None: "fake"  # what the suite does
    views.badge = lambda: "fake"
    answer = FlaskStyleClient(module).get("/?color=red&footer=big")
    assert answer.status_code == 200
    assert answer.get_json() == {"theme": "fake", "badge": "fake", "color": "red", "footer": "big"}
