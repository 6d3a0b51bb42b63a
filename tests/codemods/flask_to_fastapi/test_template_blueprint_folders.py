"""A blueprint's own ``template_folder=`` and ``static_folder=`` are served by the app that includes its router, as
Flask served them: its pages render from its templates and ``url_for("<bp>.static", filename=...)`` builds and
answers (they were a TODO: "Could not build url for endpoint 'dash.static'", every page a 500)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

WEB = """\
from flask import Blueprint, render_template

blueprint = Blueprint("dash", __name__, template_folder="templates", static_folder="static")


@blueprint.route("/")
def index():
    return render_template("dash/index.html")
"""
APP = """\
from flask import Flask

from .dash.web import blueprint


def make_app(prefix):
    app = Flask(__name__)  # its own templates/ and static/ would be dashpkg's: the blueprint's are in dash/
    app.register_blueprint(blueprint, url_prefix=prefix)
    return app
"""
PAGE = "<link href=\"{{ url_for('dash.static', filename='css/main.css') }}\">hello"


def test_a_blueprints_folders_are_served_by_the_app(tmp_path):
    package = tmp_path / "src" / "dashpkg"
    (package / "dash" / "templates" / "dash").mkdir(parents=True)
    (package / "dash" / "static" / "css").mkdir(parents=True)
    (package / "__init__.py").write_text(APP)
    (package / "dash" / "__init__.py").write_text("")
    (package / "dash" / "web.py").write_text(WEB)
    (package / "dash" / "templates" / "dash" / "index.html").write_text(PAGE)
    (package / "dash" / "static" / "css" / "main.css").write_text("body {}")
    flask_app = load(tmp_path / "src", "dashpkg", "make_app", "/dash")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "dashpkg", "make_app", "/dash")
    assert_same(flask_app, fastapi_app, [("GET", "/dash/"), ("GET", "/dash/static/css/main.css")])
