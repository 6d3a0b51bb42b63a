"""A view another view calls reads the request itself and is handed it: ``return view_get()`` from a view whose
own reads became typed parameters (it took no request: the callee's was missing, TypeError), and
``digest(qop, "user")`` of a view that read a query argument and a header (as typed parameters, its direct caller
passed none of them: their defaults, a silent difference)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request

app = Flask(__name__)


@app.route("/get")
def view_get():
    return {"args": request.args.get("a"), "url": request.url}


@app.route("/etag/<etag>")
def etag(etag):
    if request.headers.get("If-None-Match") == etag:
        return "", 304
    return view_get()


@app.route("/digest/<qop>/<user>")
def digest(qop=None, user="user"):
    cookie = request.args.get("require-cookie", "").lower()
    return {"qop": qop, "user": user, "cookie": cookie, "auth": request.headers.get("Authorization")}


@app.route("/digest/<qop>")
def digest_md5(qop=None):
    return digest(qop, "user")
"""


def test_a_view_called_by_another_reads_the_request_it_is_handed(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "callapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "callapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "callapp")
    requests = [
        ("GET", "/etag/x?a=1"),
        ("GET", "/etag/x", {"headers": {"If-None-Match": "x"}}),
        ("GET", "/digest/auth?require-cookie=TRUE", {"headers": {"Authorization": "Digest u"}}),
        ("GET", "/digest/auth/me?require-cookie=1"),
    ]
    assert_same(flask_app, fastapi_app, requests)
