"""``raise abort(401)``: Flask's ``abort`` raises its own error, so the ``raise`` never runs; the idiom is common in
permission helpers outside the views. It was left on Flask's ``abort`` with a TODO, which raised Werkzeug's
``Unauthorized``, not the helper's, and a converted view's ``except (Forbidden, Unauthorized)`` (the helper's
classes) no longer caught it: the view answered 401 where Flask skipped the item. It becomes
``raise HTTPException(status_code=401)``, which is the helper's ``Unauthorized``, as ``abort(401)`` alone does."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

GUARDS = """\
from flask import abort


def ensure_owner(thing):
    if thing.get("owner") is None:
        raise abort(401)
    if thing["owner"] != "ada":
        raise abort(403, "not yours")
    return thing
"""

VIEWS = """\
from flask import Flask, jsonify
from werkzeug.exceptions import Forbidden, Unauthorized

from shop.guards import ensure_owner

app = Flask(__name__)
THINGS = [{"id": 1, "owner": "ada"}, {"id": 2, "owner": "bob"}, {"id": 3}]


@app.route("/things")
def things():
    shown = []
    for thing in THINGS:
        try:
            shown.append(ensure_owner(thing)["id"])
        except (Forbidden, Unauthorized):
            pass
    return jsonify(shown)


@app.route("/things/<int:index>")
def thing(index):
    return jsonify(ensure_owner(THINGS[index]))
"""


def test_raise_abort_raises_the_helpers_error_as_abort_does(tmp_path):
    (tmp_path / "src/shop").mkdir(parents=True)
    (tmp_path / "src/shop/__init__.py").write_text("")
    (tmp_path / "src/shop/guards.py").write_text(GUARDS)
    (tmp_path / "src/shop/views.py").write_text(VIEWS)
    flask_app = load(tmp_path / "src", "shop.views")
    convert_tree(tmp_path / "src", tmp_path / "out")
    guards = (tmp_path / "out/shop/guards.py").read_text()
    assert "raise HTTPException(status_code=401)\n" in guards
    assert 'raise HTTPException(status_code=403, detail="not yours")\n' in guards
    assert "abort" not in guards and "TODO" not in guards.split("\n", 1)[1]
    fastapi_app = load(tmp_path / "out", "shop.views")
    assert_same(flask_app, fastapi_app, [("GET", "/things", {}), ("GET", "/things/1", {}), ("GET", "/things/2", {})])
