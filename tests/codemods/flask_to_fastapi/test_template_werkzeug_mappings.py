"""Werkzeug's ``to_dict(flat=False)`` and ``lists()`` on the query and form mappings a view hands to a helper of
the app, as on Werkzeug's MultiDict (Starlette's ImmutableMultiDict has neither: AttributeError, a 500)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request

app = Flask(__name__)


def semiflatten(multi):
    result = multi.to_dict(flat=False)
    for key, values in result.items():
        if len(values) == 1:
            result[key] = values[0]
    return result


@app.route("/args", methods=["GET", "POST"])
def args():
    return {
        "args": semiflatten(request.args),
        "first": request.args.to_dict(),
        "form": semiflatten(request.form),
        "lists": sorted(request.args.lists()),
    }
"""


def test_to_dict_and_lists_of_a_mapping_handed_to_a_helper(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "argsapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "argsapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "argsapp")
    requests = [
        ("GET", "/args?a=1&a=2&b=3"),
        ("POST", "/args?x=1", {"data": {"f": ["1", "2"], "g": "3"}}),
    ]
    assert_same(flask_app, fastapi_app, requests)
