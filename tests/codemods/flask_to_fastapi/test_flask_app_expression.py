"""``Flask(__name__, ...)`` anywhere but as an assignment's value: one side of a conditional, a factory's
``return Flask(__name__)``, an argument. Only ``app = Flask(...)`` became ``FastAPI()`` plus ``init_app(app, ...)``;
elsewhere the name alone was renamed, ``FastAPI(__name__)``: a TypeError when the app was made (at import for a
module's app). Now ``init_app(FastAPI(), __name__, ...)``, which returns the app. Side by side with Flask."""

from __future__ import annotations

import ast

from side_by_side import assert_same, convert_tree, load

APP = """\
import os

from flask import Flask, jsonify

STATIC = os.environ.get("NO_STATIC") is None
app = Flask(__name__) if STATIC else Flask(__name__, static_folder=None)


def make_admin():
    return Flask(__name__, static_folder=None)


def register(apps, made):
    apps.append(made)
    return made


ADMINS = []
admin = register(ADMINS, Flask(__name__, template_folder="admin"))


@app.route("/")
def index():
    return jsonify(name=app.name, admin=admin.template_folder, made=make_admin().name, static=bool(app.static_folder))
"""

PLAIN = """\
from flask import Flask

app = Flask(__name__)
"""


def test_an_app_made_in_an_expression_builds_and_serves(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "exprapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "exprapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "exprapp.py").read_text()
    ast.parse(converted)
    assert "FastAPI(__name__" not in converted
    assert_same(flask_app, load(tmp_path / "out", "exprapp"), [("GET", "/")])


def test_noop_an_assigned_app_keeps_its_two_statements(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "plainapp.py").write_text(PLAIN)
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "plainapp.py").read_text()
    assert "app = FastAPI()\ninit_app(app, __name__)\n" in converted
