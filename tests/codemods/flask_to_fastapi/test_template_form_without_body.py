"""A request that sends no form (a GET) has an empty ``request.form``, as Werkzeug's: nothing is read, so sync
code asking for it works from an ``async def`` view too (a Flask-WTF form built on GET, once sqlalchemy-to-async
made the view async)."""

from __future__ import annotations

from side_by_side import convert_tree, load
from starlette.testclient import TestClient

APP = """\
from flask import Flask, request

app = Flask(__name__)


def submitted_name():  # read where the codemod cannot see it from the view (as Flask-WTF's forms do)
    return request.form.get("name", "nobody")


@app.route("/hello", methods=["GET", "POST"])
def hello():
    return "hello " + submitted_name()
"""


def test_an_async_view_reads_the_empty_form_of_a_get(tmp_path):
    source = tmp_path / "flask_app"
    source.mkdir()
    (source / "form_app.py").write_text(APP)
    convert_tree(source, tmp_path / "out")
    converted = tmp_path / "out" / "form_app.py"
    converted.write_text(converted.read_text().replace("def hello(", "async def hello("))
    client = TestClient(load(tmp_path / "out", "form_app"), raise_server_exceptions=False)
    assert (client.get("/hello").status_code, client.get("/hello").text) == (200, "hello nobody")
    json_body = client.post("/hello", json={"name": "ada"})  # a JSON body is no form either
    assert (json_body.status_code, json_body.text) == (200, "hello nobody")
