"""A project's own decorator that takes the route's URL value and hands the view another one
(``@wraps(view)``, ``def wrapper(*args, **kwargs)``, ``kwargs["item_id"] = lookup(kwargs.pop("item_slug"))``).

Flask called the wrapper with the URL's values. FastAPI reads an endpoint's parameters from
``inspect.signature``, which follows ``__wrapped__`` to the view: the view's ``item_id`` became a required query
parameter, the path's ``item_slug`` was never read, and every request answered 400. The wrapper is routed with the
rule's path parameters, as Flask handed them, under an extension's decorator (run in Flask's request context) too.
"""

from __future__ import annotations

import textwrap

from side_by_side import assert_same, convert_tree, converted_with_library, load
from starlette.testclient import TestClient
from test_registration_helper_extension_decorator import EXTENSION

TREE = {
    "slugapp/__init__.py": textwrap.dedent("""\
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            from slugapp.items import blueprint as items

            app.register_blueprint(items)
            return app
    """),
    "slugapp/lookups.py": textwrap.dedent("""\
        from functools import wraps

        from flask import abort

        SLUGS = {"first": 1, "second": 2}


        def to_item_id(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                slug = kwargs.pop("item_slug")
                if slug not in SLUGS:
                    abort(404)
                kwargs["item_id"] = SLUGS[slug]
                return func(*args, **kwargs)

            return wrapper
    """),
    "slugapp/items.py": textwrap.dedent("""\
        from flask import Blueprint, jsonify, request

        from slugapp.lookups import to_item_id

        blueprint = Blueprint("items", __name__)
        NOTES = {1: ["a"], 2: []}


        @blueprint.route("/items/<item_slug>/notes")
        @to_item_id
        def notes(item_id):
            return jsonify(item=item_id, notes=NOTES[item_id], q=request.args.get("q"))


        @blueprint.route("/items/<item_slug>/notes", methods=["POST"])
        @to_item_id
        def add_note(item_id):
            NOTES[item_id].append(request.get_json()["text"])
            return jsonify(item=item_id, notes=NOTES[item_id]), 201


        @blueprint.route("/sections/<int:section>/items/<item_slug>")
        @to_item_id
        def in_section(section, item_id):
            return jsonify(section=section, item=item_id)
    """),
}

REQUESTS = [
    ("GET", "/items/first/notes"),
    ("GET", "/items/second/notes?q=x"),
    ("GET", "/items/third/notes"),
    ("POST", "/items/second/notes", {"json": {"text": "b"}}),
    ("GET", "/items/second/notes"),
    ("GET", "/sections/3/items/first"),
    ("GET", "/sections/x/items/first"),
]


def test_variadic_wraps_view_gets_the_rules_parameters(tmp_path):
    for relative, text in TREE.items():
        path = tmp_path / "src" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert_same(
        load(tmp_path / "src", "slugapp", "create_app"), load(tmp_path / "out", "slugapp", "create_app"), REQUESTS
    )


def test_an_extensions_decorator_over_it_keeps_the_rules_parameters(tmp_path):
    items = TREE["slugapp/items.py"].replace(
        "from slugapp.lookups import to_item_id\n",
        "from flask_tokencheck import token_required\n\nfrom slugapp.lookups import to_item_id\n",
    )
    items = items.replace("@to_item_id\ndef notes(", "@token_required()\n@to_item_id\ndef notes(")
    files = {
        **TREE,
        "slugapp/items.py": items,
        "slugapp/main.py": "from slugapp import create_app\n\napp = create_app()\n",
    }
    with converted_with_library(tmp_path, {"flask_tokencheck": EXTENSION}, files, "slugapp.main") as app:
        client = TestClient(app)
        assert client.get("/items/first/notes").status_code == 401
        answer = client.get("/items/first/notes?q=y", headers={"Authorization": "Bearer good"})
        assert (answer.status_code, answer.json()) == (200, {"item": 1, "notes": ["a"], "q": "y"})
        assert client.get("/items/third/notes", headers={"Authorization": "Bearer good"}).status_code == 404
