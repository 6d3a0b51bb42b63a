"""``url_for('<blueprint>.static', filename=...)`` builds an extension blueprint's static URL (Bootstrap-Flask's
``render_icon``: ``url_for('bootstrap.static', filename='icons/...')``), as ``url_for('static', ...)`` does;
it raised NoMatchFound (the file name was not the mount's ``path``): every page with an icon answered 500."""

from __future__ import annotations

import sys

from side_by_side import assert_same, convert_tree, load

EXTENSION = """\
import os

import flask


class IconLike:
    def __init__(self, app=None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        static = os.path.join(os.path.dirname(__file__), 'icon_static')
        blueprint = flask.Blueprint('icons', __name__, static_folder=static, static_url_path='/icons/static')
        app.register_blueprint(blueprint)
"""
APP = """\
from flask import Flask, render_template_string

from icon_like import IconLike

app = Flask(__name__)
IconLike(app)


@app.route('/')
def index():
    return render_template_string('<img src="{{ url_for(\\'icons.static\\', filename=\\'star.svg\\') }}">')
"""


def test_a_blueprints_static_url_is_built_from_filename(tmp_path, monkeypatch):
    source = tmp_path / "flask_app"
    source.mkdir()
    (source / "icons_app.py").write_text(APP)
    (tmp_path / "icon_like.py").write_text(EXTENSION)
    (tmp_path / "icon_static").mkdir()
    (tmp_path / "icon_static" / "star.svg").write_text("<svg/>")
    monkeypatch.syspath_prepend(str(tmp_path))
    convert_tree(source, tmp_path / "out")
    flask_app = load(source, "icons_app")
    fastapi_app = load(tmp_path / "out", "icons_app")
    sys.modules.pop("icon_like", None)
    assert 'src="/icons/static/star.svg"' in flask_app.test_client().get("/").get_data(as_text=True)
    assert_same(flask_app, fastapi_app, [("GET", "/"), ("GET", "/icons/static/star.svg")])
