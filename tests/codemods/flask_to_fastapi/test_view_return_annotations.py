"""A view's return annotation (``-> Response | str``, ``-> str``) is FastAPI's response model unless the route
says ``response_model=None``: one that is no pydantic type (a Response in a union) raised FastAPIError ("Invalid args
for response field!") as the route was made, so the converted app failed at import. Flask never read it: the
converted route says ``response_model=None`` and answers as Flask did."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD

APP = """\
from flask import Flask, Response, jsonify

app = Flask(__name__)


@app.route("/")
def index() -> Response | str:
    return "hi"


@app.route("/n/<int:n>", strict_slashes=False)
def number(n: int) -> str:
    return str(n)


@app.route("/data")
def data() -> Response:
    return jsonify(items=[1, 2])


@app.route("/plain")
def plain():
    return "plain"
"""


def test_annotated_views_serve_as_on_flask(tmp_path):
    (tmp_path / "src" / "annotated").mkdir(parents=True)
    (tmp_path / "src" / "annotated" / "__init__.py").write_text(APP)
    flask_app = load(tmp_path / "src", "annotated")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "annotated")  # raised FastAPIError at import without the keyword
    assert_same(flask_app, fastapi_app, [("GET", "/"), ("GET", "/n/3"), ("GET", "/data"), ("GET", "/plain")])


def test_only_annotated_views_say_it():
    after, _ = CODEMOD.apply(APP)
    assert '@app.get("/", response_model=None)' in after
    assert '@app.get("/n/{n:int}", response_model=None)' in after
    assert '@app.get("/plain")\n' in after
