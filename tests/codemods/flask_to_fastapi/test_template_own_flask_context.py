"""An old test builds a Flask app of its own (``flask.Flask("name")``), enters its ``test_request_context()``, sets
``flask.g.user`` and calls the app's helpers: Flask's ``g`` and ``request`` were that context's, whatever the app.
The converted helpers read the compat package's ``g`` and ``request``, which had no context at all: 'Working
outside of application context' (an ``is_admin(flask.g.user)``), 'Working outside of request context' (an
``is_safe_url(target)`` comparing with ``request.host_url``). Side by side with Flask."""

from __future__ import annotations

import shutil
import sys

import pytest
from codemod_helpers import write_tree
from side_by_side import load

from codemods import runner

APP = """\
from urllib.parse import urljoin, urlparse

from flask import Flask, g, redirect, request

app = Flask(__name__)


def signed_in():
    return hasattr(g, "user") and g.user is not None


def remember(name):
    g.seen = name


def is_safe_url(target):
    ref_url = urlparse(request.host_url)
    test_url = urlparse(urljoin(request.host_url, target))
    return test_url.scheme in ("http", "https") and ref_url.netloc == test_url.netloc


def asked():
    return request.method, request.args.get("q"), request.headers.get("X-Tag")


@app.route("/login")
def login():
    target = request.args.get("next", "/")
    return redirect(target if is_safe_url(target) else "/", code=303)


@app.route("/")
def index():
    return str(asked())
"""


# the app's old tests, converted with it: a Flask app of their own, its contexts, the app's helpers called inside
CHECKS = """\
import flask

import ownctxapp


def g_of_the_tests_context():
    other = flask.Flask("somewhere_else")
    seen = []
    with other.test_request_context():
        flask.g.user = None
        seen.append(ownctxapp.signed_in())
        flask.g.user = "ada"
        seen.append(ownctxapp.signed_in())
        ownctxapp.remember("ada")
        seen.append(flask.g.seen)
    with other.app_context():
        flask.g.user = "bob"
        seen.append(ownctxapp.signed_in())
    return seen


def request_of_the_tests_context():
    other = flask.Flask("somewhere_else")
    with other.test_request_context():
        seen = [ownctxapp.is_safe_url(u) for u in ("http://localhost/test", "/admin/", "https://example.org/")]
    with other.test_request_context("/x?q=1", method="POST", headers={"X-Tag": "t"}):
        seen.append(ownctxapp.asked())
    return seen


def outside_any_context():
    seen = []
    for call in (lambda: ownctxapp.signed_in(), lambda: ownctxapp.is_safe_url("/")):
        try:
            call()
        except RuntimeError:
            seen.append("outside")
    return seen
"""


@pytest.fixture(scope="module", params=["flask", "converted"])
def checks(request, tmp_path_factory):
    """The app's package converted as the corpus converts it (its tests, beside it, read and kept as they are)."""
    root = tmp_path_factory.mktemp("own_flask_context")
    write_tree(root / "src", {"ownctxapp/__init__.py": APP, "test_ownctx_checks.py": CHECKS})
    folder = root / "src"
    if request.param == "converted":
        folder = root / "out"
        assert runner.run("flask-to-fastapi", [root / "src/ownctxapp"], out=folder / "ownctxapp").count("failed") == 0
        shutil.copy(root / "src/test_ownctx_checks.py", folder)
    for name in [n for n in sys.modules if n.startswith("ownctxapp")]:  # the other side's
        del sys.modules[name]
    load(folder, "test_ownctx_checks", "__name__")
    return sys.modules["test_ownctx_checks"]


def test_the_helpers_read_g_of_the_tests_own_flask_context(checks):
    assert checks.g_of_the_tests_context() == [False, True, "ada", True]


def test_the_helpers_read_the_request_of_the_tests_own_flask_context(checks):
    assert checks.request_of_the_tests_context() == [True, True, False, ("POST", "1", "t")]


def test_outside_any_context_they_still_raise(checks):
    assert checks.outside_any_context() == ["outside", "outside"]


class WerkzeugOneRequest:
    """Werkzeug 1.0's request: ``script_root``, no ``root_path`` (it came in 2.0)."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        if name == "root_path":
            raise AttributeError(name)
        return getattr(self._request, name)


def test_the_request_of_an_old_werkzeugs_context():
    import importlib.util

    import flask

    from codemods.flask_to_fastapi import support

    path = support.TEMPLATE / "own_flask_context.py"
    spec = importlib.util.spec_from_file_location("_own_flask_context_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with flask.Flask("old").test_request_context("/x", base_url="http://localhost/pre/"):
        scope = module._scope(flask, WerkzeugOneRequest(flask.request._get_current_object()))
    assert (scope["root_path"], scope["path"]) == ("/pre", "/pre/x")
