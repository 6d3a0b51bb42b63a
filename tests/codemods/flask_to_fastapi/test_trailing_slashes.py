"""Trailing slashes as Flask has them: "/items/" redirects "/items" (308), "/one" gives 404 for "/one/",
``strict_slashes=False`` answers both forms (a second, unlisted route for the other form)."""

from __future__ import annotations

import ast

from codemod_helpers import check_noop, check_transformed
from side_by_side import ask_both, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD


def test_not_flask_code_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        def route(rule, strict_slashes=True):
            return rule.rstrip("/") if not strict_slashes else rule


        route("/items/", strict_slashes=False)
        """,
    )


def test_slashed_rules_keep_their_path_and_strict_false_adds_the_other_form():
    after = check_transformed(
        CODEMOD,
        """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/items/")
        def items():
            return {"items": []}


        @app.route("/one", strict_slashes=True)
        def one():
            return {"one": 1}


        @app.route("/a/", strict_slashes=False)
        def a():
            return {"a": 1}


        @app.route("/b", methods=["GET", "POST"], strict_slashes=False)
        def b():
            return {"b": 1}


        @app.route("/", strict_slashes=False)
        def index():
            return {}
        """,
        """\
        from fastapi import FastAPI
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import init_app

        app = FastAPI()
        init_app(app, __name__)


        @app.get("/items/")
        async def items():
            return {"items": []}


        @app.get("/one")
        async def one():
            return {"one": 1}


        @app.get("/a", include_in_schema=False)
        @app.get("/a/")
        async def a():
            return {"a": 1}


        @app.api_route("/b/", methods=["GET", "POST"], include_in_schema=False)
        @app.api_route("/b", methods=["GET", "POST"])
        async def b():
            return {"b": 1}


        @app.get("/")
        async def index():
            return {}
        """,  # noqa: E501
    )
    ast.parse(after)


APP = """\
from flask import Blueprint, Flask

app = Flask(__name__)
bp = Blueprint("bp", __name__, url_prefix="/bp")


@app.route("/items/")
def items():
    return {"items": []}


@app.route("/one")
def one():
    return {"one": 1}


@app.route("/a/", strict_slashes=False)
def a():
    return {"a": 1}


@app.route("/b", strict_slashes=False)
def b():
    return {"b": 1}


@app.route("/p/", methods=["POST"])
def p():
    return {"p": 1}


@bp.route("/")
def bp_index():
    return {"bp": 1}


@bp.route("/x/")
def bp_x():
    return {"x": 1}


app.register_blueprint(bp)
"""


def test_slash_redirects_answer_like_flask(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "slash_app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "slash_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    ast.parse((tmp_path / "out" / "slash_app.py").read_text())
    fastapi_app = load(tmp_path / "out", "slash_app")
    paths = [
        "/items",
        "/items?x=1&y=2",
        "/items/",
        "/one",
        "/one/",
        "/a",
        "/a/",
        "/b",
        "/b/",
        "/p",
        "/bp",
        "/bp/",
        "/bp/x",
        "/bp/x/",
        "/bp/y",
        "/missing",
    ]
    requests = [("GET", path) for path in paths] + [("POST", "/p"), ("POST", "/items"), ("HEAD", "/items")]
    answers = ask_both(flask_app, fastapi_app, requests)
    for request, before, after in answers:
        assert after == before, f"{request}: flask {before} != fastapi {after}"
    assert answers[0][1].status == 308 and answers[1][2].location == "/items/?x=1&y=2"
