"""``url_for(".login")`` inside a blueprint's ``url_value_preprocessor``: Flask has matched the URL by then, so a
relative endpoint is the matched blueprint's. The helper's preprocessors run in the middleware, before
Starlette's routing sets the route on the scope, so ``url_for`` had no blueprint to read and raised
``ValueError: Could not build url for endpoint '.login'`` (every request through such a preprocessor: 500)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Blueprint, Flask, g, url_for

bp = Blueprint("shop", __name__, url_prefix="/shop")


@bp.url_value_preprocessor
def pull_lang(endpoint, values):
    g.lang = values.pop("lang", "en")
    g.back = url_for(".login", lang=g.lang)


@bp.route("/<lang>/login")
def login():
    return "shop login " + g.lang


@bp.route("/<lang>/item/<int:n>")
def item(n):
    return f"{g.lang} {n} back to " + g.back


app = Flask(__name__)
app.register_blueprint(bp)


@app.route("/login")
def login():
    return "site login"
"""


def test_a_relative_endpoint_in_a_url_value_preprocessor_is_the_matched_blueprints(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "relapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "relapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "relapp")
    assert_same(flask_app, fastapi_app, [("GET", "/shop/fr/item/3"), ("GET", "/shop/de/login"), ("GET", "/login")])
