"""A blueprint's ``@bp.url_defaults`` / ``@bp.url_value_preprocessor`` (its endpoints only) and their ``app_``
forms (every endpoint) become the helper's ``@url_defaults(bp)`` / ``@url_value_preprocessor(bp)``, run as Flask
ran them: an APIRouter has neither, so the decorator was removed with a TODO and the values were never filled
(``url_for`` failed on the missing parameter) nor read (``g.lang`` unset)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Blueprint, Flask, g, url_for

bp = Blueprint("shop", __name__, url_prefix="/shop")


@bp.url_defaults
def add_lang(endpoint, values):
    values.setdefault("lang", g.get("lang", "en"))


@bp.url_value_preprocessor
def pull_lang(endpoint, values):
    g.lang = values.pop("lang")


@bp.app_url_defaults
def add_version(endpoint, values):
    if endpoint == "index":
        values.setdefault("v", "1")


@bp.route("/<lang>/item/<int:n>")
def item(n):
    return f"{g.lang} {n} " + url_for(".item", n=n + 1) + " " + url_for("index")


app = Flask(__name__)
app.register_blueprint(bp)


@app.route("/")
def index():
    return f"home {getattr(g, 'lang', 'unset')} " + url_for("shop.item", n=1) + " " + url_for("index")
"""
NOOP = """\
from flask import Blueprint, Flask, url_for

bp = Blueprint("shop", __name__, url_prefix="/shop")


@bp.route("/<lang>/item/<int:n>")
def item(lang, n):
    return f"{lang} {n} " + url_for(".item", lang=lang, n=n + 1)


app = Flask(__name__)
app.register_blueprint(bp)
"""


def _convert(tmp_path, text):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "shopapp.py").write_text(text)
    flask_app = load(tmp_path / "src", "shopapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    return flask_app, load(tmp_path / "out", "shopapp"), (tmp_path / "out" / "shopapp.py").read_text()


def test_a_blueprints_url_processors_run_for_its_endpoints(tmp_path):
    flask_app, fastapi_app, text = _convert(tmp_path, APP)
    assert "@url_defaults(bp)" in text and "@url_value_preprocessor(bp)" in text
    assert "@url_defaults(bp, app_wide=True)" in text and "TODO(asyncshift): @bp." not in text
    assert_same(flask_app, fastapi_app, [("GET", "/shop/fr/item/3"), ("GET", "/")])


def test_a_blueprint_without_url_processors_is_converted_as_before(tmp_path):
    flask_app, fastapi_app, text = _convert(tmp_path, NOOP)
    assert "url_defaults" not in text and "url_value_preprocessor" not in text
    assert_same(flask_app, fastapi_app, [("GET", "/shop/fr/item/3")])
