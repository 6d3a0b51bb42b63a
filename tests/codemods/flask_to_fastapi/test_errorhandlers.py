"""Error handlers: ``@app.errorhandler`` and ``register_error_handler`` become ``exception_handler``s taking
the request; ``@bp.errorhandler`` answers only for that blueprint's routes (the helper's
``errorhandler(router, key)``); ``@bp.app_errorhandler`` answers app-wide. Werkzeug's errors become status codes."""

from __future__ import annotations

import ast

from codemod_helpers import check_noop, check_transformed
from side_by_side import ask_both, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD


def test_other_errorhandler_decorators_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        import registry


        @registry.errorhandler(404)
        def not_found(e):
            return str(e)
        """,
    )


def test_errorhandler_becomes_exception_handler():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, g, session, current_app, flash, request, render_template

        app = Flask(__name__)


        @app.errorhandler(404)
        def not_found(e):
            return render_template('404.html', msg=e.description), 404
        """,
        """\
        from fastapi import FastAPI, Request
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import error_description, init_app, render_template

        app = FastAPI()
        init_app(app, __name__)


        @app.exception_handler(404)
        def not_found(request: Request, e):
            return HTMLResponse(render_template(request, '404.html', msg=error_description(e)), status_code=404)
        """,  # noqa: E501
    )


def test_werkzeug_errors_map_to_status_codes():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask
        from werkzeug.exceptions import NotFound

        app = Flask(__name__)


        @app.errorhandler(NotFound)
        def nf(e):
            return {'e': 1}, 404


        @app.route('/')
        def v():
            raise NotFound('no')
        """,
        """\
        from fastapi import FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import HTTPException, JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.exception_handler(404)
        def nf(request: Request, e):
            return JSONResponse({'e': 1}, status_code=404)


        @app.get('/')
        async def v():
            raise HTTPException(status_code=404, detail='no')
        """,  # noqa: E501
    )


def test_function_given_to_register_error_handler_becomes_a_handler():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask
        from werkzeug.exceptions import HTTPException


        def handle(exc):
            if isinstance(exc, HTTPException):
                return 'http', exc.code
            return 'other', 500


        def register(app: Flask) -> None:
            app.register_error_handler(Exception, handle)
        """,
        """\
        from fastapi import FastAPI, Request
        from fastapi.responses import HTMLResponse
        from starlette.exceptions import HTTPException as StarletteHTTPException


        def handle(request: Request, exc):
            if isinstance(exc, StarletteHTTPException):
                return HTMLResponse('http', status_code=exc.status_code)
            return HTMLResponse('other', status_code=500)


        def register(app: FastAPI) -> None:
            app.add_exception_handler(Exception, handle)
        """,
    )


def test_blueprint_handlers_are_scoped_and_app_handlers_are_app_wide():
    after = check_transformed(
        CODEMOD,
        """\
        from flask import Blueprint, Flask

        app = Flask(__name__)
        bp = Blueprint("api", __name__)


        @bp.errorhandler(404)
        def api_not_found(e):
            return {"error": "api"}, 404


        @bp.app_errorhandler(410)
        def gone(e):
            return {"error": "gone"}, 410


        @app.errorhandler(500)
        def broken(e):
            return {"error": "broken"}, 500
        """,
        """\
        from fastapi import APIRouter, FastAPI, Request
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, app_errorhandler, errorhandler, init_app

        app = FastAPI()
        init_app(app, __name__)
        bp = APIRouter(tags=["api"])


        @errorhandler(bp, 404)
        def api_not_found(request: Request, e):
            return JSONResponse({"error": "api"}, status_code=404)


        @app_errorhandler(bp, 410)
        def gone(request: Request, e):
            return JSONResponse({"error": "gone"}, status_code=410)


        @app.exception_handler(500)
        def broken(request: Request, e):
            return JSONResponse({"error": "broken"}, status_code=500)
        """,  # noqa: E501
    )
    assert "TODO" not in after.split("\n", 3)[3].replace("# TODO(asyncshift): _flask_compat/", "")
    ast.parse(after)


APP = """\
from flask import Blueprint, Flask, abort

app = Flask(__name__)
api = Blueprint("api", __name__, url_prefix="/api")
other = Blueprint("other", __name__, url_prefix="/other")


@api.route("/missing")
def api_missing():
    abort(404)


@api.route("/fail")
def api_fail():
    raise KeyError("k")


@api.route("/value")
def api_value():
    raise ValueError("v")


@api.errorhandler(404)
def api_not_found(e):
    return {"error": "api"}, 404


@api.errorhandler(KeyError)
def api_key(e):
    return {"error": "key"}, 400


@other.route("/missing")
def other_missing():
    abort(404)


@other.route("/gone")
def other_gone():
    abort(410)


@other.app_errorhandler(410)
def gone(e):
    return {"error": "gone"}, 410


@app.route("/gone")
def app_gone():
    abort(410)


@app.route("/fail")
def app_fail():
    raise KeyError("k")


@app.errorhandler(ValueError)
def value(e):
    return {"error": "value"}, 422


app.register_blueprint(api)
app.register_blueprint(other)
"""


def test_blueprint_handlers_answer_like_flask(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "handlers_app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "handlers_app")
    flask_app.config["PROPAGATE_EXCEPTIONS"] = False
    convert_tree(tmp_path / "src", tmp_path / "out")
    ast.parse((tmp_path / "out" / "handlers_app.py").read_text())
    fastapi_app = load(tmp_path / "out", "handlers_app")
    paths = [
        "/api/missing",
        "/api/fail",
        "/api/value",
        "/api/nothing",
        "/other/missing",
        "/other/gone",
        "/gone",
        "/missing",
    ]
    answers = ask_both(flask_app, fastapi_app, [("GET", path) for path in paths])
    for request, before, after in answers:
        assert after == before, f"{request}: flask {before} != fastapi {after}"
    assert answers[0][2].json == {"error": "api"} and answers[4][2].status == 404 and answers[4][2].json is None


def test_a_blueprint_handler_does_not_catch_app_errors(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "handlers_app.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "handlers_app")
    from codemods.flask_to_fastapi.testclient import FlaskStyleClient

    client = FlaskStyleClient(fastapi_app)
    try:
        status = client.get("/fail").status_code
    except KeyError:
        status = 500
    assert status == 500
