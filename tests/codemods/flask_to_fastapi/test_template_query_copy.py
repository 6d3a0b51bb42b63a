"""Werkzeug's ``request.args.copy()`` (a mutable ``MultiDict`` of the query: a page's link to itself with one parameter
changed, ``urlencode(params)``) in a function outside the views (a template global): Starlette's ``QueryParams`` has
no ``copy`` (AttributeError: the page rendering it answered 500). The helper package gives Starlette's mappings
Werkzeug's ``copy()``: a mutable ``MultiDict`` of every value, as Werkzeug's."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from urllib.parse import urlencode

from flask import Flask, render_template_string, request

app = Flask(__name__)


def sorted_by(field):
    params = request.args.copy()
    params["sort_by"] = field
    return f"{request.path}?{urlencode(params)}"


app.add_template_global(sorted_by)


@app.route("/items")
def items():
    return render_template_string("<a href='{{ sorted_by('name') }}'>name</a> {{ request.args.get('page') }}")


@app.route("/tags")
def tags():
    params = request.args.copy()
    params.add("tag", "new")
    return {"tags": params.getlist("tag"), "page": params.get("page")}
"""


def test_query_copy_is_a_mutable_multidict(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "copyapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "copyapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "copyapp")
    requests = [("GET", "/items?page=2"), ("GET", "/items?page=2&sort_by=date"), ("GET", "/tags?tag=a&tag=b&page=3")]
    assert_same(flask_app, fastapi_app, requests)
