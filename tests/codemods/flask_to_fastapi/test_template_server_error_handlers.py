"""A handler for 500 gets what Flask hands it: for an error nothing handled, Werkzeug's ``InternalServerError``
(``code``, ``description``, ``original_exception``), for ``abort(404)`` the HTTP error with its ``code``; a
handler for ``Exception`` gets the raw error. The converted app answered an unhandled error with Werkzeug's
default page (the app's 500 handler never ran), and a handler registered by ``app.register_error_handler(code,
fn)`` from another module was handed Starlette's error (no ``code``, no ``description``)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

ERRORS = """\
from flask import render_template_string
from werkzeug.exceptions import InternalServerError


def render_error(error):
    if isinstance(error, InternalServerError) and error.description == InternalServerError.description:
        error.description = "our own words"
    return render_template_string("{{ code }}: {{ text }}", code=error.code, text=error.description), error.code
"""
FACTORY = """\
from flask import Flask, abort


def create_app():
    app = Flask(__name__)
    from errorsapp.errors import render_error

    for code in (403, 404, 500):
        app.register_error_handler(code, render_error)

    @app.route("/boom")
    def boom():
        raise ValueError("boom")

    @app.route("/forbidden")
    def forbidden():
        abort(403)

    @app.route("/fine")
    def fine():
        return "fine"

    return app
"""
OWN = """\
from flask import Flask

app = Flask(__name__)


@app.errorhandler(500)
def server_error(e):
    return f"{e.code} {type(getattr(e, 'original_exception', None)).__name__}", 500


@app.route("/boom")
def boom():
    raise KeyError("boom")
"""
CATCH_ALL = """\
from flask import Flask

app = Flask(__name__)


@app.errorhandler(Exception)
def any_error(e):
    return f"caught {type(e).__name__}: {e}", 500


@app.route("/boom")
def boom():
    raise LookupError("gone")
"""


def test_an_imported_handler_for_codes_gets_werkzeugs_errors(tmp_path):
    (tmp_path / "src" / "errorsapp").mkdir(parents=True)
    (tmp_path / "src" / "errorsapp" / "__init__.py").write_text(FACTORY)
    (tmp_path / "src" / "errorsapp" / "errors.py").write_text(ERRORS)
    flask_app = load(tmp_path / "src", "errorsapp", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "errorsapp", "create_app")
    requests = [("GET", "/boom"), ("GET", "/forbidden"), ("GET", "/nowhere"), ("GET", "/fine")]
    assert_same(flask_app, fastapi_app, requests)


def test_the_apps_own_500_handler_answers_an_unhandled_error(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "ownapp.py").write_text(OWN)
    flask_app = load(tmp_path / "src", "ownapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "ownapp")
    assert_same(flask_app, fastapi_app, [("GET", "/boom")])


def test_a_handler_for_exception_gets_the_raw_error_as_before(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "catchapp.py").write_text(CATCH_ALL)
    flask_app = load(tmp_path / "src", "catchapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "catchapp")
    assert_same(flask_app, fastapi_app, [("GET", "/boom")])
