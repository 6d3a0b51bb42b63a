"""A blueprint's ``url_prefix`` read at run time (a config value that may be None, a parameter): Flask takes
None as no prefix and strips a trailing slash; the converted ``APIRouter(prefix=None)`` stopped the app at
import (``None + path`` in FastAPI's ``add_api_route``)."""

from __future__ import annotations

import ast

from codemod_helpers import check_transformed
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD


def test_a_prefix_read_at_run_time_becomes_one_fastapi_takes():
    after = check_transformed(
        CODEMOD,
        """\
        from flask import Blueprint, Flask

        app = Flask(__name__)
        docs = Blueprint("docs", __name__, url_prefix=app.config.get("DOCS_PREFIX"))
        api = Blueprint("api", __name__)


        def register(app, prefix):
            app.register_blueprint(api, url_prefix=prefix)
        """,
        """\
        from fastapi import APIRouter, FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        app = FastAPI()
        init_app(app, __name__)
        docs = APIRouter(prefix=(app.config.get("DOCS_PREFIX") or "").rstrip("/"), tags=["docs"])
        api = APIRouter(tags=["api"])


        def register(app, prefix):
            app.include_router(api, prefix=(prefix or "").rstrip("/"))
        """,  # noqa: E501
    )
    ast.parse(after)


APP = """\
from flask import Blueprint, Flask, jsonify


def create_app(prefix=None):
    app = Flask(__name__)
    app.config.setdefault("SWAGGER_URL_PREFIX", None)
    swagger = Blueprint("swagger", __name__, url_prefix=app.config["SWAGGER_URL_PREFIX"])
    swagger.add_url_rule("/swagger.json", "swagger_json", lambda: jsonify(openapi="3.0.2"))
    app.register_blueprint(swagger)
    api = Blueprint("api", __name__)

    @api.route("/ping")
    def ping():
        return jsonify(pong=True)

    app.register_blueprint(api, url_prefix=prefix)
    return app
"""


def test_prefixes_of_none_and_of_a_trailing_slash_answer_like_flask(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "prefixed_app.py").write_text(APP)
    for prefix, requests in ((None, ["/swagger.json", "/ping"]), ("/v1/", ["/swagger.json", "/v1/ping", "/ping"])):
        flask_app = load(tmp_path / "src", "prefixed_app", "create_app", prefix)
        convert_tree(tmp_path / "src", tmp_path / "out")
        fastapi_app = load(tmp_path / "out", "prefixed_app", "create_app", prefix)  # imported: no TypeError
        assert_same(flask_app, fastapi_app, [("GET", path) for path in requests])
