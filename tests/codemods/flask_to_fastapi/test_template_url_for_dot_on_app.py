"""``url_for(".login")`` in a view of the app itself (no blueprint) names the app's ``login``, as Flask drops the dot
when the request has no blueprint ("Could not build url for endpoint '.login'": a 500)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

APP = """\
from flask import Blueprint, Flask, url_for

app = Flask(__name__)
shelf = Blueprint("shelf", __name__)


@app.route("/login")
def login():
    return url_for(".login") + " " + url_for(".home")


@app.route("/")
def home():
    return "home"


@shelf.route("/login")
def shelf_login():
    return url_for(".shelf_login")


app.register_blueprint(shelf, url_prefix="/shelf")
"""


def test_a_dotted_endpoint_in_an_app_view_is_the_apps(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "dot_shop.py").write_text(APP)
    flask_app = load(tmp_path / "src", "dot_shop")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "dot_shop")
    for request, before, after in ask_both(flask_app, fastapi_app, [("GET", "/login"), ("GET", "/shelf/login")]):
        assert after == before, request
