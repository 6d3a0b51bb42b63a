"""A name of ``from flask import ...`` that the conversion leaves as it was is still importable: the import line
was rewritten for what was converted, and a name no rewrite asked for was dropped with it, a NameError with no
TODO. ``Config("/")`` run at import failed the whole module (every test file importing it failed to collect);
``jsonify`` returned to a project's decorator that reads the response (the view's returns are kept), or bound to
another name at import, failed each request or the module; ``@stream_with_context`` on a view's generator was kept
from Flask, whose wrapper raised outside Flask's request context. Each is the helper's twin of the same name now (a
name the helper has not keeps Flask's import, marked with a TODO)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

SETTINGS = """\
from flask import Config

DEFAULTS = Config("/", {"DEBUG": False})
DEFAULTS.from_mapping(GREETING="hello")
"""

WRAPPING = """\
from functools import wraps


def stamped(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        response.headers["X-Stamped"] = "yes"
        return response
    return wrapper
"""

VIEWS = """\
from flask import Blueprint, Response, jsonify, request, stream_with_context

from leftnames.settings import DEFAULTS
from leftnames.wrapping import stamped

pages = Blueprint("pages", __name__)
answer = jsonify


@pages.route("/made", methods=["POST"])
@stamped
def made():
    return jsonify(status="ok", greeting=DEFAULTS["GREETING"])


@pages.route("/answered")
def answered():
    return answer(status="ok", debug=DEFAULTS["DEBUG"])


@pages.route("/lines")
def lines():
    @stream_with_context
    def generate():
        for n in range(int(request.args.get("n", 2))):
            yield f"line {n}\\n"
    return Response(generate(), mimetype="text/plain")
"""

MAIN = """\
from flask import Flask

from leftnames.views import pages


def create_app():
    app = Flask(__name__)
    app.register_blueprint(pages)
    return app
"""


def test_flask_names_no_rewrite_asked_for_stay_importable(tmp_path):
    package = tmp_path / "src" / "leftnames"
    package.mkdir(parents=True)
    files = {"__init__.py": "", "settings.py": SETTINGS, "wrapping.py": WRAPPING, "views.py": VIEWS, "main.py": MAIN}
    for name, text in files.items():
        (package / name).write_text(text)
    flask_app = load(tmp_path / "src", "leftnames.main", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    settings = (tmp_path / "out" / "leftnames" / "settings.py").read_text()
    views = (tmp_path / "out" / "leftnames" / "views.py").read_text()
    assert "import Config" in settings
    assert "jsonify" in views.split("@pages")[0] and "stream_with_context" in views.split("@pages")[0]
    assert "from flask" not in views
    converted = load(tmp_path / "out", "leftnames.main", "create_app")
    assert_same(
        flask_app, converted, [("POST", "/made"), ("GET", "/answered"), ("GET", "/lines"), ("GET", "/lines?n=3")]
    )
