"""App and blueprint objects, registration, app.run: names kept so imports elsewhere keep working."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.flask_to_fastapi import CODEMOD


def test_module_without_flask_is_left_alone():
    check_noop(
        CODEMOD, "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\ndef index():\n    return {}\n"
    )


def test_text_mentioning_flask_is_left_alone():
    check_noop(CODEMOD, '"""Not a flask app."""\nflask = 1\n')


def test_app_becomes_fastapi_with_init_app():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask

        app = Flask(__name__, template_folder="views")
        app.config["SECRET_KEY"] = "dev"

        if __name__ == "__main__":
            app.run(host="0.0.0.0", port=8000, debug=True)
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        app = FastAPI()
        init_app(app, __name__, template_folder="views")
        app.config["SECRET_KEY"] = "dev"

        if __name__ == "__main__":
            import uvicorn
            uvicorn.run(app, host="0.0.0.0", port=8000)  # TODO(asyncshift): app.run(debug=True): uvicorn has no Werkzeug debugger or reloader; to reload on changes run `uvicorn <module>:app --reload`
        """,  # noqa: E501
    )


def test_factory_keeps_its_name_and_registers_routers():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask

        from . import auth, blog


        def create_app(test_config=None):
            app = Flask(__name__, instance_relative_config=True)
            app.config.from_mapping(SECRET_KEY="dev")
            app.register_blueprint(auth.bp)
            app.register_blueprint(blog.bp, url_prefix="/blog/")
            return app
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from ._flask_compat import init_app

        from . import auth, blog


        def create_app(test_config=None):
            app = FastAPI()
            init_app(app, __name__, instance_relative_config=True)
            app.config.from_mapping(SECRET_KEY="dev")
            app.include_router(auth.bp)
            app.include_router(blog.bp, prefix="/blog")
            return app
        """,  # noqa: E501
    )


def test_blueprint_becomes_router_with_prefix_and_tag():
    check_transformed(
        CODEMOD,
        """\
        from flask import Blueprint

        bp = Blueprint("auth", __name__, url_prefix="/auth/")


        @bp.route("/hello")
        def hello():
            return {"hello": "world"}
        """,
        """\
        from fastapi import APIRouter

        bp = APIRouter(prefix="/auth", tags=["auth"])


        @bp.get("/hello", name="auth.hello")
        async def hello():
            return {"hello": "world"}
        """,
    )


def test_flask_and_blueprint_in_annotations_become_fastapi_types():
    check_transformed(
        CODEMOD,
        """\
        from flask import Blueprint, Flask


        def register(app: Flask, bp: Blueprint) -> Flask:
            return app
        """,
        """\
        from fastapi import APIRouter, FastAPI


        def register(app: FastAPI, bp: APIRouter) -> FastAPI:
            return app
        """,
    )
