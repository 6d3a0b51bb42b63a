"""The request where a function cannot be handed it, and functions that must keep their signature.

- ``request.form`` read in a function called back by a library (the helper's request proxy) is the helper's
  ``request_form(request)``: it was Starlette's ``Request.form`` method (``'q' in request.form``: TypeError) with
  a TODO claiming it could not be read;
- a hook that replaces ``request.form`` (``request.form = dict(request.form.items())`` merging the query in) is
  what the view and later helpers read as ``request.form``, as on Flask's one request object: the view read the
  body instead (the merged query value missing), and writes to the replacement went to a new FormData (TypeError);
- a function assigned somewhere (``registry.label = label``, ``jinja_env.globals["pick"] = pick``) is called later
  without the request: it keeps its signature (it took the request first: TypeError);
- an error handler a view calls (``return not_found(None)``) is handed the request its new signature takes first;
- what an extension caches on ``flask.current_app`` while a request is served (Flask-Babel's ``babel_locale``:
  on Flask's request object in a request) lasts that request only: the first request's value answered every later
  one.
"""

from __future__ import annotations

import sys
import types

from side_by_side import assert_same, convert_tree, load

APP = """\
from types import SimpleNamespace

from flask import Flask, render_template_string, request

app = Flask(__name__)
registry = SimpleNamespace()


def pick():
    if "q" in request.form:
        return request.form["q"]
    return "none"


def label():
    return "label:" + request.form.get("q", "-")


registry.label = label
app.jinja_env.globals["pick"] = pick


@app.before_request
def merge_query():
    request.form = dict(request.form.items())
    for key, value in request.args.items():
        if key not in request.form:
            request.form[key] = value


@app.route("/", methods=["GET", "POST"])
def index():
    return {"q": request.form.get("q"), "label": registry.label()}


@app.route("/page", methods=["GET", "POST"])
def page():
    return render_template_string("<p>{{ pick() }}</p>")


@app.route("/gone")
def gone():
    return not_found(None)


@app.errorhandler(404)
def not_found(e):
    return {"missing": request.path}, 404
"""


def test_request_bodies_and_callbacks_outside_views(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "outsideapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "outsideapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "outsideapp.py").read_text()
    assert "def label():" in converted and "def pick():" in converted
    assert "cannot be read synchronously" not in converted and "is replaced here" not in converted
    fastapi_app = load(tmp_path / "out", "outsideapp")
    requests = [
        ("GET", "/?q=query"),
        ("POST", "/", {"data": {"q": "form"}}),
        ("POST", "/?q=query", {"data": {"q": "form"}}),
        ("GET", "/page?q=x"),
        ("POST", "/page", {"data": {"q": "y"}}),
        ("GET", "/page"),
        ("GET", "/gone"),
        ("GET", "/nowhere"),
    ]
    assert_same(flask_app, fastapi_app, requests)


CACHING = """\
import flask


def init_app(app):
    app.extensions["caching"] = True


def chosen(pick):
    ctx = flask.request if flask.has_request_context() else flask.current_app
    found = getattr(ctx, "cached_choice", None)
    if found is None:
        found = ctx.cached_choice = pick()
    return found
"""

CACHING_APP = """\
from flask import Flask, request

import cachingext

app = Flask(__name__)
cachingext.init_app(app)


@app.route("/")
def index():
    return {"chosen": cachingext.chosen(lambda: request.args.get("q", "none"))}
"""


def test_what_an_extension_caches_on_the_app_during_a_request_lasts_that_request(tmp_path, monkeypatch):
    module = types.ModuleType("cachingext")
    exec(compile(CACHING, "cachingext.py", "exec"), module.__dict__)
    monkeypatch.setitem(sys.modules, "cachingext", module)  # an installed extension: not converted
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "cachingapp.py").write_text(CACHING_APP)
    flask_app = load(tmp_path / "src", "cachingapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "cachingapp")
    assert_same(flask_app, fastapi_app, [("GET", "/?q=a"), ("GET", "/?q=b"), ("GET", "/")])
