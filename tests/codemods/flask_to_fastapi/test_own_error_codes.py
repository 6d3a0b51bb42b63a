"""A handler registered for an error of the app's own keeps its ``code``.

Werkzeug's ``e.code`` is Starlette's ``e.status_code``, so a handler's ``e.code`` was renamed; a handler that
``@app.errorhandler(ApiError)`` registers gets the app's own ``ApiError``, whose ``code`` is its own attribute, and
``e.status_code`` raised AttributeError there: every such error answered 500, with no TODO. So does a handler
registered elsewhere (``app.register_error_handler``) whose error parameter is annotated with such a class. A
handler of an HTTP code or of Werkzeug's errors still reads ``status_code``.
"""

from __future__ import annotations

from side_by_side import assert_same, load

from codemods.flask_to_fastapi import CODEMOD

VIEWS = """\
from flask import Flask, jsonify
from werkzeug.exceptions import NotFound

app = Flask(__name__)


class ApiError(Exception):
    code = 500

    def __init__(self, message, code=None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


@app.errorhandler(ApiError)
def api_error(error):
    return jsonify(status='error', message=error.message, code=error.code), error.code


@app.errorhandler(404)
def not_found(error):
    return jsonify(status='missing', code=error.code), error.code


@app.errorhandler(NotFound)
def not_found_again(error):
    return jsonify(status='missing', code=error.code), 404


class Expired(ApiError):
    code = 410


def handle_gone(error: Expired):
    return jsonify(status='gone', code=error.code), error.code


app.register_error_handler(Expired, handle_gone)


@app.route('/gone')
def gone():
    raise Expired('gone')


@app.route('/taken')
def taken():
    raise ApiError('taken', 409)


@app.route('/broken')
def broken():
    raise ApiError('broken')
"""


def test_the_handler_of_an_own_error_keeps_its_code_and_an_http_ones_reads_status_code():
    after, _ = CODEMOD.apply(VIEWS)
    assert "code=error.code), error.code" not in after  # jsonify became a JSONResponse
    assert '"code": error.code}, status_code=error.code)' in after
    assert '"code": error.status_code}, status_code=error.status_code)' in after
    assert '"code": error.status_code}, status_code=404)' in after
    assert '{"status": \'gone\', "code": error.code}, status_code=error.code)' in after  # registered elsewhere, typed


def test_the_converted_app_answers_as_flask(tmp_path):
    (tmp_path / "src" / "ownerrors").mkdir(parents=True)
    (tmp_path / "src" / "ownerrors" / "__init__.py").write_text("")
    (tmp_path / "src" / "ownerrors" / "views.py").write_text(VIEWS)
    from side_by_side import convert_tree

    convert_tree(tmp_path / "src", tmp_path / "out")
    flask_app = load(tmp_path / "src", "ownerrors.views")
    fastapi_app = load(tmp_path / "out", "ownerrors.views")
    assert_same(flask_app, fastapi_app, [("GET", "/taken"), ("GET", "/broken"), ("GET", "/gone"), ("GET", "/nowhere")])
