"""An extension set up inside ``with app.app_context():`` and read there through ``flask.current_app``
(CTFd's ``cache.init_app(app)`` then ``cache.get(...)``, Flask-Caching reading ``current_app.extensions["cache"]``)
finds what its ``init_app`` put in ``app.extensions``: the Flask twin standing for the app in Flask's context had
an ``extensions`` of its own, and the converted app failed at import (KeyError: 'cache')."""

from __future__ import annotations

import sys

from side_by_side import assert_same, convert_tree, load

EXTENSION = """\
from flask import current_app


class Cache:
    def init_app(self, app):
        app.extensions.setdefault("cache", {})[self] = {"greeting": "hi"}

    def get(self, key):
        return current_app.extensions["cache"][self][key]
"""

APP = """\
from flask import Flask, jsonify

from cachelike import Cache

cache = Cache()
app = Flask(__name__)
with app.app_context():
    cache.init_app(app)
    GREETING = cache.get("greeting")


@app.route("/")
def index():
    return jsonify(greeting=GREETING)
"""


def test_an_extension_set_up_in_an_app_context_reads_the_apps_extensions(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "cachelike.py").write_text(EXTENSION)  # a library: not converted
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "cacheapp.py").write_text(APP)
    sys.path.insert(0, str(tmp_path / "lib"))
    try:
        flask_app = load(tmp_path / "src", "cacheapp")
        convert_tree(tmp_path / "src", tmp_path / "out")
        assert_same(flask_app, load(tmp_path / "out", "cacheapp"), [("GET", "/")])
    finally:
        sys.path.remove(str(tmp_path / "lib"))
        sys.modules.pop("cachelike", None)
