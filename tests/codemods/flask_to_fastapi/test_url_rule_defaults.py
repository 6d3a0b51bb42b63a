"""``add_url_rule(rule, defaults={...}, view_func=...)``: Flask calls the view with the rule's defaults (the URL
values the rule has not got). The conversion dropped the keyword silently, so FastAPI asked the request for the
parameter: 422 where Flask answered. The view is now routed as ``with_defaults(view, {...})``, for a function view
and for each method of a MethodView.
"""

from __future__ import annotations

import ast
import textwrap

from side_by_side import assert_same, convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask, jsonify, url_for
    from flask.views import MethodView

    app = Flask(__name__)


    def page(num):
        return jsonify(num=num, url=url_for("page", num=4))


    class ItemAPI(MethodView):
        def get(self, oid):
            return jsonify(oid=oid)

        def delete(self, oid):
            return jsonify(deleted=oid)


    app.add_url_rule("/pages/", defaults={"num": 1}, view_func=page)
    app.add_url_rule("/pages/<int:num>", view_func=page)
    item = ItemAPI.as_view("item")
    app.add_url_rule("/items/", defaults={"oid": None}, view_func=item, methods=["GET"])
    app.add_url_rule("/items/<int:oid>", view_func=item, methods=["GET", "DELETE"])
    app.add_url_rule("/other/", "other", ItemAPI.as_view("other"), defaults={"oid": 0})
""")


def test_rule_defaults_are_handed_to_the_view_as_flask_did(tmp_path):
    (tmp_path / "src" / "dflapp").mkdir(parents=True)
    (tmp_path / "src" / "dflapp" / "__init__.py").write_text(SOURCE)
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "dflapp" / "__init__.py").read_text()
    ast.parse(converted)
    assert 'with_defaults(page, {"num": 1})' in converted
    assert 'with_defaults(item.get, {"oid": None})' in converted
    assert converted.count("with_defaults(") == 4  # the import, and the three rules with defaults
    assert_same(
        load(tmp_path / "src", "dflapp"),
        load(tmp_path / "out", "dflapp"),
        [
            ("GET", "/pages/"),
            ("GET", "/pages/3"),
            ("GET", "/items/"),
            ("GET", "/items/4"),
            ("DELETE", "/items/4"),
            ("GET", "/other/"),
            ("DELETE", "/other/"),
        ],
    )
