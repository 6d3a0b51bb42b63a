"""An extension calling ``flask.url_for`` (Flask-CKEditor's ``ckeditor.config()`` in a template) builds the
converted app's URL, relative as in the Flask app, instead of answering 500.
"""

from __future__ import annotations

import sys

from side_by_side import assert_same, convert_tree, load

EXTENSION = """\
import flask


class LinkLike:
    def __init__(self, app=None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        app.extensions['link_like'] = self
        app.jinja_env.globals['link_like'] = self

    def upload_url(self, **values):
        return flask.url_for('upload', **values)
"""
APP = """\
from flask import Flask, render_template_string

from link_like import LinkLike

app = Flask(__name__)
links = LinkLike(app)


@app.route('/')
def index():
    return render_template_string('<a href="{{ link_like.upload_url(kind=kind) }}">upload</a>', kind='image')


@app.route('/upload/<kind>')
def upload(kind):
    return kind
"""


def test_an_extensions_flask_url_for_builds_the_converted_apps_url(tmp_path, monkeypatch):
    source = tmp_path / "flask_app"
    source.mkdir()
    (source / "links_app.py").write_text(APP)
    (tmp_path / "link_like.py").write_text(EXTENSION)
    monkeypatch.syspath_prepend(str(tmp_path))
    convert_tree(source, tmp_path / "out")
    flask_app = load(source, "links_app")
    fastapi_app = load(tmp_path / "out", "links_app")
    sys.modules.pop("link_like", None)
    flask_client_page = flask_app.test_client().get("/").get_data(as_text=True)
    assert 'href="/upload/image"' in flask_client_page
    assert_same(flask_app, fastapi_app, [("GET", "/"), ("GET", "/upload/image")])
