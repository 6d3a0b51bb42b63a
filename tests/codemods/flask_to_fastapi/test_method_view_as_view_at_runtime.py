"""``as_view`` on a converted MethodView where the conversion cannot read the class: Flask's documented
``register_api(view, endpoint, url, pk)`` helper (``view_func = view.as_view(endpoint)``, then three
``add_url_rule`` calls, one with ``defaults={pk: None}``) and a test's ``Cls.as_view("name")`` called by hand.

The converted class lost its MethodView base, so ``view.as_view`` raised AttributeError at import, and the
``add_url_rule`` calls were dropped under TODOs (no route). The class now keeps the helper's base, whose ``as_view``
gives the view object the registration helper ``url_rule`` routes (one route per HTTP method the class defines,
among the rule's ``methods``; Flask's rule syntax; the rule's ``defaults`` handed to the view), and which answers a
call made by hand in a request context as Flask's view function did.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import sys
import textwrap

from side_by_side import assert_same, convert_tree, load

from codemods.base import TODO_MARKER

TREE = {
    "avapp/__init__.py": textwrap.dedent("""\
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            from avapp.api import blueprint

            app.register_blueprint(blueprint, url_prefix="/api")
            return app
    """),
    "avapp/base.py": textwrap.dedent("""\
        from flask import jsonify, request
        from flask.views import MethodView

        ITEMS = {1: "one", 2: "two"}


        class APIBase(MethodView):
            def get(self, oid):
                if oid is None:
                    return jsonify(items=sorted(ITEMS.values()), q=request.args.get("q"))
                if oid not in ITEMS:
                    return jsonify(error="not found"), 404
                return jsonify(id=oid, name=ITEMS[oid])

            def post(self):
                key = max(ITEMS) + 1
                ITEMS[key] = request.json["name"]
                return jsonify(id=key, method=request.method)

            def delete(self, oid):
                ITEMS.pop(oid, None)
                return "", 204
    """),
    "avapp/api.py": textwrap.dedent("""\
        from flask import Blueprint, jsonify, url_for

        from avapp.base import APIBase

        blueprint = Blueprint("api", __name__)


        class ItemAPI(APIBase):
            pass


        class CountAPI(APIBase):
            def get(self, oid):
                return jsonify(count=2 if oid is None else oid, url=url_for("api.count_api", oid=7))


        def register_api(view, endpoint, url, pk="id", pk_type="int"):
            view_func = view.as_view(endpoint)
            blueprint.add_url_rule(url, defaults={pk: None}, view_func=view_func, methods=["GET"])
            blueprint.add_url_rule(url, view_func=view_func, methods=["POST"])
            blueprint.add_url_rule(
                "%s<%s:%s>" % (url, pk_type, pk), view_func=view_func, methods=["GET", "PUT", "DELETE"]
            )


        register_api(ItemAPI, "item_api", "/items/", pk="oid")
        register_api(CountAPI, "count_api", "/counts/", pk="oid")
    """),
}

REQUESTS = [
    ("GET", "/api/items/"),
    ("GET", "/api/items/?q=x"),
    ("GET", "/api/items/1"),
    ("GET", "/api/items/9"),
    ("POST", "/api/items/", {"json": {"name": "three"}}),
    ("GET", "/api/items/"),
    ("DELETE", "/api/items/2"),
    ("GET", "/api/items/"),
    ("GET", "/api/counts/"),
    ("GET", "/api/counts/5"),
    ("POST", "/api/counts/", {"json": {"name": "four"}}),
    ("GET", "/api/nothing/"),
]


def _trees(tmp_path):
    for relative, text in TREE.items():
        path = tmp_path / "src" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    convert_tree(tmp_path / "src", tmp_path / "out")
    return tmp_path / "src", tmp_path / "out"


def test_register_api_is_converted_with_its_calls_kept(tmp_path):
    _, out = _trees(tmp_path)
    api = (out / "avapp" / "api.py").read_text()
    base = (out / "avapp" / "base.py").read_text()
    for text in (api, base):
        ast.parse(text)
    assert "class APIBase(MethodView):" in base  # the helper's base: as_view is there
    assert "view_func = view.as_view(endpoint)" in api
    assert api.count("url_rule(blueprint, ") == 3 and "pass" not in api.split("def register_api")[1]
    assert "defaults={pk: None}" in api
    assert not any(TODO_MARKER in line and "by hand" in line for line in api.splitlines())


def test_register_api_answers_as_flasks(tmp_path):
    src, out = _trees(tmp_path)
    assert_same(load(src, "avapp", "create_app"), load(out, "avapp", "create_app"), REQUESTS)


def _called_by_hand(app, module) -> list:
    """What Flask's view function answers when a test calls it in a request context of its own."""
    answers = []
    calls = (("GET", "/api/items/1", {"oid": 1}), ("GET", "/api/items/", {"oid": None}), ("HEAD", "/", {"oid": 2}))
    for method, path, kwargs in calls:
        view = module.ItemAPI.as_view("by_hand")
        with app.test_request_context(path, method=method):
            response = view(**kwargs)
            if inspect.iscoroutine(response):
                response = asyncio.run(response)
        body = response.get_json() if hasattr(response, "get_json") else json.loads(response.body)
        answers.append((response.status_code, body))
    return answers


def test_as_view_called_by_hand_answers_as_flasks(tmp_path):
    src, out = _trees(tmp_path)
    flask_app = load(src, "avapp", "create_app")
    before = _called_by_hand(flask_app, sys.modules["avapp.api"])
    fastapi_app = load(out, "avapp", "create_app")
    after = _called_by_hand(fastapi_app, sys.modules["avapp.api"])
    assert after == before
    assert before == [
        (200, {"id": 1, "name": "one"}),
        (200, {"items": ["one", "two"], "q": None}),
        (200, {"id": 2, "name": "two"}),
    ]
