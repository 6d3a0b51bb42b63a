"""``@app.url_value_preprocessor`` runs before the ``before_request`` hooks with the endpoint and the matched URL's
values, as Flask ran it (``g.lang = values.pop("lang")``, read by the views and hooks): the face logged it and
ran none, so ``g.lang`` was never set."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, g


def init_processors(app):
    @app.url_value_preprocessor
    def pull_lang(endpoint, values):
        g.seen = f"{endpoint}:{sorted(values) if values is not None else None}"
        if values:
            g.lang = values.pop("lang", "none")


def create_app():
    app = Flask(__name__)
    init_processors(app)

    @app.before_request
    def hook():
        g.hooked = getattr(g, "lang", "unset")

    @app.route("/<lang>/about")
    def about(lang=None):
        return f"{g.lang} {g.hooked} {g.seen}"

    @app.route("/plain")
    def plain():
        return f"{getattr(g, 'lang', 'unset')} {g.seen}"

    return app
"""
NOOP = """\
from flask import Flask, g

app = Flask(__name__)


@app.before_request
def hook():
    g.hooked = "yes"


@app.route("/<lang>/about")
def about(lang):
    return f"{lang} {g.hooked}"
"""


def test_url_value_preprocessors_run_before_the_hooks(tmp_path):
    (tmp_path / "src" / "langapp").mkdir(parents=True)
    (tmp_path / "src" / "langapp" / "__init__.py").write_text(APP)
    flask_app = load(tmp_path / "src", "langapp", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "langapp", "create_app")
    assert_same(flask_app, fastapi_app, [("GET", "/de/about"), ("GET", "/plain")])


def test_an_app_without_preprocessors_serves_as_before(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "plainapp.py").write_text(NOOP)
    flask_app = load(tmp_path / "src", "plainapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "plainapp")
    assert_same(flask_app, fastapi_app, [("GET", "/de/about")])
