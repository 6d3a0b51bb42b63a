"""An extension's ``before_request`` hook that fails outside Flask's request context without Flask's error.

Such a hook reads Flask's request through something that gives None outside a request context instead of raising
"Working outside of request context" (Flask-Login 0.4's ``current_user`` is None there; Flask-Principal's hook then
read ``current_user.id``: AttributeError). The helper ran it outside, skipped it as failed, and every view reading
what it set found nothing. It is now run again in Flask's request context. A stand-in extension (``flask_stamp``,
not converted) plays the part.
"""

from __future__ import annotations

import sys

from side_by_side import assert_same, convert_tree, load

EXTENSION = """\
import flask


class Stamp:
    def __init__(self, app=None):
        if app is not None:
            app.before_request(self._stamp)

    def _stamp(self):
        request = flask.request if flask.has_request_context() else None  # as Flask-Login 0.4's current_user
        flask.g.visitor = request.headers.get("X-Visitor", "nobody")
"""
VIEWS = """\
from flask import Flask, g
from flask_stamp import Stamp

app = Flask(__name__)
Stamp(app)


@app.route("/who")
def who():
    return g.get("visitor", "unset")
"""
REQUESTS = [("GET", "/who", {"headers": {"X-Visitor": "ann"}}), ("GET", "/who")]


def test_a_hook_failing_outside_flasks_request_context_runs_in_it(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "flask_stamp.py").write_text(EXTENSION)
    (tmp_path / "src" / "shop").mkdir(parents=True)
    (tmp_path / "src" / "shop" / "__init__.py").write_text(VIEWS)
    convert_tree(tmp_path / "src", tmp_path / "out")
    sys.path.insert(0, str(tmp_path / "lib"))
    try:
        flask_app = load(tmp_path / "src", "shop")
        assert_same(flask_app, load(tmp_path / "out", "shop"), REQUESTS)
    finally:
        sys.path.remove(str(tmp_path / "lib"))
        for name in [n for n in sys.modules if n in ("shop", "flask_stamp") or n.startswith("shop.")]:
            del sys.modules[name]
