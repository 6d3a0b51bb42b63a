"""An unannotated handler that ``app.register_error_handler(ApiError, handle)`` registers for an error class of the
app's own keeps its ``error.code``: the class (defined in the module, or imported from another module of the app)
has only ``code``, and ``error.status_code`` (Werkzeug's ``code`` on Starlette) raised AttributeError, a 500 with
no TODO. A handler registered for HTTP codes by a loop (``for code in ...``) or for Werkzeug's errors still reads
``status_code``."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

ERRORS = """\
class Conflict(Exception):
    code = 409

    def __init__(self, message):
        super().__init__(message)
        self.message = message
"""

VIEWS = """\
from flask import Flask, jsonify
from werkzeug.exceptions import NotFound

from .errors import Conflict

app = Flask(__name__)


class ApiError(Exception):
    code = 500

    def __init__(self, message, code=None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


def handle_api_error(error):
    return jsonify(status='error', message=error.message, code=error.code), error.code


def handle_conflict(error):
    return jsonify(status='conflict', code=error.code), error.code


def handle_http_error(error):
    return jsonify(status='http', code=error.code), error.code


def handle_not_found(error):
    return jsonify(status='missing', code=error.code), 404


def register(app):
    for code in (405, 500):
        app.register_error_handler(code, handle_http_error)
    app.register_error_handler(NotFound, handle_not_found)
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(Conflict, handle_conflict)


register(app)


@app.route('/taken')
def taken():
    raise ApiError('taken', 409)


@app.route('/broken')
def broken():
    raise ApiError('broken')


@app.route('/conflict', methods=['POST'])
def conflict():
    raise Conflict('again')
"""


def test_registered_handlers_of_own_errors_answer_as_flask(tmp_path):
    package = tmp_path / "src" / "registered_errors"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "errors.py").write_text(ERRORS)
    (package / "views.py").write_text(VIEWS)
    convert_tree(tmp_path / "src", tmp_path / "out")
    after = (tmp_path / "out" / "registered_errors" / "views.py").read_text()
    assert '\'error\', "message": error.message, "code": error.code}, status_code=error.code)' in after
    assert "'conflict', \"code\": error.code}, status_code=error.code)" in after
    assert "'http', \"code\": error.status_code}, status_code=error.status_code)" in after
    assert "'missing', \"code\": error.status_code}, status_code=404)" in after
    flask_app = load(tmp_path / "src", "registered_errors.views")
    fastapi_app = load(tmp_path / "out", "registered_errors.views")
    requests = [("GET", "/taken"), ("GET", "/broken"), ("POST", "/conflict"), ("GET", "/nowhere"), ("GET", "/conflict")]
    assert_same(flask_app, fastapi_app, requests)
