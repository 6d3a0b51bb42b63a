"""A small form is read before the view runs, as Flask parses it: sync code reading ``request.form``
works from an ``async def`` view too (sqlalchemy-to-async makes views that await the database async)."""

from __future__ import annotations

from side_by_side import convert_tree, load
from starlette.testclient import TestClient

APP = """\
from flask import Flask, request

app = Flask(__name__)


def submitted_name():  # read where the codemod cannot see it from the view (as Flask-WTF's forms do)
    return request.form["name"]


@app.route("/hello", methods=["POST"])
def hello():
    return "hello " + submitted_name()
"""


def _client(tmp_path, *, make_async: bool) -> TestClient:
    source = tmp_path / "flask_app"
    source.mkdir()
    (source / "form_app.py").write_text(APP)
    convert_tree(source, tmp_path / "out")
    converted = tmp_path / "out" / "form_app.py"
    text = converted.read_text()
    assert "def hello(" in text
    if make_async:  # what a later codemod does to a view that now awaits the database
        converted.write_text(text.replace("def hello(", "async def hello("))
    return TestClient(load(tmp_path / "out", "form_app"), raise_server_exceptions=False)


def test_an_async_view_reads_a_small_form_through_sync_code(tmp_path):
    answer = _client(tmp_path, make_async=True).post("/hello", data={"name": "ada"})
    assert (answer.status_code, answer.text) == (200, "hello ada")


def test_a_form_too_large_to_read_ahead_is_read_when_a_def_view_asks(tmp_path):
    padding = {f"field{n}": "y" * 2000 for n in range(600)}  # 1.2 MB: over the read-ahead limit
    answer = _client(tmp_path, make_async=False).post("/hello", data={"name": "ada", **padding})
    assert (answer.status_code, answer.text) == (200, "hello ada")
