"""Before Werkzeug 2.1 a response's relative ``Location`` went out absolute, joined to the request's URL
(``autocorrect_location_header``): an API's ``201`` with ``Location: url_for(...)`` and every redirect.

Apps pinned to Flask 0.12-1.x compare it in their tests (flasky: ``'http://localhost' + json['url'] == url``).
The installed Werkzeug decides, as it did for the Flask app.
"""

from __future__ import annotations

import sys
import textwrap

from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

SOURCE = textwrap.dedent("""\
    from flask import Flask, redirect, url_for

    app = Flask(__name__)


    @app.route("/posts/", methods=["POST"])
    def new_post():
        return {"id": 1}, 201, {"Location": url_for("post", id=1)}


    @app.route("/posts/<int:id>")
    def post(id):
        return {"id": id}


    @app.route("/blog/old")
    def old():
        return redirect("new?page=2")


    @app.route("/away")
    def away():
        return redirect("https://example.com/there")
""")


def _locations(app) -> list:
    client = FlaskStyleClient(app)
    answers = [client.post("/posts/"), client.get("/blog/old?x=1"), client.get("/away")]
    return [answer.headers.get("Location") for answer in answers]


def test_relative_locations_are_absolute_before_werkzeug_2_1(tmp_path, monkeypatch):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "postsapp.py").write_text(SOURCE)
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "postsapp")
    redirects = sys.modules["_flask_compat.redirects"]
    monkeypatch.setattr(redirects, "installed_version", lambda name: (1, 0, 1))
    assert _locations(fastapi_app) == [
        "http://localhost/posts/1",
        "http://localhost/blog/new?page=2",
        "https://example.com/there",
    ]
    monkeypatch.setattr(redirects, "installed_version", lambda name: (2, 1, 0))
    assert _locations(fastapi_app) == ["/posts/1", "new?page=2", "https://example.com/there"]
