"""A MethodView taking ``as_view``'s arguments (``Cls.as_view("files", root=...)``), whose ``__init__`` reads
``current_app.config``: Flask makes the class in each request, so that read is inside the app context; the
conversion made it once when the rule was registered, outside any context, and the factory raised 'Working outside
of application context' (the converted app never imported). Made per request now (``view_class``), as Flask's: what
``__init__`` sets on the instance starts afresh for each request too."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, current_app, jsonify
from flask.views import MethodView


class FileAPI(MethodView):
    def __init__(self, root, cache_timeout=0):
        self.root = root
        self.limit = current_app.config["FILE_LIMIT"]
        self.seen = []

    def get(self, name):
        self.seen.append(name)
        return jsonify(root=self.root, name=name, limit=self.limit, seen=self.seen)

    def post(self, name):
        self.seen.append(name.upper())
        return jsonify(seen=self.seen), 201


class IndexAPI(MethodView):
    def __init__(self, root):
        self.root = root
        self.served = 0

    def get(self, path="index.html"):
        self.served += 1
        return jsonify(root=self.root, path=path, served=self.served)


def create_app():
    app = Flask(__name__)
    app.config["FILE_LIMIT"] = 10
    app.add_url_rule("/files/<name>", view_func=FileAPI.as_view("files", root="/srv"))
    index_view = IndexAPI.as_view("index", root="/www")
    app.add_url_rule("/", view_func=index_view)
    app.add_url_rule("/pages/<path:path>", view_func=index_view)
    return app
"""


def test_a_view_class_taking_arguments_is_made_per_request(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "perrequest_shop.py").write_text(APP)
    flask_app = load(tmp_path / "src", "perrequest_shop", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "perrequest_shop", "create_app")
    asked = [("GET", "/files/a"), ("GET", "/files/b"), ("POST", "/files/c"), ("GET", "/"), ("GET", "/pages/x/y")]
    assert_same(flask_app, fastapi_app, asked + [("GET", "/")])
