"""``request.access_route`` (Werkzeug's ``X-Forwarded-For`` addresses, else the client's) through the helper, and the
request read through a local name bound to it in a helper (``if req is None: req = request``; ``get_ip(req=request)``):
``req.remote_addr`` and ``req.access_route`` stayed Flask's names on Starlette's request (AttributeError, 500)."""

from __future__ import annotations

import pytest
from side_by_side import assert_same, convert_tree, load

HELPERS = """\
import re

from flask import request

TRUSTED = r"^127\\.0\\.0\\.1$|^10\\."


def get_ip(req=None):
    if req is None:
        req = request
    route = req.access_route + [req.remote_addr]
    for addr in reversed(route):
        if not re.match(TRUSTED, addr):
            return addr
    return req.remote_addr
"""

HOPS = """\
from flask import request as r


def first_hop():
    current = r
    return current.access_route[0] if current.access_route else None
"""

APP = """\
from flask import Flask, render_template_string, request

from ipapp.helpers import get_ip
from ipapp.hops import first_hop

app = Flask(__name__)


@app.route("/ip")
def ip():
    return {"ip": get_ip(), "passed": get_ip(req=request), "hop": first_hop()}


@app.route("/page")
def page():
    return render_template_string("{{ get_ip() }} {{ first_hop() }}")


@app.route("/route")
def route():
    return {"route": request.access_route, "remote": request.remote_addr}
"""


# handed to Jinja as globals, the helpers take no request parameter: they read the helper's request proxy
REGISTERED = "\napp.jinja_env.globals.update(get_ip=get_ip, first_hop=first_hop)\n"


@pytest.mark.parametrize("registered", [False, True], ids=["passed", "proxy"])
def test_access_route_and_request_read_through_a_local_name(tmp_path, registered):
    (tmp_path / "src" / "ipapp").mkdir(parents=True)
    (tmp_path / "src" / "ipapp" / "__init__.py").write_text(APP + (REGISTERED if registered else ""))
    (tmp_path / "src" / "ipapp" / "helpers.py").write_text(HELPERS)
    (tmp_path / "src" / "ipapp" / "hops.py").write_text(HOPS)
    flask_app = load(tmp_path / "src", "ipapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    for module in ("helpers.py", "hops.py"):
        lines = (tmp_path / "out" / "ipapp" / module).read_text().splitlines()
        assert not [line for line in lines if "TODO(asyncshift)" in line and "(written with" not in line]
    fastapi_app = load(tmp_path / "out", "ipapp")
    forwarded = {"X-Forwarded-For": "203.0.113.7, 10.0.0.2"}
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("GET", "/ip"),
            ("GET", "/ip", {"headers": forwarded}),
            *([("GET", "/page"), ("GET", "/page", {"headers": forwarded})] if registered else []),
            ("GET", "/route"),
            ("GET", "/route", {"headers": forwarded}),
        ],
    )
