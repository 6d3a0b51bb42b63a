"""Werkzeug's ``Headers.set()``, ``add()``, ``remove()`` and ``get_all()`` on a converted response's headers, as a
view or an ``after_request`` hook called them (Starlette's MutableHeaders has none: AttributeError, a 500)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

APP = """\
from flask import Flask, make_response

app = Flask(__name__)


@app.route("/page")
def page():
    r = make_response("hello")
    r.headers.set("Cache-Control", "no-store")
    r.headers.add("X-Tag", "a")
    r.headers.add("X-Tag", "b")
    r.headers.remove("X-Missing")
    return r


@app.after_request
def count(response):
    response.headers["X-Tags"] = str(len(response.headers.get_all("X-Tag")))
    return response
"""


def test_werkzeug_header_methods_answer_as_before(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "headers_app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "headers_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "headers_app")
    for request, before, after in ask_both(flask_app, fastapi_app, [("GET", "/page")]):
        assert after == before, request
        for name in ("cache-control", "x-tags"):
            assert after.headers.get(name) == before.headers.get(name), (request, name)
