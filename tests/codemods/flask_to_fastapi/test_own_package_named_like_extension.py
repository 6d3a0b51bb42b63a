"""A project's own package named like a Flask extension (``flask_notes``, its views' blueprint in
``flask_notes.views``) is no extension: its names were read as an unconverted extension's objects, so a module
whose routes are ``@bp.route`` on the package's blueprint was left on Flask (a REST extension's Resources'
TODO, its views unconverted while the helpers they call now take the request), and its absolute imports of
its own modules got an extension's TODO. Side by side: the pages answer the same."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

FILES = {
    "flask_notes/__init__.py": """
from flask import Flask


def create_app():
    app = Flask(__name__)
    from .views import init_views

    init_views(app)
    return app
""",
    "flask_notes/helpers.py": """
from flask import request


def page_number():
    return request.args.get("page", 1, type=int)
""",
    "flask_notes/views/__init__.py": """
from flask import Blueprint, Flask

bp = Blueprint("notes", __name__)


def init_views(app: Flask) -> None:
    from . import home  # noqa: F401

    app.register_blueprint(bp)
""",
    "flask_notes/views/home.py": """
from flask import jsonify

from flask_notes.helpers import page_number

from . import bp


@bp.route("/home")
def home():
    return jsonify(page=page_number())
""",
}


def _tree(root):
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip())
    return root


def test_the_views_of_a_package_named_like_an_extension_are_converted(tmp_path):
    source = _tree(tmp_path / "src")
    result = convert_tree(source, tmp_path / "out")
    assert not [f for f in result.files if f.status == "failed"]
    home = (tmp_path / "out" / "flask_notes" / "views" / "home.py").read_text()
    assert "runs on Flask" not in home, home
    assert "def home(request: Request)" in home, home
    assert "Flask-Notes" not in home, home  # no extension's TODO at the project's own import
    flask_app = load(source, "flask_notes", "create_app")
    fastapi_app = load(tmp_path / "out", "flask_notes", "create_app")
    assert_same(flask_app, fastapi_app, [("GET", "/home"), ("GET", "/home?page=3")])
