"""A MethodView answering through a ``dispatch_request`` override (its own or a mixin's) that calls ``super()``'s.

Flask's ``as_view`` calls ``dispatch_request``, and ``MethodView.dispatch_request`` calls the request's method: a
mixin looking the item up (``self.item = ...``), redirecting to its canonical name, then ``super().dispatch_request``
runs before every method. The conversion routed each method on its own and dropped the MethodView base: the
override never ran ("'ItemView' object has no attribute 'item'", a 500) and ``super().dispatch_request`` had nothing
to reach. Such a class now keeps the helper's ``MethodView`` as its base (its ``dispatch_request`` calls the method
of the request) and each method's route goes through the override (``method_view``), on a copy of the instance per
request as Flask made one per request. A class with no method whose override calls ``super()``'s is a base of such
views, not a View answering by it.
"""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

VIEWS = """\
from flask import Flask, abort, redirect, request, url_for
from flask.views import MethodView

app = Flask(__name__)
ITEMS = {"Alpha": 1, "Beta": 2}


class ItemMixin:
    def dispatch_request(self, *args, **kwargs):
        name = kwargs.get("name")
        found = next((k for k in ITEMS if k.lower() == name.lower()), None)
        if found is None:
            abort(404)
        self.item = found
        if name != found:
            return redirect(url_for(request.endpoint, name=found), code=301)
        return super().dispatch_request(*args, **kwargs)


class ItemView(ItemMixin, MethodView):
    def get(self, name):
        return {"item": self.item, "value": ITEMS[self.item]}

    def post(self, name):
        return {"posted": self.item}


class ActionBase(ItemMixin, MethodView):
    def dispatch_request(self, *args, **kwargs):
        self.extra = request.args.get("extra", "none")
        return super().dispatch_request(*args, **kwargs)


class ActionView(ActionBase):
    def get(self, name):
        return {"item": self.item, "extra": self.extra}


app.add_url_rule("/items/<name>", view_func=ItemView.as_view("item"))
app.add_url_rule("/actions/<name>", view_func=ActionView.as_view("action"))
"""


def test_dispatch_request_overrides_run_before_each_method(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "catalog_views.py").write_text(VIEWS)
    flask_app = load(tmp_path / "src", "catalog_views")
    convert_tree(tmp_path / "src", tmp_path / "out")
    text = (tmp_path / "out" / "catalog_views.py").read_text()
    assert "class ItemView(ItemMixin, MethodView):" in text and "class ActionBase(ItemMixin, MethodView):" in text
    assert "method_view(ItemView().get)" in text and "method_view(ActionView().get)" in text
    fastapi_app = load(tmp_path / "out", "catalog_views")
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("GET", "/items/Alpha"),
            ("GET", "/items/alpha"),
            ("GET", "/items/zeta"),
            ("POST", "/items/Beta"),
            ("GET", "/actions/beta?extra=1"),
            ("GET", "/actions/Beta?extra=1"),
            ("GET", "/actions/Alpha"),
        ],
    )
