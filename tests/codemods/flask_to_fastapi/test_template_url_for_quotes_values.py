"""``url_for`` quotes a string or path value as Werkzeug's converters do as they build (``✓project`` ->
``%E2%9C%93project``, a space -> ``%20``); Starlette's put the value in the path as it is, so a redirect to a
project with a non-ASCII name went out unquoted where the Flask app's tests expected Werkzeug's URL. Werkzeug 2.3+
leaves ``!$&'()*+,/:;=@`` unquoted, older ones only ``/:``; an int is no string to quote."""

from __future__ import annotations

import sys

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, jsonify, url_for

app = Flask(__name__)


@app.route("/project/<short_name>/blog")
def blog(short_name):
    return jsonify(short_name=short_name)


@app.route("/files/<path:name>")
def files(name):
    return jsonify(name=name)


@app.route("/posts/<int:id>")
def post(id):
    return jsonify(id=id)


@app.route("/links")
def links():
    return jsonify(
        blog=url_for("blog", short_name="\\u2713project one!"),
        files=url_for("files", name="a b/c&d.txt"),
        post=url_for("post", id=7),
    )
"""


def test_url_for_quotes_values_as_the_installed_werkzeug(tmp_path, monkeypatch):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "linksapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "linksapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "linksapp")
    assert_same(flask_app, fastapi_app, [("GET", "/links", {}), ("GET", "/project/%E2%9C%93project%20one!/blog", {})])
    urls = sys.modules["_flask_compat.urls"]
    monkeypatch.setattr(urls, "installed_version", lambda name: (1, 0, 1))
    from codemods.flask_to_fastapi.testclient import FlaskStyleClient

    assert FlaskStyleClient(fastapi_app).get("/links").get_json() == {
        "blog": "/project/%E2%9C%93project%20one%21/blog",
        "files": "/files/a%20b/c%26d.txt",
        "post": "/posts/7",
    }
