"""A function the project's tests call themselves still answers their call once it takes the request.

``next_target()`` or a ``before_request`` hook called by a test inside ``app.test_request_context(...)`` (the tests
are not among the converted files: read from the folder the package is imported from) read Flask's request. Given
the request parameter (``next_target(request: Request, default=...)``), the test's call lacked it: TypeError. Its
parameter now defaults to the helper's request proxy, the request of the context the test pushed; the views still
pass theirs. Where a parameter with no default follows, it cannot default: the function keeps its signature and
reads the helper's proxy (as one the tests replace, ``replaced_by_tests``).
"""

from __future__ import annotations

import shutil
import sys

from side_by_side import load

from codemods import runner
from codemods.flask_to_fastapi.testclient import FlaskStyleClient

VIEWS = """\
from flask import Flask, redirect, request

app = Flask(__name__)


def next_target(default="/home"):
    return request.args.get("next") or default


def scaled(factor):
    return int(request.args.get("n", "1")) * factor


def footer():
    return request.args.get("footer", "small")


@app.before_request
def gate():
    if request.path.startswith("/closed"):
        return redirect("/home")


@app.route("/")
def index():
    return {"next": next_target(), "scaled": scaled(2), "footer": footer()}
"""

TESTS = """\
from storefront import views
from storefront.views import app, next_target


def test_next_target():
    with app.test_request_context("/?next=/cart"):
        assert next_target() == "/cart"
        assert next_target(default="/x") == "/cart"


def test_gate():
    with app.test_request_context("/closed/door"):
        assert views.gate().status_code == 302
    with app.test_request_context("/?n=2"):
        assert views.scaled(3) == 6


def test_scaled():
    with app.test_request_context("/?n=2"):
        assert views.scaled(3) == 6
"""


def test_functions_the_tests_call_default_their_request(tmp_path):
    project = tmp_path / "project"
    (project / "storefront").mkdir(parents=True)
    (project / "storefront" / "__init__.py").write_text("")
    (project / "storefront" / "views.py").write_text(VIEWS)
    (project / "checks").mkdir()
    (project / "checks" / "test_views.py").write_text(TESTS)
    converted = tmp_path / "converted"
    shutil.copytree(project, converted)
    runner.run("flask-to-fastapi", [converted / "storefront"])
    text = (converted / "storefront" / "views.py").read_text()
    assert "def next_target(request: Request = request_helper, default=" in text
    assert "def gate(request: Request = request_helper):" in text
    assert "def footer(request: Request):" in text  # no test calls it
    assert "def scaled(factor):" in text  # no default before ``factor``: it keeps its signature, reads the proxy
    app = load(converted, "storefront.views")
    views = sys.modules["storefront.views"]
    with app.test_request_context("/?next=/cart"):
        assert views.next_target() == "/cart"
        assert views.next_target(default="/x") == "/cart"
    with app.test_request_context("/"):
        assert views.next_target(default="/x") == "/x"
    with app.test_request_context("/closed/door"):
        assert views.gate().status_code == 302
    with app.test_request_context("/?n=2"):
        assert views.scaled(3) == 6
    client = FlaskStyleClient(app)  # the views and the hook still get the request handed to them
    assert client.get("/?n=3&footer=big").get_json() == {"next": "/home", "scaled": 6, "footer": "big"}
    assert client.get("/closed/x").status_code == 302
