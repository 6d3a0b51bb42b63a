"""Helpers of an app factory that take the app as a parameter (``def init_template_globals(app)``).

A name seen only in ``@app.before_request`` is guessed a blueprint imported from elsewhere, and a blueprint's
method an APIRouter lacks becomes a TODO and ``pass``. What only an app has (``jinja_env``, ``config``,
``extensions``...) says the name is the app, whose Flask face runs it: it stays (it was dropped, so the
templates' globals were never set). A handler imported from another module (``from app.errors import
render_error``) stays on the face's Flask-style ``register_error_handler``: its def is Flask's ``(error)`` one,
not rewritten to FastAPI's ``(request, exc)`` (every error answered 500: "takes 1 positional argument").
"""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.flask_to_fastapi import CODEMOD

HELPER = "# TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state"  # noqa: E501


def test_what_only_an_app_has_is_kept_on_a_name_guessed_a_blueprint():
    check_transformed(
        CODEMOD,
        """\
        from flask import request


        def init_request_processors(app):
            @app.before_request
            def check():
                return None


        def init_template_globals(app):
            app.jinja_env.globals.update(site=1)
            app.cli.add_command(1)
        """,
        f"""\
        {HELPER}
        try:
            from ._flask_compat import before_request
        except ImportError:
            from _flask_compat import before_request


        def init_request_processors(app):
            @before_request(app)
            def check():
                return None


        def init_template_globals(app):
            app.jinja_env.globals.update(site=1)
            pass  # TODO(asyncshift): `app.cli.add_command(1)`: an APIRouter has no cli.add_command; do it by hand
        """,
    )


def test_an_imported_error_handler_stays_on_flasks_registration():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            from myapp.errors import render_error

            def local(e):
                return "x", 500

            app.register_error_handler(404, render_error)
            app.register_error_handler(500, local)
            return app
        """,
        f"""\
        from fastapi import FastAPI, Request
        from fastapi.responses import HTMLResponse
        {HELPER}
        try:
            from ._flask_compat import init_app
        except ImportError:
            from _flask_compat import init_app


        def create_app():
            app = FastAPI()
            init_app(app, __name__)
            from myapp.errors import render_error

            def local(request: Request, e):
                return HTMLResponse("x", status_code=500)

            app.register_error_handler(404, render_error)
            app.add_exception_handler(500, local)
            return app
        """,
    )
