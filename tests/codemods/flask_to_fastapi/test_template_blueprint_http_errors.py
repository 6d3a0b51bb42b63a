"""A blueprint's ``app_errorhandler(HTTPException)`` answers every HTTP error of the app, as in Flask.

The converted app starts with a handler for Starlette's HTTPException (Werkzeug's error page): the
blueprint's handler for the same class replaces that default, as Flask's registration did. Flask's own
``abort(404)`` left in a view (used as a value, marked with a TODO) is answered as that HTTP error too.
"""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

ERRORS = """\
from flask import Blueprint
from werkzeug.exceptions import HTTPException

errors = Blueprint('errors', __name__)


@errors.app_errorhandler(HTTPException)
def http_error(error):
    return {'code': error.code, 'description': error.description}, error.code
"""
APP = """\
from flask import Flask, abort

from errorsapp.errors import errors

app = Flask(__name__)
app.register_blueprint(errors)


@app.route('/items/<int:id>')
def item(id):
    if id != 1:
        abort(404)
    return {'id': id}


@app.route('/things/<int:id>')
def thing(id):
    return {'id': id} if id == 1 else abort(409)
"""


def test_a_blueprints_handler_for_every_http_error_answers_them(tmp_path):
    package = tmp_path / "src" / "errorsapp"
    package.mkdir(parents=True)
    for name, text in {"__init__.py": "", "errors.py": ERRORS, "app.py": APP}.items():
        (package / name).write_text(text)
    flask_app = load(tmp_path / "src", "errorsapp.app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "errorsapp.app")
    assert_same(
        flask_app, fastapi_app, [("GET", "/items/1"), ("GET", "/items/2"), ("GET", "/nowhere"), ("GET", "/things/2")]
    )


def test_flasks_abort_left_as_a_value_answers_its_http_error(tmp_path):
    package = tmp_path / "src" / "errorsapp"
    package.mkdir(parents=True)
    for name, text in {
        "__init__.py": "",
        "errors.py": "",
        "app.py": APP.replace("from errorsapp.errors import errors\n", "").replace(
            "app.register_blueprint(errors)\n", ""
        ),
    }.items():
        (package / name).write_text(text)
    flask_app = load(tmp_path / "src", "errorsapp.app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert "abort() used as a value" in (tmp_path / "out" / "errorsapp" / "app.py").read_text()
    fastapi_app = load(tmp_path / "out", "errorsapp.app")
    assert_same(flask_app, fastapi_app, [("GET", "/things/1"), ("GET", "/things/2")])
