"""Flask-Login's functions beyond login_required come from the helper, which writes Flask-Login's session keys."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.flask_to_fastapi import CODEMOD


def test_fresh_login_required_and_login_fresh_come_from_the_helper():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask
        from flask_login import LoginManager, confirm_login, fresh_login_required, login_fresh

        app = Flask(__name__)
        login_manager = LoginManager(app)


        @app.route("/settings")
        @fresh_login_required
        def settings():
            return "fresh" if login_fresh() else "stale"


        @app.route("/reauth")
        def reauth():
            confirm_login()
            return "ok"
        """,
        """\
        from fastapi import FastAPI
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import LoginManager, confirm_login, fresh_login_required, init_app, login_fresh, make_response

        app = FastAPI()
        init_app(app, __name__)
        login_manager = LoginManager(app)


        @app.get("/settings")
        @fresh_login_required
        def settings():
            return make_response("fresh" if login_fresh() else "stale")


        @app.get("/reauth")
        def reauth():
            confirm_login()
            return HTMLResponse("ok")
        """,  # noqa: E501
    )


def test_a_method_of_current_user_is_not_taken_for_a_flask_login_function():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask
        from flask_login import current_user

        app = Flask(__name__)


        @app.route("/id")
        def who():
            return current_user.get_id()
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import current_user, init_app, make_response

        app = FastAPI()
        init_app(app, __name__)


        @app.get("/id")
        def who():
            return make_response(current_user.get_id())
        """,  # noqa: E501
    )
