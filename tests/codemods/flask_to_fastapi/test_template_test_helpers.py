"""Flask's test helpers on a converted app: ``app_context()`` push/pop, ``test_request_context``, ``test_cli_runner``.

An app's old unittest ``setUp`` pushes an app context by hand and pops it in ``tearDown``; helpers are called
inside ``test_request_context``; commands run through ``app.test_cli_runner()``.
"""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path

import pytest
from side_by_side import convert_tree, load

APP = """\
from flask import Flask, current_app, g, request, session, url_for

app = Flask(__name__)
app.config["SECRET_KEY"] = "s"


@app.route("/items/<int:item_id>")
def item(item_id):
    return {"id": item_id}


def describe():
    g.seen = True
    return request.args.get("a"), request.method, url_for("item", item_id=3), current_app.name


@app.cli.command("hello")
def hello():
    print("hello", current_app.name)
"""


@pytest.fixture
def converted(tmp_path):
    source = tmp_path / "flask_app"
    source.mkdir()
    (source / "helpers_app.py").write_text(APP)
    convert_tree(source, tmp_path / "out")
    app = load(tmp_path / "out", "helpers_app")
    helpers = sys.modules["_flask_compat"]
    yield app, sys.modules["helpers_app"], helpers


def test_app_context_pushes_and_pops_like_flasks(converted):
    app, _, helpers = converted
    context = app.app_context()
    context.push()  # a unittest setUp
    try:
        helpers.g.user = "ada"
        assert helpers.current_app is not None and helpers.current_app.name == "helpers_app"
        assert helpers.g.user == "ada"
    finally:
        context.pop()  # its tearDown
    with pytest.raises(RuntimeError, match="outside of application context"):
        _ = helpers.g.user
    with app.app_context() as again:  # and still a context manager
        assert again is not None and helpers.current_app.name == "helpers_app"
    with pytest.raises(RuntimeError, match="not pushed"):
        context.pop()


def test_app_context_runs_teardown_hooks_on_pop(converted):
    app, _, _ = converted
    seen = []
    app.hooks["teardown"].append(seen.append)
    app.hooks["teardown"].append(lambda exc, request: seen.append("a request hook"))  # no request here: skipped
    context = app.app_context()
    context.push()
    context.pop()
    assert seen == [None]


def test_request_context_gives_request_g_url_for_and_session(converted):
    app, module, helpers = converted
    with app.test_request_context("/items/5?a=1", headers={"X-Test": "y"}) as context:
        assert module.describe(helpers.request) == ("1", "GET", "/items/3", "helpers_app")
        assert helpers.g.seen is True
        assert helpers.request.path_params == {"item_id": 5}
        assert helpers.request.headers["x-test"] == "y"
        assert str(helpers.request.url) == "http://localhost/items/5?a=1"
        assert helpers.session.get("k") is None
        helpers.session["k"] = 2
        assert context.session["k"] == 2
    with pytest.raises(RuntimeError, match="outside of request context"):
        _ = helpers.request.method


def test_request_context_push_pop_with_a_body_and_query_string(converted):
    app, _, helpers = converted
    context = app.test_request_context("/", method="POST", json={"a": 1}, query_string={"q": ["x", "y"]})
    context.push()
    try:
        assert helpers.request.method == "POST"
        assert helpers.request.query_params.getlist("q") == ["x", "y"]
        assert asyncio.run(helpers.request.json()) == {"a": 1}
    finally:
        context.pop()
    with app.test_request_context("/", method="POST", data={"name": "ada", "n": 1}):
        assert helpers.request_form(helpers.request)["name"] == "ada"  # the sync helper converted code calls

        async def form():
            return await helpers.request.form()

        assert asyncio.run(form())["n"] == "1"
        assert helpers.request_data(helpers.request) == b"name=ada&n=1"
    with pytest.raises(ValueError):
        app.test_request_context("/?a=1", query_string="b=2")


def test_request_context_reads_the_apps_session_cookie(converted):
    app, _, helpers = converted
    serializer = helpers.sessions.signing_serializer(app.config, "s")
    cookie = serializer.dumps({"user": "ada"})
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        assert helpers.session["user"] == "ada"


def test_cli_runner_invokes_app_cli_in_an_app_context(converted):
    app, _, _ = converted
    result = app.test_cli_runner().invoke(args=["hello"])
    assert result.exception is None, result.output
    assert result.output == "hello helpers_app\n"


def test_cli_runner_without_a_cli_names_what_is_missing(converted):
    app, _, _ = converted
    app.cli = None  # init_app gives no cli when click is not installed
    with pytest.raises(RuntimeError, match="app.cli.*click"):
        app.test_cli_runner()


def test_a_unittest_setup_and_teardown_run_unchanged(converted, tmp_path):
    app, _, _ = converted
    import unittest

    class Case(unittest.TestCase):
        def setUp(self):
            self.app = app
            self.app_context = self.app.app_context()
            self.app_context.push()
            self.client = None

        def tearDown(self):
            self.app_context.pop()

        def test_current_app(self):
            helpers = sys.modules["_flask_compat"]
            self.assertEqual(helpers.current_app.name, "helpers_app")

    result = unittest.TextTestRunner(stream=open(Path(tmp_path) / "log", "w")).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    )
    assert result.wasSuccessful(), textwrap.shorten(str(result.errors), 300)


def test_app_context_gives_flask_extensions_their_current_app(converted):
    app, _, _ = converted
    flask = pytest.importorskip("flask")
    app.extensions["some_flask_extension"] = object()  # an extension that reads flask.current_app
    with app.app_context():
        assert flask.current_app.config is app.config
    context = app.app_context()
    context.push()
    assert flask.current_app.extensions is app.extensions
    context.pop()
    assert not flask.has_app_context()


def test_the_old_tests_own_flask_url_for_builds_the_converted_routes_urls(converted):
    import flask

    app, _, _ = converted
    with app.test_request_context("/items/1"):  # an unconverted test: ``from flask import url_for``
        assert flask.url_for("item", item_id=3) == "/items/3"
        assert flask.url_for("item", item_id=3, _external=True) == "http://localhost/items/3"
        assert flask.url_for("static", filename="a.css") == "/static/a.css"
        assert flask.current_app.config["SECRET_KEY"] == "s"
    app.config["SERVER_NAME"] = "example.test"
    context = app.app_context()
    context.push()  # Flask needs SERVER_NAME to build outside a request, as here
    try:
        assert flask.url_for("item", item_id=4) == "http://example.test/items/4"
    finally:
        context.pop()
