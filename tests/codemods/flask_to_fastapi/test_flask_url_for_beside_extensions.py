"""An old test's ``flask.url_for`` in ``app.app_context()`` on a converted app with an extension (whose Flask app
stands behind it, ``face.flask_app_context``) builds the route's URL, as the Flask app did, instead of a BuildError.
"""

from __future__ import annotations

import sys

import flask
from side_by_side import convert_tree, load

EXTENSION = """\
class Counter:
    def __init__(self, app=None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        app.extensions['counter'] = self
"""
APP = """\
from flask import Flask

from counter_ext import Counter

app = Flask(__name__)
app.config['SERVER_NAME'] = 'localhost'
counter = Counter(app)


@app.route('/files', defaults={'path': ''})
@app.route('/files/<path:path>')
def files(path):
    return path
"""


def test_flask_url_for_in_an_app_context_builds_the_converted_routes_url(tmp_path, monkeypatch):
    source = tmp_path / "flask_app"
    source.mkdir()
    (source / "files_app.py").write_text(APP)
    (tmp_path / "counter_ext.py").write_text(EXTENSION)
    monkeypatch.syspath_prepend(str(tmp_path))
    convert_tree(source, tmp_path / "out")
    flask_app = load(source, "files_app")
    fastapi_app = load(tmp_path / "out", "files_app")
    sys.modules.pop("counter_ext", None)
    with flask_app.app_context():
        expected = flask.url_for("files", path="a/b.txt")
    assert expected == "http://localhost/files/a/b.txt"
    with fastapi_app.app_context():
        assert flask.url_for("files", path="a/b.txt") == expected
