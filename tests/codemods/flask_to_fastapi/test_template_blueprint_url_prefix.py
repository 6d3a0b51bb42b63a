"""A blueprint's ``url_prefix`` on the converted router: read (``bp.url_prefix``, as a factory reads it to register
each blueprint: AttributeError on the APIRouter, the app failed at import) and replaced, as Flask's
``register_blueprint(bp, url_prefix=...)`` replaces the blueprint's own (FastAPI's ``include_router(prefix=...)``
adds to it: ``/auth/auth/login`` answered, ``/auth/login`` a silent 404), and written before it is registered
(``bp.url_prefix = config_value``: the router had the prefix in each route's path already, the write did nothing: a
silent 404 with no TODO)."""

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


def test_a_url_prefix_read_and_write_become_the_helpers():
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
            from ._flask_compat import blueprint_url_prefix, set_blueprint_url_prefix
        except ImportError:
            from _flask_compat import blueprint_url_prefix, set_blueprint_url_prefix

        bp = APIRouter(prefix="/bp", tags=["bp"])
        prefix = (blueprint_url_prefix(bp) or "").rstrip("/")
        set_blueprint_url_prefix(bp, "/other")
        """,  # noqa: E501
    )
    ast.parse(after)


WRITTEN = """\
from flask import Blueprint, Flask, jsonify

admin = Blueprint("admin", __name__, url_prefix="/admin")
api = Blueprint("api", __name__)


@admin.route("/users")
def users():
    return jsonify(page="users")


@api.route("/ping")
def ping():
    return jsonify(page="ping")


def create_app(mount="/manage/"):
    app = Flask(__name__)
    admin.url_prefix = mount
    api.url_prefix = "/api/v2"

    @api.route("/late")
    def late():
        return jsonify(page="late")

    app.register_blueprint(admin)
    app.register_blueprint(api)
    return app
"""


def test_a_url_prefix_written_before_registering_moves_the_routes_as_on_flask(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "prefixwrite.py").write_text(WRITTEN)
    flask_app = load(tmp_path / "src", "prefixwrite", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "prefixwrite", "create_app")
    paths = ["/manage/users", "/admin/users", "/api/v2/ping", "/ping", "/api/v2/late", "/late"]
    assert_same(flask_app, fastapi_app, [("GET", path) for path in paths])
