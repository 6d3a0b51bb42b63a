"""Flask's ``redirect_defaults``: with ``@route("/", defaults={"page": 1})`` next to ``/page/<int:page>``,
a request to ``/page/1`` answers 308 to ``/`` (``redirect_defaults`` above the defaults route)."""

from __future__ import annotations

import ast

from codemod_helpers import check_transformed
from side_by_side import ask_both, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD


def test_defaults_on_a_single_rule_add_no_redirect():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/", defaults={"page": 1})
        def index(page):
            return {"page": page}
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get("/")
        async def index(page = 1):
            return JSONResponse({"page": page})
        """,  # noqa: E501
    )


def test_defaults_rule_next_to_a_valued_rule_redirects():
    after = check_transformed(
        CODEMOD,
        """\
        from flask import Blueprint, Flask

        app = Flask(__name__)
        bp = Blueprint("docs", __name__, url_prefix="/docs")


        @app.route("/", defaults={"page": 1})
        @app.route("/page/<int:page>")
        def listing(page):
            return {"page": page}


        @bp.route("/page/<name>")
        @bp.route("/", defaults={"name": "index"})
        def doc(name):
            return {"name": name}
        """,
        """\
        from fastapi import APIRouter, FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, redirect_defaults

        app = FastAPI()
        init_app(app, __name__)
        bp = APIRouter(prefix="/docs", tags=["docs"])


        @redirect_defaults(app, page=1)
        @app.get("/")
        @app.get("/page/{page:int}")
        async def listing(page: int = 1):
            return JSONResponse({"page": page})


        @bp.get("/page/{name}", name="docs.doc")
        @redirect_defaults(bp, name="index")
        @bp.get("/", name="docs.doc")
        async def doc(name: str = "index"):
            return JSONResponse({"name": name})
        """,  # noqa: E501
    )
    ast.parse(after)


APP = """\
from flask import Blueprint, Flask

app = Flask(__name__)
bp = Blueprint("docs", __name__, url_prefix="/docs")


@app.route("/", defaults={"page": 1})
@app.route("/page/<int:page>")
def listing(page):
    return {"page": page}


@app.route("/fetch", defaults={"kind": "plain"}, methods=["GET", "POST"])
@app.route("/fetch/<kind>", methods=["GET", "POST"])
def fetch(kind):
    return {"kind": kind}


@bp.route("/page/<name>")
@bp.route("/", defaults={"name": "index"})
def doc(name):
    return {"name": name}


app.register_blueprint(bp)
"""


def test_defaults_redirect_answers_like_flask(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "defaults_app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "defaults_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    ast.parse((tmp_path / "out" / "defaults_app.py").read_text())
    fastapi_app = load(tmp_path / "out", "defaults_app")
    requests = [
        ("GET", p)
        for p in [
            "/",
            "/page/1",
            "/page/1?q=2",
            "/page/2",
            "/fetch",
            "/fetch/plain",
            "/fetch/other",
            "/docs/",
            "/docs/page/index",
            "/docs/page/intro",
        ]
    ]
    requests += [("POST", "/fetch/plain"), ("POST", "/fetch/other")]
    answers = ask_both(flask_app, fastapi_app, requests)
    for request, before, after in answers:
        assert after == before, f"{request}: flask {before} != fastapi {after}"
    assert answers[1][2].status == 308 and answers[1][2].location == "/"
