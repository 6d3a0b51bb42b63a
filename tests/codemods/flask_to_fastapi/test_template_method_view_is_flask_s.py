"""A test asserting what a view class is (``isinstance(view, flask.views.MethodView)``, ``issubclass(Cls,
flask.views.View)``, the ``methods`` Flask's MethodView computes): the converted class keeps the helper's base
(``_flask_compat.MethodView``/``View``, for ``as_view`` and ``dispatch_request``), which was no Flask class, so
``isinstance`` answered False (``assert False``). Where Flask is installed the helper's classes now derive from
Flask's too, the helper's own methods first; the routes answer as before.
"""

from __future__ import annotations

import sys
import textwrap

import flask.views
from side_by_side import assert_same, convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask
    from flask.views import MethodView, View


    class Lookup:
        def dispatch_request(self, *args, **kwargs):
            self.seen = "looked up"
            return super().dispatch_request(*args, **kwargs)


    class Page(Lookup, MethodView):
        def get(self, name):
            return f"{self.seen}: {name}"

        def post(self, name):
            return f"posted {name}", 201


    class Plain(MethodView):
        def get(self):
            return "plain"


    class Render(View):
        def dispatch_request(self):
            return "rendered"


    app = Flask(__name__)
    app.add_url_rule("/page/<name>", view_func=Page.as_view("page"))
    app.add_url_rule("/plain", view_func=Plain.as_view("plain"))
    app.add_url_rule("/render", view_func=Render.as_view("render"))
""")


def _what_they_are(module) -> list:
    views = flask.views
    return [
        isinstance(module.Page(), views.MethodView),
        isinstance(module.Plain(), views.MethodView),
        isinstance(module.Page(), views.View),
        issubclass(module.Render, views.View),
        sorted(module.Page.methods),
        sorted(module.Plain.methods),
        module.Plain.decorators,
    ]


def test_a_converted_view_class_is_flask_s_class_too(tmp_path):
    (tmp_path / "src" / "viewkinds").mkdir(parents=True)
    (tmp_path / "src" / "viewkinds" / "__init__.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "viewkinds")
    before = _what_they_are(sys.modules["viewkinds"])
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "viewkinds" / "__init__.py").read_text()
    assert "class Page(Lookup, MethodView)" in converted
    fastapi_app = load(tmp_path / "out", "viewkinds")
    after = _what_they_are(sys.modules["viewkinds"])
    assert before == [True, True, True, True, ["GET", "POST"], ["GET"], []]
    assert after == before
    assert_same(
        flask_app, fastapi_app, [("GET", "/page/x"), ("POST", "/page/y"), ("GET", "/plain"), ("GET", "/render")]
    )
