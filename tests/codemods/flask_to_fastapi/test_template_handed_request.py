"""Flask's request handed on as a value to the app's own code, which reads Werkzeug's attributes on it: a signal's
receiver given ``request=request`` (``r.endpoint``, ``r.args.to_dict()``, ``r.get_json(silent=True)``, ``r.url``),
a decorator's helper given the request (``r.data``, ``r.content_type``), and ``request.origin`` read in a view. The
receiving code is not rewritten: on the Starlette request each was an AttributeError, a 500 with no TODO where the
request was handed."""

from __future__ import annotations

import functools
import sys

from side_by_side import assert_same, convert_tree, load

AUDIT = """\
from typing import Any


class Trail:
    def __init__(self):
        self.receivers = []

    def connect(self, receiver):
        self.receivers.append(receiver)

    def send(self, sender, **kwargs):
        return [receiver(sender, **kwargs) for receiver in self.receivers]


def record(sender, request: Any, **extra):
    return {
        "endpoint": request.endpoint,
        "method": request.method,
        "url": request.url,
        "path": request.path,
        "args": request.args.to_dict(),
        "json": request.get_json(silent=True),
        "agent": request.headers.get("User-Agent"),
        "origin": request.origin,
        "is_json": request.is_json,
        **extra,
    }


trail = Trail()
trail.connect(record)
"""

APP = """\
import functools

from flask import Flask, jsonify, request

from handedaudit import trail

app = Flask(__name__)


def own(request):
    return request.path  # the module's own helper given the request: read as Starlette's, handed as it is


class Signer:
    @staticmethod
    def check(r):
        return {"data": r.data.decode(), "type": r.content_type, "mimetype": r.mimetype, "method": r.method}


def signed(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Sign"):
            return jsonify(Signer.check(request))
        return f(*args, **kwargs)

    return wrapper


@app.route("/items", methods=["GET", "POST"])
@signed
def items():
    return jsonify(trail.send(app, request=request, kind="item"), own(request))


@app.route("/origin")
def origin():
    return jsonify(origin=request.origin or "(unknown)")
"""


def test_the_request_handed_to_the_apps_code_reads_as_werkzeugs(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "handedreq.py").write_text(APP)
    (tmp_path / "src" / "handedaudit.py").write_text(AUDIT)
    flask_app = load(tmp_path / "src", "handedreq")
    sys.modules.pop("handedaudit")
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "handedreq.py").read_text()
    assert "request=handed_request(request)" in converted and "own(request)" in converted
    fastapi_app = load(tmp_path / "out", "handedreq")
    sys.modules.pop("handedaudit")
    agent = {"User-Agent": "probe/1"}
    requests = [
        ("GET", "/items?a=1&b=2", {"headers": {**agent, "Origin": "http://elsewhere"}}),
        ("POST", "/items?a=1", {"json": {"k": [1, 2]}, "headers": agent}),
        ("POST", "/items", {"data": "plain", "headers": {**agent, "Content-Type": "text/plain"}}),
        ("POST", "/items", {"data": '{"signed": 1}', "headers": {"Content-Type": "application/json", "X-Sign": "1"}}),
        ("POST", "/items", {"data": {"f": "v"}, "headers": {"X-Sign": "1"}}),
        ("GET", "/origin", {"headers": {"Origin": "http://there"}}),
        ("GET", "/origin"),
    ]
    assert_same(flask_app, fastapi_app, requests)


def test_handed_request_leaves_what_is_not_a_request(tmp_path):
    from codemods.flask_to_fastapi.template._flask_compat.handed_request import HandedRequest, handed_request

    stand_in = functools.partial(print)  # a test's stand-in: no scope, as it is
    assert handed_request(stand_in) is stand_in

    class Scoped:
        scope: dict = {}

    wrapped = handed_request(Scoped())
    assert isinstance(wrapped, HandedRequest) and handed_request(wrapped) is wrapped
