"""``app.url_map.strict_slashes = False`` after the app is made: the converted app has a ``url_map`` (it failed at
import: ``'FastAPI' object has no attribute 'url_map'``), and a URL with or without its trailing slash answers
from the rule with no redirect, as Werkzeug's map does."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask

app = Flask(__name__)
app.url_map.strict_slashes = False


@app.route("/plain")
def plain():
    return "plain"


@app.route("/slashed/")
def slashed():
    return "slashed"


@app.route("/items/<int:item_id>")
def item(item_id):
    return str(item_id)
"""


def test_url_map_strict_slashes_false_answers_both_forms(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "slashapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "slashapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "slashapp")
    paths = ["/plain", "/plain/", "/slashed", "/slashed/", "/items/3", "/items/3/", "/nothing", "/nothing/"]
    assert_same(flask_app, fastapi_app, [("GET", path) for path in paths])
