"""``app.url_map.is_endpoint_expecting(endpoint, "arg")`` (an app's ``url_defaults`` callback asks whether a route
takes a value before adding it) answers from the FastAPI app's routes, as Werkzeug's Map answered: the converted
app's ``url_map`` had no such method (AttributeError in every ``url_for``)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, url_for


def init_processors(app):
    @app.url_defaults
    def lang_default(endpoint, values):
        if "lang" not in values and app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = "en"


def create_app():
    app = Flask(__name__)
    init_processors(app)

    @app.route("/<lang>/page/<int:n>")
    def page(lang, n):
        return f"{lang}:{n}"

    @app.route("/plain/<int:n>")
    def plain(n):
        return str(n)

    @app.route("/asks")
    def asks():
        m = app.url_map
        answers = [
            m.is_endpoint_expecting("page", "lang"),
            m.is_endpoint_expecting("page", "lang", "n"),
            m.is_endpoint_expecting("page", "lang", "other"),
            m.is_endpoint_expecting("plain", "lang"),
        ]
        return " ".join(str(a) for a in answers)

    @app.route("/links")
    def links():
        return url_for("page", n=2) + " " + url_for("plain", n=3)

    return app
"""
NOOP = """\
from flask import Flask

app = Flask(__name__)
app.url_map.strict_slashes = False


@app.route("/a/")
def a():
    return "a"
"""


def test_is_endpoint_expecting_answers_from_the_routes(tmp_path):
    (tmp_path / "src" / "langapp").mkdir(parents=True)
    (tmp_path / "src" / "langapp" / "__init__.py").write_text(APP)
    flask_app = load(tmp_path / "src", "langapp", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "langapp", "create_app")
    assert_same(flask_app, fastapi_app, [("GET", "/asks"), ("GET", "/links"), ("GET", "/en/page/2")])


def test_an_app_setting_url_map_attributes_serves_as_before(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "slashapp.py").write_text(NOOP)
    flask_app = load(tmp_path / "src", "slashapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "slashapp")
    assert_same(flask_app, fastapi_app, [("GET", "/a"), ("GET", "/a/")])
