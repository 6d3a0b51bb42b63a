"""A function called at import (``@ratelimit(10)`` on a view or in a class body, ``LIMITS = limits(5)`` at module
level) that reads ``flask.request`` only in what it hands back (default-argument lambdas, a wrapper run per request):
given a leading ``request`` parameter, its calls became ``@ratelimit(request, 10)``, where no request exists, and
the converted app failed at import with NameError and no TODO. Such a function keeps its signature and reads the
helper's request proxy, as a function handed over uncalled does. Side by side with Flask."""

from __future__ import annotations

import sys

from side_by_side import assert_same, convert_tree, load

LIMITS = """\
from functools import wraps

from flask import request

SEEN = []


def ratelimit(limit, key_func=lambda: request.endpoint, path=lambda: request.path):
    def decorator(f):
        @wraps(f)
        def wrapped(*args, **kwargs):
            SEEN.append([limit, key_func(), path(), request.args.get("q")])
            return f(*args, **kwargs)

        return wrapped

    return decorator


def window(size):
    return lambda: [size, request.method]
"""

APP = """\
from flask import Flask, jsonify
from flask.views import MethodView

from rlimits import SEEN, ratelimit, window

app = Flask(__name__)
WINDOW = window(5)


@app.route("/a")
@ratelimit(10)
def a():
    return jsonify(seen=SEEN[-1], window=WINDOW())


class Things(MethodView):
    @ratelimit(5)
    def get(self):
        return jsonify(seen=SEEN[-1])


app.add_url_rule("/things", view_func=Things.as_view("things"))
"""


def test_functions_called_at_import_keep_their_signature(tmp_path):
    (tmp_path / "src").mkdir()
    for name, text in (("rlimits", LIMITS), ("rlapp", APP)):
        (tmp_path / "src" / f"{name}.py").write_text(text)
    flask_app = load(tmp_path / "src", "rlapp")
    sys.modules.pop("rlimits")
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "rlapp.py").read_text()
    assert "@ratelimit(10)" in converted and "WINDOW = window(5)" in converted
    fastapi_app = load(tmp_path / "out", "rlapp")
    sys.modules.pop("rlimits")
    assert_same(flask_app, fastapi_app, [("GET", "/a?q=1"), ("GET", "/things?q=2"), ("GET", "/things")])
