"""Attributes the app sets on Flask's request in a hook (``request.start = ...``) reach the view, its helpers and
the ``after_request`` hook through ``request.state``, as they reached them on Flask's one request object (they
were TODOs, and each Starlette ``Request`` of the request is another object: AttributeError); assigning one of
Flask's own (``request.form = dict(...)``) is valid code with a TODO (it was an assignment to a call)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

APP = """\
from flask import Flask, request

app = Flask(__name__)


@app.before_request
def pre_request():
    request.timings = []
    request.user_agent_seen, request.errors = request.headers.get("X-Agent", ""), []
    request.form = dict(request.form.items())


def render(name):
    return name + " " + ",".join(request.errors)


@app.route("/search", methods=["GET", "POST"])
def search():
    request.errors.append("checked")
    request.timings.append(1)
    return render(request.user_agent_seen)


@app.after_request
def post(response):
    response.headers["X-Timings"] = str(len(request.timings))
    return response
"""


def test_attributes_set_on_the_request_reach_the_view_and_hooks(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "stateapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "stateapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert "request.state.form = dict(" in (tmp_path / "out" / "stateapp.py").read_text()  # the helper reads it
    fastapi_app = load(tmp_path / "out", "stateapp")
    requests = [("GET", "/search", {"headers": {"X-Agent": "me"}}), ("POST", "/search", {"data": {"q": "x"}})]
    for request, before, after in ask_both(flask_app, fastapi_app, requests):
        assert after == before, request
        assert after.headers.get("x-timings") == before.headers.get("x-timings") == "1", request
