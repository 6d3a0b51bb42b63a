"""``@app.url_defaults`` callbacks fill the values ``url_for`` builds with (a theme, a cache-busting version), in
views and templates, as Flask ran them: a factory helper's ``@app.url_defaults`` and a module's
``@current_app.url_defaults`` (imported inside the factory's app context, the module left on Flask). The face
logged them and ran none, so every URL lacked its value (a missing path parameter: the page failed)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

HELPERS = """\
from flask import current_app


@current_app.url_defaults
def version_default(endpoint, values):
    if endpoint == "files":
        values["v"] = "7"
"""
PROCESSORS = """\
def init_processors(app):
    @app.url_defaults
    def theme_default(endpoint, values):
        if endpoint == "files" and "theme" not in values:
            values["theme"] = "core"
"""
APP = """\
from flask import Flask, render_template_string, url_for

from themedapp.processors import init_processors


def create_app():
    app = Flask(__name__)
    init_processors(app)
    with app.app_context():
        import themedapp.helpers  # noqa: F401

    @app.route("/themes/<theme>/<path:path>")
    def files(theme, path):
        return f"{theme}:{path}"

    @app.route("/")
    def index():
        return render_template_string("<a href='{{ url_for('files', path='a.css') }}'>a</a>")

    @app.route("/link")
    def link():
        return url_for("files", path="b.js") + " " + url_for("files", path="c.js", theme="other")

    return app
"""
NOOP = """\
from flask import Flask, url_for


def create_app():
    app = Flask(__name__)

    @app.route("/themes/<theme>/<path:path>")
    def files(theme, path):
        return f"{theme}:{path}"

    @app.route("/link")
    def link():
        return url_for("files", theme="core", path="b.js", v=1)

    return app
"""


def _tree(root, files):
    (root / "themedapp").mkdir(parents=True)
    for name, text in files.items():
        (root / "themedapp" / name).write_text(text)


def test_url_defaults_fill_the_values_url_for_builds_with(tmp_path):
    _tree(tmp_path / "src", {"__init__.py": APP, "helpers.py": HELPERS, "processors.py": PROCESSORS})
    flask_app = load(tmp_path / "src", "themedapp", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "themedapp", "create_app")
    assert_same(flask_app, fastapi_app, [("GET", "/"), ("GET", "/link"), ("GET", "/themes/core/a.css?v=7")])
    assert "/themes/core/b.js?v=7" in flask_app.test_client().get("/link").get_data(as_text=True)  # they ran


def test_an_app_without_url_defaults_builds_as_before(tmp_path):
    _tree(tmp_path / "src", {"__init__.py": NOOP})
    flask_app = load(tmp_path / "src", "themedapp", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "themedapp", "create_app")
    assert_same(flask_app, fastapi_app, [("GET", "/link")])
