"""A blueprint's ``url_prefix`` on the converted router: read (``bp.url_prefix``, as a factory reads it to register
each blueprint: AttributeError on the APIRouter, the app failed at import) and replaced, as Flask's
``register_blueprint(bp, url_prefix=...)`` replaces the blueprint's own (FastAPI's ``include_router(prefix=...)``
adds to it: ``/auth/auth/login`` answered, ``/auth/login`` a silent 404)."""

from __future__ import annotations

import ast

from codemod_helpers import check_transformed
from fastapi import APIRouter
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD

APP = """\
from flask import Blueprint, Flask, jsonify

auth = Blueprint("auth", __name__, url_prefix="/auth/")
shop = Blueprint("shop", __name__, url_prefix="/shop")
plain = Blueprint("plain", __name__)


@auth.route("/login")
def login():
    return jsonify(page="login")


@shop.route("/items")
def items():
    return jsonify(page="items")


@plain.route("/about")
def about():
    return jsonify(page="about")


def create_app():
    app = Flask(__name__)
    for blueprint in (auth, plain):
        url_prefix = (blueprint.url_prefix or "").rstrip("/")
        app.register_blueprint(blueprint, url_prefix=url_prefix)
    app.register_blueprint(shop, url_prefix="/store")
    return app
"""


def test_a_blueprints_url_prefix_is_read_and_replaced_as_on_flask(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "prefixapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "prefixapp", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "prefixapp", "create_app")
    paths = ["/auth/login", "/auth/auth/login", "/store/items", "/shop/items", "/store/shop/items", "/about"]
    assert_same(flask_app, fastapi_app, [("GET", path) for path in paths])


def test_fastapis_router_class_is_left_as_it_is(tmp_path):
    """The converted app reads ``url_prefix`` through the helper; FastAPI's APIRouter class gains nothing (every
    app of the process shares it)."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "prefixapp.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    load(tmp_path / "out", "prefixapp", "create_app")
    assert not hasattr(APIRouter, "url_prefix")


def test_a_url_prefix_read_becomes_the_helpers_and_a_write_is_left():
    after = check_transformed(
        CODEMOD,
        """\
        from flask import Blueprint

        bp = Blueprint("bp", __name__, url_prefix="/bp")
        prefix = (bp.url_prefix or "").rstrip("/")
        bp.url_prefix = "/other"
        """,
        """\
        from fastapi import APIRouter
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        try:
            from ._flask_compat import blueprint_url_prefix
        except ImportError:
            from _flask_compat import blueprint_url_prefix

        bp = APIRouter(prefix="/bp", tags=["bp"])
        prefix = (blueprint_url_prefix(bp) or "").rstrip("/")
        bp.url_prefix = "/other"
        """,  # noqa: E501
    )
    ast.parse(after)
