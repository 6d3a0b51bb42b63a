"""``request.values`` answers as Werkzeug's ``CombinedMultiDict``: the query's arguments first, then the form's fields
(none on a GET), in a view (read through a dependency) and in a helper the view calls (read synchronously)."""

from __future__ import annotations

import importlib.util

from side_by_side import convert_tree, load
from starlette.testclient import TestClient

APP = """\
from flask import Flask, request

app = Flask(__name__)


def wanted():  # read outside the view
    return request.values.get("who", "nobody")


@app.route("/values", methods=["GET", "POST"])
def values():
    named = "project_id" in request.values and request.values["project_id"]
    return {"named": named, "add": request.values.get("add_bill", False), "who": wanted(),
            "all": request.values.getlist("x")}
"""
CASES = [
    ("get", "/values?project_id=p1&x=1", None),
    ("get", "/values?x=1&x=2", None),
    ("post", "/values?x=1&project_id=q", {"project_id": "f", "x": "2", "who": "ada", "add_bill": "1"}),
    ("post", "/values", {"who": "bob"}),
]


def _answers(client, form_kw: str) -> list:
    out = []
    for method, url, form in CASES:
        response = getattr(client, method)(url, **({form_kw: form} if form else {}))
        body = response.json
        out.append((response.status_code, body() if callable(body) else body))
    return out


def test_request_values_answer_as_flasks(tmp_path):
    source = tmp_path / "flask_app"
    source.mkdir()
    (source / "values_app.py").write_text(APP)
    spec = importlib.util.spec_from_file_location("values_app_flask", source / "values_app.py")
    flask_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(flask_module)
    expected = _answers(flask_module.app.test_client(), "data")
    convert_tree(source, tmp_path / "out")
    assert "TODO(asyncshift): request.values" not in (tmp_path / "out" / "values_app.py").read_text()
    client = TestClient(load(tmp_path / "out", "values_app"), raise_server_exceptions=False)
    assert _answers(client, "data") == expected
    assert expected[0][1]["named"] == "p1" and expected[2][1]["named"] == "q"  # the query's value first
