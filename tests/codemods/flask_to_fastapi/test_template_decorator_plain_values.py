"""A decorator the conversion takes for a view decorator (a wrapper calling the decorated function with ``*a, **kw``)
that wraps functions which are no views: a memoizing cache around a model's lookups (its value a model object, a
list of them, a number). Its wrapper's returns go through ``view_value``, which made a response of each: a model
object or a list of them is no JSON (TypeError in the lookup: the app's fixtures and pages failed), a number became
a JSONResponse. Flask's ``make_response`` takes none of them either, so no view's answer is one: ``view_value``
gives such a value back as it was; a view's answers are made responses as before."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
import functools

from flask import Flask, jsonify

CACHE = {}


def cached(key):
    def deco(f):
        @functools.wraps(f)
        def _(*a, **kw):
            if key not in CACHE:
                value = f(*a, **kw)
                CACHE[key] = value
            return CACHE[key]

        return _

    return deco


class Colour:
    def __init__(self, name):
        self.name = name


@cached("colours")
def colours():
    return [Colour("red"), Colour("blue")]


@cached("favourite")
def favourite():
    return Colour("green")


@cached("count")
def count():
    return 2


app = Flask(__name__)


@app.route("/colours")
def listed():
    return jsonify(names=[c.name for c in colours()], favourite=favourite().name, count=count() + 1)
"""


def test_a_cache_decorator_around_plain_functions_keeps_their_values(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "memoapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "memoapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert "view_value(" in (tmp_path / "out" / "memoapp.py").read_text()  # taken for a view decorator
    fastapi_app = load(tmp_path / "out", "memoapp")
    assert_same(flask_app, fastapi_app, [("GET", "/colours"), ("GET", "/colours")])
