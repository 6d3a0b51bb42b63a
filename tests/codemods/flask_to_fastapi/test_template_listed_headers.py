"""``request.headers.items()`` and ``keys()`` list the names as Werkzeug did (``X-Request-Id``, from the WSGI
environ), through the helper: Starlette lists them as sent (``x-request-id`` from most clients), so a view
returning the headers it got answered other JSON keys (``data["headers"]["User-Agent"]``: KeyError)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request

app = Flask(__name__)


def own_headers():
    return {k: v for k, v in dict(request.headers.items()).items() if k.lower().startswith("x-")}


@app.route("/headers")
def headers():
    names = sorted(k for k in request.headers.keys() if k.lower().startswith("x-"))
    return {"headers": own_headers(), "names": names}
"""


def test_listed_header_names_are_werkzeugs(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "headersapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "headersapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "headersapp")
    sent = {"x-request-id": "1", "X-FORWARDED-FOR": "10.0.0.1", "X-Api_Key": "k"}
    assert_same(flask_app, fastapi_app, [("GET", "/headers", {"headers": sent})])
