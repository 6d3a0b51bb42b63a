"""A module with nothing of Flask's calling a function of the run that now takes the request first (a model's
``serialize`` calling ``absolute_url(path)``, whose module reads ``flask.request``): the module was not converted,
the path went in as the request, and the helper's own ``except Exception`` answered ``'/'`` (no error, no TODO)."""

from __future__ import annotations

import sys

from side_by_side import assert_same, convert_tree, load

HREFS = """\
from urllib.parse import urljoin

from flask import current_app, request


def absolute_url(path=""):
    try:
        base_url = current_app.config.get("BASE_URL") or request.url_root
    except Exception:
        base_url = "/"
    return urljoin(base_url + "/", path.lstrip("/")) if path else base_url
"""

HISTORY = """\
from hrefsmod import absolute_url


class Entry:
    def __init__(self, id):
        self.id = id

    @property
    def serialize(self):
        def link(request=None):  # a name of its own: the helper's proxy comes under another
            return absolute_url("/entry/" + self.id)

        return {"id": self.id, "href": absolute_url("/entry/" + self.id), "link": link()}
"""

APP = """\
from flask import Flask, jsonify

from entriesmod import Entry

app = Flask(__name__)


@app.route("/entry/<id>")
def entry(id):
    return jsonify(Entry(id).serialize)
"""


def test_a_module_without_flask_passes_the_request_it_now_takes(tmp_path):
    (tmp_path / "src").mkdir()
    for name, text in (("hrefsmod", HREFS), ("entriesmod", HISTORY), ("entryapp", APP)):
        (tmp_path / "src" / f"{name}.py").write_text(text)
    flask_app = load(tmp_path / "src", "entryapp")
    for name in ("hrefsmod", "entriesmod"):
        sys.modules.pop(name)
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "entriesmod.py").read_text()
    assert 'absolute_url(request_helper, "/entry/" + self.id)' in converted
    fastapi_app = load(tmp_path / "out", "entryapp")
    for name in ("hrefsmod", "entriesmod"):
        sys.modules.pop(name)
    assert_same(flask_app, fastapi_app, [("GET", "/entry/a1"), ("GET", "/entry/b2")])
