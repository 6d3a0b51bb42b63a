"""An error handler's ``e.description`` is Werkzeug's: the text the error was raised with, else Werkzeug's
default for the code (``error_description(e)``). It became Starlette's ``e.detail``, whose default is the short
phrase ("Not Found"), so every error page showing the description differed from Flask's."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_transformed
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD

SOURCE = textwrap.dedent("""\
    from flask import Flask, abort

    app = Flask(__name__)


    @app.errorhandler(404)
    def not_found(e):
        return "%d: %s" % (e.code, e.description), 404


    @app.errorhandler(403)
    def forbidden(e):
        return "%d: %s" % (e.code, e.description), 403


    @app.route("/gone")
    def gone():
        abort(404)


    @app.route("/secret")
    def secret():
        abort(403, "members only")
""")


def test_description_becomes_the_helpers_error_description():
    check_transformed(
        CODEMOD,
        SOURCE,
        """\
        from fastapi import FastAPI, Request
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import HTTPException, error_description, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.exception_handler(404)
        def not_found(request: Request, e):
            return HTMLResponse("%d: %s" % (e.status_code, error_description(e)), status_code=404)


        @app.exception_handler(403)
        def forbidden(request: Request, e):
            return HTMLResponse("%d: %s" % (e.status_code, error_description(e)), status_code=403)


        @app.get("/gone")
        async def gone():
            raise HTTPException(status_code=404)


        @app.get("/secret")
        async def secret():
            raise HTTPException(status_code=403, detail="members only")
""",  # noqa: E501
    )


def test_error_pages_answer_as_flasks(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "descapp.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "descapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "descapp")
    assert_same(flask_app, fastapi_app, [("GET", "/gone"), ("GET", "/nowhere"), ("GET", "/secret")])
